// Decodes the bytes of a text file (CSV) chunk by chunk, strictly: a byte that is not valid UTF-8 is
// an error naming its offset, never a silent U+FFFD that would be stored for ever. Latin-1 is decoded
// only when the user says so, since no byte sequence can prove a file is Latin-1.
import { isUtf8 } from 'node:buffer';

export type TextEncoding = 'utf8' | 'latin1';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf8', 'latin1'];

/** A byte that is not part of a valid UTF-8 sequence; `offset` counts from the file's first byte. */
export class InvalidUtf8Error extends Error {
  /** `validPrefix`: the text of this chunk before the bad byte, for callers that locate it in their records. */
  constructor(
    readonly offset: number,
    readonly byte: number,
    readonly validPrefix = '',
  ) {
    super(`byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')} at byte offset ${offset} is not UTF-8`);
  }
}

/** Accepts "utf8", "utf-8", "latin1", "latin-1", "iso-8859-1" (any case); undefined for anything else. */
export function parseEncoding(name: string): TextEncoding | undefined {
  const n = name.trim().toLowerCase().replace(/[-_]/g, '');
  if (n === 'utf8') return 'utf8';
  if (n === 'latin1' || n === 'iso88591' || n === 'l1') return 'latin1';
  return undefined;
}

export class StrictTextDecoder {
  private pending = Buffer.alloc(0); // the start of a UTF-8 sequence split across chunks
  private consumed = 0; // bytes before `pending`

  constructor(readonly encoding: TextEncoding = 'utf8') {}

  write(chunk: Uint8Array): string {
    // ISO-8859-1: one byte is one character (U+0000-U+00FF), so chunks decode independently.
    if (this.encoding === 'latin1') return view(chunk).toString('latin1');
    const bytes = this.pending.length ? Buffer.concat([this.pending, chunk]) : view(chunk);
    const cut = completeLength(bytes);
    const whole = bytes.subarray(0, cut);
    if (!isUtf8(whole)) {
      const bad = Math.min(firstInvalid(whole), whole.length - 1);
      throw new InvalidUtf8Error(this.consumed + bad, whole[bad], whole.subarray(0, bad).toString('utf8'));
    }
    this.pending = Buffer.from(bytes.subarray(cut));
    this.consumed += cut;
    return whole.toString('utf8');
  }

  end(): string {
    if (this.encoding === 'latin1') return '';
    if (this.pending.length) throw new InvalidUtf8Error(this.consumed, this.pending[0]);
    return '';
  }
}

const view = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.length);

/** Length of `b` without a trailing, possibly incomplete, multi-byte sequence (at most 3 bytes). */
function completeLength(b: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, b.length); back++) {
    const c = b[b.length - back];
    if (c < 0x80) return b.length; // ASCII: nothing pending
    if (c >= 0xc0) return sequenceLength(c) > back ? b.length - back : b.length; // a lead byte
  }
  return b.length;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xf0) return 4;
  if (lead >= 0xe0) return 3;
  return 2;
}

/** Index of the first byte that starts no valid UTF-8 sequence (RFC 3629: no overlongs, surrogates or > U+10FFFF). */
export function firstInvalid(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) n = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      n = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return b.length;
}
