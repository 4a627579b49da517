// Publishing checkpoints through witnesses: with witnesses configured, a signed checkpoint is published
// (served, put in proofs and receipts) only once a quorum of them cosigned it, so the log cannot show
// two histories; without witnesses every signed checkpoint is published, as before.
import type { Queryable } from '../db/index.js';
import { ValidationError } from '../errors.js';
import { createCheckpoint, latestCheckpoint, type StoredCheckpoint } from './checkpoints.js';
import type { LogSigner } from './logkey.js';
import { consistencyProof, toBytes, treeSize } from './store.js';
import { parseCosignerVkey } from './witness/cosignature.js';
import { requestCosignature, type WitnessEndpoint } from './witness/submit.js';

export interface WitnessPolicy {
  witnesses: WitnessEndpoint[];
  /** Cosignatures needed before a checkpoint is published (1..witnesses.length). */
  quorum: number;
  timeoutMs?: number;
}

/** A published checkpoint: the log's signature and (with witnesses) the cosignature lines, in `note`. */
export interface PublishedCheckpoint extends StoredCheckpoint {
  /** Names of the witnesses whose cosignatures are in the note (empty without witnesses). */
  cosigners: string[];
}

/**
 * The policy from `URL=VKEY` strings (CHIPWATCH_WITNESSES or --witness) and a quorum (default: all);
 * undefined when there is no witness. Errors name `source`.
 */
export function witnessPolicy(specs: readonly string[], quorum?: number, source = 'CHIPWATCH_WITNESSES') {
  if (!specs.length) {
    if (quorum) throw new ValidationError(`a witness quorum of ${quorum} needs witnesses (${source})`);
    return undefined;
  }
  const witnesses = specs.map((spec): WitnessEndpoint => {
    const eq = spec.indexOf('=');
    const url = spec.slice(0, eq).trim();
    if (eq < 0 || !/^https?:\/\/[^\s]+$/.test(url))
      throw new ValidationError(`${source}: ${JSON.stringify(spec.slice(0, 80))} is not URL=VKEY`, { field: source });
    return { url, key: parseCosignerVkey(spec.slice(eq + 1), source) };
  });
  const q = quorum ?? witnesses.length;
  if (!Number.isInteger(q) || q < 1 || q > witnesses.length)
    throw new ValidationError(`the witness quorum must be from 1 to ${witnesses.length}, not ${q}`, {
      field: 'quorum',
    });
  return { witnesses, quorum: q } satisfies WitnessPolicy;
}

type Row = { tree_size: number; root_hash: Uint8Array; note: string; created_at: Date | string; cosigners: string[] };

/** The latest published checkpoint: the latest cosigned one with a policy, else the latest signed one. */
export async function publishedCheckpoint(q: Queryable, policy?: WitnessPolicy): Promise<PublishedCheckpoint | null> {
  if (!policy) {
    const cp = await latestCheckpoint(q);
    return cp && { ...cp, cosigners: [] };
  }
  const [r] = await q.query<Row>(
    `select w.tree_size, c.root_hash, w.note, w.cosigned_at as created_at, w.cosigners
       from tlog_cosigned w join tlog_checkpoints c using (tree_size) order by w.tree_size desc limit 1`,
  );
  return r
    ? {
        treeSize: Number(r.tree_size),
        rootHash: toBytes(r.root_hash),
        note: r.note,
        createdAt: new Date(r.created_at),
        cosigners: [...r.cosigners],
      }
    : null;
}

export interface PublishResult {
  /** The checkpoint the log signed for its current size. */
  signed: StoredCheckpoint;
  /** What is published now (may be older than `signed` when the quorum was not reached). */
  published: PublishedCheckpoint | null;
  /** Witnesses that did not cosign, with why. */
  refusals: { witness: string; reason: string }[];
}

/**
 * Signs the current tree head and, with witnesses, asks each for a cosignature (in parallel, from the
 * size it last cosigned) and publishes the checkpoint when at least `quorum` answered with a valid one.
 */
export async function publishCheckpoint(
  db: Queryable,
  signer: LogSigner,
  now: Date,
  policy?: WitnessPolicy,
): Promise<PublishResult> {
  const signed = await createCheckpoint(db, signer, now);
  if (!policy) return { signed, published: { ...signed, cosigners: [] }, refusals: [] };
  const before = await publishedCheckpoint(db, policy);
  if (before && before.treeSize >= signed.treeSize) return { signed, published: before, refusals: [] };
  const oldSize = before?.treeSize ?? 0;
  const proofs = new Map<number, Promise<Uint8Array[]>>();
  const proofFrom = (from: number) => {
    if (!proofs.has(from)) proofs.set(from, consistencyProof(db, from, signed.treeSize));
    return proofs.get(from)!;
  };
  const answers = await Promise.all(
    policy.witnesses.map((w) =>
      requestCosignature(w, signed.note, signed.treeSize, oldSize, proofFrom, policy.timeoutMs),
    ),
  );
  const lines: string[] = [];
  const cosigners: string[] = [];
  const refusals: PublishResult['refusals'] = [];
  answers.forEach((a, i) => {
    const name = policy.witnesses[i].key.name;
    if (a.ok) {
      lines.push(a.line);
      cosigners.push(name);
    } else refusals.push({ witness: name, reason: a.reason });
  });
  if (cosigners.length < policy.quorum) return { signed, published: before, refusals };
  const note = signed.note + lines.join('');
  await db.query(
    `insert into tlog_cosigned (tree_size, note, cosigners, cosigned_at) values ($1, $2, $3, $4)
      on conflict (tree_size) do nothing`,
    [signed.treeSize, note, cosigners, now],
  );
  return { signed, published: await publishedCheckpoint(db, policy), refusals };
}

/** The published checkpoint, publishing a new one first when the log has grown and a signer is at hand. */
export async function currentPublished(
  db: Queryable,
  now: Date,
  signer: (() => Promise<LogSigner>) | undefined,
  policy: WitnessPolicy | undefined,
): Promise<PublishedCheckpoint | null> {
  const latest = await publishedCheckpoint(db, policy);
  if (signer && (!latest || latest.treeSize < (await treeSize(db)))) {
    try {
      return (await publishCheckpoint(db, await signer(), now, policy)).published;
    } catch (e) {
      if (!latest) throw e;
    }
  }
  return latest;
}
