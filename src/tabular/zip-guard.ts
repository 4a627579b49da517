// Checks a ZIP (an XLSX) before a reader unpacks it: the entries must follow one another exactly as
// the central directory lists them (so a streaming reader meets no hidden entry), and their inflated
// size, measured by inflating and discarding, must stay under a limit. A few-KB "zip bomb" that
// expands to gigabytes is refused after reading at most `limit` inflated bytes, in constant memory.
// No XML text may run longer than MAX_TEXT_RUN_BYTES without a '<' either: one giant cell under the
// size limit would still cost a reader gigabytes of string building.
import { createInflateRaw } from 'node:zlib';

export class ZipTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(
      `the spreadsheet expands to more than ${Math.round(limitBytes / 1024 / 1024)} MB when unpacked; ` +
        'split the filing into smaller files',
    );
  }
}

/** Longest run of bytes without a '<' in any entry (Excel's cells hold at most 32,767 characters). */
export const MAX_TEXT_RUN_BYTES = 256 * 1024;

export class ZipTextRunError extends Error {
  constructor(readonly entry: string) {
    super(
      `the spreadsheet has a cell or value longer than ${MAX_TEXT_RUN_BYTES / 1024} KB (in ${entry}); ` +
        "a filing's cells hold at most a few hundred characters",
    );
  }
}

export class DamagedZipError extends Error {
  constructor(detail: string) {
    super(`the XLSX file is damaged or not a spreadsheet (${detail})`);
  }
}

interface Entry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  localOffset: number;
}

const EOCD_SIG = 0x06054b50;
const CD_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;
const DESCRIPTOR_SIG = 0x08074b50;

/** Throws ZipTooLargeError past `limitBytes` inflated bytes in all, DamagedZipError for a malformed ZIP. */
export async function checkZipExpansion(zip: Uint8Array, limitBytes: number): Promise<void> {
  const buf = Buffer.from(zip.buffer, zip.byteOffset, zip.length);
  const { entries, cdOffset } = centralDirectory(buf);
  checkTiling(buf, entries, cdOffset);
  let total = 0;
  for (const e of entries) {
    const start = dataStart(buf, e);
    const data = buf.subarray(start, start + e.compressedSize);
    if (e.method === 0) total += data.length;
    else if (e.method === 8) total += await inflatedSize(data, limitBytes - total, e.name);
    else throw new DamagedZipError(`entry ${e.name} uses compression method ${e.method}`);
    if (total > limitBytes) throw new ZipTooLargeError(limitBytes);
  }
}

function centralDirectory(buf: Buffer): { entries: Entry[]; cdOffset: number } {
  const eocd = findEocd(buf);
  const count = buf.readUInt16LE(eocd + 10);
  const cdSize = buf.readUInt32LE(eocd + 12);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new DamagedZipError('ZIP64 is not supported');
  if (cdOffset + cdSize > eocd) throw new DamagedZipError('central directory out of range');
  const entries: Entry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > eocd || buf.readUInt32LE(p) !== CD_SIG) throw new DamagedZipError(`directory entry ${i + 1} is bad`);
    const nameLen = buf.readUInt16LE(p + 28);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      flags: buf.readUInt16LE(p + 8),
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + nameLen + buf.readUInt16LE(p + 30) + buf.readUInt16LE(p + 32);
  }
  return { entries, cdOffset };
}

function findEocd(buf: Buffer): number {
  for (let p = buf.length - 22; p >= Math.max(0, buf.length - 22 - 0xffff); p--) {
    if (buf.readUInt32LE(p) === EOCD_SIG) return p;
  }
  throw new DamagedZipError('no end of central directory');
}

function dataStart(buf: Buffer, e: Entry): number {
  const p = e.localOffset;
  if (p + 30 > buf.length || buf.readUInt32LE(p) !== LOCAL_SIG) throw new DamagedZipError(`no header for ${e.name}`);
  return p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
}

/** Entries must tile the bytes before the central directory, in order, with nothing hidden between them. */
function checkTiling(buf: Buffer, entries: Entry[], cdOffset: number): void {
  let cursor = 0;
  for (const e of [...entries].sort((a, b) => a.localOffset - b.localOffset)) {
    if (e.localOffset !== cursor) throw new DamagedZipError(`unlisted bytes before entry ${e.name}`);
    cursor = dataStart(buf, e) + e.compressedSize;
    if (e.flags & 8) cursor += cursor + 4 <= buf.length && buf.readUInt32LE(cursor) === DESCRIPTOR_SIG ? 16 : 12;
  }
  if (cursor !== cdOffset) throw new DamagedZipError('unlisted bytes before the central directory');
}

/**
 * Inflated size of one deflate stream; stops early, returning a size over `budget`, once it passes it.
 * Also rejects (ZipTextRunError) a run of more than MAX_TEXT_RUN_BYTES without '<'; runs inside one
 * inflated chunk (16 KB) are short anyway, so only the '<'-free bytes at chunk edges are counted.
 */
function inflatedSize(data: Buffer, budget: number, name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
    let size = 0;
    let run = 0; // bytes since the last '<'
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      const first = chunk.indexOf(0x3c);
      if (first < 0) run += chunk.length;
      else if (run + first > MAX_TEXT_RUN_BYTES) run += first;
      else run = chunk.length - 1 - chunk.lastIndexOf(0x3c);
      if (run > MAX_TEXT_RUN_BYTES) {
        inflate.destroy();
        reject(new ZipTextRunError(name));
        return;
      }
      if (size > budget) {
        inflate.destroy();
        resolve(size);
      }
    });
    inflate.on('error', () => reject(new DamagedZipError(`entry ${name} cannot be inflated`)));
    inflate.on('end', () => resolve(size));
    inflate.end(data);
  });
}
