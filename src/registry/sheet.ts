// Reads a filing spreadsheet of either format (CSV or XLSX, streamed) into validated items; the XLSX rows come
// from exceljs's streaming reader.
import type { Readable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { TextEncoding } from '../tabular/decode.js';
import { csvRows, readRows, type ReadResult, type SheetFormat, type SheetRow } from './parse.js';
import type { RawCell } from './validate.js';

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
  // Loaded on the first workbook: a CSV import (every streamed one) need not pay its ~0.2 s of start-up.
  const { default: excel } = await import('exceljs');
  // styles: 'cache' so date-formatted cells arrive as Dates, not as Excel serial numbers.
  const reader = new excel.stream.xlsx.WorkbookReader(input, {
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

export function readSheet(input: Readable, format: SheetFormat, encoding: TextEncoding = 'utf8'): Promise<ReadResult> {
  return readRows(format === 'csv' ? csvRows(input, encoding) : xlsxRows(input));
}
