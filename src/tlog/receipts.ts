// What a server hands the registry so each filing receipt carries its proof bundle: the log's signer
// (from the server's key source) and witness policy, closed over once.
import type { Queryable } from '../db/index.js';
import { receiptProof, type ReceiptProof } from './proofs/build.js';
import type { WitnessPolicy } from './publish.js';
import { signerFrom, type SignerSource } from './service.js';
import type { KekSource } from './kek.js';

export type ReceiptProver = (q: Queryable, start: number, end: number, now: Date) => Promise<ReceiptProof>;

export function receiptProver(
  db: Queryable,
  o: { kek?: KekSource; signer?: SignerSource | null; witnesses?: WitnessPolicy } = {},
): ReceiptProver {
  const signer = o.signer === null ? undefined : (o.signer ?? (o.kek ? signerFrom(db, o.kek) : undefined));
  return (q, start, end, now) => receiptProof(q, start, end, { now, signer, policy: o.witnesses });
}
