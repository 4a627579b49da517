// What an evidence item is: the categories, kinds, units and date precisions the store accepts, and the
// item as the rest of the domain (networks, dossiers, the estimator's aggregates) reads it.

export const CATEGORIES = ['case', 'listing', 'sighting'] as const;
export type Category = (typeof CATEGORIES)[number];

/** The study's kinds of case (data/evidence/README.md), then the kinds of the other two categories. */
export const CASE_KINDS = [
  'indictment',
  'conviction',
  'seizure',
  'news-investigation',
  'company-statement',
  'government-statement',
  'marketplace-listings',
  'academic-estimate',
] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export type EvidenceKind = CaseKind | 'listing' | 'sighting';

export const UNITS = ['gpu', 'server', 'card', 'unknown'] as const;
export type QuantityUnit = (typeof UNITS)[number];

export const PRECISIONS = ['day', 'month', 'quarter', 'year'] as const;
export type DatePrecision = (typeof PRECISIONS)[number];

export const CONFIDENCES = ['reported', 'alleged', 'estimated'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export const ENTITY_ROLES = ['party', 'seller', 'buyer', 'marketplace'] as const;
export type EntityRole = (typeof ENTITY_ROLES)[number];

export interface EvidenceSource {
  title: string;
  publisher: string | null;
  /** As precise as the source could be dated: YYYY, YYYY-MM or YYYY-MM-DD. */
  date: string | null;
  url: string | null;
}

export interface EvidenceItem {
  id: string;
  category: Category;
  kind: EvidenceKind;
  title: string;
  /** The first day of the period (YYYY-MM-DD). */
  date: string;
  datePrecision: DatePrecision;
  jurisdiction: string[];
  route: { from: string[]; via: string[]; to: string[] };
  country: string | null;
  place: string | null;
  chipModel: string | null;
  quantity: number | null;
  quantityUnit: QuantityUnit;
  /** The quantity in GPUs (server = 8 GPUs, card = 1); null when unknown. */
  gpus: number | null;
  /** The quantity in H100-equivalents by dense BF16 throughput (h100e.ts); null when the model is unknown. */
  h100e: number | null;
  valueUsd: number | null;
  parties: string[];
  outcome: string | null;
  confidence: Confidence | null;
  source: EvidenceSource;
  reportSection: string | null;
  serials: string[];
  /** Other columns the file carried (price, seller, marketplace, ...). */
  attributes: Record<string, string>;
}

/** A party an item names, with its role there (the seller of a listing, a party to a case). */
export interface EvidenceParty {
  name: string;
  role: EntityRole;
}

/** An item as stored: the item, the entities it names and when it was stored. */
export interface StoredEvidence extends EvidenceItem {
  /** The entities it names: id, role here and the entity's caption. */
  entities: { entityId: string; role: EntityRole; name: string }[];
  createdAt: string;
}
