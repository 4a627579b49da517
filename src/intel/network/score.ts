// How a candidate shell or front-company cluster is scored: a weighted sum of reasons, each listed with
// its weight, count and points so that an analyst sees why a cluster ranks where it does. Pure: the
// facts come from clusters.ts. The weights are a judgement, written down in docs/intel.md.
import { transshipmentCountry } from './transshipment.js';

export const WEIGHTS = {
  /** Per shared identifier value (a phone, an e-mail, a registration number, an address, a website). */
  sharedIdentifier: { registration: 4, phone: 3, email: 3, address: 2, website: 2 },
  /** Per person or company directing two members or more. */
  sharedDirector: 3,
  /** Per member incorporated within RECENT_YEARS before the scoring date. */
  recentIncorporation: 2,
  /** Per member registered in a transshipment country (transshipment.ts). */
  transshipmentCountry: 1,
  /** Per member with SMALL_ORDERS.minOrders orders or more in the registry averaging SMALL_ORDERS.maxChips. */
  smallOrders: 2,
  /** Per member that is a screening-list entry, or judged the same party as one (a resolution decision). */
  screeningHit: 4,
  /** Per member named by an evidence item. */
  evidence: 3,
} as const;

export const RECENT_YEARS = 2;
export const SMALL_ORDERS = { minOrders: 3, maxChips: 8 } as const;

export interface MemberFacts {
  id: string;
  caption: string;
  schema: string;
  origin: string;
  countries: string[];
  incorporationDate: string | null;
  /** Registry orders (distinct dates chips were received) and chips, for members that are registry parties. */
  orders: { count: number; chips: number } | null;
  evidence: { id: string; title: string }[];
  /** Screening-list entries an analyst judged the same party as this member (a resolution decision "same"). */
  listedAs?: { entityId: string; caption: string; decisionId: number }[];
}

export interface SharedFact {
  kind: 'identifier' | 'director';
  /** The identifier property, or 'director'. */
  property: string;
  /** The value, or the director's caption. */
  value: string;
  members: string[];
}

export interface ClusterReason {
  kind: keyof typeof WEIGHTS;
  weight: number;
  count: number;
  points: number;
  details: string[];
}

export interface ScoredCluster {
  score: number;
  members: MemberFacts[];
  reasons: ClusterReason[];
}

function reason(kind: keyof typeof WEIGHTS, weight: number, details: string[]): ClusterReason {
  return { kind, weight, count: details.length, points: weight * details.length, details };
}

/** Scores one cluster at `now`; reasons with no instance are left out. */
export function scoreCluster(members: MemberFacts[], shared: SharedFact[], now: Date): ScoredCluster {
  const reasons: ClusterReason[] = [];
  const caption = new Map(members.map((m) => [m.id, m.caption]));
  const ids = (ms: string[]) => ms.map((m) => caption.get(m) ?? m).join(', ');
  const byProp = new Map<string, string[]>();
  for (const s of shared.filter((x) => x.kind === 'identifier'))
    byProp.set(s.property, [...(byProp.get(s.property) ?? []), `${s.value} (${ids(s.members)})`]);
  for (const [prop, details] of [...byProp].sort()) {
    const w = WEIGHTS.sharedIdentifier[prop as keyof typeof WEIGHTS.sharedIdentifier] ?? 1;
    reasons.push({ ...reason('sharedIdentifier', w, details), details: details.map((d) => `${prop}: ${d}`) });
  }
  const directors = shared.filter((x) => x.kind === 'director').map((s) => `${s.value} directs ${ids(s.members)}`);
  const cutoff = new Date(now);
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RECENT_YEARS);
  const since = cutoff.toISOString().slice(0, 10);
  const recent = members
    .filter((m) => m.incorporationDate && m.incorporationDate >= since && m.incorporationDate <= now.toISOString())
    .map((m) => `${m.caption} incorporated ${m.incorporationDate}`);
  const transship = members.flatMap((m) => {
    const c = m.countries.map(transshipmentCountry).find((x) => x);
    return c ? [`${m.caption}: ${c.name} (${c.code})`] : [];
  });
  const small = members
    .filter(
      (m) =>
        m.orders &&
        m.orders.count >= SMALL_ORDERS.minOrders &&
        m.orders.chips / m.orders.count <= SMALL_ORDERS.maxChips,
    )
    .map((m) => `${m.caption}: ${m.orders!.count} orders, ${m.orders!.chips} chips`);
  const listed = members.flatMap((m) =>
    m.origin === 'screening'
      ? [`${m.caption} is a screening-list entry`]
      : (m.listedAs ?? []).map(
          (l) => `${m.caption} is the screening-list entry ${l.caption} (resolution decision ${l.decisionId})`,
        ),
  );
  const evidence = members
    .filter((m) => m.evidence.length > 0)
    .map((m) => `${m.caption}: ${m.evidence.map((e) => `${e.id} ${e.title}`).join('; ')}`);
  for (const [kind, details] of [
    ['sharedDirector', directors],
    ['recentIncorporation', recent],
    ['transshipmentCountry', transship],
    ['smallOrders', small],
    ['screeningHit', listed],
    ['evidence', evidence],
  ] as const)
    if (details.length) reasons.push(reason(kind, WEIGHTS[kind], details));
  const score = reasons.reduce((s, r) => s + r.points, 0);
  return { score, members, reasons };
}
