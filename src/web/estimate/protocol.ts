// Messages between the Estimate page and its web worker.
export interface RunRequest {
  id: number;
  source: string;
  set: Record<string, string>;
  samples: number;
  seed: number;
  thresholds: Record<string, number[]>;
  /** Also rank the inputs (the tornado), on a smaller run after the main one. */
  sensitivity: boolean;
}

export interface OutputView {
  mean: number;
  p5: number;
  p50: number;
  p95: number;
  pAbove?: Record<string, number>;
  /** Histogram between lo and hi (the 1st and 99th percentiles), equal-width bins. */
  lo: number;
  hi: number;
  bins: number[];
}

export type RunReply =
  | { id: number; phase: 'partial' | 'final'; samples: number; ms: number; outputs: Record<string, OutputView> }
  | { id: number; phase: 'sensitivity'; rows: Record<string, { input: string; spearman: number }[]> }
  | { id: number; phase: 'error'; message: string; line?: number; column?: number };
