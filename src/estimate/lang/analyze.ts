// Static checks before any sampling: names defined before use (with suggestions), no reassignment,
// arities, which values are numbers or distributions, `correlate` rules. It also names every random
// call site (its stream key) and finds the model's inputs for sensitivity analysis. `observe(...)`
// statements leave the statement list: their sum becomes the hidden output OBSERVE_OUTPUT, the log-weight
// of each sample that engine/posterior.ts resamples by.
import { walk, type Expr, type Program, type Stmt } from './ast.js';
import { BUILTINS, builtin, QUANTILE_PAIRS } from './builtins.js';
import { ModelError } from './errors.js';
import { suggest } from './suggest.js';

export type StaticKind = 'number' | 'dist' | 'list' | 'record';

export interface OutputSpec {
  name: string;
  expr: Expr;
}

export interface CheckedModel {
  stmts: Stmt[];
  outputs: OutputSpec[];
  /** Random call sites (distribution constructors, `to`, mx, truncate, correlate) → stream key. */
  sites: Map<Expr, string>;
  /** Bindings whose randomness is their own (they reference no other random binding). */
  inputs: string[];
  /** mx call sites whose component choice is reported as a sensitivity input, by name. */
  mixtureInputs: Map<Expr, string>;
  /** For each binding, the index of the last statement that reads it (stmts.length = the outputs). */
  lastUse: Map<string, number>;
  /** Whether each binding is a number or a distribution. */
  kinds: Map<string, StaticKind>;
  /** Whether the model has observe(...) statements (its last output is then OBSERVE_OUTPUT). */
  observed: boolean;
}

/** The hidden output holding each sample's log-likelihood: the sum of the model's observe(...) arguments. */
export const OBSERVE_OUTPUT = '$observe';

const RESULT_SCOPE = '$result';

export function analyze(source: Program): CheckedModel {
  // observe(...) statements are checked where they stand (with the names defined above them) but are not
  // run as statements: each records `after`, the index of the remaining statement it follows (-1: none).
  const isObserve = (s: Stmt) => s.type === 'do' && s.expr.callee === 'observe';
  const program: Program = { stmts: source.stmts.filter((s) => !isObserve(s)), result: source.result };
  const observations: { call: Expr & { type: 'call' }; after: number }[] = [];
  let kept = -1;
  for (const s of source.stmts) {
    if (isObserve(s)) observations.push({ call: s.expr as Expr & { type: 'call' }, after: kept });
    else kept++;
  }
  const observed: Expr[] = [];
  const kinds = new Map<string, StaticKind>();
  const definedAt = new Map<string, Expr | Stmt>();
  const randomDeps = new Map<string, Set<string>>();
  const lastUse = new Map<string, number>();
  const sites = new Map<Expr, string>();
  const mixtureInputs = new Map<Expr, string>();
  const inputs: string[] = [];
  const correlated = new Set<string>();
  const allNames = new Set(program.stmts.flatMap((s) => (s.type === 'let' ? [s.name] : [])));

  // Kind of an expression; records names read and random sites, in source order.
  const check = (e: Expr, scope: string, at: number, reads: Set<string>): StaticKind => {
    switch (e.type) {
      case 'num':
        if (!Number.isFinite(e.value)) throw new ModelError('this number is too large', e.pos);
        return 'number';
      case 'ident': {
        const k = kinds.get(e.name);
        if (!k) throw unknownName(e, allNames.has(e.name), [...kinds.keys()]);
        reads.add(e.name);
        lastUse.set(e.name, at);
        return k;
      }
      case 'unary':
        return arithmetic(check(e.arg, scope, at, reads), 'number', e);
      case 'binary': {
        const l = check(e.left, scope, at, reads);
        const r = check(e.right, scope, at, reads);
        if (e.op === 'to') {
          requireNumber(l, e.left, 'the low end of `to`');
          requireNumber(r, e.right, 'the high end of `to`');
          site(e, scope);
          return 'dist';
        }
        return arithmetic(l, r, e);
      }
      case 'list':
        e.items.forEach((x) => {
          check(x, scope, at, reads);
        });
        return 'list';
      case 'record':
        e.fields.forEach((f) => {
          check(f.value, scope, at, reads);
        });
        return 'record';
      case 'call':
        return checkCall(e, scope, at, reads);
      case 'input':
        throw new ModelError(`input ${e.name} has no value`, e.pos);
    }
  };

  const site = (e: Expr, scope: string) => {
    const n = [...sites.values()].filter((k) => k.startsWith(scope + '#')).length;
    sites.set(e, `${scope}#${n}`);
  };

  const checkCall = (e: Expr & { type: 'call' }, scope: string, at: number, reads: Set<string>): StaticKind => {
    const fn = builtin(e.callee);
    if (!fn) {
      const hint = suggest(e.callee, Object.keys(BUILTINS));
      const isName = kinds.has(e.callee) ? ` (${e.callee} is a value, not a function)` : '';
      throw new ModelError(`unknown function ${e.callee}${isName}${hint ? `; did you mean ${hint}?` : ''}`, e.pos);
    }
    const n = e.args.length;
    if (n < fn.minArgs || n > fn.maxArgs) {
      const want =
        fn.minArgs === fn.maxArgs
          ? `${fn.minArgs}`
          : fn.maxArgs === Infinity
            ? `at least ${fn.minArgs}`
            : `${fn.minArgs} or ${fn.maxArgs}`;
      throw new ModelError(
        `${e.callee} takes ${want} argument${want === '1' ? '' : 's'}, got ${n}: ${fn.usage}`,
        e.pos,
      );
    }
    if (fn.kind === 'correlate' || fn.kind === 'observe')
      throw new ModelError(`${e.callee}(...) must stand on its own line, not inside an expression`, e.pos);
    const argKinds = e.args.map((a) => check(a, scope, at, reads));
    switch (fn.kind) {
      case 'dist':
        if (n === 1 && (e.callee === 'normal' || e.callee === 'lognormal')) {
          checkQuantileRecord(e.args[0], e.callee);
        } else {
          argKinds.forEach((k, i) => {
            requireNumber(k, e.args[i], `argument ${i + 1} of ${e.callee}`);
          });
        }
        site(e, scope);
        return 'dist';
      case 'math':
        return argKinds.reduce((acc, k, i) => arithmetic(acc, k, e.args[i]), 'number' as StaticKind);
      case 'mixture': {
        const last = e.args[n - 1];
        const comps = last.type === 'list' ? n - 1 : n;
        if (comps === 0) throw new ModelError('mx needs at least one distribution before its weights', e.pos);
        if (last.type === 'list') {
          if (last.items.length !== comps)
            throw new ModelError(`mx has ${comps} components but ${last.items.length} weights`, last.pos);
          last.items.forEach((w) => {
            requireNumber(check(w, scope, at, reads), w, 'a mixture weight');
          });
        }
        for (let i = 0; i < comps; i++) {
          if (argKinds[i] === 'list' || argKinds[i] === 'record')
            throw new ModelError(
              'mx components must be distributions or numbers; weights go in one list at the end',
              e.args[i].pos,
            );
        }
        site(e, scope);
        return 'dist';
      }
      case 'truncate':
        if (argKinds[0] === 'list' || argKinds[0] === 'record')
          throw new ModelError('truncate needs a distribution as its first argument', e.args[0].pos);
        requireNumber(argKinds[1], e.args[1], 'the low bound of truncate');
        requireNumber(argKinds[2], e.args[2], 'the high bound of truncate');
        site(e, scope);
        return 'dist';
    }
  };

  // An observation reads the bindings above it and, as an output, keeps them alive to the end.
  const checkObservation = (call: Expr & { type: 'call' }): void => {
    if (call.args.length !== 1)
      throw new ModelError(`observe takes 1 argument, got ${call.args.length}: ${BUILTINS.observe.usage}`, call.pos);
    const scope = `$observe#${observed.length}`;
    const kind = check(call.args[0], scope, program.stmts.length, new Set());
    if (kind === 'list' || kind === 'record')
      throw new ModelError(`observe needs a number or a distribution, not a ${kind}`, call.args[0].pos);
    if ([...sites.values()].some((k) => k.startsWith(scope + '#')))
      throw new ModelError(
        'observe(...) weighs the samples the model already has; bind any distribution it needs first',
        call.args[0].pos,
      );
    observed.push(call.args[0]);
  };
  const observeAfter = (j: number) => {
    for (const o of observations) if (o.after === j) checkObservation(o.call);
  };
  program.stmts.forEach((s, at) => {
    observeAfter(at - 1);
    if (s.type === 'do') {
      checkCorrelate(s.expr, at);
      return;
    }
    const prior = definedAt.get(s.name);
    if (prior)
      throw new ModelError(`${s.name} is already defined on line ${prior.pos.line}; choose another name`, s.pos);
    if (builtin(s.name) || s.name === 'to')
      throw new ModelError(`${s.name} is a built-in function and cannot be redefined`, s.pos);
    const reads = new Set<string>();
    const kind = check(s.expr, s.name, at, reads);
    if (kind === 'list' || kind === 'record') {
      // Lists are only meaningful as arguments (weights, matrices); keep bindings to numbers and dists.
      throw new ModelError(`${s.name} must be a number or a distribution, not a ${kind}`, s.expr.pos);
    }
    kinds.set(s.name, kind);
    definedAt.set(s.name, s);
    const deps = new Set<string>();
    for (const r of reads) if (kinds.get(r) === 'dist') deps.add(r);
    randomDeps.set(s.name, deps);
    if (kind === 'dist' && deps.size === 0) inputs.push(s.name);
    walk(s.expr, (x) => {
      if (x.type === 'call' && x.callee === 'mx' && sites.has(x)) {
        const suffix = [...mixtureInputs.values()].filter((v) => v.startsWith(s.name + ' component')).length;
        mixtureInputs.set(x, `${s.name} component${suffix ? ' ' + (suffix + 1) : ''}`);
      }
    });
  });

  observeAfter(program.stmts.length - 1);

  function checkCorrelate(e: Expr & { type: 'call' }, at: number): void {
    const fn = BUILTINS.correlate;
    if (e.args.length !== 2)
      throw new ModelError(`correlate takes 2 arguments, got ${e.args.length}: ${fn.usage}`, e.pos);
    const [names, matrix] = e.args;
    if (names.type !== 'list' || names.items.length < 2)
      throw new ModelError(
        'the first argument of correlate is a list of at least two input names, like [a, b]',
        names.pos,
      );
    for (const item of names.items) {
      if (item.type !== 'ident') throw new ModelError('correlate takes names of inputs, not expressions', item.pos);
      if (!kinds.has(item.name)) throw unknownName(item, allNames.has(item.name), [...kinds.keys()]);
      if (!inputs.includes(item.name))
        throw new ModelError(
          `${item.name} is not an input distribution (it depends on other distributions), so it cannot be correlated`,
          item.pos,
        );
      if (correlated.has(item.name))
        throw new ModelError(`${item.name} is already correlated by an earlier correlate(...)`, item.pos);
      if (lastUse.has(item.name)) {
        throw new ModelError(
          `${item.name} is used on line ${lineOf(item.name)} before this correlate(...); correlate inputs before ` +
            `using them`,
          item.pos,
        );
      }
      correlated.add(item.name);
    }
    if (new Set(names.items.map((x) => (x as { name: string }).name)).size !== names.items.length)
      throw new ModelError('correlate lists the same input twice', names.pos);
    const k = names.items.length;
    if (
      matrix.type !== 'list' ||
      matrix.items.length !== k ||
      matrix.items.some((r) => r.type !== 'list' || r.items.length !== k)
    ) {
      throw new ModelError(
        `the correlation matrix must be ${k}×${k}, written as a list of ${k} lists of ${k} numbers`,
        matrix.pos,
      );
    }
    const reads = new Set<string>();
    for (const row of matrix.items) {
      for (const x of (row as Expr & { type: 'list' }).items) {
        requireNumber(check(x, '$correlate', at, reads), x, 'a correlation');
      }
    }
    sites.set(e, `$correlate#${at}`);
    // Reading the inputs here is not a "use" that forbids correlation, but it keeps them alive.
    for (const item of names.items) lastUse.set((item as { name: string }).name, at);
  }

  function lineOf(name: string): number {
    const at = lastUse.get(name)!;
    return program.stmts[at]?.pos.line ?? 0;
  }

  const outputs = resultOutputs(program, (e) => check(e, RESULT_SCOPE, program.stmts.length, new Set()));
  if (observed.length > 0) {
    const sum = observed.reduce((a, b): Expr => ({ type: 'binary', op: '+', left: a, right: b, pos: a.pos }));
    outputs.push({ name: OBSERVE_OUTPUT, expr: sum });
  }
  const checked = { stmts: program.stmts, outputs, sites, inputs, mixtureInputs, lastUse, kinds };
  return { ...checked, observed: observed.length > 0 };
}

function resultOutputs(program: Program, check: (e: Expr) => StaticKind): OutputSpec[] {
  const r = program.result;
  if (!r)
    throw new ModelError('a model must end with a record naming its outputs, like {smuggled, share}', {
      line: 1,
      column: 1,
      offset: 0,
    });
  const fields =
    r.type === 'record' ? r.fields.map((f) => ({ name: f.key, expr: f.value })) : [{ name: 'result', expr: r }];
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new ModelError(`output ${f.name} is named twice`, f.expr.pos);
    seen.add(f.name);
    const k = check(f.expr);
    if (k === 'list' || k === 'record')
      throw new ModelError(`output ${f.name} must be a number or a distribution, not a ${k}`, f.expr.pos);
  }
  if (fields.length === 0) throw new ModelError('the output record is empty', r.pos);
  return fields;
}

function arithmetic(a: StaticKind, b: StaticKind, at: Expr): StaticKind {
  for (const k of [a, b])
    if (k === 'list' || k === 'record') throw new ModelError(`cannot do arithmetic on a ${k}`, at.pos);
  return a === 'dist' || b === 'dist' ? 'dist' : 'number';
}

function requireNumber(k: StaticKind, at: Expr, what: string): void {
  if (k !== 'number') {
    const hint = k === 'dist' ? ' (distribution parameters must be fixed numbers)' : '';
    throw new ModelError(`${what} must be a number, not a ${k === 'dist' ? 'distribution' : k}${hint}`, at.pos);
  }
}

function checkQuantileRecord(arg: Expr, fn: string): void {
  if (arg.type !== 'record')
    throw new ModelError(`${fn} with one argument takes a record like {p5: 10, p95: 100}`, arg.pos);
  const keys = arg.fields
    .map((f) => f.key)
    .sort()
    .join(',');
  const ok = QUANTILE_PAIRS.some(([lo, hi]) => [lo, hi].sort().join(',') === keys);
  if (!ok)
    throw new ModelError(
      `${fn}({...}) takes exactly one pair of quantiles: {p5, p95}, {p10, p90} or {p25, p75}`,
      arg.pos,
    );
  for (const f of arg.fields)
    if (f.value.type === 'list' || f.value.type === 'record')
      throw new ModelError(`${f.key} must be a number`, f.value.pos);
}

function unknownName(e: Expr & { type: 'ident' }, definedLater: boolean, known: string[]): ModelError {
  if (definedLater) return new ModelError(`${e.name} is used before it is defined; move its definition up`, e.pos);
  if (builtin(e.name))
    return new ModelError(`${e.name} is a function; call it with arguments: ${BUILTINS[e.name].usage}`, e.pos);
  const hint = suggest(e.name, [...known, ...Object.keys(BUILTINS)]);
  return new ModelError(`unknown name ${e.name}${hint ? `; did you mean ${hint}?` : ''}`, e.pos);
}
