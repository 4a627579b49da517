// The labelled set for the screening benchmark, generated from the lists with a fixed seed by the
// rules below, never from the matcher's output. Nothing under bench/ imports src/screening/match/* or reads
// the matcher's data tables (data/screening/*words*, *abbrev*); the generators carry their own tables
// (bench/screen-variants.ts, bench/screen-variants-classes.ts) and test/screening/bench-labelled.test.ts
// checks the imports.
//  positives (target = the entry), each class with its own quota (opts.perClass):
//    alias        one of the entry's own aliases
//    typo         one keyboard typo in a word of 5+ letters (1 in 4: two typos in different words)
//    respell      one romanisation variant (sh/sch, kh/h, y/i, Mohammed/Muhammad, ...)
//    script       Cyrillic for parties tied to RU/BY/UA/KZ; Han characters for pinyin words of CN/HK parties
//    legal-form   the listed legal form dropped or replaced by another one usual in the party's country,
//                 with the case or punctuation restyled
//    reorder      "SURNAME, Given" written "Given Surname"
//    extra-words  an organisation's name plus 1-2 words: a city of its country, a business word (Trading,
//                 Group, ...), a number, a department (Navy, Division, ...); also correct: any listed name
//                 (with a telling word) whose words the query contains
//    listed-extra the first words of a listed organisation name of 3+ words, legal form dropped, keeping a
//                 telling word ("Huawei Technologies Co., Ltd." -> "Huawei"); correct: any listed name
//                 containing all the query's words
//    abbreviation words abbreviated (Technology -> Tech, International -> Intl, ...) or, where the list
//                 abbreviates, spelt out
//    chinese      a CN/HK organisation's English name as its Chinese legal name: company words translated
//                 (科技, 有限公司, ...), places and pinyin in characters, in Chinese order
//    cyrillic     a RU/BY organisation as Russians write it: ООО/АО/... first, the kind (Концерн, Завод, НПО,
//                 ...) next, the proper name in Cyrillic
//  negatives (no listed party):
//    held-out   a real listed party removed from the index (all its listings), kept only when the index
//               still has a different party sharing a distinctive word with it (the "hard" part)
//    swap       a listed name with its most distinctive word replaced by a word of another entry
//  The containment rule (issue 15): a query that contains a whole listed name, or whose words are all in
//  a listed name, must be reviewed, so it is no negative when that listed name (resp. the query) has a
//  telling word (4+ letters, no digits, not a generic, place or legal-form word, in at most 150 listed names, not
//  one of the 30,000 most frequent English words of SUBTLEX-US).
//  Held-out and swap candidates that break it are dropped (compared as word sets of plainKey without legal-form
//  words, against every other listed party); LabelledSet.dropped counts them.
// A returned entry is correct for a positive when it is the target or lists the very same name
// (compared on lower-case ASCII words without the common legal-form words in LEGAL below).
import anyAscii from 'any-ascii';
import type { ListEntry } from '../src/screening/index.js';
import {
  pick,
  reorderPerson,
  respell,
  restyle,
  swapLegalForm,
  toCyrillic,
  toHan,
  typo,
  type Rng,
} from './screen-variants.js';
import {
  abbreviate,
  commonEnglish,
  extraWords,
  FORM_WORDS,
  GENERIC,
  isPlace,
  listedExtra,
  toChineseName,
  toRussianName,
} from './screen-variants-classes.js';

export interface Labelled {
  name: string;
  kind: string;
  /** Entry ids that count as a correct answer; empty for a negative. */
  targets: string[];
  split: 'validation' | 'test';
}

const LEGAL = new Set([
  'co',
  'ltd',
  'limited',
  'llc',
  'inc',
  'corp',
  'corporation',
  'company',
  'jsc',
  'ooo',
  'oao',
  'zao',
  'ao',
  'pjsc',
  'ojsc',
  'cjsc',
  'gmbh',
  'sdn',
  'bhd',
  'pte',
  'the',
  'of',
  'and',
  'sa',
  'ag',
  'fze',
  'llp',
  'plc',
]);

export function plainKey(s: string): string {
  return anyAscii(s)
    .toLowerCase()
    .replace(/['.]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((t) => t && !LEGAL.has(t))
    .sort()
    .join(' ');
}

/** SSI/CAP rows reuse OFAC's ent_num: they are the same party as sdn:<num>. */
export function identity(e: ListEntry): string {
  const m = /^csl:[A-Z-]+-(\d+)$/.exec(e.id);
  return m ? `sdn:${m[1]}` : e.id;
}

export interface LabelledSet {
  queries: Labelled[];
  /** Entry ids removed from the index for the held-out negatives. */
  heldOut: Set<string>;
  /** Negative candidates dropped by the containment rule. */
  dropped: { heldOut: number; swap: number };
}

export interface LabelOptions {
  /** Queries per positive class (fewer only where the lists have fewer eligible entries). */
  perClass: number;
  heldOut: number;
  swaps: number;
}
export const FULL_SET: LabelOptions = { perClass: 400, heldOut: 600, swaps: 600 };
export const QUICK_SET: LabelOptions = { perClass: 100, heldOut: 150, swaps: 150 };

export const POSITIVE_KINDS = [
  'alias',
  'typo',
  'respell',
  'script',
  'legal-form',
  'reorder',
  'extra-words',
  'listed-extra',
  'abbreviation',
  'chinese',
  'cyrillic',
] as const;
export type PositiveKind = (typeof POSITIVE_KINDS)[number];

const RU = new Set(['RU', 'BY', 'UA', 'KZ']);
const CN = new Set(['CN', 'HK']);

/** A name's words for the containment rule: plainKey's words without any legal-form word (Limited, Liability, ...). */
const tokens = (s: string) =>
  plainKey(s)
    .split(' ')
    .filter((w) => w && !FORM_WORDS.has(w));

/** Word sets of every listed name and alias, searchable by containment either way. */
export class Containment {
  private keys: { id: string; words: string[]; telling: boolean }[] = [];
  private byWord = new Map<string, number[]>();
  private byAnchor = new Map<string, number[]>();
  constructor(
    entries: readonly ListEntry[],
    private telling: (w: string) => boolean,
  ) {
    for (const e of entries)
      for (const n of new Set([e.name, ...e.aliases])) {
        const words = [...new Set(tokens(n))];
        if (!words.length) continue;
        const k = this.keys.length;
        this.keys.push({ id: e.id, words, telling: words.some(telling) });
        for (const w of words) this.byWord.set(w, [...(this.byWord.get(w) ?? []), k]);
      }
    for (let k = 0; k < this.keys.length; k++) {
      const anchor = this.rarest(this.keys[k].words);
      this.byAnchor.set(anchor, [...(this.byAnchor.get(anchor) ?? []), k]);
    }
  }
  private rarest(words: string[]): string {
    return words.reduce((a, b) => ((this.byWord.get(b)?.length ?? 0) < (this.byWord.get(a)?.length ?? 0) ? b : a));
  }
  /** Entries with a telling listed name all of whose words are in the query. */
  within(query: string): Set<string> {
    const q = new Set(tokens(query));
    const out = new Set<string>();
    for (const w of q)
      for (const k of this.byAnchor.get(w) ?? []) {
        const key = this.keys[k];
        if (key.telling && key.words.every((x) => q.has(x))) out.add(key.id);
      }
    return out;
  }
  /** Entries with a listed name that has every word of the query, when the query has a telling word. */
  around(query: string): Set<string> {
    const q = [...new Set(tokens(query))];
    const out = new Set<string>();
    if (!q.length || !q.some(this.telling)) return out;
    for (const k of this.byWord.get(this.rarest(q)) ?? []) {
      const key = this.keys[k];
      if (q.every((x) => key.words.includes(x))) out.add(key.id);
    }
    return out;
  }
}

/** In how many listed names (entry names, not aliases) each plainKey word occurs. */
export function wordCounts(entries: readonly ListEntry[]): Map<string, number> {
  const wordDf = new Map<string, number>();
  for (const e of entries)
    for (const w of new Set(plainKey(e.name).split(' '))) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
  return wordDf;
}

/**
 * A telling word: 4+ letters, no digits, not a generic, place or legal-form word, in at most 150 listed names, and no
 * common English word (commonEnglish: SUBTLEX-US's 30,000 most frequent).
 */
export const tellingWords = (wordDf: Map<string, number>) => (w: string) =>
  w.length >= 4 &&
  !/\d/.test(w) &&
  !GENERIC.has(w) &&
  !isPlace(w) &&
  !FORM_WORDS.has(w) &&
  (wordDf.get(w) ?? 0) <= 150 &&
  !commonEnglish(w);

/**
 * The containment rule for a name that should be no listed party: the ids of listed parties it must be
 * reviewed against — those with a telling listed name whose words it contains, and, when it has a telling
 * word, those with a listed name containing all its words.
 */
export function containmentHits(contain: Containment, name: string): Set<string> {
  return new Set([...contain.within(name), ...contain.around(name)]);
}

export function buildLabelledSet(entries: readonly ListEntry[], r: Rng, opts: LabelOptions = FULL_SET): LabelledSet {
  const byKey = new Map<string, Set<string>>();
  const keysOf = (e: ListEntry) => [e.name, ...e.aliases].map(plainKey).filter(Boolean);
  for (const e of entries)
    for (const k of keysOf(e)) {
      const s = byKey.get(k) ?? new Set();
      s.add(e.id);
      byKey.set(k, s);
    }
  const sameName = (e: ListEntry): string[] => [...new Set(keysOf(e).flatMap((k) => [...(byKey.get(k) ?? [])]))];
  const wordDf = wordCounts(entries);
  const distinctive = (w: string) => w.length >= 4 && !/\d/.test(w) && (wordDf.get(w) ?? 0) <= 30;
  const telling = tellingWords(wordDf);
  const contain = new Containment(entries, telling);
  const splitOf = (id: string): Labelled['split'] => (hash(id) % 2 === 0 ? 'validation' : 'test');
  const dropped = { heldOut: 0, swap: 0 };
  const breaksRule = (q: string, own: Set<string>) => [...containmentHits(contain, q)].some((id) => !own.has(id));

  // Held-out parties: whole identities leave the index.
  const ids = new Map<string, ListEntry[]>();
  for (const e of entries) {
    const k = identity(e);
    ids.set(k, [...(ids.get(k) ?? []), e]);
  }
  const identities = shuffle(r, [...ids.keys()]);
  const heldOut = new Set<string>();
  const queries: Labelled[] = [];
  for (const idn of identities) {
    if (queries.length >= opts.heldOut) break;
    const group = ids.get(idn)!;
    const e = group[0];
    if (e.type === 'vessel' || e.type === 'aircraft') continue;
    // Another listing of the same name is the same party under another id: not a negative.
    const group_ids = new Set(group.map((g) => g.id));
    if (group.some((g) => sameName(g).some((x) => !group_ids.has(x)))) continue;
    const words = plainKey(e.name).split(' ').filter(distinctive);
    const similar = words.some((w) => (wordDf.get(w) ?? 0) >= 2);
    if (!similar) continue;
    if (breaksRule(e.name, group_ids)) {
      dropped.heldOut++;
      continue;
    }
    for (const g of group) heldOut.add(g.id);
    queries.push({ name: e.name, kind: 'held-out', targets: [], split: splitOf(idn) });
  }

  const pool = entries.filter((e) => !heldOut.has(e.id) && e.type !== 'vessel' && e.type !== 'aircraft');
  const isOrg = (e: ListEntry) =>
    e.type === 'entity' ||
    (e.type === 'unknown' && tokens(e.name).some((w) => GENERIC.has(w) || FORM_WORDS.has(w) || LEGAL.has(w)));
  for (const kind of POSITIVE_KINDS) {
    let n = 0;
    for (const e of shuffle(r, pool)) {
      if (n >= opts.perClass) break;
      const q = variant(kind, e, r, telling, isOrg);
      if (!q || plainKey(q) === '' || q === e.name) continue;
      let targets = sameName(e);
      if (kind === 'extra-words') {
        if (byKey.has(plainKey(q))) continue; // an exact listed name: not this class
        targets = [...new Set([...targets, ...contain.within(q)])];
      } else if (kind === 'listed-extra') {
        if (keysOf(e).includes(plainKey(q))) continue; // one of its own names: not this class
        targets = [...new Set([...targets, ...contain.around(q)])];
      }
      queries.push({ name: q, kind, targets, split: splitOf(identity(e)) });
      n++;
    }
  }

  const vocabulary = [...wordDf.keys()].filter(distinctive);
  let swaps = 0;
  for (const e of shuffle(r, pool)) {
    if (swaps >= opts.swaps) break;
    const words = e.name.split(/\s+/);
    if (words.length < 2) continue;
    let at = -1;
    for (let i = 0; i < words.length; i++)
      if (distinctive(plainKey(words[i])) && (at < 0 || words[i].length > words[at].length)) at = i;
    if (at < 0) continue;
    const replacement = pick(r, vocabulary);
    const q = [...words.slice(0, at), replacement.toUpperCase(), ...words.slice(at + 1)].join(' ');
    if (byKey.has(plainKey(q))) continue;
    if (breaksRule(q, new Set())) {
      dropped.swap++;
      continue;
    }
    queries.push({ name: q, kind: 'swap', targets: [], split: splitOf(e.id + ':swap') });
    swaps++;
  }
  return { queries, heldOut, dropped };
}

function variant(
  kind: PositiveKind,
  e: ListEntry,
  r: Rng,
  telling: (w: string) => boolean,
  isOrg: (e: ListEntry) => boolean,
): string | undefined {
  const cc = e.countries[0];
  switch (kind) {
    case 'alias':
      return e.aliases.length ? pick(r, e.aliases) : undefined;
    case 'typo': {
      const once = typo(r, e.name);
      return once && r() < 0.25 ? (typo(r, once) ?? once) : once;
    }
    case 'respell':
      return respell(r, e.name);
    case 'script':
      if (e.countries.some((c) => RU.has(c))) return toCyrillic(e.name);
      if (e.countries.some((c) => CN.has(c))) return toHan(e.name);
      return undefined;
    case 'legal-form':
      return e.type === 'individual' ? undefined : swapLegalForm(r, e.name, cc);
    case 'reorder':
      return e.type === 'individual' ? restyle(r, reorderPerson(e.name) ?? '') || undefined : undefined;
    case 'extra-words':
      return isOrg(e) ? extraWords(r, e.name, cc) : undefined;
    case 'listed-extra':
      return isOrg(e) ? listedExtra(r, e.name, telling) : undefined;
    case 'abbreviation':
      return isOrg(e) ? abbreviate(r, e.name) : undefined;
    case 'chinese':
      return isOrg(e) && e.countries.some((c) => CN.has(c)) ? toChineseName(e.name) : undefined;
    case 'cyrillic':
      return isOrg(e) && e.countries.some((c) => c === 'RU' || c === 'BY') ? toRussianName(r, e.name) : undefined;
  }
}

function shuffle<T>(r: Rng, xs: T[]): T[] {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/** FNV-1a: a stable split of parties into validation and test halves. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}
