// Reads a filing spreadsheet (CSV or XLSX, streamed) into validated items. The file is attacker-
// controlled: rows are capped, cells are validated one by one and every problem is collected.
import type { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { InvalidUtf8Error, StrictTextDecoder, type TextEncoding } from '../tabular/decode.js';
import { TEMPLATE_COLUMNS, type FilingColumn } from './template.js';
import { CsvReader, CsvSyntaxError } from './csv.js';
import { ProblemList } from './problems.js';
import { checkHeader, validateRow, type FiledItem, type RawCell } from './validate.js';
import { CrossRowChecks } from './cross-row.js';
import { BATCH_ITEMS } from './batch.js';

export type SheetFormat = 'csv' | 'xlsx';
export const MAX_ROWS = 200_000;

export interface SheetRow {
  row: number;
  cells: RawCell[];
}

/** A byte that is not valid in the file's encoding, located as a spreadsheet user would look for it. */
export class CellEncodingError extends Error {
  constructor(
    readonly row: number,
    readonly column: string,
    cause: InvalidUtf8Error,
  ) {
    const hint = 'save the file as UTF-8, or say it is Latin-1 (--encoding latin1; upload: ?encoding=latin1)';
    super(`${cause.message}: ${hint}`);
  }
}

export async function* csvRows(input: Readable, encoding: TextEncoding = 'utf8'): AsyncGenerator<SheetRow> {
  const reader = new CsvReader();
  const decoder = new StrictTextDecoder(encoding);
  let header: string[] | undefined;
  let row = 0;
  const push = function* (text: string): Generator<SheetRow> {
    for (const rec of reader.push(text)) {
      header ??= rec;
      yield { row: ++row, cells: rec };
    }
  };
  try {
    for await (const chunk of input) yield* push(typeof chunk === 'string' ? chunk : decoder.write(chunk));
    yield* push(decoder.end());
  } catch (e) {
    if (!(e instanceof InvalidUtf8Error)) throw e;
    // Parse up to the bad byte, so the row and column it sits in are known.
    for (const _ of push(e.validPrefix)) {
      /* rows before the bad byte were already checked */
    }
    const field = reader.pendingField();
    throw new CellEncodingError(row + 1, header?.[field]?.trim() || `column ${field + 1}`, e);
  }
  for (const rec of reader.end()) yield { row: ++row, cells: rec };
}

/**
 * How long the XLSX reader may go without producing a row once the whole file has been read. exceljs's
 * streaming reader does not pass on errors from a damaged zip entry and then waits for ever (a single
 * flipped byte does it); a stall after the input ended is such a failure.
 */
export const XLSX_STALL_MS = 15_000;

export function xlsxRows(input: Readable, stallMs = XLSX_STALL_MS): AsyncGenerator<SheetRow> {
  return stallGuard(readXlsx(input), input, stallMs);
}

async function* stallGuard<T>(source: AsyncGenerator<T>, input: Readable, stallMs: number): AsyncGenerator<T> {
  let inputDone = false;
  const done = () => {
    inputDone = true;
  };
  input.once('end', done).once('close', done).once('error', done);
  try {
    for (;;) {
      let timer: NodeJS.Timeout | undefined;
      let waited = 0;
      const stalled = new Promise<never>((_, reject) => {
        // Count only the time after the input ended: before that, the reader may be waiting for bytes.
        timer = setInterval(() => {
          if (!inputDone) return;
          waited += 250;
          if (waited >= stallMs) reject(new Error('the XLSX file is damaged (a zip entry cannot be read)'));
        }, 250);
      });
      try {
        const r = await Promise.race([source.next(), stalled]);
        if (r.done) return;
        yield r.value;
      } finally {
        clearInterval(timer);
      }
    }
  } catch (e) {
    input.destroy();
    throw e;
  }
}

async function* readXlsx(input: Readable): AsyncGenerator<SheetRow> {
  // styles: 'cache' so date-formatted cells arrive as Dates, not as Excel serial numbers.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'emit',
  });
  for await (const sheet of reader) {
    // Only the first worksheet holds items; the template's second one is instructions.
    for await (const r of sheet as AsyncIterable<ExcelJS.Row>) {
      const values = Array.isArray(r.values) ? r.values.slice(1) : [];
      yield { row: r.number, cells: values.map(xlsxCell) };
    }
    break;
  }
}

function xlsxCell(v: ExcelJS.CellValue | undefined): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object') {
    if ('richText' in v && Array.isArray(v.richText)) return v.richText.map((t) => t.text).join('');
    if ('result' in v) return xlsxCell(v.result as ExcelJS.CellValue);
    if ('text' in v && typeof v.text === 'string') return v.text;
    if ('error' in v) return `#${String(v.error)}`;
  }
  return String(v);
}

export interface ReadResult {
  items: FiledItem[];
  problems: ProblemList;
}

export interface BatchOptions {
  /** Items per batch handed on (the import writes one batch while the next is read). */
  batchSize?: number;
  /** The most item rows accepted; a row beyond is a problem and ends the reading. */
  maxRows?: number;
  /** Told when the file cannot be read on (bad encoding, broken CSV or XLSX): the items so far are no filing. */
  onUnreadable?: () => void;
}

/**
 * Header check, row validation and the cross-row checks (duplicate serials, one owner set per party), over any
 * source of rows, yielding the valid items in batches as they are read. Problems go to `problems` as they are
 * found (row and column); the caller decides whether items that came before a problem are used.
 */
export async function* readBatches(
  rows: AsyncIterable<SheetRow>,
  problems: ProblemList,
  opts: BatchOptions = {},
): AsyncGenerator<FiledItem[]> {
  const batchSize = opts.batchSize ?? BATCH_ITEMS;
  const maxRows = opts.maxRows ?? MAX_ROWS;
  const crossRow = new CrossRowChecks();
  let batch: FiledItem[] = [];
  let index: Map<FilingColumn, number> | null = null;
  let parentColumns = false;
  let count = 0;
  let lastRow = 0;
  try {
    for await (const { row, cells } of rows) {
      lastRow = row;
      if (cells.every((c) => c === null || c === undefined || String(c).trim() === '')) continue;
      if (!index) {
        index = checkHeader(cells, problems);
        parentColumns = [...index.keys()].some((c) => c.startsWith('owner_parent_'));
        if (!problems.empty) break; // without the columns, every row would only repeat the same problem
        continue;
      }
      if (++count > maxRows) {
        problems.add(row, '', `more than ${maxRows} item rows; split the filing`);
        break;
      }
      const record: Partial<Record<FilingColumn, RawCell>> = {};
      for (const [c, i] of index) record[c] = cells[i];
      if (
        cells.length > index.size &&
        cells.slice(index.size).some((c) => c !== null && c !== undefined && String(c).trim() !== '')
      ) {
        problems.add(row, String(index.size + 1), 'cell beyond the last template column');
      }
      const item = validateRow(record, row, problems, parentColumns);
      if (!item) continue;
      crossRow.check(item, problems);
      batch.push(item);
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (e instanceof CellEncodingError) {
      problems.add(e.row, e.column, e.message);
      opts.onUnreadable?.();
      return;
    }
    // A file the reader cannot parse (unclosed quote, not a ZIP, corrupt sheet) is one problem, not a crash.
    const row = e instanceof CsvSyntaxError ? e.record : lastRow + 1;
    problems.add(row, '', `unreadable file: ${(e as Error).message.slice(0, 200)}`);
    opts.onUnreadable?.();
    return;
  }
  if (!index) problems.add(1, '', `empty file: expected the header ${TEMPLATE_COLUMNS.join(',')}`);
  else if (problems.empty && count === 0) problems.add(2, '', 'no item rows');
  if (batch.length) yield batch;
}

/** Header check, row validation and the cross-row checks, collecting every item (bounded sources). */
export async function readRows(rows: AsyncIterable<SheetRow>): Promise<ReadResult> {
  const problems = new ProblemList();
  let items: FiledItem[] = [];
  let unreadable = false;
  const onUnreadable = () => {
    unreadable = true;
  };
  for await (const batch of readBatches(rows, problems, { onUnreadable })) for (const it of batch) items.push(it);
  // An unreadable file yields no items at all: the rows before the damage are not a filing.
  if (unreadable) items = [];
  return { items, problems };
}

export function readSheet(input: Readable, format: SheetFormat, encoding: TextEncoding = 'utf8'): Promise<ReadResult> {
  return readRows(format === 'csv' ? csvRows(input, encoding) : xlsxRows(input));
}
