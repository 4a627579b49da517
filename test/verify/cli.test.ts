// The verify commands through the real CLI entry (in-process): output shapes and exit codes.
import { describe, it, expect, vi, afterEach } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/app/main.js';

const dir = mkdtempSync(join(tmpdir(), 'verify-cli-'));
function capture() {
  const out: string[] = [],
    err: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    err.push(String(s));
    return true;
  });
  return { out: () => out.join(''), err: () => err.join('') };
}
afterEach(() => vi.restoreAllMocks());

describe('chipwatch verify (CLI)', () => {
  it('locate --json answers an array in input order', async () => {
    const f = join(dir, 'obs.json');
    writeFileSync(
      f,
      JSON.stringify([
        {
          declared: { lat: 3.139, lon: 101.6869 },
          observations: [{ landmark: { id: 'kl', lat: 3.139, lon: 101.6869 }, rttMs: 2 }],
        },
        { observations: [] },
      ]),
    );
    const c = capture();
    expect(await run(['node', 'chipwatch', 'verify', 'locate', '--observations', f, '--json'])).toBe(0);
    const out = JSON.parse(c.out());
    expect(out.map((x: { verdict: string }) => x.verdict)).toEqual(['proven-outside', 'no-response']);
    expect(out[0].marginKm.CN).toBeGreaterThan(1000);
    expect(out[0].region.type).toBe('Feature');
  });

  it('locate: bad files are one line and exit 1; a missing option is exit 2', async () => {
    const f = join(dir, 'bad.json');
    writeFileSync(f, '{"observations": [{"landmark": {"id": "x", "lat": 100, "lon": 0}, "rttMs": 1}]}');
    let c = capture();
    expect(await run(['node', 'chipwatch', 'verify', 'locate', '--observations', f])).toBe(1);
    expect(c.err()).toMatch(/^chipwatch: field observations\.0\.landmark\.lat: .*90/);
    vi.restoreAllMocks();
    c = capture();
    writeFileSync(f, '{');
    expect(await run(['node', 'chipwatch', 'verify', 'locate', '--observations', f])).toBe(1);
    expect(c.err()).toMatch(/not valid JSON/);
    vi.restoreAllMocks();
    capture();
    expect(await run(['node', 'chipwatch', 'verify', 'locate'])).toBe(2);
  });

  it('plan --json lists the landmarks that can prove a Kuala Lumpur site', async () => {
    const c = capture();
    expect(await run(['node', 'chipwatch', 'verify', 'plan', '--lat', '3.139', '--lon', '101.6869', '--json'])).toBe(0);
    const rows = JSON.parse(c.out()) as { landmarkId: string; canProve: boolean; maxRttMs: number | null }[];
    expect(rows.filter((r) => r.canProve).map((r) => r.landmarkId)).toContain('kuala-lumpur');
    expect(rows.find((r) => r.landmarkId === 'taipei')!.canProve).toBe(false);
    vi.restoreAllMocks();
    capture();
    expect(await run(['node', 'chipwatch', 'verify', 'plan', '--lat', '95', '--lon', '0'])).toBe(2);
  });
});
