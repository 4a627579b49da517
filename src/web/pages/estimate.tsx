// The Estimate page: edit a model in the estimator's Squiggle-like syntax (errors at their line), see each
// output's distribution as the samples come in (a preview, then the full run, in a web worker), the sensitivity
// tornado, a scenario against the baseline, thresholds, and a URL that shares the model.
import { useEffect, useRef, useState } from 'preact/hooks';
import bundledModel from '../../../models/smuggling-2024.sq?raw';
import { fmt, Histogram, Tornado } from '../estimate/charts';
import type { OutputView, RunReply, RunRequest } from '../estimate/protocol';
import { parseScenario, readShared, shareHash } from '../estimate/share';

const SAMPLES = 100_000;

interface Runs {
  base?: Record<string, OutputView>;
  scenario?: Record<string, OutputView>;
  samples?: number;
  sensitivity?: Record<string, { input: string; spearman: number }[]>;
  error?: { message: string; line?: number; column?: number; where: 'model' | 'scenario' };
  /** Milliseconds from the edit to the full run's answer. */
  updateMs?: number;
}

/** One worker; requests wait while one runs, and those an edit has replaced are dropped unsent. */
function useEngine(onReply: (r: RunReply, req: RunRequest) => void, isCurrent: (id: number) => boolean) {
  const worker = useRef<Worker | null>(null);
  const busy = useRef<RunRequest | null>(null);
  const waiting = useRef<RunRequest[]>([]);
  const handler = useRef(onReply);
  handler.current = onReply;
  useEffect(() => {
    const w = new Worker(new URL('../estimate/worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    w.onmessage = (e: MessageEvent<RunReply>) => {
      const req = busy.current!;
      handler.current(e.data, req);
      const done =
        e.data.phase === 'error' || e.data.phase === 'sensitivity' || (e.data.phase === 'final' && !req.sensitivity);
      if (!done) return;
      waiting.current = waiting.current.filter((q) => isCurrent(q.id));
      busy.current = waiting.current.shift() ?? null;
      if (busy.current) w.postMessage(busy.current);
    };
    return () => w.terminate();
  }, []);
  return (req: RunRequest) => {
    if (busy.current) waiting.current.push(req);
    else {
      busy.current = req;
      worker.current?.postMessage(req);
    }
  };
}

function parseThresholds(text: string): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const part of text.split(/[,;\n]/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*>\s*([-0-9.eE]+)\s*([kMB]?)\s*$/.exec(part);
    if (!m) continue;
    const scale = { '': 1, k: 1e3, M: 1e6, B: 1e9 }[m[3] as '' | 'k' | 'M' | 'B'];
    out[m[1]] = [...(out[m[1]] ?? []), Number(m[2]) * scale];
  }
  return out;
}

export function EstimatePage() {
  const shared = readShared(location.hash);
  // The bundled model the CLI runs by default, shipped with the page (a shared link carries its own).
  const [source, setSource] = useState(shared?.source ?? bundledModel);
  const [scenario, setScenario] = useState(shared?.scenario ?? '');
  const [thresholds, setThresholds] = useState('');
  const [runs, setRuns] = useState<Runs>({});
  const [copied, setCopied] = useState(false);
  const editedAt = useRef(performance.now());
  const nextId = useRef(1);
  const latest = useRef({ base: 0, scenario: 0 });
  const send = useEngine(
    (r, req) => {
      const isScenario = req.id === latest.current.scenario;
      if (!isScenario && req.id !== latest.current.base) return; // an answer to an edit already replaced
      setRuns((prev) => {
        if (r.phase === 'error') return { ...prev, error: { ...r, where: isScenario ? 'scenario' : 'model' } };
        if (r.phase === 'sensitivity') return { ...prev, sensitivity: r.rows };
        if (isScenario) return { ...prev, scenario: r.outputs };
        const updateMs = r.phase === 'final' ? performance.now() - editedAt.current : prev.updateMs;
        return { ...prev, error: undefined, base: r.outputs, samples: r.samples, updateMs };
      });
    },
    (id) => id === latest.current.base || id === latest.current.scenario,
  );
  useEffect(() => {
    if (!source) return;
    const th = parseThresholds(thresholds);
    const id = nextId.current++;
    latest.current = { base: id, scenario: 0 };
    send({ id, source, set: {}, samples: SAMPLES, seed: 1, thresholds: th, sensitivity: true });
    let set: Record<string, string> = {};
    try {
      set = parseScenario(scenario);
    } catch (e) {
      setRuns((p) => ({ ...p, error: { message: (e as Error).message, where: 'scenario' } }));
      return;
    }
    if (Object.keys(set).length) {
      latest.current.scenario = nextId.current++;
      send({ id: latest.current.scenario, source, set, samples: SAMPLES, seed: 1, thresholds: th, sensitivity: false });
    } else setRuns((p) => ({ ...p, scenario: undefined }));
  }, [source, scenario, thresholds]);
  const share = async () => {
    const url = `${location.origin}/estimate${shareHash({ source, scenario })}`;
    history.replaceState(null, '', url);
    await navigator.clipboard?.writeText(url).catch(() => undefined);
    setCopied(true);
  };
  const names = Object.keys(runs.base ?? {});
  return (
    <main id="main">
      <h1>Estimate</h1>
      <div class="grid">
        <section>
          <label for="model">Model (one binding a line; the last line names the outputs)</label>
          <textarea
            id="model"
            class="model"
            spellcheck={false}
            value={source}
            onInput={(e) => {
              editedAt.current = performance.now();
              setSource((e.target as HTMLTextAreaElement).value);
            }}
          />
          {runs.error && (
            <p role="alert" class="error" data-testid="model-error">
              {runs.error.where === 'scenario' ? 'Scenario: ' : ''}
              {runs.error.line !== undefined ? `line ${runs.error.line}, column ${runs.error.column}: ` : ''}
              {runs.error.message}
            </p>
          )}
          <label for="scenario">
            Scenario: overrides, one <code>name = expression</code> a line
          </label>
          <textarea
            id="scenario"
            class="model scenario"
            spellcheck={false}
            value={scenario}
            onInput={(e) => setScenario((e.target as HTMLTextAreaElement).value)}
          />
          <p class="filters">
            <label>
              Thresholds, e.g. smuggled &gt; 100k
              <input value={thresholds} onInput={(e) => setThresholds((e.target as HTMLInputElement).value)} />
            </label>
            <button type="button" onClick={share}>
              Share by URL
            </button>
            {copied && <span role="status">Link in the address bar{navigator.clipboard ? ' and copied' : ''}.</span>}
          </p>
        </section>
        <section aria-label="results">
          <p role="status" data-testid="run-status" data-update-ms={runs.updateMs?.toFixed(1) ?? ''}>
            {runs.samples ? `${runs.samples.toLocaleString('en-US')} samples` : 'Running…'}
            {runs.updateMs !== undefined ? ` · updated ${Math.round(runs.updateMs)} ms after the edit` : ''}
          </p>
          <table>
            <caption>Outputs (blue: model; red: scenario)</caption>
            <thead>
              <tr>
                <th scope="col">Output</th>
                <th scope="col">p5</th>
                <th scope="col">median</th>
                <th scope="col">p95</th>
                <th scope="col">scenario median</th>
                <th scope="col">P(above)</th>
              </tr>
            </thead>
            <tbody>
              {names.map((n) => {
                const o = runs.base![n];
                const s = runs.scenario?.[n];
                return (
                  <tr key={n}>
                    <th scope="row">{n}</th>
                    <td>{fmt(o.p5)}</td>
                    <td data-testid={`median-${n}`} data-value={o.p50}>
                      {fmt(o.p50)}
                    </td>
                    <td>{fmt(o.p95)}</td>
                    <td>{s ? fmt(s.p50) : '—'}</td>
                    <td>
                      {Object.entries(o.pAbove ?? {})
                        .map(([t, p]) => `>${fmt(Number(t))}: ${(p * 100).toFixed(1)}%`)
                        .join(' ')}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {names.map((n) => (
            <figure key={n}>
              <figcaption>{n}</figcaption>
              <Histogram name={n} base={runs.base![n]} other={runs.scenario?.[n]} />
            </figure>
          ))}
          {runs.sensitivity &&
            Object.entries(runs.sensitivity)
              .slice(0, 2)
              .map(([n, rows]) => (
                <figure key={n}>
                  <figcaption>Sensitivity of {n} (Spearman rank correlation)</figcaption>
                  <Tornado rows={rows} />
                </figure>
              ))}
        </section>
      </div>
    </main>
  );
}
