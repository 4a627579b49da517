// Streamed imports on every backend: a filing read in batches and written while it is read keeps the
// all-or-nothing rule (a bad row deep inside, after several batches were written, stores nothing and is
// named by row and column), reports every problem of the file, finds a repeated filing at its end, and
// agrees with the same items filed at once (same content hash, same leaves).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/index.js';
import { BATCH_ITEMS } from '../../src/registry/batch.js';
import { openFilingFile } from '../../src/registry/intake.js';
import { registryIntegrity } from '../../src/registry/integrity.js';
import { contentHash, itemJson } from '../../src/registry/leaf.js';
import { readSheet } from '../../src/registry/sheet.js';
import { FilingRejectedError } from '../../src/registry/problems.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { fileStream } from '../../src/registry/service.js';
import { EXPORT_COLUMNS, exportCsvParts } from '../../src/registry/listing.js';
import { backends } from '../helpers/db.js';
import { streamOf, tlog } from './helpers.js';

const when = new Date('2026-04-02T10:00:00Z');
// Three and a half batches: the bad rows below come after three batches were written.
const COUNT = Math.round(BATCH_ITEMS * 3.5);

describe.each(backends)('streamed registry import ($name)', { timeout: 300_000 }, (backend) => {
  let db: Db;
  let dir: string;
  const counts = async () =>
    (
      await db.query<{ filings: number; chips: number; transfers: number; leaves: number; parties: number }>(
        `select (select count(*)::int from registry_filings) as filings,
           (select count(*)::int from registry_chips) as chips,
           (select count(*)::int from registry_transfers) as transfers,
           (select count(*)::int from tlog_entries) as leaves,
           (select count(*)::int from registry_parties) as parties`,
      )
    )[0];
  const csvFile = (name: string, rows: ReturnType<typeof sampleRows>) => {
    const path = join(dir, name);
    writeFileSync(path, rowsToCsv(rows));
    return path;
  };
  const file = async (path: string, org = 'Stream Exports Inc') =>
    fileStream(db, await openFilingFile(path), { filer: { name: org }, receivedAt: when, log: tlog });

  beforeAll(async () => {
    db = await backend.open();
    dir = mkdtempSync(join(tmpdir(), 'chipwatch-stream-'));
  });
  afterAll(async () => {
    const report = await registryIntegrity(db);
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    expect(report).toMatchObject({ ok: true, problems: [] });
  });

  it('stores nothing for bad rows deep inside, naming each row and column, after batches were written', async () => {
    const rows = sampleRows({ count: COUNT, seed: 21, serialPrefix: 'DEEP-' });
    const bad = BATCH_ITEMS * 3 + 17; // item index; spreadsheet row = index + 2
    rows[bad].location_country = 'ZZ';
    rows[bad + 5].serial_number = rows[3].serial_number; // a duplicate of a row written in the first batch
    const before = await counts();
    const err = await file(csvFile('deep.csv', rows)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FilingRejectedError);
    const problems = (err as FilingRejectedError).problems;
    expect(problems).toEqual([
      { row: bad + 2, column: 'location_country', reason: expect.stringMatching(/ISO 3166/) },
      { row: bad + 7, column: 'serial_number', reason: `serial ${rows[3].serial_number} already on row 5` },
    ]);
    expect(await counts()).toEqual(before);
  });

  it('files a multi-batch stream like the same items at once, and finds it repeated at its end', async () => {
    const rows = sampleRows({ count: COUNT, seed: 22, serialPrefix: 'STR-' });
    const path = csvFile('good.csv', rows);
    const before = await counts();
    const res = await file(path);
    expect(res).toMatchObject({ duplicate: false, items: COUNT, firstLeafIndex: before.leaves });
    expect(res.treeSize).toBe(before.leaves + COUNT);
    const after = await counts();
    expect(after).toMatchObject({ filings: before.filings + 1, chips: before.chips + COUNT, leaves: res.treeSize });

    // Leaves follow the rows in order across batches.
    const [order] = await db.query<{ bad: number }>(
      `select count(*)::int as bad from registry_transfers
       where filing_id = $1 and leaf_index <> $2::bigint + row_number - 2`,
      [res.filingId, res.firstLeafIndex],
    );
    expect(order.bad).toBe(0);

    // The content hash is the one of the same items at hand (rows reversed: order does not count).
    const { items } = await readSheet(streamOf(rowsToCsv([...rows].reverse())), 'csv');
    const [f] = await db.query<{ content_sha256: Uint8Array; item_count: number; purchase_order: string | null }>(
      'select content_sha256, item_count, purchase_order from registry_filings where id = $1',
      [res.filingId],
    );
    expect(Buffer.from(f.content_sha256)).toEqual(await contentHash(items, items.map(itemJson)));
    expect(f).toMatchObject({ item_count: COUNT, purchase_order: null }); // PO-22-0 ... PO-22-34

    // Streamed again (its rows reordered), it is the same filing: nothing is added.
    const again = await file(csvFile('again.csv', [...rows.slice(1000), ...rows.slice(0, 1000)]));
    expect(again).toMatchObject({ duplicate: true, filingId: res.filingId, items: COUNT, treeSize: res.treeSize });
    expect(await counts()).toEqual(after);
  });

  it('exports every transfer once, page by page, the same whatever the page size', async () => {
    const { transfers } = await counts();
    const join = async (size: number) => {
      let text = '';
      let parts = 0;
      for await (const part of exportCsvParts(db, undefined, {}, size)) {
        text += part;
        parts++;
      }
      return { text, parts };
    };
    const small = await join(7_000);
    const big = await join(100_000);
    expect(small.parts).toBe(1 + Math.ceil(transfers / 7_000));
    expect(small.text).toBe(big.text);
    const lines = small.text.trimEnd().split('\n');
    expect(lines).toHaveLength(transfers + 1);
    expect(lines[0]).toBe(EXPORT_COLUMNS.join(','));
    const keys = lines.slice(1).map((l) =>
      l
        .split(',', 4)
        .filter((_, i) => i !== 1 && i !== 2)
        .join('/'),
    );
    expect(new Set(keys).size).toBe(transfers);
  });
});
