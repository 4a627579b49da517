// Re-screening as users meet it: the built bin's `lists update` (baseline, then one added alias) and
// `screen changes --since`, then the started server: GET /api/screen/changes with roles and organisation
// scope, and the scheduled check of CHIPWATCH_LISTS_DIR loading a changed list file by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../../src/db/index.js';
import { createApiKey, ensureOrganisation } from '../../src/accounts/index.js';
import { ROLES } from '../../src/http/principal.js';
import { openCase } from '../../src/screening/cases/store.js';
import { BIN, call, serve, type Served } from '../app/serve-process.js';
import { cslExtract } from './shared-data.js';

const V1 = cslExtract(['Albin Technologies', 'Al-Qertas', 'Alagir Resistor Factory']);
const V2 = V1.replace('Alagirsky Resistor Factory', 'Alagirsky Resistor Factory; Volna Component Supply');
const V3 = V2.split('\n')
  .filter((l) => !l.includes('Albin Technologies'))
  .join('\n');

const dir = mkdtempSync(join(tmpdir(), 'cw-rescreen-'));
const listsDir = join(dir, 'lists');
const env = { ...process.env };
delete env.DATABASE_URL; // the embedded database under --data-dir, shared by the bin and the server
const today = new Date().toISOString().slice(0, 10);
const keys: Record<string, string> = {};
let caseId = 0;

function bin(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data-dir', dir], { encoding: 'utf8', env, timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  const db = await openDb({ dataDir: join(dir, 'pgdata') });
  try {
    const org = await ensureOrganisation(db, 'Chipmaker Inc');
    const other = await ensureOrganisation(db, 'Distributor Ltd');
    for (const [name, country] of [
      ['Volna Component Supply', 'RU'],
      ['Albin Technologies Sdn Bhd', 'MY'],
      ['Acme Widgets', 'US'],
    ])
      await db.query(
        `insert into registry_parties (party_key, name_key, name, country, roles) values ($1, $2, $3, $4, '{owner}')`,
        [`${name}|${country}`, name.toLowerCase(), name, country],
      );
    const c = await openCase(
      db,
      {
        organisationId: org,
        subjectKind: 'customer',
        subjectName: 'Volna Component Supply',
        country: 'RU',
        profile: { customer: { name: 'Volna Component Supply', country: 'RU' } },
        assessment: {},
        reason: 'new customer',
      },
      'test',
      new Date(),
    );
    caseId = c.id;
    keys.compliance = (await createApiKey(db, { role: 'compliance', organisationId: org })).key;
    keys.otherCompliance = (await createApiKey(db, { role: 'compliance', organisationId: other })).key;
    keys.regulator = (await createApiKey(db, { role: 'regulator' })).key;
    keys.filer = (await createApiKey(db, { role: 'filer', organisationId: org })).key;
    for (const role of ROLES) keys[`m-${role}`] = (await createApiKey(db, { role, organisationId: org })).key;
  } finally {
    await db.close();
  }
  writeFileSync(join(dir, 'v1.csv'), V1);
  writeFileSync(join(dir, 'v2.csv'), V2);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lists update and screen changes (built bin)', () => {
  it('the first update stores a baseline and raises nothing', () => {
    const r = bin('lists', 'update', join(dir, 'v1.csv'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(
      /re-screened 4 known parties \(registry 3, case 1\) in [\d.]+ s: 0 alerts; 4 seen for the first/,
    );
  });

  it('an added alias raises one alert per party it now hits; screen changes names party and change', () => {
    const r = bin('lists', 'update', join(dir, 'v2.csv'));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/re-screened 4 known parties .*: 2 alerts \(2 alias added\)/);
    expect(r.out).toContain(`cases held for the new hits: #${caseId}`);
    const text = bin('screen', 'changes', '--since', today);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/NEW HIT\s+registry \d+ {2}Volna Component Supply \(RU\)/);
    expect(text.out).toMatch(/EL Alagir Resistor Factory \[csl:[0-9a-f]+\]: alias added: Volna Component Supply/);
    expect(text.out).toMatch(/clear - -> match 1\.000; party clear -> match/);
    const json = JSON.parse(bin('screen', 'changes', '--since', today, '--json').out);
    expect(json.alerts.map((a: { party: { kind: string; ref: string } }) => a.party)).toEqual([
      expect.objectContaining({ kind: 'registry', name: 'Volna Component Supply' }),
      expect.objectContaining({ kind: 'case', ref: `${caseId}/customer` }),
    ]);
  });

  it('refuses a bad date in one line', () => {
    const r = bin('screen', 'changes', '--since', '2026-02-30');
    expect([r.code, r.err.trim()]).toEqual([
      1,
      'chipwatch: field since: a date written YYYY-MM-DD is needed, not "2026-02-30"',
    ]);
  });
});

describe('serve with a lists directory that does not exist', () => {
  it('stops at once with one line naming the variable', () => {
    const missing = join(dir, 'no-such-lists');
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '1', '--data-dir', join(dir, 'other')], {
      encoding: 'utf8',
      env: { ...env, CHIPWATCH_LISTS_DIR: missing },
      timeout: 60_000,
    });
    expect([r.status, r.stderr.trim()]).toEqual([
      1,
      `chipwatch: field CHIPWATCH_LISTS_DIR: "${missing}" is not a directory`,
    ]);
  });
});

describe('the server: GET /api/screen/changes and the lists directory check', () => {
  let s: Served;
  beforeAll(async () => {
    mkdirSync(listsDir);
    writeFileSync(join(listsDir, 'csl.csv'), V2); // the active content: the first check loads nothing
    s = await serve(['--data-dir', dir], {
      ...env,
      DATABASE_URL: '',
      CHIPWATCH_LISTS_DIR: listsDir,
      CHIPWATCH_LISTS_CHECK_SECONDS: '1',
    });
  }, 90_000);
  afterAll(async () => {
    await s?.stop();
  });

  const changes = (who: string, q = `since=${today}`) =>
    call(s.port, 'GET', `/api/screen/changes?${q}`, { key: keys[who] });

  it('answers by role and organisation', async () => {
    const reg = await changes('regulator');
    expect(reg.status).toBe(200);
    expect(JSON.parse(reg.body).alerts).toHaveLength(2);
    const mine = JSON.parse((await changes('compliance')).body);
    expect(mine.alerts.map((a: { party: { ref: string } }) => a.party.ref)).toEqual([`${caseId}/customer`]);
    expect(JSON.parse((await changes('otherCompliance')).body).alerts).toEqual([]);
    expect((await changes('filer')).status).toBe(403);
    const bad = await changes('regulator', 'since=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.headers['content-type']).toMatch(/problem\+json/);
    expect(bad.body).toMatch(/since/);
  });

  it('lets case readers in and no one else (every role), and is in the OpenAPI document', async () => {
    const expected: Record<string, number> = {
      admin: 200,
      regulator: 200,
      compliance: 200,
      'compliance-lead': 200,
      filer: 403,
      auditor: 403,
      analyst: 403,
      investigator: 403,
    };
    const got: Record<string, number> = {};
    for (const role of ROLES) got[role] = (await changes(`m-${role}`)).status;
    expect(got).toEqual(expected);
    expect((await call(s.port, 'GET', `/api/screen/changes?since=${today}`)).status).toBe(401);
    const spec = JSON.parse((await call(s.port, 'GET', '/openapi.json')).body);
    expect(spec.paths['/api/screen/changes'].get.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'limit',
      'since',
    ]);
  });

  it('loads a changed file in the lists directory and raises its alerts', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // a check or two of the unchanged directory
    expect(s.lines.some((l) => l.includes('lists updated'))).toBe(false);
    writeFileSync(join(listsDir, 'csl.csv'), V3); // Albin Technologies delisted
    for (const deadline = Date.now() + 60_000; !s.lines.some((l) => l.includes('lists updated')); ) {
      if (Date.now() > deadline) throw new Error(`no update:\n${s.lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const alerts = JSON.parse((await changes('regulator')).body).alerts as { change: string; party: object }[];
    expect(alerts.slice(2)).toEqual([
      expect.objectContaining({
        kind: 'hit-gone',
        change: 'entry removed',
        party: expect.objectContaining({ kind: 'registry', name: 'Albin Technologies Sdn Bhd' }),
      }),
    ]);
    await new Promise((r) => setTimeout(r, 1500)); // the same files again: no second update
    expect(s.lines.filter((l) => l.includes('lists updated'))).toHaveLength(1);
  }, 90_000);
});
