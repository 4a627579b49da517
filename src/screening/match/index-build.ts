// The candidate index: every listed name and alias, normalised once, behind inverted maps from
// token, one-deletion variant (typos), phonetic key and joined neighbours ("Sky Tech"/"SkyTech") to
// names. A query touches only the postings of its own tokens: no full scan.
import type { ListEntry } from '../entity.js';
import { normalizeName } from './normalize.js';
import { phoneticKey } from './phonetic.js';

export interface IndexedName {
  /** Index into `entries`. */
  entry: number;
  /** The name as listed. */
  text: string;
  alias: boolean;
  tokens: string[];
  removed: string[];
  /** Tokens joined without spaces. */
  compact: string;
  /** Vocabulary ids and weights of `tokens`. */
  ids: Int32Array;
  weights: Float64Array;
  keys: string[];
  /** Sum of the token weights: the denominator of how much of this name a query covers. */
  weight: number;
}

export interface ScreeningIndex {
  entries: ListEntry[];
  names: IndexedName[];
  vocab: Map<string, number>;
  tokens: string[];
  /** Per vocabulary token: names containing it (ascending ids, no repeats). */
  postings: Int32Array[];
  weights: Float64Array;
  phoneticKeys: string[];
  /** One-deletion variant -> vocabulary tokens (tokens of 4+ letters). */
  deletions: Map<string, number[]>;
  /** Phonetic key -> vocabulary tokens. */
  phonetic: Map<string, number[]>;
  /** Two adjacent tokens joined -> names. */
  joins: Map<string, number[]>;
  /** Weight of a token the lists never use. */
  unknownWeight: number;
  /** names[i].weight as a flat array: retrieval reads it for every touched name. */
  nameWeights: Float64Array;
}

/** Prepared names (the costly normalisation), cacheable next to the list set. */
export interface PreparedName {
  entry: number;
  text: string;
  alias: boolean;
  tokens: string[];
  removed: string[];
}

/**
 * Lists write acronyms, locations and aliases in parentheses ("Huawei Technologies Co., Ltd. (Huawei)",
 * "X (a.k.a. Y)"): the name without them is indexed too, and an acronym or a.k.a. inside as its own name.
 */
export function nameForms(text: string): string[] {
  const out = [text];
  if (!text.includes('(')) return out;
  const bare = text
    .replace(/\s*\([^()]*\)\s*/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (bare && bare !== text) out.push(bare);
  for (const m of text.matchAll(/\(([^()]*)\)/g)) {
    const inner = m[1].trim();
    const aka = /^(?:a\.?k\.?a\.?|f\.?k\.?a\.?|formerly|also known as)[\s,:]+(.+)$/i.exec(inner);
    if (aka) out.push(aka[1].trim());
    else if (/^[A-Z0-9&-]{3,}$/.test(inner) && acronymOf(inner, bare)) out.push(inner); // such as ATCOP or CSSC
  }
  return out;
}

/**
 * An upper-case word in parentheses is the name's acronym when it starts as the name does ("China State
 * Shipbuilding Corporation (CSSC)"); otherwise it is a place or a note ("NIOC International Affairs (LONDON)").
 */
function acronymOf(inner: string, bare: string): boolean {
  const first = bare.replace(/^[^A-Za-z0-9]+/, '')[0];
  return first !== undefined && first.toUpperCase() === inner[0];
}

export function prepareNames(entries: readonly ListEntry[]): PreparedName[] {
  const out: PreparedName[] = [];
  entries.forEach((e, i) => {
    const seen = new Set<string>();
    const forms = [[e.name, false] as const, ...e.aliases.map((a) => [a, true] as const)].flatMap(([t, alias]) =>
      nameForms(t).map((f, k) => [f, alias || k > 0, t] as const),
    );
    for (const [text, alias] of forms) {
      const n = normalizeName(text);
      const key = n.tokens.join(' ');
      if (!key || seen.has(key)) continue; // an alias that normalises to a name already indexed adds nothing
      seen.add(key);
      out.push({ entry: i, text, alias, tokens: n.tokens, removed: n.removed });
    }
  });
  return out;
}

export function deletionVariants(t: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < t.length; i++) {
    const v = t.slice(0, i) + t.slice(i + 1);
    if (i === 0 || v !== out[out.length - 1]) out.push(v);
  }
  return out;
}

function push<K>(m: Map<K, number[]>, k: K, v: number): void {
  const a = m.get(k);
  if (!a) m.set(k, [v]);
  else if (a[a.length - 1] !== v) a.push(v);
}

export function buildIndex(
  entries: ListEntry[],
  prepared: readonly PreparedName[] = prepareNames(entries),
): ScreeningIndex {
  const vocab = new Map<string, number>();
  const tokens: string[] = [];
  const lists: number[][] = [];
  const joins = new Map<string, number[]>();
  prepared.forEach((p, nameId) => {
    for (const t of p.tokens) {
      let id = vocab.get(t);
      if (id === undefined) {
        id = tokens.length;
        vocab.set(t, id);
        tokens.push(t);
        lists.push([]);
      }
      const l = lists[id];
      if (l[l.length - 1] !== nameId) l.push(nameId);
    }
    for (let i = 0; i + 1 < p.tokens.length; i++) push(joins, p.tokens[i] + p.tokens[i + 1], nameId);
  });
  const n = prepared.length;
  const weights = new Float64Array(tokens.length);
  // Inverse document frequency: a rare word says more about identity than "trading" or "technology".
  // A single letter is an initial or a stray character: it can say little whatever its rarity.
  lists.forEach((l, id) => {
    weights[id] = tokens[id].length === 1 ? 1 : Math.log(1 + n / l.length);
  });
  const deletions = new Map<string, number[]>();
  const phonetic = new Map<string, number[]>();
  const phoneticKeys: string[] = new Array(tokens.length);
  tokens.forEach((t, id) => {
    if (t.length >= 4 && !/\d/.test(t)) for (const d of deletionVariants(t)) push(deletions, d, id);
    const k = phoneticKey(t);
    phoneticKeys[id] = k;
    if (k) push(phonetic, k, id);
  });
  const names: IndexedName[] = prepared.map((p) => {
    const ids = Int32Array.from(p.tokens, (t) => vocab.get(t)!);
    const w = Float64Array.from(ids, (id) => weights[id]);
    // A literal with a fixed shape (not a spread): these objects are read in the hot loop.
    return {
      entry: p.entry,
      text: p.text,
      alias: p.alias,
      tokens: p.tokens,
      removed: p.removed,
      compact: p.tokens.join(''),
      ids,
      weights: w,
      keys: Array.from(ids, (id) => phoneticKeys[id]),
      weight: w.reduce((a, b) => a + b, 0),
    };
  });
  return {
    entries,
    names,
    vocab,
    tokens,
    weights,
    phoneticKeys,
    deletions,
    phonetic,
    joins,
    postings: lists.map((l) => Int32Array.from(l)),
    unknownWeight: Math.log(1 + n / 2),
    nameWeights: Float64Array.from(names, (x) => x.weight),
  };
}

const SHORT_UNKNOWN_SHARE = 0.5;

export function tokenWeight(index: ScreeningIndex, t: string): number {
  const id = index.vocab.get(t);
  if (id !== undefined) return index.weights[id];
  // A word the lists never use is distinctive, unless it is short: then it is more likely an
  // abbreviation, a stray form ("LC", "UO") or a slip than a name.
  return t.length === 1 ? 1 : t.length <= 3 ? index.unknownWeight * SHORT_UNKNOWN_SHARE : index.unknownWeight;
}
