// Reads a filing's rows into validated items: CSV rows, and the checks over rows of any source (XLSX rows come
// from sheet.ts, which alone loads exceljs: the CSV reading thread does not). The file is attacker-controlled:
// rows are capped, cells are validated one by one and every problem is collected.
import type { Readable } from 'node:stream';
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
  /** Serials spill to disk past this many (a streamed file of any size); repeats past it are found at the end. */
  spillSerialsAt?: number;
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
  const crossRow = new CrossRowChecks(opts.spillSerialsAt);
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
    crossRow.finish(problems);
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
  } finally {
    crossRow.dispose();
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
