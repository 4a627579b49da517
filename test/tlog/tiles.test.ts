// C2SP tlog-tiles: the path form and tile shapes of the spec, then the shipped product end to end — the
// built bin imports filings and writes `log tiles --out`, and a monitor that knows only the spec
// (spec-monitor.ts, node:crypto) verifies the static files and the HTTP endpoints, and catches tampering.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeTileIndex, parseTilePath, tilePath, tilesOfTree } from '../../src/tlog/tiles/paths.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { freshSchemaUrl } from '../helpers/db.js';
import { monitorLog, type Get } from './spec-monitor.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');

describe('tile paths (C2SP tlog-tiles)', () => {
  it('encodes indices in x-grouped 3-digit elements and parses them back', () => {
    expect(encodeTileIndex(1234067)).toBe('x001/x234/067');
    expect(encodeTileIndex(0)).toBe('000');
    expect(encodeTileIndex(1000)).toBe('x001/000');
    expect(tilePath({ kind: 'hash', level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(tilePath({ kind: 'entries', level: 0, index: 5, width: 17 })).toBe('tile/entries/005.p/17');
    expect(parseTilePath('tile/2/x001/x234/067.p/9')).toEqual({ kind: 'hash', level: 2, index: 1234067, width: 9 });
    expect(parseTilePath('tile/entries/x002/000')).toEqual({ kind: 'entries', level: 0, index: 2000, width: 256 });
  });

  it.each([
    'tile/0/1', // not 3 digits
    'tile/0/001/002', // inner element without x
    'tile/00/000', // leading zero level
    'tile/64/000', // level above 63
    'tile/0/000.p/256', // a partial tile is narrower than 256
    'tile/0/000.p/0',
    'tile/0/000.p/07',
    'tile/entries/x000', // last element has no x
    'tile/0/x000/005', // a second spelling of index 5
    '../checkpoint',
  ])('refuses %s with an error naming the path', (p) => {
    expect(() => parseTilePath(p)).toThrow(/is not a tile path/);
  });

  it('lists the tiles of a 70,000-leaf tree as the spec example does', () => {
    const tiles = [...tilesOfTree(70_000)].filter((t) => t.kind === 'hash');
    const at = (level: number) => tiles.filter((t) => t.level === level);
    expect(at(0).filter((t) => t.width === 256)).toHaveLength(273);
    expect(
      at(0)
        .filter((t) => t.width < 256)
        .map((t) => t.width),
    ).toEqual([112]);
    expect(at(1).map((t) => t.width)).toEqual([256, 17]);
    expect(at(2).map((t) => t.width)).toEqual([1]);
    expect(at(3)).toEqual([]);
    // A 256-leaf tree: one full level-0 tile and a level-1 partial of width 1.
    expect([...tilesOfTree(256)].map(tilePath)).toEqual(['tile/0/000', 'tile/entries/000', 'tile/1/000.p/1']);
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const databases = [{ name: 'pglite', url: async () => undefined as string | undefined }];
if (process.env.DATABASE_URL)
  databases.push({ name: 'postgres', url: () => freshSchemaUrl(process.env.DATABASE_URL!) });

const fileGet =
  (dir: string): Get =>
  async (p) =>
    existsSync(join(dir, p)) ? new Uint8Array(readFileSync(join(dir, p))) : null;

describe.each(databases)('a monitor verifies the log from its tiles alone ($name)', ({ url }) => {
  it('static files written by `log tiles --out`, incrementally, and the HTTP endpoints', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-tiles-'));
    dirs.push(dir);
    const databaseUrl = await url();
    const env = { ...process.env };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    delete env.CHIPWATCH_WITNESSES;
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'data')], {
        cwd: dir,
        env,
        encoding: 'utf8',
      });
      expect(r.stderr.replace(/chipwatch: note: .*\n/g, '')).toBe('');
      expect(r.status).toBe(0);
      return r.stdout;
    };
    // 600 items: two full level-0 tiles and a partial one; then 100 more.
    writeFileSync(join(dir, 'a.csv'), rowsToCsv(sampleRows({ count: 600, seed: 7, serialPrefix: 'TA-' })));
    writeFileSync(join(dir, 'b.csv'), rowsToCsv(sampleRows({ count: 100, seed: 8, serialPrefix: 'TB-' })));
    run('registry', 'import', 'a.csv', '--as', 'Acme');
    const vkey = run('log', 'vkey').trim();
    const out = join(dir, 'tiles');
    expect(run('log', 'tiles', '--out', out)).toMatch(/^tree size 600: 7 tile\(s\) written .* 0 full tile/);
    const first = await monitorLog(fileGet(out), vkey);
    expect(first.checkpoint.size).toBe(600);
    expect(first.tilesChecked).toBe(4); // 0/000, 0/001, 0/002.p/88, 1/000.p/2
    const old = readFileSync(join(out, 'checkpoint'), 'utf8');

    run('registry', 'import', 'b.csv', '--as', 'Acme');
    // Incremental: the two full level-0 tiles and their bundles stay; the rest is written.
    expect(run('log', 'tiles', '--out', out)).toMatch(
      /^tree size 700: 3 tile\(s\) written .* 4 full tile\(s\) already/,
    );
    const second = await monitorLog(fileGet(out), vkey, [old]);
    expect(second.checkpoint.size).toBe(700);
    // An entry is the registry item's leaf data itself (v2: the item's columns in template order).
    const entry = JSON.parse(Buffer.from(second.entries[650]).toString('utf8')) as { item: unknown[] };
    expect(entry.item[0]).toMatch(/^TB-/);

    // Tampering is caught, each with its reason.
    const tampered = (mutate: (d: string) => void) => {
      const t = mkdtempSync(join(tmpdir(), 'cw-tiles-bad-'));
      dirs.push(t);
      cpSync(out, t, { recursive: true });
      mutate(t);
      return monitorLog(fileGet(t), vkey, [old]);
    };
    const flip = (file: string, at: number) => (d: string) => {
      const b = readFileSync(join(d, file));
      b[at] ^= 1;
      writeFileSync(join(d, file), b);
    };
    await expect(tampered(flip('tile/0/001', 32 * 7 + 3))).rejects.toThrow('tile 0/1 hash 7 does not match');
    await expect(tampered(flip('tile/entries/000', 40))).rejects.toThrow(/tile 0\/0 hash 0 does not match/);
    await expect(tampered(flip('tile/1/000.p/2', 33))).rejects.toThrow('tile 1/0 hash 1 does not match');
    await expect(tampered((d) => rmSync(join(d, 'tile/entries/002.p/188')))).rejects.toThrow('is missing');
    await expect(
      tampered((d) => {
        const cp = readFileSync(join(d, 'checkpoint'), 'utf8').replace('\n700\n', '\n699\n');
        writeFileSync(join(d, 'checkpoint'), cp);
      }),
    ).rejects.toThrow('signature does not verify');

    // The same tree over HTTP, under /api/log/tiles/, with the caching the spec asks for.
    const { openDb } = await import('../../src/db/index.js');
    const { buildApp } = await import('../../src/app/server.js');
    const { createApiKey } = await import('../../src/accounts/index.js');
    const db = await openDb({ databaseUrl, dataDir: join(dir, 'data', 'pgdata') });
    const app = await buildApp({ db, tlog: { signer: null } });
    try {
      const { key } = await createApiKey(db, { role: 'auditor' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/log/tiles/`;
      const headers = { authorization: `Bearer ${key}` };
      const get: Get = async (p) => {
        const r = await fetch(base + p, { headers });
        return r.status === 200 ? new Uint8Array(await r.arrayBuffer()) : null;
      };
      const viaHttp = await monitorLog(get, vkey, [old]);
      expect(viaHttp.checkpoint.size).toBe(700);
      const full = await fetch(`${base}tile/0/000`, { headers });
      expect(full.headers.get('cache-control')).toMatch(/immutable/);
      expect(full.headers.get('content-type')).toBe('application/octet-stream');
      expect(Buffer.from(await full.arrayBuffer())).toEqual(readFileSync(join(out, 'tile/0/000')));
      const partial = await fetch(`${base}tile/entries/002.p/188`, { headers });
      expect(partial.headers.get('cache-control')).toBe('private, max-age=5');
      const cp = await fetch(`${base}checkpoint`, { headers });
      expect(cp.headers.get('content-type')).toBe('text/plain; charset=utf-8');
      expect(await cp.text()).toBe(readFileSync(join(out, 'checkpoint'), 'utf8'));
      // Beyond the published tree, malformed, or without a key: 4xx problem answers, never 5xx.
      expect((await fetch(`${base}tile/0/003`, { headers })).status).toBe(404);
      expect((await fetch(`${base}tile/0/002.p/189`, { headers })).status).toBe(404);
      const bad = await fetch(`${base}tile/0/2`, { headers });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { detail: string }).detail).toMatch(/is not a tile path/);
      expect((await fetch(`${base}tile/0/000`)).status).toBe(401);
    } finally {
      await app.close();
      await db.close();
    }
  }, 300_000);
});
