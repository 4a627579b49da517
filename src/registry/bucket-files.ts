// 256 temporary files, each written through its own buffer and read back whole one at a time: where the spools of
// a streamed filing (digest-spool.ts, serial-spool.ts) put what would otherwise grow with the file in memory.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export class BucketFiles {
  private readonly dir: string;
  private readonly fds: number[];
  private readonly buffers: Buffer[];
  private readonly filled = new Array<number>(256).fill(0);

  constructor(prefix: string, bufferBytes: number) {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.fds = Array.from({ length: 256 }, (_, b) => openSync(join(this.dir, String(b)), 'w+', 0o600));
    this.buffers = Array.from({ length: 256 }, () => Buffer.alloc(bufferBytes));
  }

  /** Appends `bytes` (at most the buffer's size) to bucket `b` (0-255). */
  append(b: number, bytes: Uint8Array): void {
    if (this.filled[b] + bytes.length > this.buffers[b].length) this.flush(b);
    this.buffers[b].set(bytes, this.filled[b]);
    this.filled[b] += bytes.length;
  }

  /** Each non-empty bucket's bytes in bucket order, in the order they were appended. */
  *read(): Generator<Buffer> {
    for (let b = 0; b < 256; b++) this.flush(b);
    for (let b = 0; b < 256; b++) {
      const bytes = readFileSync(join(this.dir, String(b)));
      if (bytes.length) yield bytes;
    }
  }

  /** Closes and removes the files. */
  dispose(): void {
    for (const fd of this.fds) closeSync(fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private flush(b: number): void {
    if (this.filled[b]) writeSync(this.fds[b], this.buffers[b], 0, this.filled[b]);
    this.filled[b] = 0;
  }
}
