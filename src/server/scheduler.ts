// The server's own periodic work, so a deployment needs no cron: run the location checks that are due
// (and those a regulator requested through the registry), then satisfy due post-shipment verifications
// of diligence cases from the verdicts. One pass at a time; a failure is logged and the next pass runs.
import type { Db } from '../db/index.js';
import { dueSerials, runChecks, shipmentLocationEvidence, type MeasureFn } from '../verify/index.js';
import { requestMeasurement } from '../verify/client.js';
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

export interface PassReport { checked: number; verdicts: Record<string, number>; alerts: number; casesUpdated: number }

/** One pass; exported for tests and for `POST /verify/run-due`-style manual runs. */
export async function schedulerPass(o: SchedulerOptions): Promise<PassReport> {
  const now = (o.now ?? (() => new Date()))();
  const due = await dueSerials(o.db, now, o.batch ?? 1000);
  const verdicts: Record<string, number> = {};
  let alerts = 0;
  if (due.length) {
    const r = await runChecks(o.db, due, { now, measure: o.measure ?? requestMeasurement });
    for (const x of r.results) verdicts[x.verdict] = (verdicts[x.verdict] ?? 0) + 1;
    alerts = r.alerts;
  }
  const applied = await applyLocationEvidence(o.db, shipmentLocationEvidence(o.db), { organisationId: null, seeAll: true }, 'scheduler', now);
  return { checked: due.length, verdicts, alerts, casesUpdated: applied.length };
}

/** Starts the periodic passes (the first after one interval); returns a stop function that waits for a running pass. */
export function startScheduler(o: SchedulerOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return; // the previous pass is still going: skip, never overlap
    running = schedulerPass(o)
      .then((r) => { if (r.checked || r.casesUpdated) o.log.info(r, 'scheduled checks'); })
      .catch((e: unknown) => o.log.error({ err: e instanceof Error ? e.message : String(e) }, 'scheduled checks failed'))
      .finally(() => { running = null; });
  };
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
