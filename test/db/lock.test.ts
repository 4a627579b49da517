// The embedded database belongs to one process at a time: a second opener gets a clear error instead of
// silently lost writes; a lock left by a killed process is taken over.
import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { openDb } from '../../src/db/index.js';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'cw-lock-')), 'pgdata');

describe('embedded database lock', () => {
  it('refuses a second opener while the first holds it, and frees it on close', async () => {
    const dir = fresh();
    const db = await openDb({ dataDir: dir });
    await expect(openDb({ dataDir: dir })).rejects.toThrow(/in use by process \d+ \(this one\)/);
    await db.close();
    expect(existsSync(`${dir}.lock`)).toBe(false);
    const again = await openDb({ dataDir: dir });
    await again.close();
  });

  it('names another process that holds it, and takes over a lock whose process is gone', async () => {
    const dir = fresh();
    // Another process holds the lock file (as a running server would).
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    writeFileSync(`${dir}.lock`, String(holder.pid));
    try {
      await expect(openDb({ dataDir: dir })).rejects.toThrow(
        new RegExp(`in use by process ${holder.pid} \\(a running chipwatch serve\\?\\)`),
      );
    } finally {
      holder.kill('SIGKILL');
    }
    // A process that has exited leaves a stale lock: taken over.
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(`${dir}.lock`, gone.stdout);
    const db = await openDb({ dataDir: dir });
    await db.close();
  });
});
