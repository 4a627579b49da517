// `chipwatch cases verify-due` through the built bin: the command table wires the verifier's shipment
// status into due diligence (src/app/wiring.ts), so a shipment whose chips were proven
// outside the restricted countries settles the case's one-week verification as passed.
import { describe, it, expect, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/index.js';
import { enrolChip, storeResult } from '../../src/verify/store.js';
import { judge } from '../../src/verify/verdict.js';
import { actOnCase, openCase } from '../../src/screening/cases/store.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const dir = mkdtempSync(join(tmpdir(), 'verify-due-cli-'));
const DAY = 86_400_000;
const all = { organisationId: null, seeAll: true };
const KL = { lat: 3.139, lon: 101.6869 };

let caseId = 0;
beforeAll(async () => {
  const shipped = new Date(Date.now() - 8 * DAY);
  // DATABASE_URL unset for the bin below, so both use the embedded database under the data dir.
  const db = await openDb({ dataDir: join(dir, 'pgdata') });
  try {
    const c = await openCase(
      db,
      {
        organisationId: null,
        subjectKind: 'order',
        subjectName: 'Some Cloud',
        subjectRef: 'SHIP-E',
        country: 'MY',
        businessType: 'end-user',
        profile: { customer: { name: 'Some Cloud' } },
        assessment: { suggestedRisk: 'low' },
        reason: 'order',
      },
      'test',
      shipped,
    );
    caseId = c.id;
    await actOnCase(db, c.id, { action: 'assess', risk: 'low', reason: 'ok' }, 'test', shipped, all);
    const ship = { action: 'ship' as const, shippedAt: shipped.toISOString(), reason: 'AWB' };
    await actOnCase(db, c.id, ship, 'test', shipped, all);
    const proven = judge([{ landmarkId: 'kl', ...KL, rttMs: 2 }], { declared: KL, withRegion: false });
    expect(proven.verdict).toBe('proven-outside');
    for (const serial of ['E-1', 'E-2']) {
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
      await enrolChip(db, { serial, publicKey, shipment: 'SHIP-E', shippedAt: shipped, declared: KL });
      await storeResult(db, serial, proven, new Date(Date.now() - DAY), new Date(Date.now() + 90 * DAY), null);
    }
  } finally {
    await db.close();
  }
}, 60_000);

describe('chipwatch cases verify-due (built bin)', () => {
  it("settles the due one-week verification from the verifier's results for the case's shipment", () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const args = [BIN, 'cases', 'verify-due', '--data-dir', dir, '--json'];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8', env, timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { applied: { caseId: number; kind: string; result: string; ref: string }[] };
    const ref = expect.stringMatching(/^shipment SHIP-E: verify results \d+, \d+$/);
    expect(out.applied).toEqual([{ caseId, kind: 'one-week', result: 'passed', ref }]);
  });
});
