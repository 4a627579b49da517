// The verifier as the server runs it: ask every active landmark to measure the chips, check the signed
// batches, store accepted records (the nonce ledger is the primary key), judge each chip against its
// declared site, store the verdict, reschedule, and raise alerts.
import type { Db } from '../db/index.js';
import { ValidationError } from '../errors.js';
import { checkBatch, observationsFor, type Rejection } from './check.js';
import { judge, type Verdict } from './verdict.js';
import type { RecordFields } from './payloads.js';
import type { MeasureRequest, MeasureResult } from './wire.js';
import type { LandmarkAddress } from './client.js';
import {
  chipAlerts,
  DEFAULT_POLICY,
  isVerified,
  nextCheckAfter,
  shipmentFailing,
  verifyDeadline,
  type DeclaredLocationSource,
  type FleetPolicy,
} from './fleet.js';
import * as store from './store.js';
import { registryDeclaredLocations } from './declared.js';
import { completeVerificationRequests, openVerificationSerials } from '../registry/index.js';

export type MeasureFn = (addr: LandmarkAddress, req: MeasureRequest) => Promise<MeasureResult>;

export interface RunOptions {
  now: Date;
  measure: MeasureFn;
  declared?: DeclaredLocationSource;
  policy?: FleetPolicy;
  rounds?: number;
  restricted?: readonly string[];
  maxAgeMs?: number;
  requestedBy?: number | null;
}

export interface RunResult {
  results: ({ serial: string; id: number } & Verdict)[];
  rejected: Rejection[];
  landmarkErrors: { landmarkId: string; reason: string }[];
  alerts: number;
}

export const MAX_SERIALS_PER_RUN = 10_000;

/**
 * Serials to check now: enrolled chips whose scheduled check is due, then enrolled chips a regulator
 * asked the registry to verify (open requests), without duplicates.
 */
export async function dueSerials(db: Db, now: Date, limit: number): Promise<string[]> {
  const scheduled = await store.dueSerials(db, now, limit);
  const requested = await openVerificationSerials(db, limit);
  const enrolled = await store.chipsBySerial(
    db,
    requested.filter((s) => !scheduled.includes(s)),
  );
  return [...scheduled, ...requested.filter((s) => enrolled.has(s))].slice(0, limit);
}

export interface DueRunReport {
  checked: number;
  verdicts: Record<string, number>;
  landmarkErrors: RunResult['landmarkErrors'];
  alerts: number;
}

/** Runs the checks that are due (dueSerials) and counts the verdicts: `run-due` and the server's scheduler. */
export async function runDueChecks(db: Db, limit: number, o: RunOptions): Promise<DueRunReport> {
  const due = await dueSerials(db, o.now, limit);
  if (!due.length) return { checked: 0, verdicts: {}, landmarkErrors: [], alerts: 0 };
  const r = await runChecks(db, due, o);
  const verdicts: Record<string, number> = {};
  for (const x of r.results) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
  return { checked: due.length, verdicts, landmarkErrors: r.landmarkErrors, alerts: r.alerts };
}

export async function runChecks(db: Db, serials: readonly string[], o: RunOptions): Promise<RunResult> {
  if (serials.length > MAX_SERIALS_PER_RUN)
    throw new ValidationError(`at most ${MAX_SERIALS_PER_RUN} serials per run`, { field: 'serials' });
  const chips = await store.chipsBySerial(db, serials);
  const missing = serials.filter((s) => !chips.has(s));
  if (missing.length)
    throw new ValidationError(`not enrolled: ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}`, {
      field: 'serials',
    });
  const landmarkRows = (await store.listLandmarks(db)).filter((l) => l.active);
  const trusted = store.trustedFromRows(landmarkRows);
  const req: MeasureRequest = {
    chips: [...chips.values()].map((c) => ({
      serial: c.serial,
      alg: c.alg,
      publicKey: c.key.spki.toString('base64url'),
    })),
    rounds: o.rounds ?? 5,
  };

  const landmarkErrors: RunResult['landmarkErrors'] = [];
  const answers = await Promise.all(
    landmarkRows.map(async (l) => {
      try {
        return await o.measure({ host: l.host, port: l.port }, req);
      } catch (e) {
        landmarkErrors.push({ landmarkId: l.id, reason: (e as Error).message });
        return null;
      }
    }),
  );

  const nowMs = o.now.getTime();
  const ctx = {
    landmarks: trusted,
    chips: new Map([...chips.values()].map((c) => [c.serial, c.key])),
    nowMs,
    maxAgeMs: o.maxAgeMs ?? 900_000,
    maxSkewMs: 5_000,
  };
  const accepted: RecordFields[] = [];
  const rejected: Rejection[] = [];
  for (const a of answers) {
    if (!a?.batch) continue;
    const r = checkBatch(a.batch, ctx);
    rejected.push(...r.rejected);
    const replays = await db.transaction((tx) => store.storeBatch(tx, a.batch!, r.accepted));
    for (const rec of r.accepted) {
      if (replays.has(rec.nonce.toString('base64url')))
        rejected.push({ landmarkId: rec.landmarkId, serial: rec.serial, reason: 'nonce already accepted (replay)' });
      else accepted.push(rec);
    }
  }

  const declared = await (o.declared ?? registryDeclaredLocations(db)).declaredFor(serials);
  const policy = o.policy ?? DEFAULT_POLICY;
  const results: RunResult['results'] = [];
  let alerts = 0;
  const shipments = new Set<string>();
  for (const serial of serials) {
    const chip = chips.get(serial)!;
    const v = judge(observationsFor(serial, accepted, nowMs), {
      declared: declared.get(serial) ?? null,
      restricted: o.restricted,
      withRegion: false,
    });
    const id = await db.transaction(async (tx) => {
      const id = await store.storeResult(
        tx,
        serial,
        v,
        o.now,
        new Date(nextCheckAfter(v.verdict, nowMs, policy)),
        o.requestedBy ?? null,
      );
      for (const a of chipAlerts(chip, v.verdict, nowMs, v.evidence, policy))
        if (await store.raiseAlert(tx, { ...a, shipment: chip.shipment }, o.now)) alerts++;
      await completeVerificationRequests(tx, serial); // a regulator's request through the registry is answered
      return id;
    });
    if (chip.shipment) shipments.add(chip.shipment);
    results.push({ serial, id, ...v });
  }
  for (const s of shipments) alerts += await checkShipment(db, s, nowMs, policy);
  return { results, rejected, landmarkErrors, alerts };
}

async function checkShipment(db: Db, shipment: string, nowMs: number, policy: FleetPolicy): Promise<number> {
  const chips = await store.shipmentChips(db, shipment);
  const verdicts = await store.lastVerdicts(
    db,
    chips.map((c) => c.serial),
  );
  const states = chips.map((c) => {
    const last = verdicts.get(c.serial) ?? null;
    return {
      failing:
        last === 'inconsistent' ||
        (!(last && isVerified(last as Verdict['verdict'])) && nowMs > verifyDeadline(c, policy)),
    };
  });
  if (!shipmentFailing(states, policy)) return 0;
  const failing = states.filter((s) => s.failing).length;
  return (await store.raiseAlert(
    db,
    { kind: 'batch-stopped-verifying', shipment, detail: { failing, chips: chips.length } },
    new Date(nowMs),
  ))
    ? 1
    : 0;
}
