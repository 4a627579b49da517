// Resolution at scale (issue 19, Must 8): candidate pairs for N new entities among N existing ones, timed as a
// user runs it — `chipwatch intel candidates --since T --json`, the built bin, a fresh process, cold — beside a
// plain SQL baseline in the same run (exact normalised-name join plus shared-identifier join). Reports the
// time against the 5-minute target, the ratio to the baseline, and how many of the planted duplicates each
// finds.
//
// The entities come from word lists and a seeded PRNG here, not from the matcher or its tables: existing
// companies, new ones, and among the new ones planted duplicates of existing ones (legal form spelled
// another way and case changed, a letter dropped, a shared phone under another name, the registration
// number written another way) — the labels the recall is counted against.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { timeCommand } from './whole-command.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = (p) => import(join(root, 'dist', p));

export const TARGET_S = 300;

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// A coined first word (three of 24 syllables: 13,824 words) before two ordinary ones: 6.6 million names, so
// that 200,000 generated companies rarely share one by chance.
const SYLLABLES = 'ka lo mi ru te vo sa ne pi du ga ho ri ze bu la mo ki tu ve so na fi ro'.split(' ');
const B =
  `Pacific Northern Coastal Summit Harbor Prairie Canyon Delta Meridian Horizon Valley Ridge Crescent Lagoon Tundra
  Savanna Glacier Orchard Estuary Plateau`.split(/\s+/);
const C = `Compute Logistics Trading Electronics Networks Devices Components Analytics Robotics Freight Supply Imports
  Exports Holdings Ventures Labs Industries Circuits Silicon Optics Machines Storage Servers Signal Systems`.split(
  /\s+/,
);
const FORMS = [
  ['Ltd', 'Limited'],
  ['LLC', 'L.L.C.'],
  ['Co., Ltd.', 'Company Limited'],
  ['Pte. Ltd.', 'Private Limited'],
  ['GmbH', 'G.m.b.H.'],
  ['Inc.', 'Incorporated'],
  ['Sdn. Bhd.', 'Sendirian Berhad'],
  ['FZE', 'F.Z.E.'],
];
const COUNTRIES = ['us', 'sg', 'my', 'ae', 'de', 'jp', 'kr', 'tw', 'in', 'gb', 'nl', 'cn', 'hk', 'ru', 'tr', 'th'];

/** The i-th distinct name: a stride through the combinations so that neighbours differ in every word. */
function nameParts(i) {
  const s = SYLLABLES.length;
  const n = s ** 3 * B.length * C.length;
  let k = (i * 2_654_435_761) % n;
  let first = '';
  for (let w = 0; w < 3; w++) {
    first += SYLLABLES[k % s];
    k = Math.floor(k / s);
  }
  return [first[0].toUpperCase() + first.slice(1), B[k % B.length], C[Math.floor(k / B.length) % C.length]];
}

/** Existing and new entities, and the planted duplicate pairs [existingId, newId, how]. */
export function generate(existing, fresh, seed = 19) {
  const rand = rng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const digits = (n) => Array.from({ length: n }, () => Math.floor(rand() * 10)).join('');
  const olds = [];
  const news = [];
  const planted = [];
  const company = (id, name, country, extra) => ({
    id,
    schema: 'Company',
    caption: name,
    properties: { name: [name], country: [country], ...extra },
    origin: 'analyst',
    originRef: null,
  });
  const stock = (i, form) => {
    const country = pick(COUNTRIES);
    const words = nameParts(i);
    return {
      words,
      form,
      country,
      phone: `+${1 + Math.floor(rand() * 9)}${digits(1)} ${digits(4)} ${digits(4)}`,
      reg: rand() < 0.5 ? `${country.toUpperCase()}-${digits(9)}` : null,
    };
  };
  const made = [];
  for (let i = 0; i < existing; i++) {
    const s = stock(i, pick(FORMS));
    made.push(s);
    olds.push(
      company(`old-${i}`, `${s.words.join(' ')} ${s.form[0]}`, s.country, {
        phone: [s.phone],
        ...(s.reg ? { registrationNumber: [s.reg] } : {}),
      }),
    );
  }
  for (let j = 0; j < fresh; j++) {
    const id = `new-${j}`;
    if (rand() < 0.1 && existing > 0) {
      const i = Math.floor(rand() * existing);
      const s = made[i];
      const how = pick(['legal-form', 'typo', 'phone', 'registration']);
      if (how === 'legal-form') {
        news.push(company(id, `${s.words.join(' ').toUpperCase()} ${s.form[1].toUpperCase()}`, s.country, {}));
      } else if (how === 'typo') {
        const w = [...s.words];
        const k = Math.floor(rand() * w.length);
        const at = 1 + Math.floor(rand() * (w[k].length - 1));
        w[k] = w[k].slice(0, at) + w[k].slice(at + 1);
        news.push(company(id, `${w.join(' ')} ${s.form[0]}`, s.country, {}));
      } else if (how === 'phone') {
        const other = stock(existing + fresh + j, pick(FORMS));
        news.push(
          company(id, `${other.words.join(' ')} ${other.form[0]}`, other.country, {
            phone: [s.phone.replace(/^\+/, '00').replace(/ /g, '-')],
          }),
        );
      } else {
        const reg = s.reg ?? `${s.country.toUpperCase()}-${digits(9)}`;
        if (!s.reg) {
          s.reg = reg;
          olds[i].properties.registrationNumber = [reg];
        }
        const other = stock(existing + fresh + j, pick(FORMS));
        news.push(
          company(id, `${other.words.join(' ')} ${other.form[0]}`, other.country, {
            registrationNumber: [reg.replace('-', ' ').toLowerCase()],
          }),
        );
      }
      planted.push([`old-${i}`, id, how]);
    } else {
      const s = stock(existing + j, pick(FORMS));
      news.push(company(id, `${s.words.join(' ')} ${s.form[0]}`, s.country, { phone: [s.phone] }));
    }
  }
  return { olds, news, planted };
}

/** The plain SQL peer: new entities paired with others by exact normalised name or a shared identifier. */
const BASELINE_SQL = `
  with norm as (
    select id, created_at >= $1 as new, regexp_replace(lower(caption), '[^a-z0-9]+', '', 'g') as k from intel_entities
  )
  select a.id as a, b.id as b from norm a join norm b on a.k = b.k and a.id < b.id where a.new or b.new
  union
  select i1.entity_id, i2.entity_id from intel_identifiers i1
    join intel_identifiers i2 on i1.kind = i2.kind and i1.value = i2.value and i1.entity_id < i2.entity_id
    join intel_entities e1 on e1.id = i1.entity_id join intel_entities e2 on e2.id = i2.entity_id
   where e1.created_at >= $1 or e2.created_at >= $1`;

const recallOf = (pairs, planted) => {
  const keys = new Set(pairs.map(([a, b]) => (a < b ? `${a}|${b}` : `${b}|${a}`)));
  const by = {};
  let found = 0;
  for (const [a, b, how] of planted) {
    const hit = keys.has(a < b ? `${a}|${b}` : `${b}|${a}`);
    by[how] ??= { planted: 0, found: 0 };
    by[how].planted += 1;
    if (hit) {
      by[how].found += 1;
      found += 1;
    }
  }
  return { found, planted: planted.length, byKind: by };
};

/**
 * Loads the generated entities into a fresh database (PostgreSQL at `databaseUrl`, else PGlite in a temporary
 * data directory), then times `intel candidates --since` and the SQL baseline. Returns the figures.
 */
export async function runResolutionBench({ existing = 100_000, fresh = 100_000, databaseUrl, log = () => {} } = {}) {
  const { openDb } = await dist('db/index.js');
  const { upsertEntities } = await dist('intel/entities/store.js');
  const work = mkdtempSync(join(tmpdir(), 'chipwatch-bench-resolve-'));
  try {
    const dataDir = join(work, 'data');
    const open = () => openDb(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pgdata') });
    const { olds, news, planted } = generate(existing, fresh);
    const t0 = new Date('2026-01-01T00:00:00Z');
    const since = new Date('2026-02-01T00:00:00Z');
    let db = await open();
    const tl = performance.now();
    for (const [list, at] of [
      [olds, t0],
      [news, since],
    ])
      for (let i = 0; i < list.length; i += 10_000)
        await db.transaction((tx) => upsertEntities(tx, list.slice(i, i + 10_000), at));
    log(`loaded ${olds.length} + ${news.length} entities in ${((performance.now() - tl) / 1000).toFixed(1)} s`);
    await db.query('analyze');
    await db.close();

    const env = { ...process.env };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    const args = ['intel', 'candidates', '--since', since.toISOString(), '--limit', '100000000', '--json'];
    const cmd = timeCommand([...args, '--data-dir', dataDir], { cwd: work, env });
    const pairs = JSON.parse(cmd.stdout).map((c) => [c.a.id, c.b.id]);

    db = await open();
    const tb = performance.now();
    const base = (await db.query(BASELINE_SQL, [since.toISOString()])).map((r) => [r.a, r.b]);
    const baselineS = (performance.now() - tb) / 1000;
    await db.close();
    return {
      backend: databaseUrl ? 'postgres' : 'pglite',
      existing,
      fresh,
      command: { seconds: cmd.seconds, rssMb: cmd.rssMb, pairs: pairs.length, recall: recallOf(pairs, planted) },
      baseline: { seconds: baselineS, pairs: base.length, recall: recallOf(base, planted) },
      targetS: TARGET_S,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One line per figure, for the bench's output. */
export function describeResolution(r) {
  const pct = (x) => `${x.found}/${x.planted} (${((100 * x.found) / Math.max(1, x.planted)).toFixed(1)} %)`;
  const kinds = (x) =>
    Object.entries(x.byKind)
      .map(([k, v]) => `${k} ${v.found}/${v.planted}`)
      .join(', ');
  return [
    `resolution (${r.backend}): candidates for ${r.fresh.toLocaleString('en')} new entities among ` +
      `${(r.existing + r.fresh).toLocaleString('en')}`,
    `  chipwatch intel candidates --since (built bin, cold): ${r.command.seconds.toFixed(1)} s ` +
      `(target < ${r.targetS} s: ${r.command.seconds < r.targetS ? 'met' : 'NOT met'}), peak RSS ` +
      `${r.command.rssMb.toFixed(0)} MB, ${r.command.pairs} pairs, planted duplicates found ${pct(r.command.recall)}`,
    `    by kind: ${kinds(r.command.recall)}`,
    `  plain SQL baseline (exact normalised name + shared identifier): ${r.baseline.seconds.toFixed(1)} s, ` +
      `${r.baseline.pairs} pairs, planted duplicates found ${pct(r.baseline.recall)}`,
    `    by kind: ${kinds(r.baseline.recall)}`,
    `  ratio command / baseline: ${(r.command.seconds / Math.max(r.baseline.seconds, 1e-6)).toFixed(1)}×`,
  ].join('\n');
}
