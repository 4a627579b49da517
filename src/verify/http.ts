// Verification routes under /api/verify. Regulators request verification of serials and read results
// and alerts; admins enrol chips and register landmarks; analysts may run offline analyses.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import { principalOf } from '../http/auth.js';
import { movableChunks } from '../http/work-pool.js';
import { bodyChunks } from '../http/raw-body.js';
import { ID_PATTERN } from './payloads.js';
import { MAX_CASES } from './locate.js';
import { requestMeasurement } from './client.js';
import { runChecks, runDueChecks, type MeasureFn } from './service.js';
import * as store from './store.js';
import type { DeclaredLocationSource } from './fleet.js';
import { latestRegion, mapData } from './map.js';

const serial = z.string().regex(ID_PATTERN, '1–128 printable ASCII characters');
const b64 = z
  .string()
  .min(1)
  .max(400)
  .regex(/^[A-Za-z0-9_-]+$/, 'base64url');
const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
const LOCATE_BODY_LIMIT = 64 * 1024 * 1024;

export interface VerifyRouteOptions {
  /** How the verifier reaches landmarks (tests inject one); default TCP. */
  measure?: MeasureFn;
  declared?: DeclaredLocationSource;
}

/** Fastify with zod schemas, as the route groups below receive it. */
type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** The landmark directory and chip enrolment (admins write, others read the trust anchors). */
function registerDirectoryRoutes(app: ZodApp, ctx: AppContext): void {
  app.post(
    '/verify/landmarks',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Register (or update) a landmark: id, position, public key (SPKI DER, base64url) and address',
        tags: ['verify'],
        body: z
          .object({
            id: serial,
            lat,
            lon,
            publicKey: b64,
            host: z.string().min(1).max(255),
            port: z.number().int().min(1).max(65535),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      reply
        .status(201)
        .send(
          await store.upsertLandmark(ctx.db, { ...req.body, publicKey: Buffer.from(req.body.publicKey, 'base64url') }),
        ),
  );

  app.get(
    '/verify/landmarks',
    {
      config: { access: ['regulator', 'auditor', 'analyst'] },
      schema: { summary: 'The landmark directory (the trust anchors for re-checking records)', tags: ['verify'] },
    },
    async () => store.listLandmarks(ctx.db),
  );

  app.post(
    '/verify/chips',
    {
      config: { access: ['admin'] },
      schema: {
        summary: 'Enrol a chip: serial → public key; optional shipment, ship date and declared site',
        tags: ['verify'],
        body: z
          .object({
            serial,
            publicKey: b64,
            shipment: z.string().min(1).max(200).optional(),
            shippedAt: z.string().datetime().optional(),
            declared: z.object({ lat, lon }).strict().optional(),
          })
          .strict(),
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await store.enrolChip(ctx.db, {
          serial: req.body.serial,
          publicKey: Buffer.from(req.body.publicKey, 'base64url'),
          shipment: req.body.shipment ?? null,
          shippedAt: req.body.shippedAt ? new Date(req.body.shippedAt) : null,
          declared: req.body.declared ?? null,
        }),
      ),
  );
}

/** Checks on demand or as scheduled, and what they found. */
function registerCheckRoutes(app: ZodApp, ctx: AppContext, measure: MeasureFn, opts: VerifyRouteOptions): void {
  app.post(
    '/verify/requests',
    {
      config: { access: ['regulator'] },
      schema: {
        summary: 'Verify the given serials now: every active landmark measures them; verdicts are stored and returned',
        tags: ['verify'],
        body: z
          .object({ serials: z.array(serial).min(1).max(1000), rounds: z.number().int().min(1).max(20).optional() })
          .strict(),
      },
    },
    async (req) => {
      const r = await runChecks(ctx.db, [...new Set(req.body.serials)], {
        now: ctx.now(),
        measure,
        declared: opts.declared,
        rounds: req.body.rounds,
        requestedBy: principalOf(req).keyId,
      });
      return {
        results: r.results.map(({ region: _r, ...rest }) => rest),
        rejected: r.rejected,
        landmarkErrors: r.landmarkErrors,
        alerts: r.alerts,
      };
    },
  );

  app.post(
    '/verify/run-due',
    {
      config: { access: ['admin'] },
      schema: {
        summary:
          'Run the checks that are due (schedule: first within a month of shipment, then periodically) and those a ' +
          'regulator requested through the registry',
        tags: ['verify'],
        body: z.object({ limit: z.number().int().min(1).max(10_000).default(1000) }).strict(),
      },
    },
    async (req) => runDueChecks(ctx.db, req.body.limit, { now: ctx.now(), measure, declared: opts.declared }),
  );

  app.get(
    '/verify/results',
    {
      config: { access: ['regulator', 'auditor'] },
      schema: {
        summary: 'Stored verdicts with their evidence, newest first',
        tags: ['verify'],
        querystring: z
          .object({ serial: serial.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) })
          .strict(),
      },
    },
    async (req) => store.listResults(ctx.db, req.query.serial, req.query.limit),
  );

  app.get(
    '/verify/map',
    {
      config: { access: ['regulator', 'auditor'] },
      schema: {
        summary:
          "The map's data in one request: every chip's declared site, last verdict, shipment (columns); landmarks",
        tags: ['verify'],
      },
    },
    async () => mapData(ctx.db),
  );

  app.get(
    '/verify/region',
    {
      config: { access: ['regulator', 'auditor'] },
      schema: {
        summary: "A chip's feasible region (GeoJSON, approximate) from the disks of its latest verdict",
        tags: ['verify'],
        querystring: z.object({ serial }).strict(),
      },
    },
    async (req) => latestRegion(ctx.db, req.query.serial),
  );

  app.get(
    '/verify/alerts',
    {
      config: { access: ['regulator', 'auditor'] },
      schema: {
        summary: 'Alerts: chips or shipments that stopped verifying, chips inconsistent with their declared site',
        tags: ['verify'],
        querystring: z.object({ open: z.enum(['true', 'false']).default('true') }).strict(),
      },
    },
    async (req) => store.listAlerts(ctx.db, req.query.open === 'true'),
  );
}

export function verifyRoutes(ctx: AppContext, opts: VerifyRouteOptions = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const measure = opts.measure ?? ((addr, req) => requestMeasurement(addr, req));
    registerDirectoryRoutes(app, ctx);
    registerCheckRoutes(app, ctx, measure, opts);

    // A batch is parsed and judged on a worker thread (locate-worker.ts), so the body arrives as raw chunks.
    await app.register(async (scope) => {
      scope.removeContentTypeParser('application/json');
      scope.addContentTypeParser('application/json', bodyChunks(LOCATE_BODY_LIMIT));
      scope.withTypeProvider<ZodTypeProvider>().post(
        '/verify/locate',
        {
          config: { access: ['regulator', 'analyst', 'auditor'] },
          bodyLimit: LOCATE_BODY_LIMIT,
          schema: {
            summary: `Offline analysis of observations (one case or an array of up to ${MAX_CASES})`,
            tags: ['verify'],
            body: z.unknown(),
          },
        },
        async (req, reply) => {
          const { chunks, transfer } = movableChunks(req.body as Buffer[]); // the worker takes the body's memory over
          const json = await ctx.work.run<string>('locate-worker', chunks, { transfer });
          return reply.type('application/json; charset=utf-8').send(json);
        },
      );
    });
  };
}
