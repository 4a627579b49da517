// The labelled set for the screening benchmark, generated from the lists with a fixed seed by the
// rules below, never from the matcher's output:
//  positives (target = the entry):
//    alias      one of the entry's own aliases
//    typo       one keyboard typo in a word of 5+ letters (1 in 4: two typos in different words)
//    respell    one romanisation variant (sh/sch, kh/h, y/i, Mohammed/Muhammad, ...)
//    script     Cyrillic for parties tied to RU/BY/UA/KZ; Han characters for pinyin words of CN/HK parties
//    legal-form the listed legal form dropped or replaced by another one usual in the party's country,
//               with the case or punctuation restyled
//    reorder    "SURNAME, Given" written "Given Surname"
//  negatives (no listed party):
//    held-out   a real listed party removed from the index (all its listings), kept only when the index
//               still has a different party sharing a distinctive word with it (the "hard" part)
//    swap       a listed name with its most distinctive word replaced by a word of another entry
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
}

const RU = new Set(['RU', 'BY', 'UA', 'KZ']);
const CN = new Set(['CN', 'HK']);

export function buildLabelledSet(
  entries: readonly ListEntry[],
  r: Rng,
  opts = { positives: 2400, heldOut: 600, swaps: 600 },
): LabelledSet {
  const byKey = new Map<string, Set<string>>();
  const keysOf = (e: ListEntry) => [e.name, ...e.aliases].map(plainKey).filter(Boolean);
  for (const e of entries)
    for (const k of keysOf(e)) {
      const s = byKey.get(k) ?? new Set();
      s.add(e.id);
      byKey.set(k, s);
    }
  const sameName = (e: ListEntry): string[] => [...new Set(keysOf(e).flatMap((k) => [...(byKey.get(k) ?? [])]))];
  const wordDf = new Map<string, number>();
  for (const e of entries)
    for (const w of new Set(plainKey(e.name).split(' '))) wordDf.set(w, (wordDf.get(w) ?? 0) + 1);
  const distinctive = (w: string) => w.length >= 4 && !/\d/.test(w) && (wordDf.get(w) ?? 0) <= 30;
  const splitOf = (id: string): Labelled['split'] => (hash(id) % 2 === 0 ? 'validation' : 'test');

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
    for (const g of group) heldOut.add(g.id);
    queries.push({ name: e.name, kind: 'held-out', targets: [], split: splitOf(idn) });
  }

  const pool = shuffle(
    r,
    entries.filter((e) => !heldOut.has(e.id) && e.type !== 'vessel' && e.type !== 'aircraft'),
  );
  const kinds = ['alias', 'typo', 'respell', 'script', 'legal-form', 'reorder'] as const;
  let k = 0;
  for (const e of pool) {
    if (queries.length >= opts.heldOut + opts.positives) break;
    for (let attempt = 0; attempt < kinds.length; attempt++) {
      const kind = kinds[(k + attempt) % kinds.length];
      const q = variant(kind, e, r);
      if (!q || plainKey(q) === '') continue;
      queries.push({ name: q, kind, targets: sameName(e), split: splitOf(identity(e)) });
      k++;
      break;
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
    queries.push({ name: q, kind: 'swap', targets: [], split: splitOf(e.id + ':swap') });
    swaps++;
  }
  return { queries, heldOut };
}

function variant(kind: string, e: ListEntry, r: Rng): string | undefined {
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
    default:
      return undefined;
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
