// Records of an evidence file to items, checked field by field: every problem is collected with its row and
// column (not just the first), and an item is built only from a row without problems. Pure: no I/O.
import { createHash } from 'node:crypto';
import { ALPHA2_TO_NUMERIC } from '../../geo/index.js';
import { parsePeriod } from './dates.js';
import { gpusOf, h100eOf } from './h100e.js';
import {
  CASE_KINDS,
  CONFIDENCES,
  UNITS,
  type Category,
  type Confidence,
  type DatePrecision,
  type EvidenceItem,
  type EvidenceKind,
  type EvidenceParty,
  type QuantityUnit,
} from './model.js';
import type { Problems } from './problems.js';
import type { SourceRecord } from './records.js';
import type { NewEvidence } from './store.js';

const ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,63}$/;
const MAX_TEXT = 2000;

/** Columns a case file must have, and those a listing or sighting file must have (the minimum). */
export const CASE_REQUIRED = ['id', 'date', 'date_precision', 'kind', 'title', 'source_title'] as const;
export const SEEN_REQUIRED = ['serial_number', 'seen_on', 'country', 'place', 'source_title', 'source_url'] as const;

/** Columns read into the item's own fields; any other column is kept in `attributes`. */
const KNOWN = new Set([
  ...CASE_REQUIRED,
  ...SEEN_REQUIRED,
  'jurisdiction',
  'route_from',
  'route_via',
  'route_to',
  'chip_model',
  'quantity',
  'quantity_unit',
  'gpu_equivalent',
  'value_usd',
  'parties',
  'outcome',
  'source_publisher',
  'source_date',
  'report_section',
  'confidence',
  'serials',
  'seller',
  'marketplace',
  'buyer',
]);

/** The items of a file's records; the file's missing columns and every row's problems go to `problems`. */
export function itemsFromRecords(
  category: Category,
  columns: readonly string[],
  records: readonly SourceRecord[],
  problems: Problems,
): NewEvidence[] {
  const required = category === 'case' ? CASE_REQUIRED : SEEN_REQUIRED;
  const missing = required.filter((c) => !columns.includes(c));
  for (const c of missing)
    problems.add(1, c, `the file lacks the column ${c} (a ${category} file has ${required.join(', ')})`);
  if (missing.length) return [];
  const out: NewEvidence[] = [];
  const ids = new Map<string, number>();
  for (const rec of records) {
    const before = problems.total;
    const made = category === 'case' ? caseItem(rec, problems) : seenItem(category, rec, problems);
    if (!made || problems.total > before) continue;
    const first = ids.get(made.item.id);
    if (first !== undefined) {
      problems.add(rec.row, 'id', `id ${made.item.id} is already on row ${first}`);
      continue;
    }
    ids.set(made.item.id, rec.row);
    out.push(made);
  }
  return out;
}

/** Field readers for one record that report each problem with the record's row and the column. */
function fields(rec: SourceRecord, problems: Problems) {
  const v = (c: string) => rec.values[c] ?? '';
  const bad = (c: string, reason: string) => problems.add(rec.row, c, reason);
  const text = (c: string, required = false): string | null => {
    const s = v(c);
    if (s === '') {
      if (required) bad(c, 'is required');
      return null;
    }
    if (s.length > MAX_TEXT) bad(c, `is longer than ${MAX_TEXT} characters`);
    return s;
  };
  const oneOf = <T extends string>(c: string, allowed: readonly T[], fallback: T | null): T | null => {
    const s = v(c);
    if (s === '') return fallback;
    if (!(allowed as readonly string[]).includes(s)) bad(c, `"${s}" is not one of ${allowed.join(', ')}`);
    return s as T;
  };
  const number = (c: string): number | null => {
    const s = v(c).replace(/_/g, '');
    if (s === '') return null;
    const n = Number(s);
    if (!/^\d+(\.\d+)?$/.test(s) || !Number.isFinite(n)) {
      bad(c, `"${v(c)}" is not a non-negative number`);
      return null;
    }
    return n;
  };
  const countries = (c: string, extra: readonly string[] = []): string[] => {
    const s = v(c);
    if (s === '') return [];
    const codes = s.split(';').map((x) => x.trim().toUpperCase());
    for (const code of codes)
      if (!ALPHA2_TO_NUMERIC.has(code) && !extra.includes(code))
        bad(c, `"${code}" is not an ISO 3166-1 alpha-2 country code`);
    return codes;
  };
  const list = (c: string): string[] =>
    v(c)
      .split(';')
      .map((x) => x.trim())
      .filter(Boolean);
  const url = (c: string): string | null => {
    const s = v(c);
    if (s === '') return null;
    let ok = false;
    try {
      ok = ['http:', 'https:'].includes(new URL(s).protocol);
    } catch {}
    if (!ok) bad(c, `"${s.slice(0, 80)}" is not an http(s) URL`);
    return s;
  };
  const period = (c: string, precisionColumn?: string): { date: string; precision: DatePrecision } | null => {
    const s = v(c);
    if (s === '') {
      bad(c, 'is required');
      return null;
    }
    const p = parsePeriod(s);
    if (typeof p === 'string') {
      bad(c, p);
      return null;
    }
    const given = precisionColumn ? v(precisionColumn) : '';
    if (given !== '' && given !== p.precision) bad(precisionColumn!, `says ${given} but ${c} ${s} is a ${p.precision}`);
    return p;
  };
  const sourceDate = (c: string): string | null => {
    const s = v(c);
    if (s === '') return null;
    const p = parsePeriod(s);
    if (typeof p === 'string') bad(c, p);
    return s;
  };
  const serials = (c: string, required: boolean): string[] => {
    const all = list(c);
    if (required && all.length === 0) bad(c, 'is required');
    for (const s of all)
      if (!SERIAL.test(s)) bad(c, `"${s.slice(0, 80)}" is not a serial (1-64 letters, digits or . _ - / :)`);
    return all;
  };
  const attributes = (): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [k, val] of Object.entries(rec.values)) if (!KNOWN.has(k) && val !== '') out[k] = val;
    return out;
  };
  return { v, bad, text, oneOf, number, countries, list, url, period, sourceDate, serials, attributes };
}

/** Quantity, unit, GPUs and H100-equivalents; a stated gpu_equivalent must agree with the conversion. */
function quantities(f: ReturnType<typeof fields>, chipModel: string | null) {
  const quantity = f.number('quantity');
  const unit = f.oneOf<QuantityUnit>('quantity_unit', UNITS, quantity === null ? 'unknown' : 'gpu') ?? 'unknown';
  const gpus = gpusOf(quantity, unit);
  const stated = f.number('gpu_equivalent');
  if (stated !== null && stated !== gpus)
    f.bad('gpu_equivalent', `is ${stated} but ${quantity ?? 'no'} ${unit} makes ${gpus ?? 'no'} GPUs (server = 8)`);
  return { quantity, quantityUnit: unit, gpus, h100e: h100eOf(gpus, chipModel) };
}

function caseItem(rec: SourceRecord, problems: Problems): NewEvidence | null {
  const f = fields(rec, problems);
  const id = f.text('id', true);
  if (id !== null && !ID.test(id))
    f.bad('id', 'must be 1-100 letters, digits or . _ : - starting with one of the first two');
  const kind = f.oneOf<EvidenceKind>('kind', CASE_KINDS, null);
  if (kind === null) f.bad('kind', 'is required');
  const when = f.period('date', 'date_precision');
  const chipModel = f.text('chip_model');
  const q = quantities(f, chipModel);
  const item: EvidenceItem = {
    id: id ?? '',
    category: 'case',
    kind: kind ?? 'news-investigation',
    title: f.text('title', true) ?? '',
    date: when?.date ?? '',
    datePrecision: when?.precision ?? 'day',
    jurisdiction: f.countries('jurisdiction', ['EU']),
    route: { from: f.countries('route_from'), via: f.countries('route_via'), to: f.countries('route_to') },
    country: null,
    place: null,
    chipModel,
    ...q,
    valueUsd: f.number('value_usd'),
    parties: f.list('parties'),
    outcome: f.text('outcome'),
    confidence: f.oneOf<Confidence>('confidence', CONFIDENCES, null),
    source: {
      title: f.text('source_title', true) ?? '',
      publisher: f.text('source_publisher'),
      date: f.sourceDate('source_date'),
      url: f.url('source_url'),
    },
    reportSection: f.text('report_section'),
    serials: f.serials('serials', false),
    attributes: f.attributes(),
  };
  return { item, roles: roles(f), row: rec.row };
}

function seenItem(category: Category, rec: SourceRecord, problems: Problems): NewEvidence | null {
  const f = fields(rec, problems);
  const serials = f.serials('serial_number', true);
  const when = f.period('seen_on', 'date_precision');
  const [country, ...more] = f.countries('country');
  if (!country) f.bad('country', 'is required');
  if (more.length) f.bad('country', 'names one country where the item was seen');
  const place = f.text('place', true);
  const sourceTitle = f.text('source_title', true) ?? '';
  const sourceUrl = f.url('source_url');
  const given = f.text('id');
  if (given !== null && !ID.test(given))
    f.bad('id', 'must be 1-100 letters, digits or . _ : - starting with one of the first two');
  const chipModel = f.text('chip_model');
  const q = quantities(f, chipModel);
  const what = category === 'listing' ? 'Listing' : 'Sighting';
  const item: EvidenceItem = {
    id: '',
    category,
    kind: category === 'listing' ? 'listing' : 'sighting',
    title: f.text('title') ?? `${what} of ${serials.join(', ')} in ${place ?? '?'}, ${country ?? '?'}`,
    date: when?.date ?? '',
    datePrecision: when?.precision ?? 'day',
    jurisdiction: [],
    route: { from: [], via: [], to: [] },
    country: country ?? null,
    place,
    chipModel,
    ...q,
    valueUsd: f.number('value_usd'),
    parties: f.list('parties'),
    outcome: f.text('outcome'),
    confidence: f.oneOf<Confidence>('confidence', CONFIDENCES, 'reported'),
    source: {
      title: sourceTitle,
      publisher: f.text('source_publisher'),
      date: f.sourceDate('source_date'),
      url: sourceUrl,
    },
    reportSection: f.text('report_section'),
    serials,
    attributes: f.attributes(),
  };
  // Without an id column, the id is a digest of what was seen where and when, from which source: the same
  // row imported twice is the same item.
  item.id = given ?? derivedId(item);
  return { item, roles: roles(f), row: rec.row };
}

function derivedId(it: EvidenceItem): string {
  const key = [it.category, [...it.serials].sort().join(';'), it.date, it.country, it.place, it.source.url ?? '']
    .concat(it.source.title)
    .join('|');
  const prefix = it.category === 'listing' ? 'LST' : 'SGT';
  return `${prefix}-${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

function roles(f: ReturnType<typeof fields>): EvidenceParty[] {
  return [
    ...f.list('seller').map((name) => ({ name, role: 'seller' as const })),
    ...f.list('buyer').map((name) => ({ name, role: 'buyer' as const })),
    ...f.list('marketplace').map((name) => ({ name, role: 'marketplace' as const })),
  ];
}
