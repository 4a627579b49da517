// What a hostile or foreign spreadsheet does to `chipwatch registry import`, through the built bin as a
// user runs it: a Latin-1 CSV is refused naming row, column and byte offset (nothing written) unless
// --encoding latin1 is given; random bytes named .xlsx and an XLSX zip bomb are refused in the user's
// words, quickly, in little memory; and right after an import `chipwatch log verify` succeeds.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { xlsxBomb } from '../tabular/zip-fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const PROBE = join(ROOT, 'test', 'registry', 'rss-probe.cjs');
const INTERNALS = /Invalid string length|Cannot read properties|at .*\(.*:\d+:\d+\)|TypeError|RangeError/;

// Each test runs the bin several times (4-8 s each on a loaded 2-core machine).
describe('chipwatch registry import: encodings, file kinds, zip bombs, log afterwards', { timeout: 240_000 }, () => {
  let dir: string;
  const cw = (...args: string[]) => {
    const env: NodeJS.ProcessEnv = { ...process.env, CHIPWATCH_TEST_RSS_FILE: join(dir, 'rss.txt') };
    delete env.DATABASE_URL;
    delete env.CHIPWATCH_LOG_KEK;
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['-r', PROBE, BIN, ...args], { env, encoding: 'utf8', cwd: dir });
    const rssMb = Number(readFileSync(join(dir, 'rss.txt'), 'utf8')) / 1024;
    return { code: r.status, out: r.stdout, err: r.stderr, ms: performance.now() - t0, rssMb };
  };
  type Counts = { filings: number; items: number; logSize: number };
  const state = () => JSON.parse(cw('registry', 'check', '--data-dir', 'data', '--json').out) as Counts;
  const file = (name: string, ...more: string[]) =>
    cw('registry', 'import', name, '--as', 'Exports SA', '--data-dir', 'data', ...more);
  const rowsOf = (count: number, seed: number, serialPrefix: string) =>
    sampleRows({ count, seed, serialPrefix, month: '2026-03' });

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) throw new Error('build first: npm run build');
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-intake-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a Latin-1 CSV naming row, column and offset, writes nothing, and files it with --encoding latin1', () => {
    const rows = rowsOf(3, 5, 'ENC-');
    writeFileSync(join(dir, 'first.csv'), rowsToCsv(rowsOf(2, 6, 'FIRST-')));
    expect(file('first.csv').code).toBe(0);
    const before = state();
    expect(before).toMatchObject({ filings: 1, items: 2, logSize: 2 });

    rows[1].new_owner_name = 'Société Générale Calcul';
    const text = rowsToCsv(rows);
    const latin1 = Buffer.from(text, 'latin1');
    writeFileSync(join(dir, 'latin1.csv'), latin1);
    const offset = latin1.indexOf(0xe9);
    const r = file('latin1.csv');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'chipwatch: row 3, column new_owner_name: filing rejected: ' + `byte 0xE9 at byte offset ${offset} is not UTF-8`,
    );
    expect(r.err).toMatch(/--encoding latin1/);
    expect(state()).toEqual(before);

    const ok = file('latin1.csv', '--encoding', 'latin1', '--json');
    expect(ok.code, ok.err).toBe(0);
    const h = JSON.parse(cw('registry', 'history', rows[1].serial_number, '--data-dir', 'data', '--json').out);
    expect(h.currentOwner.name).toBe('Société Générale Calcul');
    // The same text as UTF-8 with a byte order mark is the same filing (same content), accepted without a flag.
    writeFileSync(join(dir, 'bom.csv'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    expect(JSON.parse(file('bom.csv', '--json').out)).toMatchObject({ duplicate: true });
    expect(file('bom.csv', '--encoding', 'ebcdic').code).toBe(2);
  });

  it('judges the kind by content: random bytes named .xlsx are not read as CSV', () => {
    writeFileSync(join(dir, 'junk.xlsx'), Buffer.concat([Buffer.from([0x07]), randomBytes(4096)]));
    const r = cw('registry', 'import', 'junk.xlsx', '--as', 'Exports SA', '--data-dir', 'fresh');
    expect(r.code).toBe(1);
    const reason = 'not a CSV or XLSX file: binary content (control byte 0x07 at byte offset 0)';
    expect(r.err).toBe(`  ${reason}\nchipwatch: filing rejected: ${reason}\n`);
    expect(existsSync(join(dir, 'fresh'))).toBe(false);
    // A real CSV named .xlsx is a CSV.
    writeFileSync(join(dir, 'named-wrong.xlsx'), rowsToCsv(rowsOf(1, 9, 'NW-')));
    expect(file('named-wrong.xlsx').code).toBe(0);
  });

  it("refuses an XLSX zip bomb in the user's words, in under a few seconds and 300 MB", () => {
    const bomb = xlsxBomb(1024); // 1 GB of sheet in about 2.5 MB
    writeFileSync(join(dir, 'bomb.xlsx'), bomb);
    const before = state();
    const r = cw('registry', 'import', 'bomb.xlsx', '--as', 'X', '--data-dir', 'data');
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      'chipwatch: filing rejected: the spreadsheet expands to more than 256 MB when unpacked; ' +
        'split the filing into smaller files',
    );
    expect(r.err).not.toMatch(INTERNALS);
    expect(r.err.trim().split('\n')).toHaveLength(2);
    expect(r.ms).toBeLessThan(8000); // 0.8 s idle, start-up included; unguarded it was ~29 s
    expect(r.rssMb).toBeLessThan(300);
    expect(state()).toEqual(before);
    // Under the size limit, one 200 MB cell (exceljs: ~10 s and ~900 MB building one string) is refused too.
    writeFileSync(join(dir, 'cell.xlsx'), xlsxBomb(200, 'one-cell'));
    const cell = cw('registry', 'import', 'cell.xlsx', '--as', 'X', '--data-dir', 'data');
    expect(cell.code).toBe(1);
    expect(cell.err).toMatch(/^chipwatch: filing rejected: the spreadsheet has a cell or value longer than 256 KB/m);
    expect(cell.ms).toBeLessThan(8000);
    expect(cell.rssMb).toBeLessThan(300);
  });

  it("leaves a log that verifies right after a new user's first import", () => {
    writeFileSync(join(dir, 'one.csv'), rowsToCsv(rowsOf(4, 11, 'NEW-')));
    expect(cw('registry', 'import', 'one.csv', '--as', 'New Filer', '--data-dir', 'newuser').code).toBe(0);
    const v = cw('log', 'verify', '--data-dir', 'newuser');
    expect(v.code, v.err).toBe(0);
    expect(v.out).toContain(
      '4 entries, 1 checkpoint(s) reproduced, verified up to tree size 4\n' +
        'OK: every entry matches the signed checkpoints',
    );
    expect(v.out).not.toMatch(/not covered by a checkpoint/);
  });
});
