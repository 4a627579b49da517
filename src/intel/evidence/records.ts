// An evidence file's bytes to named records: strict UTF-8, then CSV (csv-parse, the header names the columns)
// or JSON (an array of objects, or {"items": [...]}). Each record keeps its row for error messages.
import { parse } from 'csv-parse/sync';
import { InvalidUtf8Error, StrictTextDecoder } from '../../tabular/decode.js';
import { Problems } from './problems.js';

export interface SourceRecord {
  /** CSV row (header = 1) or JSON item index + 1. */
  row: number;
  values: Record<string, string>;
}

export interface ReadRecords {
  records: SourceRecord[];
  /** Column names the file has (CSV header; the union of keys for JSON). */
  columns: string[];
  problems: Problems;
}

export type FileFormat = 'csv' | 'json';

/** JSON when the name says .json, or when the text starts with [ or {; CSV otherwise. */
export function formatOf(name: string, text: string): FileFormat {
  if (/\.json$/i.test(name)) return 'json';
  if (/\.csv$/i.test(name)) return 'csv';
  return /^\s*[[{]/.test(text) ? 'json' : 'csv';
}

/** The records of a file; problems of the file as a whole (encoding, syntax) are row 0 or the row they hit. */
export function readRecords(bytes: Uint8Array, name: string, format?: FileFormat): ReadRecords {
  const problems = new Problems();
  let text: string;
  try {
    const dec = new StrictTextDecoder('utf8');
    text = dec.write(bytes) + dec.end();
  } catch (e) {
    if (!(e instanceof InvalidUtf8Error)) throw e;
    let row = 1;
    for (let i = 0; i < e.offset && i < bytes.length; i++) if (bytes[i] === 0x0a) row++;
    problems.add(row, '', `${e.message}: save the file as UTF-8`);
    return { records: [], columns: [], problems };
  }
  const fmt = format ?? formatOf(name, text);
  return fmt === 'json' ? fromJson(text, problems) : fromCsv(text, problems);
}

function fromCsv(text: string, problems: Problems): ReadRecords {
  let out: { record: string[]; info: { lines: number } }[];
  try {
    out = parse(text, { bom: true, info: true, skip_empty_lines: true, relax_column_count: true }) as never;
  } catch (e) {
    const ce = e as { lines?: number; message: string };
    problems.add(ce.lines ?? 0, '', `malformed CSV: ${ce.message.replace(/^Invalid [^:]*: /, '')}`);
    return { records: [], columns: [], problems };
  }
  if (out.length === 0) {
    problems.add(1, '', 'the file is empty (a header row is required)');
    return { records: [], columns: [], problems };
  }
  const columns = out[0].record.map((h) => h.trim());
  const seen = new Set<string>();
  columns.forEach((c, i) => {
    if (c === '') problems.add(1, `column ${i + 1}`, 'the header has an empty column name');
    else if (seen.has(c)) problems.add(1, c, `the header names ${c} twice`);
    seen.add(c);
  });
  const records: SourceRecord[] = [];
  for (let i = 1; i < out.length; i++) {
    const rec = out[i].record;
    const row = i + 1;
    if (rec.length !== columns.length) {
      problems.add(row, '', `${rec.length} fields where the header has ${columns.length}`);
      continue;
    }
    const values: Record<string, string> = {};
    columns.forEach((c, j) => {
      values[c] = rec[j].trim();
    });
    records.push({ row, values });
  }
  return { records, columns, problems };
}

function fromJson(text: string, problems: Problems): ReadRecords {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    problems.add(0, '', `malformed JSON: ${(e as Error).message}`);
    return { records: [], columns: [], problems };
  }
  const list = Array.isArray(doc) ? doc : (doc as { items?: unknown })?.items;
  if (!Array.isArray(list)) {
    problems.add(0, '', 'JSON must be an array of items or an object with an "items" array');
    return { records: [], columns: [], problems };
  }
  const columns = new Set<string>();
  const records: SourceRecord[] = [];
  list.forEach((it, i) => {
    const row = i + 1;
    if (it === null || typeof it !== 'object' || Array.isArray(it)) {
      problems.add(row, '', 'each item must be a JSON object');
      return;
    }
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(it as Record<string, unknown>)) {
      columns.add(k);
      if (v === null || v === undefined) values[k] = '';
      else if (typeof v === 'string') values[k] = v.trim();
      else if (typeof v === 'number' || typeof v === 'boolean') values[k] = String(v);
      else if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number'))
        values[k] = v.map(String).join(';');
      else problems.add(row, k, 'must be a string, a number or a list of strings');
    }
    records.push({ row, values });
  });
  return { records, columns: [...columns], problems };
}
