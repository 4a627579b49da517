// Evaluation of one chunk of samples: every statement of the model, vectorised over typed arrays.
// Arithmetic over distributions runs as fused kernels; random call sites draw from their own stream
// for (seed, site, chunk); arrays come from a pool shared with the chunks before and after.
import type { Expr } from '../lang/ast.js';
import type { CheckedModel } from '../lang/analyze.js';
import { ModelError, type Pos } from '../lang/errors.js';
import { QUANTILE_PAIRS } from '../lang/builtins.js';
import { Rng } from '../dist/rng.js';
import { credibleInterval, makeDist, ParameterError, sampleInto, type DistSpec } from '../dist/samplers.js';
import { mix, normaliseWeights, type Component } from '../dist/mixture.js';
import { sampleTruncated, truncateSamples } from '../dist/truncate.js';
import { checkCorrelationMatrix, imanConover } from '../dist/correlate.js';
import { compileKernel, runsFused, type Kernel } from './fusion.js';
import {
  binaryArray,
  binaryScalar,
  countNonFinite,
  extremum,
  unaryArray,
  unaryScalar,
  type BinaryOp,
  type UnaryFn,
} from '../dist/ops.js';

import { CHUNK_SIZE } from '../dist/chunk-size.js';
import { arenaOf, type Arena } from '../wasm/arena.js';

export { CHUNK_SIZE };

interface Sym {
  sym: DistSpec;
  site: string;
}
type Value = number | Float64Array | Sym | Value[] | { [k: string]: Value };

function isSym(v: Value): v is Sym {
  return typeof v === 'object' && v !== null && 'sym' in v && !(v instanceof Float64Array) && !Array.isArray(v);
}

/**
 * Whether every sample of d is finite. The ziggurat never returns |z| > 10.2 (its tail draw is bounded
 * by the smallest uniform, 2^-33), so normal and lognormal parameters can be checked against that.
 */
function alwaysFinite(d: DistSpec): boolean {
  switch (d.type) {
    case 'normal':
      return Math.abs(d.mean) + 11 * d.sd < 1e307;
    case 'lognormal':
      return d.mu + 11 * d.sigma < 709;
    default:
      return true;
  }
}

const dying = new WeakMap<CheckedModel, string[][]>();

/** Distributions by call site (chunk-independent: see ChunkEvaluator.dist()). */
const specs = new WeakMap<Expr, DistSpec>();

/** For each statement, the names no later statement or output reads (from the model's lastUse). */
function dyingAfter(model: CheckedModel): string[][] {
  let d = dying.get(model);
  if (!d) {
    d = model.stmts.map(() => []);
    for (const [name, last] of model.lastUse) d[last]?.push(name);
    dying.set(model, d);
  }
  return d;
}

/** Evaluates the statements of one chunk. */
export class ChunkEvaluator {
  private readonly env = new Map<string, number | Float64Array>();
  private readonly temps = new Set<Float64Array>();

  constructor(
    private readonly model: CheckedModel,
    private readonly seed: number,
    private readonly chunk: number,
    private readonly m: number,
    private readonly inputs: Map<string, Float64Array>,
    private readonly offset: number,
    private readonly kernels: Map<Expr, Kernel>,
    private readonly pool: Float64Array[],
    /** Where new arrays come from while it has room (then the WebAssembly loops apply to them). */
    private readonly arena?: Arena,
  ) {}

  /** Arrays sampled from distributions that cannot produce NaN or ∞ (no need to count). */
  private readonly finiteArrays = new Set<Float64Array>();

  /** Every array this chunk allocated; all are overwritten in full before being read. */
  private readonly allocated: Float64Array[] = [];

  /**
   * This chunk's arrays that nothing reads any more, for its next statements: fewer arrays in all, and
   * so less fresh memory to touch (which is costly, on virtual machines above all).
   */
  private readonly free: Float64Array[] = [];

  /**
   * How many bindings hold each array (a binding may alias another: `b = a`), kept as bindings come
   * and go rather than counted over the environment: a run does this for every statement of every
   * chunk, and garbage from it is fresh memory for the young generation to touch.
   */
  private readonly holders = new Map<Float64Array, number>();

  private bindingsOf(a: Float64Array): number {
    return this.holders.get(a) ?? 0;
  }

  private bind(name: string, v: number | Float64Array): void {
    this.env.set(name, v);
    if (v instanceof Float64Array) this.holders.set(v, this.bindingsOf(v) + 1);
  }

  private unbind(name: string): number | Float64Array | undefined {
    const v = this.env.get(name);
    this.env.delete(name);
    if (v instanceof Float64Array) this.holders.set(v, this.bindingsOf(v) - 1);
    return v;
  }

  /** Hands an array back once no binding refers to it. */
  private recycle(a: Float64Array): void {
    if (!this.allocated.includes(a) || this.free.includes(a) || this.bindingsOf(a) > 0) return;
    this.finiteArrays.delete(a);
    this.free.push(a);
  }

  /** Full-size arrays this chunk took from the pool (a short last chunk uses views of them). */
  private readonly borrowed: Float64Array[] = [];

  /**
   * Returns this chunk's arrays to the pool for the next chunk: all of a full chunk's, and the pool's
   * own arrays that a short chunk borrowed (its new arrays are too short for another chunk).
   */
  release(): void {
    this.pool.push(...(this.m === CHUNK_SIZE ? this.allocated : this.borrowed));
    this.allocated.length = 0;
    this.borrowed.length = 0;
  }

  /** NaN/∞ count of the last fused kernel run, if the last evaluated expression was one. */
  private kernelBad: { expr: Expr; bad: number } | undefined;

  /** Runs e as one fused loop when it is arithmetic over at least one distribution. */
  private fused(e: Expr): Float64Array | undefined {
    if (!runsFused(e, this.model.kinds)) return undefined;
    let k = this.kernels.get(e);
    if (!k) {
      k = compileKernel(e, this.model.kinds);
      this.kernels.set(e, k);
    }
    const out = this.overwritable(e, k.names) ?? this.fresh();
    const args = k.names.map((n) => this.env.get(n)!);
    const arena = this.arena;
    // The WebAssembly kernel when every array is in this run's arena (the same numbers either way).
    const wasm =
      arena &&
      arenaOf(out) === arena &&
      args.every((v, j) => (k!.dist[j] ? v instanceof Float64Array && arenaOf(v) === arena : typeof v === 'number'))
        ? k.wasm()
        : null;
    const bad = wasm
      ? arena!.kernel(wasm.module, wasm.name)(
          out.byteOffset,
          this.m,
          ...args.map((v) => (typeof v === 'number' ? v : v.byteOffset)),
        )
      : k.fn()(out, this.m, ...args);
    this.kernelBad = { expr: e, bad };
    return out;
  }

  /** The statement being run. */
  private current = -1;

  /**
   * An operand array the kernel for e may write its result over: e must be the whole expression of the
   * statement being run (so nothing else reads the operand after it), and the operand a binding this
   * chunk allocated that no later statement, output, input or other binding reads. A kernel reads
   * element i of each operand before it writes element i, so the result is the same; one array fewer
   * is fresh memory not touched.
   */
  private overwritable(e: Expr, names: readonly string[]): Float64Array | undefined {
    const s = this.model.stmts[this.current];
    if (s?.type !== 'let' || s.expr !== e) return undefined;
    for (const name of names) {
      if (this.model.lastUse.get(name) !== this.current || this.inputs.has(name)) continue;
      const a = this.env.get(name);
      if (!(a instanceof Float64Array) || !this.allocated.includes(a) || this.bindingsOf(a) !== 1) continue;
      this.finiteArrays.delete(a);
      this.temps.add(a);
      return a;
    }
    return undefined;
  }

  /** Runs statement i; returns how many NaN/∞ samples it produced. */
  run(i: number): number {
    this.current = i;
    const s = this.model.stmts[i];
    let bad = 0;
    if (s.type === 'let') {
      this.kernelBad = undefined;
      const v = this.materialize(this.eval(s.expr), s.expr.pos);
      if (typeof v === 'number') {
        if (!Number.isFinite(v))
          throw new ModelError(
            `${s.name} is ${v} (for example a division by zero or log of a negative number)`,
            s.expr.pos,
          );
      } else {
        this.temps.delete(v);
        const kb = this.kernelBad as { expr: Expr; bad: number } | undefined; // set by eval() when fused
        bad = kb?.expr === s.expr ? kb.bad : this.finiteArrays.has(v) ? 0 : countNonFinite(v);
      }
      this.bind(s.name, v);
      this.inputs.get(s.name)?.set(v as Float64Array, this.offset);
    } else {
      this.correlate(s.expr);
    }
    // Temporaries of the statement (a mixture's arithmetic component, say) are free again; its value
    // is bound by now, so it stays.
    for (const t of this.temps) this.recycle(t);
    this.temps.clear();
    // Free what no later statement or output reads, unless kept as an input.
    for (const name of dyingAfter(this.model)[i]) {
      if (this.inputs.has(name)) continue;
      const v = this.unbind(name);
      if (v instanceof Float64Array) this.recycle(v);
    }
    return bad;
  }

  private rng(e: Expr): Rng {
    return new Rng(this.seed, this.model.sites.get(e)!, this.chunk);
  }

  private fresh(): Float64Array {
    let a = this.free.pop();
    if (!a) {
      // A short (last) chunk writes into the front of a pooled array: no fresh pages to touch for it.
      const pooled = this.pool.pop();
      if (pooled) this.borrowed.push(pooled);
      a = pooled
        ? pooled.length === this.m
          ? pooled
          : pooled.subarray(0, this.m)
        : (this.arena?.alloc(this.m) ?? new Float64Array(this.m));
      this.allocated.push(a);
    }
    this.temps.add(a);
    return a;
  }

  /** Where to write a result: a temporary operand's own array, or a new one. */
  private target(...xs: (number | Float64Array)[]): Float64Array {
    for (const x of xs) {
      if (x instanceof Float64Array && this.temps.has(x)) {
        this.finiteArrays.delete(x); // overwritten by an operation that may give NaN or ∞
        return x;
      }
    }
    return this.fresh();
  }

  materialize(v: Value, pos: Pos): number | Float64Array {
    if (typeof v === 'number' || v instanceof Float64Array) return v;
    if (isSym(v)) {
      const out = this.fresh();
      sampleInto(v.sym, new Rng(this.seed, v.site, this.chunk), out);
      if (alwaysFinite(v.sym)) this.finiteArrays.add(out);
      return out;
    }
    throw new ModelError('expected a number or a distribution here', pos);
  }

  eval(e: Expr): Value {
    const fused = this.fused(e);
    if (fused) return fused;
    switch (e.type) {
      case 'num':
        return e.value;
      case 'ident':
        return this.env.get(e.name)!;
      case 'list':
        return e.items.map((x) => this.eval(x));
      case 'record':
        return Object.fromEntries(e.fields.map((f) => [f.key, this.eval(f.value)]));
      case 'unary':
        return this.unary('neg', this.materialize(this.eval(e.arg), e.arg.pos));
      case 'binary': {
        if (e.op === 'to') {
          return this.dist(e, () => credibleInterval(this.eval(e.left) as number, this.eval(e.right) as number));
        }
        const a = this.materialize(this.eval(e.left), e.left.pos);
        const b = this.materialize(this.eval(e.right), e.right.pos);
        const op: BinaryOp = e.op;
        if (typeof a === 'number' && typeof b === 'number') return binaryScalar(op, a, b);
        return binaryArray(op, a, b, this.target(a, b));
      }
      case 'call':
        return this.call(e);
      case 'input': // replaced by its value before checking (lang/inputs.ts)
        throw new ModelError(`input ${e.name} has no value`, e.pos);
    }
  }

  private unary(fn: UnaryFn, x: number | Float64Array): number | Float64Array {
    return typeof x === 'number' ? unaryScalar(fn, x) : unaryArray(fn, x, this.target(x));
  }

  /**
   * The distribution of a random call site, from its (numeric) arguments. They are the same in every
   * chunk (numbers in a model are constants), so the checked parameters are made once per site.
   */
  private dist(e: Expr, make: () => DistSpec): Sym {
    let spec = specs.get(e);
    if (!spec) {
      spec = this.param(e.pos, make);
      specs.set(e, spec);
    }
    return { sym: spec, site: this.model.sites.get(e)! };
  }

  private param<T>(pos: Pos, f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof ParameterError) throw new ModelError(err.message, pos);
      throw err;
    }
  }

  private call(e: Expr & { type: 'call' }): Value {
    const name = e.callee;
    switch (name) {
      case 'normal':
      case 'lognormal':
      case 'uniform':
      case 'beta':
      case 'triangular':
      case 'pointMass': {
        const first = e.args[0];
        return this.dist(e, () => {
          if (first.type === 'record') {
            const rec = this.eval(first) as Record<string, number>;
            const [lo, hi, p] = QUANTILE_PAIRS.find(([l]) => l in rec)!;
            return makeDist(name, [], { lo: rec[lo], hi: rec[hi], p });
          }
          return makeDist(
            name,
            e.args.map((a) => this.eval(a) as number),
          );
        });
      }
      case 'exp':
      case 'log':
      case 'log10':
      case 'sqrt':
      case 'abs':
        return this.unary(name, this.materialize(this.eval(e.args[0]), e.args[0].pos));
      case 'min':
      case 'max': {
        let acc = this.materialize(this.eval(e.args[0]), e.args[0].pos);
        for (const arg of e.args.slice(1)) {
          const x = this.materialize(this.eval(arg), arg.pos);
          acc =
            typeof acc === 'number' && typeof x === 'number'
              ? name === 'max'
                ? Math.max(acc, x)
                : Math.min(acc, x)
              : extremum(name === 'max', acc, x, this.target(acc, x));
        }
        return acc;
      }
      case 'mx':
        return this.mixture(e);
      case 'truncate': {
        const [d, lo, hi] = [this.eval(e.args[0]), this.eval(e.args[1]) as number, this.eval(e.args[2]) as number];
        const out = this.fresh();
        this.param(e.pos, () => {
          if (isSym(d)) sampleTruncated(d.sym, lo, hi, this.rng(e), out);
          else {
            const x = this.materialize(d, e.args[0].pos);
            if (typeof x === 'number') out.fill(x);
            else out.set(x);
            truncateSamples(out, lo, hi, this.rng(e));
          }
        });
        return out;
      }
    }
    throw new ModelError(`unknown function ${name}`, e.pos);
  }

  private mixture(e: Expr & { type: 'call' }): Float64Array {
    const last = e.args[e.args.length - 1];
    const compExprs = last.type === 'list' ? e.args.slice(0, -1) : e.args;
    const weights = this.param(last.pos, () =>
      normaliseWeights(last.type === 'list' ? (this.eval(last) as number[]) : undefined, compExprs.length),
    );
    const components: Component[] = compExprs.map((x) => {
      const v = this.eval(x);
      if (isSym(v)) return { spec: v.sym, rng: new Rng(this.seed, v.site, this.chunk) };
      return this.materialize(v, x.pos);
    });
    const out = this.fresh();
    const choice = this.fresh();
    this.temps.delete(choice); // scratch, not an operand
    mix(components, weights, this.rng(e), out, choice);
    const inputName = this.model.mixtureInputs.get(e);
    if (inputName) this.inputs.get(inputName)?.set(choice, this.offset);
    this.recycle(choice);
    return out;
  }

  private correlate(e: Expr & { type: 'call' }): void {
    const names = (e.args[0] as Expr & { type: 'list' }).items.map((x) => (x as Expr & { type: 'ident' }).name);
    const matrix = this.eval(e.args[1]) as number[][];
    this.param(e.args[1].pos, () => checkCorrelationMatrix(matrix));
    const columns = names.map((n) => this.env.get(n) as Float64Array);
    imanConover(columns, matrix, this.rng(e));
    names.forEach((n, i) => {
      this.inputs.get(n)?.set(columns[i], this.offset);
    });
  }
}
