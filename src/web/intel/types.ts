// The shapes the Intelligence page reads from /api/intel (a subset of each answer: what the page shows).
export interface IntelAlert {
  id: string;
  kind: string;
  serial: string;
  entity: string | null;
  entityId: string | null;
  reason: string;
  evidence: { id: string; kind: string; title: string; date: string; source: { title: string; url: string | null } }[];
  registry: { filed: boolean; filingId: number | null; owner: string | null; country: string | null };
  raisedAt: string;
  acknowledgements: { at: string; by: string; note: string }[];
}
export interface Entity {
  id: string;
  schema: string;
  caption: string;
  origin: string;
}
export type LinkReason =
  | { kind: 'ftm'; schema: string; properties: Record<string, string[]>; origin: string; originRef: string | null }
  | { kind: 'evidence'; evidenceId: string; title: string; url: string | null; date: string | null }
  | { kind: 'same-as'; decisionId: number }
  | { kind: 'shared-identifier'; property: string; value: string };
export interface NetworkLink {
  id: string;
  schema: string;
  source: string;
  target: string;
  reasons: LinkReason[];
}
export interface Network {
  truncated: boolean;
  nodes: (Entity & { hop: number })[];
  links: NetworkLink[];
}
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
