// Collects the links a traversal meets into one map keyed by link id: stored FtM links keep their schema
// and properties as a reason; shared identifiers and same-as decisions become derived links between the
// pair, each with its reasons, and so do two entities one evidence item names. Evidence naming both ends of
// a stored link is attached last.
import type { CoNamed, SharedKey, StoredLink } from './store.js';
import type { EvidenceRef, NetworkLink, SameAsPair } from './types.js';

const pairId = (kind: string, a: string, b: string) => (a < b ? `${kind}:${a}|${b}` : `${kind}:${b}|${a}`);

export class LinkSet {
  readonly links = new Map<string, NetworkLink>();

  addStored(l: StoredLink): void {
    if (this.links.has(l.id)) return;
    this.links.set(l.id, {
      id: l.id,
      schema: l.schema,
      source: l.sourceId,
      target: l.targetId,
      reasons: [{ kind: 'ftm', schema: l.schema, properties: l.properties, origin: l.origin, originRef: l.originRef }],
    });
  }

  addShared(k: SharedKey): void {
    const id = pairId('shared', k.a, k.b);
    const [source, target] = k.a < k.b ? [k.a, k.b] : [k.b, k.a];
    const link = this.links.get(id) ?? { id, schema: 'SharedIdentifier', source, target, reasons: [] };
    if (!link.reasons.some((r) => r.kind === 'shared-identifier' && r.property === k.prop && r.value === k.value))
      link.reasons.push({ kind: 'shared-identifier', property: k.prop, value: k.value });
    this.links.set(id, link);
  }

  addCoNamed(c: CoNamed): void {
    const id = pairId('evidence', c.a, c.b);
    const [source, target] = c.a < c.b ? [c.a, c.b] : [c.b, c.a];
    const link = this.links.get(id) ?? { id, schema: 'NamedTogether', source, target, reasons: [] };
    if (!link.reasons.some((r) => r.kind === 'evidence' && r.evidenceId === c.evidenceId))
      link.reasons.push({ kind: 'evidence', evidenceId: c.evidenceId, title: c.title, url: c.url, date: c.date });
    this.links.set(id, link);
  }

  addSameAs(p: SameAsPair): void {
    const id = `same-as:${p.decisionId}`;
    if (this.links.has(id)) return;
    this.links.set(id, {
      id,
      schema: 'SameAs',
      source: p.a,
      target: p.b,
      reasons: [{ kind: 'same-as', decisionId: p.decisionId }],
    });
  }

  /** Adds each evidence item naming both ends of a link to that link's reasons. */
  attachEvidence(items: readonly EvidenceRef[]): void {
    const byEntity = new Map<string, Map<string, EvidenceRef>>();
    for (const e of items) {
      const m = byEntity.get(e.entityId) ?? new Map<string, EvidenceRef>();
      m.set(e.evidenceId, e);
      byEntity.set(e.entityId, m);
    }
    for (const link of this.links.values()) {
      const a = byEntity.get(link.source);
      const b = byEntity.get(link.target);
      if (!a || !b) continue;
      for (const [id, e] of a)
        if (b.has(id) && !link.reasons.some((r) => r.kind === 'evidence' && r.evidenceId === id))
          link.reasons.push({ kind: 'evidence', evidenceId: id, title: e.title, url: e.url, date: e.date });
    }
  }

  /** The links whose two ends are both in `nodes`, in id order. */
  within(nodes: ReadonlySet<string> | ReadonlyMap<string, unknown>): NetworkLink[] {
    return [...this.links.values()]
      .filter((l) => nodes.has(l.source) && nodes.has(l.target))
      .sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  }
}
