// A phonetic key for romanised names, tuned to the spelling variation transliteration produces
// (Mohammed/Muhammad, Yusuf/Jusuf, Tchaikovsky/Chaikovskiy, Zhong/Jong, Qasim/Kassim): consonant
// skeleton after folding equivalent spellings; vowels other than the first letter are dropped.

const RULES: [RegExp, string][] = [
  [/tch|tsch/g, 'ch'],
  [/sch|sh|zh|ch(?=[^aeiou]|$)/g, 'S'],
  [/ch|tz|ts|cz|ts/g, 'C'],
  [/ph/g, 'f'],
  [/kh|gh|q/g, 'k'],
  [/ck|c(?=[^eiy]|$)/g, 'k'],
  [/c/g, 's'],
  [/x/g, 'ks'],
  [/dh|dz/g, 'd'],
  [/th/g, 't'],
  [/w/g, 'v'],
  [/z/g, 's'],
  [/j|y/g, 'i'],
  [/(?<=[^aeiou])h/g, ''],
];

const memo = new Map<string, string>();
const MEMO_LIMIT = 200_000;

export function phoneticKey(token: string): string {
  let k = memo.get(token);
  if (k === undefined) {
    k = computeKey(token);
    if (memo.size >= MEMO_LIMIT) memo.clear(); // a pure function: forgetting only costs time
    memo.set(token, k);
  }
  return k;
}

function computeKey(token: string): string {
  if (token.length < 3 || /\d/.test(token)) return '';
  let s = token;
  for (const [re, to] of RULES) s = s.replace(re, to);
  const first = s[0];
  let out = /[aeiou]/.test(first) ? 'A' : first;
  let last = out;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (/[aeiouh]/.test(c)) {
      last = '';
      continue;
    }
    if (c === last) continue;
    out += c;
    last = c;
  }
  return out.length >= 2 ? out : '';
}
