// Evidence aggregates, the estimator's named inputs: the pure grouping by year and quarter, the store's query on
// both databases, the study's seed as a fresh install loads it, and a seizure added to the evidence moving the
// smuggling-evidence estimate (in process; test/estimate/inputs-bin.test.ts does it through the built bin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { aggregateEvidence, type EvidenceGroup } from '../../src/intel/aggregates/aggregates.js';
import { evidenceAggregates } from '../../src/intel/aggregates/store.js';
import { ensureEvidenceSeed } from '../../src/intel/evidence/seed.js';
import { insertEvidence } from '../../src/intel/evidence/store.js';
import { gpusOf, h100eOf } from '../../src/intel/evidence/h100e.js';
import type { EvidenceItem } from '../../src/intel/evidence/model.js';
import { runEstimate } from '../../src/estimate/index.js';
import { loadModel } from '../../src/estimate/models.js';
import { backends } from '../helpers/db.js';

const NOW = new Date('2026-01-05T10:00:00Z');

const group = (over: Partial<EvidenceGroup>): EvidenceGroup => ({
  category: 'case',
  kind: 'seizure',
  year: 2024,
  quarter: 2,
  items: 1,
  gpus: 0,
  h100e: 0,
  ...over,
});

describe('aggregateEvidence', () => {
  it('gives every year from the first item to the last, zeros included, as names and as lists', () => {
    const a = aggregateEvidence([
      group({ year: 2023, quarter: null, gpus: 100, h100e: 50 }),
      group({ year: 2025, quarter: 1, items: 2, gpus: 2400, h100e: 2400 }),
      group({ kind: 'indictment', year: 2025, quarter: 3 }),
      group({ category: 'listing', kind: 'listing', year: 2024, quarter: 4, items: 3, gpus: 24 }),
      group({ category: 'listing', kind: 'listing', year: 2024, quarter: null, items: 1, gpus: 8 }),
      group({ category: 'sighting', kind: 'sighting', year: 2024, quarter: 1 }),
    ]);
    expect(a.years).toEqual([2023, 2024, 2025]);
    expect(a.seized_gpus_per_year).toEqual([100, 0, 2400]);
    expect([a.seized_gpus_2023, a.seized_gpus_2024, a.seized_gpus_2025]).toEqual([100, 0, 2400]);
    expect([a.seizures_2023, a.seizures_2024, a.seizures_2025]).toEqual([1, 0, 2]);
    expect(a.seized_h100e_2025).toBe(2400);
    expect([a.cases_indictment_2024, a.cases_indictment_2025, a.cases_news_investigation_2025]).toEqual([0, 1, 0]);
    expect([a.listings_2024, a.listed_gpus_2024, a.sightings_2024]).toEqual([4, 32, 1]);
    // a listing dated only to its year counts in the year, not in a quarter
    expect([a.listings_2024q3, a.listings_2024q4]).toEqual([0, 3]);
    expect((a.quarters as number[]).slice(4, 8)).toEqual([2024, 2024.25, 2024.5, 2024.75]);
    expect((a.listings_per_quarter as number[]).slice(4, 8)).toEqual([0, 0, 0, 3]);
  });
  it('gives no names without evidence', () => {
    expect(aggregateEvidence([])).toEqual({});
  });
});

function seizure(id: string, date: string, gpus: number): EvidenceItem {
  return {
    id,
    category: 'case',
    kind: 'seizure',
    title: `seizure ${id}`,
    date,
    datePrecision: 'day',
    jurisdiction: ['US'],
    route: { from: ['US'], via: ['MY'], to: ['CN'] },
    country: null,
    place: null,
    chipModel: 'NVIDIA H100',
    quantity: gpus,
    quantityUnit: 'gpu',
    gpus: gpusOf(gpus, 'gpu'),
    h100e: h100eOf(gpusOf(gpus, 'gpu'), 'NVIDIA H100'),
    valueUsd: null,
    parties: [],
    outcome: 'seized',
    confidence: 'reported',
    source: { title: 'A press release', publisher: 'DOJ', date, url: 'https://example.test/pr' },
    reportSection: null,
    serials: [],
    attributes: {},
  };
}

describe.each(backends)('evidence aggregates on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('reads the study’s seed: cases per year by kind, and no seizure in 2024', async () => {
    await ensureEvidenceSeed(db, NOW);
    const a = await evidenceAggregates(db);
    expect(a.years).toEqual([2023, 2024, 2025]);
    expect(a.seized_gpus_2024).toBe(0);
    const seedRows = await db.query<{ kind: string; year: number; n: number }>(
      `select kind, extract(year from event_date)::int as year, count(*)::int as n from intel_evidence
        group by 1, 2`,
    );
    expect(seedRows.length).toBeGreaterThan(3);
    for (const r of seedRows) expect(a[`cases_${r.kind.replace(/-/g, '_')}_${r.year}`]).toBe(r.n);
  });

  it('counts a seizure added to the evidence, and the estimate moves up with it', async () => {
    const { source } = loadModel('smuggling-evidence');
    const estimate = async () =>
      runEstimate({ model: 'm', source, samples: 50_000, seed: 1, inputs: await evidenceAggregates(db) }).result;
    const before = await estimate();
    await db.transaction((tx) => insertEvidence(tx, [{ item: seizure('SZ-1', '2024-05-14', 2400) }], NOW));
    const a = await evidenceAggregates(db);
    expect([a.seizures_2024, a.seized_gpus_2024, a.seized_h100e_2024]).toEqual([1, 2400, 2400]);
    const after = await estimate();
    expect(after.inputs).toEqual({ seized_gpus_2024: 2400 });
    expect(after.outputs.smuggled.p50).toBeGreaterThan(before.outputs.smuggled.p50 * 1.5);
  });
});
