// Rows for COPY ... FROM STDIN (a PostgreSQL server's bulk load, several times cheaper for the server than
// INSERT ... SELECT over unnested parameters): the text format for rows of scalars, built as one string, and
// the binary format for rows that hold bytes (bytea in the text format is hex, twice the bytes to parse).
// Formats: https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9

export type CopyValue = string | number | boolean | null;

/** Characters the text format gives a meaning to; a value without them is written as it is. */
const SPECIAL = /[\\\t\n\r]/;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One field of the text format: \N for NULL, t/f for booleans, special characters escaped. */
export function copyField(v: CopyValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  const s = typeof v === 'number' ? String(v) : v;
  return SPECIAL.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]) : s;
}

/** One line of the text format (fields tab-separated, ending in a newline). */
export function copyLine(values: readonly CopyValue[]): string {
  let line = copyField(values[0]);
  for (let i = 1; i < values.length; i++) line += `\t${copyField(values[i])}`;
  return `${line}\n`;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/** A field of the binary format: a 64-bit integer, or bytes (bytea). */
export type BinaryField = { int8: number } | Uint8Array;

/**
 * Rows in the binary format, each a list of int8 or bytea fields, as one buffer with its header and trailer.
 * (Only the two types the log's tables need; others would each need their own wire encoding.)
 */
export function copyBinary(rows: readonly (readonly BinaryField[])[]): Buffer {
  let size = SIGNATURE.length + 8 + 2;
  for (const row of rows) {
    size += 2;
    for (const f of row) size += 4 + (f instanceof Uint8Array ? f.length : 8);
  }
  const out = Buffer.allocUnsafe(size);
  let at = SIGNATURE.copy(out, 0);
  at = out.writeInt32BE(0, at); // flags: no OIDs
  at = out.writeInt32BE(0, at); // no header extension
  for (const row of rows) {
    at = out.writeInt16BE(row.length, at);
    for (const f of row) {
      if (f instanceof Uint8Array) {
        at = out.writeInt32BE(f.length, at);
        out.set(f, at);
        at += f.length;
      } else {
        at = out.writeInt32BE(8, at);
        at = out.writeBigInt64BE(BigInt(f.int8), at);
      }
    }
  }
  out.writeInt16BE(-1, at); // trailer
  return out;
}
