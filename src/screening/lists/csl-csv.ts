// Consolidated Screening List, CSV form (trade.gov): 29 columns, multi-valued fields joined with "; ",
// addresses as "street, city, postal code, CC". Input is user-supplied: every row is checked and a bad
// one is reported by row and column; nothing partial is returned.
import { parse } from 'csv-parse/sync';
import { ValidationError } from '../../errors.js';
import { countryCode } from '../countries.js';
import { entryType, listCode, splitMulti, uniq, type Address, type ListEntry } from '../entity.js';

export const CSL_COLUMNS = [
  '_id',
  'source',
  'entity_number',
  'type',
  'programs',
  'name',
  'title',
  'addresses',
  'federal_register_notice',
  'start_date',
  'end_date',
  'standard_order',
  'license_requirement',
  'license_policy',
  'call_sign',
  'vessel_type',
  'gross_tonnage',
  'gross_registered_tonnage',
  'vessel_flag',
  'vessel_owner',
  'remarks',
  'source_list_url',
  'alt_names',
  'citizenships',
  'dates_of_birth',
  'nationalities',
  'places_of_birth',
  'source_information_url',
  'ids',
] as const;
/** Columns a file must have; the others may be missing in older or trimmed exports. */
const REQUIRED = ['source', 'name'] as const;
const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

interface CsvErrorLike {
  code?: string;
  lines?: number;
  message: string;
}

/** Parses CSV text into raw records, turning csv-parse errors into ValidationErrors with the line. */
export function parseCsvRecords(text: string, fileLabel: string): { records: string[][]; lines: number[] } {
  let out: { record: string[]; info: { lines: number } }[];
  try {
    out = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as never;
  } catch (e) {
    const ce = e as CsvErrorLike;
    throw new ValidationError(`${fileLabel}: malformed CSV (${ce.message.replace(/^Invalid [^:]*: /, '')})`, {
      line: ce.lines,
    });
  }
  return { records: out.map((o) => o.record), lines: out.map((o) => o.info.lines) };
}

export function parseCslCsv(text: string, fileLabel = 'CSL CSV'): ListEntry[] {
  const { records, lines } = parseCsvRecords(text, fileLabel);
  if (records.length === 0) throw new ValidationError(`${fileLabel}: empty file`, { row: 1 });
  const header = records[0].map((h) => h.trim());
  const col = new Map(header.map((h, i) => [h, i]));
  for (const r of REQUIRED) {
    if (!col.has(r))
      throw new ValidationError(`${fileLabel}: header lacks the column "${r}" (is this a CSL CSV?)`, {
        row: 1,
        column: r,
      });
  }
  const entries: ListEntry[] = [];
  for (let i = 1; i < records.length; i++) {
    const rec = records[i];
    const row = i + 1; // 1-based, the header is row 1 as in a spreadsheet
    const where = { row, line: lines[i] };
    if (rec.length !== header.length) {
      throw new ValidationError(`${fileLabel}: row has ${rec.length} fields, the header has ${header.length}`, where);
    }
    const get = (c: string): string => {
      const k = col.get(c);
      return k === undefined ? '' : (rec[k] ?? '').trim();
    };
    const name = get('name');
    if (!name) throw new ValidationError(`${fileLabel}: empty name`, { row, column: 'name' });
    const source = get('source');
    if (!source) throw new ValidationError(`${fileLabel}: empty source`, { row, column: 'source' });
    for (const c of ['start_date', 'end_date']) {
      const v = get(c);
      if (v && !DATE.test(v))
        throw new ValidationError(`${fileLabel}: "${v.slice(0, 40)}" is not a date (YYYY-MM-DD)`, { row, column: c });
    }
    const addresses = splitMulti(get('addresses')).map(parseAddressLine);
    const countries = uniq([
      ...addresses.map((a) => a.country).filter((c): c is string => !!c),
      ...[...splitMulti(get('citizenships')), ...splitMulti(get('nationalities'))]
        .map((c) => countryCode(c))
        .filter((c): c is string => !!c),
    ]);
    entries.push({
      id: entryId(source, get('_id'), get('entity_number'), row),
      list: listCode(source),
      source,
      type: entryType(get('type')),
      programs: splitMulti(get('programs')),
      name,
      aliases: uniq(splitMulti(get('alt_names')).filter((a) => a !== name)),
      addresses,
      ids: splitMulti(get('ids')).filter((x) => !/, Gender$/.test(x)),
      countries,
      dates: cleanDates(get('start_date'), get('end_date'), splitMulti(get('dates_of_birth'))),
      federalRegisterNotice: get('federal_register_notice') || undefined,
      remarks: get('remarks') || undefined,
      sourceUrl: get('source_information_url') || get('source_list_url') || undefined,
    });
  }
  return entries;
}

/** SDN rows are keyed by OFAC's ent_num so a CSL copy and an sdn.csv copy of one entry meet. */
export function entryId(source: string, id: string, entityNumber: string, row: number): string {
  if (listCode(source) === 'SDN' && /^\d+$/.test(entityNumber)) return `sdn:${entityNumber}`;
  // Other Treasury lists (SSI, CAP) reuse the ent_num as _id: qualify it with the list.
  if (/^\d*$/.test(id)) return `csl:${listCode(source)}-${id || entityNumber || `row${row}`}`;
  return `csl:${id}`;
}

export function cleanDates(start: string, end: string, birth: string[]): ListEntry['dates'] {
  const d: ListEntry['dates'] = {};
  if (start) d.start = start;
  if (end) d.end = end;
  if (birth.length) d.birth = birth;
  return d;
}

/** "street, city, postal code, CC": the last part is the country when it is an alpha-2 code. */
export function parseAddressLine(text: string): Address {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  const last = parts[parts.length - 1] ?? '';
  const country = /^[A-Z]{2}$/.test(last) ? countryCode(last) : countryCode(last);
  const a: Address = { text };
  if (country) {
    a.country = country;
    if (parts.length >= 2)
      a.city =
        /\d/.test(parts[parts.length - 2]) && parts.length >= 3 ? parts[parts.length - 3] : parts[parts.length - 2];
  }
  return a;
}
