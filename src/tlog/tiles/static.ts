// `chipwatch log tiles --out DIR`: the log as C2SP tlog-tiles static files for any web server or object
// store. Incremental: full tiles already in DIR are immutable and skipped; the partial tiles of the
// published size and, last, the checkpoint are (re)written, each through a temporary file and a rename,
// so a mirror never serves a checkpoint whose tiles are not there yet.
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Queryable } from '../../db/index.js';
import { getEntries } from '../store.js';
import type { PublishedCheckpoint } from '../publish.js';
import { encodeBundle, TILE_WIDTH, tilePath, tilesOfTree, type TileRef } from './paths.js';
import { readTile } from './source.js';

/** Level-0 tiles (and their entry bundles) read per query. */
const LEAF_TILES_PER_READ = 16;

function writeAtomic(file: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, file);
}

export interface StaticTilesReport {
  treeSize: number;
  written: number;
  skipped: number;
  bytes: number;
}

export async function writeStaticTiles(q: Queryable, dir: string, cp: PublishedCheckpoint): Promise<StaticTilesReport> {
  const report: StaticTilesReport = { treeSize: cp.treeSize, written: 0, skipped: 0, bytes: 0 };
  const put = (t: TileRef, bytes: Uint8Array) => {
    writeAtomic(join(dir, tilePath(t)), bytes);
    report.written++;
    report.bytes += bytes.length;
  };
  const todo: TileRef[] = [];
  for (const t of tilesOfTree(cp.treeSize, {
    skipFull: (t) => existsSync(join(dir, tilePath(t))) && ++report.skipped > 0,
  }))
    todo.push(t);
  // Level 0: entries and leaf hashes of several tiles in one read.
  const leafTiles = [...new Set(todo.filter((t) => t.level === 0).map((t) => t.index))];
  for (let k = 0; k < leafTiles.length; ) {
    const run = [leafTiles[k]];
    while (++k < leafTiles.length && leafTiles[k] === run[run.length - 1] + 1 && run.length < LEAF_TILES_PER_READ)
      run.push(leafTiles[k]);
    const start = run[0] * TILE_WIDTH;
    const end = Math.min(cp.treeSize, (run[run.length - 1] + 1) * TILE_WIDTH);
    const rows = await getEntries(q, start, end);
    if (rows.length !== end - start)
      throw new Error(`transparency log storage is missing entries in [${start}, ${end})`);
    for (const t of todo.filter((x) => x.level === 0 && run.includes(x.index))) {
      const part = rows.slice(t.index * TILE_WIDTH - start, t.index * TILE_WIDTH - start + t.width);
      put(
        t,
        t.kind === 'entries' ? encodeBundle(part.map((r) => r.entry)) : Buffer.concat(part.map((r) => r.leafHash)),
      );
    }
  }
  for (const t of todo.filter((x) => x.level > 0)) put(t, await readTile(q, t));
  writeAtomic(join(dir, 'checkpoint'), cp.note);
  return report;
}
