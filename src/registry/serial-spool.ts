// Which serials a streamed filing named, in memory up to SPILL_AT and beyond that in 256 temporary files by a hash
// of the serial, so a file of any size is checked for a serial named twice in one bucket's memory at a time. Until
// the spill a repeat is found at once; after it, at the end of the file (the filing is then refused whole, before
// it commits, with every repeat named by row as before).
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Serials held in memory before spilling (a few MB). */
export const SERIAL_SPILL_AT = 1 << 16;
const BUFFER = 8192;

export interface Repeat {
  serial: string;
  row: number;
  first: number;
}

export class SerialSpool {
  private memory: Map<string, number> | null = new Map();
  private spill: { dir: string; fds: number[]; buffers: Buffer[]; filled: number[] } | null = null;

  constructor(private readonly spillAt = SERIAL_SPILL_AT) {}

  /** The row that named `serial` first while in memory, else undefined (a later repeat: see repeats()). */
  firstRow(serial: string, row: number): number | undefined {
    if (!this.memory) {
      this.record(serial, row);
      return undefined;
    }
    const first = this.memory.get(serial);
    if (first !== undefined) return first;
    this.memory.set(serial, row);
    if (this.memory.size >= this.spillAt) this.startSpill();
    return undefined;
  }

  /** The repeats among the spilled serials, bucket by bucket (each bucket in row order). */
  *repeats(): Generator<Repeat> {
    if (!this.spill) return;
    const { dir, fds, buffers, filled } = this.spill;
    for (let b = 0; b < 256; b++) if (filled[b]) writeSync(fds[b], buffers[b], 0, filled[b]);
    filled.fill(0);
    for (let b = 0; b < 256; b++) {
      const bytes = readFileSync(join(dir, String(b)));
      const seen = new Map<string, number>();
      for (let at = 0; at < bytes.length; ) {
        const row = bytes.readUInt32BE(at);
        const length = bytes.readUInt16BE(at + 4);
        const serial = bytes.toString('utf8', at + 6, at + 6 + length);
        at += 6 + length;
        const first = seen.get(serial);
        if (first === undefined) seen.set(serial, row);
        else yield { serial, row, first };
      }
    }
  }

  /** Removes the spilled files. */
  dispose(): void {
    if (!this.spill) return;
    for (const fd of this.spill.fds) closeSync(fd);
    rmSync(this.spill.dir, { recursive: true, force: true });
    this.spill = null;
  }

  private startSpill(): void {
    const dir = mkdtempSync(join(tmpdir(), 'chipwatch-serials-'));
    this.spill = {
      dir,
      fds: Array.from({ length: 256 }, (_, b) => openSync(join(dir, String(b)), 'w+', 0o600)),
      buffers: Array.from({ length: 256 }, () => Buffer.alloc(BUFFER)),
      filled: new Array<number>(256).fill(0),
    };
    const held = this.memory!;
    this.memory = null;
    for (const [serial, row] of held) this.record(serial, row);
  }

  private record(serial: string, row: number): void {
    const s = this.spill!;
    const bytes = Buffer.from(serial, 'utf8');
    const b = bucket(bytes);
    const size = 6 + bytes.length;
    if (s.filled[b] + size > BUFFER) {
      writeSync(s.fds[b], s.buffers[b], 0, s.filled[b]);
      s.filled[b] = 0;
    }
    const buf = s.buffers[b];
    buf.writeUInt32BE(row, s.filled[b]);
    buf.writeUInt16BE(bytes.length, s.filled[b] + 4);
    bytes.copy(buf, s.filled[b] + 6);
    s.filled[b] += size;
  }
}

/** FNV-1a of the serial's bytes, folded to a byte. */
function bucket(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 255;
}
