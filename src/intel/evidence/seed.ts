// The study's evidence ships as chipwatch's seed (data/evidence: cases.csv, prices.csv, context.csv): loaded once
// into a database, the first time an intelligence command or the server opens it, in one transaction under a
// lock so two processes starting together load it once. A row in intel_seed_loads records that it was loaded.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Db, Queryable } from '../../db/index.js';
import { DATA_DIR } from '../../paths.js';
import { storeEvidence } from './import.js';
import { parseEvidenceFile } from './import.js';
import { Problems, EvidenceRejectedError } from './problems.js';
import { readRecords } from './records.js';
import { insertContextFacts, type ContextFact } from './store.js';

export const SEED_NAME = 'cnas-2025-06';
export const SEED_DIR = join(DATA_DIR, 'evidence');
const LOCK_KEY = 0x63777331; // "cws1"

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** prices.csv and context.csv as facts; a bad row is an error naming file, row and column. */
export function contextFacts(prices: Uint8Array, context: Uint8Array): ContextFact[] {
  const problems = new Problems();
  const out: ContextFact[] = [];
  const read = (bytes: Uint8Array, name: string, required: string[]) => {
    const r = readRecords(bytes, name, 'csv');
    for (const c of required) if (!r.columns.includes(c)) problems.add(1, c, `${name} lacks the column ${c}`);
    for (const p of r.problems.items) problems.add(p.row, p.column, `${name}: ${p.reason}`);
    return r.records;
  };
  const num = (v: string, row: number, column: string, name: string, optional = false): number | null => {
    if (v === '' && optional) return null;
    const n = Number(v);
    if (v === '' || !Number.isFinite(n)) problems.add(row, column, `${name}: "${v}" is not a number`);
    return n;
  };
  for (const { row, values: v } of read(prices, 'prices.csv', ['item', 'price_usd', 'period', 'source'])) {
    out.push({
      id: `price:${slug(v.item)}`,
      dataset: 'prices',
      fact: v.item,
      value: num(v.price_usd, row, 'price_usd', 'prices.csv') ?? 0,
      unit: 'USD',
      period: v.period,
      multipleOfMsrp: num(v.multiple_of_msrp ?? '', row, 'multiple_of_msrp', 'prices.csv', true),
      source: v.source,
      reportSection: v.report_section ?? '',
    });
  }
  for (const { row, values: v } of read(context, 'context.csv', ['fact', 'value', 'unit', 'year', 'source'])) {
    out.push({
      id: `context:${slug(v.fact)}`,
      dataset: 'context',
      fact: v.fact,
      value: num(v.value, row, 'value', 'context.csv') ?? 0,
      unit: v.unit,
      period: v.year,
      multipleOfMsrp: null,
      source: v.source,
      reportSection: v.report_section ?? '',
    });
  }
  if (!problems.empty) throw new EvidenceRejectedError(problems);
  return out;
}

async function loaded(q: Queryable): Promise<boolean> {
  const rows = await q.query('select 1 from intel_seed_loads where name = $1', [SEED_NAME]);
  return rows.length > 0;
}

/** Loads the seed unless this database has it; true when it was loaded now. */
export async function ensureEvidenceSeed(db: Db, now: Date, dir = SEED_DIR): Promise<boolean> {
  if (await loaded(db)) return false;
  const files = ['cases.csv', 'prices.csv', 'context.csv'].map((f) => readFileSync(join(dir, f)));
  const digest = createHash('sha256');
  for (const f of files) digest.update(f);
  const cases = parseEvidenceFile(files[0], 'cases.csv', 'case', 'csv');
  const facts = contextFacts(files[1], files[2]);
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [LOCK_KEY]);
    if (await loaded(tx)) return false;
    await storeEvidence(tx, cases, now);
    await insertContextFacts(tx, facts);
    await tx.query('insert into intel_seed_loads (name, content_sha256, loaded_at) values ($1, $2, $3)', [
      SEED_NAME,
      digest.digest('hex'),
      now.toISOString(),
    ]);
    return true;
  });
}
