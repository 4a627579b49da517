// What a network answer is made of: nodes, links, and for every link the reasons it exists, so that an
// analyst can check each edge against its source before acting on it.
import type { Origin, Properties } from '../entities/store.js';

export interface NetworkNode {
  id: string;
  schema: string;
  caption: string;
  origin: Origin;
  originRef: string | null;
  /** Hops from the nearest root (0: a root). */
  hop: number;
}

/** Why a link exists: each kind names its source. */
export type LinkReason =
  | {
      kind: 'ftm';
      schema: string;
      properties: Properties;
      origin: Origin;
      originRef: string | null;
    }
  | { kind: 'evidence'; evidenceId: string; title: string; url: string | null; date: string | null }
  | { kind: 'same-as'; decisionId: number }
  | { kind: 'shared-identifier'; property: string; value: string };

export interface NetworkLink {
  id: string;
  /** FtM schema for stored links; `SameAs`, `SharedIdentifier` and `NamedTogether` for links chipwatch derives. */
  schema: string;
  source: string;
  target: string;
  reasons: LinkReason[];
}

export interface Network {
  roots: string[];
  hops: number;
  limit: number;
  /** True when the node limit stopped the expansion: nodes beyond it are missing. */
  truncated: boolean;
  nodes: NetworkNode[];
  links: NetworkLink[];
}

/** A same-as decision between two entities (recorded by resolution; never a merge). */
export interface SameAsPair {
  a: string;
  b: string;
  decisionId: number;
}

/** An evidence item that names an entity, as the network shows it. */
export interface EvidenceRef {
  entityId: string;
  evidenceId: string;
  title: string;
  url: string | null;
  date: string | null;
}

/**
 * What the network reads from the other intelligence areas: same-as decisions (resolution) and the
 * evidence items naming an entity. Each defaults to none until its area is plugged in.
 */
export interface NetworkSources {
  sameAs(ids: readonly string[]): Promise<SameAsPair[]>;
  evidence(ids: readonly string[]): Promise<EvidenceRef[]>;
}
