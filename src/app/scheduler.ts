// The server's own periodic work, so a deployment needs no cron: run the location checks that are due
// (and those a regulator requested through the registry), then satisfy due post-shipment verifications
// of diligence cases from the verdicts. One pass at a time; a failure is logged and the next pass runs.
import { statSync } from 'node:fs';
import type { Db } from '../db/index.js';
import { ValidationError } from '../errors.js';
import { runDueChecks, requestMeasurement, type DueRunReport, type MeasureFn } from '../verify/index.js';
import { shipmentLocationEvidence } from './wiring.js';
import { applyLocationEvidence } from '../screening/index.js';
import { checkListsDir, type ListsDirResult } from '../screening/index.js';
import { knownPartySources } from './wiring.js';
import { publishCommitments } from '../tips/index.js';
import { createCheckpoint, type SignerSource } from '../tlog/index.js';

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
  return repeat({ ...o, immediately: false, failed: 'scheduled checks failed' }, async () => {
    const r = await schedulerPass(o);
    if (r.checked || r.casesUpdated) o.log.info(r, 'scheduled checks');
  });
}

/**
 * Runs `pass` every interval (and once at start when `immediately`), never two at a time: a tick that finds the
 * previous pass still going is skipped. A failure is logged as `failed` and the next pass runs. The returned stop
 * function waits for a running pass.
 */
function repeat(
  o: { intervalMs: number; log: SchedulerLog; immediately: boolean; failed: string },
  pass: () => Promise<void>,
): () => Promise<void> {
  let running: Promise<void> | null = null;
  const tick = () => {
    if (running) return;
    running = pass()
      .catch((e: unknown) => o.log.error({ err: e instanceof Error ? e.message : String(e) }, o.failed))
      .finally(() => {
        running = null;
      });
  };
  if (o.immediately) tick();
  const timer = setInterval(tick, o.intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** CHIPWATCH_LISTS_DIR must name a directory: checked before the server starts, so a typo stops it at once. */
export function assertListsDir(dir: string): void {
  let ok = false;
  try {
    ok = statSync(dir).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ValidationError(`${JSON.stringify(dir)} is not a directory`, {
      field: 'CHIPWATCH_LISTS_DIR',
    });
}

export interface ListsWatchOptions {
  db: Db;
  /** The lists directory (CHIPWATCH_LISTS_DIR). */
  dir: string;
  intervalMs: number;
  log: SchedulerLog;
  cacheDir?: string;
  now?: () => Date;
}

/**
 * Looks at the lists directory every interval (the first right away) and, when its files changed, loads them
 * as a list update that re-screens every known party. Files that fail are logged once, retried when they change.
 */
export function startListsWatch(o: ListsWatchOptions): () => Promise<void> {
  let failed: string | undefined;
  return repeat({ ...o, immediately: true, failed: 'lists directory check failed' }, async () => {
    const now = (o.now ?? (() => new Date()))();
    const r: ListsDirResult = await checkListsDir({
      db: o.db,
      dir: o.dir,
      sources: knownPartySources(),
      cacheDir: o.cacheDir,
      now,
      failed,
    });
    if (r.status === 'updated') {
      failed = undefined;
      const c = r.report.changes;
      const changes = { added: c.addedCount, removed: c.removedCount, changed: c.changedCount };
      o.log.info({ version: r.report.versionId, changes, rescreen: r.report.rescreen }, 'lists updated');
    } else if (r.status === 'failed' && !r.again) {
      failed = r.sha256;
      o.log.error({ err: r.error }, 'lists directory not loaded');
    }
  });
}

export interface TipsPublishOptions {
  db: Db;
  /** The transparency log's signer (the server's own, from its data dir or CHIPWATCH_LOG_KEK). */
  signer: SignerSource;
  intervalMs: number;
  log: SchedulerLog;
  now?: () => Date;
}

/**
 * One pass of `tips publish`: the unpublished commitments of every finished day (through yesterday, UTC),
 * shuffled into the transparency log, and a signed checkpoint when any were added.
 */
export async function tipsPublishPass(o: TipsPublishOptions): Promise<{ through: string; published: number }> {
  const now = (o.now ?? (() => new Date()))();
  const today = now.toISOString().slice(0, 10);
  const through = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10);
  const [waiting] = await o.db.query(
    'select 1 from tip_commitments where log_index is null and committed_on <= $1 limit 1',
    [through],
  );
  if (!waiting) return { through, published: 0 };
  const signer = await o.signer(); // first: without the signing key, nothing is published
  const r = await publishCommitments(o.db, through, today);
  if (r.published > 0) await createCheckpoint(o.db, signer, now);
  return { through, published: r.published };
}

/** Publishes finished days' tip commitments right away and then every interval (hourly: soon after midnight). */
export function startTipsPublish(o: TipsPublishOptions): () => Promise<void> {
  return repeat({ ...o, immediately: true, failed: 'publishing tip commitments failed' }, async () => {
    const r = await tipsPublishPass(o);
    // Counts only: a tip's day is already public once published; nothing else is logged.
    if (r.published > 0) o.log.info(r, 'tip commitments published');
  });
}
