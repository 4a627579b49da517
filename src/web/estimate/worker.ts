// The estimate engine in a web worker: compiles the model (errors with their line), runs it on the estimator's
// own core (src/estimate, WebAssembly loops where they apply), and answers a small preview first, then the full
// run, then the sensitivity ranking: the page draws the distributions as the samples come in.
import wasmUrl from '../../../dist/estimate/wasm/engine.wasm?url';
import { runEstimate } from '../../estimate/engine/run';
import { ModelError } from '../../estimate/lang/errors';
import { provideEngineModule } from '../../estimate/wasm/arena';
import type { OutputView, RunReply, RunRequest } from './protocol';

const PREVIEW = 10_000;
const SENSITIVITY_SAMPLES = 20_000;
const BINS = 48;

const ready = WebAssembly.compileStreaming(fetch(wasmUrl))
  .then(provideEngineModule)
  .catch(() => undefined); // without it the engine's JavaScript loops run: the same numbers, slower

function view(
  values: Float64Array,
  s: { mean: number; p5: number; p50: number; p95: number; pAbove?: Record<string, number> },
): OutputView {
  const sorted = Float64Array.from(values.length > 20_000 ? values.subarray(0, 20_000) : values).sort();
  const lo = sorted[Math.floor(sorted.length * 0.01)];
  const hi = sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))];
  const bins = new Array<number>(BINS).fill(0);
  const width = (hi - lo) / BINS || 1;
  for (const v of values) {
    if (v < lo || v > hi) continue;
    bins[Math.min(BINS - 1, Math.floor((v - lo) / width))]++;
  }
  return { mean: s.mean, p5: s.p5, p50: s.p50, p95: s.p95, pAbove: s.pAbove, lo, hi, bins };
}

function run(req: RunRequest, samples: number, phase: 'partial' | 'final'): RunReply {
  const t0 = performance.now();
  const { result, evaluation } = runEstimate({
    model: 'web',
    source: req.source,
    samples,
    seed: req.seed,
    set: req.set,
    thresholds: req.thresholds,
    keepSamples: true,
  });
  const outputs: Record<string, OutputView> = {};
  for (const [name, summary] of Object.entries(result.outputs)) {
    const values = evaluation.outputs.get(name);
    if (values) outputs[name] = view(values, summary);
  }
  return { id: req.id, phase, samples, ms: performance.now() - t0, outputs };
}

self.onmessage = async (e: MessageEvent<RunRequest>) => {
  await ready;
  const req = e.data;
  try {
    if (req.samples > PREVIEW) postMessage(run(req, PREVIEW, 'partial'));
    postMessage(run(req, req.samples, 'final'));
    if (req.sensitivity) {
      const { result } = runEstimate({
        model: 'web',
        source: req.source,
        samples: Math.min(req.samples, SENSITIVITY_SAMPLES),
        seed: req.seed,
        set: req.set,
        sensitivity: true,
        keepSamples: false,
      });
      const rows = Object.fromEntries(
        Object.entries(result.sensitivity ?? {}).map(([k, v]) => [
          k,
          v.map((r) => ({ input: r.input, spearman: r.spearman })),
        ]),
      );
      postMessage({ id: req.id, phase: 'sensitivity', rows } satisfies RunReply);
    }
  } catch (err) {
    const pos = err instanceof ModelError ? err.pos : undefined;
    const message = err instanceof Error ? err.message : String(err);
    postMessage({ id: req.id, phase: 'error', message, line: pos?.line, column: pos?.column } satisfies RunReply);
  }
};
