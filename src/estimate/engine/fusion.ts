// Fused elementwise kernels. A maximal arithmetic subtree (numbers, names, + - * / ^, unary minus and
// the math functions) over at least one distribution compiles to one JavaScript loop, so
// `a * b / (c + d)` makes one pass and no temporary arrays, and the loop also counts NaN/∞ results.
// The generated source contains only fixed tokens, numeric literals (finite numbers, printed by
// JSON.stringify) and parameter names v0, v1, ...: nothing from the model's text is ever spliced in.
import { walk, type Expr } from '../lang/ast.js';
import type { StaticKind } from '../lang/analyze.js';
import { encodeKernel, encodeKernels } from '../wasm/kernel.js';
import type { CheckedModel } from '../lang/analyze.js';

export type KernelFn = (out: Float64Array, m: number, ...vars: (number | Float64Array)[]) => number;

/** Where a kernel's WebAssembly function is: a module (instantiated once per arena) and its export. */
export interface WasmKernelRef {
  module: WebAssembly.Module;
  name: string;
}

export interface Kernel {
  /** The generated JavaScript source, which determines the kernel. */
  src: string;
  /** The JavaScript loop, compiled on first use (runs in a WebAssembly arena never need it). */
  fn(): KernelFn;
  /** Names read by the kernel, in parameter order. */
  names: string[];
  /** Whether each name is a distribution (an array; otherwise a number). */
  dist: boolean[];
  /** The same kernel in WebAssembly (wasm/kernel.ts), compiled on first use; null if it cannot be. */
  wasm(): WasmKernelRef | null;
}

/**
 * Compiled kernels by their generated source, which determines them: a model run many times (the
 * server, scenarios, the benchmark) reuses the functions and modules, already optimised.
 */
const cache = new Map<string, { fn?: KernelFn; wasm?: WebAssembly.Module | null }>();
const CACHE_LIMIT = 1000;

const MATH: Record<string, string> = {
  exp: 'Math.exp',
  log: 'Math.log',
  log10: 'Math.log10',
  sqrt: 'Math.sqrt',
  abs: 'Math.abs',
  min: 'Math.min',
  max: 'Math.max',
};

/** True when e is arithmetic over names and numbers only (no random call sites). */
export function isFusible(e: Expr): boolean {
  switch (e.type) {
    case 'num':
    case 'ident':
      return true;
    case 'unary':
      return isFusible(e.arg);
    case 'binary':
      return e.op !== 'to' && isFusible(e.left) && isFusible(e.right);
    case 'call':
      return e.callee in MATH && e.args.every(isFusible);
    default:
      return false;
  }
}

/**
 * Whether the chunk evaluator runs e as one fused kernel: arithmetic over at least one distribution,
 * and not a bare name (that is its binding's array already; a kernel would only copy it).
 */
export function runsFused(e: Expr, kinds: ReadonlyMap<string, StaticKind>): boolean {
  return e.type !== 'ident' && isFusible(e) && readsDistribution(e, kinds);
}

/** True when a fusible expression reads at least one distribution (otherwise it is a scalar). */
export function readsDistribution(e: Expr, kinds: ReadonlyMap<string, StaticKind>): boolean {
  switch (e.type) {
    case 'ident':
      return kinds.get(e.name) === 'dist';
    case 'unary':
      return readsDistribution(e.arg, kinds);
    case 'binary':
      return readsDistribution(e.left, kinds) || readsDistribution(e.right, kinds);
    case 'call':
      return e.args.some((a) => readsDistribution(a, kinds));
    default:
      return false;
  }
}

export function compileKernel(e: Expr, kinds: ReadonlyMap<string, StaticKind>): Kernel {
  const names: string[] = [];
  const param = (name: string) => {
    let k = names.indexOf(name);
    if (k < 0) k = names.push(name) - 1;
    return `v${k}`;
  };
  const emit = (x: Expr): string => {
    switch (x.type) {
      case 'num':
        if (!Number.isFinite(x.value)) throw new Error('non-finite literal');
        return `(${JSON.stringify(x.value)})`;
      case 'ident':
        return kinds.get(x.name) === 'dist' ? `${param(x.name)}[i]` : param(x.name);
      case 'unary':
        return `(-${emit(x.arg)})`;
      case 'binary':
        if (x.op === '^') return `Math.pow(${emit(x.left)}, ${emit(x.right)})`;
        if (x.op === 'to') throw new Error('not fusible');
        return `(${emit(x.left)} ${x.op} ${emit(x.right)})`;
      case 'call':
        return `${MATH[x.callee]}(${x.args.map(emit).join(', ')})`;
      default:
        throw new Error('not fusible');
    }
  };
  const body = emit(e);
  const params = names.map((_, k) => `v${k}`).join(', ');
  // r - r is 0 for finite r and NaN for NaN and ±Infinity.
  const src = `"use strict"; return function kernel(out, m${params ? ', ' + params : ''}) {
    let bad = 0;
    for (let i = 0; i < m; i++) { const r = ${body}; out[i] = r; if (r - r !== 0) bad++; }
    return bad;
  };`;
  let entry = cache.get(src);
  if (!entry) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    entry = {};
    cache.set(src, entry);
  }
  const compiled = entry;
  return {
    src,
    fn: () => (compiled.fn ??= new Function(src)() as KernelFn),
    names,
    dist: names.map((n) => kinds.get(n) === 'dist'),
    wasm() {
      if (compiled.wasm === undefined) compiled.wasm = compileModule(() => encodeKernel(e, names, kinds));
      return compiled.wasm && { module: compiled.wasm, name: 'k0' };
    },
  };
}

/** Merged kernel modules by their kernels' sources (see compileKernels). */
const merged = new Map<string, WebAssembly.Module | null>();

function compileModule(bytes: () => Uint8Array): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(bytes() as Uint8Array<ArrayBuffer>); // (the DOM lib asks for ArrayBuffer)
  } catch {
    return null; // the JavaScript kernel does the same work
  }
}

/**
 * The model's fused kernels, found before it runs (fusedRoots), keyed by expression. Their
 * WebAssembly functions share one module, compiled when the first is wanted: V8 spends about as much
 * on setting up each module as on compiling a kernel, so one module for all saves most of a cold
 * run's kernel compilation.
 */
export function compileKernels(model: CheckedModel): Map<Expr, Kernel> {
  const roots = fusedRoots(model);
  const kernels = roots.map((e) => compileKernel(e, model.kinds));
  let module: WebAssembly.Module | null | undefined;
  kernels.forEach((k, i) => {
    const single = k.wasm;
    k.wasm = () => {
      if (module === undefined) {
        const key = kernels.map((x) => x.src).join('\n');
        module = merged.get(key);
        if (module === undefined) {
          if (merged.size >= CACHE_LIMIT) merged.clear();
          module = compileModule(() =>
            encodeKernels(
              roots.map((e, j) => ({ e, names: kernels[j].names })),
              model.kinds,
            ),
          );
          merged.set(key, module);
        }
      }
      return module ? { module, name: `k${i}` } : single(); // one that cannot be encoded: each on its own
    };
  });
  return new Map(roots.map((e, i) => [e, kernels[i]]));
}

/**
 * The expressions the chunk evaluator runs as fused kernels: the largest arithmetic subtrees over at
 * least one distribution, as ChunkEvaluator.eval() meets them (it tries to fuse every expression
 * before evaluating its parts).
 */
export function fusedRoots(model: CheckedModel): Expr[] {
  const roots: Expr[] = [];
  const visit = (e: Expr) =>
    walk(e, (x) => {
      if (!runsFused(x, model.kinds)) return true;
      roots.push(x);
      return false; // its parts run inside it
    });
  for (const s of model.stmts) visit(s.expr);
  for (const o of model.outputs) visit(o.expr);
  return roots;
}
