// Named inputs: `input("seized_gpus_2024")` in a model reads a number (or a list of numbers per period)
// that the caller supplies — evidence aggregates, or `--input name=value` for a what-if. They are
// replaced by their values before the model is checked, so the engine only ever sees numbers.
import type { Expr, Program, Stmt } from './ast.js';
import { ModelError } from './errors.js';
import { suggest } from './suggest.js';

/** Values a model's `input("name")` calls read, by name: a number, or a list of numbers per period. */
export type EstimateInputs = Readonly<Record<string, number | number[]>>;

/** The names a program reads with input(...), each once, in order of first appearance. */
export function inputNames(program: Program): string[] {
  const names = new Set<string>();
  const visit = (e: Expr): void => {
    forEachChild(e, visit);
    if (e.type === 'input') names.add(e.name);
  };
  for (const s of program.stmts) visit(s.expr);
  if (program.result) visit(program.result);
  return [...names];
}

/** The program with every input(...) replaced by its value; a missing or non-finite one is an error there. */
export function resolveInputs(program: Program, inputs: EstimateInputs): Program {
  const known = Object.keys(inputs);
  const resolve = (e: Expr): Expr => {
    if (e.type === 'input') {
      const v = Object.hasOwn(inputs, e.name) ? inputs[e.name] : undefined;
      if (v === undefined) {
        const hint = suggest(e.name, known);
        const supplied = known.length ? `${hint ? `; did you mean ${hint}?` : ''}` : ' (no inputs were supplied)';
        throw new ModelError(
          `input ${e.name} has no value${supplied}; supply it with --input ${e.name}=N or load evidence that has it`,
          e.pos,
        );
      }
      const values = typeof v === 'number' ? [v] : v;
      if (values.some((x) => typeof x !== 'number' || !Number.isFinite(x)))
        throw new ModelError(`input ${e.name} is not a finite number`, e.pos);
      if (typeof v === 'number') return { type: 'num', value: v, pos: e.pos };
      return { type: 'list', items: values.map((value) => ({ type: 'num', value, pos: e.pos })), pos: e.pos };
    }
    return mapChildren(e, resolve);
  };
  const stmts = program.stmts.map((s): Stmt => {
    const expr = resolve(s.expr);
    return s.type === 'let' ? { ...s, expr } : { ...s, expr: expr as Stmt['expr'] & { type: 'call' } };
  });
  return { stmts, result: program.result && resolve(program.result) };
}

function forEachChild(e: Expr, f: (c: Expr) => void): void {
  mapChildren(e, (c) => {
    f(c);
    return c;
  });
}

/** `e` with each direct child replaced by f(child); the same node when nothing changed. */
function mapChildren(e: Expr, f: (c: Expr) => Expr): Expr {
  switch (e.type) {
    case 'unary':
      return { ...e, arg: f(e.arg) };
    case 'binary':
      return { ...e, left: f(e.left), right: f(e.right) };
    case 'call':
      return { ...e, args: e.args.map(f) };
    case 'list':
      return { ...e, items: e.items.map(f) };
    case 'record':
      return { ...e, fields: e.fields.map((x) => ({ ...x, value: f(x.value) })) };
    default:
      return e;
  }
}
