// A summary computed while chunks stream past, without keeping the samples: exact, not a sketch.
// The first chunk (an i.i.d. draw like every chunk) is a pilot: for each wanted quantile it gives a
// bracket of values, from the pilot's order statistic Z standard errors (plus a few ranks) below the
// quantile to the one as far above. Every later sample then costs a few comparisons: how many samples
// fall below each bracket is counted, and samples inside a bracket are kept. At the end, each wanted
// rank lies in a bracket (checked: the counts say so exactly), and selection among that bracket's kept
// samples gives the very order statistic a selection over all samples gives. If a bracket missed its
// ranks (odds about 1e-9 per run), finish() says so and the caller recomputes with the samples stored.
// Mean and sd use the same block moments as summarize(), so every number is equal.
//
// Other threads can stream other chunks with the same brackets (following()); their part() merges
// into the pilot's summary (absorb()) exactly: counts add, kept samples pool, and block moments are
// combined in chunk order whoever streamed them. Chunks in a WebAssembly arena take engine.wat's
// streamPass; others the JavaScript loop, which gives the same numbers.
//
// The pilot's brackets keep about 9% of the samples (±6 standard errors of five quantiles of 65,536);
// as more samples arrive they are narrowed (narrow()), so a 1M run keeps about 3%. Memory that is
// never touched costs nothing, and on virtual machines first touching a page is expensive, so the
// design keeps what it touches small: no histogram tables, a few counters per output.
import { blockStats, Moments } from './moments.js';
import { valuesAtRanks } from './select.js';
import { interpolate, positiveZeros, quantileRanks, summarize, SUMMARY_QUANTILES, type Summary } from './summary.js';
import { Arena, arenaOf } from '../wasm/arena.js';
import { CHUNK_SIZE } from '../dist/chunk-size.js';

/**
 * Bracket half-width in standard errors of the pilot quantile. A miss at 6 has odds of about 2e-9 per
 * bracket end and costs only a recomputation; wider brackets keep more samples.
 */
const Z = 6;

/** Brackets of the five summary quantiles, merged: at most five kept intervals. */
const MAX_INTERVALS = SUMMARY_QUANTILES.length;
const TABLE_LENGTH = 2 * MAX_INTERVALS + 1;

/** The arena scratch (a chunk's length) of the pilot's selection and of the WebAssembly pass's staging. */
const CHUNK_SCRATCH = 'stream-chunk';

/** Scratch for the pilot's selection outside an arena, shared by every summary (the pilot runs synchronously). */
let pilotScratch = new Float64Array(0);

/** The brackets a pilot chose, for summaries of the same output on other threads. */
export interface Brackets {
  table: number[];
  /** Share of the pilot inside each kept interval (sizes the kept buffers). */
  shares: number[];
}

/** What a summary saw of its chunks, to be merged into the summary that did the pilot (absorb()). */
export interface StreamPart {
  seen: number;
  below: number[];
  kept: Float64Array[];
  min: number;
  max: number;
  bad: number;
  above: number[];
  /** Per chunk: [chunk index, length, sum, sum of squared deviations]. */
  blocks: [number, number, number, number][];
  overflowed: boolean;
}

export class StreamingSummary {
  /** Each chunk's block moments by chunk index: combined in chunk order at the end, whoever streamed them. */
  private readonly blocks = new Map<number, [number, number, number]>();
  private nextChunk = 0;
  private shares: number[] = [];
  /**
   * The kept intervals [lo_k, hi_k] (merged brackets, ascending, disjoint; at most five, unused ones
   * [+∞, NaN]) as engine.wat's streamPass reads them: lo_0..lo_4, then hi by slot (slot 0: NaN, below
   * every interval; slot k + 1: hi_k).
   */
  private table: Float64Array<ArrayBufferLike> = new Float64Array(TABLE_LENGTH);
  /** below[k]: samples below lo_k. */
  private below: Float64Array<ArrayBufferLike> = new Float64Array(MAX_INTERVALS);
  private readonly kept: Float64Array[] = [];
  private fill = new Int32Array(0);
  private readonly above: Float64Array;
  private readonly thresholds: Float64Array;
  private min = Infinity;
  private max = -Infinity;
  private bad = 0;
  private seen = 0;
  /**
   * With an arena, chunks that live in it are streamed by WebAssembly (engine.wat streamPass); the
   * bounds, counters and kept buffers are then in the arena too, and `descriptors` holds each kept
   * interval's {ptr, fill, cap} as the WebAssembly loop reads them.
   */
  private readonly arena: Arena | undefined;
  private descriptors: Int32Array | undefined;
  /** A kept buffer of the WebAssembly path filled up: finish() then asks for a recomputation. */
  private overflowed = false;
  /**
   * When the kept intervals are next narrowed (samples seen), or 0 never: a summary that did its own
   * pilot narrows them after 2, 8, 32, … pilot lengths (narrow()); one following another's brackets
   * does not (its part is filtered by absorb()).
   */
  private nextNarrowing = 0;

  constructor(
    private readonly n: number,
    thresholds: readonly number[] = [],
    arena?: Arena,
  ) {
    this.thresholds = Float64Array.from(thresholds);
    this.above = new Float64Array(thresholds.length);
    this.arena = arena;
  }

  /** NaN or ±∞ samples seen (the engine reports them as an error). */
  get nonFiniteCount(): number {
    return this.bad;
  }

  /**
   * Adds a chunk (of the engine's CHUNK_SIZE; the last may be shorter), by default the next one in
   * sample order. The first chunk added is the pilot; later ones may come in any order.
   */
  add(a: Float64Array, chunk = this.nextChunk): void {
    if (this.seen === 0 && this.shares.length === 0) this.pilot(a);
    this.nextChunk = chunk + 1;
    this.seen += a.length;
    if (!(this.descriptors && arenaOf(a) === this.arena && this.addWasm(a, chunk))) {
      this.leaveWasm(); // a chunk outside the arena (it was full), or no room to stage: JavaScript from here on
      this.blocks.set(chunk, blockStats(a));
      this.addJs(a);
    }
    if (this.nextNarrowing > 0 && this.seen >= this.nextNarrowing && this.seen < this.n) {
      this.narrow();
      this.nextNarrowing *= 4;
    }
  }

  /**
   * Narrows the kept intervals to brackets from all samples seen so far, N of them: for each quantile
   * whose estimate lies in an interval, the values at its bracketRanks() among the N, so each bracket
   * halves in width every time N grows fourfold. Every seen sample inside a narrowed interval
   * was kept (it lies inside the old one), so dropping the kept samples outside it, and counting those
   * below it, loses nothing: the result is exact as before, with far fewer samples kept (at 1M, about
   * a third). An interval whose new bracket would reach past its kept samples stays as it is.
   */
  private narrow(): void {
    if (this.descriptors) this.syncFromWasm();
    const n = this.seen;
    const hiAt = MAX_INTERVALS + 1;
    for (let j = 0; j < this.kept.length; j++) {
      const start = this.below[j];
      const fill = this.fill[j];
      const ends: number[] = [];
      let fits = true;
      for (const p of SUMMARY_QUANTILES) {
        const centre = p * (n - 1);
        if (centre < start || centre >= start + fill) continue; // another interval's quantile
        const [lo, hi] = bracketRanks(p, n).map((r) => r - start);
        if (lo < 0 || hi >= fill) fits = false;
        ends.push(lo, hi);
      }
      if (!fits || ends.length === 0) continue;
      const buf = this.kept[j].subarray(0, fill);
      const ranks = [...new Set(ends)].sort((x, y) => x - y);
      const at = new Map(valuesAtRanks(buf, ranks).map((v, i) => [ranks[i], v]));
      let lo = Infinity;
      let hi = -Infinity;
      for (let q = 0; q < ends.length; q += 2) {
        lo = Math.min(lo, at.get(ends[q])!);
        hi = Math.max(hi, at.get(ends[q + 1])!);
      }
      const { below, kept } = compact(buf, lo, hi);
      this.below[j] += below;
      this.fill[j] = kept;
      this.table[j] = lo;
      this.table[hiAt + j] = hi;
      if (this.descriptors) this.descriptors[4 * (j + 1) + 1] = kept;
    }
  }

  private addJs(a: Float64Array): void {
    const { table, below } = this;
    let mn = this.min,
      mx = this.max,
      bad = 0;
    for (let i = 0; i < a.length; i++) {
      const x = a[i];
      if (x < mn) mn = x;
      if (x > mx) mx = x;
      if (x - x !== 0) bad++;
      let slot = MAX_INTERVALS;
      for (let k = 0; k < MAX_INTERVALS; k++) {
        if (x < table[k]) {
          below[k]++;
          slot--;
        }
      }
      if (x <= table[MAX_INTERVALS + slot]) this.push(slot - 1, x);
    }
    this.min = mn;
    this.max = mx;
    this.bad += bad;
    for (let t = 0; t < this.thresholds.length; t++) this.above[t] += countAbove(a, this.thresholds[t]);
  }

  private push(j: number, x: number): void {
    if (this.fill[j] === this.kept[j].length) {
      const grown = new Float64Array(this.kept[j].length * 2);
      grown.set(this.kept[j]);
      this.kept[j] = grown;
    }
    this.kept[j][this.fill[j]++] = x;
  }

  /**
   * addJs() and the chunk's blockStats() in one WebAssembly pass, and the thresholds; false (nothing
   * done) when the arena has no room to stage the kept samples.
   */
  private addWasm(a: Float64Array, chunk: number): boolean {
    const { exports: w, results } = this.arena!;
    // Staging space for the kept samples: the pilot's scratch, which is never in use at the same time.
    const stage = this.arena!.scratch(CHUNK_SCRATCH, a.length);
    if (!stage) return false;
    results[2] = this.min;
    results[3] = this.max;
    results[4] = this.bad;
    if (
      w.streamPass(
        a.byteOffset,
        a.length,
        this.table.byteOffset,
        this.below.byteOffset,
        this.descriptors!.byteOffset,
        stage.byteOffset,
      ) !== 0
    )
      this.overflowed = true;
    this.blocks.set(chunk, [a.length, results[0], results[1]]);
    this.min = results[2];
    this.max = results[3];
    this.bad = results[4];
    for (let t = 0; t < this.thresholds.length; t++)
      this.above[t] += w.countAbove(a.byteOffset, a.length, this.thresholds[t]);
    return true;
  }

  /** Hands the kept buffers to the JavaScript side for good: their fill counts become the truth. */
  private leaveWasm(): void {
    if (this.descriptors) this.syncFromWasm();
    this.descriptors = undefined;
  }

  /** The fill counts the WebAssembly passes kept (descriptor slot j + 1 is interval j). */
  private syncFromWasm(): void {
    const d = this.descriptors!;
    for (let j = 0; j < this.fill.length; j++) this.fill[j] = d[4 * (j + 1) + 1];
  }

  /** What this summary saw, for the summary that did the pilot (copies: the arena may be reused). */
  part(): StreamPart {
    if (this.descriptors) this.syncFromWasm();
    return {
      seen: this.seen,
      below: Array.from(this.below.subarray(0, MAX_INTERVALS)),
      kept: this.kept.map((k, j) => k.slice(0, this.fill[j])),
      min: this.min,
      max: this.max,
      bad: this.bad,
      above: Array.from(this.above),
      blocks: [...this.blocks].map(([c, [len, sum, m2]]) => [c, len, sum, m2]),
      overflowed: this.overflowed,
    };
  }

  /** Merges another thread's part (same brackets, other chunks); no chunk may be added after. */
  absorb(p: StreamPart): void {
    this.leaveWasm(); // kept buffers may be replaced below
    this.seen += p.seen;
    for (let k = 0; k < MAX_INTERVALS; k++) this.below[k] += p.below[k];
    p.kept.forEach((wider, j) => {
      // The part kept by the pilot's brackets; this summary may have narrowed its intervals since.
      // (A part's buffers are its own copies: compacted in place.)
      const { below, kept } = compact(wider, this.table[j], this.table[MAX_INTERVALS + 1 + j]);
      this.below[j] += below;
      const more = wider.subarray(0, kept);
      const need = this.fill[j] + more.length;
      if (need > this.kept[j].length) {
        const grown = new Float64Array(need);
        grown.set(this.kept[j].subarray(0, this.fill[j]));
        this.kept[j] = grown;
      }
      this.kept[j].set(more, this.fill[j]);
      this.fill[j] = need;
    });
    if (p.min < this.min) this.min = p.min;
    if (p.max > this.max) this.max = p.max;
    this.bad += p.bad;
    p.above.forEach((c, t) => {
      this.above[t] += c;
    });
    for (const [c, len, sum, m2] of p.blocks) this.blocks.set(c, [len, sum, m2]);
    this.overflowed ||= p.overflowed;
  }

  /** The summary, or undefined when a bracket missed its rank (then recompute from stored samples). */
  finish(): Summary | undefined {
    const n = this.seen;
    if (n !== this.n) throw new Error(`streamed ${n} of ${this.n} samples`);
    if (this.overflowed) return undefined;
    if (this.descriptors) this.syncFromWasm();
    const moments = new Moments();
    for (const c of [...this.blocks.keys()].sort((x, y) => x - y)) moments.combine(...this.blocks.get(c)!);
    // Rank of each kept interval's first sample: how many samples are below it.
    const start = Array.from(this.below.subarray(0, this.kept.length));
    const { positions, ranks } = quantileRanks(n, SUMMARY_QUANTILES);
    const values: number[] = [];
    for (let q = 0; q < SUMMARY_QUANTILES.length; q++) {
      const [r1, r2] = [ranks[2 * q], ranks[2 * q + 1]];
      const j = start.findIndex((b, i) => r1 >= b && r2 < b + this.fill[i]);
      if (j < 0) return undefined;
      const buf = this.kept[j].subarray(0, this.fill[j]);
      const rs = r1 === r2 ? [r1 - start[j]] : [r1 - start[j], r2 - start[j]];
      const v = valuesAtRanks(buf, rs);
      values.push(v[0], v[v.length - 1]);
    }
    const [p5, p25, p50, p75, p95] = interpolate(positions, values);
    const s: Summary = positiveZeros({
      mean: moments.mean,
      sd: moments.sd,
      p5,
      p25,
      p50,
      p75,
      p95,
      min: this.min,
      max: this.max,
    });
    if (this.thresholds.length > 0) {
      s.pAbove = {};
      this.thresholds.forEach((t, i) => {
        s.pAbove![String(t)] = this.above[i] / n;
      });
    }
    return s;
  }

  /**
   * Brackets from the first chunk: for each quantile, the pilot's values at bracketRanks() (−∞ or +∞
   * past the ends), merged where they overlap.
   */
  private pilot(a: Float64Array): void {
    const m = a.length;
    const ends: number[] = [];
    for (const p of SUMMARY_QUANTILES) ends.push(...bracketRanks(p, m));
    const arena = this.arena && arenaOf(a) === this.arena ? this.arena : undefined;
    let copy = arena?.scratch(CHUNK_SCRATCH, m);
    if (!copy) {
      if (pilotScratch.length < m) pilotScratch = new Float64Array(m);
      copy = pilotScratch.subarray(0, m);
    }
    copy.set(a);
    const inside = [...new Set(ends.filter((r) => r >= 0 && r < m))].sort((x, y) => x - y);
    const at = new Map(valuesAtRanks(copy, inside).map((v, i) => [inside[i], v]));
    const value = (r: number) => (r < 0 ? -Infinity : r >= m ? Infinity : at.get(r)!);
    // Intervals [lo, hi], merged where they meet, and the share of the pilot inside each (ties
    // included: a point mass puts every sample in one interval).
    const intervals: { lo: number; hi: number; share: number }[] = [];
    for (let q = 0; q < SUMMARY_QUANTILES.length; q++) {
      const [lo, hi] = [value(ends[2 * q]), value(ends[2 * q + 1])];
      const last = intervals[intervals.length - 1];
      if (last && lo <= last.hi) last.hi = Math.max(last.hi, hi);
      else intervals.push({ lo, hi, share: 0 });
    }
    for (const iv of intervals)
      iv.share =
        (arena ? arena.exports.countBetween(a.byteOffset, m, iv.lo, iv.hi) : countBetween(a, iv.lo, iv.hi)) / m;
    this.useBrackets({ table: tableOf(intervals), shares: intervals.map((iv) => iv.share) }, a);
    this.nextNarrowing = 2 * m;
  }

  /** The brackets this summary's pilot chose (after its first chunk). */
  brackets(): Brackets {
    return { table: Array.from(this.table), shares: [...this.shares] };
  }

  /** A summary that skips the pilot and uses another's brackets; its part() goes to that one's absorb(). */
  static following(n: number, brackets: Brackets, thresholds: readonly number[] = [], arena?: Arena): StreamingSummary {
    const s = new StreamingSummary(n, thresholds, arena);
    s.useBrackets(brackets, undefined);
    return s;
  }

  /**
   * Sets up the counters and kept buffers for the given brackets: in the arena (for the WebAssembly
   * pass) when `first` lives there and everything fits, otherwise ordinary arrays.
   */
  private useBrackets(brackets: Brackets, first: Float64Array | undefined): void {
    this.shares = brackets.shares;
    const nj = brackets.shares.length;
    const arena = this.arena && (first === undefined || arenaOf(first) === this.arena) ? this.arena : undefined;
    // The WebAssembly pass cannot grow a buffer: room for 30% more than the pilot's share, plus 4,096,
    // is about 15 standard errors of that share, so an overflow (then a recomputation) never happens
    // in practice. The JavaScript path grows its buffers (from 5% more).
    const caps = brackets.shares.map(
      (share) => Math.ceil(share * this.n * (arena ? 1.3 : 1.05)) + (arena ? 4096 : 1024),
    );
    const table = arena?.alloc(TABLE_LENGTH);
    const below = table && arena!.alloc(MAX_INTERVALS);
    const descriptors = below && arena!.allocInt32(4 * (MAX_INTERVALS + 1));
    const sink = descriptors && arena!.alloc(1);
    const kept = sink && caps.map((cap) => arena!.alloc(cap, false)); // filled before read
    if (kept?.every((k) => k !== undefined)) {
      this.descriptors = descriptors;
      descriptors!.set([sink!.byteOffset, 0, 1], 0);
      // Unused slots share the sink: nothing is ever kept there (their hi is NaN).
      for (let j = 0; j < MAX_INTERVALS; j++) {
        const buf = kept[j];
        if (buf) this.kept.push(buf);
        descriptors!.set(buf ? [buf.byteOffset, 0, caps[j]] : [sink!.byteOffset, 0, 1], 4 * (j + 1));
      }
      this.table = table!;
      this.below = below!;
    } else {
      caps.forEach((cap) => {
        this.kept.push(new Float64Array(cap));
      });
    }
    this.table.set(brackets.table);
    this.fill = new Int32Array(nj);
  }
}

/**
 * The ranks among n samples that bracket the p-quantile: (p ± d)(n − 1), d = Z standard errors of the
 * quantile plus 4 ranks, rounded outwards; −1 or n when the bracket reaches past an end.
 */
function bracketRanks(p: number, n: number): [number, number] {
  const d = Z * Math.sqrt((p * (1 - p)) / n) + 4 / n;
  return [p - d <= 0 ? -1 : Math.floor((p - d) * (n - 1)), p + d >= 1 ? n : Math.ceil((p + d) * (n - 1))];
}

/** streamPass's table for ascending, disjoint intervals: lo_0..lo_4 (+∞ unused), then hi by slot (NaN unused). */
function tableOf(intervals: readonly { lo: number; hi: number }[]): number[] {
  const table = new Array<number>(TABLE_LENGTH).fill(NaN);
  for (let k = 0; k < MAX_INTERVALS; k++) table[k] = intervals[k]?.lo ?? Infinity;
  intervals.forEach((iv, j) => {
    table[MAX_INTERVALS + 1 + j] = iv.hi;
  });
  return table;
}

/**
 * Keeps the values of a within [lo, hi] at its front, in order; returns how many were below lo and
 * how many were kept.
 */
function compact(a: Float64Array, lo: number, hi: number): { below: number; kept: number } {
  const arena = arenaOf(a);
  if (arena) {
    const kept = arena.exports.compact(a.byteOffset, a.length, lo, hi); // the same, without warm-up
    return { below: arena.results[5], kept };
  }
  let below = 0;
  let kept = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    if (x < lo) below++;
    else if (x <= hi) a[kept++] = x;
  }
  return { below, kept };
}

function countBetween(a: Float64Array, lo: number, hi: number): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] >= lo && a[i] <= hi) c++;
  return c;
}

function countAbove(a: Float64Array, t: number): number {
  let c = 0;
  for (let i = 0; i < a.length; i++) if (a[i] > t) c++;
  return c;
}

/**
 * summarize()'s numbers for stored samples (the same, bit for bit), computed by streaming each array
 * through a StreamingSummary a chunk at a time, in a WebAssembly arena when there is one: faster than
 * summarize()'s radix selection over the whole array, cold or warm. The arena is the one the run just
 * released where it fits, so this touches little fresh memory.
 */
export function summarizeStored(values: Float64Array, thresholds: readonly number[] = [], useWasm = true): Summary {
  const n = values.length;
  const m = Math.min(n, CHUNK_SIZE);
  // One chunk to copy into, the pass's staging scratch, and the kept samples (about 9% of n at most;
  // twice that reserved, as runArena does).
  const arena = n > 0 ? Arena.create(2 * m * 8 + 2 * n + 256 * 1024, useWasm) : undefined;
  try {
    const s = new StreamingSummary(n, thresholds, arena);
    const chunk = arena?.alloc(m, false);
    for (let i = 0; i < n; i += CHUNK_SIZE) {
      const part = values.subarray(i, Math.min(n, i + CHUNK_SIZE));
      if (!chunk) {
        s.add(part);
        continue;
      }
      const c = chunk.subarray(0, part.length);
      c.set(part);
      s.add(c);
    }
    return (n > 0 ? s.finish() : undefined) ?? summarize(values, thresholds);
  } finally {
    arena?.release();
  }
}
