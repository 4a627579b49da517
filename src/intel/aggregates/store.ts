// Reads the evidence store (migration 071) grouped for the aggregates: one query, no writes (but the
// evidence seed's first load, as every intel command does).
import type { Queryable } from '../../db/index.js';
import { withIntelDb } from '../evidence/open.js';
import type { IntelSettings } from '../settings.js';
import { aggregateEvidence, type EvidenceAggregates, type EvidenceGroup } from './aggregates.js';

/** The evidence aggregates (aggregates.ts) of the items stored now. */
export async function evidenceAggregates(q: Queryable): Promise<EvidenceAggregates> {
  const rows = await q.query<EvidenceGroup>(
    `select category, kind, extract(year from event_date)::int as year,
            case when date_precision = 'year' then null else extract(quarter from event_date)::int end as quarter,
            count(*)::int as items, coalesce(sum(gpus), 0)::float8 as gpus, coalesce(sum(h100e), 0)::float8 as h100e
       from intel_evidence
      group by 1, 2, 3, 4
      order by 1, 2, 3, 4`,
  );
  return aggregateEvidence(rows);
}

/** The aggregates of the database in `dataDir` (or DATABASE_URL), the study's evidence seed loaded first if new. */
export function loadEvidenceAggregates(settings: IntelSettings, dataDir: string): Promise<EvidenceAggregates> {
  return withIntelDb(settings, dataDir, (db) => evidenceAggregates(db));
}
