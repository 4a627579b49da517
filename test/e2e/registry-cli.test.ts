// The registry CLI as a user runs it (real processes on a PGlite data directory): template, import with
// problems and without, history JSON, obligations, flags, check, export.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');

describe('chipwatch registry (CLI)', () => {
  let dir: string;
  const cw = (...args: string[]) => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const r = spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', cwd: dir, timeout: 240_000 });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const cwJson = (...args: string[]) => {
    const r = cw(...args);
    expect(r.code, `chipwatch ${args.join(' ')}: ${r.err}`).toBe(0);
    return JSON.parse(r.out);
  };
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs')))
      throw new Error('build first: npm run build (npm test does it in pretest)');
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-registry-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the template as CSV and XLSX', async () => {
    const csv = cw('registry', 'template');
    expect(csv.code).toBe(0);
    expect(csv.out.trim()).toBe(TEMPLATE_COLUMNS.join(','));
    expect(cw('registry', 'template', '--xlsx', '-o', 't.xlsx').code).toBe(0);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(dir, 't.xlsx'));
    expect((wb.worksheets[0].getRow(1).values as unknown[]).slice(1)).toEqual([...TEMPLATE_COLUMNS]);
  });

  it('files, reports problems, answers history, obligations, flags, check and export', () => {
    // 150 4A090 items to Singapore in March 2026, filed now: reportable, and late (due 2026-04-30).
    const rows = sampleRows({ count: 150, seed: 21, serialPrefix: 'CLI-', month: '2026-03' });
    writeFileSync(join(dir, 'good.csv'), rowsToCsv(rows));
    const bad = rows.slice(0, 3).map((r) => ({ ...r }));
    bad[1].item_status = 'stolen';
    writeFileSync(join(dir, 'bad.csv'), rowsToCsv(bad));

    const rejected = cw('registry', 'import', 'bad.csv', '--as', 'CLI Exports Inc', '--data-dir', 'data');
    expect(rejected.code).toBe(1);
    expect(rejected.err).toContain('row 3, item_status: must be active, lost or destroyed');
    expect(rejected.err).toMatch(/chipwatch: row 3, column item_status: filing rejected/);

    expect(
      cwJson('registry', 'import', 'good.csv', '--as', 'CLI Exports Inc', '--data-dir', 'data', '--json'),
    ).toMatchObject({ items: 150, duplicate: false });
    expect(
      cwJson('registry', 'import', 'good.csv', '--as', 'CLI Exports Inc', '--data-dir', 'data', '--json'),
    ).toMatchObject({ duplicate: true });

    const h = cwJson('registry', 'history', 'CLI-0000007', '--data-dir', 'data', '--json');
    expect(Object.keys(h)).toEqual([
      'serial',
      'product',
      'eccn',
      'status',
      'currentOwner',
      'currentLocation',
      'history',
    ]);
    expect(h).toMatchObject({
      serial: 'CLI-0000007',
      eccn: '4A090.a',
      status: 'active',
      currentOwner: { name: rows[6].new_owner_name },
      currentLocation: { address: rows[6].location_address },
    });
    expect(h.history).toHaveLength(1);
    expect(h.history[0]).toMatchObject({
      filer: 'CLI Exports Inc',
      row: 8,
      begin: rows[6].transaction_begin_date,
      ownershipChange: true,
      foreignInvolved: true,
    });
    const missing = cw('registry', 'history', 'NOPE', '--data-dir', 'data');
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/no chip with serial NOPE/);

    // Items that stay within the US (owner and location) are not reportable.
    const foreign = rows.filter((r) => r.new_owner_country !== 'US' || r.location_country !== 'US').length;
    expect(foreign).toBeGreaterThan(100);
    expect(foreign).toBeLessThan(150);
    const ob = cwJson('registry', 'obligations', '--as-of', '2026-12-31', '--data-dir', 'data', '--json');
    expect(ob.obligations).toEqual([
      expect.objectContaining({
        ownerName: 'CLI Exports Inc',
        month: '2026-03',
        items: foreign,
        due: '2026-04-30',
        status: 'late',
        filedLate: foreign,
        filedOnTime: 0,
      }),
    ]);
    expect(
      cwJson('registry', 'obligations', '--as-of', '2026-02-28', '--data-dir', 'data', '--json').obligations,
    ).toEqual([]);
    expect(cw('registry', 'obligations', '--as-of', 'soon', '--data-dir', 'data').code).toBe(2);

    // The filer had no ownership record for these chips, but it sold them (ownership change): no flags.
    expect(cwJson('registry', 'flags', '--data-dir', 'data', '--json')).toEqual({ flags: [] });
    expect(cw('registry', 'check', '--data-dir', 'data').out).toMatch(/1 filings, 150 items, log size 150: consistent/);
    expect(cw('registry', 'export', '-o', 'out.csv', '--data-dir', 'data').code).toBe(0);
    expect(readFileSync(join(dir, 'out.csv'), 'utf8').split('\n').filter(Boolean)).toHaveLength(151);
  }, 600_000);
});
