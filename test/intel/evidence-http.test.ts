// /api/intel/evidence and /api/intel/alerts in-process on both databases: every route × every role (analysts
// write, analysts and regulators read, filers, auditors, compliance and investigators get 403, anonymous 401),
// CSV and JSON upload, the rejected file as problem+json with every problem, and malformed requests as 4xx.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, ensureOrganisation, ROLES } from '../../src/accounts/index.js';
import { buildApp } from '../../src/app/server.js';
import type { Db } from '../../src/db/index.js';
import { backends } from '../helpers/db.js';

type Who = (typeof ROLES)[number] | 'anonymous';
const WHO: readonly Who[] = [...ROLES, 'anonymous'];
const LISTING =
  'serial_number,seen_on,country,place,source_title,source_url\n' +
  'HTTP-1,2026-04-01,CN,Shenzhen,Listing,https://e.test/1\n';

describe.each(backends)('intel evidence and alert routes ($name)', (backend) => {
  let db: Db;
  let app: FastifyInstance;
  const keys = {} as Record<Who, string | null>;
  let alertId = '';

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
    keys.anonymous = null;
    const r = await call('analyst', 'POST', '/api/intel/evidence?kind=listing', LISTING, 'text/csv');
    expect(r.statusCode, r.body).toBe(201);
    alertId = r.json().alerts[0];
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  it('serves the seed on a fresh database', async () => {
    const r = await call('regulator', 'GET', '/api/intel/evidence?category=case&limit=100');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toHaveLength(25);
  });

  const READ = { admin: 200, analyst: 200, regulator: 200 } as Record<string, number>;
  const routes: {
    name: string;
    method: 'GET' | 'POST';
    url: () => string;
    allowed: Record<string, number>;
    body?: () => unknown;
    type?: string;
  }[] = [
    { name: 'list evidence', method: 'GET', url: () => '/api/intel/evidence', allowed: READ },
    { name: 'show evidence', method: 'GET', url: () => '/api/intel/evidence/ACS-01', allowed: READ },
    { name: 'list alerts', method: 'GET', url: () => '/api/intel/alerts', allowed: READ },
    { name: 'show alert', method: 'GET', url: () => `/api/intel/alerts/${alertId}`, allowed: READ },
    {
      name: 'acknowledge alert',
      method: 'POST',
      url: () => `/api/intel/alerts/${alertId}/acknowledge`,
      body: () => ({ note: 'seen' }),
      allowed: READ,
    },
    {
      name: 'import evidence',
      method: 'POST',
      url: () => '/api/intel/evidence?kind=listing',
      body: () => LISTING,
      type: 'text/csv',
      allowed: { admin: 200, analyst: 200 },
    },
    { name: 'scan alerts', method: 'POST', url: () => '/api/intel/alerts/scan', allowed: { admin: 200, analyst: 200 } },
  ];

  it.each(routes)('$name: every role', async (route) => {
    for (const who of WHO) {
      const expected = route.allowed[who] ?? (who === 'anonymous' ? 401 : 403);
      const r = await call(who, route.method, route.url(), route.body?.(), route.type);
      expect(r.statusCode, `${who} ${route.method} ${route.url()}: ${r.body}`).toBe(expected);
    }
  });

  it('the alert names the listing and says the serial was never filed', async () => {
    const r = await call('regulator', 'GET', `/api/intel/alerts/${alertId}`);
    const a = r.json();
    expect([a.kind, a.serial, a.evidence[0].place, a.registry.filingId, a.history]).toEqual([
      'never-filed',
      'HTTP-1',
      'Shenzhen',
      null,
      null,
    ]);
    expect(a.acknowledgements.map((k: { by: string }) => k.by)).toEqual(
      [1, 2, 3].map(() => expect.stringMatching(/^key:\d+$/)),
    ); // admin, analyst, regulator
  });

  it('imports JSON; a bad file is problem+json with every problem and nothing stored', async () => {
    const ok = await call('analyst', 'POST', '/api/intel/evidence?kind=sighting', [
      {
        serial_number: 'HTTP-2',
        seen_on: '2026-04',
        country: 'MY',
        place: 'Johor',
        source_title: 'Tip',
        source_url: '',
      },
    ]);
    expect(ok.statusCode, ok.body).toBe(201);
    const bad = await call(
      'analyst',
      'POST',
      '/api/intel/evidence?kind=sighting',
      'serial_number,seen_on,country,place,source_title,source_url\nHTTP-3,yesterday,CN,X,T,\nHTTP-4,2026,XX,Y,T,\n',
      'text/csv',
    );
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toContain('application/problem+json');
    expect(bad.json().errors.map((e: { row: number; column: string }) => `${e.row}:${e.column}`)).toEqual([
      '2:seen_on',
      '3:country',
    ]);
    const stored = await call('analyst', 'GET', '/api/intel/evidence?category=sighting');
    expect(stored.json().map((e: { serials: string[] }) => e.serials[0])).toEqual(['HTTP-2']);
  });

  it('malformed requests are 4xx problem+json, never 5xx', async () => {
    const cases: [string, 'GET' | 'POST', unknown?, string?][] = [
      ['/api/intel/evidence?kind=nonsense', 'POST', LISTING, 'text/csv'],
      ['/api/intel/evidence', 'POST', LISTING, 'text/csv'],
      ['/api/intel/evidence?kind=case', 'POST', 'not json', 'application/json'],
      ['/api/intel/evidence?kind=case', 'POST', '<x/>', 'application/xml'],
      ['/api/intel/evidence?kind=case', 'POST', Buffer.from([0x69, 0x64, 0x0a, 0xff, 0xfe]), 'text/csv'],
      ['/api/intel/evidence?country=China', 'GET'],
      ['/api/intel/evidence?from=2026-13', 'GET'],
      ['/api/intel/evidence/NOPE', 'GET'],
      ['/api/intel/alerts?kind=bad', 'GET'],
      ['/api/intel/alerts/NOPE', 'GET'],
      [`/api/intel/alerts/${alertId}/acknowledge`, 'POST', { note: '' }],
    ];
    for (const [url, method, body, type] of cases) {
      const r = await call('analyst', method, url, body, type);
      expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${method} ${url}`).toBeLessThan(500);
      expect(r.headers['content-type']).toContain('application/problem+json');
    }
  });
});
