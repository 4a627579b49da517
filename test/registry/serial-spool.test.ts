// The serial spool of a streamed filing: past its memory it spills to files and still names every repeated serial
// with its row and the row that named it first (found at the end of the rows), and removes its files; a stream
// read with a small spool reports the same repeats as one read in memory.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { readBatches, csvRows } from '../../src/registry/parse.js';
import { ProblemList } from '../../src/registry/problems.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { SerialSpool } from '../../src/registry/serial-spool.js';
import { streamOf } from './helpers.js';

const spools = () => readdirSync(tmpdir()).filter((f) => f.startsWith('chipwatch-serials-')).length;

describe('serial spool', () => {
  it('finds repeats at once in memory, and at the end once spilled, each with its first row', () => {
    const before = spools();
    const spool = new SerialSpool(4);
    const rows: Array<[string, number]> = [
      ['A', 2],
      ['B', 3],
      ['A', 4], // in memory: found at once
      ['C', 5],
      ['D', 6], // the fourth distinct serial: spilled from here on
      ['B', 7],
      ['E', 8],
      ['E', 9],
      ['A', 10],
    ];
    const atOnce = rows.map(([s, r]) => spool.firstRow(s, r));
    expect(atOnce).toEqual([undefined, undefined, 2, undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(spools()).toBe(before + 1);
    const repeats = [...spool.repeats()].sort((a, b) => a.row - b.row);
    expect(repeats).toEqual([
      { serial: 'B', row: 7, first: 3 },
      { serial: 'E', row: 9, first: 8 },
      { serial: 'A', row: 10, first: 2 },
    ]);
    spool.dispose();
    expect(spools()).toBe(before);
  });

  it('gives a spilled stream the same problems as one held in memory', async () => {
    const rows = sampleRows({ count: 3000, seed: 9, serialPrefix: 'SP-' });
    rows[2500].serial_number = rows[10].serial_number;
    rows[2900].serial_number = rows[2600].serial_number;
    rows[2950].serial_number = rows[10].serial_number;
    const read = async (spillSerialsAt?: number) => {
      const problems = new ProblemList();
      let items = 0;
      const source = csvRows(streamOf(rowsToCsv(rows)));
      for await (const b of readBatches(source, problems, { batchSize: 500, spillSerialsAt })) items += b.length;
      return { items, problems: [...problems.items].sort((a, b) => a.row - b.row) };
    };
    const inMemory = await read();
    expect(inMemory.problems.map((p) => p.row)).toEqual([2502, 2902, 2952]);
    expect(await read(100)).toEqual(inMemory);
    expect(await read(1_000_000)).toEqual(inMemory);
  });
});
