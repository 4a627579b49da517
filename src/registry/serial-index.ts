// Which serials a streamed filing has named so far, and on which row, in ~30 bytes a serial: the serials'
// UTF-8 bytes in one growing buffer and an open-addressing hash table of typed arrays. A Map of a million
// strings costs over 100 MB of heap, a third of the memory a million-row import may use.

const EMPTY = -1;

export class SerialIndex {
  private bytes: Buffer = Buffer.alloc(1 << 20);
  private used = 0;
  private starts = new Uint32Array(1 << 16);
  private lengths = new Uint16Array(1 << 16);
  private rows = new Int32Array(1 << 16);
  private count = 0;
  private slots = new Int32Array(1 << 17).fill(EMPTY);

  /** The row that named `serial` first, or undefined after recording `row` as that row. */
  firstRow(serial: string, row: number): number | undefined {
    const key = Buffer.from(serial, 'utf8');
    const mask = this.slots.length - 1;
    for (let s = hash(key) & mask; ; s = (s + 1) & mask) {
      const at = this.slots[s];
      if (at === EMPTY) {
        this.add(key, row, s);
        return undefined;
      }
      if (
        this.lengths[at] === key.length &&
        key.equals(this.bytes.subarray(this.starts[at], this.starts[at] + key.length))
      )
        return this.rows[at];
    }
  }

  private add(key: Buffer, row: number, slot: number): void {
    if (this.used + key.length > this.bytes.length) this.bytes = grow(this.bytes, this.used + key.length);
    if (this.count === this.rows.length) {
      this.starts = growTyped(this.starts);
      this.lengths = growTyped(this.lengths);
      this.rows = growTyped(this.rows);
    }
    key.copy(this.bytes, this.used);
    this.starts[this.count] = this.used;
    this.lengths[this.count] = key.length;
    this.rows[this.count] = row;
    this.slots[slot] = this.count++;
    this.used += key.length;
    if (this.count * 2 > this.slots.length) this.rehash();
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2).fill(EMPTY);
    const mask = this.slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      let s = hash(this.bytes.subarray(this.starts[i], this.starts[i] + this.lengths[i])) & mask;
      while (this.slots[s] !== EMPTY) s = (s + 1) & mask;
      this.slots[s] = i;
    }
  }
}

/** FNV-1a over the bytes (serials are short; any well-mixed hash will do). */
function hash(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i], 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}

function grow(b: Buffer, need: number): Buffer {
  const next = Buffer.alloc(Math.max(need, b.length * 2));
  b.copy(next);
  return next;
}

function growTyped<T extends Uint32Array | Uint16Array | Int32Array>(a: T): T {
  const next = new (a.constructor as new (n: number) => T)(a.length * 2);
  next.set(a);
  return next;
}
