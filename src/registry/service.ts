// What the adapters (HTTP, CLI) call to file: read or validate the input, then import it. Keeps the
// format dispatch and the JSON item checks in one place so both adapters behave the same.
import type { Readable } from 'node:stream';
import type { Db } from '../db/index.js';
import { importFiling, type ImportInput, type ImportResult, type LogAppender } from './import.js';
import type { TextEncoding } from '../tabular/decode.js';
import type { FilingStream, SheetRead } from './intake.js';
import type { SheetFormat } from './parse.js';
import { readSheet } from './sheet.js';
import { ProblemList } from './problems.js';
import { TEMPLATE_COLUMNS, type TemplateColumn } from './template.js';
import { validateRow, type FiledItem, type RawCell } from './validate.js';
import { CrossRowChecks } from './cross-row.js';

export interface FileOptions {
  filer: ImportInput['filer'];
  receivedAt: Date;
  log: LogAppender;
  homeCountry?: string;
  onStage?: ImportInput['onStage'];
}

/** Reads a spreadsheet stream of a known format and files it (benchmarks; adapters go through intake.ts). */
export async function fileSpreadsheet(
  db: Db,
  input: Readable,
  format: SheetFormat,
  opts: FileOptions & { encoding?: TextEncoding },
): Promise<ImportResult> {
  const t0 = performance.now();
  const read = await readSheet(input, format, opts.encoding);
  opts.onStage?.('parse+validate', performance.now() - t0);
  return fileRead(db, { ...read, format }, opts);
}

/** Files what intake.ts read (readFilingFile, readFilingBytes); a refused or invalid sheet: FilingRejectedError. */
export function fileRead(db: Db, read: SheetRead, opts: FileOptions): Promise<ImportResult> {
  return importFiling(db, { ...opts, items: read.items, problems: read.problems, source: read.format }, opts.log);
}

/** Files a streamed spreadsheet (intake.ts openFilingFile): written batch by batch as it is read. */
export function fileStream(db: Db, stream: FilingStream, opts: FileOptions): Promise<ImportResult> {
  return importFiling(
    db,
    {
      ...opts,
      items: stream.batches,
      problems: stream.problems,
      source: stream.format,
      contentHash: stream.contentHash,
    },
    opts.log,
  );
}

/** JSON items use the template's column names as keys; item i is reported as row i + 1. */
export function itemsFromJson(records: readonly Partial<Record<TemplateColumn, RawCell>>[]): {
  items: FiledItem[];
  problems: ProblemList;
} {
  const problems = new ProblemList();
  const items: FiledItem[] = [];
  const crossRow = new CrossRowChecks();
  records.forEach((rec, i) => {
    const item = validateRow(rec, i + 1, problems);
    if (!item) return;
    crossRow.check(item, problems);
    items.push(item);
  });
  return { items, problems };
}

export async function fileJson(
  db: Db,
  records: readonly Partial<Record<TemplateColumn, RawCell>>[],
  opts: FileOptions,
): Promise<ImportResult> {
  const { items, problems } = itemsFromJson(records);
  return importFiling(db, { ...opts, items, problems, source: 'json' }, opts.log);
}

export { TEMPLATE_COLUMNS };
