// Enrolment in bulk (enrolChips, the demo world's 10,000 chips): every row stored as enrolChip stores it, the
// first check due when asked; an already enrolled serial is a conflict naming it, and in a transaction the call
// keeps nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import { dueSerials, enrolChip, enrolChips } from '../../src/verify/store.js';

const spki = () => generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' });
const T0 = new Date('2026-11-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);

for (const backend of backends) {
  describe(`enrolChips (${backend.name})`, () => {
    let db: Db;
    beforeAll(async () => {
      db = await backend.open();
    });
    afterAll(async () => db.close());

    it('stores every chip across batches, each due when its first check is', async () => {
      const chips = Array.from({ length: 1_203 }, (_, i) => ({
        serial: `BULK-${i}`,
        publicKey: spki(),
        shipment: 'BULK-SHIP',
        shippedAt: day(0),
        declared: { lat: 1.35, lon: 103.82 },
        firstCheckAt: i % 2 ? day(7) : null,
      }));
      const enrolled = await enrolChips(db, chips);
      expect(enrolled.map((e) => e.serial)).toEqual(chips.map((c) => c.serial));
      expect(enrolled[1].nextCheckAt).toBe(day(7).toISOString());
      const due = await dueSerials(db, day(1), 5_000);
      expect(due.filter((s) => s.startsWith('BULK-')).length).toBe(602); // the even ones, due at shipment
      expect((await dueSerials(db, day(8), 5_000)).filter((s) => s.startsWith('BULK-')).length).toBe(1_203);
      const [row] = await db.query<{ n: number; lat: number }>(
        `select count(*)::int as n, min(declared_lat) as lat from verify_chips where shipment = 'BULK-SHIP'`,
      );
      expect(row).toEqual({ n: 1_203, lat: 1.35 });
    });

    it('refuses an enrolled serial, naming it, and keeps nothing of the call in a transaction', async () => {
      await enrolChip(db, { serial: 'TAKEN-1', publicKey: spki() });
      const chips = ['NEW-1', 'TAKEN-1', 'NEW-2'].map((serial) => ({ serial, publicKey: spki() }));
      await expect(db.transaction((tx) => enrolChips(tx, chips))).rejects.toThrow('chip TAKEN-1 is already enrolled');
      const rows = await db.query(`select serial from verify_chips where serial like 'NEW-%'`);
      expect(rows).toEqual([]);
      await expect(enrolChips(db, [{ serial: 'BAD-1', publicKey: Buffer.from('not a key') }])).rejects.toThrow();
      const twice = ['DUP-1', 'DUP-1'].map((serial) => ({ serial, publicKey: spki() }));
      await expect(db.transaction((tx) => enrolChips(tx, twice))).rejects.toThrow('chip DUP-1 is already enrolled');
      expect(await db.query(`select serial from verify_chips where serial = 'DUP-1'`)).toEqual([]);
    });
  });
}
