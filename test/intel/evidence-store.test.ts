// The evidence store on both databases: insert is idempotent by content, a changed item under a stored id is
// refused with nothing written, parties become evidence entities, and the readers find items by serial and entity.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { gpusOf, h100eOf } from '../../src/intel/evidence/h100e.js';
import type { EvidenceItem } from '../../src/intel/evidence/model.js';
import { partyEntityId } from '../../src/intel/evidence/parties.js';
import {
  evidenceByEntity,
  evidenceBySerial,
  getEvidence,
  insertEvidence,
  listEvidence,
} from '../../src/intel/evidence/store.js';
import { backends } from '../helpers/db.js';

const NOW = new Date('2026-01-05T10:00:00Z');

function item(id: string, over: Partial<EvidenceItem> = {}): EvidenceItem {
  return {
    id,
    category: 'listing',
    kind: 'listing',
    title: `listing ${id}`,
    date: '2026-01-02',
    datePrecision: 'day',
    jurisdiction: [],
    route: { from: [], via: [], to: [] },
    country: 'CN',
    place: 'Shenzhen',
    chipModel: 'NVIDIA H100',
    quantity: 2,
    quantityUnit: 'server',
    gpus: gpusOf(2, 'server'),
    h100e: h100eOf(gpusOf(2, 'server'), 'NVIDIA H100'),
    valueUsd: null,
    parties: ['Example Trading Ltd'],
    outcome: null,
    confidence: 'reported',
    source: { title: 'A marketplace page', publisher: null, date: null, url: 'https://example.test/l/1' },
    reportSection: null,
    serials: ['SN-1', 'SN-2'],
    attributes: { price_usd: '400000' },
    ...over,
  };
}

describe.each(backends)('evidence store on $name', (backend) => {
  let db: Db;
  beforeAll(async () => {
    db = await backend.open();
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores an item once, with its serials, GPUs, H100-equivalents and party entities', async () => {
    const first = await db.transaction((tx) => insertEvidence(tx, [{ item: item('L-1') }], NOW));
    expect(first).toEqual({ inserted: ['L-1'], unchanged: [] });
    const again = await db.transaction((tx) => insertEvidence(tx, [{ item: item('L-1') }], NOW));
    expect(again).toEqual({ inserted: [], unchanged: ['L-1'] });
    const got = await getEvidence(db, 'L-1');
    expect(got.gpus).toBe(16);
    expect(got.h100e).toBe(16);
    expect(got.serials).toEqual(['SN-1', 'SN-2']);
    const id = partyEntityId('Example Trading Ltd');
    expect(got.entities).toEqual([{ entityId: id, role: 'party', name: 'Example Trading Ltd' }]);
    const [ent] = await db.query<{ schema: string; origin: string }>(
      'select schema, origin from intel_entities where id = $1',
      [id],
    );
    expect(ent).toEqual({ schema: 'Company', origin: 'evidence' });
    expect((await evidenceBySerial(db, 'SN-2')).map((e) => e.id)).toEqual(['L-1']);
    expect((await evidenceByEntity(db, id)).map((e) => e.id)).toEqual(['L-1']);
  });

  it('refuses different content under a stored id and writes nothing of the batch', async () => {
    const batch = [{ item: item('L-2') }, { item: item('L-1', { title: 'changed' }), row: 3 }];
    await expect(db.transaction((tx) => insertEvidence(tx, batch, NOW))).rejects.toThrow(
      /L-1 is already stored with different content/,
    );
    expect(await listEvidence(db, { limit: 10, offset: 0 })).toHaveLength(1);
  });

  it('filters by category, kind, country and date', async () => {
    await db.transaction((tx) =>
      insertEvidence(tx, [{ item: item('L-3', { country: 'MY', date: '2025-03-01', serials: [] }) }], NOW),
    );
    const ids = async (f: Parameters<typeof listEvidence>[1]) => (await listEvidence(db, f)).map((e) => e.id);
    expect(await ids({ country: 'MY', limit: 10, offset: 0 })).toEqual(['L-3']);
    expect(await ids({ from: '2026-01-01', limit: 10, offset: 0 })).toEqual(['L-1']);
    expect(await ids({ kind: 'seizure', limit: 10, offset: 0 })).toEqual([]);
    expect(await ids({ category: 'listing', limit: 10, offset: 0 })).toEqual(['L-3', 'L-1']);
  });
});
