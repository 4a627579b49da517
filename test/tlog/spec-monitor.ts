// A tlog monitor written from the C2SP specs alone (tlog-tiles, tlog-checkpoint, signed-note, RFC 6962),
// with node:crypto and nothing from src/: it fetches a log's checkpoint, tiles and entry bundles through
// a `get` function (static files or HTTP), checks the checkpoint signature, recomputes every tile from
// the entries and the root hash from them, and checks that an older checkpoint is a prefix of the tree.
import { createHash, createPublicKey, verify } from 'node:crypto';

export type Get = (path: string) => Promise<Uint8Array | null>;

const sha256 = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const leafHash = (e: Uint8Array) => sha256(new Uint8Array([0]), e);
const nodeHash = (l: Uint8Array, r: Uint8Array) => sha256(new Uint8Array([1]), l, r);
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

export interface Checkpoint {
  origin: string;
  size: number;
  root: Uint8Array;
}

/** signed-note + tlog-checkpoint: the body's three lines, and an Ed25519 (type 0x01) signature by vkey. */
export function openCheckpoint(note: string, vkey: string): Checkpoint {
  const [name, idHex, ...rest] = vkey.split('+');
  const key = Buffer.from(rest.join('+'), 'base64');
  if (key[0] !== 1 || key.length !== 33) throw new Error('monitor: not an Ed25519 vkey');
  const id = sha256(Buffer.from(`${name}\n`), key).subarray(0, 4);
  if (Buffer.from(id).toString('hex') !== idHex) throw new Error('monitor: vkey id mismatch');
  const split = note.lastIndexOf('\n\n');
  const body = note.slice(0, split + 1);
  const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), key.subarray(1)]);
  const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
  const signed = note
    .slice(split + 2)
    .split('\n')
    .filter((l) => l.startsWith(`\u2014 ${name} `))
    .map((l) => Buffer.from(l.split(' ')[2], 'base64'))
    .some((s) => eq(s.subarray(0, 4), id) && verify(null, Buffer.from(body), pub, s.subarray(4)));
  if (!signed) throw new Error('monitor: the checkpoint signature does not verify');
  const [origin, size, root] = body.split('\n');
  if (origin !== name) throw new Error('monitor: origin is not the key name');
  return { origin, size: Number(size), root: new Uint8Array(Buffer.from(root, 'base64')) };
}

/** tlog-tiles index path: 1234067 → x001/x234/067. */
export function tileIndex(n: number): string {
  const parts: string[] = [];
  do {
    parts.unshift(String(n % 1000).padStart(3, '0'));
    n = Math.floor(n / 1000);
  } while (n > 0);
  return parts.map((p, i) => (i < parts.length - 1 ? `x${p}` : p)).join('/');
}

/** RFC 6962 §2.1 MTH of leaf hashes [a, b). */
function mth(leaves: Uint8Array[], a: number, b: number): Uint8Array {
  if (b - a === 0) return sha256();
  if (b - a === 1) return leaves[a];
  let k = 1;
  while (k * 2 < b - a) k *= 2;
  return nodeHash(mth(leaves, a, a + k), mth(leaves, a + k, b));
}

export interface MonitorReport {
  checkpoint: Checkpoint;
  entries: Uint8Array[];
  tilesChecked: number;
}

/** Verifies the whole log; throws an Error naming the first tile, entry or root that does not match. */
export async function monitorLog(get: Get, vkey: string, older: readonly string[] = []): Promise<MonitorReport> {
  const cpBytes = await get('checkpoint');
  if (!cpBytes) throw new Error('monitor: no checkpoint');
  const cp = openCheckpoint(Buffer.from(cpBytes).toString('utf8'), vkey);
  const fetchTile = async (path: string) => {
    const b = await get(path);
    if (!b) throw new Error(`monitor: ${path} is missing`);
    return b;
  };
  const suffix = (w: number) => (w < 256 ? `.p/${w}` : '');
  // Entries and leaf hashes, bundle by bundle.
  const entries: Uint8Array[] = [];
  const leaves: Uint8Array[] = [];
  let tilesChecked = 0;
  for (let n = 0; n * 256 < cp.size; n++) {
    const w = Math.min(256, cp.size - n * 256);
    const bundle = await fetchTile(`tile/entries/${tileIndex(n)}${suffix(w)}`);
    const got: Uint8Array[] = [];
    for (let at = 0; at < bundle.length; ) {
      const len = (bundle[at] << 8) | bundle[at + 1];
      got.push(bundle.subarray(at + 2, at + 2 + len));
      at += 2 + len;
    }
    if (got.length !== w) throw new Error(`monitor: entry bundle ${n} has ${got.length} entries, not ${w}`);
    entries.push(...got);
    leaves.push(...got.map(leafHash));
  }
  // Every level: level 0 from the leaves; level L from the full tiles' roots at level L-1.
  let hashes = leaves;
  for (let level = 0; hashes.length > 0; level++) {
    const next: Uint8Array[] = [];
    for (let n = 0; n * 256 < hashes.length; n++) {
      const row = hashes.slice(n * 256, n * 256 + 256);
      const tile = await fetchTile(`tile/${level}/${tileIndex(n)}${suffix(row.length)}`);
      if (tile.length !== row.length * 32) throw new Error(`monitor: tile ${level}/${n} has the wrong length`);
      row.forEach((h, i) => {
        if (!eq(tile.subarray(32 * i, 32 * i + 32), h))
          throw new Error(`monitor: tile ${level}/${n} hash ${i} does not match the entries`);
      });
      tilesChecked++;
      if (row.length === 256) next.push(mth(row, 0, 256));
    }
    hashes = next;
  }
  if (!eq(mth(leaves, 0, leaves.length), cp.root))
    throw new Error("monitor: the entries do not hash to the checkpoint's root");
  for (const note of older) {
    const o = openCheckpoint(note, vkey);
    if (o.size > cp.size || !eq(mth(leaves, 0, o.size), o.root))
      throw new Error(`monitor: the checkpoint of size ${o.size} is not a prefix of the current tree (fork)`);
  }
  return { checkpoint: cp, entries, tilesChecked };
}
