// `lists update`: parse and validate a newer copy in full, compare it with the active version (or
// the shipped snapshot), and append it as the new active version. Nothing is stored if any file fails.
import type { Db } from '../../db/index.js';
import { diffLists, summariseChanges } from './diff.js';
import { loadListFiles, type ListFile } from './load.js';
import { contentHash, loadShippedSnapshot, prepareSet, type PreparedSet } from './snapshot.js';
import { latestListVersionId, loadListVersion, saveListVersion } from './store.js';

export interface UpdateReport {
  versionId: number;
  entries: number;
  sources: string[];
  warnings: string[];
  comparedWith: string;
  changes: ReturnType<typeof summariseChanges> & { addedCount: number; removedCount: number; changedCount: number };
}

/** Parses and validates every file (throws on the first bad row) before anything is stored. */
export function prepareUpdate(files: readonly ListFile[]): PreparedSet {
  return prepareSet(loadListFiles(files), contentHash(files.map((f) => f.text)));
}

export async function updateLists(
  db: Db,
  input: readonly ListFile[] | PreparedSet,
  opts: { dataDir: string; cacheDir?: string },
  actor: string,
  now: Date,
): Promise<UpdateReport> {
  const prepared: PreparedSet = isPrepared(input) ? input : prepareUpdate(input);
  const set = prepared;
  const latest = await latestListVersionId(db);
  const previous =
    (latest !== null ? await loadListVersion(db, latest) : null) ?? loadShippedSnapshot(opts.dataDir, opts.cacheDir);
  const full = diffLists(previous.entries, set.entries);
  const summary = summariseChanges(full);
  const changes = {
    ...summary,
    addedCount: full.added.length,
    removedCount: full.removed.length,
    changedCount: full.changed.length,
  };
  const versionId = await saveListVersion(db, prepared, changes, actor, now);
  return {
    versionId,
    entries: set.entries.length,
    sources: set.sources,
    warnings: set.warnings,
    comparedWith: latest !== null ? `version ${latest}` : 'the shipped snapshot',
    changes,
  };
}

function isPrepared(x: readonly ListFile[] | PreparedSet): x is PreparedSet {
  return !Array.isArray(x);
}
