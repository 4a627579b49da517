// SQL storage of the log (migrations/020_tlog.sql): entries with their leaf hashes, the perfect
// interior nodes, and proofs read from them. Appends run inside the caller's transaction so a filing
// and its leaves commit or roll back together.
import type { Db, Queryable } from '../db/index.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { leafHash, nodeHash, toHex } from './hash.js';
import { frontierIds, nodesCompletedBy, rootFromFrontier, type NodeHash } from './compact.js';
import { mapWithTurns, nextTurn, slicesWithTurns } from '../db/turn.js';
import { consistencyProofRanges, inclusionProofRanges, nodesFor, rangeHash, type NodeId } from './tree.js';
import { isIndex } from './bits.js';
import { copyBinary } from '../db/copy.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const SEPARATOR = 0x1f;
// Bound the size of one statement's parameters; a 100,000-entry filing takes a few statements.
const MAX_CHUNK_BYTES = 2 << 20;
/** Leaves whose tree nodes are computed between two turns of the event loop (about 0.5 hash per leaf). */
const HASH_SLICE = 1024;

/** How an append divides its work (PGlite runs statements on the event loop's thread: it wants less per statement). */
export interface AppendOptions {
  /** Entry bytes per INSERT statement (default 2 MiB). */
  maxChunkBytes?: number;
  /** Tree nodes per INSERT statement (default 100,000). */
  nodesPerStatement?: number;
  /** The entries' leaf hashes (leafHashes), when the caller computed them ahead; else the append hashes. */
  leafHashes?: readonly Uint8Array[];
  /**
   * Takes the append's writes instead of awaiting them (its reads are done by then): the caller awaits them
   * before anything reads the log again, which lets a server write while the caller prepares its next append.
   */
  deferWrites?: (writes: Promise<void>) => void;
}

/** The leaf hashes of entries, with turns of the event loop. */
export function leafHashes(entries: readonly Uint8Array[]): Promise<Uint8Array[]> {
  return mapWithTurns(entries, (e) => leafHash(e));
}

export function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  throw new TypeError('expected a bytea value');
}

interface EncodedChunk {
  start: number;
  end: number;
  /** Entries start..end-1, each preceded by `separator` (so element 1 of the split is a dummy). */
  text: string;
  separator: string;
  decode: 'utf8' | 'base64';
}

/**
 * Parameters travel as text on both backends (PGlite encodes bytea parameters byte by byte, ten times
 * slower). A chunk of entries that are UTF-8 without NUL or U+001F (canonical JSON always is) goes as
 * one U+001F-separated text, decoded in one call; any other chunk as comma-separated base64.
 */
function* encodeChunks(entries: readonly Uint8Array[], maxBytes = MAX_CHUNK_BYTES): Generator<EncodedChunk> {
  const sep = new Uint8Array([SEPARATOR]);
  for (let start = 0; start < entries.length; ) {
    let end = start;
    let bytes = 0;
    while (end < entries.length && (end === start || bytes + entries[end].length <= maxBytes)) {
      bytes += entries[end++].length + 1;
    }
    const part = entries.slice(start, end);
    let text: string | null = null;
    if (part.every((e) => e.indexOf(0) < 0 && e.indexOf(SEPARATOR) < 0)) {
      try {
        // A multi-byte sequence cannot span an ASCII separator, so this validates every entry.
        text = UTF8.decode(Buffer.concat(part.flatMap((e) => [sep, e])));
      } catch {
        text = null; // not UTF-8
      }
    }
    yield text !== null
      ? { start, end, text, separator: '\u001f', decode: 'utf8' }
      : {
          start,
          end,
          text: part.map((e) => ',' + Buffer.from(e.buffer, e.byteOffset, e.byteLength).toString('base64')).join(''),
          separator: ',',
          decode: 'base64',
        };
    start = end;
  }
}

export async function treeSize(q: Queryable): Promise<number> {
  const [row] = await q.query<{ tree_size: number }>('select tree_size from tlog_state');
  return Number(row.tree_size);
}

// Interior nodes are stored only on every STRIDE-th level (4, 8, 12, ...): a sixteenth of the rows
// of storing them all, and any other node is at most 2^(STRIDE-1) stored nodes away.
export const STRIDE = 4;

export function isStoredLevel(level: number): boolean {
  return level % STRIDE === 0;
}

/** The stored nodes (level 0 = leaves) that node `id` is the MTH of. */
function storedBelow(id: NodeId): NodeId[] {
  const base = id.level - (id.level % STRIDE);
  const span = 2 ** (id.level - base);
  return Array.from({ length: span }, (_, k) => ({ level: base, index: id.index * span + k }));
}

/** Stored node hashes by "level/index", and the committed tree size, in one round trip. */
async function readStored(
  q: Queryable,
  ids: readonly NodeId[],
): Promise<{ stored: Map<string, Uint8Array>; size: number }> {
  const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
  const inner = ids.filter((id) => id.level > 0);
  const rows = await q.query<{ level: number; idx: number; hash: string | null }>(
    `select -1 as level, tree_size as idx, null as hash from tlog_state
     union all
     select 0, idx, encode(leaf_hash, 'hex') from tlog_entries where idx = any($1::bigint[])
     union all
     select n.level, n.idx, encode(n.hash, 'hex') from tlog_nodes n
       join unnest($2::int[], $3::bigint[]) as w(level, idx) on n.level = w.level and n.idx = w.idx`,
    [leaves, inner.map((i) => i.level), inner.map((i) => i.index)],
  );
  const stored = new Map<string, Uint8Array>();
  let size = 0;
  for (const r of rows) {
    if (Number(r.level) === -1) size = Number(r.idx);
    else stored.set(`${Number(r.level)}/${Number(r.idx)}`, new Uint8Array(Buffer.from(r.hash!, 'hex')));
  }
  return { stored, size };
}

/**
 * Perfect node hashes by "level/index", hashed up from the stored levels, for a tree of `size`
 * leaves (checked against the committed size in the same round trip).
 */
export async function readNodes(
  q: Queryable,
  ids: readonly NodeId[],
  size?: { value: number; field: string },
): Promise<Map<string, Uint8Array>> {
  const { stored, size: current } = await readStored(q, ids.flatMap(storedBelow));
  if (size) checkSize(size.value, current, size.field);
  const get = lookup(stored);
  const out = new Map<string, Uint8Array>();
  for (const id of ids) {
    let row = storedBelow(id).map((s) => get(s.level, s.index));
    while (row.length > 1) row = Array.from({ length: row.length / 2 }, (_, k) => nodeHash(row[2 * k], row[2 * k + 1]));
    out.set(`${id.level}/${id.index}`, row[0]);
  }
  return out;
}

function lookup(nodes: Map<string, Uint8Array>) {
  return (level: number, index: number): Uint8Array => {
    const h = nodes.get(`${level}/${index}`);
    // A missing node means rows were deleted behind the log's back: not a user error, a broken store.
    if (!h) throw new Error(`transparency log storage is missing node ${level}/${index}`);
    return h;
  };
}

/**
 * Appends entries as the next leaves, inside the caller's transaction. Concurrent appenders queue on
 * the tlog_state row lock until this transaction ends, so indices are dense and never reused.
 */
export async function appendEntries(
  tx: Queryable,
  entries: readonly Uint8Array[],
  opts: AppendOptions = {},
): Promise<{ firstIndex: number; treeSize: number }> {
  // Handed the database itself instead of a transaction, open one: outside a transaction the row lock
  // would end with the first statement and two appenders could interleave.
  const db = tx as Partial<Db>;
  if (typeof db.transaction === 'function') return db.transaction((t) => appendEntries(t, entries, opts));
  if (!Array.isArray(entries) || entries.some((e) => !(e instanceof Uint8Array)))
    throw new ValidationError('log entries must be byte arrays', { field: 'entries' });
  const [state] = await tx.query<{ tree_size: number }>(
    'update tlog_state set tree_size = tree_size + $1 returning tree_size',
    [entries.length],
  );
  const newSize = Number(state.tree_size);
  const firstIndex = newSize - entries.length;
  if (entries.length === 0) return { firstIndex, treeSize: newSize };

  const leaves = opts.leafHashes ?? (await leafHashes(entries));
  if (leaves.length !== entries.length) throw new Error('one leaf hash per entry');
  const fids = frontierIds(firstIndex);
  const front = lookup(await readNodes(tx, fids));
  const oldFrontier = new Map(fids.map((id) => [id.level, front(id.level, id.index)]));
  const nodes = (await completedNodes(firstIndex, leaves, oldFrontier)).filter((n) => isStoredLevel(n.level));
  const writes = writeAppended(tx, firstIndex, entries, leaves, nodes, opts);
  if (opts.deferWrites) opts.deferWrites(writes);
  else await writes;
  return { firstIndex, treeSize: newSize };
}

/** The rows of an append: its entries with their leaf hashes, and the stored nodes it completed. */
async function writeAppended(
  tx: Queryable,
  firstIndex: number,
  entries: readonly Uint8Array[],
  leaves: readonly Uint8Array[],
  nodes: readonly NodeHash[],
  opts: AppendOptions,
): Promise<void> {
  if (tx.copyFrom) {
    // A server takes the entries as bytes by binary COPY: no text to decode on either side.
    const rows = entries.map((e, i) => [{ int8: firstIndex + i }, leaves[i], e]);
    const n = await tx.copyFrom(
      'copy tlog_entries (idx, leaf_hash, entry) from stdin (format binary)',
      copyBinary(rows),
    );
    if (n !== entries.length) throw new Error(`log append wrote ${n} of ${entries.length} entries`);
  } else
    for (const c of encodeChunks(entries, opts.maxChunkBytes)) {
      const entryExpr = c.decode === 'utf8' ? "convert_to(t.x, 'UTF8')" : "decode(t.x, 'base64')";
      const [row] = await tx.query<{ n: number }>(
        `with ins as (
         insert into tlog_entries (idx, leaf_hash, entry)
         select $1::bigint + t.ord - 2, decode(t.h, 'hex'), ${entryExpr}
         from unnest(string_to_array($2::text, $4::text), string_to_array($3::text, ','))
           with ordinality as t(x, h, ord)
         where t.ord > 1
         returning 1)
       select count(*)::int as n from ins`,
        [firstIndex + c.start, c.text, ',' + leaves.slice(c.start, c.end).map(toHex).join(','), c.separator],
      );
      if (Number(row.n) !== c.end - c.start) throw new Error(`log append wrote ${row.n} of ${c.end - c.start} entries`);
      await nextTurn();
    }
  for await (const part of slicesWithTurns(nodes, opts.nodesPerStatement ?? 100_000)) {
    await tx.query(
      `insert into tlog_nodes (level, idx, hash)
       select l, i, decode(h, 'hex')
       from unnest($1::int[], $2::bigint[], string_to_array($3::text, ',')) as t(l, i, h)`,
      [part.map((n) => n.level), part.map((n) => n.index), part.map((n) => toHex(n.hash)).join(',')],
    );
  }
}

/**
 * nodesCompletedBy over slices of HASH_SLICE leaves with a turn between them: each slice starts from
 * the frontier the previous one left (old frontier nodes, the slice's new nodes, its last leaf).
 */
async function completedNodes(
  size: number,
  leaves: readonly Uint8Array[],
  frontier: Map<number, Uint8Array>,
): Promise<NodeHash[]> {
  const out: NodeHash[] = [];
  let front = new Map(frontierIds(size).map((id) => [`${id.level}/${id.index}`, frontier.get(id.level)!]));
  for (let s = 0; s < leaves.length; s += HASH_SLICE) {
    if (s > 0) await nextTurn();
    const part = leaves.slice(s, s + HASH_SLICE);
    const at = size + s;
    const levels = new Map(frontierIds(at).map((id) => [id.level, front.get(`${id.level}/${id.index}`)!]));
    const made = nodesCompletedBy(at, part, (level) => levels.get(level)!);
    for (const n of made) out.push(n);
    const known = new Map(front);
    for (const [k, h] of part.entries()) known.set(`0/${at + k}`, h);
    for (const n of made) known.set(`${n.level}/${n.index}`, n.hash);
    const key = (id: NodeId) => `${id.level}/${id.index}`;
    front = new Map(frontierIds(at + part.length).map((id) => [key(id), known.get(key(id))!]));
  }
  return out;
}

function checkSize(size: number, current: number, field: string): void {
  if (!isIndex(size)) throw new ValidationError(`${field} must be a non-negative integer`, { field });
  if (size > current)
    throw new ValidationError(`${field} ${size} is larger than the log (${current} entries)`, { field });
}

/** MTH of the first `size` leaves, from the stored frontier nodes. */
export async function rootAt(q: Queryable, size: number): Promise<Uint8Array> {
  checkSize(size, Number.MAX_SAFE_INTEGER, 'treeSize');
  const ids = frontierIds(size);
  const get = lookup(await readNodes(q, ids, { value: size, field: 'treeSize' }));
  return rootFromFrontier(ids.map((id) => get(id.level, id.index)));
}

/** RFC 9162 §2.1.3.1 inclusion proof of leaf `index` in the tree of `size` leaves. One query. */
export async function inclusionProof(q: Queryable, index: number, size: number): Promise<Uint8Array[]> {
  checkSize(size, Number.MAX_SAFE_INTEGER, 'treeSize');
  if (!isIndex(index) || index >= size)
    throw new ValidationError(`index must be below the tree size ${size}`, { field: 'index' });
  const ranges = inclusionProofRanges(index, size);
  const get = lookup(await readNodes(q, nodesFor(ranges), { value: size, field: 'treeSize' }));
  return ranges.map((r) => rangeHash(r, get));
}

/** RFC 9162 §2.1.4.1 consistency proof between tree sizes 0 < from <= to. One query. */
export async function consistencyProof(q: Queryable, from: number, to: number): Promise<Uint8Array[]> {
  checkSize(to, Number.MAX_SAFE_INTEGER, 'to');
  if (!isIndex(from) || from < 1 || from > to)
    throw new ValidationError('from must be between 1 and to', { field: 'from' });
  const ranges = consistencyProofRanges(from, to);
  const get = lookup(await readNodes(q, nodesFor(ranges), { value: to, field: 'to' }));
  return ranges.map((r) => rangeHash(r, get));
}

export interface LogEntry {
  index: number;
  leafHash: Uint8Array;
  entry: Uint8Array;
}

/**
 * Entries [start, end) in index order (as stored: an auditor recomputes their hashes). Rows travel as
 * one hex text per page: PGlite parses bytea results byte by byte, ten times slower than this.
 */
export async function getEntries(q: Queryable, start: number, end: number): Promise<LogEntry[]> {
  const [row] = await q.query<{ page: string | null }>(
    `select string_agg(idx::text || ':' || encode(leaf_hash, 'hex') || ':' || encode(entry, 'hex'), ',' order by idx)
       as page
     from tlog_entries where idx >= $1 and idx < $2`,
    [start, end],
  );
  if (!row?.page) return [];
  return row.page.split(',').map((r) => {
    const [idx, h, e] = r.split(':');
    return {
      index: Number(idx),
      leafHash: new Uint8Array(Buffer.from(h, 'hex')),
      entry: new Uint8Array(Buffer.from(e, 'hex')),
    };
  });
}

/** The lowest index whose leaf hash is `hash`. */
export async function indexOfLeaf(q: Queryable, hash: Uint8Array): Promise<number> {
  const rows = await q.query<{ idx: number }>('select min(idx) as idx from tlog_entries where leaf_hash = $1', [
    Buffer.from(hash),
  ]);
  if (rows[0]?.idx === null || rows[0]?.idx === undefined)
    throw new NotFoundError('no log entry has this leaf hash', { field: 'leafHash' });
  return Number(rows[0].idx);
}
