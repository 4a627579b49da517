// Candidate retrieval over the inverted index: each query token reaches listed tokens that are equal,
// one edit away (shared one-deletion variants), alike in sound, or joined neighbours; their postings
// vote for names by token weight. Only the best-voted names are scored in full.
import { deletionVariants, type ScreeningIndex } from './index-build.js';
import { phoneticKey } from './phonetic.js';
import { wordTables } from './word-tables.js';

/** A token in more names than this is too common to pull candidates on its own. */
const COMMON_DF = 400;
const MIN_VOTE = 0.25;
/**
 * A name whose own words the query covers nearly all of (or the reverse) is a candidate however many other
 * words surround it: "Huawei Technologies Trading" must reach "Huawei Technologies". Only exactly spelt words
 * count here (sound-alike votes can add up past a name's own weight).
 */
const CONTAINED_VOTE = 0.75;
/** Contained names scored beyond the best-voted ones. */
const CONTAINED_EXTRA = 10;
/** Identity weight (sum of inverse document frequencies) a contained side needs: "Trading" alone is none. */
export const MIN_CONTAINED_WEIGHT = 5;
/** Postings a query may walk (beyond its exact words' postings up to COMMON_DF each). */
const POSTINGS_BUDGET = 3000;

export interface Scratch {
  acc: Float64Array;
  /** Weight of the query words a name holds exactly: containment is judged on these alone. */
  exact: Float64Array;
  best: Float64Array;
  stamp: Int32Array;
  touched: Int32Array;
  round: number;
}

export function newScratch(index: ScreeningIndex): Scratch {
  const n = index.names.length;
  return {
    acc: new Float64Array(n),
    exact: new Float64Array(n),
    best: new Float64Array(n),
    stamp: new Int32Array(n).fill(-1),
    touched: new Int32Array(n),
    round: 0,
  };
}

/** Vote strength of a listed token one edit away, or alike in sound: rough, the alignment decides. */
const NEAR_VOTE = 0.9;
const SOUND_VOTE = 0.85;

/** Listed tokens a query token may stand for, with a rough similarity (no string metric: speed). */
export function similarTokens(index: ScreeningIndex, q: string): Map<number, number> {
  const out = new Map<number, number>();
  const exact = index.vocab.get(q);
  if (exact !== undefined) out.set(exact, 1);
  const near = (id: number | undefined) => {
    if (id !== undefined && !out.has(id)) out.set(id, NEAR_VOTE);
  };
  if (q.length >= 4 && !/\d/.test(q)) {
    const own = index.deletions.get(q); // listed token with one extra letter
    if (own) for (const id of own) near(id);
    for (const d of deletionVariants(q)) {
      near(index.vocab.get(d)); // listed token with one letter fewer
      const ids = index.deletions.get(d); // one substitution or transposition away
      if (ids) for (const id of ids) near(id);
    }
  }
  // An abbreviation reaches its full word and the full word its abbreviations ("intl"/"international").
  const tables = wordTables();
  const full = tables.abbreviations.get(q);
  for (const w of full ? [full] : (tables.abbreviationsOf.get(q) ?? [])) near(index.vocab.get(w));
  for (const w of tables.synonyms.get(q) ?? []) near(index.vocab.get(w));
  const key = phoneticKey(q);
  if (key) {
    const ids = index.phonetic.get(key);
    if (ids && ids.length <= 200) for (const id of ids) if (!out.has(id)) out.set(id, SOUND_VOTE);
  }
  return out;
}

/**
 * Names worth scoring for one normalised query, best first, at most `limit`. The vote of a name is the
 * weight of the query tokens it shares, relative to the larger of the two names' weights.
 */
export function retrieve(
  index: ScreeningIndex,
  scratch: Scratch,
  tokens: readonly string[],
  weights: readonly number[],
  limit: number,
): number[] {
  const { acc, exact, best, stamp, touched } = scratch;
  let nTouched = 0;
  const vote = (nameId: number, v: number, round: number) => {
    if (stamp[nameId] === -1) {
      touched[nTouched++] = nameId;
      acc[nameId] = 0;
      exact[nameId] = 0;
      stamp[nameId] = -2;
    }
    if (stamp[nameId] !== round) {
      stamp[nameId] = round;
      best[nameId] = v;
      acc[nameId] += v;
    } else if (v > best[nameId]) {
      acc[nameId] += v - best[nameId];
      best[nameId] = v;
    }
  };
  const perToken = tokens.map((t) => similarTokens(index, t));
  // Rarest postings first, within a budget: rare words identify, common ones only confirm. A query made
  // only of common words still gets their exact postings.
  const wq: number[] = [];
  const wid: number[] = [];
  const ws: number[] = [];
  perToken.forEach((m, qi) => {
    for (const [id, s] of m) {
      wq.push(qi);
      wid.push(id);
      ws.push(s);
    }
  });
  const order = sortedBy(wid.map((id) => index.postings[id].length));
  let budget = POSTINGS_BUDGET;
  const rounds = tokens.map(() => scratch.round++);
  let qWeight = 0;
  for (const w of weights) qWeight += w;
  for (const w of order) {
    const qi = wq[w];
    const id = wid[w];
    const s = ws[w];
    const post = index.postings[id];
    if (post.length > budget && !(s === 1 && post.length <= COMMON_DF)) continue;
    budget -= post.length;
    const v = s * index.weights[id];
    for (let k = 0; k < post.length; k++) vote(post[k], v, rounds[qi]);
    if (s === 1) for (let k = 0; k < post.length; k++) exact[post[k]] += v;
  }
  for (let i = 0; i < tokens.length; i++) {
    const joinedNames = index.joins.get(tokens[i]);
    if (joinedNames) for (const n of joinedNames) vote(n, weights[i], rounds[i]);
    if (i + 1 < tokens.length) {
      const joined = index.vocab.get(tokens[i] + tokens[i + 1]);
      if (joined !== undefined && index.postings[joined].length <= COMMON_DF) {
        for (const n of index.postings[joined]) vote(n, index.weights[joined], rounds[i]);
      }
    }
  }
  if (scratch.round > 2e9) scratch.round = 0;
  const cand: number[] = [];
  const inside: number[] = [];
  const queryContained = qWeight >= MIN_CONTAINED_WEIGHT;
  for (let k = 0; k < nTouched; k++) {
    const n = touched[k];
    const nw = index.nameWeights[n];
    acc[n] = acc[n] / Math.max(qWeight, nw);
    // A name sharing under a quarter of the weight cannot reach the review band: not worth sorting.
    if (acc[n] >= MIN_VOTE) cand.push(n);
    const x = exact[n];
    if ((nw >= MIN_CONTAINED_WEIGHT && x >= CONTAINED_VOTE * nw) || (queryContained && x >= CONTAINED_VOTE * qWeight))
      inside.push(n);
    stamp[n] = -1;
  }
  const out = topBy(cand, acc, limit);
  // Names wholly inside the query (or around it) are scored too, however many names share more weight.
  if (inside.length) {
    const taken = new Set(out);
    for (const n of topBy(inside, acc, limit + CONTAINED_EXTRA)) {
      if (taken.size >= limit + CONTAINED_EXTRA) break;
      if (!taken.has(n)) {
        taken.add(n);
        out.push(n);
      }
    }
  }
  return out;
}

function topBy(names: readonly number[], key: Float64Array, limit: number): number[] {
  const ranked = sortedBy(names.map((n) => -key[n]));
  const out: number[] = new Array(Math.min(limit, ranked.length));
  for (let k = 0; k < out.length; k++) out[k] = names[ranked[k]];
  return out;
}

/**
 * Positions of `keys` in ascending key order (ties by position). Sorting numbers packed with their
 * position in a Float64Array uses the engine's native numeric sort: no comparator calls.
 */
export function sortedBy(keys: readonly number[]): Int32Array {
  const n = keys.length;
  if (n === 0) return new Int32Array(0);
  let lo = Infinity;
  let hi = -Infinity;
  for (const k of keys) {
    if (k < lo) lo = k;
    if (k > hi) hi = k;
  }
  const span = hi - lo || 1;
  const packed = new Float64Array(n);
  // 2^20 positions and 2^30 key levels stay exact in a double (2^50 < 2^53).
  for (let i = 0; i < n; i++) packed[i] = Math.round(((keys[i] - lo) / span) * 0x3fffffff) * 0x100000 + i;
  packed.sort();
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = packed[i] % 0x100000;
  return out;
}
