// Migration 080 gives filings made before streamed imports the new content hash (SHA-256 over the items'
// digests in byte order), computed in SQL from their log leaves: the same content filed again after the
// upgrade is still recognised as a duplicate.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { migrate, openPglite, openPostgres, readMigrations, type Db } from '../../src/db/index.js';
import { importFiling } from '../../src/registry/import.js';
import { registryIntegrity } from '../../src/registry/integrity.js';
import { canonicalJson, contentHash, itemJson } from '../../src/registry/leaf.js';
import type { LogAppender } from '../../src/registry/import.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { readSheet } from '../../src/registry/sheet.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { MIGRATIONS_DIR } from '../../src/paths.js';
import { freshSchemaUrl } from '../helpers/db.js';
import { streamOf, tlog } from './helpers.js';

const opens: Array<{ name: string; open: () => Promise<Db> }> = [{ name: 'pglite', open: () => openPglite() }];
if (process.env.DATABASE_URL)
  opens.push({ name: 'postgres', open: async () => openPostgres(await freshSchemaUrl(process.env.DATABASE_URL!)) });

/** The log as the code before migration 080 filled it: v1 leaves, the item an object of its named columns. */
const v1Log: LogAppender = {
  appendEntries: (tx, entries, opts) => {
    const v1 = entries.map((e) => {
      const leaf = JSON.parse(Buffer.from(e).toString('utf8'));
      const item = Object.fromEntries(TEMPLATE_COLUMNS.map((c, i) => [c, leaf.item[i]]));
      return Buffer.from(canonicalJson({ ...leaf, item, type: 'chipwatch.registry.item/v1' }), 'utf8');
    });
    return tlog.appendEntries(tx, v1, { ...opts, leafHashes: undefined }); // hashed from the v2 leaves
  },
  leafHashes: tlog.leafHashes,
};

/** The hash before migration 080: SHA-256 over the items' canonical JSON sorted by serial, one per line. */
function oldHash(items: Array<{ serial: string; json: string }>): Buffer {
  const h = createHash('sha256');
  for (const it of [...items].sort((a, b) => (a.serial < b.serial ? -1 : 1))) h.update(it.json + '\n');
  return h.digest();
}

describe.each(opens)('migration 080: content hashes of earlier filings ($name)', ({ open }) => {
  it('recomputes every filing hash from its leaves, so refiling after the upgrade is a duplicate', async () => {
    const all = readMigrations(MIGRATIONS_DIR);
    const db = await open();
    try {
      // The schema before 080, plus the count tables of 091 today's import writes to (they do not touch hashes).
      await migrate(
        db,
        all.filter((m) => m.version < '080' || m.name === 'registry_counts'),
      );
      const rows = sampleRows({ count: 300, seed: 31, serialPrefix: 'OLD-' });
      rows[7].new_owner_name = 'Quote "Co", with \\ backslash';
      const csv = rowsToCsv(rows);
      const { items } = await readSheet(streamOf(csv), 'csv');
      const res = await importFiling(
        db,
        { filer: { name: 'Old Filer' }, items, source: 'csv', receivedAt: new Date() },
        v1Log,
      );
      const json = items.map(itemJson);
      const before = oldHash(items.map((it, i) => ({ serial: it.serial, json: json[i] })));
      await db.query('update registry_filings set content_sha256 = $1 where id = $2', [before, res.filingId]);

      await migrate(db, all);
      const [f] = await db.query<{ content_sha256: Uint8Array }>(
        'select content_sha256 from registry_filings where id = $1',
        [res.filingId],
      );
      const now = Buffer.from(f.content_sha256);
      expect(now).not.toEqual(before);
      expect(now).toEqual(await contentHash(items, json));
      const again = await importFiling(
        db,
        {
          filer: { name: 'Old Filer' },
          items: (await readSheet(streamOf(csv), 'csv')).items,
          source: 'csv',
          receivedAt: new Date(),
        },
        tlog,
      );
      expect(again).toMatchObject({ duplicate: true, filingId: res.filingId });
      // `registry check` reads the v1 leaves as the items they are.
      expect(await registryIntegrity(db)).toMatchObject({ ok: true, items: 300, logSize: 300 });
    } finally {
      await db.close();
    }
  });
});
