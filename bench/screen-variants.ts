// Variant generators for the screening benchmark. They are written from how names really vary
// (keyboard typos, romanisation habits, legal-form choices, scripts), independently of the matcher:
// nothing here (nor anywhere under bench/) imports src/screening/match/* or reads the matcher's word,
// abbreviation or legal-form tables (data/screening/words/*); the tables below are the bench's own, and
// test/screening/bench-labelled.test.ts checks the imports of every committed bench file.
import { pinyin } from 'pinyin-pro';

export type Rng = () => number;

/** mulberry32: small, seeded, the same on every machine. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];

const KEYBOARD: Record<string, string> = {
  a: 'qsz',
  b: 'vgn',
  c: 'xdv',
  d: 'sfe',
  e: 'wrd',
  f: 'dgr',
  g: 'fht',
  h: 'gjy',
  i: 'uok',
  j: 'hku',
  k: 'jli',
  l: 'kop',
  m: 'nj',
  n: 'bmh',
  o: 'ipl',
  p: 'ol',
  q: 'wa',
  r: 'etf',
  s: 'adw',
  t: 'ryg',
  u: 'yij',
  v: 'cbf',
  w: 'qes',
  x: 'zcs',
  y: 'tuh',
  z: 'xa',
};

/** One keyboard typo (substitute a neighbour, drop, double, or swap two letters) in a word of 5+ letters. */
export function typo(r: Rng, name: string): string | undefined {
  const words = [...name.matchAll(/[A-Za-z]{5,}/g)];
  if (words.length === 0) return undefined;
  const w = pick(r, words);
  const s = w[0];
  const i = 1 + Math.floor(r() * (s.length - 2)); // keep the first letter, as most real typos do
  const c = s[i];
  const lower = c.toLowerCase();
  let out: string;
  switch (Math.floor(r() * 4)) {
    case 0: {
      const n = pick(r, [...(KEYBOARD[lower] ?? 'e')]);
      out = s.slice(0, i) + (c === lower ? n : n.toUpperCase()) + s.slice(i + 1);
      break;
    }
    case 1:
      out = s.slice(0, i) + s.slice(i + 1);
      break;
    case 2:
      out = s.slice(0, i) + c + s.slice(i);
      break;
    default:
      out = s.slice(0, i) + s[i + 1] + c + s.slice(i + 2);
  }
  return name.slice(0, w.index) + out + name.slice(w.index! + s.length);
}

/** Romanisation habits: the same sound spelt the ways different systems and clerks spell it. */
const SPELLINGS: [RegExp, string][] = [
  [/sh/i, 'sch'],
  [/ou/i, 'u'],
  [/kh/i, 'h'],
  [/ph/i, 'f'],
  [/ee/i, 'i'],
  [/oo/i, 'u'],
  [/y/i, 'i'],
  [/ie/i, 'iye'],
  [/mohammed|mohammad|muhammed/i, 'Muhammad'],
  [/muhammad/i, 'Mohamed'],
  [/ahmad/i, 'Ahmed'],
  [/ahmed/i, 'Ahmad'],
  [/q/i, 'k'],
  [/ck/i, 'k'],
  [/w/i, 'v'],
  [/ks/i, 'x'],
  [/x/i, 'ks'],
  [/dh/i, 'd'],
  [/yu/i, 'iu'],
  [/ya/i, 'ia'],
  [/ts/i, 'tz'],
  [/iy/i, 'i'],
  [/([bcdfglmnprst])\1/i, '$1'],
  [/abdul /i, 'Abdel '],
  [/abdel/i, 'Abdul'],
  [/el-/i, 'al-'],
  [/al-/i, 'el-'],
];

export function respell(r: Rng, name: string): string | undefined {
  const applicable = SPELLINGS.filter(([re]) => re.test(name));
  if (applicable.length === 0) return undefined;
  const [re, to] = pick(r, applicable);
  const out = name.replace(re, (m, g1?: string) => matchCase(m, to.replace('$1', typeof g1 === 'string' ? g1 : '')));
  return out === name ? undefined : out;
}

function matchCase(src: string, to: string): string {
  if (src === src.toUpperCase()) return to.toUpperCase();
  if (src[0] === src[0].toUpperCase()) return to[0].toUpperCase() + to.slice(1).toLowerCase();
  return to.toLowerCase();
}

const LATIN_TO_CYRILLIC: [string, string][] = [
  ['shch', 'щ'],
  ['kh', 'х'],
  ['zh', 'ж'],
  ['ts', 'ц'],
  ['ch', 'ч'],
  ['sh', 'ш'],
  ['yu', 'ю'],
  ['ya', 'я'],
  ['yo', 'ё'],
  ['ye', 'е'],
  ['a', 'а'],
  ['b', 'б'],
  ['v', 'в'],
  ['g', 'г'],
  ['d', 'д'],
  ['e', 'е'],
  ['z', 'з'],
  ['i', 'и'],
  ['y', 'ы'],
  ['k', 'к'],
  ['l', 'л'],
  ['m', 'м'],
  ['n', 'н'],
  ['o', 'о'],
  ['p', 'п'],
  ['r', 'р'],
  ['s', 'с'],
  ['t', 'т'],
  ['u', 'у'],
  ['f', 'ф'],
  ['c', 'к'],
  ['x', 'кс'],
  ['w', 'в'],
  ['h', 'х'],
  ['j', 'дж'],
  ['q', 'к'],
];

/** English renderings of Russian legal forms, and how Russians write them. */
const RUSSIAN_FORMS: [RegExp, string][] = [
  [/\b(limited liability company|llc|l\.l\.c\.|obshchestvo s ogranichennoi otvetstvennostyu|ooo)\b/i, 'ООО'],
  [/\b(public joint[- ]stock company|pjsc|pao)\b/i, 'ПАО'],
  [/\b(open joint[- ]stock company|ojsc|oao)\b/i, 'ОАО'],
  [/\b(closed joint[- ]stock company|cjsc|zao)\b/i, 'ЗАО'],
  [/\b(joint[- ]stock company|jsc|aktsionernoe obshchestvo|ao)\b/i, 'АО'],
];

/**
 * A romanised Russian name written back in Cyrillic, as a Russian counterparty would write it: the
 * legal form as its Russian abbreviation in front (ООО, АО, ...), the rest letter by letter.
 */
export function toCyrillic(name: string): string {
  let form = '';
  let rest = name;
  for (const [re, ru] of RUSSIAN_FORMS) {
    if (re.test(rest)) {
      form = ru;
      rest = rest
        .replace(re, ' ')
        .replace(/\s*,\s*$/, '')
        .replace(/^\s*,\s*/, '');
      break;
    }
  }
  const body = letters(rest.trim().replace(/\s+/g, ' '));
  return form ? `${form} «${body}»` : body;
}

function letters(name: string): string {
  let out = '';
  const s = name.toLowerCase();
  for (let i = 0; i < s.length; ) {
    const hit = LATIN_TO_CYRILLIC.find(([l]) => s.startsWith(l, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      out += s[i];
      i++;
    }
  }
  return out.toUpperCase();
}

let syllableChar: Map<string, string> | undefined;

/** Syllable -> a Han character whose only reading it is (from pinyin-pro's own dictionary). */
function syllables(): Map<string, string> {
  if (syllableChar) return syllableChar;
  syllableChar = new Map();
  for (let c = 0x4e00; c < 0x9fa5; c++) {
    const ch = String.fromCharCode(c);
    const all = pinyin(ch, { toneType: 'none', multiple: true, type: 'array' });
    if (all.length === 1 && !syllableChar.has(all[0])) syllableChar.set(all[0], ch);
  }
  return syllableChar;
}

/** Splits a word into pinyin syllables (longest first), or undefined when it is not pinyin. */
function segment(word: string, map: Map<string, string>): string[] | undefined {
  const w = word.toLowerCase();
  const memo = new Map<number, string[] | undefined>();
  const go = (i: number): string[] | undefined => {
    if (i === w.length) return [];
    if (memo.has(i)) return memo.get(i);
    let res: string[] | undefined;
    for (let len = Math.min(6, w.length - i); len >= 1 && !res; len--) {
      const syl = w.slice(i, i + len);
      if (!map.has(syl)) continue;
      const rest = go(i + len);
      if (rest) res = [syl, ...rest];
    }
    memo.set(i, res);
    return res;
  };
  return go(0);
}

/** Pinyin words of a Chinese party's name written in Han characters; English words stay. */
export function toHan(name: string): string | undefined {
  const map = syllables();
  let changed = 0;
  const out = name.replace(/[A-Za-z]{2,}/g, (word) => {
    const segs = segment(word, map);
    if (!segs || segs.length < 2) return word;
    changed++;
    return segs.map((s) => map.get(s)!).join('');
  });
  return changed > 0 ? out : undefined;
}

/** Legal forms a clerk may write instead of the listed one, by where the party is. */
const FORMS_BY_COUNTRY: Record<string, string[]> = {
  CN: ['Co., Ltd.', 'Company Limited', 'Co Ltd', '有限公司', 'Limited'],
  HK: ['Limited', 'Ltd', 'Company Limited', 'Co., Limited'],
  MY: ['Sdn. Bhd.', 'Sdn Bhd', 'Sendirian Berhad'],
  SG: ['Pte. Ltd.', 'Pte Ltd', 'Private Limited'],
  RU: ['LLC', 'OOO', 'JSC', 'AO', 'ООО'],
  AE: ['FZE', 'LLC', 'FZCO', 'L.L.C.', 'DMCC'],
  DE: ['GmbH', 'AG', 'GmbH & Co. KG'],
  TR: ['A.S.', 'Ltd. Sti.', 'Limited Sirketi'],
  IR: ['Co.', 'Company', 'Ltd'],
};
const ANY_FORMS = ['Ltd.', 'Limited', 'LLC', 'Inc.', 'Co.', 'Corporation', 'Company', 'Corp.'];
// A legal form at the end of a name, the alternatives in the order the regular expression tries them.
const FORM_ALTERNATIVES = [
  String.raw`co\.?,?\s*ltd\.?|company limited|co\.?,?\s*limited|limited|ltd\.?|llc|l\.l\.c\.?|inc\.?|incorporated`,
  String.raw`corp\.?|corporation|company|co\.|gmbh|ag|sdn\.?\s*bhd\.?|pte\.?\s*ltd\.?|jsc|ojsc|pjsc|cjsc|ooo|oao`,
  String.raw`zao|fze|fzco|s\.?a\.?|a\.?s\.?|plc|pvt\.?\s*ltd\.?`,
];
const FORM_AT_END = new RegExp(String.raw`[\s,]+(${FORM_ALTERNATIVES.join('|')})\s*$`, 'i');

export function swapLegalForm(r: Rng, name: string, country: string | undefined): string | undefined {
  const base = name.replace(/\s*\([^)]*\)\s*$/, '').replace(FORM_AT_END, '');
  const forms = [...(country && FORMS_BY_COUNTRY[country] ? FORMS_BY_COUNTRY[country] : []), ...ANY_FORMS];
  const form = pick(r, forms);
  const out =
    r() < 0.2
      ? base
      : form === 'OOO' || form === 'ООО' || form === 'AO'
        ? `${form} ${base}`
        : form === '有限公司'
          ? base + form
          : `${base} ${form}`;
  return out.trim() === name.trim() ? undefined : restyle(r, out);
}

/** Case and punctuation as a data-entry clerk might change them. */
export function restyle(r: Rng, s: string): string {
  const x = r();
  if (x < 0.3) return s.toUpperCase();
  if (x < 0.5) return s.replace(/[.,]/g, '');
  if (x < 0.7) return s.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase());
  return s;
}

/** "SURNAME, Given" as a Western form would have it: "Given Surname". */
export function reorderPerson(name: string): string | undefined {
  const m = /^([^,]+),\s*(.+)$/.exec(name);
  return m ? `${m[2]} ${m[1]}` : undefined;
}
