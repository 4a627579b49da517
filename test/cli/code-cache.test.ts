// bin/code-cache.js: the CLI bundle is compiled with its V8 code cache only when the cache was made from
// that very bundle; any other cache is ignored and the bundle still runs, compiled from source.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, utimesSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LOADER = fileURLToPath(new URL('../../bin/code-cache.js', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../dist/bundle/main.cjs', import.meta.url));

// A small bundle with enough functions for V8 to cache, and a run() like the CLI's; written, as the build
// writes the CLI, inside its CommonJS wrapper function.
const source = (answer: number) => `(function (exports, require, module, __filename, __dirname) { 'use strict';
function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
exports.run = async (argv) => {
  process.stdout.write(String(${answer} + fib(10) - 55) + ' ' + argv.slice(2).join(' '));
  return 0;
};
})`;

/** Loads `file` in a fresh process (as bin/chipwatch.js does); optionally writes its cache after. */
function load(file: string, write = false, args = 'hi') {
  const script = `const c = require(${JSON.stringify(LOADER)});
    const loaded = c.loadBundle(${JSON.stringify(file)});
    loaded.exports.run(['node', 'x', ${JSON.stringify(args)}]).then(() => {
      process.stderr.write('\\n__cache=' + loaded.cache);
      ${write ? `c.writeCodeCache(${JSON.stringify(file)}, loaded);` : ''}
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { out: r.stdout, cache: /__cache=(\w+)/.exec(r.stderr)?.[1] };
}

describe('code cache of the CLI bundle', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cw-cache-'));
    file = join(dir, 'main.cjs');
    writeFileSync(file, source(41));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('compiles from source without a cache, then uses the cache it wrote', () => {
    expect(load(file, true)).toEqual({ out: '41 hi', cache: 'missing' });
    expect(existsSync(`${file}.cache`)).toBe(true);
    expect(load(file)).toEqual({ out: '41 hi', cache: 'used' });
  });

  it('ignores a cache made from another bundle of the same length (V8 alone would accept it)', () => {
    load(file, true);
    writeFileSync(file, source(42)); // same length, other code
    expect(load(file)).toEqual({ out: '42 hi', cache: 'stale' });
  });

  it('ignores it even when the other bundle has the recorded modification time, if its CRC differs', () => {
    load(file, true);
    const { atime, mtime } = statSync(file);
    writeFileSync(file, source(43));
    utimesSync(file, atime, mtime); // a rewrite that kept the time (ms precision: the ns differ, so the CRC decides)
    expect(load(file)).toEqual({ out: '43 hi', cache: 'stale' });
  });

  it('keeps using the cache of a bundle whose times changed but not its bytes (as after npm pack)', () => {
    load(file, true);
    utimesSync(file, new Date('1985-10-26T08:15:00Z'), new Date('1985-10-26T08:15:00Z'));
    expect(load(file)).toEqual({ out: '41 hi', cache: 'used' });
  });

  it('falls back to the source when V8 rejects the cache data', () => {
    load(file, true);
    const cache = readFileSync(`${file}.cache`);
    cache.fill(7, 28); // our 20-byte header still matches; V8's own data is garbage
    writeFileSync(`${file}.cache`, cache);
    expect(load(file)).toEqual({ out: '41 hi', cache: 'rejected' });
  });

  it('the build wrote a cache that the CLI bundle uses', () => {
    expect(load(BUNDLE, false, '--version').cache).toBe('used');
  });
});
