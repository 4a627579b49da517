// A filing's item digests, kept until its end and then read in byte order (its content hash, leaf.ts): in memory
// up to SPILL_AT digests, beyond that in 256 temporary files by first byte, so a streamed filing of any size holds
// one file's digests at a time (10,000,000 items: 1.25 MB) instead of 32 bytes an item.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sortWithTurns } from '../db/turn.js';

const SIZE = 32;
/** Digests held in memory before spilling (2 MB): an upload's filing rarely spills, a million-row file does. */
export const SPILL_AT = 1 << 16;
/** Digests buffered per bucket between writes (4 KB). */
const BUFFERED = 128;

export class DigestSpool {
  private memory: Buffer = Buffer.alloc(SIZE * 1024);
  private held = 0;
  private spill: { dir: string; fds: number[]; buffers: Buffer[]; filled: number[] } | null = null;

  constructor(private readonly spillAt = SPILL_AT) {}

  add(digest: Uint8Array): void {
    if (!this.spill && this.held === this.spillAt) this.startSpill();
    if (this.spill) {
      this.toBucket(digest);
      return;
    }
    if ((this.held + 1) * SIZE > this.memory.length) {
      const next = Buffer.alloc(Math.min(this.memory.length * 2, this.spillAt * SIZE));
      this.memory.copy(next);
      this.memory = next;
    }
    this.memory.set(digest, this.held++ * SIZE);
  }

  /** The digests in byte order, as buffers of consecutive 32-byte digests (one per bucket once spilled). */
  async *sorted(): AsyncGenerator<Buffer> {
    if (!this.spill) {
      if (this.held) yield await sortDigests(this.memory.subarray(0, this.held * SIZE));
      return;
    }
    const { dir, fds, buffers, filled } = this.spill;
    for (let b = 0; b < 256; b++) {
      if (filled[b]) writeSync(fds[b], buffers[b], 0, filled[b] * SIZE);
      filled[b] = 0;
    }
    for (let b = 0; b < 256; b++) {
      const bytes = readFileSync(join(dir, String(b)));
      if (bytes.length) yield await sortDigests(bytes);
    }
  }

  /** Removes the spilled files (after the hash, or when the filing fails). */
  dispose(): void {
    if (!this.spill) return;
    for (const fd of this.spill.fds) closeSync(fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
  }

  private startSpill(): void {
    const dir = mkdtempSync(join(tmpdir(), 'chipwatch-digests-'));
    this.spill = {
      dir,
      fds: Array.from({ length: 256 }, (_, b) => openSync(join(dir, String(b)), 'w+', 0o600)),
      buffers: Array.from({ length: 256 }, () => Buffer.alloc(BUFFERED * SIZE)),
      filled: new Array<number>(256).fill(0),
    };
    for (let i = 0; i < this.held; i++) this.toBucket(this.memory.subarray(i * SIZE, i * SIZE + SIZE));
    this.memory = Buffer.alloc(0);
    this.held = 0;
  }

  private toBucket(digest: Uint8Array): void {
    const s = this.spill!;
    const b = digest[0];
    s.buffers[b].set(digest, s.filled[b]++ * SIZE);
    if (s.filled[b] === BUFFERED) {
      writeSync(s.fds[b], s.buffers[b]);
      s.filled[b] = 0;
    }
  }
}

/** The digests of `bytes` sorted in byte order: by their first 6 bytes as a number, ties by all their bytes. */
async function sortDigests(bytes: Buffer): Promise<Buffer> {
  const n = bytes.length / SIZE;
  const at = (i: number) => bytes.subarray(i * SIZE, i * SIZE + SIZE);
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = bytes.readUIntBE(i * SIZE, 6);
  const order = await sortWithTurns(
    Array.from({ length: n }, (_, i) => i),
    (a, b) => keys[a] - keys[b] || Buffer.compare(at(a), at(b)),
  );
  const out = Buffer.allocUnsafe(bytes.length);
  for (let k = 0; k < n; k++) bytes.copy(out, k * SIZE, order[k] * SIZE, order[k] * SIZE + SIZE);
  return out;
}
