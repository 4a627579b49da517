// `chipwatch serve --data-dir D` started from another directory signs checkpoints with D's log key:
// the tlog routes take their key-encryption-key source from serve (no stray ./.chipwatch/tlog.kek,
// no 409 because a fresh key-encryption key cannot open the log key made with D's).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const DROP = ['DATABASE_URL', 'CHIPWATCH_LOG_KEK', 'CHIPWATCH_DATA_DIR'];
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !DROP.includes(k)));

// Each test runs the bin several times (4-8 s each on a loaded 2-core machine).
describe('serve --data-dir from another working directory', { timeout: 240_000 }, () => {
  let base: string;
  let server: ChildProcess | undefined;
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs'))) throw new Error('build first: npm run build');
    base = mkdtempSync(join(tmpdir(), 'chipwatch-serve-dir-'));
  });
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGTERM');
    rmSync(base, { recursive: true, force: true });
  });

  it("signs a checkpoint with the data directory's key (201), writing nothing in the working directory", async () => {
    const data = join(base, 'data');
    const elsewhere = join(base, 'elsewhere');
    mkdirSync(elsewhere);
    const cw = (...args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { env: ENV, encoding: 'utf8', cwd: elsewhere });
    const rows = sampleRows({ count: 3, seed: 3, serialPrefix: 'SRV-', month: '2026-03' });
    writeFileSync(join(base, 'filing.csv'), rowsToCsv(rows));
    expect(cw('registry', 'import', join(base, 'filing.csv'), '--as', 'Serve Ltd', '--data-dir', data).status).toBe(0);
    expect(existsSync(join(data, 'tlog.kek'))).toBe(true);
    const key = JSON.parse(cw('keys', 'create', '--role', 'admin', '--data-dir', data, '--json').stdout).key as string;

    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const serveArgs = [
      'serve',
      '--data-dir',
      data,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--check-interval',
      '0',
    ];
    server = spawn(process.execPath, [BIN, ...serveArgs], { env: ENV, cwd: elsewhere });
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server!.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
        if (m) resolve(m[1]);
      });
      let err = '';
      server!.stderr!.on('data', (c: Buffer) => {
        err += c.toString();
      });
      server!.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
    });
    const headers = { authorization: `Bearer ${key}` };
    const res = await fetch(`${url}/api/log/checkpoint`, { method: 'POST', headers });
    expect(res.status, await res.clone().text()).toBe(201);
    expect(((await res.json()) as { treeSize: number }).treeSize).toBe(3);
    expect(existsSync(join(elsewhere, '.chipwatch'))).toBe(false);
  });
});
