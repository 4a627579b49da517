// PostgreSQL for the benches: DATABASE_URL when set, else a throwaway server started from the Debian
// packages (/usr/lib/postgresql/*/bin), each bench in a fresh schema of its own that is dropped afterwards.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/** Starts a server in `work` (a fresh directory) and returns { url, stop }, or null without binaries. */
export function startPostgres(work) {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => `${root}/${v}/bin`).find((b) => existsSync(join(b, 'initdb')));
  if (!bin) return null;
  const data = join(work, 'pg');
  const port = 56000 + Math.floor(Math.random() * 2000);
  // initdb refuses to run as root, so as root the server runs as the packages' postgres user.
  const asRoot = process.getuid?.() === 0;
  const sh = (cmd) =>
    spawnSync(asRoot ? 'su' : 'sh', asRoot ? ['postgres', '-c', cmd] : ['-c', cmd], { encoding: 'utf8' });
  if (asRoot) chmodSync(work, 0o777);
  let r = sh(`${bin}/initdb -D ${data} -A trust -U postgres >/dev/null`);
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr}`);
  // Default durability settings (fsync on, synchronous_commit on): the number is what a real server gives.
  const opts = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c max_wal_size=4GB`;
  r = sh(`${bin}/pg_ctl -D ${data} -o "${opts}" -l ${data}/server.log -w start >/dev/null`);
  if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}`);
  const version = versions.find((v) => bin.includes(`/${v}/`));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    label: `PostgreSQL ${version} server started by this bench, fsync on`,
    stop: () => sh(`${bin}/pg_ctl -D ${data} -m fast stop >/dev/null`),
  };
}

/** A fresh schema in the database at `url`: { url (search_path set to it), drop() }. */
export async function freshSchema(url, prefix) {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`;
  const run = async (sql) => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`create schema ${schema}`);
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return { url: u.toString(), drop: () => run(`drop schema ${schema} cascade`) };
}
