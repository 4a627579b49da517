// The reading thread's batches (batch-wire.ts): decoded, they equal the items sent, parties shared by value.
import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from '../../src/registry/batch-wire.js';
import { readSheet } from '../../src/registry/sheet.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import type { FiledItem } from '../../src/registry/validate.js';
import { streamOf } from './helpers.js';

describe('batch wire format', () => {
  it('round-trips items, sending each distinct owner and location once', async () => {
    const rows = sampleRows({ count: 300, seed: 3, serialPrefix: 'W-' });
    const { items } = await readSheet(streamOf(rowsToCsv(rows)), 'csv');
    const lost: FiledItem = { ...items[0], serial: 'W-LOST', status: 'lost', owner: null, location: null };
    const sent = [...items, lost];
    const text = encodeBatch(sent);
    const back = decodeBatch(text);
    expect(back).toEqual(sent);
    const owners = new Set(items.map((i) => JSON.stringify(i.owner)));
    expect(JSON.parse(text).owners).toHaveLength(owners.size);
    expect(owners.size).toBeLessThan(items.length / 10);
    expect(text.length).toBeLessThan(JSON.stringify(sent).length * 0.7);
    // Items naming the same owner share one object, which the leaf encoder's per-object cache relies on.
    const same = back.filter((i) => JSON.stringify(i.owner) === JSON.stringify(back[0].owner));
    expect(same.length).toBeGreaterThan(1);
    expect(same.every((i) => i.owner === back[0].owner)).toBe(true);
  });
});
