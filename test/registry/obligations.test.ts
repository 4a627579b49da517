// § 743.7 obligation rules (pure): threshold over a rolling three-month window, due dates, lateness;
// checked against a brute-force reference on random inputs.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMonths, computeObligations, dueDate, type ObligationTransfer } from '../../src/registry/obligations.js';

function t(serial: string, begin: string, o: Partial<ObligationTransfer> = {}): ObligationTransfer {
  return {
    ownerId: 1,
    ownerName: 'Acme',
    serial,
    begin,
    eccn: '4A090.a',
    ownershipChange: true,
    locationChange: false,
    foreignInvolved: true,
    receivedAt: `${begin}T12:00:00Z`,
    ...o,
  };
}

describe('§ 743.7 obligations', () => {
  it('computes calendar months and due dates', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(dueDate('2026-01')).toBe('2026-02-28');
    expect(dueDate('2026-12')).toBe('2027-01-31');
  });

  it('needs more than 100 qualifying items in one rolling window', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => t(`S${i}`, '2026-01-10'));
    expect(computeObligations(hundred, '2026-12-31')).toEqual([]);
    // The 101st item 3 months minus a day later is in the window; one a day later would not be.
    const inside = computeObligations([...hundred, t('S100', '2026-04-09')], '2026-12-31');
    expect(inside.map((o) => [o.month, o.items, o.due, o.status])).toEqual([
      ['2026-01', 100, '2026-02-28', 'filed'],
      ['2026-04', 1, '2026-05-31', 'filed'],
    ]);
    expect(computeObligations([...hundred, t('S100', '2026-04-10')], '2026-12-31')).toEqual([]);
  });

  it('ignores other ECCNs, domestic transfers, non-changes and the same chip twice', () => {
    const base = Array.from({ length: 100 }, (_, i) => t(`S${i}`, '2026-01-10'));
    for (const extra of [
      t('X', '2026-01-11', { eccn: '3A090.a' }),
      t('X', '2026-01-11', { foreignInvolved: false }),
      t('X', '2026-01-11', { ownershipChange: false }),
      t('S1', '2026-01-12'),
    ]) {
      expect(computeObligations([...base, extra], '2026-12-31')).toEqual([]);
    }
    expect(
      computeObligations(
        [...base, t('X', '2026-01-11', { ownershipChange: false, locationChange: true })],
        '2026-12-31',
      ),
    ).toHaveLength(1);
  });

  it('marks filings received after the due date as late, and respects as-of', () => {
    const items = Array.from({ length: 101 }, (_, i) =>
      t(`S${i}`, '2026-01-10', i === 0 ? { receivedAt: '2026-03-01T09:00:00Z' } : {}),
    );
    const [o] = computeObligations(items, '2026-12-31');
    expect(o).toMatchObject({ status: 'late', filedLate: 1, filedOnTime: 100, windowPeak: 101 });
    expect(computeObligations(items, '2026-02-28')).toEqual([]); // the late filing had not arrived: 100 items
  });

  it('agrees with a brute-force window scan', () => {
    const day = fc
      .integer({ min: 0, max: 200 })
      .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10));
    const arb = fc.array(
      fc.record({
        serial: fc.integer({ min: 0, max: 30 }).map(String),
        begin: day,
        owner: fc.integer({ min: 1, max: 2 }),
      }),
      { maxLength: 80 },
    );
    fc.assert(
      fc.property(arb, (raw) => {
        const rules = { threshold: 5, eccnPrefix: '4A090', windowMonths: 3 };
        const transfers = raw.map((r) => t(r.serial, r.begin, { ownerId: r.owner, ownerName: `O${r.owner}` }));
        const got = computeObligations(transfers, '2027-12-31', rules);
        const expected = new Map<string, number>();
        for (const x of transfers) {
          const mine = transfers.filter((y) => y.ownerId === x.ownerId);
          const reportable = mine.some(
            (s) =>
              s.begin <= x.begin &&
              x.begin < addMonths(s.begin, 3) &&
              new Set(mine.filter((y) => y.begin >= s.begin && y.begin < addMonths(s.begin, 3)).map((y) => y.serial))
                .size > 5,
          );
          if (reportable) {
            const k = `${x.ownerName}|${x.begin.slice(0, 7)}`;
            expected.set(k, (expected.get(k) ?? 0) + 1);
          }
        }
        expect(new Map(got.map((o) => [`${o.ownerName}|${o.month}`, o.items]))).toEqual(expected);
      }),
      { numRuns: 300, seed: 743 },
    );
  });

  it('handles 100,000 items in one window quickly (linear, not quadratic)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) =>
      t(`S${i}`, `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`),
    );
    const t0 = performance.now();
    const [o] = computeObligations(many, '2026-12-31');
    expect(o.items).toBe(100_000);
    expect(performance.now() - t0).toBeLessThan(10_000); // generous for a loaded 2-core machine
  });
});
