// Networks, paths, clusters, timelines and dossiers through the built bin, on both databases. The done-when
// test: a fresh install's `intel dossier` of a party from the seed evidence cites its sources. The links
// expected between seed parties are read from data/evidence/cases.csv here, not from the code under test.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { upsertEntities } from '../../src/intel/entities/store.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { type BinDir, binDir, databases, removeBinDirs } from '../helpers/bin-dir.js';
import { writeWorld } from './network-world.js';

const CASES = join(import.meta.dirname, '..', '..', 'data', 'evidence', 'cases.csv');
/** Evidence ids naming both parties, from the seed file itself. */
function namedTogether(a: string, b: string): string[] {
  const rows = parse(readFileSync(CASES), { columns: true }) as { id: string; parties: string }[];
  return rows
    .filter((r) => {
      const ps = r.parties.split(';').map((p) => p.trim());
      return ps.includes(a) && ps.includes(b);
    })
    .map((r) => r.id)
    .sort();
}

interface Cited {
  cites: number[];
}
interface DossierJson {
  entity: { caption: string };
  summary: Cited[];
  identifiers: Cited[];
  network: { links: (Cited & { fact: { otherCaption: string } })[] };
  timeline: (Cited & { fact: { kind: string; source: { kind: string; evidenceId?: string } } })[];
  sources: { n: number; text: string }[];
}

describe.each(databases)('intel network commands through the bin ($name)', { timeout: 600_000 }, (database) => {
  let w: BinDir;
  let url: string | undefined;
  beforeAll(async () => {
    url = await database.url();
    w = await binDir('cw-net-', async () => url);
  });
  afterAll(removeBinDirs);

  it("a fresh install's dossier of a seed party cites a source for every fact", () => {
    expect(w.ok('intel', 'dossier', 'Super Micro Computer', '--out', 'smci')).toMatch(/^wrote smci\.md and smci\.json/);
    const d = JSON.parse(readFileSync(join(w.dir, 'smci.json'), 'utf8')) as DossierJson;
    expect(d.entity.caption).toBe('Super Micro Computer');
    const facts = [...d.summary, ...d.identifiers, ...d.network.links, ...d.timeline];
    expect(d.timeline.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(f.cites.length).toBeGreaterThan(0);
      for (const n of f.cites) expect(d.sources.map((s) => s.n)).toContain(n);
    }
    const cited = d.timeline.map((t) => t.fact.source.evidenceId).sort();
    const seed = parse(readFileSync(CASES), { columns: true }) as { id: string; parties: string }[];
    const naming = seed.filter((r) => r.parties.split(';').some((p) => p.trim() === 'Super Micro Computer'));
    expect(cited).toEqual(naming.map((r) => r.id).sort());
    expect(d.network.links.map((l) => l.fact.otherCaption).sort()).toEqual(['Dell Technologies', 'NVIDIA']);
    const md = readFileSync(join(w.dir, 'smci.md'), 'utf8');
    for (const section of ['## Summary', '## Identifiers', '## Network', '## Timeline', '## Sources'])
      expect(md).toContain(section);
    const timeline = md.split('## Timeline')[1].split('## Sources')[0];
    for (const line of timeline.split('\n').filter((l) => l.startsWith('- '))) expect(line).toMatch(/(\[\d+\])+$/);
    const acs18 = d.sources.find((s) => s.text.startsWith('evidence ACS-18:'));
    expect(acs18?.text).toContain('Reuters');
    expect(md).toContain(`${acs18!.n}. evidence ACS-18:`);
  });

  it('links two seed parties by the evidence items naming both, and finds the path through them', () => {
    const n = w.json<{
      nodes: { id: string; caption: string }[];
      links: { source: string; target: string; schema: string; reasons: { kind: string; evidenceId: string }[] }[];
    }>('intel', 'network', 'Super Micro Computer', '--hops', '1');
    const id = (caption: string) => n.nodes.find((x) => x.caption === caption)!.id;
    const dell = n.links.find(
      (l) => [l.source, l.target].sort().join() === [id('Dell Technologies'), id('Super Micro Computer')].sort().join(),
    );
    expect(dell!.schema).toBe('NamedTogether');
    expect(dell!.reasons.map((r) => r.evidenceId).sort()).toEqual(
      namedTogether('Dell Technologies', 'Super Micro Computer'),
    );
    const p = w.json<{ found: boolean; nodes: { caption: string }[] }>(
      'intel',
      'path',
      'Super Micro Computer',
      'Main Chain Ltd',
    );
    expect(p.found).toBe(true);
    expect(p.nodes.map((x) => x.caption)).toEqual(['Super Micro Computer', 'Dell Technologies', 'Main Chain Ltd']);
    const dot = w.ok('intel', 'network', 'Super Micro Computer', '--hops', '1', '--format', 'dot');
    expect(dot).toMatch(/^digraph network \{/);
    expect(dot).toContain('label="Dell Technologies\\nCompany"');
  });

  it("a chip's timeline joins its filing, the listing that saw it and the alert, each with its source", () => {
    const [row] = sampleRows({ count: 1, seed: 7, month: '2026-02' });
    const filed = w.json<{ filingId: number; firstLeafIndex: number }>(
      'registry',
      'import',
      w.file('filing.csv', rowsToCsv([{ ...row, serial_number: 'TL-H100-0001', location_country: 'MY' }])),
      '--as',
      'Exports SA',
    );
    const listing = w.file(
      'listing.csv',
      'serial_number,seen_on,country,place,source_title,source_url\n' +
        'TL-H100-0001,2026-04-02,CN,Shenzhen,Huaqiangbei shop listing,https://shop.example.cn/item/9\n',
    );
    const imported = w.json<{ inserted: string[]; alerts: string[] }>('intel', 'import', listing, '--kind', 'listing');
    const t = w.json<{ events: { kind: string; date: string; source: Record<string, unknown> }[] }>(
      'intel',
      'timeline',
      '--serial',
      'TL-H100-0001',
    );
    expect(t.events.map((e) => e.kind)).toEqual(['filing', 'evidence', 'alert']);
    expect(t.events[0].source).toEqual({
      kind: 'filing',
      filingId: filed.filingId,
      row: 2, // the CSV line (line 1 is the header)
      leafIndex: filed.firstLeafIndex,
    });
    expect(t.events[1].source).toMatchObject({
      kind: 'evidence',
      evidenceId: imported.inserted[0],
      url: 'https://shop.example.cn/item/9',
    });
    expect(t.events[2].source).toEqual({
      kind: 'alert',
      alertId: imported.alerts[0],
      evidenceId: imported.inserted[0],
    });
    const text = w.ok('intel', 'timeline', '--serial', 'TL-H100-0001');
    expect(text).toContain(`source: registry filing ${filed.filingId}, row 2`);
  });

  it("a registry party's dossier cites the filing of the chip it holds", async () => {
    // The owner of the chip filed above, as the entity `intel sync` makes of a registry party.
    const db = await openDb(url ? { databaseUrl: url } : { dataDir: join(w.dir, 'data', 'pgdata') });
    try {
      const [p] = await db.query<{ id: string; name: string }>(
        'select p.id, p.name from registry_chips c join registry_parties p on p.id = c.current_owner_id ' +
          "where c.serial = 'TL-H100-0001'",
      );
      const entity = {
        schema: 'Company',
        caption: p.name,
        properties: { name: [p.name] },
        origin: 'registry' as const,
      };
      await upsertEntities(db, [{ ...entity, id: 'reg-owner', originRef: `party:${p.id}` }], new Date());
    } finally {
      await db.close();
    }
    w.ok('intel', 'dossier', 'reg-owner', '--out', 'owner');
    const d = JSON.parse(readFileSync(join(w.dir, 'owner.json'), 'utf8')) as DossierJson;
    const filing = d.timeline.find((t) => t.fact.kind === 'filing');
    expect(filing?.fact.source.kind).toBe('filing');
    const cited = d.sources.find((s) => s.n === filing!.cites[0]);
    expect(cited?.text).toMatch(/^registry filing \d+, row 2 \(transparency-log leaf \d+\)$/);
    expect(readFileSync(join(w.dir, 'owner.md'), 'utf8')).toContain(`${cited!.n}. registry filing `);
  });

  it('ranks clusters and exports GraphML of a written world', async () => {
    const db = await openDb(url ? { databaseUrl: url } : { dataDir: join(w.dir, 'data', 'pgdata') });
    try {
      await writeWorld(db, new Date());
    } finally {
      await db.close();
    }
    const r = w.json<{
      clusters: { rank: number; score: number; members: { id: string }[]; reasons: { kind: string }[] }[];
    }>('intel', 'clusters', '--top', '1');
    expect(r.clusters).toHaveLength(1);
    expect(r.clusters[0].members.map((m) => m.id)).toEqual(['c-alpha', 'c-beta', 'c-gamma']);
    expect(r.clusters[0].reasons.map((x) => x.kind)).toContain('sharedDirector');
    expect(w.ok('intel', 'clusters')).toMatch(
      /#1 {2}score 13: Alpha Compute Sdn Bhd, Beta Servers Sdn Bhd, Gamma Trading Ltd/,
    );
    expect(w.ok('intel', 'network', 'c-alpha', '--format', 'graphml', '--out', 'alpha.graphml')).toMatch(
      /^wrote 4 entities and 3 links to alpha\.graphml/,
    );
    const xml = readFileSync(join(w.dir, 'alpha.graphml'), 'utf8');
    expect(xml.match(/<edge /g)).toHaveLength(3);
  });

  it('says clearly what is wrong, with no stack trace', () => {
    const none = w.run('intel', 'network', 'Nobody Ltd');
    expect(none.status).toBe(1);
    expect(none.stderr).toBe('chipwatch: field entity: no entity with id or name "Nobody Ltd"\n');
    const far = w.run('intel', 'path', 'c-alpha', 'c-eps', '--max-hops', '3');
    expect(far.status).toBe(0);
    expect(far.stdout).toBe('no path between c-alpha and c-eps within 3 hops\n');
    const both = w.run('intel', 'timeline');
    expect(both.status).toBe(2);
    expect(both.stderr).toContain('give an entity or --serial');
    const hops = w.run('intel', 'network', 'c-alpha', '--hops', '9');
    expect(hops.status).not.toBe(0);
    expect(hops.stderr).toContain('--hops must be an integer from 1 to 6');
    expect(`${none.stderr}${both.stderr}${hops.stderr}`).not.toMatch(/\n\s+at /);
  });
});
