// Leaf encoding: the fast item encoder equals the generic canonical JSON for any item, and the leaf is
// canonical JSON itself (RFC 8785 for these value types).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sortWithTurns } from '../../src/db/turn.js';
import { canonicalJson, contentHash, encodeLeaf, itemColumns, itemJson, leafValue } from '../../src/registry/leaf.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import type { FiledItem } from '../../src/registry/validate.js';

const text = fc.string({
  unit: fc.oneof(fc.constantFrom('"', '\\', '\u0001', '\ud800', 'é', '字', ' '), fc.string({ maxLength: 1 })),
  maxLength: 12,
});
const item: fc.Arbitrary<FiledItem> = fc.record({
  row: fc.integer({ min: 2, max: 200_001 }),
  serial: text,
  product: text,
  eccn: text,
  status: fc.constantFrom('active' as const, 'lost' as const, 'destroyed' as const),
  owner: fc.option(fc.record({ name: text, address: text, country: text, phone: text }), { nil: null }),
  location: fc.option(
    fc.record({
      operator: text,
      address: text,
      country: text,
      phone: text,
      lat: fc.option(fc.double({ min: -90, max: 90, noNaN: true }), { nil: null }),
      lon: fc.option(fc.double({ min: -180, max: 180, noNaN: true }), { nil: null }),
    }),
    { nil: null },
  ),
  begin: text,
  complete: text,
  purchaseOrder: fc.option(text, { nil: null }),
});

describe('registry leaves', () => {
  it('itemJson equals canonicalJson(itemColumns(item)) for any item', () => {
    fc.assert(
      fc.property(item, (it) => {
        const fast = itemJson(it);
        expect(fast).toBe(canonicalJson(itemColumns(it)));
        expect(JSON.parse(fast)).toEqual(JSON.parse(JSON.stringify(itemColumns(it))));
      }),
      { numRuns: 1000, seed: 8785 },
    );
  });

  it('encodes a leaf as canonical JSON of leafValue: filing, filer, row, the columns in order, the owners', () => {
    const parents = fc.uniqueArray(
      fc.record(
        {
          n: fc.integer({ min: 1, max: 5 }),
          name: text,
          country: fc.option(text, { nil: null }),
          share: fc.double({ noNaN: true, noDefaultInfinity: true }),
        },
        { requiredKeys: ['n', 'name', 'country'] },
      ),
      { selector: (p) => p.n, maxLength: 5 },
    );
    const withParents = fc
      .tuple(item, parents)
      .map(([it, ps]) =>
        ps.length ? { ...it, parents: ps.map((p) => ({ ...p, share: p.share && Math.abs(p.share) })) } : it,
      );
    fc.assert(
      fc.property(withParents, fc.integer({ min: 1, max: 1e9 }), text, (it, id, filer) => {
        const leaf = Buffer.from(encodeLeaf(id, filer, it)).toString('utf8');
        const parsed = JSON.parse(leaf);
        expect(leaf).toBe(canonicalJson(leafValue(id, filer, it)));
        expect(parsed).toMatchObject({ type: 'chipwatch.registry.item/v2', filing_id: id, row: it.row, filer });
        // The columns in template order, with the values itemColumns gives them.
        const columns = JSON.parse(itemJson(it));
        expect(parsed.item).toEqual(TEMPLATE_COLUMNS.map((c) => columns[c]));
        expect(parsed.owners ?? []).toEqual(
          [...(it.parents ?? [])]
            .sort((a, b) => a.n - b.n)
            .map((p) => [p.n, p.name, p.country, columns[`owner_parent_${p.n}_share`]]),
        );
      }),
      { numRuns: 300, seed: 9162 },
    );
  });

  it('hashes content independently of row numbers and order', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(item, { selector: (i) => i.serial, minLength: 1, maxLength: 8 }),
        async (items) => {
          const hash = (xs: FiledItem[]) => contentHash(xs, xs.map(itemJson));
          const renumbered = [...items].reverse().map((it, i) => ({ ...it, row: i + 2 }));
          expect(await hash(renumbered)).toEqual(await hash(items));
          const changed = [{ ...items[0], product: items[0].product + 'x' }, ...items.slice(1)];
          expect(await hash(changed)).not.toEqual(await hash(items));
        },
      ),
      { numRuns: 200, seed: 1 },
    );
  });

  it('sorts with turns exactly as Array.sort does, across run boundaries (stable)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 200 }),
        fc.integer({ min: 1, max: 9 }),
        async (xs, run) => {
          const rows = xs.map((v, i) => ({ v, i }));
          const byV = (a: { v: number }, b: { v: number }) => a.v - b.v;
          expect(await sortWithTurns(rows, byV, run)).toEqual([...rows].sort(byV));
        },
      ),
      { numRuns: 200, seed: 2 },
    );
  });
});
