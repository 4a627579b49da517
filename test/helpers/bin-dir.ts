// The built bin in a fresh working directory, on PGlite (the data directory holds the database) and, when
// DATABASE_URL is set, on a fresh PostgreSQL schema: the one harness the CLI tests of every domain share.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freshSchemaUrl } from './db.js';

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
  databaseUrl: string | undefined;
  /** The environment the bin runs in (DATABASE_URL set or removed, no CHIPWATCH_LOG_KEK). */
  env: NodeJS.ProcessEnv;
  /** `chipwatch [COMMAND] ARGS --data-dir DIR/data`, run in DIR. */
  run(...args: string[]): SpawnSyncReturns<string>;
  /** The same, expecting exit 0: its stdout. */
  ok(...args: string[]): string;
  /** The same with --json, expecting exit 0: the parsed output. */
  json<T = unknown>(...args: string[]): T;
  /** Writes a file in DIR; returns its name. */
  file(name: string, text: string): string;
}

export interface BinDirOptions {
  /** Words put before every call's arguments (`tips`, `intel`). */
  command?: string;
  /** How long one call may take before it is killed (default 300 s: a loaded machine's cold PGlite start). */
  timeoutMs?: number;
}

export async function binDir(
  prefix: string,
  url: () => Promise<string | undefined>,
  opts: BinDirOptions = {},
): Promise<BinDir> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  const databaseUrl = await url();
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  delete env.CHIPWATCH_LOG_KEK;
  const head = opts.command ? [opts.command] : [];
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...head, ...args, '--data-dir', join(dir, 'data')], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: opts.timeoutMs ?? 300_000,
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
  return { dir, databaseUrl, env, run, ok, json, file };
}
