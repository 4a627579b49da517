// Screening one party: normalise the query (all its renderings), pull candidates from the index,
// align names, add country/address evidence, keep the best name per entry, and band the top score.
import { ValidationError } from '../../errors.js';
import { countryCode } from '../countries.js';
import { align, pairWords, type Alignment } from './align.js';
import { DEFAULT_EVIDENCE, weighEvidence, type EvidenceConfig } from './evidence.js';
import { tokenWeight, type ScreeningIndex } from './index-build.js';
import { addressTokens, normalizeVariants } from './normalize.js';
import { phoneticKey } from './phonetic.js';
import { tokenSim, type TokenSim } from './token-sim.js';
import { newScratch, retrieve, type Scratch } from './retrieve.js';

export type Decision = 'clear' | 'review' | 'match';

export interface ScreenConfig {
  /** Scores at or above `review` need a person; at or above `match` the party is treated as listed. */
  bands: { review: number; match: number };
  /** Matches reported per query (those at or above the review band). */
  maxMatches: number;
  /** Names scored in full per query rendering. */
  candidates: number;
  evidence: EvidenceConfig;
}

export const DEFAULT_CONFIG: ScreenConfig = {
  // review: on the benchmark's validation half, the best F1 among thresholds keeping recall >= 0.978
  // (a margin over the 0.97 target; `npm run bench:screen` prints the choice). match: near-certain.
  bands: { review: 0.89, match: 0.93 },
  maxMatches: 10,
  candidates: 30,
  evidence: DEFAULT_EVIDENCE,
};

export interface ScreenQuery {
  name: string;
  country?: string;
  address?: string;
}

export interface Match {
  entryId: string;
  list: string;
  name: string;
  matchedName: string;
  score: number;
  explanation: string;
}

export interface ScreenResult {
  query: ScreenQuery;
  decision: Decision;
  matches: Match[];
}

export const MAX_NAME_LENGTH = 500;

export function validateConfig(cfg: ScreenConfig): ScreenConfig {
  const { review, match } = cfg.bands;
  if (!(review > 0 && review <= match && match <= 1))
    throw new ValidationError('bands must satisfy 0 < review <= match <= 1', { field: 'bands' });
  return cfg;
}

export function decide(score: number, bands: ScreenConfig['bands']): Decision {
  return score >= bands.match ? 'match' : score >= bands.review ? 'review' : 'clear';
}

/** A screener bound to one index, with its reusable scratch memory (not shared across threads). */
export class Screener {
  private readonly scratch: Scratch;

  constructor(
    readonly index: ScreeningIndex,
    readonly config: ScreenConfig = DEFAULT_CONFIG,
  ) {
    validateConfig(config);
    this.scratch = newScratch(index);
  }

  screen(query: ScreenQuery): ScreenResult {
    const name = query.name.trim();
    if (!name) throw new ValidationError('name must not be empty', { field: 'name' });
    if (name.length > MAX_NAME_LENGTH)
      throw new ValidationError(`name is longer than ${MAX_NAME_LENGTH} characters`, { field: 'name' });
    let country: string | undefined;
    if (query.country !== undefined && query.country.trim() !== '') {
      country = countryCode(query.country);
      if (!country)
        throw new ValidationError(`unknown country "${query.country.slice(0, 40)}" (use an ISO 3166 alpha-2 code)`, {
          field: 'country',
        });
    }
    const addr = query.address
      ? addressTokens(query.address).filter((t) => !/^[a-z]{2}$/.test(t) || t !== country?.toLowerCase())
      : undefined;
    const bestByEntry = new Map<
      number,
      { score: number; nameId: number; al: Alignment; query: readonly string[]; notes: string[] }
    >();
    for (const v of normalizeVariants(name)) {
      const weights = v.tokens.map((t) => tokenWeight(this.index, t));
      const keys = v.tokens.map(phoneticKey);
      const side = { tokens: v.tokens, weights, keys, compact: v.tokens.join('') };
      // Candidates share words ("huawei" in 40 names): each query word x listed word pair is scored once.
      const memo = new Map<number, TokenSim>();
      const vocabSize = this.index.tokens.length;
      let n = this.index.names[0];
      const pairSim = (i: number, j: number): TokenSim => {
        const key = i * vocabSize + n.ids[j];
        let s = memo.get(key);
        if (!s) {
          s = tokenSim(v.tokens[i], n.tokens[j], keys[i], n.keys[j]);
          memo.set(key, s);
        }
        return s;
      };
      for (const nameId of retrieve(this.index, this.scratch, v.tokens, weights, this.config.candidates)) {
        n = this.index.names[nameId];
        const prev = bestByEntry.get(n.entry);
        const al = align(side, n, pairSim);
        if (prev && prev.al.score >= al.score) continue;
        bestByEntry.set(n.entry, { score: al.score, nameId, al, query: v.tokens, notes: [] });
      }
    }
    const scored: {
      entry: number;
      score: number;
      nameId: number;
      al: Alignment;
      query: readonly string[];
      notes: string[];
    }[] = [];
    for (const [entry, b] of bestByEntry) {
      if (
        b.al.score <
        this.config.bands.review - this.config.evidence.addressBonus - this.config.evidence.countryMatchBonus
      )
        continue;
      const ev = weighEvidence(this.index.entries[entry], country, addr, this.config.evidence);
      scored.push({ entry, ...b, score: clamp01(b.al.score + ev.delta), notes: ev.notes });
    }
    scored.sort((a, b) => b.score - a.score);
    const matches = scored
      .filter((s) => s.score >= this.config.bands.review)
      .slice(0, this.config.maxMatches)
      .map((s) => this.toMatch(s.entry, s.nameId, s.score, s.al, s.query, s.notes));
    const top = matches.length ? matches[0].score : 0;
    const q: ScreenQuery = { name };
    if (country) q.country = country;
    if (query.address) q.address = query.address;
    return { query: q, decision: decide(top, this.config.bands), matches };
  }

  private toMatch(
    entry: number,
    nameId: number,
    score: number,
    al: Alignment,
    query: readonly string[],
    notes: string[],
  ): Match {
    const e = this.index.entries[entry];
    const n = this.index.names[nameId];
    return {
      entryId: e.id,
      list: e.list,
      name: e.name,
      matchedName: n.text,
      score: Math.round(score * 1000) / 1000,
      explanation: explain(n.alias, n.text, n.removed, al, query, n.tokens, notes),
    };
  }
}

function clamp01(x: number): number {
  return x < 0 ? 0 : Math.min(x, 1);
}

export function explain(
  alias: boolean,
  text: string,
  removed: readonly string[],
  al: Alignment,
  query: readonly string[],
  listed: readonly string[],
  notes: readonly string[],
): string {
  const parts: string[] = [];
  parts.push(`${alias ? 'alias' : 'listed name'} "${text}"`);
  if (al.compact) parts.push('matches with spaces ignored');
  const pairs = al.pairs.map((p) => {
    const w = pairWords(query, listed, p);
    return p.how === 'exact' ? w.query : `${w.query}~${w.listed} (${p.how} ${p.sim.toFixed(2)})`;
  });
  if (pairs.length) parts.push(`words: ${pairs.join(', ')}`);
  parts.push(
    `covers ${Math.round(al.queryCover * 100)}% of the query and ${Math.round(al.listedCover * 100)}% of the listed ` +
      `name`,
  );
  if (removed.length) parts.push(`ignored legal form/filler: ${[...new Set(removed)].join(', ')}`);
  return [...parts, ...notes].join('; ');
}
