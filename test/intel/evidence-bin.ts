// The built bin's commands in a fresh working directory for the evidence and alert tests, on PGlite (the data
// directory holds the database) and, when DATABASE_URL is set, on a fresh PostgreSQL schema.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freshSchemaUrl } from '../helpers/db.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');

export const databases = [{ name: 'pglite', url: async () => undefined as string | undefined }];
if (process.env.DATABASE_URL)
  databases.push({ name: 'postgres', url: () => freshSchemaUrl(process.env.DATABASE_URL!) });

const dirs: string[] = [];
/** For afterAll: removes every directory `binDir` made. */
export function removeBinDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface BinDir {
  dir: string;
  /** `chipwatch ARGS --data-dir DIR/data`, run in DIR. */
  run(...args: string[]): SpawnSyncReturns<string>;
  /** The same, expecting exit 0: its stdout. */
  ok(...args: string[]): string;
  /** The same with --json, expecting exit 0: the parsed output. */
  json<T = unknown>(...args: string[]): T;
  /** Writes a file in DIR; returns its name. */
  file(name: string, text: string): string;
}

export async function binDir(prefix: string, url: () => Promise<string | undefined>): Promise<BinDir> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  const databaseUrl = await url();
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  delete env.CHIPWATCH_LOG_KEK;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'data')], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 300_000, // a shared, loaded machine: a cold PGlite start has taken over two minutes
    });
  const ok = (...args: string[]) => {
    const r = run(...args);
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  const json = <T>(...args: string[]) => JSON.parse(ok(...args, '--json')) as T;
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return name;
  };
  return { dir, run, ok, json, file };
}
