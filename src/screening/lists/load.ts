// Turns list files into one ListSet: detects each file's form (CSL CSV, CSL JSON, OFAC sdn.csv,
// OFAC alt.csv) from its content, applies aliases, and merges the CSL's copy of an SDN entry with the
// sdn.csv copy (same ent_num) so one party is one entry.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ValidationError } from '../../errors.js';
import { uniq, type ListEntry, type ListSet } from '../entity.js';
import { parseCslCsv } from './csl-csv.js';
import { parseCslJson } from './csl-json.js';
import { applyAltCsv, parseSdnCsv } from './ofac.js';

export type ListFormat = 'csl-csv' | 'csl-json' | 'ofac-sdn' | 'ofac-alt';

export interface ListFile {
  name: string;
  text: string;
}

/** Files of the default snapshot shipped in data/screening (CSL 2022-05, OFAC SDN 2024-05 + alt). */
export const DEFAULT_SNAPSHOT = ['csl-2022-05.csv', 'ofac-sdn-2024-05-03.csv', 'ofac-alt-2025-08.csv'];

export function detectFormat(file: ListFile): ListFormat {
  const head = file.text
    .replace(/^\uFEFF/, '')
    .trimStart()
    .slice(0, 2000);
  if (head.startsWith('{') || head.startsWith('[')) return 'csl-json';
  const firstLine = head.split(/\r?\n/)[0];
  if (/(^|,)"?_id"?,|(^|,)"?source"?,/.test(firstLine) && /(^|,)"?name"?(,|$)/.test(firstLine)) return 'csl-csv';
  const m = /^(\d+),(\d+),"?(aka|fka|nka)"?,/i.exec(firstLine);
  if (m) return 'ofac-alt';
  if (/^\d+,"/.test(firstLine)) return 'ofac-sdn';
  throw new ValidationError(`${file.name}: not a recognised list (expected CSL CSV or JSON, OFAC sdn.csv or alt.csv)`, {
    line: 1,
  });
}

export function loadListFiles(files: readonly ListFile[]): ListSet {
  if (files.length === 0) throw new ValidationError('no list files given');
  const typed = files.map((f) => ({ f, format: detectFormat(f) }));
  const entries: ListEntry[] = [];
  const sources: string[] = [];
  const warnings: string[] = [];
  const sdn: ListEntry[] = [];
  for (const { f, format } of typed) {
    if (format === 'ofac-alt') continue;
    const parsed =
      format === 'csl-csv'
        ? parseCslCsv(f.text, f.name)
        : format === 'csl-json'
          ? parseCslJson(f.text, f.name)
          : parseSdnCsv(f.text, f.name);
    sources.push(`${basename(f.name)} (${format}, ${parsed.length} entries)`);
    if (format === 'ofac-sdn') sdn.push(...parsed);
    else entries.push(...parsed);
  }
  for (const { f, format } of typed) {
    if (format !== 'ofac-alt') continue;
    if (sdn.length === 0)
      throw new ValidationError(`${f.name}: alt.csv aliases need the sdn.csv they belong to in the same load`);
    const r = applyAltCsv(sdn, f.text, f.name);
    sources.push(`${basename(f.name)} (ofac-alt, ${r.applied} aliases)`);
    if (r.orphans)
      warnings.push(`${basename(f.name)}: ${r.orphans} aliases name entries absent from the SDN file (ignored)`);
  }
  return { sources, entries: mergeSdn(entries, sdn, warnings), warnings };
}

/**
 * An sdn.csv is the authority for SDN membership when given: a CSL SDN row with the same ent_num is
 * merged into it (keeping the CSL's structured addresses, IDs and dates), and CSL SDN rows the
 * sdn.csv no longer has are dropped as delisted.
 */
function mergeSdn(entries: ListEntry[], sdn: ListEntry[], warnings: string[]): ListEntry[] {
  if (sdn.length === 0) return dedupeIds(entries, warnings);
  const byId = new Map(sdn.map((e) => [e.id, e]));
  let dropped = 0;
  const out: ListEntry[] = [];
  for (const e of entries) {
    if (e.list !== 'SDN' || !e.id.startsWith('sdn:')) {
      out.push(e);
      continue;
    }
    const s = byId.get(e.id);
    if (!s) {
      dropped++;
      continue;
    }
    s.aliases = uniq([...s.aliases, ...e.aliases, ...(e.name !== s.name ? [e.name] : [])]).filter((a) => a !== s.name);
    s.addresses = e.addresses.length ? e.addresses : s.addresses;
    s.ids = uniq([...e.ids, ...s.ids]);
    s.countries = uniq([...e.countries, ...s.countries]);
    s.dates = { ...s.dates, ...e.dates };
    s.sourceUrl = s.sourceUrl ?? e.sourceUrl;
  }
  if (dropped) warnings.push(`${dropped} CSL SDN entries are not in the newer sdn.csv (delisted) and were dropped`);
  return dedupeIds([...out, ...sdn], warnings);
}

function dedupeIds(entries: ListEntry[], warnings: string[]): ListEntry[] {
  const seen = new Set<string>();
  const out: ListEntry[] = [];
  let dup = 0;
  for (const e of entries) {
    if (seen.has(e.id)) {
      dup++;
      continue;
    }
    seen.add(e.id);
    out.push(e);
  }
  if (dup) warnings.push(`${dup} entries repeated an id already loaded and were skipped`);
  return out;
}

export function readListFiles(paths: readonly string[]): ListFile[] {
  return paths.map((p) => ({ name: p, text: readFileSync(p, 'utf8') }));
}

export function loadDefaultSnapshot(dataDir: string): ListSet {
  return loadListFiles(readListFiles(DEFAULT_SNAPSHOT.map((f) => join(dataDir, 'screening', f))));
}
