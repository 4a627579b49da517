// Transparency-log routes under /api/log: the public verifier key, signed checkpoints, inclusion
// proofs (by index or leaf hash), consistency proofs and raw entries, for auditors and regulators.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { toBase64 } from './hash.js';
import { consistencyProof, getEntries, inclusionProof, indexOfLeaf, treeSize } from './store.js';
import { listCheckpoints, type StoredCheckpoint } from './checkpoints.js';
import { logVerifierKey } from './logkey.js';
import type { KekSource } from './kek.js';
import { signerFrom, type SignerSource } from './service.js';
import { currentPublished, publishCheckpoint, type WitnessPolicy } from './publish.js';
import { registerTileRoutes } from './tiles/http.js';

const READERS = ['auditor', 'regulator'] as const;
const WITNESS_RETRY_MS = 10_000;
const tags = ['log'];
export { MAX_ENTRIES_PER_PAGE } from './limits.js';
import { MAX_ENTRIES_PER_PAGE } from './limits.js';

const size = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const hashB64 = z.string().regex(/^[A-Za-z0-9+/_-]{43}=?$/, 'base64 of a 32-byte hash');
const checkpointOut = z.object({
  treeSize: z.number(),
  rootHash: z.string(),
  note: z.string(),
  createdAt: z.string(),
  cosigners: z.array(z.string()).optional(),
});
const proofOut = z.object({
  index: z.number(),
  treeSize: z.number(),
  leafHash: z.string(),
  proof: z.array(z.string()),
  checkpoint: z.string().nullable(),
});

const checkpointsQuery = z
  .object({
    after: z.coerce.number().int().min(-1).max(Number.MAX_SAFE_INTEGER).default(-1),
    limit: z.coerce.number().int().min(1).max(1000).default(1000),
  })
  .strict();
const inclusionQuery = z
  .object({ index: size.optional(), leafHash: hashB64.optional(), treeSize: size.optional() })
  .strict()
  .refine((q) => (q.index === undefined) !== (q.leafHash === undefined), 'give exactly one of index and leafHash');
const consistencyQuery = z
  .object({ from: size.refine((n) => n >= 1, 'from must be at least 1'), to: size.optional() })
  .strict();
const consistencyOut = z.object({
  from: z.number(),
  to: z.number(),
  proof: z.array(z.string()),
  checkpoint: z.string().nullable(),
});
const entriesQuery = z
  .object({ start: size, end: size })
  .strict()
  .refine(
    (q) => q.end > q.start && q.end - q.start <= MAX_ENTRIES_PER_PAGE,
    `need start < end <= start + ${MAX_ENTRIES_PER_PAGE}`,
  );
const entriesOut = z.object({
  treeSize: z.number(),
  entries: z.array(z.object({ index: z.number(), leafHash: z.string(), entry: z.string() })),
});

const cpJson = (c: StoredCheckpoint & { cosigners?: string[] }) => ({
  treeSize: c.treeSize,
  rootHash: toBase64(c.rootHash),
  note: c.note,
  createdAt: c.createdAt.toISOString(),
  ...(c.cosigners ? { cosigners: c.cosigners } : {}),
});

export interface TlogRouteOptions {
  /** Where the log key's key-encryption key comes from (the server's data dir, CHIPWATCH_LOG_KEK). */
  kek?: KekSource;
  /** A signer to use instead (tests); null: this server signs nothing. Without kek or signer: none. */
  signer?: SignerSource | null;
  /** Witnesses whose quorum of cosignatures a checkpoint needs before it is served (none: every signed one). */
  witnesses?: WitnessPolicy;
}

/** The log's read and sign operations for one server: its database, clock and (optional) signer. */
class LogHandlers {
  constructor(
    private readonly ctx: AppContext,
    private readonly signer: SignerSource | undefined,
    private readonly policy: WitnessPolicy | undefined,
  ) {}

  /** The published checkpoint, publishing a new one first when the log has grown. */
  async published() {
    // With witnesses, a read asks them at most every WITNESS_RETRY_MS (readers must not drive their traffic).
    const now = Date.now();
    const mayPublish = !this.policy || now - this.lastAttempt >= WITNESS_RETRY_MS;
    if (mayPublish) this.lastAttempt = now;
    const cp = await currentPublished(this.ctx.db, this.ctx.now(), mayPublish ? this.signer : undefined, this.policy);
    if (!cp) throw new NotFoundError('the log has no published checkpoint yet (chipwatch log checkpoint)');
    return cp;
  }

  private lastAttempt = -Infinity;

  /** The proof's tree size: given, or the current checkpoint's (so the proof verifies against a signed root). */
  private async resolveSize(given: number | undefined): Promise<{ size: number; note: string | null }> {
    if (given !== undefined) return { size: given, note: null };
    const cp = await this.published();
    return { size: cp.treeSize, note: cp.note };
  }

  async current() {
    return cpJson(await this.published());
  }

  async sign() {
    if (!this.signer) throw new ValidationError('this server has no log signing key configured');
    const r = await publishCheckpoint(this.ctx.db, await this.signer(), this.ctx.now(), this.policy);
    return cpJson(r.signed);
  }

  async checkpoints(q: z.infer<typeof checkpointsQuery>) {
    return { checkpoints: (await listCheckpoints(this.ctx.db, q.after, q.limit)).map(cpJson) };
  }

  async inclusion(q: z.infer<typeof inclusionQuery>) {
    const db = this.ctx.db;
    const { size: n, note } = await this.resolveSize(q.treeSize);
    const index = q.index ?? (await indexOfLeaf(db, new Uint8Array(Buffer.from(q.leafHash ?? '', 'base64'))));
    if (index >= n) throw new ValidationError(`leaf ${index} is not in the tree of size ${n}`, { field: 'index' });
    const [entry] = await getEntries(db, index, index + 1);
    if (!entry) throw new NotFoundError(`log entry ${index} is missing from storage`, { field: 'index' });
    const proof = await inclusionProof(db, index, n);
    return { index, treeSize: n, leafHash: toBase64(entry.leafHash), proof: proof.map(toBase64), checkpoint: note };
  }

  async consistency(q: z.infer<typeof consistencyQuery>) {
    const { size: to, note } = await this.resolveSize(q.to);
    if (q.from > to) throw new ValidationError(`from ${q.from} is larger than to ${to}`, { field: 'from' });
    const proof = await consistencyProof(this.ctx.db, q.from, to);
    return { from: q.from, to, proof: proof.map(toBase64), checkpoint: note };
  }

  async entries(q: z.infer<typeof entriesQuery>) {
    const entries = await getEntries(this.ctx.db, q.start, q.end);
    return {
      treeSize: await treeSize(this.ctx.db),
      entries: entries.map((e) => ({ index: e.index, leafHash: toBase64(e.leafHash), entry: toBase64(e.entry) })),
    };
  }
}

export function tlogRoutes(ctx: AppContext, opts: TlogRouteOptions = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const configured = opts.kek ? signerFrom(ctx.db, opts.kek) : undefined;
    const signer = opts.signer === null ? undefined : (opts.signer ?? configured);
    const log = new LogHandlers(ctx, signer, opts.witnesses);
    registerTileRoutes(
      app as unknown as Parameters<typeof registerTileRoutes>[0],
      ctx,
      () => log.published(),
      opts.witnesses,
    );
    const vkeyOut = z.object({ origin: z.string(), vkey: z.string() });

    app.get(
      '/log/vkey',
      {
        config: { access: 'public' },
        schema: {
          summary: "The log's verifier key (C2SP signed-note vkey) and origin",
          tags,
          response: { 200: vkeyOut },
        },
      },
      async () => logVerifierKey(ctx.db),
    );
    app.get(
      '/log/checkpoint',
      {
        config: { access: READERS },
        schema: {
          summary: 'The current signed checkpoint (C2SP tlog-checkpoint); signs a new one when the log has grown',
          tags,
          response: { 200: checkpointOut },
        },
      },
      () => log.current(),
    );
    app.post(
      '/log/checkpoint',
      {
        config: { access: ['admin'] },
        schema: {
          summary: 'Sign and store a checkpoint of the current tree now',
          tags,
          response: { 201: checkpointOut },
        },
      },
      async (_req, reply) => reply.status(201).send(await log.sign()),
    );
    app.get(
      '/log/checkpoints',
      {
        config: { access: READERS },
        schema: {
          summary: 'Every stored checkpoint with tree size > after, ascending (for auditors)',
          tags,
          querystring: checkpointsQuery,
          response: { 200: z.object({ checkpoints: z.array(checkpointOut) }) },
        },
      },
      (req) => log.checkpoints(req.query),
    );
    app.get(
      '/log/proof/inclusion',
      {
        config: { access: READERS },
        schema: {
          summary:
            'Inclusion proof (RFC 9162 §2.1.3) of a leaf, by index or by leaf hash; ' +
            'tree size defaults to the current checkpoint',
          tags,
          querystring: inclusionQuery,
          response: { 200: proofOut },
        },
      },
      (req) => log.inclusion(req.query),
    );
    app.get(
      '/log/proof/consistency',
      {
        config: { access: READERS },
        schema: {
          summary:
            'Consistency proof (RFC 9162 §2.1.4) between two tree sizes; `to` defaults to the current checkpoint',
          tags,
          querystring: consistencyQuery,
          response: { 200: consistencyOut },
        },
      },
      (req) => log.consistency(req.query),
    );
    app.get(
      '/log/entries',
      {
        config: { access: READERS },
        schema: {
          summary: `Log entries [start, end) as stored (base64), at most ${MAX_ENTRIES_PER_PAGE} per page`,
          tags,
          querystring: entriesQuery,
          response: { 200: entriesOut },
        },
      },
      (req) => log.entries(req.query),
    );
  };
}
