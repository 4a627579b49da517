// How a filing spreadsheet gets in, the same for the CLI and the upload route: a size cap, the kind
// judged by content (ZIP = XLSX, text = CSV, else refused), a zip-bomb guard before exceljs unpacks
// an XLSX, and strict decoding of CSV text. A refusal is a problem of the filing, so nothing is written.
import { open, readFile, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { NotTabularError, SNIFF_BYTES, sniffKind } from '../tabular/kind.js';
import { checkZipExpansion, DamagedZipError, ZipTextRunError, ZipTooLargeError } from '../tabular/zip-guard.js';
import type { TextEncoding } from '../tabular/decode.js';
import { csvRows, readBatches, type ReadResult, type SheetFormat } from './parse.js';
import { readSheet } from './sheet.js';
import type { FiledItem } from './validate.js';
import { ProblemList } from './problems.js';
import { readCsvOnThread } from './read-thread.js';
import { SERIAL_SPILL_AT } from './serial-spool.js';

/** The largest filing file accepted, upload or CLI (a 200,000-row CSV is about 48 MB). */
export const MAX_FILING_BYTES = 64 * 1024 * 1024;
/** The most item rows of a CSV file filed from disk (streamed: its size is not held in memory). */
export const MAX_STREAMED_ROWS = 10_000_000;
/** The most an XLSX may expand to when unpacked (all entries); a 200,000-row sheet is about 170 MB. */
export const MAX_XLSX_UNPACKED_BYTES = 256 * 1024 * 1024;

export interface IntakeOptions {
  /** How CSV bytes are decoded; UTF-8 (with or without BOM) unless the user says latin1. */
  encoding?: TextEncoding;
  /** The kind the user named (CLI --format); it must agree with the content. */
  format?: SheetFormat;
  maxUnpackedBytes?: number;
}

export interface SheetRead extends ReadResult {
  format: SheetFormat;
}

const refused = (reason: string, format: SheetFormat = 'csv'): SheetRead => {
  const problems = new ProblemList();
  problems.add(0, '', reason);
  return { items: [], problems, format };
};

/** Reads a spreadsheet held in memory (an upload). */
export async function readFilingBytes(bytes: Buffer, opts: IntakeOptions = {}): Promise<SheetRead> {
  if (bytes.length > MAX_FILING_BYTES) return refused(tooBig(bytes.length));
  const kind = judgeKind(bytes.subarray(0, SNIFF_BYTES), opts.format);
  if (typeof kind !== 'string') return kind;
  if (kind === 'xlsx') {
    const guard = await guardZip(bytes, opts.maxUnpackedBytes);
    if (guard) return guard;
  }
  return { ...(await readSheet(chunked(bytes), kind, opts.encoding)), format: kind };
}

/** Reads a spreadsheet file (the CLI): CSV is streamed from disk; XLSX is read whole (at most 64 MB) to guard it. */
export async function readFilingFile(path: string, opts: IntakeOptions = {}): Promise<SheetRead> {
  const { size } = await stat(path);
  if (size > MAX_FILING_BYTES) return refused(tooBig(size));
  const kind = judgeKind(await readHead(path), opts.format);
  if (typeof kind !== 'string') return kind;
  if (kind === 'csv') return { ...(await readSheet(createReadStream(path), 'csv', opts.encoding)), format: 'csv' };
  return readFilingBytes(await readFile(path), { ...opts, format: 'xlsx' });
}

/** A filing read as it is filed: its items in batches, its problems as they are found. */
export interface FilingStream {
  format: SheetFormat;
  problems: ProblemList;
  batches: AsyncIterable<readonly FiledItem[]>;
  /** The items' content hash (leaf.ts ContentHasher) when the reader computes it, after the last batch. */
  contentHash?: () => Promise<Buffer>;
}

/**
 * Opens a spreadsheet file for a streamed import (the CLI): a CSV of any size is parsed, validated and
 * handed on in batches (at most MAX_STREAMED_ROWS rows), here or on a worker thread (`onThread`, which also
 * computes the content hash; `tightMemory` when the database shares the process, see read-thread.ts); an XLSX
 * is read whole, within its limits above.
 * The first batch is read here, so a file whose problems start there is refused before a database opens.
 */
export async function openFilingFile(
  path: string,
  opts: IntakeOptions & { onThread?: boolean; tightMemory?: boolean } = {},
): Promise<FilingStream> {
  const head = await readHead(path);
  const kind = judgeKind(head, opts.format);
  if (typeof kind !== 'string') return { format: kind.format, problems: kind.problems, batches: batchesOf() };
  if (kind === 'xlsx') {
    const read = await readFilingFile(path, opts);
    return { format: 'xlsx', problems: read.problems, batches: batchesOf(read.items) };
  }
  // The CLI reads on a worker thread (read-thread.ts): parsing and validating then run beside the writes.
  if (opts.onThread)
    return readCsvOnThread(path, {
      encoding: opts.encoding ?? 'utf8',
      maxRows: MAX_STREAMED_ROWS,
      tightMemory: opts.tightMemory ?? true,
    });
  const problems = new ProblemList();
  const rows = csvRows(createReadStream(path), opts.encoding);
  const it = readBatches(rows, problems, { maxRows: MAX_STREAMED_ROWS, spillSerialsAt: SERIAL_SPILL_AT })[
    Symbol.asyncIterator
  ]();
  const first = await it.next();
  async function* batches(): AsyncGenerator<readonly FiledItem[]> {
    if (first.done) return;
    yield first.value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { format: 'csv', problems, batches: batches() };
}

async function* batchesOf(...batches: FiledItem[][]): AsyncGenerator<readonly FiledItem[]> {
  yield* batches;
}

async function readHead(path: string): Promise<Buffer> {
  const { size } = await stat(path);
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(size, SNIFF_BYTES));
    return buf.subarray(0, (await fh.read(buf, 0, buf.length, 0)).bytesRead);
  } finally {
    await fh.close();
  }
}

function judgeKind(head: Uint8Array, named: SheetFormat | undefined): SheetFormat | SheetRead {
  let kind: SheetFormat;
  try {
    kind = sniffKind(head);
  } catch (e) {
    if (e instanceof NotTabularError) return refused(e.message);
    throw e;
  }
  const actual = kind === 'xlsx' ? 'an XLSX (ZIP)' : 'a text (CSV)';
  if (named && named !== kind) return refused(`the file is ${actual} file, not ${named}`);
  return kind;
}

async function guardZip(bytes: Buffer, limit = MAX_XLSX_UNPACKED_BYTES): Promise<SheetRead | null> {
  try {
    await checkZipExpansion(bytes, limit);
    return null;
  } catch (e) {
    const known = e instanceof ZipTooLargeError || e instanceof DamagedZipError || e instanceof ZipTextRunError;
    if (known) return refused(e.message, 'xlsx');
    throw e;
  }
}

function tooBig(size: number): string {
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  return `the file has ${(size / 1024 / 1024).toFixed(1)} MB, more than ${mb(MAX_FILING_BYTES)} MB; split the filing`;
}

/** The bytes as a stream of 1 MB chunks, so the CSV reader never holds the whole file as one string. */
function chunked(bytes: Buffer, size = 1024 * 1024): Readable {
  return Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    })(),
  );
}
