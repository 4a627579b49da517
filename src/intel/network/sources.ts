// The network's sources in the other intelligence areas: same-as decisions (resolve, 073) and the
// evidence items naming entities (evidence, 071), each read for a whole set of entities at once.
import type { Queryable } from '../../db/index.js';
import { sameAs } from '../resolve/decisions.js';
import type { EvidenceRef, NetworkSources } from './types.js';

export async function evidenceNaming(q: Queryable, ids: readonly string[]): Promise<EvidenceRef[]> {
  if (ids.length === 0) return [];
  const rows = await q.query<{ entity_id: string; id: string; title: string; url: string | null; date: string }>(
    `select distinct ee.entity_id, e.id, e.title, e.source_url as url, e.event_date::text as date
       from intel_evidence_entities ee join intel_evidence e on e.id = ee.evidence_id
      where ee.entity_id = any($1::text[]) order by ee.entity_id, e.id`,
    [ids],
  );
  return rows.map((r) => ({ entityId: r.entity_id, evidenceId: r.id, title: r.title, url: r.url, date: r.date }));
}

export function networkSources(q: Queryable): NetworkSources {
  return {
    sameAs: (ids) => sameAs(q, ids),
    evidence: (ids) => evidenceNaming(q, ids),
  };
}
