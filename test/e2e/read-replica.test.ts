// Scale-out reads with real processes: the test starts its own PostgreSQL primary and a streaming replica
// (initdb, pg_basebackup -R, a hot standby on another port), then the built `chipwatch serve` with DATABASE_URL
// and DATABASE_READ_URL. With WAL replay paused on the replica, a filing succeeds on the primary and reads back
// by id at once, while chip histories, filing listings and the CSV export (served by the replica) do not show it
// until replay resumes; the replica's statement log shows the reads and not one write (test/db/reader.test.ts
// shows that its sessions are read-only).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sampleRows } from '../../src/registry/sample.js';
import { BIN, call, freePort, serve, type Served } from '../app/serve-process.js';

/** The newest Debian PostgreSQL server binaries (CI installs them), or undefined. */
function serverBinaries(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'pg_basebackup')) && existsSync(join(root, v, 'bin', 'postgres')))
    .sort((a, b) => Number(a) - Number(b));
  return versions.length ? join(root, versions[versions.length - 1], 'bin') : undefined;
}

const PGBIN = serverBinaries();
const IS_ROOT = process.getuid?.() === 0;

/** A shell command as the server's owner: user postgres when we are root (the server refuses root), else us. */
function asPostgres(cmd: string): string {
  const r = IS_ROOT
    ? spawnSync('su', ['postgres', '-c', cmd], { cwd: '/', encoding: 'utf8' })
    : spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd}\nexit ${r.status}: ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function one<T>(url: string, sql: string, params: unknown[] = []): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql, params)).rows[0] as T;
  } finally {
    await c.end();
  }
}

async function until(what: string, ok: () => Promise<boolean>, ms = 15_000): Promise<void> {
  for (const deadline = Date.now() + ms; !(await ok()); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
  }
}

/** The statements a server ran, from its log (simple or extended protocol; a statement may span lines). */
function statements(log: string): string[] {
  return log
    .split(/\n(?=\d{4}-\d\d-\d\d )/) // each entry starts with its timestamp
    .map((entry) => /LOG:\s+(?:statement|execute [^:]*): ([\s\S]*)$/.exec(entry)?.[1])
    .filter((s): s is string => s !== undefined);
}

const WRITE = /\b(insert\s+into|update\s+\S+\s+set|delete\s+from|create\s|alter\s|drop\s|truncate\s|nextval)/i;

const title = PGBIN
  ? 'reads from a streaming replica (DATABASE_READ_URL), writes to the primary'
  : 'reads from a streaming replica: SKIPPED, no PostgreSQL server binaries under /usr/lib/postgresql';

describe.skipIf(!PGBIN)(title, () => {
  let dir: string;
  let primaryUrl: string;
  let replicaUrl: string;
  let server: Served | undefined;
  let filerKey: string;
  let regulatorKey: string;
  const started: string[] = [];

  const pgCtl = (data: string, args: string) => asPostgres(`${PGBIN}/pg_ctl -D ${data} ${args}`);
  const env = (readUrl?: string) => {
    const e: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: primaryUrl };
    if (readUrl) e.DATABASE_READ_URL = readUrl;
    else delete e.DATABASE_READ_URL;
    return e;
  };
  const bin = (args: string[], readUrl?: string) =>
    spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'app')], {
      encoding: 'utf8',
      env: env(readUrl),
      timeout: 30_000,
    });
  /** The primary's WAL position now, and a wait until the replica has replayed up to it. */
  const replayed = async () => {
    const { lsn } = await one<{ lsn: string }>(primaryUrl, 'select pg_current_wal_lsn()::text as lsn');
    await until('the replica to replay the primary', async () => {
      const r = await one<{ ok: boolean }>(replicaUrl, 'select pg_last_wal_replay_lsn() >= $1::pg_lsn as ok', [lsn]);
      return r.ok;
    });
  };
  const get = (path: string) => call(server!.port, 'GET', `/api${path}`, { key: regulatorKey });
  const file = (prefix: string, seed: number) =>
    call(server!.port, 'POST', '/api/registry/filings', {
      key: filerKey,
      body: JSON.stringify({ items: sampleRows({ count: 3, seed, serialPrefix: prefix }) }),
    });

  beforeAll(async () => {
    if (!existsSync(join(BIN, '..', '..', 'dist', 'bundle', 'main.cjs')))
      throw new Error('build first: npm run build (npm test does it in pretest)');
    dir = mkdtempSync(join(tmpdir(), 'cw-replica-'));
    if (IS_ROOT) chownSync(dir, ...uid('postgres'));
    const [p1, p2] = [await freePort(), await freePort()];
    const primary = join(dir, 'primary');
    const replica = join(dir, 'replica');
    const opts = (port: number, extra = '') =>
      `-o "-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off ${extra}"`;
    asPostgres(`${PGBIN}/initdb -D ${primary} -A trust -U postgres --no-sync >/dev/null`);
    pgCtl(primary, `${opts(p1, '-c wal_level=replica')} -l ${dir}/primary.log -w start >/dev/null`);
    started.push(primary);
    await one(`postgres://postgres@127.0.0.1:${p1}/postgres`, 'create database chipwatch');
    asPostgres(`${PGBIN}/pg_basebackup -h 127.0.0.1 -p ${p1} -U postgres -D ${replica} -R -X stream -c fast --no-sync`);
    // Every statement the replica runs goes to its log: the test reads it at the end.
    pgCtl(replica, `${opts(p2, '-c log_statement=all')} -l ${dir}/replica.log -w start >/dev/null`);
    started.push(replica);
    primaryUrl = `postgres://postgres@127.0.0.1:${p1}/chipwatch`;
    replicaUrl = `postgres://postgres@127.0.0.1:${p2}/chipwatch`;
    await until('the replica to stream', async () => {
      const r = await one<{ n: number }>(
        primaryUrl,
        "select count(*)::int as n from pg_stat_replication where state = 'streaming'",
      );
      return r.n === 1;
    });
    expect((await one<{ r: boolean }>(replicaUrl, 'select pg_is_in_recovery() as r')).r).toBe(true);

    const key = (...args: string[]) => {
      const r = bin(['keys', 'create', ...args]);
      expect(r.status, r.stderr).toBe(0);
      return r.stdout.trim();
    };
    filerKey = key('--role', 'filer', '--org', 'Replica Exports Ltd');
    regulatorKey = key('--role', 'regulator');
    server = await serve(['--data-dir', join(dir, 'app')], env(replicaUrl));
  });

  afterAll(async () => {
    await server?.stop();
    for (const data of started.reverse()) {
      try {
        pgCtl(data, '-m immediate stop >/dev/null');
      } catch {
        /* already stopped */
      }
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('replay paused: a filing lands on the primary, reads back by id; histories lag until replay resumes', async () => {
    const live = await call(server!.port, 'GET', '/healthz');
    expect(JSON.parse(live.body)).toEqual({ status: 'ok', database: 'postgres', reads: 'replica' });

    const first = await file('RA-', 1);
    expect(first.status, first.body).toBe(201);
    await replayed();
    expect((await get('/registry/chips/RA-0000001')).status).toBe(200);
    expect(JSON.parse((await get('/registry/filings')).body).filings).toHaveLength(1);

    await one(replicaUrl, 'select pg_wal_replay_pause()');
    await until('replay to pause', async () => {
      const r = await one<{ s: string }>(replicaUrl, 'select pg_get_wal_replay_pause_state() as s');
      return r.s === 'paused';
    });

    const second = await file('RB-', 2);
    expect(second.status, second.body).toBe(201); // the replica is read-only and paused: this was the primary
    const { filingId } = JSON.parse(second.body) as { filingId: number };
    const receipt = await get(`/registry/filings/${filingId}`); // read-your-writes: from the primary
    expect(receipt.status, receipt.body).toBe(200);
    expect(JSON.parse(receipt.body)).toMatchObject({ id: filingId, items: 3 });

    // The replica has not replayed the filing: its history and the listing do not show it yet.
    expect((await get('/registry/chips/RB-0000001')).status).toBe(404);
    expect(JSON.parse((await get('/registry/filings')).body).filings).toHaveLength(1);
    const lagExport = (await get('/registry/export.csv')).body;
    expect(lagExport).toContain('RA-0000001');
    expect(lagExport).not.toContain('RB-0000001');
    const ready = JSON.parse((await call(server!.port, 'GET', '/readyz')).body);
    expect(ready).toMatchObject({ status: 'ok', reads: 'replica' });
    expect(ready.replicaLagBytes).toBeGreaterThan(0);

    // The CLI's read commands go to the replica too; without DATABASE_READ_URL they read the primary.
    const lagging = bin(['registry', 'history', 'RB-0000001'], replicaUrl);
    expect(lagging.status, lagging.stdout).toBe(1);
    expect(lagging.stderr).toMatch(/RB-0000001/);
    const fromPrimary = bin(['registry', 'history', 'RB-0000001']);
    expect(fromPrimary.status, fromPrimary.stderr).toBe(0);
    expect(fromPrimary.stdout).toContain('Replica Exports Ltd');

    await one(replicaUrl, 'select pg_wal_replay_resume()');
    await until(
      'the history to appear on the replica',
      async () => (await get('/registry/chips/RB-0000001')).status === 200,
    );
    const history = JSON.parse((await get('/registry/chips/RB-0000001')).body);
    expect(history.history[0]).toMatchObject({ filingId });
    expect(JSON.parse((await get('/registry/filings')).body).filings).toHaveLength(2);
    expect((await get('/registry/export.csv')).body).toContain('RB-0000001');
    expect(bin(['registry', 'history', 'RB-0000001'], replicaUrl).status).toBe(0);
    await until('readiness to report the replica caught up', async () => {
      const r = JSON.parse((await call(server!.port, 'GET', '/readyz')).body) as { replicaLagBytes: number };
      return r.replicaLagBytes === 0;
    });
  });

  it("the replica's statement log holds the reads and not one write", () => {
    const ran = statements(readFileSync(join(dir, 'replica.log'), 'utf8'));
    // Histories (API and CLI) and listings: at least the eight reads the first test made.
    expect(ran.filter((s) => /\bregistry_\w+/.test(s)).length).toBeGreaterThanOrEqual(8);
    expect(ran.filter((s) => WRITE.test(s))).toEqual([]);
  });

  it('serve refuses to start when the replica does not answer, naming DATABASE_READ_URL', async () => {
    const closed = `postgres://postgres@127.0.0.1:${await freePort()}/chipwatch`;
    const port = String(await freePort());
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', port, '--data-dir', join(dir, 'app')], {
      encoding: 'utf8',
      env: env(closed),
      timeout: 30_000,
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^chipwatch: field DATABASE_READ_URL: the read replica does not answer: .*ECONNREFUSED/);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack
  });
});

describe('DATABASE_READ_URL without DATABASE_URL', () => {
  it('is refused with an error naming the variable (the embedded database has no replica)', () => {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_READ_URL: 'postgres://127.0.0.1:1/x' };
    delete env.DATABASE_URL;
    const dir = mkdtempSync(join(tmpdir(), 'cw-replica-cfg-'));
    try {
      const r = spawnSync(process.execPath, [BIN, 'registry', 'history', 'X-1', '--data-dir', dir], {
        encoding: 'utf8',
        env,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/^chipwatch: field DATABASE_READ_URL: .*DATABASE_URL must name that server/);
      expect(existsSync(join(dir, 'pgdata'))).toBe(false); // refused before anything was opened
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** [uid, gid] of a local user (from /etc/passwd). */
function uid(name: string): [number, number] {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`no user ${name}`);
  const [, , u, g] = line.split(':');
  return [Number(u), Number(g)];
}
