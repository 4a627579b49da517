// The verifier's full path over many measurements, as one pure function: parse untrusted batch JSON,
// check landmark and chip signatures and freshness, claim nonces, and judge every chip. The server and
// the benchmark both run exactly this.
import { signedBatchSchema } from './record.js';
import {
  checkBatch,
  claimNonces,
  observationsFor,
  type CheckContext,
  type NonceLedger,
  type Rejection,
} from './check.js';
import { judge, type Verdict, type VerdictOptions } from './verdict.js';
import type { RecordFields } from './payloads.js';
import type { LatLon } from '../geo/index.js';

export interface PipelineResult {
  verdicts: Map<string, Verdict>;
  rejected: Rejection[];
  accepted: number;
}

/** `batches` are raw JSON texts as received (attacker-controlled). */
export function verifyBatches(
  batches: readonly string[],
  ctx: CheckContext,
  ledger: NonceLedger,
  declared: ReadonlyMap<string, LatLon>,
  opts: Omit<VerdictOptions, 'declared'> = {},
): PipelineResult {
  const accepted: RecordFields[] = [];
  const rejected: Rejection[] = [];
  for (const text of batches) {
    let parsed: ReturnType<typeof signedBatchSchema.safeParse>;
    try {
      parsed = signedBatchSchema.safeParse(JSON.parse(text));
    } catch {
      rejected.push({ landmarkId: '?', reason: 'batch is not JSON' });
      continue;
    }
    if (!parsed.success) {
      rejected.push({ landmarkId: '?', reason: `invalid batch: ${parsed.error.issues[0].message}` });
      continue;
    }
    const r = claimNonces(checkBatch(parsed.data, ctx), ledger);
    for (const a of r.accepted) accepted.push(a);
    for (const x of r.rejected) rejected.push(x);
  }
  const bySerial = new Map<string, RecordFields[]>();
  for (const r of accepted) {
    const list = bySerial.get(r.serial);
    if (list) list.push(r);
    else bySerial.set(r.serial, [r]);
  }
  const verdicts = new Map<string, Verdict>();
  for (const [serial, recs] of bySerial) {
    verdicts.set(
      serial,
      judge(observationsFor(serial, recs, ctx.nowMs), {
        withRegion: false,
        ...opts,
        declared: declared.get(serial) ?? null,
      }),
    );
  }
  return { verdicts, rejected, accepted: accepted.length };
}
