// The server publishes finished days' tip commitments itself (issue 16): a pass puts yesterday's and older
// commitments into the transparency log with a signed checkpoint, leaves today's, and does nothing (not even
// load the signing key) when nothing waits. PGlite, and PostgreSQL when DATABASE_URL is set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tipsPublishPass } from '../../src/app/scheduler.js';
import type { Db } from '../../src/db/index.js';
import { generateKeyPair } from '../../src/tips/keys.js';
import { addRecipient, submitTip } from '../../src/tips/service.js';
import { loadSodium } from '../../src/tips/sodium.js';
import { latestCheckpoint, signerFrom } from '../../src/tlog/index.js';
import { backends } from '../helpers/db.js';

const log = { info: () => {}, error: () => {} };

describe.each(backends)('scheduled tip publishing on $name', (backend) => {
  let db: Db;
  const dir = mkdtempSync(join(tmpdir(), 'cw-publish-'));
  beforeAll(async () => {
    await loadSodium();
    db = await backend.open();
    await addRecipient(db, 'alice', generateKeyPair().publicKey, '2026-12-01');
  }, 60_000);
  afterAll(async () => {
    await db?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('publishes finished days only, with a checkpoint', async () => {
    let asked = 0;
    const signer = signerFrom(db, { dataDir: dir });
    const counting = () => {
      asked++;
      return signer();
    };
    const now = () => new Date('2026-12-03T00:30:00Z');
    expect(await tipsPublishPass({ db, signer: counting, intervalMs: 1, log, now })).toEqual({
      through: '2026-12-02',
      published: 0,
    });
    expect(asked).toBe(0);
    await submitTip(db, 'old', [], '2026-12-01');
    await submitTip(db, 'yesterday', [], '2026-12-02');
    await submitTip(db, 'today', [], '2026-12-03');
    expect(await tipsPublishPass({ db, signer: counting, intervalMs: 1, log, now })).toEqual({
      through: '2026-12-02',
      published: 2,
    });
    const rows = await db.query<{ committed_on: string; log_index: string | null }>(
      'select committed_on::text, log_index from tip_commitments order by committed_on',
    );
    expect(rows.map((r) => [r.committed_on, r.log_index !== null])).toEqual([
      ['2026-12-01', true],
      ['2026-12-02', true],
      ['2026-12-03', false],
    ]);
    expect((await latestCheckpoint(db))?.treeSize).toBe(2);
    expect(await tipsPublishPass({ db, signer: counting, intervalMs: 1, log, now })).toMatchObject({ published: 0 });
  });
});
