// Script folding: Chinese through pinyin (pinyin-pro picks readings in context, which per-character
// tables get wrong for polyphones), everything else (Cyrillic, Arabic, Greek, accents) through any-ascii.
import anyAscii from 'any-ascii';
import { createRequire } from 'node:module';
import { wordTables } from './word-tables.js';

// pinyin-pro carries a large dictionary: load it on the first Chinese name, not at start-up.
const require = createRequire(import.meta.url);
type SyllablesOf = (text: string, opts: { toneType: 'none'; type: 'array'; v: true }) => string[];
let pinyinFn: SyllablesOf | undefined;
function syllablesOf(text: string): string[] {
  pinyinFn ??= (require('pinyin-pro') as { pinyin: SyllablesOf }).pinyin;
  return pinyinFn(text, { toneType: 'none', type: 'array', v: true });
}

const HAN = /[\u3400-\u9fff\uf900-\ufaff]/;
const HAN_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
const NON_ASCII = /[^\x00-\x7f]/;

export function hasHan(s: string): boolean {
  return HAN.test(s);
}

/** Each Han character becomes its pinyin syllable, space-separated; other text is ASCII-folded. */
export function toAscii(s: string): string {
  let out = s;
  if (HAN.test(out)) {
    out = out.replace(HAN_RUN, (run) => ' ' + syllablesOf(run).join(' ') + ' ');
  }
  return NON_ASCII.test(out) ? anyAscii(out) : out;
}

const CYRILLIC = /[\u0400-\u04ff]/;

export function hasCyrillic(s: string): boolean {
  return CYRILLIC.test(s);
}

/**
 * Chinese company names are usually rendered half-translated ("华为技术" -> "Huawei Technologies"):
 * this rendering replaces the common business words of the Chinese table with their English words before pinyin.
 */
export function translateBusinessWords(s: string): string {
  let out = s;
  for (const [w, english] of wordTables().chineseWords) if (out.includes(w)) out = out.split(w).join(` ${english} `);
  return out;
}

/** Russian names are listed translated and reordered ("Концерн Калашников" -> "Kalashnikov Concern"). */
export function translateRussianWords(s: string): string {
  let out = s;
  for (const r of wordTables().russian) if (r.pattern.test(out)) out = out.replace(r.pattern, ` ${r.english} `);
  return out;
}
