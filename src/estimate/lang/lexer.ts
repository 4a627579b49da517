// Lexer for the modelling language (a Squiggle-compatible subset): numbers with k/M/B/T suffixes and
// exponents, identifiers, double-quoted names (`input("seized_gpus_2024")`), operators, brackets, `//`
// and `/* */` comments, and newlines (which end statements outside brackets).
import { ModelSyntaxError, type Pos } from './errors.js';

export type TokenKind = 'num' | 'ident' | 'str' | 'op' | 'newline' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for op: the operator itself; for str: the text between the quotes). */
  text: string;
  /** Numeric value of a `num` token. */
  value: number;
  pos: Pos;
}

const SUFFIX: Record<string, number> = { k: 1e3, M: 1e6, B: 1e9, G: 1e9, T: 1e12, '%': 1e-2 };
const OPERATORS = new Set(['+', '-', '*', '/', '^', '(', ')', '[', ']', '{', '}', ',', '=', ':', ';']);

function isDigit(c: string): boolean {
  return c >= '0' && c <= '9';
}
function isIdentStart(c: string): boolean {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c === '_';
}
function isIdentPart(c: string): boolean {
  return isIdentStart(c) || isDigit(c);
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const pos = (at: number): Pos => ({ line, column: at - lineStart + 1, offset: at });

  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', value: 0, pos: pos(i) });
      i++;
      line++;
      lineStart = i;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const start = pos(i);
      i += 2;
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) {
        if (src[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        i++;
      }
      if (i >= src.length) throw new ModelSyntaxError('this comment is never closed: add */', start);
      i += 2;
    } else if (isDigit(c) || (c === '.' && isDigit(src[i + 1] ?? ''))) {
      const start = i;
      while (i < src.length && (isDigit(src[i]) || src[i] === '_')) i++;
      if (src[i] === '.') {
        i++;
        while (i < src.length && isDigit(src[i])) i++;
      }
      if (
        (src[i] === 'e' || src[i] === 'E') &&
        (isDigit(src[i + 1] ?? '') || ((src[i + 1] === '-' || src[i + 1] === '+') && isDigit(src[i + 2] ?? '')))
      ) {
        i += 2;
        while (i < src.length && isDigit(src[i])) i++;
      }
      const digits = src.slice(start, i).replace(/_/g, '');
      let value = Number(digits);
      const suffix = src[i];
      if (suffix !== undefined && suffix in SUFFIX && !isIdentPart(src[i + 1] ?? '')) {
        value *= SUFFIX[suffix];
        i++;
      } else if (suffix !== undefined && isIdentStart(suffix)) {
        let j = i;
        while (j < src.length && isIdentPart(src[j])) j++;
        throw new ModelSyntaxError(
          `unknown number suffix "${src.slice(i, j)}" (use k, M, B, T or %, or an exponent like 1e6)`,
          pos(i),
        );
      }
      tokens.push({ kind: 'num', text: src.slice(start, i), value, pos: pos(start) });
    } else if (isIdentStart(c)) {
      const start = i;
      while (i < src.length && isIdentPart(src[i])) i++;
      tokens.push({ kind: 'ident', text: src.slice(start, i), value: 0, pos: pos(start) });
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < src.length && src[i] !== '"' && src[i] !== '\n') i++;
      if (src[i] !== '"') throw new ModelSyntaxError('this string is never closed: add "', pos(start));
      tokens.push({ kind: 'str', text: src.slice(start + 1, i), value: 0, pos: pos(start) });
      i++;
    } else if (OPERATORS.has(c)) {
      tokens.push({ kind: 'op', text: c, value: 0, pos: pos(i) });
      i++;
    } else {
      const shown = c === "'" ? 'strings take double quotes: "name"' : `unexpected character "${c}"`;
      throw new ModelSyntaxError(shown, pos(i));
    }
  }
  tokens.push({ kind: 'eof', text: '', value: 0, pos: pos(i) });
  return tokens;
}
