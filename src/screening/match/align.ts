// Token alignment between a query name and a listed name: every query token (or two adjacent ones
// joined, for "Hua Wei" vs "Huawei") is paired with at most one listed token, best pairs first, and
// the score is how much of each side's identity weight the pairs cover.
import { couldBeNear, tokenSim, TOKEN_FLOOR, type TokenRelation, type TokenSim } from './token-sim.js';
import { osaSimilarity } from './similarity.js';

export interface AlignSide {
  tokens: readonly string[];
  weights: ArrayLike<number>;
  keys: readonly string[];
  /** tokens.join(''), when the caller has it already. */
  compact?: string;
}

/** A paired span: query tokens [qi, qi+qn) with listed tokens [ci, ci+cn). */
export interface TokenPair {
  qi: number;
  qn: number;
  ci: number;
  cn: number;
  sim: number;
  how: TokenRelation | 'joined';
}

export interface Alignment {
  score: number;
  /** Share of the query's weight the listed name explains, and vice versa. */
  queryCover: number;
  listedCover: number;
  pairs: TokenPair[];
  /** True when the names matched as whole strings with spaces removed. */
  compact: boolean;
}

/** The query side counts more: a listed party's extra words (a division, a city) are common. */
const QUERY_SHARE = 0.6;
const MIN_COMPACT_LEN = 6;
const COMPACT_FLOOR = 0.75;
const CONFLICT_PENALTY = 0.5;

export type PairSim = (i: number, j: number) => TokenSim;

/** `pairSim` lets a caller memoise query-token x listed-token similarities across candidates. */
export function align(q: AlignSide, c: AlignSide, pairSim?: PairSim): Alignment {
  const cands: TokenPair[] = [];
  const nq = q.tokens.length;
  const nc = c.tokens.length;
  for (let i = 0; i < nq; i++) {
    for (let j = 0; j < nc; j++) {
      const s = pairSim ? pairSim(i, j) : tokenSim(q.tokens[i], c.tokens[j], q.keys[i], c.keys[j]);
      if (s.sim >= TOKEN_FLOOR) cands.push({ qi: i, qn: 1, ci: j, cn: 1, sim: s.sim, how: s.how });
    }
  }
  // Joined neighbours on either side; only exact or near-exact joins count.
  for (let i = 0; i + 1 < nq; i++) {
    const joined = q.tokens[i] + q.tokens[i + 1];
    for (let j = 0; j < nc; j++) {
      if (!couldBeNear(joined, c.tokens[j])) continue;
      const s = tokenSim(joined, c.tokens[j], '', '');
      if (s.sim >= 0.9) cands.push({ qi: i, qn: 2, ci: j, cn: 1, sim: s.sim, how: 'joined' });
    }
  }
  for (let j = 0; j + 1 < nc; j++) {
    const joined = c.tokens[j] + c.tokens[j + 1];
    for (let i = 0; i < nq; i++) {
      if (!couldBeNear(q.tokens[i], joined)) continue;
      const s = tokenSim(q.tokens[i], joined, '', '');
      if (s.sim >= 0.9) cands.push({ qi: i, qn: 1, ci: j, cn: 2, sim: s.sim, how: 'joined' });
    }
  }
  cands.sort((a, b) => b.sim - a.sim || b.qn + b.cn - a.qn - a.cn);
  const usedQ = new Uint8Array(nq);
  const usedC = new Uint8Array(nc);
  let gotQ = 0;
  let baseQ = 0;
  let gotC = 0;
  const pairs: TokenPair[] = [];
  for (const k of cands) {
    if (usedQ[k.qi] || usedC[k.ci] || (k.qn === 2 && usedQ[k.qi + 1]) || (k.cn === 2 && usedC[k.ci + 1])) continue;
    let wc = 0;
    for (let j = k.ci; j < k.ci + k.cn; j++) {
      usedC[j] = 1;
      wc += c.weights[j];
    }
    let wq = 0;
    for (let i = k.qi; i < k.qi + k.qn; i++) {
      usedQ[i] = 1;
      wq += q.weights[i];
    }
    // A misspelt query token is "unknown" and so looks rare: credit it with the listed token's weight.
    const credited = k.how === 'exact' ? wq : wc;
    gotQ += k.sim * credited;
    baseQ += credited;
    gotC += k.sim * wc;
    pairs.push(k); // the candidate record doubles as the pair: no copy in the hot loop
  }
  let unmatchedQ = 0;
  for (let i = 0; i < nq; i++) if (!usedQ[i]) unmatchedQ += q.weights[i];
  let totalC = 0;
  for (let j = 0; j < nc; j++) totalC += c.weights[j];
  const queryCover = gotQ === 0 ? 0 : gotQ / (baseQ + unmatchedQ);
  const listedCover = totalC === 0 ? 0 : gotC / totalC;
  // Both sides keeping a word of their own ("SMIC Northern Shield Circuit" vs "... Integrated Circuit")
  // is evidence of two different parties, beyond the coverage lost: penalise the smaller share.
  let unmatchedC = 0;
  for (let j = 0; j < nc; j++) if (!usedC[j]) unmatchedC += c.weights[j];
  const conflict = Math.min(unmatchedQ / (baseQ + unmatchedQ || 1), unmatchedC / (totalC || 1));
  let score = QUERY_SHARE * queryCover + (1 - QUERY_SHARE) * listedCover - CONFLICT_PENALTY * conflict;
  let compact = false;
  const qc = q.compact ?? q.tokens.join('');
  const cc = c.compact ?? c.tokens.join('');
  // Word boundaries differ ("Sky Tech" / "Skytech", pinyin syllables): compare the names whole, but only
  // where that could beat the token score.
  // Only a different word count signals different boundaries; numbers must agree ("Plant 2" is not "Plant 3").
  if (
    score < 0.97 &&
    nq !== nc &&
    qc.length >= MIN_COMPACT_LEN &&
    cc.length >= MIN_COMPACT_LEN &&
    qc[0] === cc[0] &&
    digits(qc) === digits(cc)
  ) {
    // Below COMPACT_FLOOR a whole-string likeness means nothing: the distance computation stops early.
    const s = osaSimilarity(qc, cc, Math.max(score, COMPACT_FLOOR)) - (qc === cc ? 0 : 0.03);
    if (s > score) {
      score = s;
      compact = true;
    }
  }
  return { score: Math.max(0, score), queryCover, listedCover, pairs, compact };
}

function digits(s: string): string {
  return s.replace(/\D+/g, ' ').trim();
}

/** The pairs as words, for explanations: "query~listed". */
export function pairWords(q: readonly string[], c: readonly string[], p: TokenPair): { query: string; listed: string } {
  return { query: q.slice(p.qi, p.qi + p.qn).join(' '), listed: c.slice(p.ci, p.ci + p.cn).join(' ') };
}
