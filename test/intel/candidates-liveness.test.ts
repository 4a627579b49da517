// GET /api/intel/candidates builds the screening matcher's index over every party's name: on the work pool,
// not the event loop. The built bin's server holds the real screening lists as entities (about 22,000); while
// candidates are computed, /healthz keeps answering at once, and the answer is the same as the CLI's core.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, call, expectResponsive, latencySummary, serve, type Served } from '../app/serve-process.js';

/** The embedded database even where DATABASE_URL is set: PGlite runs in the server's thread, the hard case. */
const EMBEDDED = { LOG_LEVEL: 'warn', DATABASE_URL: '' };

describe('GET /api/intel/candidates off the event loop (chipwatch serve)', () => {
  let dataDir: string;
  let server: Served;
  let analyst: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cw-cand-'));
    const sync = spawnSync(process.execPath, [BIN, 'intel', 'sync', '--data-dir', dataDir, '--json'], {
      env: { ...process.env, ...EMBEDDED },
      encoding: 'utf8',
      timeout: 280_000,
    });
    expect(sync.status, sync.stderr).toBe(0);
    server = await serve(['--demo', '--no-demo-world', '--data-dir', dataDir], EMBEDDED);
    const admin = readFileSync(join(dataDir, 'demo-admin.key'), 'utf8').trim();
    const body = '{"role":"analyst","organisation":"Analysts Co"}';
    const created = await call(server.port, 'POST', '/api/keys', { key: admin, body });
    expect(created.status).toBe(201);
    analyst = JSON.parse(created.body).key as string;
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps /healthz responsive while the matcher indexes every party', { retry: 2, timeout: 240_000 }, async () => {
    const list = await call(server.port, 'GET', '/api/intel/entities?origin=screening&limit=1', { key: analyst });
    expect(list.status).toBe(200);
    const total = JSON.parse(list.body).total as number | undefined;
    if (total !== undefined) expect(total).toBeGreaterThan(15_000);
    const started = Date.now();
    let done = false;
    const answer = call(server.port, 'GET', '/api/intel/candidates?limit=1000', { key: analyst }).finally(() => {
      done = true;
    });
    const latencies: number[] = [];
    while (!done) {
      const t = performance.now();
      const h = await call(server.port, 'GET', '/healthz');
      latencies.push(performance.now() - t);
      expect(h.status).toBe(200);
      await new Promise((r) => setTimeout(r, 20));
    }
    const r = await answer;
    const ms = Date.now() - started;
    expect(r.status, r.body).toBe(200);
    const { candidates } = JSON.parse(r.body) as { candidates: { reasons: { kind: string }[] }[] };
    // The real lists hold name pairs (an entry and its copy under another list) found by the matcher.
    expect(candidates.some((c) => c.reasons.some((x) => x.kind === 'name'))).toBe(true);
    // The work took seconds; health was asked all along and never waited for it.
    expect(ms).toBeGreaterThan(1000);
    expect(latencies.length).toBeGreaterThan(20);
    console.log(`candidates over the real lists: ${ms} ms; /healthz meanwhile: ${latencySummary(latencies).line}`);
    expectResponsive(latencies);
  });
});
