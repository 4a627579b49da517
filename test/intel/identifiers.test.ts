// Identifier hygiene on the real screening lists: the CSL's "ids" column carries remark text, dates and programs
// beside identification numbers; none of that may become an identifier that joins unrelated entries, while a
// registration number two real entries share still pairs them (both databases).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { listEntryEntity } from '../../src/intel/entities/sources.js';
import { upsertEntities, type Entity } from '../../src/intel/entities/store.js';
import { findCandidates } from '../../src/intel/resolve/candidates.js';
import {
  identifiersOf,
  normalizeAddress,
  normalizeEmail,
  normalizePhone,
  normalizeRegistration,
  normalizeWebsite,
} from '../../src/intel/resolve/identifiers.js';
import { DEFAULT_SNAPSHOT, loadListFiles } from '../../src/screening/lists/load.js';
import { backends } from '../helpers/db.js';

const lists = loadListFiles(
  DEFAULT_SNAPSHOT.map((name) => ({ name, text: readFileSync(`data/screening/${name}`, 'utf8') })),
);
const entities: Entity[] = lists.entries.map(listEntryEntity);
const MONTHS = 'JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC';
const REMARK_VALUE = new RegExp(`AMENDED|EXECUTIVEORDER|DIRECTIVE|CFR|SECTION|SANCTION|^\\d{1,2}(${MONTHS})\\d{4}$`);
const REMARK = 'as amended by Executive Order 13886';

/** Registration values and the list entities holding each. */
const byRegistration = new Map<string, Entity[]>();
for (const ent of entities)
  for (const id of identifiersOf(ent.properties))
    if (id.kind === 'registration') byRegistration.set(id.value, [...(byRegistration.get(id.value) ?? []), ent]);

describe('identifiers of the real screening lists', () => {
  it('turn no remark text, date or program into a registration number', () => {
    const withRemark = lists.entries.filter((e) => e.ids.some((t) => t.includes(REMARK)));
    expect(withRemark.length).toBeGreaterThan(20);
    expect(byRegistration.has('ASAMENDEDBYEXECUTIVEORDER13886')).toBe(false);
    expect([...byRegistration.keys()].filter((v) => REMARK_VALUE.test(v))).toEqual([]);
    // Real identifiers remain: the lists hold thousands of registration and tax numbers.
    expect(byRegistration.size).toBeGreaterThan(3000);
  });

  it('read the CSL websites and e-mail addresses as such, not as id numbers', () => {
    const all = entities.flatMap((e) => identifiersOf(e.properties));
    expect(all.some((i) => i.kind === 'website' && i.value === '90zavod.ru')).toBe(true);
    expect(all.filter((i) => i.kind === 'email').length).toBeGreaterThan(100);
    expect(all.some((i) => i.kind === 'registration' && /HTTP|WWW/.test(i.value))).toBe(false);
  });

  it('keep only values that look like identifiers', () => {
    expect(normalizeRegistration('Subject to Directive 4')).toBeNull();
    expect(normalizeRegistration('31 CFR 589.201 and/or 589.209')).toBeNull();
    expect(normalizeRegistration('24 Feb 2022')).toBeNull();
    expect(normalizeRegistration('91110000MA005UCQ5P')).toBe('91110000MA005UCQ5P');
    expect(normalizeRegistration('HK-2871-1190')).toBe('HK28711190');
    expect(normalizePhone('see remarks 12345678')).toBeNull();
    expect(normalizePhone('0000000000')).toBeNull();
    expect(normalizePhone('Tel. +86 755 8888 1234')).toBe('8675588881234');
    expect(normalizeEmail('info@@example.com')).toBeNull();
    expect(normalizeEmail('a..b@example.com')).toBeNull();
    expect(normalizeEmail('sales@example')).toBeNull();
    expect(normalizeEmail('Sales@Example.COM')).toBe('sales@example.com');
    expect(normalizeWebsite('not a site')).toBeNull();
    expect(normalizeWebsite('10.0.0.1')).toBeNull();
    expect(normalizeWebsite('https://www.alhadha.com/en')).toBe('alhadha.com');
    expect(normalizeAddress('Panama City, PA')).toBeNull();
    expect(normalizeAddress('50 Yongding Road, Haidian District, Beijing')).toBe(
      '50 yongding road haidian district beijing',
    );
  });
});

describe.each(backends)('resolution over real list entries ($name)', (backend) => {
  let db: Db;
  // A registration number two to five real entries share (a company and its branch or renamed copy).
  const [value, holders] = [...byRegistration].find(([, es]) => es.length >= 2 && es.length <= 5)!;
  const remarkedIds = new Set(lists.entries.filter((l) => l.ids.some((t) => t.includes(REMARK))).map((l) => l.id));
  const remarked = entities.filter((e) => remarkedIds.has(e.originRef!));
  beforeAll(async () => {
    db = await backend.open();
    const chosen = new Map([...remarked, ...holders].map((e) => [e.id, e]));
    await upsertEntities(db, [...chosen.values()], new Date('2026-05-01T00:00:00Z'));
  });
  afterAll(() => db.close());

  it('pairs entries by a shared registration number, never by shared remark text', async () => {
    const pairs = await findCandidates(db);
    const ids = (c: (typeof pairs)[number]) => [c.a.id, c.b.id];
    const byValue = pairs.filter((c) => c.reasons.some((r) => r.kind === 'registration' && r.values.includes(value)));
    expect(byValue.length).toBeGreaterThan(0);
    for (const c of byValue) expect(holders.map((h) => h.id)).toEqual(expect.arrayContaining(ids(c)));
    const values = pairs.flatMap((c) => c.reasons.flatMap((r) => ('values' in r ? r.values : [])));
    expect(values.filter((v) => REMARK_VALUE.test(v.toUpperCase().replace(/[^A-Z0-9]/g, '')))).toEqual([]);
  });
});
