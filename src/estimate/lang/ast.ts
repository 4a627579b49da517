// The syntax tree of a model. Every node keeps the position of its first character.
import type { Pos } from './errors.js';

export type Expr =
  | { type: 'num'; value: number; pos: Pos }
  | { type: 'ident'; name: string; pos: Pos }
  | { type: 'unary'; op: '-'; arg: Expr; pos: Pos }
  | { type: 'binary'; op: '+' | '-' | '*' | '/' | '^' | 'to'; left: Expr; right: Expr; pos: Pos }
  | { type: 'call'; callee: string; args: Expr[]; pos: Pos }
  /** `input("name")`: a number (or list) the caller supplies; replaced by its value before checking. */
  | { type: 'input'; name: string; pos: Pos }
  | { type: 'list'; items: Expr[]; pos: Pos }
  | { type: 'record'; fields: RecordField[]; pos: Pos };

export interface RecordField {
  key: string;
  value: Expr;
  pos: Pos;
}

export type Stmt =
  | { type: 'let'; name: string; expr: Expr; pos: Pos }
  /** A bare call used as a statement; only `correlate(...)` and `observe(...)` are allowed there. */
  | { type: 'do'; expr: Expr & { type: 'call' }; pos: Pos };

export interface Program {
  stmts: Stmt[];
  /** The final expression (normally a record naming the outputs). */
  result: Expr | undefined;
}

/** Visits `e` and its sub-expressions in source order; a visit that returns false skips the node's own. */
export function walk(e: Expr, visit: (e: Expr) => unknown): void {
  if (visit(e) === false) return;
  switch (e.type) {
    case 'unary':
      walk(e.arg, visit);
      break;
    case 'binary':
      walk(e.left, visit);
      walk(e.right, visit);
      break;
    case 'call':
      e.args.forEach((a) => {
        walk(a, visit);
      });
      break;
    case 'list':
      e.items.forEach((a) => {
        walk(a, visit);
      });
      break;
    case 'record':
      e.fields.forEach((f) => {
        walk(f.value, visit);
      });
      break;
  }
}
