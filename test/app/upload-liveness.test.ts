// A successful 200,000-row registry upload must not stall the server (issue 14, Must 3): while its rows are
// written in one transaction, /healthz (liveness, no database) keeps answering in < 100 ms, and afterwards
// the filing is whole (items, log size) and /readyz (the database check) answers ok. Real HTTP, the built bin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call, expectResponsive, healthDuringUpload, latencySummary, serve, type Served } from './serve-process.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';

/** The embedded database even where DATABASE_URL is set: PGlite runs in the server's thread, the hard case. */
const EMBEDDED = { LOG_LEVEL: 'warn', DATABASE_URL: '' };

const ROWS = 200_000;
const RETRIES = { retry: 2, timeout: 300_000 };

describe('a 200,000-row upload and liveness (built bin)', () => {
  let dataDir: string;
  let server: Served;
  let admin: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cw-liveness-'));
    server = await serve(['--demo', '--no-demo-world', '--data-dir', dataDir], EMBEDDED);
    admin = readFileSync(join(dataDir, 'demo-admin.key'), 'utf8').trim();
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Timing on a shared 2-core machine: an attempt may meet a burst of other work, so up to two more attempts,
  // each a new filing; a server that blocks its event loop fails all three.
  let attempt = 0;
  it(
    'keeps /healthz responsive (p99 < 100 ms) all through a successful upload; the filing is whole',
    RETRIES,
    async () => {
      const body = `{"role":"filer","organisation":"Big Co ${attempt}"}`;
      const created = await call(server.port, 'POST', '/api/keys', { key: admin, body });
      const filer = JSON.parse(created.body).key as string;
      const before = JSON.parse((await call(server.port, 'GET', '/api/log/checkpoint', { key: admin })).body);
      const file = join(dataDir, 'filing.csv');
      const serialPrefix = `LIVE${attempt++}-`;
      writeFileSync(file, rowsToCsv(sampleRows({ count: ROWS, seed: 11, serialPrefix })));

      const r = await healthDuringUpload(server.port, filer, '/api/registry/filings/upload', 'text/csv', file);
      console.log(
        `/healthz during a ${ROWS}-row upload (${(r.ms / 1000).toFixed(1)} s): ${latencySummary(r.latencies).line}`,
      );
      expect(r.answer.status, r.answer.body).toBe(201);
      const filed = JSON.parse(r.answer.body);
      expect(filed).toMatchObject({ items: ROWS, duplicate: false, treeSize: before.treeSize + ROWS });
      expect(r.ms).toBeGreaterThan(1000);
      expect(r.latencies.length).toBeGreaterThan(50);
      expectResponsive(r.latencies);

      // Whole: the stored filing has every item, the log grew by one leaf per item, the last item has its leaf.
      const get = async (path: string, key: string) => JSON.parse((await call(server.port, 'GET', path, { key })).body);
      const filing = await get(`/api/registry/filings/${filed.filingId}`, filer);
      expect(filing).toMatchObject({ items: ROWS, firstLeafIndex: before.treeSize, treeSize: before.treeSize + ROWS });
      const last = await get(`/api/registry/filings/${filed.filingId}/items?offset=${ROWS - 1}&limit=5`, filer);
      const lastLeaf = before.treeSize + ROWS - 1;
      expect(last.items).toEqual([expect.objectContaining({ row: ROWS + 1, leafIndex: lastLeaf })]);
      const after = await get('/api/log/checkpoint', admin);
      expect(after.treeSize).toBe(before.treeSize + ROWS);
      const ready = await call(server.port, 'GET', '/readyz');
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'ok', database: 'pglite' });
    },
  );
});
