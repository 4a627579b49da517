// Batch screening of a parties file (CSV with a header: name, and optionally country, address).
// The whole file is validated before any screening, so a bad row fails fast and nothing is written.
import { stringify } from 'csv-stringify/sync';
import { safeRecords } from '../tabular/safe-cell.js';
import { ValidationError } from '../errors.js';
import { countryCode } from './countries.js';
import { parseCsvRecords } from './lists/csl-csv.js';
import { MAX_NAME_LENGTH, type Screener, type ScreenQuery, type ScreenResult } from './match/screen.js';

export const MAX_BATCH_ROWS = 1_000_000;
const KNOWN = new Set(['name', 'country', 'address']);

export function parsePartiesCsv(text: string, label = 'parties file'): ScreenQuery[] {
  const { records } = parseCsvRecords(text, label);
  if (records.length === 0) throw new ValidationError(`${label}: empty file`, { row: 1 });
  const header = records[0].map((h) => h.trim().toLowerCase());
  const col = (c: string) => header.indexOf(c);
  if (col('name') < 0)
    throw new ValidationError(`${label}: the header needs a "name" column (optional: country, address)`, {
      row: 1,
      column: 'name',
    });
  const unknown = header.filter((h) => !KNOWN.has(h));
  if (unknown.length)
    throw new ValidationError(`${label}: unknown column "${unknown[0]}" (columns: name, country, address)`, {
      row: 1,
      column: unknown[0],
    });
  if (records.length - 1 > MAX_BATCH_ROWS) throw new ValidationError(`${label}: more than ${MAX_BATCH_ROWS} rows`);
  const out: ScreenQuery[] = [];
  for (let i = 1; i < records.length; i++) {
    const r = records[i];
    const row = i + 1;
    if (r.length !== header.length)
      throw new ValidationError(`${label}: row has ${r.length} fields, the header has ${header.length}`, { row });
    const name = r[col('name')].trim();
    if (!name) throw new ValidationError(`${label}: empty name`, { row, column: 'name' });
    if (name.length > MAX_NAME_LENGTH)
      throw new ValidationError(`${label}: name longer than ${MAX_NAME_LENGTH} characters`, { row, column: 'name' });
    const q: ScreenQuery = { name };
    if (col('country') >= 0 && r[col('country')].trim()) {
      const raw = r[col('country')].trim();
      if (!countryCode(raw))
        throw new ValidationError(`${label}: unknown country "${raw.slice(0, 40)}"`, { row, column: 'country' });
      q.country = raw;
    }
    if (col('address') >= 0 && r[col('address')].trim()) q.address = r[col('address')].trim();
    out.push(q);
  }
  return out;
}

export function screenAll(
  screener: Screener,
  parties: readonly ScreenQuery[],
  onProgress?: (done: number) => void,
): ScreenResult[] {
  const out: ScreenResult[] = [];
  parties.forEach((p, i) => {
    out.push(screener.screen(p));
    if (onProgress && (i % 200 === 199 || i === parties.length - 1)) onProgress(i + 1);
  });
  return out;
}

export const RESULT_COLUMNS = [
  'row',
  'name',
  'country',
  'address',
  'decision',
  'score',
  'list',
  'entry_id',
  'listed_name',
  'matched_name',
  'matches',
  'explanation',
  'aliases',
] as const;

/** Every scored name of the entry with its score: "HUAWEI TECHNOLOGIES CO., LTD. 1; Huawei 0.9". */
export function aliasSummary(m: ScreenResult['matches'][number]): string {
  return m.aliases.map((a) => `${a.name} ${a.score}`).join('; ');
}

/** One CSV line per party, in input order, with its best match. */
export function resultsCsv(results: readonly ScreenResult[]): string {
  const rows = results.map((r, i) => {
    const m = r.matches[0];
    return [
      i + 2,
      r.query.name,
      r.query.country ?? '',
      r.query.address ?? '',
      r.decision,
      m?.score ?? '',
      m?.list ?? '',
      m?.entryId ?? '',
      m?.name ?? '',
      m?.matchedName ?? '',
      r.matches.length,
      m?.explanation ?? '',
      m ? aliasSummary(m) : '',
    ];
  });
  // Names and addresses come from the user's file and the lists: never run as formulas (src/tabular/safe-cell.ts).
  return stringify([[...RESULT_COLUMNS], ...safeRecords(rows)]);
}
