// The server's check of a lists directory: when the files' content differs from the active list version,
// load them as a list update (which re-screens every known party). The database holds the state (the
// active version's content hash), so a restart or a second server does not load the same files again.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from '../../db/index.js';
import { DATA_DIR } from '../../paths.js';
import { UserError } from '../../errors.js';
import { loadListFiles, readListFiles } from '../lists/load.js';
import { nextTurn } from '../../db/turn.js';
import { contentHash, prepareSet } from '../lists/snapshot.js';
import { activeContentHash, updateLists, type UpdateReport } from '../lists/update.js';
import type { PartySource } from './sources.js';

export interface ListsDirCheck {
  db: Db;
  dir: string;
  sources: readonly PartySource[];
  cacheDir?: string;
  now: Date;
  /** The hash of files that failed before: not parsed again until they change. */
  failed?: string;
}

/** The list files of a directory: regular files not starting with a dot, in name order. */
export function listsDirFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f))
    .filter((p) => statSync(p).isFile());
}

export type ListsDirResult =
  | { status: 'empty' }
  | { status: 'unchanged'; sha256: string }
  | { status: 'updated'; sha256: string; report: UpdateReport }
  /** The files do not parse (error names file, row and column) or could not be stored, or failed before. */
  | { status: 'failed'; sha256: string; error: string; again: boolean };

/** One check: nothing when the directory is empty or holds the active lists, else a list update. */
export async function checkListsDir(c: ListsDirCheck): Promise<ListsDirResult> {
  const files = readListFiles(listsDirFiles(c.dir));
  if (!files.length) return { status: 'empty' };
  const sha256 = contentHash(files.map((f) => f.text));
  if ((await activeContentHash(c.db)) === sha256) return { status: 'unchanged', sha256 };
  if (c.failed === sha256) return { status: 'failed', sha256, error: 'unchanged since it failed', again: true };
  // Any failure is remembered by the files' hash: the next checks skip these files (parsing them again would
  // hold the server's thread every interval) until they change or the server restarts.
  const failed = (e: unknown) => ({
    status: 'failed' as const,
    sha256,
    error: e instanceof UserError ? e.toLine() : e instanceof Error ? e.message : String(e),
    again: false,
  });
  let report: UpdateReport;
  try {
    const set = loadListFiles(files);
    await nextTurn(); // parsing and preparing names each hold the server's thread for a second or two
    const prepared = prepareSet(set, sha256);
    await nextTurn();
    report = await updateLists(
      c.db,
      prepared,
      { dataDir: DATA_DIR, cacheDir: c.cacheDir, rescreen: c.sources },
      'scheduler:lists-dir',
      c.now,
    );
  } catch (e) {
    return failed(e);
  }
  return { status: 'updated', sha256, report };
}
