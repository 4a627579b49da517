// The matcher's word tables (data/screening/words/): abbreviations, synonyms, Chinese and Russian company words.
// They are data with a source per row, not code, so a compliance team can read and extend them; they
// load once, on the first name normalised, and their hash keys the prepared-name cache.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DATA_DIR } from '../../paths.js';

export interface WordTables {
  /** Abbreviated word -> the word it stands for (lower-case ASCII). */
  abbreviations: Map<string, string>;
  /** Full word -> its abbreviations. */
  abbreviationsOf: Map<string, string[]>;
  /** Word -> words that name the same thing in company names ("plant"/"factory"), both ways. */
  synonyms: Map<string, string[]>;
  /** Chinese legal forms to drop, longest first. */
  chineseForms: string[];
  /** Chinese company word -> its English rendering, longest first. */
  chineseWords: [string, string][];
  /** Russian words and legal forms (lower-case Cyrillic) -> English, longest first. */
  russian: { word: string; english: string; form: boolean; pattern: RegExp }[];
  /** The English words of all three tables: company words that say what a party does, not which one it is. */
  generic: Set<string>;
  /** Common English words (SUBTLEX-US): alone, they cannot identify a party inside a longer name. */
  common: Set<string>;
  /** Hash of the three files: names prepared with other tables are prepared again. */
  fingerprint: string;
}

export const WORDS_DIR = join(DATA_DIR, 'screening', 'words');

let tables: WordTables | undefined;

export function wordTables(): WordTables {
  tables ??= loadWordTables(WORDS_DIR);
  return tables;
}

type Row = Record<string, string>;

function readTable(dir: string, file: string, columns: readonly string[]): { rows: Row[]; text: string } {
  const text = readFileSync(join(dir, file), 'utf8');
  const rows = parse(text, { columns: true, skip_empty_lines: true, trim: true }) as Row[];
  rows.forEach((r, i) => {
    for (const c of columns) {
      if (r[c] === undefined) throw new Error(`${file} row ${i + 2}: missing column "${c}"`);
    }
    if (!r.source) throw new Error(`${file} row ${i + 2}: every entry needs a source`);
  });
  return { rows, text };
}

const ASCII_WORDS = /^[a-z0-9]+( [a-z0-9]+)*$/;
const ONE_WORD = /^[a-z0-9]+$/;
/** Trailing letters a Russian inflection changes: the stem is what stays. */
const RU_ENDING = /[аеёиоуыэюяйь]+$/;
const CYRILLIC_LETTER = '[а-яё]';

export function loadWordTables(dir: string): WordTables {
  const abbr = readTable(dir, 'abbreviations.csv', ['abbreviation', 'expansion', 'source']);
  const syn = readTable(dir, 'synonyms.csv', ['word', 'synonym', 'source']);
  const zh = readTable(dir, 'zh-company-words.csv', ['chinese', 'english', 'kind', 'source']);
  const ru = readTable(dir, 'ru-company-words.csv', ['russian', 'english', 'kind', 'source']);
  const abbreviations = new Map<string, string>();
  const abbreviationsOf = new Map<string, string[]>();
  abbr.rows.forEach((r, i) => {
    if (!ONE_WORD.test(r.abbreviation) || !ONE_WORD.test(r.expansion))
      throw new Error(`abbreviations.csv row ${i + 2}: one lower-case ASCII word on each side`);
    abbreviations.set(r.abbreviation, r.expansion);
    abbreviationsOf.set(r.expansion, [...(abbreviationsOf.get(r.expansion) ?? []), r.abbreviation]);
  });
  const synonyms = new Map<string, string[]>();
  syn.rows.forEach((r, i) => {
    if (!ONE_WORD.test(r.word) || !ONE_WORD.test(r.synonym))
      throw new Error(`synonyms.csv row ${i + 2}: one lower-case ASCII word on each side`);
    synonyms.set(r.word, [...(synonyms.get(r.word) ?? []), r.synonym]);
    synonyms.set(r.synonym, [...(synonyms.get(r.synonym) ?? []), r.word]);
  });
  const byLength = <T extends [string, ...unknown[]]>(xs: T[]) => xs.sort((a, b) => b[0].length - a[0].length);
  const chineseForms: string[] = [];
  const chineseWords: [string, string][] = [];
  zh.rows.forEach((r, i) => {
    if (r.kind === 'legal-form') chineseForms.push(r.chinese);
    else if (r.kind === 'word' && ASCII_WORDS.test(r.english)) chineseWords.push([r.chinese, r.english]);
    else throw new Error(`zh-company-words.csv row ${i + 2}: kind is legal-form or word (with an English rendering)`);
  });
  chineseForms.sort((a, b) => b.length - a.length);
  const russian = ru.rows.map((r, i) => {
    if (!['legal-form', 'word'].includes(r.kind) || !ASCII_WORDS.test(r.english))
      throw new Error(`ru-company-words.csv row ${i + 2}: kind is legal-form or word, english is lower-case ASCII`);
    const word = r.russian.toLowerCase();
    return { word, english: r.english, form: r.kind === 'legal-form', pattern: russianPattern(word, r.kind) };
  });
  russian.sort((a, b) => b.word.length - a.word.length);
  const fingerprint = createHash('sha256')
    .update(abbr.text)
    .update('\0')
    .update(syn.text)
    .update('\0')
    .update(zh.text)
    .update('\0')
    .update(ru.text)
    .digest('hex')
    .slice(0, 12);
  const generic = new Set<string>();
  const addWords = (english: string) => {
    for (const w of english.split(' ')) if (w) generic.add(w);
  };
  for (const full of abbreviations.values()) addWords(full);
  for (const [, english] of chineseWords) addWords(english);
  for (const r of russian) if (!r.form) addWords(r.english);
  const common = new Set(
    readFileSync(join(dir, 'common-english.txt'), 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#')),
  );
  return {
    common,
    synonyms,
    abbreviations,
    abbreviationsOf,
    chineseForms,
    chineseWords: byLength(chineseWords),
    russian,
    generic,
    fingerprint,
  };
}

/**
 * A whole-word pattern; one-word company words of five letters or more also match their inflected forms
 * (завода, технологий), as Russian names decline them.
 */
function russianPattern(word: string, kind: string): RegExp {
  const parts = word.split(/\s+/).map((w) => {
    const stem = w.replace(RU_ENDING, '');
    const inflects = kind === 'word' && !w.includes('-') && stem.length >= 4;
    return inflects ? `${escapeRegExp(stem)}${CYRILLIC_LETTER}{0,3}` : escapeRegExp(w);
  });
  return new RegExp(`(?<![а-яё-])${parts.join('\\s+')}(?![а-яё-])`, 'giu');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
