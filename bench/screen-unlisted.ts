// The false-alarm set of the screening benchmark: real, unlisted companies (bench/data/README.md says where
// they come from and which candidates were left out because they are on the shipped lists).
import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const UNLISTED_CSV = join(import.meta.dirname, 'data', 'unlisted-companies.csv');

export interface Unlisted {
  name: string;
  /** ISO 3166 alpha-2. */
  country: string;
  /** The public list the company was taken from, with its date. */
  source: string;
  note: string;
}

/** Reads name,country,source,note; a row without a name, a two-letter country or a source is an error. */
export function readUnlisted(file: string = UNLISTED_CSV): Unlisted[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
  return rows.map((r, i) => {
    for (const col of ['name', 'country', 'source'])
      if (!r[col]) throw new Error(`${file}: row ${i + 2}: the ${col} column is empty`);
    if (!/^[A-Z]{2}$/.test(r.country))
      throw new Error(`${file}: row ${i + 2}: country "${r.country}" is not a two-letter code`);
    return { name: r.name, country: r.country, source: r.source, note: r.note ?? '' };
  });
}
