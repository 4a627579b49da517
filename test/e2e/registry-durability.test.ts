// Durability with a real process: `chipwatch registry import` on a PGlite data directory is killed with
// SIGKILL at several points of a large import; after each crash the database reopens with the whole
// filing or none of it, and the registry tables and the transparency log agree.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDb } from '../../src/db/index.js';
import { registryIntegrity } from '../../src/registry/integrity.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'chipwatch.js');
const ROWS = 25_000;

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  ms: number;
  stdout: string;
  stderr: string;
}

function runImport(dir: string, file: string, killAfterMs?: number): Promise<Run> {
  const env = { ...process.env };
  delete env.DATABASE_URL; // the embedded database in the data directory, whatever the suite runs on
  const t0 = Date.now();
  const child = spawn(
    process.execPath,
    [BIN, 'registry', 'import', file, '--as', 'Durable Exports Inc', '--data-dir', dir, '--json'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => {
    stdout += d;
  });
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const timer = killAfterMs === undefined ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, ms: Date.now() - t0, stdout, stderr });
    }),
  );
}

async function inspect(dir: string, prefix: string) {
  const db = await openDb({ dataDir: join(dir, 'pgdata') });
  try {
    const [{ n }] = await db.query<{ n: number }>(
      'select count(*)::int as n from registry_transfers where serial like $1',
      [`${prefix}%`],
    );
    const [{ f }] = await db.query<{ f: number }>(
      'select count(distinct filing_id)::int as f from registry_transfers where serial like $1',
      [`${prefix}%`],
    );
    return { items: Number(n), filings: Number(f), integrity: await registryIntegrity(db) };
  } finally {
    await db.close();
  }
}

describe('registry durability (kill -9 during import)', () => {
  let dir: string;
  const file = (name: string, prefix: string, seed: number, count = ROWS) => {
    const p = join(dir, name);
    writeFileSync(p, rowsToCsv(sampleRows({ count, seed, serialPrefix: prefix })));
    return p;
  };
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist', 'bundle', 'main.cjs')))
      throw new Error('build first: npm run build (npm test does it in pretest)');
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-durable-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('leaves the whole filing or none, with tables and log in agreement', async () => {
    // Warm up: create and migrate the database, so the measured run is all import.
    expect((await runImport(dir, file('seed.csv', 'SEED-', 1, 10))).code).toBe(0);
    const full = await runImport(dir, file('a.csv', 'DA-', 2));
    expect(full.code, full.stderr).toBe(0);
    expect(JSON.parse(full.stdout)).toMatchObject({ items: ROWS, duplicate: false });

    // Kill at fractions of a full run: early ones land in parsing or in the open transaction.
    let killedMidway = 0;
    const attempts = [0.35, 0.6, 0.85].map((frac, i) => ({
      frac,
      prefix: `DK${i}-`,
      path: file(`k${i}.csv`, `DK${i}-`, 10 + i),
    }));
    for (const a of attempts) {
      const run = await runImport(dir, a.path, Math.round(full.ms * a.frac));
      const state = await inspect(dir, a.prefix);
      expect(state.integrity.problems).toEqual([]);
      expect([0, ROWS]).toContain(state.items);
      expect(state.filings).toBe(state.items === 0 ? 0 : 1);
      if (run.signal === 'SIGKILL' && state.items === 0) killedMidway++;
      if (run.signal !== 'SIGKILL') expect(state.items).toBe(ROWS); // finished before the kill: all of it
    }
    expect(killedMidway).toBeGreaterThanOrEqual(1);

    // After the crashes, the same files import completely, exactly once.
    for (const a of attempts) {
      const again = await runImport(dir, a.path);
      expect(again.code, again.stderr).toBe(0);
      const state = await inspect(dir, a.prefix);
      expect(state).toMatchObject({ items: ROWS, filings: 1, integrity: { ok: true } });
    }
    const dup = await runImport(dir, join(dir, 'a.csv'));
    expect(JSON.parse(dup.stdout)).toMatchObject({ duplicate: true, items: ROWS });
    const final = await inspect(dir, 'D');
    expect(final.integrity).toMatchObject({ ok: true, items: 4 * ROWS + 10, logSize: 4 * ROWS + 10 });
  }, 900_000);
});
