// Fused kernels as WebAssembly. The same arithmetic as engine/fusion.ts's JavaScript loop, encoded straight to
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

/**
 * A growing byte buffer the encoder writes into: the encoder runs once per model, mostly in V8's
 * interpreter, where nested arrays built with spreads cost several times as much time and garbage.
 */
class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(2 * this.buf.length, this.length + n));
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
  }

  /** Appends bytes (opcodes, immediates). */
  u8(...bytes: readonly number[]): this {
    return this.raw(bytes);
  }

  raw(bytes: ArrayLike<number>): this {
    this.room(bytes.length);
    for (let i = 0; i < bytes.length; i++) this.buf[this.length++] = bytes[i];
    return this;
  }

  /** Unsigned LEB128. */
  uleb(n: number): this {
    do {
      let b = n & 0x7f;
      n >>>= 7;
      if (n !== 0) b |= 0x80;
      this.room(1);
      this.buf[this.length++] = b;
    } while (n !== 0);
    return this;
  }

  /** An f64 immediate, little-endian. */
  f64(x: number): this {
    this.room(8);
    new DataView(this.buf.buffer).setFloat64(this.length, x, true);
    this.length += 8;
    return this;
  }

  /** A name: its UTF-8 length, then its bytes. */
  name(s: string): this {
    const b = utf8.encode(s);
    return this.uleb(b.length).raw(b);
  }

  /** Another buffer's bytes. */
  append(b: Bytes): this {
    return this.raw(b.bytes());
  }

  /** A vector: the count, then each item's bytes. */
  vec(items: readonly Bytes[]): this {
    this.uleb(items.length);
    for (const item of items) this.append(item);
    return this;
  }

  /** A section: its id, its size, its body. */
  section(id: number, body: Bytes): this {
    return this.u8(id).uleb(body.length).append(body);
  }

  bytes(): Uint8Array {
    return this.buf.subarray(0, this.length);
  }
}

const utf8 = new TextEncoder();
const bytes = () => new Bytes();

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
/** SIMD instructions: the 0xfd prefix and their LEB128 numbers (f64x2 lanes; memarg align 2^4). */
const SIMD = {
  load: [0xfd, 0x00, 4, 0],
  store: [0xfd, 0x0b, 4, 0],
  splat: [0xfd, 0x14],
  ne: [0xfd, 0x48],
  abs: [0xfd, 0xec, 0x01],
  neg: [0xfd, 0xed, 0x01],
  sqrt: [0xfd, 0xef, 0x01],
  add: [0xfd, 0xf0, 0x01],
  sub: [0xfd, 0xf1, 0x01],
  mul: [0xfd, 0xf2, 0x01],
  div: [0xfd, 0xf3, 0x01],
  min: [0xfd, 0xf4, 0x01],
  max: [0xfd, 0xf5, 0x01],
  bitmask: [0xfd, 0xc4, 0x01],
} as const;
const SIMD_BINARY: Record<string, readonly number[]> = { '+': SIMD.add, '-': SIMD.sub, '*': SIMD.mul, '/': SIMD.div };
const OP = {
  block: 0x02,
  loop: 0x03,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  call: 0x10,
  localGet: 0x20,
  localSet: 0x21,
  i32Const: 0x41,
  f64Const: 0x44,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32GeU: 0x4f,
  i32GtU: 0x4b,
  i32Add: 0x6a,
  i32Shl: 0x74,
  i32Popcnt: 0x69,
  f64Ne: 0x62,
  f64Abs: 0x99,
  f64Neg: 0x9a,
  f64Sqrt: 0x9f,
  f64Add: 0xa0,
  f64Sub: 0xa1,
  f64Mul: 0xa2,
  f64Div: 0xa3,
  f64Min: 0xa4,
  f64Max: 0xa5,
} as const;
const BINARY: Record<string, number> = { '+': OP.f64Add, '-': OP.f64Sub, '*': OP.f64Mul, '/': OP.f64Div };
const UNARY: Record<string, number> = { sqrt: OP.f64Sqrt, abs: OP.f64Abs };

/** A fused kernel to encode: its expression and its operands (in parameter order, as engine/fusion.ts numbers them). */
export interface KernelSource {
  e: Expr;
  names: readonly string[];
}

/** A function type: (params) → (results). */
function funcType(params: readonly number[], results: readonly number[]): Bytes {
  return bytes().u8(0x60).uleb(params.length).raw(params).uleb(results.length).raw(results);
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
  // types: each kernel's own (0 … n − 1), then Math's unary (n) and binary (n + 1) functions
  const types = [...functions.map((f) => f.type), funcType([F64], [F64]), funcType([F64, F64], [F64])];
  const imports = [
    bytes().name('env').name('memory').u8(0x02, 0x00, 0x00),
    ...used.map((name) =>
      bytes()
        .name('env')
        .name(name)
        .u8(0x00)
        .uleb(name === 'pow' ? n + 1 : n),
    ),
  ];
  const module = bytes()
    .u8(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00)
    .section(1, bytes().vec(types))
    .section(2, bytes().vec(imports))
    .section(3, bytes().vec(functions.map((_, i) => bytes().uleb(i))))
    .section(
      7,
      bytes().vec(
        functions.map((_, i) =>
          bytes()
            .name(`k${i}`)
            .u8(0x00)
            .uleb(used.length + i),
        ),
      ),
    )
    .section(10, bytes().vec(functions.map((f) => bytes().uleb(f.body.length).append(f.body))));
  return module.bytes().slice();
}

/** The module bytes for one kernel (exported as "k0"). */
export function encodeKernel(e: Expr, names: readonly string[], kinds: ReadonlyMap<string, StaticKind>): Uint8Array {
  return encodeKernels([{ e, names }], kinds);
}

/**
 * The function for the fusible expression e over `names`: (out, m, operands…) → NaN/∞ count; `fn`
 * numbers the Math imports it calls.
 */
function kernelFunction(
  e: Expr,
  names: readonly string[],
  kinds: ReadonlyMap<string, StaticKind>,
  fn: (name: Imported) => number,
): { type: Bytes; body: Bytes } {
  const dist = names.map((n) => kinds.get(n) === 'dist');
  const calls: Imported[] = [];
  const call = (name: Imported) => {
    if (!calls.includes(name)) calls.push(name);
    return fn(name);
  };
  // Locals: 0 out, 1 m, 2.. operands, then o (byte offset), end, bad, r, and rv (two lanes).
  const o = 2 + names.length,
    end = o + 1,
    bad = o + 2,
    r = o + 3,
    rv = o + 4;
  // Writes x's value (one sample) to `out`.
  const expr = (x: Expr, out: Bytes): void => {
    switch (x.type) {
      case 'num':
        if (!Number.isFinite(x.value)) throw new Error('non-finite literal');
        out.u8(OP.f64Const).f64(x.value);
        return;
      case 'ident': {
        const k = names.indexOf(x.name);
        if (k < 0) throw new Error(`unknown operand ${x.name}`);
        out.u8(OP.localGet).uleb(2 + k);
        if (dist[k]) out.u8(OP.localGet).uleb(o).u8(OP.i32Add, OP.f64Load, 3, 0);
        return;
      }
      case 'unary':
        expr(x.arg, out);
        out.u8(OP.f64Neg);
        return;
      case 'binary':
        if (x.op !== '^' && !(x.op in BINARY)) throw new Error('not fusible');
        expr(x.left, out);
        expr(x.right, out);
        if (x.op === '^') out.u8(OP.call).uleb(call('pow'));
        else out.u8(BINARY[x.op]);
        return;
      case 'call': {
        if (x.callee === 'min' || x.callee === 'max') {
          const op = x.callee === 'min' ? OP.f64Min : OP.f64Max;
          expr(x.args[0], out);
          for (let i = 1; i < x.args.length; i++) {
            expr(x.args[i], out);
            out.u8(op);
          }
          return;
        }
        if (!(x.callee in UNARY) && !(IMPORTED as readonly string[]).includes(x.callee)) throw new Error('not fusible');
        expr(x.args[0], out);
        if (x.callee in UNARY) out.u8(UNARY[x.callee]);
        else out.u8(OP.call).uleb(call(x.callee as Imported));
        return;
      }
      default:
        throw new Error('not fusible');
    }
  };
  // The same expression on two samples at once (f64x2: each lane does the scalar operation, so the
  // same bits), when it calls no imported function.
  const lanes = (x: Expr, out: Bytes): void => {
    switch (x.type) {
      case 'num':
        out.u8(OP.f64Const).f64(x.value).raw(SIMD.splat);
        return;
      case 'ident': {
        const k = names.indexOf(x.name);
        out.u8(OP.localGet).uleb(2 + k);
        if (dist[k]) out.u8(OP.localGet).uleb(o).u8(OP.i32Add).raw(SIMD.load);
        else out.raw(SIMD.splat);
        return;
      }
      case 'unary':
        lanes(x.arg, out);
        out.raw(SIMD.neg);
        return;
      case 'binary':
        lanes(x.left, out);
        lanes(x.right, out);
        out.raw(SIMD_BINARY[x.op]);
        return;
      case 'call': {
        lanes(x.args[0], out);
        if (x.callee === 'min' || x.callee === 'max') {
          for (let i = 1; i < x.args.length; i++) {
            lanes(x.args[i], out);
            out.raw(SIMD[x.callee]);
          }
        } else {
          out.raw(SIMD[x.callee as 'sqrt' | 'abs']);
        }
        return;
      }
      default:
        throw new Error('not fusible');
    }
  };
  const value = bytes();
  expr(e, value); // before the imports are laid out: it decides which are used
  const body = bytes()
    .uleb(3)
    .u8(3, I32, 1, F64, 1, V128) // locals o, end, bad: i32; r: f64; rv: v128
    .u8(OP.localGet, 1, OP.i32Const, 3, OP.i32Shl, OP.localSet)
    .uleb(end);
  if (calls.length === 0) {
    body
      .u8(OP.block, 0x40, OP.loop, 0x40)
      .u8(OP.localGet)
      .uleb(o)
      .u8(OP.i32Const, 16, OP.i32Add, OP.localGet)
      .uleb(end)
      .u8(OP.i32GtU, OP.brIf, 1);
    lanes(e, body);
    body
      .u8(OP.localSet)
      .uleb(rv)
      .u8(OP.localGet, 0, OP.localGet)
      .uleb(o)
      .u8(OP.i32Add, OP.localGet)
      .uleb(rv)
      .raw(SIMD.store)
      // bad += lanes where rv − rv ≠ 0
      .u8(OP.localGet)
      .uleb(bad)
      .u8(OP.localGet)
      .uleb(rv)
      .u8(OP.localGet)
      .uleb(rv)
      .raw(SIMD.sub)
      .u8(OP.f64Const)
      .f64(0)
      .raw(SIMD.splat)
      .raw(SIMD.ne)
      .raw(SIMD.bitmask)
      .u8(OP.i32Popcnt, OP.i32Add, OP.localSet)
      .uleb(bad)
      .u8(OP.localGet)
      .uleb(o)
      .u8(OP.i32Const, 16, OP.i32Add, OP.localSet)
      .uleb(o)
      .u8(OP.br, 0, OP.end, OP.end);
  }
  // then the scalar loop finishes (an odd last sample, or everything when imports are used)
  body
    .u8(OP.block, 0x40, OP.loop, 0x40)
    .u8(OP.localGet)
    .uleb(o)
    .u8(OP.localGet)
    .uleb(end)
    .u8(OP.i32GeU, OP.brIf, 1)
    .append(value)
    .u8(OP.localSet)
    .uleb(r)
    .u8(OP.localGet, 0, OP.localGet)
    .uleb(o)
    .u8(OP.i32Add, OP.localGet)
    .uleb(r)
    .u8(OP.f64Store, 3, 0)
    // r - r is 0 for finite r and NaN for NaN and ±∞
    .u8(OP.localGet)
    .uleb(bad)
    .u8(OP.localGet)
    .uleb(r)
    .u8(OP.localGet)
    .uleb(r)
    .u8(OP.f64Sub, OP.f64Const)
    .f64(0)
    .u8(OP.f64Ne, OP.i32Add, OP.localSet)
    .uleb(bad)
    .u8(OP.localGet)
    .uleb(o)
    .u8(OP.i32Const, 8, OP.i32Add, OP.localSet)
    .uleb(o)
    .u8(OP.br, 0, OP.end, OP.end)
    .u8(OP.localGet)
    .uleb(bad)
    .u8(OP.end);
  const type = funcType([I32, I32, ...dist.map((d) => (d ? I32 : F64))], [I32]);
  return { type, body };
}

/** The Math functions a kernel module may import, by the names encodeKernel gives them. */
export const KERNEL_IMPORTS: Record<Imported, (...x: number[]) => number> = {
  exp: Math.exp,
  log: Math.log,
  log10: Math.log10,
  pow: Math.pow,
};
