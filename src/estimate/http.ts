// HTTP routes of the estimator: POST /api/estimate runs a bundled model or submitted source and
// returns the same JSON as `chipwatch estimate --json`; GET /api/estimate/models lists models.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import type { Principal, Role } from '../http/principal.js';
import type { Db } from '../db/index.js';
import type { EstimateInputs } from './lang/inputs.js';
import { ValidationError } from '../errors.js';
import { bundledModelSource, listModels, MAX_SOURCE_BYTES } from './models.js';
import { runEstimate, type EstimateRequest, type EstimateResult } from './engine/run.js';
import { ModelError } from './lang/errors.js';
import { compile, modelInputs } from './engine/compile.js';
import { decodeWorkerError, type WorkerError } from './threads/worker-error.js';

/** Upper bound per request: keeps one request's CPU time and memory (~8 bytes × samples × outputs) small. */
export const MAX_HTTP_SAMPLES = 1_000_000;
/**
 * Work one request may ask for: samples × (statements + outputs), four times over with sensitivity
 * (ranking every input). The bundled model at 1M samples is 26M (104M with sensitivity, ~7 s); a
 * 1,000-binding model at 1M samples (18 s of CPU) is not accepted.
 */
export const MAX_HTTP_WORK = 120_000_000;
/** Smaller runs (a few milliseconds) are cheaper inline than a round trip to the worker. */
export const OFFLOAD_MIN_SAMPLES = 50_000;

const summary = z.object({
  mean: z.number(),
  sd: z.number(),
  p5: z.number(),
  p25: z.number(),
  p50: z.number(),
  p75: z.number(),
  p95: z.number(),
  min: z.number(),
  max: z.number(),
  pAbove: z.record(z.number()).optional(),
});

const body = z
  .object({
    model: z
      .string()
      .regex(/^[a-z0-9-]+$/, 'a bundled model name (see GET /api/estimate/models)')
      .optional(),
    source: z.string().max(MAX_SOURCE_BYTES, `model source is limited to ${MAX_SOURCE_BYTES} characters`).optional(),
    samples: z.number().int().min(1).max(MAX_HTTP_SAMPLES).default(100_000),
    seed: z.number().int().min(0).max(0xffffffff).default(1),
    set: z.record(z.string().max(10_000)).default({}),
    inputs: z.record(z.union([z.number(), z.array(z.number()).max(10_000)])).default({}),
    thresholds: z.record(z.union([z.number(), z.array(z.number()).max(100)])).default({}),
    sensitivity: z.boolean().default(false),
  })
  .strict()
  .refine((b) => (b.model === undefined) !== (b.source === undefined), {
    message: 'give exactly one of model or source',
  });

const result = z.object({
  model: z.string(),
  samples: z.number(),
  seed: z.number(),
  outputs: z.record(summary),
  sensitivity: z
    .record(z.array(z.object({ input: z.string(), spearman: z.number(), varianceShare: z.number() })))
    .optional(),
  inputs: z.record(z.union([z.number(), z.array(z.number())])).optional(),
  posterior: z.object({ effectiveSamples: z.number() }).optional(),
});

/** What the assembler passes to the estimate routes. */
export interface EstimateRouteOptions {
  /** Run the WebAssembly loops (default true); false runs the JavaScript reference loops, same numbers. */
  useWasm?: boolean;
  /**
   * The evidence aggregates, for the inputs a model reads that the request does not give; read only for
   * callers whose role is in `roles` (admin always): anyone else gives every input in the request.
   */
  evidence?: { inputs: (db: Db) => Promise<EstimateInputs>; roles: readonly Role[] };
}

const modelList = z.array(z.object({ name: z.string(), title: z.string(), source: z.string() }));

export function estimateRoutes(ctx: AppContext, options: EstimateRouteOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const r = app.withTypeProvider<ZodTypeProvider>();
    r.get(
      '/estimate/models',
      {
        schema: { summary: 'List the bundled models', tags: ['estimate'], response: { 200: modelList } },
      },
      async () => listModels(),
    );
    r.post(
      '/estimate',
      {
        schema: {
          summary: 'Run a model (bundled or submitted source)',
          tags: ['estimate'],
          body,
          response: { 200: result },
        },
      },
      async (req) => {
        try {
          return await estimateHandler(ctx, req.body, options, req.principal);
        } catch (e) {
          throw namingField(e);
        }
      },
    );
  };
}

/** POST /api/estimate: checks the model and the work it asks for, then runs it (large runs off the event loop). */
async function estimateHandler(
  ctx: AppContext,
  b: z.infer<typeof body>,
  options: EstimateRouteOptions,
  principal: Principal | null,
) {
  let source = b.source;
  if (b.model !== undefined) {
    source = bundledModelSource(b.model);
    if (source === undefined) throw new ValidationError(`no bundled model named ${b.model}`, { field: 'model' });
  }
  const thresholds = Object.fromEntries(Object.entries(b.thresholds).map(([k, v]) => [k, Array.isArray(v) ? v : [v]]));
  const inputs = await requestInputs(ctx, source!, b, options, principal);
  const model = compile(source!, b.set, inputs);
  const perSample = (model.stmts.length + model.outputs.length) * (b.sensitivity ? 4 : 1);
  if (b.samples * perSample > MAX_HTTP_WORK) {
    const most = Math.floor(MAX_HTTP_WORK / perSample).toLocaleString('en-US');
    const asked = `${b.samples.toLocaleString('en-US')} samples${b.sensitivity ? ' with sensitivity' : ''}`;
    const message =
      `this model is too large to run ${asked} here (${model.stmts.length} statements); ` +
      `use at most ${most} samples, or the CLI`;
    throw new ValidationError(message, { field: 'samples' });
  }
  const run: EstimateRequest = {
    model: b.model ?? 'source',
    source: source!,
    samples: b.samples,
    seed: b.seed,
    set: b.set,
    inputs,
    thresholds,
    sensitivity: b.sensitivity,
    keepSamples: false,
    useWasm: options.useWasm,
  };
  if (b.samples < OFFLOAD_MIN_SAMPLES) return runEstimate(run).result;
  // Larger runs go to the server's work pool (threads/run-worker.ts): busy beyond its queue, 503.
  const decodeError = (r: Record<string, unknown>) => decodeWorkerError(r as unknown as WorkerError);
  return ctx.work.run<EstimateResult>('run-worker', run, { decodeError });
}

/** The request's inputs, and the evidence aggregates for those it lacks when the caller may read them. */
async function requestInputs(
  ctx: AppContext,
  source: string,
  b: z.infer<typeof body>,
  options: EstimateRouteOptions,
  principal: Principal | null,
): Promise<EstimateInputs> {
  const evidence = options.evidence;
  if (!evidence || !principal || (principal.role !== 'admin' && !evidence.roles.includes(principal.role)))
    return b.inputs;
  const missing = modelInputs(source, b.set).filter((name) => !Object.hasOwn(b.inputs, name));
  return missing.length === 0 ? b.inputs : { ...(await evidence.inputs(ctx.db)), ...b.inputs };
}

/** A model error in a request field (`set.vendors`, `thresholds.x`) names the field in its detail too. */
function namingField(e: unknown): unknown {
  if (!(e instanceof ModelError) || e.location.field === undefined) return e;
  return new ModelError(`${e.location.field}: ${e.message}`, e.pos, e.location.field);
}
