// `chipwatch estimate`: run a bundled model or a model file, list models, compare scenarios.
import { type Command, Option } from 'commander';
import { collect, nonNegativeInt, positiveInt, print, printJson } from '../cli/io.js';
import { UsageError } from '../cli/errors.js';
// What every estimate run needs is imported statically, so it loads with this module in one go (the
// ESM loader fetches static imports concurrently; each awaited import() is another round trip).
import type { EstimateRequest, EstimateResult, EstimateRun } from './engine/run.js';
import { runEstimateParallel } from './threads/run-parallel.js';
import { DEFAULT_MODEL, listModels, loadModel } from './models.js';
import { tokenize } from './lang/lexer.js';
import { ModelError } from './lang/errors.js';
import type { EstimateInputs } from './lang/inputs.js';
import { modelInputs } from './engine/compile.js';
import { suggest } from './lang/suggest.js';

export const MAX_CLI_SAMPLES = 10_000_000;

/** What the assembler passes to the estimate commands. */
export interface EstimateCommandOptions {
  /** Run the WebAssembly loops (default true); false runs the JavaScript reference loops, same numbers. */
  useWasm?: boolean;
  /**
   * The values a model's input("name") calls read when `--input` does not give them: the evidence
   * aggregates, which the assembler wires in (called only for a model that reads an input).
   */
  inputs?: (dataDir: string) => Promise<EstimateInputs>;
}

interface EstimateOpts {
  samples: number;
  seed: number;
  set: string[];
  input: string[];
  dataDir: string;
  threshold: string[];
  sensitivity?: boolean;
  plot?: string;
  plotOutput: string[];
  csv?: string;
  json?: boolean;
  histogram: boolean;
  threads?: number;
  tornado?: string;
}

interface CompareOpts extends EstimateOpts {
  scenario: string[];
}

/** Request field (`set.NAME`, `thresholds.NAME`) → the argument that gave it, as the user typed it. */
type ArgumentNames = Record<string, string>;

/** `k=EXPR` → [k, EXPR]; the expression may itself contain "=" only after the first one. */
function splitAssignment(flag: string, s: string): [string, string] {
  const i = s.indexOf('=');
  if (i <= 0 || i === s.length - 1) throw new UsageError(`${flag} expects NAME=VALUE, got "${s}"`);
  return [s.slice(0, i).trim(), s.slice(i + 1).trim()];
}

export function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const [k, v] = splitAssignment('--set', s);
    if (k in out) throw new UsageError(`--set ${k} is given twice`);
    out[k] = v;
  }
  return out;
}

export function parseThresholds(items: readonly string[]): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const s of items) {
    const [k, v] = splitAssignment('--threshold', s);
    // The language's own number syntax, so 100k and 1.5M work here too.
    let x: number;
    try {
      const toks = tokenize(v.replace(/^-/, ''));
      if (toks.length !== 2 || toks[0].kind !== 'num') throw new Error();
      x = (v.startsWith('-') ? -1 : 1) * toks[0].value;
    } catch {
      throw new UsageError(`--threshold ${k}: "${v}" is not a number`);
    }
    const values = out[k] ?? [];
    values.push(x);
    out[k] = values;
  }
  return out;
}

/** `--input name=N` or `name=N,N,...` (a list per period); numbers in the language's syntax (100k, 2.5M). */
export function parseInputs(items: readonly string[]): Record<string, number | number[]> {
  const out: Record<string, number | number[]> = {};
  for (const s of items) {
    const [k, v] = splitAssignment('--input', s);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) throw new UsageError(`--input ${s}: "${k}" is not an input name`);
    if (k in out) throw new UsageError(`--input ${k} is given twice`);
    const values = v
      .split(',')
      .map((x) => languageNumber(x.trim(), () => `--input ${k}: "${x.trim()}" is not a number`));
    out[k] = values.length === 1 ? values[0] : values;
  }
  return out;
}

/** A number in the language's own syntax (so 100k and 1.5M work), with an optional minus sign. */
function languageNumber(v: string, error: () => string): number {
  try {
    const toks = tokenize(v.replace(/^-/, ''));
    if (toks.length !== 2 || toks[0].kind !== 'num') throw new Error();
    return (v.startsWith('-') ? -1 : 1) * toks[0].value;
  } catch {
    throw new UsageError(error());
  }
}

/** An `--input` that no model of the run reads is a typo or a stale name: said before any sampling. */
function checkGiven(given: Record<string, number | number[]>, read: readonly string[]): void {
  for (const name of Object.keys(given)) {
    if (read.includes(name)) continue;
    const hint = suggest(name, read);
    const reads = read.length ? `it reads ${read.join(', ')}` : 'it reads none';
    throw new UsageError(
      `--input ${name}: the model reads no input named ${name}${hint ? ` (did you mean ${hint}?)` : ''}; ${reads}`,
    );
  }
}

/**
 * The inputs for a run: `--input` values, and for any other input the model reads, the assembler's
 * (evidence aggregates); the evidence is not loaded when the model reads none or --input gives them all.
 */
async function runInputs(
  source: string,
  set: Record<string, string>,
  given: Record<string, number | number[]>,
  options: EstimateCommandOptions,
  dataDir: string,
): Promise<EstimateInputs> {
  const missing = modelInputs(source, set).filter((name) => !Object.hasOwn(given, name));
  if (missing.length === 0 || !options.inputs) return given;
  return { ...(await options.inputs(dataDir)), ...given };
}

function estimateOptions(cmd: Command): Command {
  return cmd
    .option('-n, --samples <n>', 'number of samples', positiveInt('--samples', MAX_CLI_SAMPLES), 100_000)
    .option('--seed <s>', 'random seed (same seed, same numbers on every machine)', nonNegativeInt('--seed'), 1)
    .option('--set <name=EXPR>', 'override a binding, e.g. --set "vendors=50 to 200" (repeatable)', collect, [])
    .option(
      '--input <name=N>',
      'give an input the model reads with input("name"), instead of the evidence (repeatable)',
      collect,
      [],
    )
    .option(
      '--data-dir <dir>',
      'data directory of the embedded database, where input("name") finds the evidence',
      '.chipwatch',
    )
    .option('--threshold <name=x>', 'report P(name > x), e.g. --threshold smuggled=100k (repeatable)', collect, [])
    .option('--json', 'print one JSON object')
    .option('--plot <file>', 'draw densities to FILE.svg or FILE.png')
    .option('--plot-output <name>', 'output(s) to plot (repeatable; default: the first output)', collect, [])
    .option(
      '--threads <n>',
      'threads to sample on (default: all cores from 5,000,000 samples; same numbers either way)',
      positiveInt('--threads', 64),
    );
}

/** Plot files must be SVG or PNG: said before any sampling, as a usage error. */
function checkPlotFiles(opts: Pick<EstimateOpts, 'plot' | 'tornado'>): void {
  for (const [flag, file] of [
    ['--plot', opts.plot],
    ['--tornado', opts.tornado],
  ] as const) {
    if (file && !/\.(svg|png)$/i.test(file)) throw new UsageError(`${flag} FILE must end in .svg or .png`);
  }
}

/** The fields of `--set` (or a scenario's) overrides and of `--threshold`s, named as the user typed them. */
function argumentNames(sets: Record<string, string>, thresholds: readonly string[], setFlag = '--set '): ArgumentNames {
  const names: ArgumentNames = {};
  for (const [k, v] of Object.entries(sets)) names[`set.${k}`] = `${setFlag}${k}=${v}`;
  for (const t of thresholds) names[`thresholds.${t.slice(0, t.indexOf('=')).trim()}`] ??= `--threshold ${t}`;
  return names;
}

/**
 * A model error in an argument names the argument as typed (`--set vendors=banana: unknown name
 * banana`): the model's line:column would point at text the user did not write.
 */
function namingArgument(e: unknown, names: ArgumentNames): unknown {
  const field = e instanceof ModelError ? e.location.field : undefined;
  if (field === undefined || names[field] === undefined) return e;
  const column = e instanceof ModelError ? e.location.column : undefined;
  const at = typeof column === 'number' && column > 1 ? ` (at column ${column})` : '';
  return new ModelError(`${names[field]}: ${(e as Error).message}${at}`);
}

/** `chipwatch estimate [model]`: one run, printed as a table with histograms, or as JSON. */
async function estimateAction(modelArg: string | undefined, opts: EstimateOpts, options: EstimateCommandOptions) {
  const { name, source } = loadModel(modelArg ?? DEFAULT_MODEL);
  checkPlotFiles(opts);
  const thresholds = parseThresholds(opts.threshold);
  const set = parseSets(opts.set);
  const given = parseInputs(opts.input);
  let inputs: EstimateInputs;
  try {
    checkGiven(given, modelInputs(source, set));
    inputs = await runInputs(source, set, given, options, opts.dataDir);
  } catch (e) {
    throw namingArgument(e, argumentNames(set, opts.threshold));
  }
  const progress = opts.json ? undefined : await progressReporter();
  const req: EstimateRequest = {
    model: name,
    source,
    samples: opts.samples,
    seed: opts.seed,
    set,
    inputs,
    thresholds,
    sensitivity: opts.sensitivity,
    onProgress: progress?.update,
    useWasm: options.useWasm,
  };
  let run: Awaited<ReturnType<typeof runEstimateParallel>>;
  try {
    // Samples are kept only for what draws or writes them; summaries alone stream (same numbers).
    const keepSamples = Boolean(opts.csv || opts.plot || (!opts.json && opts.histogram));
    run = await runEstimateParallel({ ...req, keepSamples, threads: opts.threads });
  } catch (e) {
    throw namingArgument(e, argumentNames(set, opts.threshold));
  } finally {
    progress?.stop();
  }
  const { result, evaluation } = run;
  await writeFiles(opts, run);
  if (opts.json) return printJson(result);
  print(`${result.model} · ${result.samples.toLocaleString('en-US')} samples · seed ${result.seed}`);
  print(`${[...inputsLine(result), ...posteriorLine(result)].map((l) => `${l}\n`).join('')}`);
  const { summaryTable } = await import('./render/tables.js');
  print(summaryTable(result));
  if (opts.histogram) {
    const { terminalHistogram } = await import('./render/histogram.js'); // not index.js: that loads resvg
    for (const [out, values] of evaluation.outputs) print(`\n${out}\n${terminalHistogram(values)}`);
  }
  if (result.sensitivity) {
    const { terminalTornado } = await import('./render/tornado.js');
    for (const [out, rows] of Object.entries(result.sensitivity)) {
      print(`\nsensitivity of ${out}\n${terminalTornado(rows)}`);
    }
  }
  if (opts.plot) print(`\nplot written to ${opts.plot}`);
  if (opts.tornado) print(`tornado chart written to ${opts.tornado}`);
  if (opts.csv) print(`samples written to ${opts.csv}`);
}

/** `inputs: name=value, ...` when the model read any. */
function inputsLine(r: EstimateResult): string[] {
  const shown = Object.entries(r.inputs ?? {}).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : v}`);
  return shown.length ? [`inputs: ${shown.join(', ')}`] : [];
}

/** For a model with observe(...): that its outputs are the posterior, and from how many effective samples. */
function posteriorLine(r: EstimateResult): string[] {
  if (!r.posterior) return [];
  const ess = Math.round(r.posterior.effectiveSamples).toLocaleString('en-US');
  return [`posterior by sampling-importance-resampling · ${ess} effective samples`];
}

/** The files a run writes: --csv samples, --plot densities, --tornado chart. */
async function writeFiles(opts: EstimateOpts, { result, evaluation }: EstimateRun): Promise<void> {
  if (opts.csv) {
    const { writeSamplesCsv } = await import('./csv.js');
    await writeSamplesCsv(opts.csv, evaluation.outputs, opts.sensitivity ? evaluation.inputs : new Map());
  }
  if (opts.plot) {
    const { plotOutputs } = await import('./plot.js');
    plotOutputs(opts.plot, [{ name: '', outputs: evaluation.outputs, result }], opts.plotOutput);
  }
  if (opts.tornado) {
    if (!result.sensitivity) throw new UsageError('--tornado needs --sensitivity');
    const { plotTornado } = await import('./plot.js');
    plotTornado(opts.tornado, result, opts.plotOutput[0]);
  }
}

/** `chipwatch estimate models`: the bundled models, one a line or as JSON. */
function modelsAction(opts: { json?: boolean }): void {
  const models = listModels();
  if (opts.json) {
    printJson(models);
    return;
  }
  const w = Math.max(...models.map((m) => m.name.length));
  for (const m of models) print(`${m.name.padEnd(w)}  ${m.title}`);
}

/** `chipwatch estimate compare`: models or scenarios side by side, with the same seed and samples. */
async function compareAction(models: string[], opts: CompareOpts, options: EstimateCommandOptions): Promise<void> {
  const { runScenario } = await import('./compare.js');
  checkPlotFiles(opts);
  const thresholds = parseThresholds(opts.threshold);
  const scenarios = parseScenarios(models, opts.scenario, parseSets(opts.set));
  const given = parseInputs(opts.input);
  // The evidence is read once for all the models and scenarios compared.
  let evidence: Promise<EstimateInputs> | undefined;
  const once = options.inputs && { ...options, inputs: (dir: string) => (evidence ??= options.inputs!(dir)) };
  const results = [];
  const read: string[] = [];
  for (const s of scenarios) {
    try {
      const { samples, seed } = opts;
      const { source } = loadModel(s.model);
      read.push(...modelInputs(source, s.set));
      const inputs = await runInputs(source, s.set, given, once || options, opts.dataDir);
      results.push(await runScenario(s, { samples, seed, thresholds, inputs, useWasm: options.useWasm }));
    } catch (e) {
      throw namingArgument(e, { ...argumentNames({}, opts.threshold), ...s.arguments });
    }
  }
  checkGiven(given, read);
  if (opts.plot) {
    const { plotOutputs } = await import('./plot.js');
    plotOutputs(opts.plot, results, opts.plotOutput);
  }
  if (opts.json) return printJson({ scenarios: results.map((r) => ({ name: r.name, ...r.result })) });
  const { comparisonTable } = await import('./render/tables.js');
  print(`${results[0].result.samples.toLocaleString('en-US')} samples · seed ${opts.seed}\n`);
  print(comparisonTable(results));
  for (const r of results) {
    const notes = [...inputsLine(r.result), ...posteriorLine(r.result)];
    if (notes.length) print(`\n${r.name}: ${notes.join(' · ')}`);
  }
  if (opts.plot) print(`\nplot written to ${opts.plot}`);
}

/** A progress bar on a terminal, shown only once a run has taken about a second. */
async function progressReporter(): Promise<
  { update: (done: number, total: number) => void; stop: () => void } | undefined
> {
  if (!process.stderr.isTTY) return undefined;
  const { SingleBar, Presets } = await import('cli-progress');
  const started = Date.now();
  let bar: InstanceType<typeof SingleBar> | undefined;
  return {
    update(done, total) {
      if (!bar && Date.now() - started < 1000) return;
      if (!bar) {
        const format = 'sampling [{bar}] {percentage}% · {value}/{total}';
        const stream = process.stderr;
        bar = new SingleBar({ stream, format, hideCursor: true, clearOnComplete: true }, Presets.shades_classic);
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop: () => bar?.stop(),
  };
}

export function registerEstimateCommands(program: Command, options: EstimateCommandOptions = {}): void {
  const estimate = estimateCommand(program).action((model: string | undefined, opts: EstimateOpts) =>
    estimateAction(model, opts, options),
  );
  estimate.command('models').description('list the bundled models').option('--json', 'print JSON').action(modelsAction);
  compareCommand(estimate).action((models: string[], opts: CompareOpts) => compareAction(models, opts, options));
}

function estimateCommand(program: Command): Command {
  return estimateOptions(
    program
      .command('estimate')
      .description('run a probabilistic model: a bundled one (default smuggling-2024) or a .sq file')
      .enablePositionalOptions()
      .argument('[model]', 'bundled model name or path to a model file'),
  )
    .option('--sensitivity', 'rank inputs by Spearman correlation and first-order variance share')
    .option('--csv <file>', 'write the samples of every output (and inputs with --sensitivity) to CSV')
    .option(
      '--tornado <file>',
      'with --sensitivity: draw the tornado chart of the first --plot-output (or first output) to FILE.svg or FILE.png',
    )
    .option('--no-histogram', 'do not print terminal histograms');
}

function compareCommand(estimate: Command): Command {
  return estimateOptions(
    estimate
      .command('compare')
      .description('run models side by side, or one model under several scenarios (--scenario)')
      .argument('<models...>', 'bundled model names or model files'),
  ).addOption(
    new Option('--scenario <name:k=EXPR;k=EXPR>', 'a named set of overrides of the (single) model; repeatable')
      .argParser(collect)
      .default([]),
  );
}

export interface ScenarioSpec {
  name: string;
  model: string;
  set: Record<string, string>;
  /** The argument each override came from (`set.NAME` → `--set NAME=EXPR` or `--scenario S:NAME=EXPR`). */
  arguments: ArgumentNames;
}

export function parseScenarios(
  models: readonly string[],
  scenarios: readonly string[],
  common: Record<string, string>,
): ScenarioSpec[] {
  const baseline = argumentNames(common, []);
  if (scenarios.length === 0) {
    if (models.length < 2)
      throw new UsageError('compare needs two or more models, or one model and --scenario options');
    return models.map((m) => ({ name: m, model: m, set: { ...common }, arguments: baseline }));
  }
  if (models.length !== 1) throw new UsageError('--scenario applies to a single model; give exactly one');
  const out: ScenarioSpec[] = [{ name: 'baseline', model: models[0], set: { ...common }, arguments: baseline }];
  for (const s of scenarios) {
    const colon = s.indexOf(':');
    if (colon <= 0) throw new UsageError(`--scenario expects NAME:k=EXPR;k=EXPR, got "${s}"`);
    const name = s.slice(0, colon).trim();
    if (out.some((o) => o.name === name)) throw new UsageError(`scenario ${name} is given twice`);
    const own = parseSets(
      s
        .slice(colon + 1)
        .split(';')
        .map((x) => x.trim())
        .filter(Boolean),
    );
    const args = { ...baseline, ...argumentNames(own, [], `--scenario ${name}:`) };
    out.push({ name, model: models[0], set: { ...common, ...own }, arguments: args });
  }
  return out;
}
