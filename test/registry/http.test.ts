// The registry API in-process: the authorization matrix (every registry route × every role), filer
// scoping, problem+json on bad input (never 5xx), uploads, idempotency and the read side.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import ExcelJS from 'exceljs';
import type { Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey, ensureOrganisation, ROLES } from '../../src/accounts/index.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { TEMPLATE_COLUMNS } from '../../src/registry/template.js';
import { backends } from '../helpers/db.js';
import {
  createCheckpoint,
  getLogSigner,
  leafHash,
  logVerifierKey,
  verifyCheckpoint,
  verifyInclusion,
} from '../../src/tlog/index.js';
import { randomBytes } from 'node:crypto';

type Who = (typeof ROLES)[number] | 'filer2' | 'anonymous';

describe.each(backends)('registry HTTP API ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  const keys = {} as Record<Who, string | null>;
  let ownFiling = 0;
  let otherFiling = 0;
  let partyId = 0;

  const call = (who: Who, method: 'GET' | 'POST', url: string, body?: unknown, type?: string) =>
    app.inject({
      method,
      url,
      payload: body as string,
      headers: {
        ...(keys[who] ? { authorization: `Bearer ${keys[who]}` } : {}),
        ...(type ? { 'content-type': type } : {}),
      },
    });

  beforeAll(async () => {
    db = await backend.open();
    app = await buildApp({ db, now: () => new Date('2026-04-15T08:00:00Z'), rateLimitPerMinute: 100_000 });
    for (const role of ROLES)
      keys[role] = (
        await createApiKey(db, {
          role,
          organisationId: role === 'filer' ? await ensureOrganisation(db, 'Filer One Inc') : null,
        })
      ).key;
    keys.filer2 = (
      await createApiKey(db, { role: 'filer', organisationId: await ensureOrganisation(db, 'Filer Two Ltd') })
    ).key;
    keys.anonymous = null;
    const a = await call(
      'filer',
      'POST',
      '/api/registry/filings/upload',
      rowsToCsv(sampleRows({ count: 5, seed: 1, serialPrefix: 'ONE-' })),
      'text/csv',
    );
    expect(a.statusCode).toBe(201);
    ownFiling = a.json().filingId;
    const b = await call('filer2', 'POST', '/api/registry/filings', {
      items: sampleRows({ count: 3, seed: 2, serialPrefix: 'TWO-' }),
    });
    expect(b.statusCode).toBe(201);
    otherFiling = b.json().filingId;
    partyId = Number(
      (await db.query<{ id: number }>("select id from registry_parties where name = 'Gulf AI Cloud LLC'"))[0]?.id ?? 1,
    );
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  // Expected status per role: 2xx = allowed. Filers reach only their own filings (others' are 404).
  const READ_OWN = {
    admin: 200,
    regulator: 200,
    filer: 200,
    filer2: 404,
    auditor: 403,
    analyst: 403,
    compliance: 403,
    'compliance-lead': 403,
    investigator: 403,
    anonymous: 401,
  };
  const REG_ONLY = {
    admin: 200,
    regulator: 200,
    filer: 403,
    filer2: 403,
    auditor: 403,
    analyst: 403,
    compliance: 403,
    'compliance-lead': 403,
    investigator: 403,
    anonymous: 401,
  };
  const LIST = {
    admin: 200,
    regulator: 200,
    filer: 200,
    filer2: 200,
    auditor: 403,
    analyst: 403,
    compliance: 403,
    'compliance-lead': 403,
    investigator: 403,
    anonymous: 401,
  };
  const PUBLIC = {
    admin: 200,
    regulator: 200,
    filer: 200,
    filer2: 200,
    auditor: 200,
    analyst: 200,
    compliance: 200,
    'compliance-lead': 200,
    investigator: 200,
    anonymous: 200,
  };
  const FILE = {
    admin: 400,
    regulator: 403,
    filer: 201,
    filer2: 201,
    auditor: 403,
    analyst: 403,
    compliance: 403,
    'compliance-lead': 403,
    investigator: 403,
    anonymous: 401,
  };
  const matrix = (): Array<{
    route: string;
    method: 'GET' | 'POST';
    url: () => string;
    body?: (who: Who) => unknown;
    type?: string;
    expect: Record<Who, number>;
  }> => [
    {
      route: 'POST /api/registry/filings',
      method: 'POST',
      url: () => '/api/registry/filings',
      body: (who) => ({ items: sampleRows({ count: 2, seed: 9, serialPrefix: `M-${who}-` }) }),
      expect: FILE,
    },
    {
      route: 'POST /api/registry/filings/upload',
      method: 'POST',
      url: () => '/api/registry/filings/upload',
      body: (who) => rowsToCsv(sampleRows({ count: 2, seed: 9, serialPrefix: `U-${who}-` })),
      type: 'text/csv',
      expect: FILE,
    },
    { route: 'GET /api/registry/filings', method: 'GET', url: () => '/api/registry/filings', expect: LIST },
    {
      route: 'GET /api/registry/filings/{id}',
      method: 'GET',
      url: () => `/api/registry/filings/${ownFiling}`,
      expect: READ_OWN,
    },
    {
      route: 'GET /api/registry/filings/{id}/items',
      method: 'GET',
      url: () => `/api/registry/filings/${ownFiling}/items`,
      expect: READ_OWN,
    },
    {
      route: 'GET /api/registry/filings/{id}/proofs',
      method: 'GET',
      url: () => `/api/registry/filings/${ownFiling}/proofs`,
      expect: READ_OWN,
    },
    { route: 'GET /api/registry/export.csv', method: 'GET', url: () => '/api/registry/export.csv', expect: LIST },
    {
      route: 'GET /api/registry/chips/{serial}',
      method: 'GET',
      url: () => '/api/registry/chips/ONE-0000001',
      expect: REG_ONLY,
    },
    {
      route: 'POST /api/registry/chips/{serial}/verification-requests',
      method: 'POST',
      url: () => '/api/registry/chips/ONE-0000002/verification-requests',
      body: () => ({ reason: 'matrix' }),
      expect: { ...REG_ONLY, admin: 201, regulator: 201 },
    },
    {
      route: 'GET /api/registry/chips/{serial}/verification-requests',
      method: 'GET',
      url: () => '/api/registry/chips/ONE-0000002/verification-requests',
      expect: REG_ONLY,
    },
    { route: 'GET /api/registry/parties', method: 'GET', url: () => '/api/registry/parties', expect: REG_ONLY },
    {
      route: 'GET /api/registry/parties/{id}/chips',
      method: 'GET',
      url: () => `/api/registry/parties/${partyId}/chips`,
      expect: REG_ONLY,
    },
    {
      route: 'GET /api/registry/locations.geojson',
      method: 'GET',
      url: () => '/api/registry/locations.geojson',
      expect: REG_ONLY,
    },
    { route: 'GET /api/registry/flags', method: 'GET', url: () => '/api/registry/flags', expect: REG_ONLY },
    { route: 'GET /api/registry/obligations', method: 'GET', url: () => '/api/registry/obligations', expect: REG_ONLY },
    { route: 'GET /api/registry/template.csv', method: 'GET', url: () => '/api/registry/template.csv', expect: PUBLIC },
    {
      route: 'GET /api/registry/template.xlsx',
      method: 'GET',
      url: () => '/api/registry/template.xlsx',
      expect: PUBLIC,
    },
  ];

  it('the matrix covers every registry route in the OpenAPI document', () => {
    const spec = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(spec.paths)
      .filter(([p]) => p.startsWith('/api/registry'))
      .flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`));
    expect(routes.sort()).toEqual(
      matrix()
        .map((m) => m.route)
        .sort(),
    );
  });

  it('answers every route × every role as the matrix says', async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const m of matrix()) {
      for (const who of Object.keys(m.expect) as Who[]) {
        const body = m.body?.(who);
        const res = await call(who, m.method, m.url(), body, m.type);
        got.push(`${m.route} ${who} ${res.statusCode}`);
        want.push(`${m.route} ${who} ${m.expect[who]}`);
        if (res.statusCode >= 400) expect(res.headers['content-type']).toContain('application/problem+json');
      }
    }
    expect(got).toEqual(want);
  });

  it('shows a filer only its own filings, items and export rows', async () => {
    const list = (await call('filer', 'GET', '/api/registry/filings')).json().filings as Array<{
      id: number;
      filer: string;
    }>;
    expect(list.length).toBeGreaterThan(0);
    expect(new Set(list.map((f) => f.filer))).toEqual(new Set(['Filer One Inc']));
    expect(list.map((f) => f.id)).not.toContain(otherFiling);
    expect((await call('filer', 'GET', `/api/registry/filings/${otherFiling}/items`)).statusCode).toBe(404);
    const csv = (await call('filer', 'GET', '/api/registry/export.csv')).body;
    expect(csv).toContain('ONE-0000001');
    expect(csv).not.toContain('TWO-');
    const all = (await call('regulator', 'GET', '/api/registry/export.csv')).body;
    expect(all).toContain('TWO-0000001');
    // Telephone numbers and coordinates are exported as filed: no formula prefix (src/tabular/safe-cell.ts).
    expect(all).toContain(',+65 6123 4567,');
    expect(all).not.toContain("'+65");
    expect(all).toContain(',-119.4368,');
  });

  it('lets an admin file for a named organisation', async () => {
    const res = await call('admin', 'POST', '/api/registry/filings', {
      filer: 'Admin Filed Co',
      items: sampleRows({ count: 2, seed: 5, serialPrefix: 'ADM-' }),
    });
    expect(res.statusCode).toBe(201);
    expect((await call('regulator', 'GET', `/api/registry/filings/${res.json().filingId}`)).json().filer).toBe(
      'Admin Filed Co',
    );
    expect(
      (
        await call('filer', 'POST', '/api/registry/filings', {
          filer: 'Someone Else',
          items: sampleRows({ count: 1, seed: 6 }),
        })
      ).statusCode,
    ).toBe(403);
  });

  it('is idempotent: the same upload twice is one filing (200 the second time)', async () => {
    const csv = rowsToCsv(sampleRows({ count: 4, seed: 3, serialPrefix: 'IDEM-' }));
    const a = await call('filer', 'POST', '/api/registry/filings/upload', csv, 'text/csv');
    const b = await call('filer', 'POST', '/api/registry/filings/upload', csv, 'text/csv');
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json()).toEqual({ ...a.json(), duplicate: true });
  });

  it('accepts an XLSX upload', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('items');
    ws.addRow([...TEMPLATE_COLUMNS]);
    for (const r of sampleRows({ count: 3, seed: 4, serialPrefix: 'XL-' }))
      ws.addRow(
        TEMPLATE_COLUMNS.map((c) =>
          c === 'location_lat' || c === 'location_lon'
            ? Number(r[c])
            : c.endsWith('_date')
              ? new Date(`${r[c]}T00:00:00Z`)
              : r[c],
        ),
      );
    const buf = Buffer.from(await wb.xlsx.writeBuffer());
    const res = await call(
      'filer',
      'POST',
      '/api/registry/filings/upload',
      buf,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.statusCode, res.body).toBe(201);
    const h = (await call('regulator', 'GET', '/api/registry/chips/XL-0000002')).json();
    expect(h.history[0].begin).toMatch(/^2026-03-\d\d$/);
    expect(h.currentLocation.lat).toEqual(expect.any(Number));
  });

  it('reports every row problem with row, column and reason as problem+json', async () => {
    const rows = sampleRows({ count: 4, seed: 7, serialPrefix: 'REJ-' });
    rows[1].new_owner_country = 'ZZ';
    rows[3].transaction_begin_date = 'tomorrow';
    const res = await call('filer', 'POST', '/api/registry/filings/upload', rowsToCsv(rows), 'text/csv');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      status: 400,
      totalProblems: 2,
      errors: [
        { row: 3, column: 'new_owner_country' },
        { row: 5, column: 'transaction_begin_date' },
      ],
    });
    const json = await call('filer', 'POST', '/api/registry/filings', { items: [{ serial_number: 'A' }] });
    expect(json.statusCode).toBe(400);
    expect(json.json().errors[0]).toMatchObject({ row: 1 });
  });

  it('answers bad input with 4xx problem+json, never 5xx', async () => {
    const cases: Array<[string, 'GET' | 'POST', string, unknown?, string?]> = [
      ['filer', 'POST', '/api/registry/filings', '{not json', 'application/json'],
      ['filer', 'POST', '/api/registry/filings', { items: [] }],
      ['filer', 'POST', '/api/registry/filings', { items: [{ colour: 'red' }] }],
      ['filer', 'POST', '/api/registry/filings', { items: 'x' }],
      ['filer', 'POST', '/api/registry/filings/upload', 'PK\u0003\u0004garbage', 'text/csv'],
      ['filer', 'POST', '/api/registry/filings/upload', '', 'text/csv'],
      ['filer', 'POST', '/api/registry/filings/upload', '<xml/>', 'application/xml'],
      ['regulator', 'GET', '/api/registry/filings/abc'],
      ['regulator', 'GET', '/api/registry/filings/99999999'],
      ['regulator', 'GET', '/api/registry/filings?from=2026-13-01'],
      ['regulator', 'GET', '/api/registry/filings?limit=100000'],
      ['regulator', 'GET', '/api/registry/obligations?asOf=yesterday'],
      ['regulator', 'GET', '/api/registry/chips/NOPE'],
      ['regulator', 'GET', `/api/registry/chips/${'x'.repeat(100)}`],
      ['regulator', 'GET', '/api/registry/parties?country=usa'],
      ['regulator', 'GET', '/api/registry/flags?kind=bogus'],
    ];
    for (const [who, method, url, body, type] of cases) {
      const res = await call(who as Who, method, url, body, type);
      expect(res.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        const res = await call('filer', 'POST', '/api/registry/filings', { items: [v] });
        expect(res.statusCode).toBeLessThan(500);
      }),
      { numRuns: 60, seed: 5 },
    );
  });

  it("proves a filing's items against a signed checkpoint", async () => {
    const unsigned = (await call('filer', 'GET', `/api/registry/filings/${ownFiling}/proofs`)).json();
    expect(unsigned.checkpoint).toBeNull();
    const signer = await getLogSigner(db, { kek: randomBytes(32) });
    await createCheckpoint(db, signer, new Date('2026-04-15T09:00:00Z'));
    const res = (await call('filer', 'GET', `/api/registry/filings/${ownFiling}/proofs?limit=5`)).json();
    const { vkey } = await logVerifierKey(db);
    const cp = verifyCheckpoint(res.checkpoint, vkey);
    expect(cp.size).toBe(res.treeSize);
    expect(res.items).toHaveLength(5);
    for (const it of res.items) {
      const entry = Buffer.from(it.entry, 'utf8');
      expect(JSON.parse(it.entry)).toMatchObject({ filing_id: ownFiling, row: it.row });
      expect(JSON.parse(it.entry).item[0]).toBe(it.serial);
      expect(() =>
        verifyInclusion(
          it.leafIndex,
          cp.size,
          leafHash(entry),
          it.proof.map((p: string) => Buffer.from(p, 'base64')),
          cp.rootHash,
        ),
      ).not.toThrow();
    }
    // A tampered entry does not verify.
    const bad = Buffer.from(res.items[0].entry.replace('ONE-', 'ONX-'), 'utf8');
    expect(() =>
      verifyInclusion(
        res.items[0].leafIndex,
        cp.size,
        leafHash(bad),
        res.items[0].proof.map((p: string) => Buffer.from(p, 'base64')),
        cp.rootHash,
      ),
    ).toThrow();
  });

  it('serves history, parties, GeoJSON, flags and obligations to the regulator', async () => {
    const h = (await call('regulator', 'GET', '/api/registry/chips/ONE-0000001')).json();
    expect(h).toMatchObject({
      serial: 'ONE-0000001',
      eccn: '4A090.a',
      status: 'active',
      history: [{ filingId: ownFiling, filer: 'Filer One Inc', row: 2 }],
    });
    const geo = (await call('regulator', 'GET', '/api/registry/locations.geojson')).json();
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features[0].geometry.type).toBe('Point');
    const parties = (await call('regulator', 'GET', '/api/registry/parties?country=AE')).json().parties;
    expect(parties.every((p: { country: string }) => p.country === 'AE')).toBe(true);
    const chips = (await call('regulator', 'GET', `/api/registry/parties/${partyId}/chips`)).json();
    expect(chips.party.id).toBe(partyId);
    expect((await call('regulator', 'GET', '/api/registry/obligations?asOf=2026-04-30')).json()).toEqual({
      asOf: '2026-04-30',
      obligations: [],
    });
    const vr = await call('regulator', 'POST', '/api/registry/chips/ONE-0000003/verification-requests', {
      reason: 'declared in SG, seen elsewhere',
    });
    expect(vr.statusCode).toBe(201);
    expect(vr.json()).toMatchObject({
      serial: 'ONE-0000003',
      status: 'open',
      reason: 'declared in SG, seen elsewhere',
    });
    expect((await call('regulator', 'POST', '/api/registry/chips/NOPE/verification-requests', {})).statusCode).toBe(
      404,
    );
  });
});
