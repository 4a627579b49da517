// `chipwatch log` as a user runs it: a real process on the built CLI (npm test builds dist/ first), on
// an embedded database in a temporary data directory. Tampering with the stored log makes
// `log verify` exit 1 with one line naming the index.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { appendEntries } from '../../src/tlog/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'DATABASE_URL' && k !== 'CHIPWATCH_LOG_KEK' && k !== 'CHIPWATCH_DEBUG'));
function cli(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: ENV });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const base = mkdtempSync(join(tmpdir(), 'chipwatch-tlog-'));
const seeded = join(base, 'seeded');

/** A copy of the seeded data directory with `sql` run on it by an attacker who disabled the triggers. */
async function tampered(name: string, sql: string): Promise<string> {
  const dir = join(base, name);
  cpSync(seeded, dir, { recursive: true });
  const db = await openDb({ dataDir: join(dir, 'pgdata') });
  await db.exec(`alter table tlog_entries disable trigger user; ${sql}`);
  await db.close();
  return dir;
}

describe('chipwatch log', () => {
  beforeAll(async () => {
    const db = await openDb({ dataDir: join(seeded, 'pgdata') });
    await db.transaction((tx) => appendEntries(tx, Array.from({ length: 40 }, (_, i) => new Uint8Array(Buffer.from(JSON.stringify({ row: i, serial: `SN-${i}` }))))));
    await db.close();
  });

  it('signs a checkpoint, proves a leaf and a consistency, and verifies the intact log', () => {
    const cp = cli('log', 'checkpoint', '--data-dir', seeded);
    expect(cp.code).toBe(0);
    expect(cp.out).toMatch(/^chipwatch\.dev\/registry-log\n40\n[A-Za-z0-9+/]{43}=\n\n— chipwatch\.dev\/registry-log \S+\n$/);
    writeFileSync(join(base, 'cp40.txt'), cp.out);
    const vkey = cli('log', 'vkey', '--data-dir', seeded).out.trim();
    const proof = cli('log', 'prove', '17', '--data-dir', seeded, '--vkey', vkey, '--json');
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.out)).toMatchObject({ kind: 'inclusion', index: 17, treeSize: 40, checkpoint: cp.out });
    expect(JSON.parse(cli('log', 'prove', '--consistency', '9', '--data-dir', seeded, '--json').out)).toMatchObject({ kind: 'consistency', from: 9, treeSize: 40 });
    const ok = cli('log', 'verify', '--data-dir', seeded, '--vkey', vkey, '--known', join(base, 'cp40.txt'), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({ ok: true, entriesChecked: 40, verifiedTreeSize: 40 });
    expect(readFileSync(join(seeded, 'tlog.kek'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('fails naming the index of a rewritten entry', async () => {
    const dir = await tampered('rewritten', `update tlog_entries set entry = convert_to('{"row":23,"serial":"FORGED"}', 'UTF8') where idx = 23`);
    const r = cli('log', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^chipwatch: log verify failed at index 23: entry 23 was rewritten/m);
    expect(r.out).toMatch(/FAILED/);
  });

  it('fails naming the index of a deleted entry', async () => {
    const dir = await tampered('deleted', 'delete from tlog_entries where idx = 8');
    const r = cli('log', 'verify', '--data-dir', dir, '--json');
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ ok: false, firstBadIndex: 8 });
    expect(r.err).toMatch(/log verify failed at index 8: entry 8 is missing/);
  });

  it('fails naming the first index of a truncated tail', async () => {
    const dir = await tampered('truncated', 'delete from tlog_entries where idx >= 31');
    const r = cli('log', 'verify', '--data-dir', dir);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/log verify failed at index 31: .*entries from 31 are missing \(truncated\)/);
  });

  it('rejects usage mistakes with exit 2', () => {
    expect(cli('log', 'prove', '--data-dir', seeded).code).toBe(2);
    expect(cli('log', 'prove', '-3', '--data-dir', seeded).code).toBe(2);
    expect(cli('log', 'verify', '--key', 'cw_x', '--data-dir', seeded).code).toBe(2);
  });
});
