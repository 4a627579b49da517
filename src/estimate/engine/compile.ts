// Source text → checked model, with scenario overrides (`--set name=EXPR`) applied to bindings and named
// inputs (`input("name")`) replaced by the values the caller supplies.
import type { Program } from '../lang/ast.js';
import { analyze, type CheckedModel } from '../lang/analyze.js';
import { ModelError } from '../lang/errors.js';
import { parseExpression, parseProgram } from '../lang/parser.js';
import { suggest } from '../lang/suggest.js';
import { schedule } from '../lang/schedule.js';
import { inputNames, resolveInputs, type EstimateInputs } from '../lang/inputs.js';

export function parse(source: string): Program {
  return parseProgram(source);
}

/**
 * Replaces the expressions of named bindings. An error in an override names it (field `set.NAME`, the
 * column in its expression), not a line of the model: the user wrote it as an argument.
 */
export function applyOverrides(program: Program, overrides: Readonly<Record<string, string>>): Program {
  const stmts = [...program.stmts];
  for (const [name, exprSource] of Object.entries(overrides)) {
    const at = stmts.findIndex((s) => s.type === 'let' && s.name === name);
    if (at < 0) {
      const hint = suggest(
        name,
        stmts.flatMap((s) => (s.type === 'let' ? [s.name] : [])),
      );
      const message = `the model has no binding named ${name}${hint ? `; did you mean ${hint}?` : ''}`;
      throw new ModelError(message, undefined, `set.${name}`);
    }
    stmts[at] = { type: 'let', name, expr: parseExpression(exprSource, name), pos: stmts[at].pos };
  }
  return { stmts, result: program.result };
}

/** The checked model, its statements in evaluation order (lang/schedule.ts). */
export function compile(
  source: string,
  overrides: Readonly<Record<string, string>> = {},
  inputs: EstimateInputs = {},
): CheckedModel {
  const parsed = parse(source);
  const program = Object.keys(overrides).length ? applyOverrides(parsed, overrides) : parsed;
  return schedule(analyze(inputNames(program).length ? resolveInputs(program, inputs) : program));
}

/** The inputs a model reads with input("name") (after overrides, which may add or remove some). */
export function modelInputs(source: string, overrides: Readonly<Record<string, string>> = {}): string[] {
  const parsed = parse(source);
  return inputNames(Object.keys(overrides).length ? applyOverrides(parsed, overrides) : parsed);
}
