// "Nice" axis ticks: steps of 1, 2 or 5 × 10^k on a linear axis; powers of ten (with 2× and 5× when
// there is room) on a log axis. Ticks are returned as values, not axis positions.

/** Ticks inside [lo, hi] with a 1/2/5 step, at most about `maxCount` of them. */
export function linearTicks(lo: number, hi: number, maxCount: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [lo] : [];
  const count = Math.max(1, Math.floor(maxCount));
  const rough = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(rough));
  let step = 10 * mag;
  for (const m of [1, 2, 5, 10]) {
    if ((hi - lo) / (m * mag) <= count) {
      step = m * mag;
      break;
    }
  }
  const ticks: number[] = [];
  const first = Math.ceil(lo / step - 1e-9);
  const lastI = Math.floor(hi / step + 1e-9);
  for (let i = first; i <= lastI; i++) {
    // Multiply rather than accumulate, and round off binary noise (0.30000000000000004).
    const v = Number((i * step).toPrecision(12));
    ticks.push(Object.is(v, -0) ? 0 : v);
  }
  return ticks;
}

/** Ticks for a log axis given in log10 units: decades, thinned or refined to fit about `maxCount`. */
export function logTicks(lo10: number, hi10: number, maxCount: number): number[] {
  if (hi10 - lo10 < 1) return linearTicks(10 ** lo10, 10 ** hi10, Math.min(maxCount, 5));
  const e0 = Math.ceil(lo10 - 1e-9);
  const e1 = Math.floor(hi10 + 1e-9);
  const decades = e1 - e0 + 1;
  const ticks: number[] = [];
  if (decades * 3 <= maxCount) {
    for (let e = e0 - 1; e <= e1; e++) {
      for (const m of [1, 2, 5]) {
        const v = Number((m * 10 ** e).toPrecision(12));
        const t = Math.log10(v);
        if (t >= lo10 - 1e-9 && t <= hi10 + 1e-9) ticks.push(v);
      }
    }
    return ticks;
  }
  const stride = Math.max(1, Math.ceil(decades / Math.max(1, maxCount)));
  for (let e = e0; e <= e1; e++) {
    if (e % stride === 0) ticks.push(Number((10 ** e).toPrecision(12)));
  }
  return ticks;
}
