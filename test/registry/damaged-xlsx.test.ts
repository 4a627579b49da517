// A damaged XLSX (one flipped byte inside a compressed zip entry, found by fuzzing the upload route)
// made exceljs's streaming reader wait for ever; it must end as one "unreadable file" problem.
import { describe, it, expect } from 'vitest';
import { createReadStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRows } from '../../src/registry/parse.js';
import { xlsxRows } from '../../src/registry/sheet.js';

const FILE = fileURLToPath(new URL('../fixtures/registry/damaged-entry.xlsx', import.meta.url));

describe('damaged XLSX', () => {
  it('is reported as unreadable instead of hanging', async () => {
    const t0 = Date.now();
    const r = await readRows(xlsxRows(createReadStream(FILE), 500));
    expect(r.items).toEqual([]);
    expect(r.problems.items.map((p) => p.reason).join(' ')).toMatch(/unreadable file: the XLSX file is damaged/);
    expect(Date.now() - t0).toBeLessThan(10_000);
  });
});
