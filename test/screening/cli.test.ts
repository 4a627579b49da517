// The screening commands in-process: the documented JSON shape, batch files in input order, CSV
// output, progress-free non-TTY runs, and bad input (one line, exit 1, nothing written).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/app/main.js';
import { cslExtract } from './shared-data.js';

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  try {
    const code = await run(['node', 'chipwatch', ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

describe('chipwatch screen', () => {
  let dir: string;
  let lists: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-screen-'));
    lists = join(dir, 'csl.csv');
    writeFileSync(
      lists,
      cslExtract(['Albin Technologies', 'Huawei Technologies Co., Ltd.', 'Alagir Resistor Factory']),
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the documented JSON for one name', async () => {
    const r = await cli(
      'screen',
      'Albin Technologies',
      '--country',
      'MY',
      '--json',
      '--lists',
      lists,
      '--data-dir',
      dir,
    );
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body).toMatchObject({ query: { name: 'Albin Technologies', country: 'MY' }, decision: 'match' });
    expect(body.matches[0]).toMatchObject({
      list: 'EL',
      name: 'Albin Technologies Sdn Bhd.',
      matchedName: 'Albin Technologies Sdn Bhd.',
    });
    expect(body.matches[0].explanation).toMatch(/country MY matches/);
  });

  it('screens a file: JSON array in input order, or a results CSV', async () => {
    const parties = join(dir, 'parties.csv');
    writeFileSync(
      parties,
      'name,country,address\nAcme Widgets,US,\n"Алагир Резистор Фактори",RU,\n' +
        'Albin Technolgies,MY,"Plaza Damas, Kuala Lumpur"\n',
    );
    const r = await cli('screen', '--file', parties, '--json', '--lists', lists, '--data-dir', dir);
    expect(r.code).toBe(0);
    expect(
      JSON.parse(r.out).map((x: { query: { name: string }; decision: string }) => [x.query.name, x.decision]),
    ).toEqual([
      ['Acme Widgets', 'clear'],
      ['Алагир Резистор Фактори', 'match'],
      ['Albin Technolgies', 'match'],
    ]);
    const out = join(dir, 'results.csv');
    const w = await cli('screen', '--file', parties, '--out', out, '--lists', lists, '--data-dir', dir);
    expect(w.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'row,name,country,address,decision,score,list,entry_id,listed_name,matched_name,matches,explanation,aliases',
    );
    expect(lines).toHaveLength(4);
    expect(lines[3]).toMatch(/^4,Albin Technolgies,MY,"Plaza Damas, Kuala Lumpur",match,/);
    expect(w.err).toMatch(/3 parties: 2 match, 0 review, 1 clear/);
  });

  it('names the bad row and column, exits 1, and writes nothing', async () => {
    const parties = join(dir, 'bad.csv');
    writeFileSync(parties, 'name,country\nAcme,US\n,DE\n');
    const out = join(dir, 'never.csv');
    const r = await cli('screen', '--file', parties, '--out', out, '--lists', lists, '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(`chipwatch: row 3, column name: ${parties}: empty name`);
    expect(existsSync(out)).toBe(false);
    writeFileSync(parties, 'name,country\nAcme,Narnia\n');
    expect((await cli('screen', '--file', parties, '--lists', lists, '--data-dir', dir)).err).toMatch(
      /row 2, column country: .*unknown country "Narnia"/,
    );
  });

  it('rejects usage mistakes with exit 2', async () => {
    expect((await cli('screen', '--data-dir', dir)).code).toBe(2);
    expect((await cli('screen', 'x', '--out', join(dir, 'o.csv'), '--data-dir', dir)).code).toBe(2);
  });

  it('rejects out-of-range look-ahead and check intervals as usage errors, before touching any data', async () => {
    for (const args of [
      ['cases', 'due', '--days', '401'],
      ['cases', 'verify-due', '--days', '-1'],
      ['serve', '--check-interval', '20000'],
    ]) {
      const r = await cli(...args, '--data-dir', join(dir, 'never'));
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/must be an integer from 0 to (400|10080)/);
    }
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });
});
