// A client for another chipwatch server's /api/log, and the audit of such a remote log. Everything a
// server answers is untrusted: responses are schema-checked, and checkpoints verified by the auditor.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { LogAuditor, type AuditProblem, type AuditReport } from './audit.js';
import { verifyCheckpoint } from './checkpoint.js';
import { bytesEqual, toBase64 } from './hash.js';
import { parseVerifierKey } from './note.js';
import { verifyConsistency } from './verify.js';
import { MAX_ENTRIES_PER_PAGE } from './limits.js';

/** The remote server refused or failed a request. */
export class RemoteLogError extends UserError {
  override readonly status = 502;
  override readonly code = 'remote-log';
}

const checkpointSchema = z.object({
  treeSize: z.number().int().min(0),
  rootHash: z.string(),
  note: z.string().max(1 << 20),
  createdAt: z.string(),
});
const schemas = {
  vkey: z.object({ origin: z.string(), vkey: z.string().max(1000) }),
  checkpoint: checkpointSchema,
  checkpoints: z.object({ checkpoints: z.array(checkpointSchema) }),
  entries: z.object({
    treeSize: z.number().int().min(0),
    entries: z.array(z.object({ index: z.number().int().min(0), leafHash: z.string(), entry: z.string() })),
  }),
  inclusion: z.object({
    index: z.number().int().min(0),
    treeSize: z.number().int().min(0),
    leafHash: z.string(),
    proof: z.array(z.string()).max(64),
    checkpoint: z.string().nullable(),
  }),
  consistency: z.object({
    from: z.number().int().min(0),
    to: z.number().int().min(0),
    proof: z.array(z.string()).max(128),
    checkpoint: z.string().nullable(),
  }),
};

/** Largest response accepted: a page of 1,000 entries is far below; a hostile server cannot exhaust memory. */
export const MAX_RESPONSE_BYTES = 32 << 20;

async function readJson(res: Response): Promise<unknown> {
  if (!res.body) return null;
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_RESPONSE_BYTES) {
      await reader.cancel();
      throw new RemoteLogError(`response larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    parts.push(value);
  }
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export type RemoteCheckpoint = z.infer<typeof checkpointSchema>;

export class RemoteLog {
  constructor(
    private readonly baseUrl: string,
    private readonly apiKey?: string,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  private async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const url = new URL(path, this.baseUrl.endsWith('/') ? this.baseUrl : this.baseUrl + '/');
    const res = await this.fetchImpl(url, { headers: this.apiKey ? { authorization: `Bearer ${this.apiKey}` } : {} });
    const body = await readJson(res);
    if (!res.ok) {
      const detail =
        body && typeof body === 'object' && 'detail' in body
          ? String((body as { detail: unknown }).detail)
          : res.statusText;
      throw new RemoteLogError(`${url.pathname}: ${res.status} ${detail}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new RemoteLogError(`${url.pathname}: unexpected response from the server`);
    return parsed.data;
  }

  vkey() {
    return this.get('api/log/vkey', schemas.vkey);
  }
  checkpoint() {
    return this.get('api/log/checkpoint', schemas.checkpoint);
  }
  checkpoints(after: number) {
    return this.get(`api/log/checkpoints?after=${after}`, schemas.checkpoints);
  }
  entries(start: number, end: number) {
    return this.get(`api/log/entries?start=${start}&end=${end}`, schemas.entries);
  }
  inclusion(q: { index?: number; leafHash?: string; treeSize?: number }) {
    const p = new URLSearchParams();
    if (q.index !== undefined) p.set('index', String(q.index));
    if (q.leafHash !== undefined) p.set('leafHash', q.leafHash);
    if (q.treeSize !== undefined) p.set('treeSize', String(q.treeSize));
    return this.get(`api/log/proof/inclusion?${p}`, schemas.inclusion);
  }
  consistency(from: number, to?: number) {
    return this.get(
      `api/log/proof/consistency?from=${from}${to === undefined ? '' : `&to=${to}`}`,
      schemas.consistency,
    );
  }
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

/** Audits a remote log: all its checkpoints (plus saved ones) against all its entries. */
export async function auditRemoteLog(
  remote: RemoteLog,
  opts: { vkey: string; knownCheckpoints?: readonly string[] },
): Promise<AuditReport> {
  const notes = [...(opts.knownCheckpoints ?? [])];
  // Ask for a current checkpoint first so the audit covers the newest entries too.
  await remote.checkpoint().catch(() => undefined);
  for (let after = -1; ; ) {
    const page = (await remote.checkpoints(after)).checkpoints;
    if (page.length === 0) break;
    notes.push(...page.map((c) => c.note));
    const last = page[page.length - 1].treeSize;
    if (last <= after) break; // a server repeating itself must not loop us forever
    after = last;
  }
  const auditor = new LogAuditor(opts.vkey, notes);
  let end = auditor.targetSize;
  for (let start = 0; start < end || start === 0; start += MAX_ENTRIES_PER_PAGE) {
    const page = await remote.entries(start, start + MAX_ENTRIES_PER_PAGE);
    if (start === 0) end = Math.max(end, page.treeSize);
    for (const e of page.entries) {
      if (e.index < start || e.index >= start + MAX_ENTRIES_PER_PAGE)
        throw new RemoteLogError(`the server answered entry ${e.index} for the range from ${start}`);
      auditor.add({ index: e.index, entry: b64(e.entry), leafHash: b64(e.leafHash) });
    }
    if (end === 0) break;
  }
  return auditor.finish();
}

/**
 * The light check of a remote log, without downloading entries: the server's current checkpoint must
 * be signed and provably extend every checkpoint saved earlier (RFC 9162 consistency proofs). Catches
 * a rewritten or forked history, but cannot name the entry (a full audit can).
 */
export async function checkRemoteConsistency(
  remote: RemoteLog,
  opts: { vkey: string; knownCheckpoints: readonly string[] },
): Promise<AuditReport> {
  const key = parseVerifierKey(opts.vkey);
  const current = verifyCheckpoint((await remote.checkpoint()).note, key);
  const problems: AuditProblem[] = [];
  let checked = 1;
  for (const note of opts.knownCheckpoints) {
    const old = verifyCheckpoint(note, key);
    checked++;
    if (old.size > current.size) {
      problems.push({
        kind: 'root-mismatch',
        treeSize: old.size,
        message:
          `the server's checkpoint (size ${current.size}) is older than a saved one (size ${old.size}): the ` +
          `log was rolled back`,
      });
    } else if (old.size === current.size || old.size === 0) {
      const want = old.size === 0 ? null : current.rootHash;
      if (want && !bytesEqual(old.rootHash, want))
        problems.push({
          kind: 'conflicting-checkpoints',
          treeSize: old.size,
          message: `two signed checkpoints for tree size ${old.size} have different roots: the log forked`,
        });
    } else {
      const res = await remote.consistency(old.size, current.size);
      try {
        verifyConsistency(old.size, current.size, res.proof.map(b64), old.rootHash, current.rootHash);
      } catch (e) {
        problems.push({
          kind: 'root-mismatch',
          treeSize: old.size,
          index: 0,
          lastIndex: old.size - 1,
          message:
            `the server's tree of size ${current.size} does not extend the saved checkpoint of size ` +
            `${old.size}: ${(e as Error).message}`,
        });
      }
    }
  }
  const ok = problems.length === 0;
  return {
    ok,
    origin: key.name,
    entriesChecked: 0,
    checkpointsVerified: ok ? checked : 0,
    verifiedTreeSize: ok ? current.size : 0,
    verifiedRootHash: ok ? toBase64(current.rootHash) : null,
    verifiedCheckpoint: ok ? current.note : null,
    unsignedEntries: 0,
    problems,
    problemsOmitted: 0,
    firstBadIndex: null,
  };
}
