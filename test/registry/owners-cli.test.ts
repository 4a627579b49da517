// Owners in a § 743.7 filing the way a user meets them, through the built bin on a PGlite data directory:
// `registry import` with owner-parent columns; a bad share refused by row and column with nothing stored;
// then `lists update` adding the 60% owner to the Entity List raises an ownership alert that
// `screen changes` shows with its chain.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { cslExtract } from '../screening/shared-data.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const COLS = [...TEMPLATE_COLUMNS, 'owner_parent_1_name', 'owner_parent_1_country', 'owner_parent_1_share'];

function filing(share: string, prefix: string): string {
  const cell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const rows = sampleRows({ count: 2, seed: 5, serialPrefix: prefix }).map(
    (r): Record<string, string> => ({
      ...r,
      new_owner_name: 'Harbour Compute Pte Ltd',
      new_owner_country: 'SG',
      owner_parent_1_name: 'Alagir Resistor Factory',
      owner_parent_1_country: 'RU',
      owner_parent_1_share: share,
    }),
  );
  return [COLS.join(','), ...rows.map((r) => COLS.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

describe('registry owners through the built bin', () => {
  let dir = '';
  const cw = (...args: string[]) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'cw')], {
      env,
      encoding: 'utf8',
      cwd: dir,
      timeout: 240_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) throw new Error('build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'cw-registry-owners-'));
    writeFileSync(join(dir, 'good.csv'), filing('60%', 'OWN-'));
    writeFileSync(join(dir, 'bad.csv'), filing('150', 'BAD-'));
    writeFileSync(join(dir, 'v1.csv'), cslExtract(['Albin Technologies', 'Al-Qertas']));
    writeFileSync(join(dir, 'v2.csv'), cslExtract(['Albin Technologies', 'Al-Qertas', 'Alagir Resistor Factory']));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('files owners, refuses a bad share by row and column, and alerts when the owner is listed', () => {
    const bad = cw('registry', 'import', 'bad.csv', '--as', 'Filer Co');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain(
      '  row 2, owner_parent_1_share: must be a percentage from 0 to 100 (e.g. 60 or 60%), or empty when unknown\n',
    );
    expect(bad.err).toMatch(/^chipwatch: .*filing rejected: must be a percentage .*\(and 1 more problem\)$/m);
    expect(bad.err).not.toMatch(/\bat .*\.c?js:\d+/); // no stack trace
    expect(existsSync(join(dir, 'cw'))).toBe(false); // refused before the database was opened

    const good = cw('registry', 'import', 'good.csv', '--as', 'Filer Co');
    expect(good.code, good.err).toBe(0);
    expect(good.out).toMatch(/^filed filing 1: 2 items/);

    const v1 = cw('lists', 'update', 'v1.csv');
    expect(v1.code, v1.err).toBe(0);
    expect(v1.out).toMatch(/re-screened \d+ known parties .*: 0 alerts/);
    const v2 = cw('lists', 'update', 'v2.csv');
    expect(v2.code, v2.err).toBe(0);
    expect(v2.out).toMatch(/: 1 alerts \(1 entry added\)/);
    const today = new Date().toISOString().slice(0, 10);
    const changes = cw('screen', 'changes', '--since', today);
    expect(changes.code, changes.err).toBe(0);
    expect(changes.out).toMatch(
      new RegExp(
        'NEW HIT\\s+registry \\d+\\s+Harbour Compute Pte Ltd \\(SG\\)\\s+\\(by ownership, 50% rule\\)\\n' +
          '\\s+EL Alagir Resistor Factory',
      ),
    );
    expect(changes.out).toContain(
      'entry added; listed parties own 60% (>= 50%): treated as listed under the 50% rule: ' +
        'Harbour Compute Pte Ltd <- 60% Alagir Resistor Factory (EL: Alagir Resistor Factory, match',
    );
    const json = JSON.parse(cw('screen', 'changes', '--since', today, '--json').out);
    expect(json.alerts).toEqual([expect.objectContaining({ basis: 'ownership', kind: 'new-hit' })]);
  }, 240_000);
});
