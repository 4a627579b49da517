// `chipwatch log` as a user runs it: a real process on the built CLI (npm test builds dist/ first), on
// an embedded database in a temporary data directory. Tampering with the stored log makes
// `log verify` exit 1 with one line naming the index.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { appendEntries } from '../../src/tlog/index.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([k]) => k !== 'DATABASE_URL' && k !== 'CHIPWATCH_LOG_KEK' && k !== 'CHIPWATCH_DEBUG',
  ),
);
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
    await db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from(
          { length: 40 },
          (_, i) => new Uint8Array(Buffer.from(JSON.stringify({ row: i, serial: `SN-${i}` }))),
        ),
      ),
    );
    await db.close();
  });

  it('signs a checkpoint, proves a leaf and a consistency, and verifies the intact log', () => {
    const cp = cli('log', 'checkpoint', '--data-dir', seeded);
    expect(cp.code).toBe(0);
    expect(cp.out).toMatch(
      /^chipwatch\.dev\/registry-log\n40\n[A-Za-z0-9+/]{43}=\n\n— chipwatch\.dev\/registry-log \S+\n$/,
    );
    writeFileSync(join(base, 'cp40.txt'), cp.out);
    const vkey = cli('log', 'vkey', '--data-dir', seeded).out.trim();
    const proof = cli('log', 'prove', '17', '--data-dir', seeded, '--vkey', vkey, '--json');
    expect(proof.code).toBe(0);
    expect(JSON.parse(proof.out)).toMatchObject({ kind: 'inclusion', index: 17, treeSize: 40, checkpoint: cp.out });
    expect(JSON.parse(cli('log', 'prove', '--consistency', '9', '--data-dir', seeded, '--json').out)).toMatchObject({
      kind: 'consistency',
      from: 9,
      treeSize: 40,
    });
    const state = join(base, 'auditor-state.txt');
    const ok = cli(
      'log',
      'verify',
      '--data-dir',
      seeded,
      '--vkey',
      vkey,
      '--known',
      join(base, 'cp40.txt'),
      '--state',
      state,
      '--json',
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      ok: true,
      entriesChecked: 40,
      verifiedTreeSize: 40,
      verifiedCheckpoint: cp.out,
    });
    expect(readFileSync(state, 'utf8')).toBe(cp.out);
    expect(readFileSync(join(seeded, 'tlog.kek'), 'utf8').trim()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('fails naming the index of a rewritten entry', async () => {
    const dir = await tampered(
      'rewritten',
      `update tlog_entries set entry = convert_to('{"row":23,"serial":"FORGED"}', 'UTF8') where idx = 23`,
    );
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

  it('audits and proves against a remote server with --server, --key and a pinned --vkey', async () => {
    const { buildApp } = await import('../../src/app/server.js');
    const { createApiKey } = await import('../../src/accounts/index.js');
    const { getLogSigner, createCheckpoint } = await import('../../src/tlog/index.js');
    const db = await openDb({});
    await db.transaction((tx) =>
      appendEntries(
        tx,
        Array.from({ length: 12 }, (_, i) => new Uint8Array(Buffer.from(`{"row":${i}}`))),
      ),
    );
    // The in-process server gets its key-encryption key from its caller (never a file in the checkout).
    const kek = randomBytes(32);
    const signer = await getLogSigner(db, { kek: new Uint8Array(kek), origin: 'remote.test/log' });
    await createCheckpoint(db, signer, new Date());
    const app = await buildApp({ db, tlog: { kek: { logKek: kek.toString('base64') } } });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const { key } = await createApiKey(db, { role: 'auditor' });
    // The server process must keep answering while the CLI runs: spawn asynchronously.
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, [BIN, ...args], { env: ENV }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
      );
    try {
      const ok = await run('log', 'verify', '--server', url, '--key', key, '--vkey', signer.vkey, '--json');
      expect(ok.code).toBe(0);
      expect(JSON.parse(ok.out)).toMatchObject({
        ok: true,
        origin: 'remote.test/log',
        entriesChecked: 12,
        verifiedTreeSize: 12,
      });
      const proof = await run('log', 'prove', '3', '--server', url, '--key', key, '--vkey', signer.vkey);
      expect(proof.code).toBe(0);
      expect(proof.out).toMatch(/^leaf 3 \(hash \S+\) is in tree size 12: verified against the signed checkpoint/);
      const saved = join(base, 'remote-cp.txt');
      writeFileSync(saved, (await createCheckpoint(db, signer, new Date())).note);
      await db.transaction((tx) => appendEntries(tx, [new Uint8Array(Buffer.from('{"row":12}'))]));
      const light = await run(
        'log',
        'verify',
        '--server',
        url,
        '--key',
        key,
        '--vkey',
        signer.vkey,
        '--light',
        '--state',
        saved,
      );
      expect(light.code).toBe(0);
      expect(light.out).toMatch(/OK: tree size 13 extends every saved checkpoint/);
      expect(readFileSync(saved, 'utf8')).toMatch(/^remote\.test\/log\n13\n/);
      expect((await run('log', 'verify', '--server', url, '--light')).code).toBe(2);
      const wrongKey = await run(
        'log',
        'verify',
        '--server',
        url,
        '--key',
        key,
        '--vkey',
        'remote.test/log+00000000+AWI2QFJRT6rwvag8Psq0rjErDVnVai9s5Hq3nXq18/Sv',
      );
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.err).toMatch(/key ID/);
      const noKey = await run('log', 'verify', '--server', url);
      expect(noKey.code).toBe(1);
      expect(noKey.err).toMatch(/401/);
    } finally {
      await app.close();
      await db.close();
    }
  });

  it('rejects usage mistakes with exit 2', () => {
    expect(cli('log', 'prove', '--data-dir', seeded).code).toBe(2);
    expect(cli('log', 'prove', '-3', '--data-dir', seeded).code).toBe(2);
    expect(cli('log', 'verify', '--key', 'cw_x', '--data-dir', seeded).code).toBe(2);
  });
});
