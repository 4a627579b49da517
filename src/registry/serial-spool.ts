// Which serials a streamed filing named, in memory up to SPILL_AT and beyond that in 256 temporary files by a hash
// of the serial, so a file of any size is checked for a serial named twice in one bucket's memory at a time. Until
// the spill a repeat is found at once; after it, at the end of the file (the filing is then refused whole, before
// it commits, with every repeat named by row as before).
import { BucketFiles } from './bucket-files.js';

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
  private spill: BucketFiles | null = null;
  /** A record's header: its row and the serial's length in bytes. */
  private readonly header = Buffer.alloc(6);

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
    for (const bytes of this.spill.read()) {
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
    this.spill?.dispose();
    this.spill = null;
  }

  private startSpill(): void {
    this.spill = new BucketFiles('chipwatch-serials-', BUFFER);
    const held = this.memory!;
    this.memory = null;
    for (const [serial, row] of held) this.record(serial, row);
  }

  /** Appends the record (row, length, serial bytes) to the serial's bucket, in the order rows are read. */
  private record(serial: string, row: number): void {
    const bytes = Buffer.from(serial, 'utf8');
    const b = bucket(bytes);
    this.header.writeUInt32BE(row, 0);
    this.header.writeUInt16BE(bytes.length, 4);
    this.spill!.append(b, this.header);
    this.spill!.append(b, bytes);
  }
}

/** FNV-1a of the serial's bytes, folded to a byte. */
function bucket(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & 255;
}
