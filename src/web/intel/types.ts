// The shapes the Intelligence page reads from /api/intel: the domain's own types where it has them (type-only
// imports: nothing of the server is bundled), a subset of the answer where the page shows less.
export type { Alert as IntelAlert } from '../../intel/sightings/store';
export interface Entity {
  id: string;
  schema: string;
  caption: string;
  origin: string;
}
// The network answer is the intelligence domain's own type (type-only: nothing of the server is bundled).
export type { LinkReason, Network, NetworkLink } from '../../intel/network/types';
export interface TimelineEvent {
  date: string | null;
  kind: string;
  summary: string;
  source: { kind: string; url?: string | null; title?: string; evidenceId?: string; filingId?: number };
}
export interface Timeline {
  events: TimelineEvent[];
  truncated: string | null;
}
