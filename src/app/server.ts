// Assembles the HTTP app: the http toolkit's logging, auth, rate limits, problem+json errors and work pool,
// OpenAPI at /docs, and each domain's routes under /api. Stateless: all state lives in the database.
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import rateLimit from '@fastify/rate-limit';
import {
  serializerCompiler,
  validatorCompiler,
  jsonSchemaTransform,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Db } from '../db/index.js';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { AppContext } from '../http/context.js';
import { installAuth } from '../http/auth.js';
import { healthRoutes } from '../http/health.js';
import { WorkPool } from '../http/work-pool.js';
import { DIST_DIR } from '../paths.js';
import { accountRoutes, authenticateKey } from '../accounts/index.js';
import { sendProblem } from '../http/problem.js';
import { rejectUnstorableText } from '../http/text-guard.js';
import { estimateRoutes } from '../estimate/index.js';
import { registryRoutes } from '../registry/http.js';
import { verifyRoutes } from '../verify/http.js';
import { tlogRoutes, type TlogRouteOptions } from '../tlog/http.js';
import { screeningRoutes } from '../screening/http.js';
import { tipsRoutes } from '../tips/http.js';
import { tipFormRoutes } from '../tips/form/routes.js';
import { intelRoutes } from '../intel/http.js';
import { evidenceAggregates } from '../intel/index.js';
import type { PowSettings } from '../tips/pow.js';
import { shipmentLocationEvidence } from './wiring.js';
import { serveWeb } from './web.js';

export interface AppOptions {
  db: Db;
  logger?: FastifyServerOptions['logger'];
  now?: () => Date;
  /** The transparency log's signing-key source (data dir, CHIPWATCH_LOG_KEK); without it the server signs nothing. */
  tlog?: TlogRouteOptions;
  /** Requests per minute per caller (API key, or client address without one). */
  rateLimitPerMinute?: number;
  /** Failed authentications per minute per client address before it is refused (429). */
  authFailuresPerMinute?: number;
  bodyLimitBytes?: number;
  /** Where the server caches prepared data (screening lists): DATA_DIR/cache; absent: nothing is cached. */
  cacheDir?: string;
  /** false: the estimator's JavaScript loops instead of WebAssembly (CHIPWATCH_WASM=0; same numbers). */
  useWasm?: boolean;
  /** Worker threads for heavy requests and how many may wait for one (more: 503). */
  work?: { threads?: number; maxQueued?: number };
  /** POST /api/tips proof of work (DATA_DIR/tips-pow.secret, CHIPWATCH_TIPS_POW_BITS); absent: a random secret. */
  tipsPow?: PowSettings;
  /** The built web application; default dist/web (absent: the server answers the API only). */
  webDir?: string;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: opts.bodyLimitBytes ?? 20 * 1024 * 1024,
    // Malformed URLs and over-long parameters are answered by Fastify itself: as problem+json too.
    frameworkErrors: (err, req, reply) => {
      sendProblem(req, reply, err);
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.addHook('preValidation', rejectUnstorableText);
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((err, req, reply) => sendProblem(req, reply, err));
  let webPage: ReturnType<typeof serveWeb> = null; // the web application's page fallback, once registered
  app.setNotFoundHandler(
    (req, reply) =>
      webPage?.(req, reply) ??
      reply
        .status(404)
        .type('application/problem+json')
        .send({
          type: 'https://chipwatch.dev/problems/not-found',
          title: 'Not found',
          status: 404,
          detail: `no route ${req.method} ${req.url.split('?')[0]}`,
        }),
  );

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'chipwatch API',
        version: '0.1.0',
        description:
          'Estimator, location verification, notification registry and due diligence for export-controlled AI chips.',
      },
      components: {
        securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'API key: cw_<prefix>_<secret>' } },
      },
      security: [{ apiKey: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  // Before the per-key limit: failed authentications are limited per client address (auth.ts).
  installAuth(app, {
    authenticate: (key) => authenticateKey(opts.db, key),
    failuresPerMinute: opts.authFailuresPerMinute ?? 60,
  });
  await app.register(rateLimit, {
    max: opts.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    // After authentication (and before the body is read): an authenticated caller is limited per key.
    hook: 'preParsing',
    keyGenerator: (req) => (req.principal ? `key:${req.principal.keyId}` : `ip:${req.ip}`),
  });

  const work = new WorkPool({
    threads: opts.work?.threads ?? Math.min(4, Math.max(2, availableParallelism() - 1)),
    maxQueued: opts.work?.maxQueued ?? 8,
    workerFile: (kind) => join(DIST_DIR, 'bundle', `${kind}.cjs`),
  });
  app.addHook('onClose', async () => work.close());
  const ctx: AppContext = { db: opts.db, now: opts.now ?? (() => new Date()), work };

  // Liveness and readiness probes: public, outside the rate limits, /healthz never waits for the database.
  await app.register(healthRoutes(opts.db));
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(accountRoutes(ctx), { prefix: '/api' });
  // A model's input("name") reads the evidence aggregates for the intelligence analysts (and admin).
  const evidence = { inputs: evidenceAggregates, roles: ['analyst'] as const };
  await app.register(estimateRoutes(ctx, { useWasm: opts.useWasm, evidence }), { prefix: '/api' });
  const { receiptProver } = await import('../tlog/index.js');
  await app.register(registryRoutes(ctx, { receiptProofs: receiptProver(ctx.db, opts.tlog) }), { prefix: '/api' });
  await app.register(verifyRoutes(ctx), { prefix: '/api' });
  await app.register(tlogRoutes(ctx, opts.tlog), { prefix: '/api' });
  // Post-shipment verifications in diligence cases are satisfied by the verifier's results.
  await app.register(
    screeningRoutes(ctx, { locationEvidence: shipmentLocationEvidence(opts.db), cacheDir: opts.cacheDir }),
    { prefix: '/api' },
  );
  await app.register(tipsRoutes(ctx, { pow: opts.tipsPow }), { prefix: '/api' });
  // The tip form for browsers without JavaScript (Tor Browser at its safest), at /tip/.
  await app.register(tipFormRoutes(ctx, { secret: opts.tipsPow?.secret ?? new Uint8Array(randomBytes(32)) }));
  await app.register(intelRoutes(ctx), { prefix: '/api' });
  // The web application (dist/web, built by `npm run build`) at /, for page paths too.
  webPage = serveWeb(app, opts.webDir ?? join(DIST_DIR, 'web'));
  return app;
}
