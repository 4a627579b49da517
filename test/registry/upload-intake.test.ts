// POST /api/registry/filings/upload over real HTTP: a Latin-1 CSV is refused (problem+json naming row,
// column and byte offset; nothing written) unless ?encoding=latin1 or charset=latin1 says what it is;
// random bytes and an XLSX zip bomb are refused in the user's words, never as a 5xx.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { openDb, type Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { xlsxBomb } from '../tabular/zip-fixtures.js';

type Problem = { errors: { reason: string }[] };

describe('registry upload: encodings, kinds and zip bombs', () => {
  let db: Db;
  let app: FastifyInstance;
  let url = '';
  let key = '';
  const upload = (body: Buffer, type: string, query = '') =>
    fetch(`${url}/api/registry/filings/upload${query}`, {
      method: 'POST',
      body,
      headers: { authorization: `Bearer ${key}`, 'content-type': type },
    });
  const counts = async () => ({
    filings: Number((await db.query<{ n: number }>('select count(*)::int as n from registry_filings'))[0].n),
    log: Number((await db.query<{ n: number }>('select count(*)::int as n from tlog_entries'))[0].n),
  });
  const rows = sampleRows({ count: 3, seed: 31, serialPrefix: 'UPL-', month: '2026-03' });
  rows[2].location_operator_name = 'Société Calcul Lyon';
  const latin1 = Buffer.from(rowsToCsv(rows), 'latin1');

  beforeAll(async () => {
    db = await openDb({});
    app = await buildApp({ db, rateLimitPerMinute: 100_000 });
    url = await app.listen({ host: '127.0.0.1', port: 0 });
    key = (await createApiKey(db, { role: 'filer', organisationId: await ensureOrganisation(db, 'Upload SARL') })).key;
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  it('refuses Latin-1 bytes naming row, column and offset, and writes nothing', async () => {
    const before = await counts();
    const res = await upload(latin1, 'text/csv');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const body = (await res.json()) as { errors: unknown[] };
    const reason = expect.stringContaining(`byte 0xE9 at byte offset ${latin1.indexOf(0xe9)} is not UTF-8`);
    expect(body.errors).toEqual([{ row: 4, column: 'location_operator_name', reason }]);
    expect(await counts()).toEqual(before);
    const ebcdic = await upload(latin1, 'text/csv', '?encoding=ebcdic');
    expect(ebcdic.status).toBe(400);
    expect(((await ebcdic.json()) as { detail: string }).detail).toMatch(/unsupported encoding "ebcdic"/);
  });

  it('decodes Latin-1 when told by ?encoding= or by the charset', async () => {
    const a = await upload(latin1, 'text/csv', '?encoding=Latin-1');
    expect(a.status).toBe(201);
    const b = await upload(latin1, 'text/csv; charset=ISO-8859-1');
    expect(b.status).toBe(200); // the same content: one filing
    const [row] = await db.query<{ name: string }>("select name from registry_parties where name like 'Soci%'");
    expect(row.name).toBe('Société Calcul Lyon');
  });

  it("refuses random bytes and a zip bomb as the filing's problem", async () => {
    const before = await counts();
    const junk = await upload(Buffer.concat([Buffer.from([1]), randomBytes(2000)]), 'application/octet-stream');
    expect(junk.status).toBe(400);
    expect(((await junk.json()) as Problem).errors[0].reason).toMatch(/^not a CSV or XLSX file: binary content/);
    const t0 = performance.now();
    const bomb = await upload(xlsxBomb(1024), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(bomb.status).toBe(400);
    expect(((await bomb.json()) as Problem).errors[0].reason).toBe(
      'the spreadsheet expands to more than 256 MB when unpacked; split the filing into smaller files',
    );
    // Unguarded, exceljs spent ~29 s and ~1 GB on this; guarded it is the guard's ~1 s (slower on a loaded machine).
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(await counts()).toEqual(before);
  });
});
