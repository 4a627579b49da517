// FtM JSON lines in and out, on both databases: a hand-written OpenSanctions-style sample imports to the
// entities and links it describes, export re-imports to the same bytes, import is idempotent and all or
// nothing, and every problem names its line and property.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { ValidationError } from '../../src/errors.js';
import { ftmLines } from '../../src/intel/ftm/export.js';
import { makeId } from '../../src/intel/ftm/ids.js';
import { importFtmFile } from '../../src/intel/ftm/import.js';
import { canMatch, isA } from '../../src/intel/ftm/model.js';
import { backends } from '../helpers/db.js';

const SAMPLE = join(import.meta.dirname, 'fixtures', 'ftm-sample.jsonl');
const NOW = new Date('2026-05-01T00:00:00Z');
const dir = mkdtempSync(join(tmpdir(), 'cw-ftm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function exportText(db: Db): Promise<string> {
  let s = '';
  for await (const line of ftmLines(db)) s += line;
  return s;
}

/** {id, schema, properties} of each line, properties with sorted names and values as given. */
function canonical(text: string): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const o = JSON.parse(l) as { id: string; schema: string; properties: Record<string, string[]> };
      const props = Object.fromEntries(Object.entries(o.properties).sort(([a], [b]) => a.localeCompare(b)));
      return JSON.stringify({ id: o.id, schema: o.schema, properties: props });
    })
    .sort();
}

let fileNo = 0;
function file(lines: string[]): string {
  const f = join(dir, `in-${++fileNo}.jsonl`);
  writeFileSync(f, lines.join('\n') + '\n');
  return f;
}

describe('the FtM model subset', () => {
  it('knows what extends what and which schemata can be one party', () => {
    expect(isA('Company', 'Organization')).toBe(true);
    expect(isA('Company', 'Asset')).toBe(true);
    expect(isA('Person', 'Organization')).toBe(false);
    expect(canMatch('Company', 'LegalEntity')).toBe(true);
    expect(canMatch('Company', 'PublicBody')).toBe(true);
    expect(canMatch('Person', 'Company')).toBe(false);
  });
  it('makes ids as FtM make_entity_id does (sha1 over the parts)', () => {
    // hashlib.sha1(b'registry' + b'party:1').hexdigest(), computed with Python.
    expect(makeId('registry', 'party:1')).toBe('0ec9e2de6f514e6b459836e128851f9e77ca7c3a');
  });
});

describe.each(backends)('FtM import and export ($name)', (backend) => {
  it('imports the sample: entities, and interval schemata as links between them', async () => {
    const db = await backend.open();
    try {
      expect(await importFtmFile(db, SAMPLE, NOW)).toEqual({ entities: 6, links: 4 });
      const links = await db.query<{ id: string; schema: string; source_id: string; target_id: string }>(
        'select id, schema, source_id, target_id from intel_links order by id',
      );
      expect(links.find((l) => l.id === 'xx-own-0001')).toMatchObject({
        schema: 'Ownership',
        source_id: 'xx-co-0001',
        target_id: 'xx-co-0002',
      });
      const [co] = await db.query<{ caption: string; origin: string; origin_ref: string }>(
        "select caption, origin, origin_ref from intel_entities where id = 'xx-co-0001'",
      );
      expect(co).toEqual({ caption: 'Harbourline Trading Limited', origin: 'ftm', origin_ref: 'ftm-sample.jsonl' });
      const ids = await db.query<{ kind: string; value: string }>(
        "select kind, value from intel_identifiers where entity_id = 'xx-co-0002' order by kind",
      );
      expect(ids).toEqual([
        { kind: 'email', value: 'sales@bluefin.example' },
        { kind: 'phone', value: '6560000001' },
        { kind: 'registration', value: '202399999Z' },
        { kind: 'website', value: 'bluefin.example' },
      ]);
      // The export says what the file said (FtM's own extra keys, such as datasets, are not kept).
      expect(canonical(await exportText(db))).toEqual(canonical(readFileSync(SAMPLE, 'utf8')));
    } finally {
      await db.close();
    }
  });

  it('re-imports its export into a fresh database to the same bytes, and a second import changes nothing', async () => {
    const first = await backend.open();
    let exported: string;
    try {
      await importFtmFile(first, SAMPLE, NOW);
      exported = await exportText(first);
    } finally {
      await first.close();
    }
    const second = await backend.open();
    try {
      const f = file([exported]);
      await importFtmFile(second, f, NOW);
      expect(await exportText(second)).toBe(exported);
      const before = await second.query('select id, updated_at from intel_entities order by id');
      await importFtmFile(second, f, new Date('2026-06-01T00:00:00Z'));
      expect(await second.query('select id, updated_at from intel_entities order by id')).toEqual(before);
      expect(await exportText(second)).toBe(exported);
    } finally {
      await second.close();
    }
  });

  it('refuses a file with problems, naming each line and property, and writes nothing', async () => {
    const db = await backend.open();
    try {
      const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n');
      const bad = [
        ...lines.slice(0, 3),
        '{"id": "x1", "schema": "Airplane", "properties": {}}',
        '{"id": "x2", "schema": "Company", "properties": {"country": ["Hong Kong"]}}',
        '{"id": "x3", "schema": "Company", "properties": {"colour": ["red"]}}',
        '{"id": "x4", "schema": "Ownership", "properties": {"owner": ["xx-co-0001"], "asset": ["nobody"]}}',
        '{"id": "x5", "schema": "Employment", "properties": {"employee": ["xx-co-0002"], "employer": ["xx-co-0001"]}}',
        'not json',
        '{"id": "xx-co-0001", "schema": "Company", "properties": {}}',
      ];
      const err = await importFtmFile(db, file(bad), NOW).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      const msg = (err as Error).message;
      expect(msg).toMatch(/^5 problems: /);
      expect(msg).toContain('line 4, field schema: schema "Airplane" is not one chipwatch keeps');
      expect(msg).toContain('line 5, field properties.country: "Hong Kong" is not a lower-case ISO country code');
      expect(msg).toContain('line 6, field properties.colour: Company has no property "colour"');
      expect(msg).toContain('line 9: not a JSON object');
      expect(msg).toContain('line 10, field id: id xx-co-0001 is already on line 1');
      // The links' ends are checked once every line parses.
      const err3 = await importFtmFile(db, file([...lines.slice(0, 3), bad[6], bad[7]]), NOW).catch((e: Error) => e);
      const msg3 = (err3 as Error).message;
      expect(msg3).toContain('line 4, field properties.asset: Ownership asset nobody is no entity');
      expect(msg3).toContain(
        'line 5, field properties.employee: Employment employee xx-co-0002 is a Company, not a Person',
      );
      expect(await db.query('select id from intel_entities')).toEqual([]);
      expect(await db.query('select id from intel_links')).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('links to entities already stored, and refuses an id stored as the other kind', async () => {
    const db = await backend.open();
    try {
      await importFtmFile(db, SAMPLE, NOW);
      const link = JSON.stringify({
        id: 'x-own-2',
        schema: 'Ownership',
        properties: { owner: ['xx-person-0001'], asset: ['xx-co-0001'] },
      });
      expect(await importFtmFile(db, file([link]), NOW)).toEqual({ entities: 0, links: 1 });
      const clash = '{"id": "xx-own-0001", "schema": "Company", "properties": {"name": ["Clash Ltd"]}}';
      const err = await importFtmFile(db, file([clash]), NOW).catch((e: ValidationError) => e);
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).toLine()).toBe('line 1, field id: id xx-own-0001 is already stored as a link');
    } finally {
      await db.close();
    }
  });
});
