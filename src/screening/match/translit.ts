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

/**
 * Each Han character becomes its pinyin syllable, space-separated, or with `joinRuns` each run of characters one
 * word ("华为" huawei, as English listings write names); other text is ASCII-folded.
 */
export function toAscii(s: string, joinRuns = false): string {
  let out = s;
  if (HAN.test(out)) {
    out = out.replace(HAN_RUN, (run) => ` ${syllablesOf(run).join(joinRuns ? '' : ' ')} `);
  }
  return NON_ASCII.test(out) ? anyAscii(out) : out;
}

const DIGITS: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
/** 第十三 "13th": institutes are numbered so ("中国电子科技集团公司第十三研究所" is CETC's 13th Research Institute). */
const ORDINAL = /第([零〇一二两三四五六七八九十百]+)/g;

/** A Chinese numeral below 1,000 ("五十四" 54, "二百零四" 204, "十三" 13). */
export function chineseNumber(s: string): number {
  let total = 0;
  let digit = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (digit || 1) * 100;
      digit = 0;
    } else if (ch === '十') {
      total += (digit || 1) * 10;
      digit = 0;
    } else digit = DIGITS[ch] ?? 0;
  }
  return total + digit;
}

function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
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
  let out = s.replace(ORDINAL, (_, n: string) => ` ${ordinal(chineseNumber(n))} `);
  for (const [w, english] of wordTables().chineseWords) if (out.includes(w)) out = out.split(w).join(` ${english} `);
  return out;
}

/** Russian names are listed translated and reordered ("Концерн Калашников" -> "Kalashnikov Concern"). */
export function translateRussianWords(s: string): string {
  // Foreign names written in Cyrillic come back closer to their English spelling this way ("Джусто" Justo).
  let out = s.replace(/дж/g, 'j').replace(/ё/g, 'yo');
  for (const r of wordTables().russian) if (r.pattern.test(out)) out = out.replace(r.pattern, ` ${r.english} `);
  return out;
}
