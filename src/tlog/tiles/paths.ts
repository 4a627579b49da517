// C2SP tlog-tiles paths and shapes (https://c2sp.org/tlog-tiles): which tiles a tree of a given size has,
// their `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]` paths, and the strict parse of a request path.
// Pure: the tile contents come from tiles/source.ts.
import { ValidationError } from '../../errors.js';

/** Hashes in a full tile (tile height 8). */
export const TILE_WIDTH = 256;
/** Bytes of a full hash tile. */
export const TILE_BYTES = TILE_WIDTH * 32;

/** One resource of a tiled log: a hash tile at a level (0 = leaf hashes) or an entry bundle. */
export interface TileRef {
  kind: 'hash' | 'entries';
  /** Tile level (0..63); 0 for entry bundles. */
  level: number;
  /** Index of the tile within its level. */
  index: number;
  /** Hashes (or entries) in the tile: 256 for a full tile, 1..255 for a partial one. */
  width: number;
}

/** `1234067` → `x001/x234/067`: zero-padded 3-digit elements, all but the last prefixed with `x`. */
export function encodeTileIndex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`tile index ${n} is not a non-negative integer`);
  let s = String(n % 1000).padStart(3, '0');
  for (n = Math.floor(n / 1000); n > 0; n = Math.floor(n / 1000)) s = `x${String(n % 1000).padStart(3, '0')}/${s}`;
  return s;
}

/** The path of a tile below the log's prefix, e.g. `tile/0/x001/234.p/17` or `tile/entries/000`. */
export function tilePath(t: TileRef): string {
  const where = t.kind === 'entries' ? 'entries' : String(t.level);
  const partial = t.width < TILE_WIDTH ? `.p/${t.width}` : '';
  return `tile/${where}/${encodeTileIndex(t.index)}${partial}`;
}

const PATH = /^tile\/(entries|0|[1-9]\d?)\/((?:x\d{3}\/)*\d{3})(?:\.p\/([1-9]\d{0,2}))?$/;

/** Parses a request path below the prefix (attacker-controlled) strictly; a ValidationError names the path. */
export function parseTilePath(path: string): TileRef {
  const m = PATH.exec(path);
  const bad = () => new ValidationError(`${JSON.stringify(path.slice(0, 100))} is not a tile path`, { field: 'path' });
  if (!m) throw bad();
  const level = m[1] === 'entries' ? 0 : Number(m[1]);
  const width = m[3] === undefined ? TILE_WIDTH : Number(m[3]);
  const parts = m[2].split('/');
  if (level > 63 || width > TILE_WIDTH || (m[3] !== undefined && width === TILE_WIDTH) || parts.length > 6) throw bad();
  const index = parts.reduce((n, p) => n * 1000 + Number(p.replace('x', '')), 0);
  // One spelling per index: no leading x000/ elements.
  if (!Number.isSafeInteger(index) || encodeTileIndex(index) !== m[2]) throw bad();
  return { kind: m[1] === 'entries' ? 'entries' : 'hash', level, index, width };
}

/** Leaves a tile covers: [start, end) of the tree's leaf indices. */
export function tileLeafRange(t: TileRef): { start: number; end: number } {
  const span = TILE_WIDTH ** t.level;
  return { start: t.index * TILE_WIDTH * span, end: (t.index * TILE_WIDTH + t.width) * span };
}

/** True when a tree of `size` leaves contains the tile (every hash in it is a complete subtree). */
export function tileInTree(t: TileRef, size: number): boolean {
  return tileLeafRange(t).end <= size;
}

/**
 * Every hash tile and entry bundle of a tree of `size` leaves: the full ones from index `fromFull` of each
 * level on (incremental writers skip what they already have), and the partial ones of this size.
 */
export function* tilesOfTree(size: number, opts: { skipFull?: (t: TileRef) => boolean } = {}): Generator<TileRef> {
  for (let level = 0; TILE_WIDTH ** level <= size; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    const full = Math.floor(hashes / TILE_WIDTH);
    for (let index = 0; index < full; index++) {
      const tiles: TileRef[] = [{ kind: 'hash', level, index, width: TILE_WIDTH }];
      if (level === 0) tiles.push({ kind: 'entries', level, index, width: TILE_WIDTH });
      for (const t of tiles) if (!opts.skipFull?.(t)) yield t;
    }
    const rest = hashes % TILE_WIDTH;
    if (rest > 0) {
      yield { kind: 'hash', level, index: full, width: rest };
      if (level === 0) yield { kind: 'entries', level, index: full, width: rest };
    }
  }
}

/** Entry bundle bytes: each entry as a big-endian uint16 length, then the entry. */
export function encodeBundle(entries: readonly Uint8Array[]): Uint8Array {
  const out = Buffer.alloc(entries.reduce((n, e) => n + 2 + e.length, 0));
  let at = 0;
  for (const e of entries) {
    if (e.length > 0xffff) throw new RangeError(`a log entry of ${e.length} bytes does not fit an entry bundle`);
    out.writeUInt16BE(e.length, at);
    out.set(e, at + 2);
    at += 2 + e.length;
  }
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Splits an entry bundle (untrusted) into its entries; a truncated bundle is an error. */
export function decodeBundle(bundle: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let at = 0; at < bundle.length; ) {
    if (at + 2 > bundle.length) throw new ValidationError('entry bundle ends inside a length prefix');
    const n = (bundle[at] << 8) | bundle[at + 1];
    if (at + 2 + n > bundle.length) throw new ValidationError('entry bundle ends inside an entry');
    out.push(bundle.subarray(at + 2, at + 2 + n));
    at += 2 + n;
  }
  return out;
}
