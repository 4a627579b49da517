// A big filing through the built bin, as a user files it, on PGlite and (DATABASE_URL) on PostgreSQL:
// 200,000 rows import in bounded memory (peak RSS of the whole process under 400 MB), and the same file
// with one bad row deep inside (after many batches were written) stores nothing and names row and column; the
// same rows in another order are recognised as the same filing (the content hash, computed on the reading thread).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { BIN, databases } from '../helpers/bin-dir.js';

const PROBE = join(import.meta.dirname, 'rss-probe.cjs');
const ROWS = 200_000;
const BAD_ROW = 150_001; // spreadsheet row (header = row 1)

/** A generated CSV of ROWS rows written in parts; `bad` replaces one row's country with ZZ. */
function bigCsv(path: string, bad: boolean): void {
  for (let part = 0; part < ROWS / 50_000; part++) {
    const rows = sampleRows({ count: 50_000, seed: 40 + part, serialPrefix: `BIG${part}-` });
    if (bad && part === 2) rows[BAD_ROW - 2 - 100_000].location_country = 'ZZ';
    const text = rowsToCsv(rows);
    if (part === 0) writeFileSync(path, text);
    else appendFileSync(path, text.slice(text.indexOf('\n') + 1));
  }
}

describe.each(databases)('chipwatch registry import of 200,000 rows ($name)', { timeout: 1_800_000 }, (database) => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let filingId: number | undefined;
  const cw = (...args: string[]) => {
    const r = spawnSync(process.execPath, ['-r', PROBE, BIN, ...args, '--data-dir', 'data'], {
      cwd: dir,
      env,
      encoding: 'utf8',
      timeout: 1_500_000,
    });
    const rssMb = Number(readFileSync(join(dir, 'rss.txt'), 'utf8')) / 1024;
    return { code: r.status, out: r.stdout, err: r.stderr, rssMb };
  };
  const state = () => JSON.parse(cw('registry', 'check', '--json').out) as { filings: number; items: number };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-stream-cli-'));
    const url = await database.url();
    env = { ...process.env, CHIPWATCH_TEST_RSS_FILE: join(dir, 'rss.txt') };
    delete env.CHIPWATCH_LOG_KEK;
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
    bigCsv(join(dir, 'bad.csv'), true);
    bigCsv(join(dir, 'good.csv'), false);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a bad row deep inside, naming its row and column, and stores nothing', () => {
    const r = cw('registry', 'import', 'bad.csv', '--as', 'Big Filer Inc');
    expect(r.code, r.err).toBe(1);
    expect(r.err).toContain(`  row ${BAD_ROW}, location_country: `);
    expect(r.err).not.toMatch(/\bat .*\.c?js:\d+/); // no stack trace
    expect(state()).toMatchObject({ filings: 0, items: 0 });
  });

  it('files 200,000 rows with a peak RSS under 400 MB, and the log agrees', () => {
    const r = cw('registry', 'import', 'good.csv', '--as', 'Big Filer Inc', '--json');
    expect(r.code, r.err).toBe(0);
    const receipt = JSON.parse(r.out);
    expect(receipt).toMatchObject({ duplicate: false, items: ROWS, treeSize: ROWS });
    filingId = receipt.filingId;
    expect(r.rssMb).toBeLessThan(400);
    expect(state()).toMatchObject({ filings: 1, items: ROWS, logSize: ROWS });
  });

  it('knows the same rows in another order as the same filing (its content hash, from the reading thread)', () => {
    // The rows in reverse order: the content hash does not depend on row order, so this is a duplicate.
    const lines = readFileSync(join(dir, 'good.csv'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(dir, 'reversed.csv'), `${[lines[0], ...lines.slice(1).reverse()].join('\n')}\n`);
    const r = cw('registry', 'import', 'reversed.csv', '--as', 'Big Filer Inc', '--json');
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ duplicate: true, filingId, items: ROWS });
    expect(state()).toMatchObject({ filings: 1, items: ROWS });
  });
});
