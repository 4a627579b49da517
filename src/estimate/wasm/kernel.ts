// Fused kernels as WebAssembly. The same arithmetic as kernel.ts's JavaScript loop, encoded straight to
// a small module: one function (out, m, v0, v1, ...) → NaN/∞ count, where a distribution operand is a
// pointer into the arena and a number operand is an f64. WebAssembly's + − × ÷, sqrt, abs, min, max and
// neg are IEEE 754 operations as JavaScript's are, and exp, log, log10 and pow are imported from Math
// itself, so each sample is bit-identical to the JavaScript kernel's. Kernels without imported calls
// run two samples per instruction (f64x2 SIMD). What it saves over JavaScript is warm-up as much as
// speed: a new JavaScript kernel starts in the interpreter, boxing every double, for a good part of a
// short run.
import type { Expr } from '../lang/ast.js';
import type { StaticKind } from '../lang/analyze.js';

const IMPORTED = ['exp', 'log', 'log10', 'pow'] as const;
type Imported = (typeof IMPORTED)[number];

const enc = new TextEncoder();

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function f64(x: number): number[] {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setFloat64(0, x, true);
  return [...b];
}

const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
const str = (s: string) => vec([...enc.encode(s)].map((b) => [b]));
const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
/** SIMD instructions: the 0xfd prefix and their LEB128 numbers (f64x2 lanes; memarg align 2^4). */
const SIMD = {
  load: [0xfd, 0x00, 4, 0], store: [0xfd, 0x0b, 4, 0], splat: [0xfd, 0x14], ne: [0xfd, 0x48],
  abs: [0xfd, 0xec, 0x01], neg: [0xfd, 0xed, 0x01], sqrt: [0xfd, 0xef, 0x01], add: [0xfd, 0xf0, 0x01], sub: [0xfd, 0xf1, 0x01],
  mul: [0xfd, 0xf2, 0x01], div: [0xfd, 0xf3, 0x01], min: [0xfd, 0xf4, 0x01], max: [0xfd, 0xf5, 0x01], bitmask: [0xfd, 0xc4, 0x01],
} as const;
const SIMD_BINARY: Record<string, readonly number[]> = { '+': SIMD.add, '-': SIMD.sub, '*': SIMD.mul, '/': SIMD.div };
const OP = {
  block: 0x02, loop: 0x03, br: 0x0c, brIf: 0x0d, end: 0x0b, call: 0x10,
  localGet: 0x20, localSet: 0x21, i32Const: 0x41, f64Const: 0x44,
  f64Load: 0x2b, f64Store: 0x39, i32GeU: 0x4f, i32GtU: 0x4b, i32Add: 0x6a, i32Shl: 0x74, i32Popcnt: 0x69, f64Ne: 0x62,
  f64Abs: 0x99, f64Neg: 0x9a, f64Sqrt: 0x9f, f64Add: 0xa0, f64Sub: 0xa1, f64Mul: 0xa2, f64Div: 0xa3, f64Min: 0xa4, f64Max: 0xa5,
} as const;
const BINARY: Record<string, number> = { '+': OP.f64Add, '-': OP.f64Sub, '*': OP.f64Mul, '/': OP.f64Div };
const UNARY: Record<string, number> = { sqrt: OP.f64Sqrt, abs: OP.f64Abs };

/** A fused kernel to encode: its expression and its operands (in parameter order, as kernel.ts numbers them). */
export interface KernelSource {
  e: Expr;
  names: readonly string[];
}

/**
 * One module holding a kernel function for each source, exported as "k0", "k1", …: a model's kernels
 * compile and instantiate once, not one module each (V8 spends ~0.7 ms on every module, more than on
 * the code in it). Imports env.memory and the Math functions the kernels call.
 */
export function encodeKernels(sources: readonly KernelSource[], kinds: ReadonlyMap<string, StaticKind>): Uint8Array {
  const used: Imported[] = [];
  const fn = (name: Imported) => {
    if (!used.includes(name)) used.push(name);
    return used.indexOf(name); // imports are numbered first, in order of first use
  };
  const functions = sources.map(({ e, names }) => kernelFunction(e, names, kinds, fn));
  const n = functions.length;
  const unaryType = [0x60, ...vec([[F64]]), ...vec([[F64]])];
  const binaryType = [0x60, ...vec([[F64], [F64]]), ...vec([[F64]])];
  const bytes = [
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    // types: each kernel's own (0 … n − 1), then Math's unary (n) and binary (n + 1) functions
    ...section(1, vec([...functions.map((f) => f.type), unaryType, binaryType])),
    ...section(2, vec([
      [...str('env'), ...str('memory'), 0x02, 0x00, 0x00],
      ...used.map((name) => [...str('env'), ...str(name), 0x00, ...uleb(name === 'pow' ? n + 1 : n)]),
    ])),
    ...section(3, vec(functions.map((_, i) => uleb(i)))),
    ...section(7, vec(functions.map((_, i) => [...str(`k${i}`), 0x00, ...uleb(used.length + i)]))),
    ...section(10, vec(functions.map((f) => [...uleb(f.body.length), ...f.body]))),
  ];
  return Uint8Array.from(bytes);
}

/** The module bytes for one kernel (exported as "k0"). */
export function encodeKernel(e: Expr, names: readonly string[], kinds: ReadonlyMap<string, StaticKind>): Uint8Array {
  return encodeKernels([{ e, names }], kinds);
}

/**
 * The function for the fusible expression e over `names`: (out, m, operands…) → NaN/∞ count; `fn`
 * numbers the Math imports it calls.
 */
function kernelFunction(e: Expr, names: readonly string[], kinds: ReadonlyMap<string, StaticKind>, fn: (name: Imported) => number): { type: number[]; body: number[] } {
  const dist = names.map((n) => kinds.get(n) === 'dist');
  const calls: Imported[] = [];
  const call = (name: Imported) => {
    if (!calls.includes(name)) calls.push(name);
    return fn(name);
  };
  // Locals: 0 out, 1 m, 2.. operands, then o (byte offset), end, bad, r, and rv (two lanes).
  const o = 2 + names.length, end = o + 1, bad = o + 2, r = o + 3, rv = o + 4;
  const expr = (x: Expr): number[] => {
    switch (x.type) {
      case 'num':
        if (!Number.isFinite(x.value)) throw new Error('non-finite literal');
        return [OP.f64Const, ...f64(x.value)];
      case 'ident': {
        const k = names.indexOf(x.name);
        if (k < 0) throw new Error(`unknown operand ${x.name}`);
        return dist[k] ? [OP.localGet, ...uleb(2 + k), OP.localGet, ...uleb(o), OP.i32Add, OP.f64Load, 3, 0] : [OP.localGet, ...uleb(2 + k)];
      }
      case 'unary':
        return [...expr(x.arg), OP.f64Neg];
      case 'binary':
        if (x.op === '^') return [...expr(x.left), ...expr(x.right), OP.call, ...uleb(call('pow'))];
        if (!(x.op in BINARY)) throw new Error('not fusible');
        return [...expr(x.left), ...expr(x.right), BINARY[x.op]];
      case 'call': {
        const args = x.args.map(expr);
        if (x.callee === 'min' || x.callee === 'max') {
          const op = x.callee === 'min' ? OP.f64Min : OP.f64Max;
          return [...args[0], ...args.slice(1).flatMap((a) => [...a, op])];
        }
        if (x.callee in UNARY) return [...args[0], UNARY[x.callee]];
        if ((IMPORTED as readonly string[]).includes(x.callee)) return [...args[0], OP.call, ...uleb(call(x.callee as Imported))];
        throw new Error('not fusible');
      }
      default:
        throw new Error('not fusible');
    }
  };
  // The same expression on two samples at once (f64x2: each lane does the scalar operation, so the
  // same bits), when it calls no imported function.
  const lanes = (x: Expr): number[] => {
    switch (x.type) {
      case 'num':
        return [OP.f64Const, ...f64(x.value), ...SIMD.splat];
      case 'ident': {
        const k = names.indexOf(x.name);
        return dist[k] ? [OP.localGet, ...uleb(2 + k), OP.localGet, ...uleb(o), OP.i32Add, ...SIMD.load] : [OP.localGet, ...uleb(2 + k), ...SIMD.splat];
      }
      case 'unary':
        return [...lanes(x.arg), ...SIMD.neg];
      case 'binary':
        return [...lanes(x.left), ...lanes(x.right), ...SIMD_BINARY[x.op]];
      case 'call': {
        const args = x.args.map(lanes);
        if (x.callee === 'min' || x.callee === 'max') return [...args[0], ...args.slice(1).flatMap((a) => [...a, ...SIMD[x.callee as 'min' | 'max']])];
        return [...args[0], ...SIMD[x.callee as 'sqrt' | 'abs']];
      }
      default:
        throw new Error('not fusible');
    }
  };
  const value = expr(e); // before the imports are laid out: it decides which are used
  const pairs = calls.length === 0 ? [
    OP.block, 0x40, OP.loop, 0x40,
    OP.localGet, ...uleb(o), OP.i32Const, 16, OP.i32Add, OP.localGet, ...uleb(end), OP.i32GtU, OP.brIf, 1,
    ...lanes(e), OP.localSet, ...uleb(rv),
    OP.localGet, 0, OP.localGet, ...uleb(o), OP.i32Add, OP.localGet, ...uleb(rv), ...SIMD.store,
    // bad += lanes where rv − rv ≠ 0
    OP.localGet, ...uleb(bad), OP.localGet, ...uleb(rv), OP.localGet, ...uleb(rv), ...SIMD.sub,
    OP.f64Const, ...f64(0), ...SIMD.splat, ...SIMD.ne, ...SIMD.bitmask, OP.i32Popcnt, OP.i32Add, OP.localSet, ...uleb(bad),
    OP.localGet, ...uleb(o), OP.i32Const, 16, OP.i32Add, OP.localSet, ...uleb(o),
    OP.br, 0, OP.end, OP.end,
  ] : [];
  const body = [
    ...vec([[3, I32], [1, F64], [1, V128]]), // o, end, bad: i32; r: f64; rv: v128
    OP.localGet, 1, OP.i32Const, 3, OP.i32Shl, OP.localSet, ...uleb(end),
    ...pairs, // then the scalar loop finishes (an odd last sample, or everything when imports are used)
    OP.block, 0x40, OP.loop, 0x40,
    OP.localGet, ...uleb(o), OP.localGet, ...uleb(end), OP.i32GeU, OP.brIf, 1,
    ...value, OP.localSet, ...uleb(r),
    OP.localGet, 0, OP.localGet, ...uleb(o), OP.i32Add, OP.localGet, ...uleb(r), OP.f64Store, 3, 0,
    // r - r is 0 for finite r and NaN for NaN and ±∞
    OP.localGet, ...uleb(bad), OP.localGet, ...uleb(r), OP.localGet, ...uleb(r), OP.f64Sub, OP.f64Const, ...f64(0), OP.f64Ne, OP.i32Add, OP.localSet, ...uleb(bad),
    OP.localGet, ...uleb(o), OP.i32Const, 8, OP.i32Add, OP.localSet, ...uleb(o),
    OP.br, 0, OP.end, OP.end,
    OP.localGet, ...uleb(bad), OP.end,
  ];
  const type = [0x60, ...vec([[I32], [I32], ...dist.map((d) => [d ? I32 : F64])]), ...vec([[I32]])];
  return { type, body };
}

/** The Math functions a kernel module may import, by the names encodeKernel gives them. */
export const KERNEL_IMPORTS: Record<Imported, (...x: number[]) => number> = { exp: Math.exp, log: Math.log, log10: Math.log10, pow: Math.pow };
