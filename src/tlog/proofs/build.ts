// Builds proof bundles from the stored log: the inclusion proofs of a run of leaves against a published
// checkpoint, batched (one query for the nodes of many proofs), and the receipt form a filing carries.
import type { Queryable } from '../../db/index.js';
import { toBase64 } from '../hash.js';
import { getEntries, readNodes } from '../store.js';
import { inclusionProofRanges, nodesFor, rangeHash } from '../tree.js';
import { publishCheckpoint, publishedCheckpoint, type PublishedCheckpoint, type WitnessPolicy } from '../publish.js';
import type { LogSigner } from '../logkey.js';
import { BUNDLE_FORMAT, type BundleItem, type ProofBundle } from './bundle.js';

/** Leaves whose proofs share one node query. */
const BATCH = 2048;
/** Receipts carry every item's proof up to this many items; larger filings get the command that writes them. */
export const RECEIPT_MAX_ITEMS = 1000;

/** Inclusion proofs of leaves [start, end) against `cp` (which must cover them). */
export async function bundleFor(q: Queryable, start: number, end: number, cp: PublishedCheckpoint) {
  const items: BundleItem[] = [];
  for (let a = start; a < end; a += BATCH) {
    const b = Math.min(end, a + BATCH);
    const entries = await getEntries(q, a, b);
    const ranges = entries.map((e) => inclusionProofRanges(e.index, cp.treeSize));
    const nodes = await readNodes(q, nodesFor(ranges.flat()), { value: cp.treeSize, field: 'treeSize' });
    const get = (level: number, index: number) => nodes.get(`${level}/${index}`)!;
    entries.forEach((e, k) => {
      items.push({
        index: e.index,
        entry: toBase64(e.entry),
        leafHash: toBase64(e.leafHash),
        proof: ranges[k].map((r) => toBase64(rangeHash(r, get))),
      });
    });
  }
  const bundle: ProofBundle = {
    format: BUNDLE_FORMAT,
    origin: cp.note.slice(0, cp.note.indexOf('\n')),
    treeSize: cp.treeSize,
    rootHash: toBase64(cp.rootHash),
    checkpoint: cp.note,
    cosigners: cp.cosigners,
    items,
  };
  return bundle;
}

/** What a receipt says about its proofs. */
export type ReceiptProof =
  | { status: 'complete'; bundle: ProofBundle }
  | { status: 'summary'; bundle: ProofBundle; itemsOmitted: number; command: string }
  | { status: 'pending'; reason: string; publishedTreeSize: number; neededTreeSize: number; command: string };

/**
 * The proof part of a receipt for leaves [start, end): publishes a checkpoint first when it can (signer
 * given), then bundles the proofs against the published checkpoint when it covers the leaves. Until a
 * quorum of witnesses cosigned one that does, the receipt says so and names the command to run later.
 */
export async function receiptProof(
  db: Queryable,
  start: number,
  end: number,
  o: { now: Date; signer?: () => Promise<LogSigner>; policy?: WitnessPolicy },
): Promise<ReceiptProof> {
  const command = `chipwatch log proof-bundle --leaves ${start}..${end - 1} --out proof.json`;
  const notes: string[] = [];
  const before = await publishedCheckpoint(db, o.policy);
  if (o.signer && (!before || before.treeSize < end)) {
    try {
      const r = await publishCheckpoint(db, await o.signer(), o.now, o.policy);
      for (const x of r.refusals) notes.push(`${x.witness}: ${x.reason}`);
    } catch (e) {
      notes.push(`signing failed: ${(e as Error).message}`);
    }
  }
  // Read again: a concurrent publisher may have published a checkpoint that covers these leaves.
  const cp = await publishedCheckpoint(db, o.policy);
  if (!cp || cp.treeSize < end) {
    const why = o.policy
      ? `no checkpoint covering these items has the cosignatures of ${o.policy.quorum} witness(es) yet`
      : 'no signed checkpoint covers these items yet';
    const reason = notes.length ? `${why} (${notes.join('; ')})` : why;
    return { status: 'pending', reason, publishedTreeSize: cp?.treeSize ?? 0, neededTreeSize: end, command };
  }
  if (end - start > RECEIPT_MAX_ITEMS) {
    const bundle = await bundleFor(db, start, start, cp);
    return { status: 'summary', bundle, itemsOmitted: end - start, command };
  }
  return { status: 'complete', bundle: await bundleFor(db, start, end, cp) };
}
