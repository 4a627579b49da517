// `intel dossier ENTITY --out FILE`: one entity's summary, identifiers, network and timeline as FILE.md and
// FILE.json. Every fact carries a numbered citation to its source (a filing and its log leaf, a list entry,
// an evidence item with its publication, a verdict, an alert, a stored entity or link, a decision).
import type { Queryable } from '../../db/index.js';
import type { Entity } from '../entities/store.js';
import { reasonLine } from '../network/export.js';
import { neighbourhood } from '../network/network.js';
import type { LinkReason, Network, NetworkLink, NetworkSources } from '../network/types.js';
import { sourceKey, sourceLine, type EventSource, type TimelineEvent } from './events.js';
import { entityTimeline, type Timeline } from './timeline.js';

/** The network section: the entity's direct neighbours (one hop), at most this many. */
export const DOSSIER_NEIGHBOURS = 200;
const IDENTIFIER_PROPS = ['address', 'phone', 'email', 'website', 'registrationNumber', 'taxNumber', 'leiCode'];

export interface Cited<T> {
  fact: T;
  /** Numbers into `sources` (1-based). */
  cites: number[];
}

export interface Dossier {
  entity: { id: string; schema: string; caption: string; origin: string; originRef: string | null };
  generatedAt: string;
  summary: Cited<string>[];
  identifiers: Cited<{ property: string; value: string }>[];
  network: {
    truncated: boolean;
    links: Cited<{ linkId: string; schema: string; other: string; otherCaption: string; reasons: string[] }>[];
  };
  timeline: Cited<TimelineEvent>[];
  timelineTruncated: string | null;
  sources: { n: number; key: string; text: string; source: EventSource }[];
}

class Citations {
  readonly list: Dossier['sources'] = [];
  private readonly byKey = new Map<string, number>();
  cite(s: EventSource): number {
    const key = sourceKey(s);
    let n = this.byKey.get(key);
    if (n === undefined) {
      n = this.list.length + 1;
      this.byKey.set(key, n);
      this.list.push({ n, key, text: sourceLine(s), source: s });
    }
    return n;
  }
}

function reasonSource(l: NetworkLink, r: LinkReason): EventSource | null {
  switch (r.kind) {
    case 'ftm':
      return { kind: 'link', linkId: l.id, origin: r.origin, originRef: r.originRef };
    case 'evidence':
      return { kind: 'evidence', evidenceId: r.evidenceId, title: r.title, publisher: null, url: r.url };
    case 'same-as':
      return { kind: 'decision', decisionId: r.decisionId };
    case 'shared-identifier':
      return null; // cited through both entities' own records
  }
}

export function buildDossier(e: Entity, net: Network, timeline: Timeline, now: Date): Dossier {
  const c = new Citations();
  const self: EventSource = { kind: 'entity', entityId: e.id, origin: e.origin, originRef: e.originRef };
  const selfN = c.cite(self);
  const captions = new Map(net.nodes.map((n) => [n.id, n]));
  const identifiers = IDENTIFIER_PROPS.flatMap((p) =>
    (e.properties[p] ?? []).map((value) => ({ fact: { property: p, value }, cites: [selfN] })),
  );
  // The timeline's sources first: they are the fullest (an evidence item's publication and publisher).
  const events = timeline.events.map((ev) => ({ fact: ev, cites: [c.cite(ev.source)] }));
  const links = net.links
    .filter((l) => l.source === e.id || l.target === e.id)
    .map((l) => {
      const other = l.source === e.id ? l.target : l.source;
      const o = captions.get(other);
      const cites = new Set<number>();
      for (const r of l.reasons) {
        const s = reasonSource(l, r);
        if (s) cites.add(c.cite(s));
        else {
          cites.add(selfN);
          if (o) cites.add(c.cite({ kind: 'entity', entityId: o.id, origin: o.origin, originRef: o.originRef }));
        }
      }
      return {
        fact: {
          linkId: l.id,
          schema: l.schema,
          other,
          otherCaption: o?.caption ?? other,
          reasons: l.reasons.map(reasonLine),
        },
        cites: [...cites].sort((a, b) => a - b),
      };
    });
  const kinds = new Map<string, number>();
  for (const ev of timeline.events) kinds.set(ev.kind, (kinds.get(ev.kind) ?? 0) + 1);
  const dated = timeline.events.filter((ev) => ev.date).map((ev) => ev.date!);
  const summary: Cited<string>[] = [
    {
      fact: `${e.caption} is a ${e.schema} recorded from ${e.origin}${e.originRef ? ` (${e.originRef})` : ''}.`,
      cites: [selfN],
    },
  ];
  if (links.length)
    summary.push({
      fact:
        `${links.length} direct link${links.length === 1 ? '' : 's'} in the network ` +
        `(${[...new Set(links.map((l) => l.fact.schema))].join(', ')}).`,
      cites: [...new Set(links.flatMap((l) => l.cites))].sort((a, b) => a - b),
    });
  if (events.length)
    summary.push({
      fact:
        `${events.length} event${events.length === 1 ? '' : 's'} ` +
        `from ${dated[0] ?? 'undated'} to ${dated[dated.length - 1] ?? 'undated'}: ` +
        [...kinds].map(([k, n]) => `${n} ${k}`).join(', ') +
        '.',
      cites: [...new Set(events.flatMap((x) => x.cites))].sort((a, b) => a - b),
    });
  return {
    entity: { id: e.id, schema: e.schema, caption: e.caption, origin: e.origin, originRef: e.originRef },
    generatedAt: now.toISOString(),
    summary,
    identifiers,
    network: { truncated: net.truncated, links },
    timeline: events,
    timelineTruncated: timeline.truncated,
    sources: c.list,
  };
}

export async function entityDossier(q: Queryable, sources: NetworkSources, e: Entity, now: Date): Promise<Dossier> {
  const net = await neighbourhood(q, sources, [e.id], { hops: 1, limit: DOSSIER_NEIGHBOURS });
  return buildDossier(e, net, await entityTimeline(q, e), now);
}

// Markdown text: a user's strings cannot open a link, an image or HTML, or break a table.
const md = (s: string) => s.replace(/([\\`*_[\]|<>])/g, '\\$1').replace(/\r?\n/g, ' ');
const refs = (ns: number[]) => ns.map((n) => `[${n}]`).join('');

export function dossierMarkdown(d: Dossier): string {
  const out = [
    `# Dossier: ${md(d.entity.caption)}`,
    '',
    `Entity \`${d.entity.id}\` (${d.entity.schema}), generated ${d.generatedAt} by chipwatch.`,
    '',
    '## Summary',
    '',
    ...d.summary.map((s) => `- ${md(s.fact)} ${refs(s.cites)}`),
    '',
    '## Identifiers',
    '',
    ...(d.identifiers.length
      ? d.identifiers.map((i) => `- ${i.fact.property}: ${md(i.fact.value)} ${refs(i.cites)}`)
      : ['None recorded.']),
    '',
    '## Network',
    '',
    ...(d.network.links.length
      ? d.network.links.map(
          (l) =>
            `- ${l.fact.schema} with ${md(l.fact.otherCaption)} (\`${l.fact.other}\`): ` +
            `${md(l.fact.reasons.join('; '))} ${refs(l.cites)}`,
        )
      : ['No links recorded.']),
    ...(d.network.truncated ? ['', `Only the first ${DOSSIER_NEIGHBOURS} neighbours are listed.`] : []),
    '',
    '## Timeline',
    '',
    ...(d.timeline.length
      ? d.timeline.map((t) => `- ${t.fact.date ?? 'undated'} — ${t.fact.kind}: ${md(t.fact.summary)} ${refs(t.cites)}`)
      : ['No events recorded.']),
    ...(d.timelineTruncated ? ['', `Note: ${d.timelineTruncated}.`] : []),
    '',
    '## Sources',
    '',
    ...d.sources.map((s) => `${s.n}. ${md(s.text)}`),
    '',
  ];
  return out.join('\n');
}
