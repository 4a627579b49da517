// Candidate pairs of entities that may be one party, each with a score and its reasons: (a) the screening
// matcher, run over an index of the entities' own names (name against name, a shared country raising the
// score), and (b) identifiers they share (address, phone, e-mail, website, registration number). A pair
// the analysts have judged is left out unless asked for; nothing here merges anything.
import type { Queryable } from '../../db/index.js';
import { buildIndex, DEFAULT_CONFIG, Screener, type ListEntry } from '../../screening/index.js';
import { canMatch, PARTY_SCHEMATA } from '../ftm/model.js';
import type { IdentifierKind } from './identifiers.js';
import { currentJudgements, type Judgement } from './decisions.js';

export type Reason =
  | { kind: 'name'; score: number; explanation: string }
  /** Identifiers of one kind both have (several shared addresses are one piece of evidence, not several). */
  | { kind: IdentifierKind; values: string[]; weight: number };

export interface Candidate {
  a: { id: string; schema: string; caption: string };
  b: { id: string; schema: string; caption: string };
  score: number;
  reasons: Reason[];
  /** The pair's current judgement, when it has one (only with `includeDecided`). */
  judgement?: { judgement: Judgement; decisionId: number };
}

/** How much one shared identifier says that two entities are one party (combined as independent evidence). */
export const IDENTIFIER_WEIGHT: Record<IdentifierKind, number> = {
  registration: 0.9,
  email: 0.8,
  website: 0.6,
  phone: 0.6,
  address: 0.5,
};

/** A value shared by more entities than this (a registered agent's address) pairs nobody: too common. */
export const MAX_SHARING = 25;

export interface CandidateOptions {
  /** Only pairs with this entity. */
  entity?: string;
  /** Only pairs with an entity created at or after this time (the new ones). */
  since?: Date;
  includeDecided?: boolean;
  /** Pairs returned, best first. */
  limit?: number;
}

export interface Party {
  id: string;
  schema: string;
  caption: string;
  countries: string[];
  aliases: string[];
  query: boolean;
}

/** Rows per read: small pages keep each embedded-database query (in the server's thread) short. */
const PAGE = 2_000;

/** Every party entity (companies, people, ...) with whether it is one the caller asks about. */
async function loadParties(q: Queryable, opts: CandidateOptions): Promise<Party[]> {
  const out: Party[] = [];
  for (let after = ''; ; ) {
    const rows = await q.query<{
      id: string;
      schema: string;
      caption: string;
      alias: string[] | null;
      countries: string[] | null;
      query: boolean;
    }>(
      `select id, schema, caption, properties->'alias' as alias,
         (select array_agg(distinct upper(c)) from jsonb_array_elements_text(
            coalesce(properties->'country', '[]') || coalesce(properties->'mainCountry', '[]')
            || coalesce(properties->'jurisdiction', '[]') || coalesce(properties->'nationality', '[]')) c
          where length(c) = 2) as countries,
         (($3::text is null and $4::timestamptz is null) or id = $3 or created_at >= $4) as query
       from intel_entities where schema = any($1::text[]) and id > $2 order by id limit ${PAGE}`,
      [PARTY_SCHEMATA, after, opts.entity ?? null, opts.since?.toISOString() ?? null],
    );
    for (const r of rows)
      out.push({
        id: r.id,
        schema: r.schema,
        caption: r.caption,
        countries: r.countries ?? [],
        aliases: (r.alias ?? []).slice(0, 20),
        query: r.query,
      });
    if (rows.length < PAGE) return out;
    after = rows[rows.length - 1].id;
  }
}

const entryType = (schema: string): ListEntry['type'] =>
  schema === 'Person' ? 'individual' : schema === 'Vessel' ? 'vessel' : 'entity';

/** The parties as list entries, so the screening matcher can search them. */
function asEntries(parties: readonly Party[]): ListEntry[] {
  return parties.map((p) => ({
    id: p.id,
    list: 'INTEL',
    source: 'chipwatch entities',
    type: entryType(p.schema),
    programs: [],
    name: p.caption,
    aliases: p.aliases,
    addresses: [],
    ids: [],
    countries: p.countries,
    dates: {},
  }));
}

const key = (a: string, b: string) => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

/** Pairs the matcher finds for the queried parties' names, with the matcher's score and explanation. */
export function namePairs(parties: readonly Party[]): Map<string, Reason & { kind: 'name' }> {
  const out = new Map<string, Reason & { kind: 'name' }>();
  if (!parties.some((p) => p.query)) return out;
  const screener = new Screener(buildIndex(asEntries(parties)), DEFAULT_CONFIG);
  const byId = new Map(parties.map((p) => [p.id, p]));
  for (const p of parties) {
    if (!p.query || p.caption.trim() === '') continue;
    const country = p.countries.length === 1 ? p.countries[0] : undefined;
    const r = screener.screen({ name: p.caption.slice(0, 500), ...(country ? { country } : {}) });
    for (const m of r.matches) {
      const other = byId.get(m.entryId);
      if (!other || other.id === p.id || !canMatch(p.schema, other.schema)) continue;
      const k = key(p.id, other.id);
      const seen = out.get(k);
      if (!seen || seen.score < m.score)
        out.set(k, { kind: 'name', score: Math.round(m.score * 1000) / 1000, explanation: m.explanation });
    }
  }
  return out;
}

/** Pairs sharing an identifier (no value shared by more than MAX_SHARING entities), set-based in SQL. */
async function identifierPairs(
  q: Queryable,
  opts: CandidateOptions,
): Promise<Array<{ a: string; b: string; kind: IdentifierKind; value: string }>> {
  return q.query(
    `with shared as (
       select kind, value from intel_identifiers
        where $2::text is null or (kind, value) in (select kind, value from intel_identifiers where entity_id = $2)
        group by kind, value having count(*) between 2 and ${MAX_SHARING}
     )
     select i1.entity_id as a, i2.entity_id as b, s.kind, s.value
       from shared s
       join intel_identifiers i1 on i1.kind = s.kind and i1.value = s.value
       join intel_identifiers i2 on i2.kind = s.kind and i2.value = s.value and i1.entity_id < i2.entity_id
       join intel_entities e1 on e1.id = i1.entity_id
       join intel_entities e2 on e2.id = i2.entity_id
      where e1.schema = any($1::text[]) and e2.schema = any($1::text[])
        and ($2::text is null or i1.entity_id = $2 or i2.entity_id = $2)
        and ($3::timestamptz is null or e1.created_at >= $3 or e2.created_at >= $3)
      order by 1, 2, 3, 4`,
    [PARTY_SCHEMATA, opts.entity ?? null, opts.since?.toISOString() ?? null],
  );
}

/** Independent pieces of evidence: 1 − Π(1 − wᵢ). */
export function combine(weights: readonly number[]): number {
  return 1 - weights.reduce((acc, w) => acc * (1 - w), 1);
}

/** Finds the name pairs of parties: namePairs here, or the same on a worker thread (the server's work pool). */
export type NameMatcher = (
  parties: Party[],
) => Map<string, Reason & { kind: 'name' }> | Promise<Map<string, Reason & { kind: 'name' }>>;

/** Candidate pairs, best first; `matchNames` runs the matcher (CPU-heavy: it indexes every party's name). */
export async function findCandidates(
  q: Queryable,
  opts: CandidateOptions = {},
  matchNames: NameMatcher = namePairs,
): Promise<Candidate[]> {
  const parties = await loadParties(q, opts);
  const byId = new Map(parties.map((p) => [p.id, p]));
  const reasons = new Map<string, Reason[]>();
  for (const [k, r] of await matchNames(parties)) reasons.set(k, [r]);
  for (const s of await identifierPairs(q, opts)) {
    const pa = byId.get(s.a);
    const pb = byId.get(s.b);
    if (!pa || !pb || !canMatch(pa.schema, pb.schema)) continue;
    const k = key(s.a, s.b);
    const list = reasons.get(k) ?? [];
    const same = list.find((r) => r.kind === s.kind);
    if (same && same.kind !== 'name') same.values.push(s.value);
    else list.push({ kind: s.kind, values: [s.value], weight: IDENTIFIER_WEIGHT[s.kind] });
    reasons.set(k, list);
  }
  const judged = new Map(
    (await currentJudgements(q, opts.entity ? [opts.entity] : undefined)).map((j) => [key(j.a, j.b), j]),
  );
  const out: Candidate[] = [];
  for (const [k, rs] of reasons) {
    const j = judged.get(k);
    if (j && !opts.includeDecided) continue;
    const [ida, idb] = k.split('\u0000');
    const pa = byId.get(ida)!;
    const pb = byId.get(idb)!;
    const score = combine(rs.map((r) => (r.kind === 'name' ? r.score : r.weight)));
    out.push({
      a: { id: pa.id, schema: pa.schema, caption: pa.caption },
      b: { id: pb.id, schema: pb.schema, caption: pb.caption },
      score: Math.round(score * 1000) / 1000,
      reasons: rs.sort((x, y) => (y.kind === 'name' ? y.score : y.weight) - (x.kind === 'name' ? x.score : x.weight)),
      ...(j ? { judgement: { judgement: j.judgement, decisionId: j.decisionId } } : {}),
    });
  }
  out.sort((x, y) => y.score - x.score || x.a.id.localeCompare(y.a.id) || x.b.id.localeCompare(y.b.id));
  return opts.limit === undefined ? out : out.slice(0, opts.limit);
}
