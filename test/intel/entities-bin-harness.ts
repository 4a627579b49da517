// The built bin's `intel` commands in a fresh working directory, on PGlite (the data directory holds the
// database) and, when DATABASE_URL is set, on a fresh PostgreSQL schema.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { freshSchemaUrl } from '../helpers/db.js';

export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');

export const databases = [{ name: 'pglite', url: async () => undefined as string | undefined }];
if (process.env.DATABASE_URL)
  databases.push({ name: 'postgres', url: () => freshSchemaUrl(process.env.DATABASE_URL!) });

const dirs: string[] = [];
/** For afterAll: removes every directory `intelDir` made. */
export function removeIntelDirs(): void {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
}

export interface IntelDir {
  dir: string;
  /** `chipwatch intel ARGS --data-dir DIR/data`, run in DIR. */
  run(...args: string[]): SpawnSyncReturns<string>;
  /** The same, expecting exit 0: its stdout. */
  ok(...args: string[]): string;
}

export async function intelDir(url: () => Promise<string | undefined>): Promise<IntelDir> {
  const dir = mkdtempSync(join(tmpdir(), 'cw-intel-'));
  dirs.push(dir);
  const databaseUrl = await url();
  const env = { ...process.env };
  if (databaseUrl) env.DATABASE_URL = databaseUrl;
  else delete env.DATABASE_URL;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'intel', ...args, '--data-dir', join(dir, 'data')], {
      cwd: dir,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
  const ok = (...args: string[]) => {
    const r = run(...args);
    expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    return r.stdout;
  };
  return { dir, run, ok };
}
