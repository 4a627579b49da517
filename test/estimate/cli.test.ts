// The estimate CLI as a user runs it: a real process on the built CLI (npm test builds dist/ first).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(__dirname, '..', '..', 'bin', 'chipwatch.js');
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHIPWATCH_DEBUG: '' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const tmp = mkdtempSync(join(tmpdir(), 'chipwatch-estimate-'));

describe('chipwatch estimate', () => {
  it('--json prints exactly one object of the documented shape', () => {
    const r = cli('estimate', '--samples', '20000', '--seed', '4', '--threshold', 'smuggled=100k', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['model', 'samples', 'seed', 'outputs']);
    expect(j).toMatchObject({ model: 'smuggling-2024', samples: 20000, seed: 4 });
    expect(Object.keys(j.outputs.smuggled)).toEqual([
      'mean',
      'sd',
      'p5',
      'p25',
      'p50',
      'p75',
      'p95',
      'min',
      'max',
      'pAbove',
    ]);
    expect(Object.keys(j.outputs.smuggled.pAbove)).toEqual(['100000']);
    expect(j.outputs.pathway1.pAbove).toBeUndefined();
    expect(r.err).toBe('');
  });
  it('--sensitivity adds sorted rows per output', () => {
    const j = JSON.parse(cli('estimate', 'enforcement-2026', '-n', '20000', '--sensitivity', '--json').out);
    const rows = j.sensitivity.fundedShare;
    expect(rows[0]).toEqual({
      input: expect.any(String),
      spearman: expect.any(Number),
      varianceShare: expect.any(Number),
    });
    for (let i = 1; i < rows.length; i++)
      expect(Math.abs(rows[i - 1].spearman)).toBeGreaterThanOrEqual(Math.abs(rows[i].spearman));
  });
  it('prints a table, histograms and a tornado for people', () => {
    const r = cli('estimate', '-n', '20000', '--sensitivity');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/smuggling-2024 · 20,000 samples · seed 1/);
    expect(r.out).toMatch(/^smuggled\s+\S+/m);
    expect(r.out).toMatch(/log scale/);
    expect(r.out).toMatch(/sensitivity of smuggled/);
  });
  it('runs a model file with --set, and writes --plot and --csv', () => {
    const file = join(tmp, 'm.sq');
    writeFileSync(file, 'a = 10 to 100\nb = a * 2\n{a, b}\n');
    const png = join(tmp, 'plot.png'),
      svg = join(tmp, 'plot.svg'),
      csv = join(tmp, 's.csv');
    const r = cli('estimate', file, '-n', '1000', '--set', 'a=normal(50, 1)', '--plot', png, '--csv', csv, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).outputs.b.p50).toBeGreaterThan(95);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('"a","b"');
    expect(lines).toHaveLength(1001);
    const [a, b] = lines[1].split(',').map(Number);
    expect(b).toBeCloseTo(2 * a, 9);
    expect(cli('estimate', file, '-n', '1000', '--plot', svg).code).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
  });
  it('draws a tornado chart with --sensitivity --tornado, and refuses --tornado alone', () => {
    const svg = join(tmp, 't.svg');
    expect(cli('estimate', '-n', '5000', '--sensitivity', '--tornado', svg, '--json').code).toBe(0);
    const text = readFileSync(svg, 'utf8');
    expect(text).toMatch(/chipsPerVendorMonth/);
    expect(cli('estimate', '-n', '5000', '--tornado', svg).code).toBe(2);
  });
  it('lists models', () => {
    const j = JSON.parse(cli('estimate', 'models', '--json').out);
    expect(j.map((m: { name: string }) => m.name)).toEqual(
      expect.arrayContaining(['smuggling-2024', 'enforcement-2026']),
    );
    expect(cli('estimate', 'models').out).toMatch(/smuggling-2024\s+Controlled AI chips/);
  });
  it('compares scenarios side by side', () => {
    const r = cli(
      'estimate',
      'compare',
      'smuggling-2024',
      '-n',
      '20000',
      '--scenario',
      'crackdown:vendors=10 to 40',
      '--json',
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.scenarios.map((s: { name: string }) => s.name)).toEqual(['baseline', 'crackdown']);
    expect(j.scenarios[1].outputs.smuggled.p50).toBeLessThan(j.scenarios[0].outputs.smuggled.p50);
    const text = cli(
      'estimate',
      'compare',
      'smuggling-2024',
      '-n',
      '5000',
      '--scenario',
      'crackdown:vendors=10 to 40',
    ).out;
    expect(text).toMatch(/baseline\s+crackdown/);
  });
  it('model errors: exit 1, one line with line:column, no stack trace', () => {
    const file = join(tmp, 'bad.sq');
    writeFileSync(file, 'vendors = 38 to 150\nx = vendrs * 2\n{x}\n');
    const r = cli('estimate', file);
    expect(r.code).toBe(1);
    expect(r.err).toBe('chipwatch: 2:5: unknown name vendrs; did you mean vendors?\n');
    expect(r.out).toBe('');
    const r2 = cli('estimate', 'no-such-model');
    expect(r2.code).toBe(1);
    expect(r2.err).toMatch(/^chipwatch: no bundled model or file named no-such-model/);
    expect(r2.err.trim().split('\n')).toHaveLength(1);
  });
  it('errors in --set, --threshold and --scenario name the argument, not a line:column of the model', () => {
    const oneLine = (...args: string[]) => {
      const r = cli(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      return r.err.trim();
    };
    const run = ['estimate', '-n', '1000'];
    expect(oneLine(...run, '--set', 'vendors=banana')).toBe('chipwatch: --set vendors=banana: unknown name banana');
    expect(oneLine(...run, '--set', 'vendors=50 to banana')).toBe(
      'chipwatch: --set vendors=50 to banana: unknown name banana (at column 7)',
    );
    expect(oneLine(...run, '--set', 'vendors=50 to')).toBe(
      'chipwatch: --set vendors=50 to: expected a number, name, "(" or "[" but found the end of the expression (at ' +
        'column 6)',
    );
    expect(oneLine(...run, '--set', 'vendorz=3')).toBe(
      'chipwatch: --set vendorz=3: the model has no binding named vendorz; did you mean vendors?',
    );
    expect(oneLine(...run, '--set', 'vendors=log(0-1)')).toMatch(
      /^chipwatch: --set vendors=log\(0-1\): vendors is NaN/,
    );
    expect(oneLine(...run, '--threshold', 'smugled=5')).toMatch(
      /^chipwatch: --threshold smugled=5: the model has no output named smugled; did you mean smuggled\?/,
    );
    const compare = ['estimate', 'compare', 'smuggling-2024', '-n', '1000'];
    expect(oneLine(...compare, '--scenario', 'hi:vendors=2;vendors2=3')).toMatch(
      /^chipwatch: --scenario hi:vendors2=3: the model has no binding named vendors2/,
    );
    expect(oneLine(...compare, '--set', 'vendors=banana', '--scenario', 'hi:vendors=2')).toBe(
      'chipwatch: --set vendors=banana: unknown name banana',
    );
    expect(oneLine(...compare, '--set', 'vendors=2', '--scenario', 'hi:vendors=banana')).toBe(
      'chipwatch: --scenario hi:vendors=banana: unknown name banana',
    );
    // A mistake in the model itself still points into the model.
    const file = join(tmp, 'bad.sq');
    writeFileSync(file, 'a = 10 to 100\nb = a * nope\n{b}\n');
    expect(oneLine('estimate', file, '-n', '1000')).toBe('chipwatch: 2:9: unknown name nope');
  });
  it('usage errors: exit 2', () => {
    expect(cli('estimate', '--samples', 'many').code).toBe(2);
    expect(cli('estimate', '--set', 'novalue').code).toBe(2);
    expect(cli('estimate', '--frobnicate').code).toBe(2);
    expect(cli('estimate', 'compare', 'smuggling-2024').code).toBe(2);
  });
  it('--help works on every estimate command', () => {
    for (const args of [['estimate'], ['estimate', 'models'], ['estimate', 'compare']]) {
      const r = cli(...args, '--help');
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/Usage: chipwatch estimate/);
    }
  });
  it('a bad plot extension is a usage error, found before any sampling, and writes nothing', () => {
    const r = cli('estimate', '-n', '1000', '--plot', join(tmp, 'x.gif'));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/\.svg or \.png/);
    expect(existsSync(join(tmp, 'x.gif'))).toBe(false);
  });
});
