// A run's WebAssembly memory: the engine's chunk arrays live here, as Float64Array views, so the
// WebAssembly loops (engine.wat) and the JavaScript code read and write the same numbers without copies.
// The memory is sized once for the run and never grown (growing would detach every view); when it is
// full, alloc() says so and the caller falls back to an ordinary array, which the JavaScript reference
// implementations handle. The fixed region at the bottom holds the tables (see engine.wat).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DIST_DIR } from '../../paths.js';
import { ZIGGURAT_FN, ZIGGURAT_KN, ZIGGURAT_WN } from '../dist/normal.js';
import { EXP_POW2, EXP_TABLE } from '../dist/fastexp.js';
import { KERNEL_IMPORTS } from './kernel.js';

/** A fused kernel instantiated on an arena's memory: (out, m, operands...) → NaN/∞ count. */
export type WasmKernel = (out: number, m: number, ...operands: number[]) => number;

/** Byte offsets of the fixed region; engine.wat uses the same numbers. */
export const LAYOUT = {
  pendingIndex: 0,
  pendingBits: 16384,
  kn: 32768,
  wn: 33280,
  fn: 35840,
  state: 34304,
  results: 34320,
  expTable: 36864,
  pow2: 53248,
  /** First byte the arena hands out. */
  heap: 131072,
} as const;

export interface EngineExports {
  normalFill(out: number, from: number, to: number, mean: number, sd: number, logNormal: number): void;
  uniformFill(out: number, from: number, to: number, base: number, scale: number): void;
  expInPlace(a: number, start: number, end: number): void;
  blockMoments(a: number, from: number, to: number): void;
  streamPass(a: number, n: number, table: number, below: number, descriptors: number, stage: number): number;
  countAbove(a: number, n: number, t: number): number;
  countNonFinite(a: number, n: number): number;
  countBetween(a: number, n: number, lo: number, hi: number): number;
  compact(a: number, n: number, lo: number, hi: number): number;
  select(a: number, k: number, lo: number, hi: number): void;
  mixChoose(choice: number, n: number, cum: number, counts: number): void;
  mixAssemble(out: number, choice: number, n: number, comps: number, constants: number): void;
}

const PAGE = 65536;
/** wasm32's limit is 4 GiB; an arena stays well below so 10M-sample runs still fit beside the heap. */
const MAX_BYTES = 1 << 30;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled engine module, or null where it cannot be loaded (not built; no WebAssembly). */
function engineModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    // Built into dist/ by scripts/build-wasm.mjs; found there from src/ (tests), dist/ and the bundle.
    compiled = new WebAssembly.Module(readFileSync(join(DIST_DIR, 'estimate', 'wasm', 'engine.wasm')));
  } catch {
    compiled = null;
  }
  return compiled;
}

/** Where there is no file system to read it from (the web application's worker): the module, compiled there. */
export function provideEngineModule(module: WebAssembly.Module): void {
  compiled = module;
}

/** True when the WebAssembly engine is available (it is built by `npm run build` / `npm ci`). */
export function wasmAvailable(): boolean {
  return engineModule() !== null;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

/**
 * The last released arena, reused by the next run that fits in it: a process that runs many estimates
 * (the server, compare, the benchmark) then touches no fresh pages for them. Only arenas up to this
 * size are kept, so a spare never holds much memory.
 */
let spare: Arena | undefined;
const SPARE_MAX_BYTES = 256 << 20;

/** The arena whose memory holds `a`, if any: the WebAssembly paths apply to such arrays only. */
export function arenaOf(a: Float64Array): Arena | undefined {
  return arenas.get(a.buffer);
}

export class Arena {
  readonly exports: EngineExports;
  readonly state: Int32Array;
  readonly results: Float64Array;
  private top: number = LAYOUT.heap;
  /** Bytes below this were handed out before (a reused arena): alloc() zeroes them again. */
  private dirty: number = LAYOUT.heap;
  private inUse = true;
  private readonly kernels = new Map<WebAssembly.Module, Record<string, unknown>>();
  private readonly scratches = new Map<string, Float64Array>();

  private constructor(
    private readonly memory: WebAssembly.Memory,
    module: WebAssembly.Module,
    private readonly limit: number,
  ) {
    const instance = new WebAssembly.Instance(module, { env: { memory, exp: Math.exp, log: Math.log } });
    this.exports = instance.exports as unknown as EngineExports;
    const buf = memory.buffer;
    new Int32Array(buf, LAYOUT.kn, 128).set(ZIGGURAT_KN);
    new Float64Array(buf, LAYOUT.wn, 128).set(ZIGGURAT_WN);
    new Float64Array(buf, LAYOUT.fn, 128).set(ZIGGURAT_FN);
    new Float64Array(buf, LAYOUT.expTable, EXP_TABLE.length).set(EXP_TABLE);
    new Float64Array(buf, LAYOUT.pow2, EXP_POW2.length).set(EXP_POW2);
    this.state = new Int32Array(buf, LAYOUT.state, 4);
    this.results = new Float64Array(buf, LAYOUT.results, 6);
    arenas.set(buf, this);
  }

  /**
   * An arena with room for about `bytes` of arrays (at most 1 GiB; untouched pages cost nothing), or
   * undefined when WebAssembly is unavailable or `useWasm` is false (the run then takes the JavaScript
   * reference loops, with the same numbers).
   */
  static create(bytes: number, useWasm = true): Arena | undefined {
    const module = useWasm ? engineModule() : null;
    if (!module) return undefined;
    const size = Math.min(MAX_BYTES, LAYOUT.heap + Math.ceil(bytes / PAGE) * PAGE);
    if (spare && spare.limit >= size) {
      const reused = spare;
      spare = undefined;
      reused.reset();
      return reused;
    }
    const pages = size / PAGE;
    try {
      return new Arena(new WebAssembly.Memory({ initial: pages, maximum: pages }), module, size);
    } catch {
      return undefined; // address space refused: run on ordinary arrays
    }
  }

  /** Kernel `name` of a kernel module (wasm/kernel.ts), the module instantiated on this arena's memory once. */
  kernel(module: WebAssembly.Module, name: string): WasmKernel {
    let exports = this.kernels.get(module);
    if (!exports) {
      const instance = new WebAssembly.Instance(module, { env: { memory: this.memory, ...KERNEL_IMPORTS } });
      exports = instance.exports;
      this.kernels.set(module, exports);
    }
    return exports[name] as WasmKernel;
  }

  /**
   * Reusable working space named `name`, at least n doubles (not zeroed: the caller overwrites what it
   * reads), or undefined when the arena is full. One user at a time per name.
   */
  scratch(name: string, n: number): Float64Array | undefined {
    let s = this.scratches.get(name);
    if (!s || s.length < n) {
      s = this.alloc(Math.max(n, 2 * (s?.length ?? 0)));
      if (!s) return undefined;
      this.scratches.set(name, s);
    }
    return s.subarray(0, n);
  }

  /**
   * Ends the run that used this arena: every view into it is dead from now on. The arena may then
   * serve the next run on this thread.
   */
  release(): void {
    if (!this.inUse) return;
    this.inUse = false;
    if (this.limit <= SPARE_MAX_BYTES && (!spare || spare.limit < this.limit)) spare = this;
  }

  private reset(): void {
    this.dirty = Math.max(this.dirty, this.top);
    this.top = LAYOUT.heap;
    this.scratches.clear();
    this.inUse = true;
  }

  /**
   * A view of n doubles in the arena, or undefined when it is full; zeroed unless `zeroed` is false
   * (for buffers written before they are read: zeroing a reused arena's memory costs a pass).
   */
  alloc(n: number, zeroed = true): Float64Array | undefined {
    const bytes = n * 8;
    if (this.top + bytes > this.limit) return undefined;
    const a = new Float64Array(this.memory.buffer, this.top, n);
    if (zeroed && this.top < this.dirty) a.subarray(0, Math.min(n, (this.dirty - this.top) / 8)).fill(0);
    this.top += (bytes + 63) & ~63; // keep every array on a cache line
    return a;
  }

  /** Same for 32-bit integers (descriptor tables of the streamed summary). */
  allocInt32(n: number): Int32Array | undefined {
    const d = this.alloc(Math.ceil(n / 2));
    return d && new Int32Array(d.buffer, d.byteOffset, n);
  }
}
