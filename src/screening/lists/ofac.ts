// OFAC SDN in its legacy CSV files: sdn.csv (no header, 12 columns, "-0-" means empty, a 0x1A EOF byte
// at the end) and alt.csv (ent_num, alt_num, alt_type, alt_name, alt_remarks). Dates of birth,
// nationality and citizenship live in free-text remarks; we lift the ones we can read.
import { ValidationError } from '../../errors.js';
import { countryCode } from '../countries.js';
import { entryType, uniq, type ListEntry } from '../entity.js';
import { parseCsvRecords } from './csl-csv.js';

const SDN_COLUMNS = [
  'ent_num',
  'SDN_Name',
  'SDN_Type',
  'Program',
  'Title',
  'Call_Sign',
  'Vess_type',
  'Tonnage',
  'GRT',
  'Vess_flag',
  'Vess_owner',
  'Remarks',
];
const ALT_COLUMNS = ['ent_num', 'alt_num', 'alt_type', 'alt_name', 'alt_remarks'];

function clean(v: string | undefined): string {
  const t = (v ?? '').trim();
  return t === '-0-' ? '' : t;
}

function stripEof(text: string): string {
  return text.replace(/\x1a\s*$/, '');
}

function checkRecord(rec: string[], cols: string[], fileLabel: string, row: number, line: number): void {
  if (rec.length !== cols.length) {
    throw new ValidationError(
      `${fileLabel}: row has ${rec.length} fields, expected ${cols.length} (${cols.join(', ')})`,
      { row, line },
    );
  }
  if (!/^\d+$/.test(rec[0].trim())) {
    throw new ValidationError(`${fileLabel}: ent_num "${rec[0].slice(0, 20)}" is not a number`, {
      row,
      column: 'ent_num',
    });
  }
}

export function parseSdnCsv(text: string, fileLabel = 'sdn.csv'): ListEntry[] {
  const { records, lines } = parseCsvRecords(stripEof(text), fileLabel);
  return records.map((rec, i) => {
    checkRecord(rec, SDN_COLUMNS, fileLabel, i + 1, lines[i]);
    const name = clean(rec[1]);
    if (!name) throw new ValidationError(`${fileLabel}: empty SDN_Name`, { row: i + 1, column: 'SDN_Name' });
    const remarks = clean(rec[11]);
    const fromRemarks = [...remarks.matchAll(/(?:nationality|citizen|Nationality of Registration)\s+([^;.]+)/g)].map(
      (m) => countryCode(m[1]),
    );
    const flag = countryCode(clean(rec[9]));
    const birth = [...remarks.matchAll(/DOB ([^;]+)/g)].map((m) => m[1].trim());
    const entry: ListEntry = {
      id: `sdn:${rec[0].trim()}`,
      list: 'SDN',
      source: 'Specially Designated Nationals (SDN) - Treasury Department',
      type: clean(rec[2]) ? entryType(clean(rec[2])) : 'entity',
      programs: clean(rec[3])
        .split(/\]\s*\[/)
        .map((p) => p.replace(/[[\]]/g, '').trim())
        .filter(Boolean),
      name,
      aliases: [],
      addresses: [],
      ids: [
        ...remarks.matchAll(
          /((?:Passport|National ID No\.|Registration Number|Tax ID No\.|Registration ID|IMO|MMSI)[^;]*)/g,
        ),
      ].map((m) => m[1].trim()),
      countries: uniq([...fromRemarks, flag].filter((c): c is string => !!c)),
      dates: birth.length ? { birth } : {},
      remarks: remarks || undefined,
    };
    return entry;
  });
}

/** Adds alt.csv aliases to the SDN entries they name; returns how many aliases had no entry. */
export function applyAltCsv(
  entries: ListEntry[],
  text: string,
  fileLabel = 'alt.csv',
): { applied: number; orphans: number } {
  const { records, lines } = parseCsvRecords(stripEof(text), fileLabel);
  const byNum = new Map(entries.filter((e) => e.id.startsWith('sdn:')).map((e) => [e.id, e]));
  let applied = 0;
  let orphans = 0;
  records.forEach((rec, i) => {
    checkRecord(rec, ALT_COLUMNS, fileLabel, i + 1, lines[i]);
    const alias = clean(rec[3]);
    if (!alias) throw new ValidationError(`${fileLabel}: empty alt_name`, { row: i + 1, column: 'alt_name' });
    const e = byNum.get(`sdn:${rec[0].trim()}`);
    if (!e) {
      orphans++;
      return;
    }
    if (alias !== e.name && !e.aliases.includes(alias)) e.aliases.push(alias);
    applied++;
  });
  return { applied, orphans };
}
