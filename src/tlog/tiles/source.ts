// Tile contents read from the stored log: a level-L hash tile is a row of the perfect nodes of tree level
// 8·L (stored: levels that are multiples of 4 are kept, level 0 is the leaf hashes), an entry bundle the
// entries as stored. Both are read in one query, as hex text (PGlite moves text much faster than bytea).
import type { Queryable } from '../../db/index.js';
import { encodeBundle, TILE_WIDTH, type TileRef } from './paths.js';
import { getEntries } from '../store.js';

/** The bytes of a tile (hash tile or entry bundle) of the stored log; the caller checks it is in the tree. */
export async function readTile(q: Queryable, t: TileRef): Promise<Uint8Array> {
  const first = t.index * TILE_WIDTH;
  if (t.kind === 'entries') {
    const rows = await getEntries(q, first, first + t.width);
    if (rows.length !== t.width) throw new Error(`transparency log storage is missing entries of bundle ${t.index}`);
    return encodeBundle(rows.map((r) => r.entry));
  }
  const sql =
    t.level === 0
      ? `select string_agg(encode(leaf_hash, 'hex'), '' order by idx) as h, count(*)::int as n
           from tlog_entries where idx >= $1 and idx < $2`
      : `select string_agg(encode(hash, 'hex'), '' order by idx) as h, count(*)::int as n
           from tlog_nodes where level = $3 and idx >= $1 and idx < $2`;
  const params = t.level === 0 ? [first, first + t.width] : [first, first + t.width, 8 * t.level];
  const [row] = await q.query<{ h: string | null; n: number }>(sql, params);
  if (Number(row.n) !== t.width)
    throw new Error(`transparency log storage is missing hashes of tile ${t.level}/${t.index}`);
  return new Uint8Array(Buffer.from(row.h ?? '', 'hex'));
}
