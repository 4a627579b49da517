// scripts/check-line-length.mjs, which `npm run lint` (and so CI) runs: it must fail on a line over 120
// characters in tracked source and name it, and pass on source within the limit.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts/check-line-length.mjs');

let repo: string;
beforeEach(() => {
  repo = mkdtempSync(join(tmpdir(), 'cw-line-length-'));
  spawnSync('git', ['init', '-q'], { cwd: repo });
});
afterEach(() => rmSync(repo, { recursive: true, force: true }));

/** Writes files into the scratch checkout; `tracked` ones are added to git's index. */
function write(files: Record<string, string>, tracked = true): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, name)), { recursive: true });
    writeFileSync(join(repo, name), text);
    if (tracked) spawnSync('git', ['add', name], { cwd: repo });
  }
}

function check() {
  const r = spawnSync(process.execPath, [SCRIPT, repo], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('check-line-length', () => {
  it('fails naming file:line of each tracked source line over 120 characters', () => {
    write({
      'src/a.ts': `const ok = 1;\n// ${'x'.repeat(118)}\n`,
      'test/b.test.mjs': `${'y'.repeat(121)}\nconst fine = 2;\n${'z'.repeat(130)}\n`,
    });
    const r = check();
    expect(r.code).toBe(1);
    expect(r.err).toContain('src/a.ts:2: 121 characters');
    expect(r.err).toContain('test/b.test.mjs:1: 121 characters');
    expect(r.err).toContain('test/b.test.mjs:3: 130 characters');
    expect(r.err).toContain('3 line(s) longer than 120 characters');
  });

  it('passes at exactly 120 characters (counted as characters, not UTF-8 bytes)', () => {
    write({ 'src/a.ts': `${'a'.repeat(120)}\n// ${'λ'.repeat(117)}\n`, 'bin/c.cjs': 'x\r\ny\r\n' });
    const r = check();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 files, every line within 120 characters');
  });

  it('checks only tracked .ts/.mjs/.js/.cjs files of src, test, bench, scripts and bin', () => {
    const long = `${'q'.repeat(200)}\n`;
    write({ 'src/untracked.ts': long }, false);
    write({ 'docs/notes.ts': long, 'src/data.json': long, 'bench/ok.mjs': 'ok\n', 'scripts/ok.js': 'ok\n' });
    const r = check();
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('2 files');
  });
});

describe('npm run lint in CI', () => {
  it('package.json runs Biome and the line check; .ci/run lints after npm ci and before npm test', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.scripts.lint).toBe('biome check . && node scripts/check-line-length.mjs');
    expect(pkg.scripts.format).toBe('biome format --write .');
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8').split('\n');
    const at = (cmd: string) => ci.findIndex((l) => l.trim() === cmd || l.trim().startsWith(`${cmd} `));
    expect(at('npm ci')).toBeGreaterThan(-1);
    expect(at('npm run lint')).toBeGreaterThan(at('npm ci'));
    expect(at('npm test')).toBeGreaterThan(at('npm run lint'));
  });
});
