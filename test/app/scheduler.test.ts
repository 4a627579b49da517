// The server's periodic pass: due location checks run and their verdicts settle due post-shipment
// verifications of diligence cases; passes never overlap and a failing pass is logged, not thrown.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import { schedulerPass, startScheduler } from '../../src/app/scheduler.js';
import { enrolChip } from '../../src/verify/store.js';
import { actOnCase, getCase, openCase } from '../../src/screening/cases/store.js';

const T0 = new Date('2026-11-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
const all = { organisationId: null, seeAll: true };
const spki = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
const quietLog = () => {
  const lines: string[] = [];
  return {
    lines,
    info: (_o: object, m: string) => {
      lines.push(m);
    },
    error: (_o: object, m: string) => {
      lines.push(m);
    },
  };
};

for (const backend of backends) {
  describe(`scheduler (${backend.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => {
      await db.close();
    });

    it('checks the chips that are due and settles the cases of their shipment', async () => {
      for (const serial of ['SCH-1', 'SCH-2'])
        await enrolChip(db, { serial, publicKey: spki(), shipment: 'SHIP-9', shippedAt: day(0), declared: null });
      const c = await openCase(
        db,
        {
          organisationId: null,
          subjectKind: 'order',
          subjectName: 'Some Cloud',
          subjectRef: 'SHIP-9',
          country: 'MY',
          businessType: 'end-user',
          profile: { customer: { name: 'Some Cloud' } },
          assessment: { suggestedRisk: 'low' },
          reason: 'order',
        },
        'test',
        day(0),
      );
      await actOnCase(db, c.id, { action: 'assess', risk: 'low', reason: 'ok' }, 'test', day(0), all);
      await actOnCase(
        db,
        c.id,
        { action: 'ship', shippedAt: day(0).toISOString(), reason: 'AWB' },
        'test',
        day(0),
        all,
      );

      // No landmark is registered, so no chip can answer: both are checked and found not responding,
      // and the one-week verification of the case fails on that evidence.
      const log = quietLog();
      const r = await schedulerPass({
        db,
        intervalMs: 1,
        log,
        now: () => day(8),
        measure: async () => {
          throw new Error('unreachable');
        },
      });
      expect(r).toMatchObject({ checked: 2, verdicts: { 'no-response': 2 }, casesUpdated: 1 });
      const after = await getCase(db, c.id, all);
      expect(after.verifications.find((v) => v.kind === 'one-week')).toMatchObject({ status: 'failed' });
      // Nothing is due again until the retry time (24 h later).
      expect(await schedulerPass({ db, intervalMs: 1, log, now: () => day(8) })).toMatchObject({
        checked: 0,
        casesUpdated: 0,
      });
    });

    it('runs passes on its interval, logs failures and stops cleanly', async () => {
      const log = quietLog();
      let calls = 0;
      // A database that fails every query: each pass must fail, be logged, and not stop the timer.
      const broken = {
        ...db,
        query: async () => {
          calls++;
          throw new Error('connection reset');
        },
      } as unknown as Db;
      const stop = startScheduler({ db: broken, intervalMs: 20, log });
      await new Promise((r) => setTimeout(r, 150));
      await stop();
      const n = calls;
      expect(log.lines.filter((l) => l === 'scheduled checks failed').length).toBeGreaterThanOrEqual(2);
      await new Promise((r) => setTimeout(r, 60));
      expect(calls).toBe(n); // stopped: no pass after stop()
    });
  });
}
