// exp(x) in plain JavaScript arithmetic, for the lognormal sampler's hot loop: Math.exp is a call
// into C++ for every sample, which costs as much as drawing the normal itself. Method (Tang, 1989):
// x = (k + j/2048)·ln2 + r with |r| ≤ ln2/4096; exp(x) = 2^k · 2^(j/2048) · e^r, with 2^(j/2048) from a
// table and e^r from a degree-5 Taylor polynomial (truncation error < 2e-22). Relative error is a few
// units in the last place; the result depends only on IEEE arithmetic, so it is the same everywhere.

const N = 2048;
const INV_STEP = N / Math.LN2; // 1 / (ln2 / 2048)
// ln2 = LN2_HI + LN2_LO as in fdlibm's e_exp.c: LN2_HI has 32 significant bits, so k·LN2_HI/2048 is
// exact for |k| < 2^21 (|x| < 709 keeps |k| below 2^21), and LN2_LO carries the rest of ln2. Written as
// the shortest decimals of the same doubles as fdlibm's 6.9314718036912381649e-1 and 1.90821492927058770002e-10.
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const STEP_HI = LN2_HI / N;
const STEP_LO = LN2_LO / N;
// Adding and subtracting 1.5·2^52 rounds a double of magnitude < 2^51 to the nearest integer (ties to
// even) in two IEEE additions, cheaper than Math.round in the hot loop.
const SHIFTER = 6755399441055744;
const TABLE = Float64Array.from({ length: N }, (_, j) => 2 ** (j / N));
const POW2 = Float64Array.from({ length: 2100 }, (_, i) => 2 ** (i - 1075));

/** The tables and constants, for the WebAssembly copy of expInPlace (engine.wat). */
export const EXP_TABLE = TABLE;
export const EXP_POW2 = POW2;
export const EXP_CONSTANTS = { INV_STEP, SHIFTER, STEP_HI, STEP_LO, C3: 1 / 6, C4: 1 / 24, C5: 1 / 120 };

/** exp(x) for every x; matches Math.exp to within a few ulp. */
export function fastExp(x: number): number {
  if (!(x > -708 && x < 709)) return Math.exp(x); // over/underflow, subnormals, NaN: the slow exact path
  const k = x * INV_STEP + SHIFTER - SHIFTER;
  const r = x - k * STEP_HI - k * STEP_LO;
  const ki = k | 0;
  const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
  return TABLE[ki & (N - 1)] * p * POW2[(ki >> 11) + 1075];
}

/** out[i] = exp(out[i]) for i in [start, end). */
export function expInPlace(out: Float64Array, start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const x = out[i];
    if (!(x > -708 && x < 709)) {
      out[i] = Math.exp(x);
      continue;
    }
    const k = x * INV_STEP + SHIFTER - SHIFTER;
    const r = x - k * STEP_HI - k * STEP_LO;
    const ki = k | 0;
    const p = 1 + r * (1 + r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120)))));
    out[i] = TABLE[ki & (N - 1)] * p * POW2[(ki >> 11) + 1075];
  }
}
