// FtM through the built bin, on both databases: `intel import --format ftm` of a hand-written sample, then
// `intel export --format ftm --out` re-imported into a fresh database exports the same bytes; a bad file is
// refused with its line and property, exit 1, no stack trace and nothing written.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databases, intelDir, removeIntelDirs } from './entities-bin-harness.js';

const SAMPLE = join(import.meta.dirname, 'fixtures', 'ftm-sample.jsonl');
afterAll(removeIntelDirs);

describe.each(databases)('intel import/export --format ftm, built bin ($name)', (database) => {
  it('exports what re-imports to the same entities and links', { timeout: 400_000 }, async () => {
    const one = await intelDir(database.url);
    expect(one.ok('import', SAMPLE, '--format', 'ftm')).toBe('imported 6 entities and 4 links\n');
    const out = join(one.dir, 'export.jsonl');
    expect(one.ok('export', '--format', 'ftm', '--out', out)).toMatch(/^wrote \d+ FtM entities to /);
    const exported = readFileSync(out, 'utf8');
    expect(exported).toContain('{"id":"xx-own-0001","schema":"Ownership","properties":{"asset":["xx-co-0002"]');
    // Standard output carries the same lines.
    expect(one.ok('export', '--format', 'ftm')).toBe(exported);
    // An existing file is never overwritten.
    expect(one.run('export', '--format', 'ftm', '--out', out).status).toBe(1);

    const two = await intelDir(database.url);
    const n = exported.trim().split('\n').length;
    const r = JSON.parse(two.ok('import', out, '--format', 'ftm', '--json')) as { entities: number; links: number };
    expect(r.entities + r.links).toBe(n);
    const again = join(two.dir, 'again.jsonl');
    two.ok('export', '--format', 'ftm', '--out', again);
    expect(readFileSync(again, 'utf8')).toBe(exported);
  });

  it('refuses a bad file naming the line and property, and writes nothing', { timeout: 400_000 }, async () => {
    const d = await intelDir(database.url);
    const before = d.ok('export', '--format', 'ftm');
    const bad = join(d.dir, 'bad.jsonl');
    const lines = readFileSync(SAMPLE, 'utf8').trim().split('\n');
    writeFileSync(
      bad,
      [...lines.slice(0, 2), '{"id": "b1", "schema": "Person", "properties": {"birthDate": ["May 1970"]}}'].join('\n'),
    );
    const r = d.run('import', bad, '--format', 'ftm');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'chipwatch: line 3, field properties.birthDate: "May 1970" is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)\n',
    );
    expect(d.ok('export', '--format', 'ftm')).toBe(before);
    const usage = d.run('export', '--format', 'csv');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--format must be ftm');
  });
});
