// The built bin (dist/bundle via bin/chipwatch.js) in a fresh directory on the embedded database, with API keys
// written to files so commands can act as them (`--key-file`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');

export interface KeyedBin {
  dir: string;
  /** `chipwatch ARGS --data-dir DIR/cw`, run in DIR. */
  cw(...args: string[]): { code: number | null; out: string; err: string };
  /** Creates a key of `role` for the organisation "Chipmaker Inc" and writes it to DIR/file. */
  key(role: string, file: string): void;
}

export function keyedBin(prefix: string): KeyedBin {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const cw = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(dir, 'cw')], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: '' },
      timeout: 120_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const key = (role: string, file: string) => {
    const r = cw('keys', 'create', '--role', role, '--org', 'Chipmaker Inc');
    expect(r.code, r.err).toBe(0);
    writeFileSync(join(dir, file), r.out);
  };
  return { dir, cw, key };
}
