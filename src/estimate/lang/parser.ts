// Recursive-descent parser. Precedence, loosest first, as in Squiggle: `to`, then + -, then * /, then
// ^ (right-associative), then unary minus (so -2^2 is 4, as Squiggle reads it), then calls and atoms.
// A newline ends a statement unless it falls inside brackets or right after an operator.
import type { Expr, Program, RecordField, Stmt } from './ast.js';
import { ModelSyntaxError, type Pos } from './errors.js';
import { tokenize, type Token } from './lexer.js';

/**
 * Limits that keep every recursive pass over a model (this parser, the checks, the kernel compiler)
 * well inside the call stack: no real model comes near them, and a hostile one gets a plain error
 * instead of a stack overflow.
 */
export const MAX_NESTING = 200;
export const MAX_EXPRESSION_DEPTH = 1000;

class Parser {
  private i = 0;
  private depth = 0;
  private nesting = 0;
  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    if (this.depth > 0) while (this.tokens[this.i].kind === 'newline') this.i++;
    return this.tokens[this.i];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private skipNewlines(): void {
    while (this.tokens[this.i].kind === 'newline') this.i++;
  }
  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (t.kind === 'op' && t.text === text) return this.next();
    throw new ModelSyntaxError(`expected ${what} but found ${describe(t)}`, t.pos);
  }

  program(): Program {
    const stmts: Stmt[] = [];
    let result: Expr | undefined;
    for (;;) {
      while (this.peek().kind === 'newline' || this.isOp(';')) this.next();
      const t = this.peek();
      if (t.kind === 'eof') break;
      if (result) {
        throw new ModelSyntaxError(
          'only the last line of a model may be a bare expression; bind this one with `name = ...`',
          result.pos,
        );
      }
      const after = this.tokens[this.i + 1];
      if (t.kind === 'ident' && after.kind === 'op' && after.text === '=') {
        this.i += 2;
        this.skipNewlines();
        stmts.push({ type: 'let', name: t.text, expr: this.expr(), pos: t.pos });
      } else {
        const e = this.expr();
        if (e.type === 'call' && (e.callee === 'correlate' || e.callee === 'observe'))
          stmts.push({ type: 'do', expr: e, pos: e.pos });
        else result = e;
      }
      this.endOfStatement();
    }
    return { stmts, result };
  }

  private endOfStatement(): void {
    const t = this.peek();
    if (t.kind === 'newline' || t.kind === 'eof' || (t.kind === 'op' && t.text === ';')) return;
    throw new ModelSyntaxError(`unexpected ${describe(t)}; put each binding on its own line`, t.pos);
  }

  expr(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'ident' && t.text === 'to') {
      this.next();
      this.skipNewlines();
      const right = this.additive();
      const t2 = this.peek();
      if (t2.kind === 'ident' && t2.text === 'to')
        throw new ModelSyntaxError('`a to b to c` is ambiguous; use parentheses', t2.pos);
      return { type: 'binary', op: 'to', left, right, pos: left.pos };
    }
    return left;
  }

  private binaryLevel(ops: readonly string[], operand: () => Expr): Expr {
    let left = operand();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'op' || !ops.includes(t.text)) return left;
      this.next();
      this.skipNewlines();
      const right = operand();
      left = { type: 'binary', op: t.text as '+', left, right, pos: left.pos };
    }
  }
  private additive(): Expr {
    return this.binaryLevel(['+', '-'], () => this.multiplicative());
  }
  private multiplicative(): Expr {
    return this.binaryLevel(['*', '/'], () => this.power());
  }
  private power(): Expr {
    const base = this.unary();
    if (!this.isOp('^')) return base;
    this.next();
    this.skipNewlines();
    return { type: 'binary', op: '^', left: base, right: this.power(), pos: base.pos };
  }
  private unary(): Expr {
    // Every level of nesting (parentheses, calls, lists, unary minus, ^) passes through here.
    if (++this.nesting > MAX_NESTING)
      throw new ModelSyntaxError(`the expression nests more than ${MAX_NESTING} levels deep`, this.peek().pos);
    try {
      return this.unaryInner();
    } finally {
      this.nesting--;
    }
  }

  private unaryInner(): Expr {
    const t = this.peek();
    if (t.kind === 'op' && t.text === '-') {
      this.next();
      return { type: 'unary', op: '-', arg: this.unary(), pos: t.pos };
    }
    if (t.kind === 'op' && t.text === '+') {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    if (t.kind === 'num') return { type: 'num', value: t.value, pos: t.pos };
    if (t.kind === 'ident') {
      if (t.text === 'to') throw new ModelSyntaxError('`to` needs a number on its left, as in `10 to 100`', t.pos);
      if (t.text === 'input' && this.isOp('(')) return this.input(t);
      if (this.isOp('('))
        return { type: 'call', callee: t.text, args: this.delimited('(', ')', () => this.expr()), pos: t.pos };
      return { type: 'ident', name: t.text, pos: t.pos };
    }
    if (t.kind === 'op') {
      if (t.text === '(') {
        this.depth++;
        const e = this.expr();
        this.expect(')', '")"');
        this.depth--;
        return e;
      }
      if (t.text === '[') {
        this.i--;
        return { type: 'list', items: this.delimited('[', ']', () => this.expr()), pos: t.pos };
      }
      if (t.text === '{') {
        this.i--;
        return { type: 'record', fields: this.delimited('{', '}', () => this.field()), pos: t.pos };
      }
    }
    if (t.kind === 'str')
      throw new ModelSyntaxError('a string can only name an input, as in input("seized_gpus_2024")', t.pos);
    throw new ModelSyntaxError(`expected a number, name, "(" or "[" but found ${describe(t)}`, t.pos);
  }

  /** `input("name")`, after the word input: the name of a value the caller supplies. */
  private input(word: Token): Expr {
    this.expect('(', '"("');
    this.depth++;
    const name = this.next();
    const usage = 'input takes the name of an input in double quotes, like input("seized_gpus_2024")';
    if (name.kind !== 'str' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) throw new ModelSyntaxError(usage, name.pos);
    this.expect(')', '")" after the input\'s name');
    this.depth--;
    return { type: 'input', name: name.text, pos: word.pos };
  }

  private field(): RecordField {
    const t = this.next();
    if (t.kind !== 'ident') throw new ModelSyntaxError(`expected a field name but found ${describe(t)}`, t.pos);
    if (this.isOp(':')) {
      this.next();
      return { key: t.text, value: this.expr(), pos: t.pos };
    }
    return { key: t.text, value: { type: 'ident', name: t.text, pos: t.pos }, pos: t.pos };
  }

  /** Comma-separated items between brackets; trailing comma allowed; newlines ignored inside. */
  private delimited<T>(open: string, close: string, item: () => T): T[] {
    this.expect(open, `"${open}"`);
    this.depth++;
    const items: T[] = [];
    while (!this.isOp(close)) {
      items.push(item());
      if (!this.isOp(',')) break;
      this.next();
    }
    this.expect(close, `"," or "${close}"`);
    this.depth--;
    return items;
  }
}

function describe(t: Token): string {
  if (t.kind === 'eof') return t.pos.override === undefined ? 'the end of the model' : 'the end of the expression';
  if (t.kind === 'newline') return 'the end of the line';
  if (t.kind === 'str') return `"${t.text}" (a string)`;
  return `"${t.text}"`;
}

/** Parses model source into a syntax tree; throws ModelSyntaxError with line:column. */
export function parseProgram(src: string): Program {
  return parseTokens(tokenize(src));
}

function parseTokens(tokens: Token[]): Program {
  const prog = new Parser(tokens).program();
  for (const s of prog.stmts) checkDepth(s.expr);
  if (prog.result) checkDepth(prog.result);
  return prog;
}

/** Rejects trees deeper than MAX_EXPRESSION_DEPTH (long operator chains are deep too); iterative. */
function checkDepth(root: Expr): void {
  const stack: [Expr, number][] = [[root, 1]];
  while (stack.length) {
    const [e, d] = stack.pop()!;
    if (d > MAX_EXPRESSION_DEPTH)
      throw new ModelSyntaxError(
        `the expression is more than ${MAX_EXPRESSION_DEPTH} operations deep; split it into named bindings`,
        e.pos,
      );
    const kids =
      e.type === 'unary'
        ? [e.arg]
        : e.type === 'binary'
          ? [e.left, e.right]
          : e.type === 'call'
            ? e.args
            : e.type === 'list'
              ? e.items
              : e.type === 'record'
                ? e.fields.map((f) => f.value)
                : [];
    for (const k of kids) stack.push([k, d + 1]);
  }
}

/**
 * Parses a single expression. With `override` (the binding an override replaces), every position in
 * it, and so every error about it, names that override (see Pos).
 */
export function parseExpression(src: string, override?: string): Expr {
  const at = (pos: Pos): Pos => (override === undefined ? pos : { ...pos, override });
  let tokens: Token[];
  try {
    tokens = tokenize(src);
  } catch (e) {
    if (e instanceof ModelSyntaxError && e.pos) throw new ModelSyntaxError(e.message, at(e.pos));
    throw e;
  }
  for (const t of tokens) t.pos = at(t.pos);
  const prog = parseTokens(tokens);
  if (prog.stmts.length > 0 || !prog.result) {
    throw new ModelSyntaxError('expected a single expression', at({ line: 1, column: 1, offset: 0 }));
  }
  return prog.result;
}
