// SerialIndex (the compact serial → first row table of a streamed filing) answers as a Map would, through
// its growth and rehashing, for any serials (any UTF-8, repeated or not).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SerialIndex } from '../../src/registry/serial-index.js';

describe('SerialIndex', () => {
  it('gives the first row of a repeated serial and undefined for a new one, like a Map', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 400 }), (serials) => {
        const index = new SerialIndex();
        const map = new Map<string, number>();
        serials.forEach((s, row) => {
          expect(index.firstRow(s, row)).toBe(map.get(s));
          if (!map.has(s)) map.set(s, row);
        });
      }),
      { numRuns: 300, seed: 18 },
    );
  });

  it('holds 300,000 serials (several rehashes) and finds each again', () => {
    const index = new SerialIndex();
    let wrong = 0;
    for (let i = 0; i < 300_000; i++) if (index.firstRow(`SN-${i}`, i + 2) !== undefined) wrong++;
    for (let i = 0; i < 300_000; i += 7) if (index.firstRow(`SN-${i}`, 0) !== i + 2) wrong++;
    expect(wrong).toBe(0);
    expect(index.firstRow('SN-300000', 5)).toBeUndefined();
  });
});
