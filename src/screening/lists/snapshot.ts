// The list set a screener runs on, prepared once: entries plus their normalised names. Prepared sets
// are stored gzip-compressed (in the database for `lists update`, in a cache file for the shipped
// snapshot) so start-up skips CSV parsing and normalisation.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { join } from 'node:path';
import type { ListEntry, ListSet } from '../entity.js';
import { prepareNames, type PreparedName } from '../match/index-build.js';
import { DEFAULT_SNAPSHOT, loadListFiles, readListFiles } from './load.js';
import { wordTables } from '../match/word-tables.js';

/**
 * Bump the number when normalisation changes; the word tables' hash is part of it, so stale prepared names are
 * never reused.
 */
export function preparedFormat(): string {
  return `5-${wordTables().fingerprint}`;
}

export interface PreparedSet {
  format: string;
  sources: string[];
  warnings: string[];
  contentSha256: string;
  entries: ListEntry[];
  names: PreparedName[];
}

export function contentHash(texts: readonly string[]): string {
  const h = createHash('sha256');
  for (const t of texts) h.update(createHash('sha256').update(t).digest());
  return h.digest('hex');
}

export function prepareSet(set: ListSet, contentSha256: string): PreparedSet {
  return {
    format: preparedFormat(),
    sources: set.sources,
    warnings: set.warnings,
    contentSha256,
    entries: set.entries,
    names: prepareNames(set.entries),
  };
}

export function packPrepared(p: PreparedSet): Buffer {
  return gzipSync(JSON.stringify(p), { level: 6 });
}

/** Entries keep their format; names prepared by an older normaliser are prepared again. */
export function unpackPrepared(gz: Uint8Array): PreparedSet {
  const p = JSON.parse(gunzipSync(gz).toString('utf8')) as PreparedSet;
  const format = preparedFormat();
  return p.format === format ? p : { ...p, format, names: prepareNames(p.entries) };
}

/**
 * The shipped snapshot, from the cache directory when a prepared copy of exactly these files is there,
 * otherwise parsed and prepared now (and cached when `cacheDir` is writable).
 */
export function loadShippedSnapshot(dataDir: string, cacheDir?: string): PreparedSet {
  const files = readListFiles(DEFAULT_SNAPSHOT.map((f) => join(dataDir, 'screening', f)));
  const sha = contentHash(files.map((f) => f.text));
  const cacheFile = cacheDir ? join(cacheDir, `screening-${sha.slice(0, 16)}-v${preparedFormat()}.json.gz`) : undefined;
  if (cacheFile && existsSync(cacheFile)) {
    try {
      const p = unpackPrepared(readFileSync(cacheFile));
      if (p.contentSha256 === sha) return p;
    } catch {
      // A damaged cache is rebuilt below.
    }
  }
  const prepared = prepareSet(loadListFiles(files), sha);
  if (cacheFile) {
    try {
      mkdirSync(cacheDir!, { recursive: true });
      const tmp = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(tmp, packPrepared(prepared));
      renameSync(tmp, cacheFile); // atomic: a concurrent reader sees the old state or the whole file
    } catch {
      // Read-only install: run without the cache.
    }
  }
  return prepared;
}
