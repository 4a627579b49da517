// The server's own periodic work, so a deployment needs no cron: run the location checks that are due
// (and those a regulator requested through the registry), then satisfy due post-shipment verifications
// of diligence cases from the verdicts. One pass at a time; a failure is logged and the next pass runs.
import type { Db } from '../db/index.js';
import { runDueChecks, requestMeasurement, type DueRunReport, type MeasureFn } from '../verify/index.js';
import { shipmentLocationEvidence } from './wiring.js';
import { applyLocationEvidence } from '../screening/index.js';

export interface SchedulerLog {
  info(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface SchedulerOptions {
  db: Db;
  intervalMs: number;
  log: SchedulerLog;
  now?: () => Date;
  measure?: MeasureFn;
  /** Chips per pass (the rest wait for the next one). */
  batch?: number;
}

export interface PassReport extends DueRunReport {
  casesUpdated: number;
}

/** One pass: the verifier's due checks (as `POST /verify/run-due`), then the diligence cases. */
export async function schedulerPass(o: SchedulerOptions): Promise<PassReport> {
  const now = (o.now ?? (() => new Date()))();
  const checks = await runDueChecks(o.db, o.batch ?? 1000, { now, measure: o.measure ?? requestMeasurement });
  const applied = await applyLocationEvidence(
    o.db,
    shipmentLocationEvidence(o.db),
    { organisationId: null, seeAll: true },
    'scheduler',
    now,
  );
  return { ...checks, casesUpdated: applied.length };
}

/** Starts the periodic passes (the first after one interval); returns a stop function that waits for a running pass. */
export function startScheduler(o: SchedulerOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return; // the previous pass is still going: skip, never overlap
    running = schedulerPass(o)
      .then((r) => {
        if (r.checked || r.casesUpdated) o.log.info(r, 'scheduled checks');
      })
      .catch((e: unknown) =>
        o.log.error({ err: e instanceof Error ? e.message : String(e) }, 'scheduled checks failed'),
      )
      .finally(() => {
        running = null;
      });
  };
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
