// Screening one party: normalise the query (all its renderings), pull candidates from the index,
// align names, add country/address evidence, keep the best name per entry, and band the top score.
import { ValidationError } from '../../errors.js';
import type { ListEntry } from '../entity.js';
import { countryCode } from '../countries.js';
import { align, pairWords, type Alignment } from './align.js';
import { DEFAULT_EVIDENCE, weighEvidence, type EvidenceConfig } from './evidence.js';
import { tokenWeight, type ScreeningIndex } from './index-build.js';
import { addressTokens, normalizeVariants } from './normalize.js';
import { hasHan } from './translit.js';
import { wordTables } from './word-tables.js';
import { phoneticKey } from './phonetic.js';
import { tokenSim, type TokenSim } from './token-sim.js';
import { MIN_CONTAINED_WEIGHT, newScratch, retrieve, type Scratch } from './retrieve.js';

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
  /** Every name of the entry that was scored (the listed name and its aliases), best first. */
  aliases: AliasScore[];
}

export interface AliasScore {
  name: string;
  alias: boolean;
  /** The name's own score, before country and address evidence. */
  score: number;
  /** The query words paired with this name's words. */
  words: { query: string; listed: string; how: string; similarity: number }[];
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
    // Every name of an entry that was scored, best first: the explanation lists each alias with its score.
    const byEntry = new Map<number, Scored[]>();
    const han = hasHan(name);
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
        const al = align(side, n, pairSim);
        const inside = containment(al, n, {
          kind: this.index.entries[n.entry].type,
          han,
        });
        const score = inside ? Math.max(al.score, inside.score) : al.score;
        const list = byEntry.get(n.entry) ?? [];
        const same = list.findIndex((x) => x.nameId === nameId);
        if (same >= 0 && list[same].score >= score) continue;
        // Containment is named in the explanation only where it set the score.
        const how = inside && inside.score > al.score ? inside.how : undefined;
        const scoredName = { nameId, score, al, query: v.tokens, inside: how };
        if (same >= 0) list[same] = scoredName;
        else list.push(scoredName);
        byEntry.set(n.entry, list);
      }
    }
    const floor = this.config.bands.review - this.config.evidence.addressBonus - this.config.evidence.countryMatchBonus;
    const scored: { entry: number; score: number; names: Scored[]; notes: string[] }[] = [];
    for (const [entry, names] of byEntry) {
      names.sort((a, b) => b.score - a.score);
      if (names[0].score < floor) continue;
      const ev = weighEvidence(this.index.entries[entry], country, addr, this.config.evidence);
      scored.push({ entry, names, score: clamp01(names[0].score + ev.delta), notes: ev.notes });
    }
    // Ties go to an entry matched on its own listed name, then to the shorter one: "Huawei Technologies Co., Ltd."
    // before "Huawei Technologies (Australia) Pty Ltd.", which meets the query only without its parenthesis.
    const aliasRank = (x: (typeof scored)[number]) => (this.index.names[x.names[0].nameId].alias ? 1 : 0);
    const length = (x: (typeof scored)[number]) => this.index.entries[x.entry].name.length;
    scored.sort((a, b) => b.score - a.score || aliasRank(a) - aliasRank(b) || length(a) - length(b));
    const matches = scored
      .filter((s) => s.score >= this.config.bands.review)
      .slice(0, this.config.maxMatches)
      .map((s) => this.toMatch(s.entry, s.score, s.names, s.notes));
    const top = matches.length ? matches[0].score : 0;
    const q: ScreenQuery = { name };
    if (country) q.country = country;
    if (query.address) q.address = query.address;
    return { query: q, decision: decide(top, this.config.bands), matches };
  }

  private toMatch(entry: number, score: number, names: readonly Scored[], notes: string[]): Match {
    const e = this.index.entries[entry];
    const best = names[0];
    const n = this.index.names[best.nameId];
    return {
      entryId: e.id,
      list: e.list,
      name: e.name,
      matchedName: n.text,
      score: round3(score),
      explanation: explain(n.alias, n.text, n.removed, best.al, best.query, n.tokens, notes, best.inside),
      aliases: names.map((x) => {
        const a = this.index.names[x.nameId];
        return {
          name: a.text,
          alias: a.alias,
          score: round3(x.score),
          words: x.al.pairs.map((p) => {
            const w = pairWords(x.query, a.tokens, p);
            return { query: w.query, listed: w.listed, how: p.how, similarity: round3(p.sim) };
          }),
        };
      }),
    };
  }
}

interface Scored {
  nameId: number;
  score: number;
  al: Alignment;
  query: readonly string[];
  inside?: Containment['how'];
}

export interface Containment {
  score: number;
  /** Which side lies wholly inside the other. */
  how: 'listed-in-query' | 'query-in-listed';
}

/** How nearly a side must be covered to count as wholly inside the other (a typo or two still is). */
const CONTAINED_COVER = 0.9;
/** A query inside a listed name must be a fair part of it: "Bayingolin" is not the Bayingolin police bureau. */
const MIN_LISTED_SHARE = 0.3;
/** Identity weight of a contained phrase of two or more words ("China Trading" has too little). */
const MIN_CONTAINED_PHRASE = 8;
/**
 * ...and of a phrase of ordinary words ("Night Wolves", "United Aircraft"), all spelt as listed and not all of them
 * company words.
 */
const MIN_ORDINARY_PHRASE = 12;
/**
 * Scores of a contained name: from the default review band up to a little above it, never to the match band,
 * which needs the whole name. Fixed, not tied to a configured band, so a threshold sweep sees real scores.
 */
const CONTAINED_FLOOR = 0.89;
const CONTAINED_SPAN = 0.018;

/**
 * A listed name wholly inside the query ("Huawei Technologies Trading" holds "Huawei Technologies"), or the
 * query wholly inside a listed name, scores at least the default review band when the contained words identify
 * a party: extra words lower the score within a small span above the band, never below it.
 */
export function containment(
  al: Alignment,
  listed: { tokens: readonly string[]; weights: ArrayLike<number> },
  opts: { kind: ListEntry['type']; han: boolean },
): Containment | undefined {
  // Vessels and aircraft are named with ordinary words ("Hilda I"): only their whole names count.
  if (opts.kind === 'vessel' || opts.kind === 'aircraft') return undefined;
  let inner: number;
  let outer: number;
  let how: Containment['how'];
  if (al.listedCover >= CONTAINED_COVER) {
    [inner, outer, how] = [al.listedCover, al.queryCover, 'listed-in-query'];
  } else if (al.queryCover >= CONTAINED_COVER && al.listedCover >= MIN_LISTED_SHARE) {
    [inner, outer, how] = [al.queryCover, al.listedCover, 'query-in-listed'];
  } else return undefined;
  // The identity of the contained part is read from the listed words it paired with.
  if (al.pairs.length === 1 ? !singleWordContains(al.pairs[0], listed, opts) : !phraseContains(al.pairs, listed))
    return undefined;
  // A person's name is made of common given names and surnames: every word must be spelt as listed.
  if (opts.kind === 'individual' && al.pairs.some((p) => p.how !== 'exact')) return undefined;
  if (!contiguous(al.pairs, how === 'listed-in-query' ? 'q' : 'c')) return undefined;
  return { score: CONTAINED_FLOOR + CONTAINED_SPAN * outer * inner, how };
}

/**
 * A contained phrase identifies a party when one of its words does (spelt as listed, rare on the lists, neither a
 * company word nor a common English word: "Huawei", "Rosoboronexport"), or when it is a long exact phrase
 * ("Islamic Revolutionary Guard Corps"). "Precision Industries" or "International Business" inside a longer
 * name identify nobody.
 */
function phraseContains(pairs: Alignment['pairs'], listed: { tokens: readonly string[]; weights: ArrayLike<number> }) {
  const tables = wordTables();
  let weight = 0;
  let allExact = true;
  let ownWord = false;
  let identifying = false;
  for (const p of pairs) {
    const exactish = p.how === 'exact' || p.how === 'abbreviation' || p.how === 'synonym';
    if (!exactish) allExact = false;
    for (let j = p.ci; j < p.ci + p.cn; j++) {
      const w = listed.tokens[j];
      weight += listed.weights[j];
      if (!tables.generic.has(w)) ownWord = true;
      if (exactish && listed.weights[j] >= MIN_CONTAINED_WEIGHT && !tables.generic.has(w) && !tables.common.has(w))
        identifying = true;
    }
  }
  if (weight < MIN_CONTAINED_PHRASE) return false;
  return identifying || (allExact && ownWord && weight >= MIN_ORDINARY_PHRASE);
}

/**
 * The contained words stand together in the longer name: "Sky Tech" is not inside "Sky Rise Technology", where
 * another word parts them. A phrase of three words or more may have one stray word inside ("Beijing Beijing
 * Cloudmind Technology").
 */
function contiguous(pairs: Alignment['pairs'], outer: 'q' | 'c'): boolean {
  let lo = Infinity;
  let hi = -1;
  let n = 0;
  for (const p of pairs) {
    const [at, len] = outer === 'q' ? [p.qi, p.qn] : [p.ci, p.cn];
    if (at < lo) lo = at;
    if (at + len - 1 > hi) hi = at + len - 1;
    n += len;
  }
  const gaps = hi - lo + 1 - n;
  return gaps === 0 || (gaps === 1 && n >= 3);
}

/**
 * One word inside a longer name identifies a company ("Rosoboronexport", "Huawei") only when it is spelt the
 * same, is rare on the lists, is neither a company word ("Holding") nor a common English word ("Gas", "City"),
 * and is not a pinyin syllable or a short fragment; a person's one-word alias (a nickname) never does.
 */
function singleWordContains(
  p: Alignment['pairs'][number],
  listed: { tokens: readonly string[]; weights: ArrayLike<number> },
  opts: { kind: ListEntry['type']; han: boolean },
): boolean {
  if (opts.kind === 'individual' || p.how !== 'exact' || p.cn !== 1) return false;
  const word = listed.tokens[p.ci];
  const tables = wordTables();
  if (listed.weights[p.ci] < MIN_CONTAINED_WEIGHT || tables.generic.has(word) || tables.common.has(word)) return false;
  return word.length >= 5 || (word.length === 4 && !opts.han);
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
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
  inside?: Containment['how'],
): string {
  const parts: string[] = [];
  parts.push(`${alias ? 'alias' : 'listed name'} "${text}"`);
  if (inside === 'listed-in-query') parts.push('the whole listed name is in the query, with other words beside it');
  if (inside === 'query-in-listed') parts.push('the whole query is in the listed name, which has other words');
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
