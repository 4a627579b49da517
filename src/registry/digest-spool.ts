// A filing's item digests, kept until its end and then read in byte order (its content hash, leaf.ts): in memory
// up to SPILL_AT digests, beyond that in 256 temporary files by first byte, so a streamed filing of any size holds
// one file's digests at a time (10,000,000 items: 1.25 MB) instead of 32 bytes an item.
import { sortWithTurns } from '../db/turn.js';
import { BucketFiles } from './bucket-files.js';

const SIZE = 32;
/** Digests held in memory before spilling (2 MB): an upload's filing rarely spills, a million-row file does. */
export const SPILL_AT = 1 << 16;
/** Digests buffered per bucket between writes (4 KB). */
const BUFFERED = 128;

export class DigestSpool {
  private memory: Buffer = Buffer.alloc(SIZE * 1024);
  private held = 0;
  private spill: BucketFiles | null = null;

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
    for (const bytes of this.spill.read()) yield await sortDigests(bytes);
  }

  /** Removes the spilled files (after the hash, or when the filing fails). */
  dispose(): void {
    this.spill?.dispose();
    this.spill = null;
  }

  private startSpill(): void {
    this.spill = new BucketFiles('chipwatch-digests-', BUFFERED * SIZE);
    for (let i = 0; i < this.held; i++) this.toBucket(this.memory.subarray(i * SIZE, i * SIZE + SIZE));
    this.memory = Buffer.alloc(0);
    this.held = 0;
  }

  private toBucket(digest: Uint8Array): void {
    this.spill!.append(digest[0], digest);
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
