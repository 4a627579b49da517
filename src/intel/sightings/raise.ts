// Raising alerts for stored evidence: each serial an item saw is judged against the registry's picture on the
// day it was seen. Runs in the importing transaction, and again on demand (`intel alerts scan`) when later
// filings may have changed the picture; raising is idempotent either way.
import type { Queryable } from '../../db/index.js';
import { DEFAULT_RESTRICTED } from '../../geo/index.js';
import { registryPartyId } from '../entities/sources.js';
import { registryPicture } from './registry.js';
import { judgeSighting, type Sighting } from './rules.js';
import { raiseAlerts, type NewAlert } from './store.js';

export const RESTRICTED: ReadonlySet<string> = new Set(DEFAULT_RESTRICTED);

/** An evidence item as far as its serials go: what it is, where and when it saw them, who sold them. */
export interface SeenItem {
  id: string;
  kind: string;
  serials: readonly string[];
  /** Where it was seen: a listing's or sighting's country, else the one destination a case names. */
  country: string | null;
  place: string | null;
  /** The first day of its period, YYYY-MM-DD. */
  date: string;
  seller: { entityId: string; name: string } | null;
}

/** Judges every serial of the items; stores and returns the ids of alerts raised now. */
export async function raiseForEvidence(q: Queryable, items: readonly SeenItem[], now: Date): Promise<string[]> {
  const drafts: NewAlert[] = [];
  for (const e of items) {
    const seller = e.seller;
    for (const serial of e.serials) {
      const s: Sighting = {
        serial,
        evidenceId: e.id,
        evidenceKind: e.kind,
        country: e.country,
        place: e.place,
        date: e.date,
      };
      const registry = await registryPicture(q, serial, e.date);
      const draft = judgeSighting(s, registry, RESTRICTED);
      if (!draft) continue;
      drafts.push({
        ...draft,
        registry,
        entity: registry.owner ?? seller?.name ?? null,
        entityId:
          registry.ownerPartyId !== null ? registryPartyId(String(registry.ownerPartyId)) : (seller?.entityId ?? null),
      });
    }
  }
  return raiseAlerts(q, drafts, now);
}
