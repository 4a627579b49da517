// Parser output, precedence (Squiggle's), and error positions.
import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/estimate/lang/lexer.js';
import { parseProgram } from '../../src/estimate/lang/parser.js';
import { compile } from '../../src/estimate/engine/compile.js';
import { ModelError } from '../../src/estimate/lang/errors.js';
import type { Expr } from '../../src/estimate/lang/ast.js';

/** Compact S-expression of an expression, for structural assertions. */
function sx(e: Expr): string {
  switch (e.type) {
    case 'num':
      return String(e.value);
    case 'ident':
      return e.name;
    case 'unary':
      return `(neg ${sx(e.arg)})`;
    case 'binary':
      return `(${e.op} ${sx(e.left)} ${sx(e.right)})`;
    case 'call':
      return `(${e.callee} ${e.args.map(sx).join(' ')})`;
    case 'list':
      return `[${e.items.map(sx).join(' ')}]`;
    case 'record':
      return `{${e.fields.map((f) => `${f.key}:${sx(f.value)}`).join(' ')}}`;
    case 'input':
      return `(input ${e.name})`;
  }
}
const result = (src: string) => sx(parseProgram(src).result!);

function errorOf(src: string): ModelError {
  try {
    compile(src);
  } catch (e) {
    if (e instanceof ModelError) return e;
    throw e;
  }
  throw new Error('expected a ModelError');
}

describe('lexer', () => {
  it('reads suffixes, exponents, decimals and underscores', () => {
    const nums = tokenize('1k 2.5M 3B 1T 1e6 2.5e-3 10% 1_000 .5')
      .filter((t) => t.kind === 'num')
      .map((t) => t.value);
    expect(nums).toEqual([1e3, 2.5e6, 3e9, 1e12, 1e6, 2.5e-3, 0.1, 1000, 0.5]);
  });
  it('skips both comment styles and counts lines inside block comments', () => {
    const toks = tokenize('a // x\n/* multi\nline */ b');
    const b = toks.find((t) => t.text === 'b')!;
    expect(b.pos).toMatchObject({ line: 3, column: 9 });
  });
  it('rejects unknown suffixes and characters with a position', () => {
    expect(() => tokenize('x = 5q')).toThrow(/unknown number suffix "q"/);
    expect(() => tokenize('x = 5 # c')).toThrow(ModelError);
    expect(() => tokenize('/* never closed')).toThrow(/never closed/);
  });
});

describe('parser precedence (as in Squiggle)', () => {
  it('binds `to` loosest: 1 to 10 * 2 is 1 to (10 * 2)', () => {
    expect(result('1 to 10 * 2')).toBe('(to 1 (* 10 2))');
    expect(result('2 * 1 to 10 + 1')).toBe('(to (* 2 1) (+ 10 1))');
  });
  it('reads -2^2 as (-2)^2 and ^ as right-associative', () => {
    expect(result('-2^2')).toBe('(^ (neg 2) 2)');
    expect(result('2^3^2')).toBe('(^ 2 (^ 3 2))');
  });
  it('is left-associative for - and /', () => {
    expect(result('8 - 2 - 1')).toBe('(- (- 8 2) 1)');
    expect(result('8 / 2 / 2')).toBe('(/ (/ 8 2) 2)');
  });
  it('parses calls, lists, records with shorthand and trailing commas across lines', () => {
    expect(result('mx(a, b,\n [0.5, 0.5],\n)')).toBe('(mx a b [0.5 0.5])');
    expect(result('{a, b: 2 * c,\n}')).toBe('{a:a b:(* 2 c)}');
  });
  it('continues an expression after an operator at the end of a line', () => {
    const p = parseProgram('x = 1 +\n 2\n{x}');
    expect(p.stmts).toHaveLength(1);
    expect(sx((p.stmts[0] as { expr: Expr }).expr)).toBe('(+ 1 2)');
  });
});

describe('errors carry line:column and a plain sentence', () => {
  it('unknown name, with a suggestion', () => {
    const e = errorOf('vendors = 38 to 150\nx = vendrs * 2\n{x}');
    expect(e.message).toBe('unknown name vendrs; did you mean vendors?');
    expect(e.location).toEqual({ line: 2, column: 5 });
    expect(e.toLine()).toBe('2:5: unknown name vendrs; did you mean vendors?');
  });
  it('unknown function, with a suggestion', () => {
    expect(errorOf('x = lognormel(1, 2)\n{x}').message).toMatch(/unknown function lognormel; did you mean lognormal\?/);
  });
  it('wrong arity', () => {
    const e = errorOf('x = uniform(1)\n{x}');
    expect(e.message).toMatch(/uniform takes 2 arguments, got 1/);
    expect(e.location).toEqual({ line: 1, column: 5 });
  });
  it('reassignment', () => {
    const e = errorOf('a = 1\nb = 2\na = 3\n{a}');
    expect(e.message).toMatch(/a is already defined on line 1/);
    expect(e.location.line).toBe(3);
  });
  it('use before definition', () => {
    expect(errorOf('a = b * 2\nb = 1\n{a}').message).toMatch(/b is used before it is defined/);
  });
  it('distributions as parameters', () => {
    expect(errorOf('a = 1 to 10\nb = normal(a, 1)\n{b}').message).toMatch(/must be a number, not a distribution/);
  });
  it('a missing output record and bare expressions in the middle', () => {
    expect(errorOf('a = 1').message).toMatch(/must end with a record/);
    expect(errorOf('1 + 1\na = 2\n{a}').message).toMatch(/only the last line/);
  });
  it('syntax errors point at the offending token', () => {
    const e = errorOf('a = (1 + 2\n{a}');
    expect(e.message).toMatch(/expected "\)"/);
    expect(e.location.line).toBe(2);
  });
});
