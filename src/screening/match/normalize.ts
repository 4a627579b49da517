// Name normalisation: script folding, case, punctuation, legal forms and filler words, so that
// "HUAWEI TECHNOLOGIES CO., LTD.", "Huawei Technologies Co Ltd" and "华为技术有限公司" meet.
import {
  FILLER_WORDS,
  LEGAL_FORMS_ANYWHERE,
  LEGAL_FORMS_AT_EDGES,
  LEGAL_FORMS_NATIVE,
  LEGAL_FORMS_PREFIX,
} from './legal-forms.js';
import { hasCyrillic, hasHan, toAscii, translateBusinessWords, translateRussianWords } from './translit.js';
import { wordTables } from './word-tables.js';
import { osaDistance } from './similarity.js';

export interface NormalizedName {
  /** Identity tokens, in order. */
  tokens: string[];
  /** Legal forms and filler words that were dropped, for the explanation. */
  removed: string[];
}

type Trie = Map<string, Trie | true>;
const END = '\u0000';

function buildTrie(phrases: readonly string[]): Trie {
  const root: Trie = new Map();
  for (const p of phrases) {
    let node = root;
    for (const t of p.split(' ')) {
      let next = node.get(t);
      if (!next || next === true) {
        next = new Map();
        node.set(t, next);
      }
      node = next;
    }
    node.set(END, true);
  }
  return root;
}

const ANYWHERE = buildTrie(LEGAL_FORMS_ANYWHERE);
const EDGES = buildTrie([...LEGAL_FORMS_AT_EDGES, ...LEGAL_FORMS_ANYWHERE]);
const PREFIXES = buildTrie([...LEGAL_FORMS_PREFIX, ...LEGAL_FORMS_ANYWHERE]);

/** Length of the longest phrase of `trie` starting at tokens[i], 0 if none. */
function matchAt(trie: Trie, tokens: readonly string[], i: number): number {
  let node: Trie = trie;
  let best = 0;
  for (let j = i; j < tokens.length; j++) {
    const next = node.get(tokens[j]);
    if (!next || next === true) break;
    node = next;
    if (node.has(END)) best = j - i + 1;
  }
  return best;
}

/** Lower-case ASCII words: apostrophes and dots join ("O'Neil", "S.A."), other punctuation splits. */
export function words(ascii: string): string[] {
  return ascii
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['`\u2018\u2019.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

function stripNative(s: string, removed: string[]): string {
  let out = s;
  for (const f of [...wordTables().chineseForms, ...LEGAL_FORMS_NATIVE]) {
    if (out.includes(f)) {
      out = out.split(f).join(' ');
      removed.push(f);
    }
  }
  return out;
}

/** Words of the legal forms long enough that a one-letter slip cannot make them another word. */
const FORM_WORDS = [...new Set(LEGAL_FORMS_ANYWHERE.flatMap((p) => p.split(' ')))].filter((w) => w.length >= 5);
const FORM_WORD_SET = new Set(FORM_WORDS);
/** Every word of an unambiguous legal form, and the forms that are one word long. */
const FORM_VOCAB = new Set(LEGAL_FORMS_ANYWHERE.flatMap((p) => p.split(' ')));
const SINGLE_FORMS = new Set(LEGAL_FORMS_ANYWHERE.filter((p) => !p.includes(' ')));
/** One-letter-short spellings of the commonest forms that are not words themselves (LC for LLC, LD for LTD). */
const DROPPED_LETTER_FORMS = new Set(['lc', 'ld', 'td', 'nc', 'jc', 'oo', 'crp', 'pvt']);
const formMemo = new Map<string, string>();

/** "LIMITD", "COMPANI", "LIABILTY" are still legal forms: map a near-miss to the form word. */
function canonicalFormWord(t: string): string {
  if (t.length < 4 || FORM_WORD_SET.has(t)) return t;
  let c = formMemo.get(t);
  if (c !== undefined) return c;
  c = t;
  for (const w of FORM_WORDS) {
    if (Math.abs(w.length - t.length) > 2 || w[0] !== t[0]) continue;
    const d = osaDistance(t, w, 2);
    // Five-letter words one edit from a form word are often names ("Stork", "Stok" vs "stock").
    if ((d <= 1 && t.length >= 6) || (d === 2 && t.length >= 9)) {
      c = w;
      break;
    }
  }
  if (formMemo.size > 50_000) formMemo.clear();
  formMemo.set(t, c);
  return c;
}

function stripForms(rawAll: string[], removed: string[], edges = true): string[] {
  const canonAll = rawAll.map(canonicalFormWord);
  // A run of legal-form words at either end that no listed phrase covers ("Closed Joint Stock
  // Corporation", "Limited Liability") is still a legal form when one of its words is a form by itself.
  let from = 0;
  let to = rawAll.length;
  let end = to;
  while (end > 1 && FORM_VOCAB.has(canonAll[end - 1])) end--;
  if (end < to && canonAll.slice(end, to).some((w) => SINGLE_FORMS.has(w))) {
    removed.push(canonAll.slice(end, to).join(' '));
    to = end;
  }
  let start = from;
  while (start < to - 1 && FORM_VOCAB.has(canonAll[start])) start++;
  if (start > from && canonAll.slice(from, start).some((w) => SINGLE_FORMS.has(w))) {
    removed.push(canonAll.slice(from, start).join(' '));
    from = start;
  }
  const raw = rawAll.slice(from, to);
  const tokens = canonAll.slice(from, to);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; ) {
    const n = matchAt(ANYWHERE, tokens, i);
    if (n > 0) {
      removed.push(tokens.slice(i, i + n).join(' '));
      i += n;
      continue;
    }
    out.push(raw[i]);
    i++;
  }
  // A form with a letter dropped ("LC" for LLC, "LD" for LTD) at the end of a name is still the form.
  if (edges && out.length > 1 && DROPPED_LETTER_FORMS.has(out[out.length - 1])) removed.push(out.pop()!);
  if (edges && out.length > 1 && DROPPED_LETTER_FORMS.has(out[0])) removed.push(out.shift()!);
  // Ambiguous short forms (co, sa, ag, pt, ...) only at the edges, repeatedly ("pt x tbk", "x co kg").
  let lo = 0;
  let hi = out.length;
  for (let moved = edges; moved && hi - lo > 1; ) {
    moved = false;
    const n = matchAt(PREFIXES, out, lo);
    if (n > 0 && n < hi - lo) {
      removed.push(out.slice(lo, lo + n).join(' '));
      lo += n;
      moved = true;
      continue;
    }
    for (let k = Math.min(3, hi - lo - 1); k >= 1; k--) {
      if (matchAt(EDGES, out, hi - k) === k) {
        removed.push(out.slice(hi - k, hi).join(' '));
        hi -= k;
        moved = true;
        break;
      }
    }
  }
  return out.slice(lo, hi);
}

/**
 * `fromHan`: pinyin syllables collide with short fillers and forms ("na", "de", "se", "a"), so for names
 * written in Chinese only the unambiguous forms are removed.
 */
function finish(ascii: string, removed: string[], fromHan = false): NormalizedName {
  const all = words(ascii);
  let tokens = stripForms(all, removed, !fromHan);
  const kept = fromHan ? tokens : tokens.filter((t) => !FILLER_WORDS.has(t));
  if (kept.length > 0 && kept.length < tokens.length) {
    for (const t of tokens) if (FILLER_WORDS.has(t)) removed.push(t);
    tokens = kept;
  }
  // A name that is nothing but a legal form ("Company Limited") keeps its words.
  if (tokens.length === 0) return { tokens: all, removed: [] };
  return { tokens, removed };
}

export function normalizeName(raw: string): NormalizedName {
  return normalizeVariants(raw)[0];
}

/**
 * One normalised form per plausible rendering of the name: the plain one, and for Chinese or Cyrillic script
 * also the one with company words translated. A query scores the best of its variants.
 */
export function normalizeVariants(raw: string): NormalizedName[] {
  const nfkc = raw.normalize('NFKC');
  const removed: string[] = [];
  const stripped = hasHan(nfkc) ? stripNative(nfkc, removed) : nfkc;
  const han = hasHan(stripped);
  const plain = finish(toAscii(stripped), [...removed], han);
  const out = [plain];
  const add = (v: NormalizedName) => {
    const key = v.tokens.join(' ');
    if (!out.some((o) => o.tokens.join(' ') === key)) out.push(v);
  };
  if (han) {
    const translated = translateBusinessWords(stripped);
    add(finish(toAscii(translated), [...removed], true));
    add(finish(toAscii(translated, true), [...removed], true));
  } else if (hasCyrillic(stripped)) add(finish(toAscii(translateRussianWords(stripped.toLowerCase())), []));
  return out;
}

/** Address tokens for supporting evidence: folded words without fillers. */
export function addressTokens(raw: string): string[] {
  return words(toAscii(raw.normalize('NFKC'))).filter((t) => !FILLER_WORDS.has(t) && t.length > 1);
}
