// `lists update`: parse and validate a newer copy in full, compare it with the active version (or
// the shipped snapshot), re-screen every known party against it (when sources are given), and append it
// as the new active version with the alerts it raised, in one transaction. Nothing is stored if any file
// fails.
import type { Db } from '../../db/index.js';
import { ConflictError } from '../../errors.js';
import { nextTurn } from '../../db/turn.js';
import { buildIndex } from '../match/index-build.js';
import { DEFAULT_CONFIG, Screener, type ScreenConfig } from '../match/screen.js';
import { changeIndex } from '../rescreen/core.js';
import { rescreenParties } from '../rescreen/run.js';
import type { PartySource } from '../rescreen/sources.js';
import { saveRescreen } from '../rescreen/store.js';
import { holdCasesWithNewHits } from '../rescreen/hold.js';
import { diffLists, summariseChanges } from './diff.js';
import { loadListFiles, type ListFile } from './load.js';
import { contentHash, loadShippedSnapshot, prepareSet, type PreparedSet } from './snapshot.js';
import { latestListVersionId, loadListVersion, saveListVersion } from './store.js';

export interface RescreenSummary {
  /** Parties screened, per source ('registry', 'case'). */
  bySource: Record<string, number>;
  parties: number;
  /** Seen for the first time: their hits are stored, no alerts raised. */
  baseline: number;
  skipped: number;
  alerts: number;
  /** Alerts per change kind (entry added, alias added, entry removed, ...). */
  alertsByChange: Record<string, number>;
  /** Diligence cases not yet shipped that a new hit put on hold (ids). */
  casesHeld: number[];
  seconds: number;
  /** CPU time of the re-screening (this thread), beside its wall time. */
  cpuSeconds: number;
}

export interface UpdateReport {
  versionId: number;
  entries: number;
  sources: string[];
  warnings: string[];
  comparedWith: string;
  changes: ReturnType<typeof summariseChanges> & { addedCount: number; removedCount: number; changedCount: number };
  /** Present when known parties were re-screened. */
  rescreen?: RescreenSummary;
}

export interface UpdateOptions {
  dataDir: string;
  cacheDir?: string;
  /** Re-screen the parties of these sources and raise alerts for what the update changed for them. */
  rescreen?: readonly PartySource[];
  /** The matcher's configuration for re-screening (default: the screener's). */
  config?: ScreenConfig;
}

/** Parses and validates every file (throws on the first bad row) before anything is stored. */
export function prepareUpdate(files: readonly ListFile[]): PreparedSet {
  return prepareSet(loadListFiles(files), contentHash(files.map((f) => f.text)));
}

const UPDATE_LOCK = 0x63777275; // serialises list updates across processes ("cwru")

/** The content hash of the active list version, or null when none was loaded. */
export async function activeContentHash(db: Db): Promise<string | null> {
  const rows = await db.query<{ content_sha256: string }>(
    'select content_sha256 from screening_list_versions order by id desc limit 1',
  );
  return rows[0]?.content_sha256 ?? null;
}

export async function updateLists(
  db: Db,
  input: readonly ListFile[] | PreparedSet,
  opts: UpdateOptions,
  actor: string,
  now: Date,
): Promise<UpdateReport> {
  const prepared: PreparedSet = isPrepared(input) ? input : prepareUpdate(input);
  const set = prepared;
  const { latest, full } = await diffWithActive(db, set, opts);
  const summary = summariseChanges(full);
  const changes = {
    ...summary,
    addedCount: full.added.length,
    removedCount: full.removed.length,
    changedCount: full.changed.length,
  };
  let screener: Screener | undefined;
  // Hits beyond the usual ten are kept, so a new entry never pushes an old hit out of the comparison.
  const config = opts.config ?? DEFAULT_CONFIG;
  const build = () =>
    (screener ??= new Screener(buildIndex(set.entries, set.names), {
      ...config,
      maxMatches: Math.max(config.maxMatches, 50),
    }));
  const outcome = opts.rescreen ? await rescreenParties(db, build, changeIndex(full), opts.rescreen) : undefined;
  let casesHeld: number[] = [];
  const versionId = await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [UPDATE_LOCK]);
    const current = await latestListVersionId(tx);
    if (current !== latest)
      throw new ConflictError(
        `another list update (version ${current}) was stored while this one ran: run this update again`,
      );
    const id = await saveListVersion(tx, prepared, changes, actor, now);
    if (outcome) {
      await saveRescreen(tx, id, now, outcome.states, outcome.alerts);
      casesHeld = await holdCasesWithNewHits(tx, outcome.alerts, id, now, outcome.ownershipHolds);
    }
    return id;
  });
  return {
    versionId,
    entries: set.entries.length,
    sources: set.sources,
    warnings: set.warnings,
    comparedWith: latest !== null ? `version ${latest}` : 'the shipped snapshot',
    changes,
    ...(outcome ? { rescreen: { ...summariseRescreen(outcome), casesHeld } } : {}),
  };
}

/** The active version (or the shipped snapshot) compared with `set`; the older set is dropped on return. */
async function diffWithActive(db: Db, set: PreparedSet, opts: UpdateOptions) {
  const latest = await latestListVersionId(db);
  const previous =
    (latest !== null ? await loadListVersion(db, latest) : null) ?? loadShippedSnapshot(opts.dataDir, opts.cacheDir);
  await nextTurn(); // a server's other requests between unpacking the older set and comparing
  return { latest, full: diffLists(previous.entries, set.entries) };
}

function summariseRescreen(o: Awaited<ReturnType<typeof rescreenParties>>): Omit<RescreenSummary, 'casesHeld'> {
  const alertsByChange: Record<string, number> = {};
  for (const a of o.alerts) alertsByChange[a.changeKind] = (alertsByChange[a.changeKind] ?? 0) + 1;
  return {
    bySource: o.bySource,
    parties: o.parties,
    baseline: o.baseline,
    skipped: o.skipped,
    alerts: o.alerts.length,
    alertsByChange,
    seconds: Math.round(o.seconds * 100) / 100,
    cpuSeconds: Math.round(o.cpuSeconds * 100) / 100,
  };
}

function isPrepared(x: readonly ListFile[] | PreparedSet): x is PreparedSet {
  return !Array.isArray(x);
}
