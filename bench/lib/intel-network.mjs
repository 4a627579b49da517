// Network scale (issue 19, Must 8): a generated graph of N entities and 5N links, then the 2-hop neighbourhood
// through the real code path (src/intel/network: set-based reads per hop, then the graph in memory) beside a
// plain SQL baseline (one recursive CTE for the node set and a join for the links among them) in the same run,
// and the whole `chipwatch intel network ID --hops 2 --json` command once, cold, on PGlite.
//
// The generator is this file's own, in SQL (insert ... select from generate_series, seeded): every entity has
// five outgoing links (Ownership or Directorship) to uniformly drawn targets, so the mean degree is 10 and a
// 2-hop neighbourhood holds about 100 entities and the links among them; one entity in ten has a phone number
// shared with two others (the identifiers resolution keeps, 073), which the network follows as links too.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand } from './whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => import(join(root, 'dist', p));

export const TARGET_P95_MS = 100;

/** Fills an empty database with `n` entities and 5n links (and shared phones); returns the seconds taken. */
export async function generateGraph(db, n, log = () => {}) {
  const t0 = performance.now();
  await db.query('select setseed(0.19)');
  const step = 100_000;
  // Every entity first: a link's two ends must exist (070's foreign keys).
  for (let lo = 1; lo <= n; lo += step) {
    const hi = Math.min(n, lo + step - 1);
    await db.query(
      `insert into intel_entities (id, schema, caption, properties, origin, origin_ref, created_at, updated_at)
       select 'e' || g, case when g % 10 = 0 then 'Person' else 'Company' end, 'Entity ' || g,
              jsonb_build_object('name', jsonb_build_array('Entity ' || g)), 'analyst', null, now(), now()
         from generate_series($1::int, $2::int) g`,
      [lo, hi],
    );
  }
  for (let lo = 1; lo <= n; lo += step) {
    const hi = Math.min(n, lo + step - 1);
    await db.query(
      `insert into intel_links (id, schema, source_id, target_id, properties, origin, origin_ref, created_at)
       select 'l' || g || '-' || k, case when k = 0 then 'Directorship' else 'Ownership' end, 'e' || g,
              'e' || (case when t = g then t % $3::int + 1 else t end), '{}', 'analyst', null, now()
         from (select g, k, 1 + floor(random() * $3::int)::int as t
                 from generate_series($1::int, $2::int) g, generate_series(0, 4) k) x`,
      [lo, hi, n],
    );
    await db.query(
      `insert into intel_identifiers (entity_id, kind, value)
       select 'e' || g, 'phone', '6590' || lpad((g / 30)::text, 7, '0')
         from generate_series($1::int, $2::int) g where g % 10 = 0`,
      [lo, hi],
    );
    log(`  generated ${hi.toLocaleString('en')} entities, ${(5 * hi).toLocaleString('en')} links`);
  }
  await db.query('analyze');
  return (performance.now() - t0) / 1000;
}

// The plain SQL baseline: the node set by a recursive CTE over both link directions, then the links among it.
const BASELINE_SQL = `
  with recursive walk(id, depth) as (
    select $1::text, 0
    union
    select n.id, w.depth + 1 from walk w
      cross join lateral (select l.target_id as id from intel_links l where l.source_id = w.id
                          union all
                          select l.source_id from intel_links l where l.target_id = w.id) n
     where w.depth < $2
  ),
  nodes as (select id, min(depth) as hop from walk group by id)
  select (select json_agg(json_build_object('id', e.id, 'schema', e.schema, 'caption', e.caption, 'hop', n.hop))
            from nodes n join intel_entities e on e.id = n.id) as nodes,
         (select json_agg(json_build_object('id', l.id, 'schema', l.schema, 'source', l.source_id,
                                            'target', l.target_id))
            from intel_links l where l.source_id in (select id from nodes) and l.target_id in (select id from nodes))
           as links`;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

/** Times `samples` 2-hop neighbourhoods of seeded random roots, real path and baseline interleaved. */
export async function timeNeighbourhoods(db, n, samples, log = () => {}) {
  const { neighbourhood } = await dist('intel/network/network.js');
  const { networkSources } = await dist('intel/network/sources.js');
  const sources = networkSources(db);
  let a = 19;
  const next = () => {
    a = (a * 1103515245 + 12345) % 2 ** 31;
    return `e${1 + (a % n)}`;
  };
  const roots = Array.from({ length: samples + 10 }, next);
  const ours = [];
  const base = [];
  let nodes = 0;
  let links = 0;
  let baseNodes = 0;
  for (const [i, root] of roots.entries()) {
    const t0 = performance.now();
    const net = await neighbourhood(db, sources, [root], { hops: 2, limit: 500 });
    const t1 = performance.now();
    const [b] = await db.query(BASELINE_SQL, [root, 2]);
    const t2 = performance.now();
    if (i < 10) continue; // warm-up: connections, plans, code
    ours.push(t1 - t0);
    base.push(t2 - t1);
    nodes += net.nodes.length;
    links += net.links.length;
    baseNodes += (typeof b.nodes === 'string' ? JSON.parse(b.nodes) : b.nodes).length;
  }
  log(`  timed ${samples} neighbourhoods`);
  return {
    samples,
    ours: {
      p50: quantile(ours, 0.5),
      p95: quantile(ours, 0.95),
      meanNodes: nodes / samples,
      meanLinks: links / samples,
    },
    baseline: { p50: quantile(base, 0.5), p95: quantile(base, 0.95), meanNodes: baseNodes / samples },
  };
}

/** The whole command, cold: `chipwatch intel network e1 --hops 2 --json` on the data directory. */
export function timeNetworkCommand(dataDir, cwd, env) {
  const r = timeCommand(['intel', 'network', 'e1', '--hops', '2', '--json', '--data-dir', dataDir], { cwd, env });
  const out = JSON.parse(r.stdout);
  return { seconds: r.seconds, rssMb: r.rssMb, nodes: out.nodes.length, links: out.links.length };
}

export function describeNetwork(backend, n, genS, t) {
  const f = (x) => `${x.toFixed(1)} ms`;
  return [
    `network (${backend}): ${n.toLocaleString('en')} entities, ${(5 * n).toLocaleString('en')} links ` +
      `(generated in ${genS.toFixed(0)} s)`,
    `  2-hop neighbourhood, real code path (neighbourhood(), in process): p50 ${f(t.ours.p50)}, ` +
      `p95 ${f(t.ours.p95)} (target < ${TARGET_P95_MS} ms: ${t.ours.p95 < TARGET_P95_MS ? 'met' : 'NOT met'}); ` +
      `mean ${t.ours.meanNodes.toFixed(0)} entities, ${t.ours.meanLinks.toFixed(0)} links; ${t.samples} roots`,
    `  plain SQL baseline (recursive CTE + links among the nodes): p50 ${f(t.baseline.p50)}, ` +
      `p95 ${f(t.baseline.p95)}; mean ${t.baseline.meanNodes.toFixed(0)} entities (no shared identifiers)`,
    `  ratio p95 ours / baseline: ${(t.ours.p95 / t.baseline.p95).toFixed(2)}×`,
  ].join('\n');
}
