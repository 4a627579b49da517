// Similarity of two normalised tokens, the unit the name alignment is built from. Numbers must agree
// exactly ("Institute 35" is not "Institute 36"); very short tokens need equality or the same sound;
// longer ones use Jaro-Winkler, lifted when their phonetic keys agree.
import { phoneticKey } from './phonetic.js';
import { jaroWinkler, osaDistance } from './similarity.js';
import { wordTables } from './word-tables.js';

/** Below this a token pair counts as no match at all (no partial credit for unrelated words). */
export const TOKEN_FLOOR = 0.8;
/** A non-identical spelling never scores as high as the identical one. */
const INEXACT_PENALTY = 0.03;
/** Short words differ in few letters by chance ("Kang"/"Aung"): each letter under 6 costs this much more. */
const SHORT_PENALTY = 0.03;
const SAME_SOUND = 0.88;
const SHORT_VARIANT = 0.85;
/** Sound alone is weak evidence (consonant skeletons collide): the spellings must also be alike. */
const SOUND_MIN_JW = 0.75;

export type TokenRelation = 'exact' | 'fuzzy' | 'phonetic' | 'abbreviation' | 'synonym' | 'none';

export interface TokenSim {
  sim: number;
  how: TokenRelation;
}

const DIGIT = /\d/;

/** An abbreviation meeting its word ("intl"/"international") is as good as a close spelling, not as exact. */
const ABBREVIATION_SIM = 0.95;

/** Phonetic keys are optional: computed only when the spelling alone does not decide (the costly part). */
export function tokenSim(a: string, b: string, keyA?: string, keyB?: string): TokenSim {
  if (a === b) return EXACT;
  const tables = wordTables();
  if (tables.synonyms.get(a)?.includes(b)) return SYNONYM;
  const table = tables.abbreviations;
  const fa = table.get(a);
  const fb = table.get(b);
  if (fa === undefined && fb === undefined) return spellingSim(a, b, keyA, keyB);
  // A known abbreviation stands for any word it contracts ("sci" for scientific as for science)...
  if ((fa !== undefined && contracts(a, b)) || (fb !== undefined && contracts(b, a)))
    return { sim: ABBREVIATION_SIM, how: 'abbreviation' };
  // ...and meets the forms of its word: "Techs" meets "Technology" through "technologies".
  const full = spellingSim(fa ?? a, fb ?? b);
  const plain = spellingSim(a, b, keyA, keyB);
  if (full.sim * ABBREVIATION_SIM <= plain.sim) return plain;
  return { sim: full.sim * ABBREVIATION_SIM, how: 'abbreviation' };
}

/** `short` keeps the first letter of `long` and the rest of its letters in order ("mgmt" in "management"). */
function contracts(short: string, long: string): boolean {
  if (short[0] !== long[0] || long.length < short.length + 2) return false;
  let j = 1;
  for (let i = 1; i < short.length; i++) {
    j = long.indexOf(short[i], j) + 1;
    if (j === 0) return false;
  }
  return true;
}

function spellingSim(a: string, b: string, keyA?: string, keyB?: string): TokenSim {
  if (a === b) return EXACT;
  if (DIGIT.test(a) || DIGIT.test(b)) return NONE;
  // An initial could stand for any name with that letter: it neither supports nor refutes a match.
  if (a.length === 1 || b.length === 1) return NONE;
  const raw = jaroWinkler(a, b);
  if (a.length <= 3 || b.length <= 3) {
    if (raw >= SOUND_MIN_JW && sameSound(a, b, keyA, keyB)) return { sim: SAME_SOUND, how: 'phonetic' };
    // Romanised syllables differ by a letter ("Shu"/"Shou", "Wai"/"Way"): one edit, same initial.
    return a.length >= 3 &&
      b.length >= 3 &&
      a[0] === b[0] &&
      Math.abs(a.length - b.length) <= 1 &&
      osaDistance(a, b, 1) <= 1
      ? { sim: SHORT_VARIANT, how: 'fuzzy' }
      : NONE;
  }
  const jw = raw - INEXACT_PENALTY - SHORT_PENALTY * Math.max(0, 6 - Math.min(a.length, b.length));
  if (jw < SAME_SOUND && raw >= SOUND_MIN_JW && sameSound(a, b, keyA, keyB))
    return { sim: SAME_SOUND, how: 'phonetic' };
  return jw >= TOKEN_FLOOR ? { sim: jw, how: 'fuzzy' } : NONE;
}

const NONE: TokenSim = Object.freeze({ sim: 0, how: 'none' });
const EXACT: TokenSim = Object.freeze({ sim: 1, how: 'exact' });
/** Two words for one thing ("plant"/"factory"): as good as an abbreviation. */
const SYNONYM: TokenSim = Object.freeze({ sim: ABBREVIATION_SIM, how: 'synonym' });

function sameSound(a: string, b: string, keyA: string | undefined, keyB: string | undefined): boolean {
  const ka = keyA ?? phoneticKey(a);
  return ka !== '' && ka === (keyB ?? phoneticKey(b));
}

/** Cheap test whether two tokens could be near-equal (used before joining neighbours). */
export function couldBeNear(a: string, b: string): boolean {
  return a.charCodeAt(0) === b.charCodeAt(0) && Math.abs(a.length - b.length) <= 2;
}
