// Screening and diligence routes under /api: screening (one party or a batch), red flags, list
// versions, and diligence cases. compliance (and admin) write; regulator reads; analysts may screen.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import type { Role } from '../accounts/index.js';
import { principalOf } from '../http/auth.js';
import { DATA_DIR } from '../paths.js';
import { ValidationError } from '../errors.js';
import { ScreeningService } from './service.js';
import { profileSchema } from './redflags/profile.js';
import { assessProfile } from './cases/assess.js';
import { actOnCase, caseEvents, dueVerifications, getCase, listCases, openCase, type Scope } from './cases/store.js';
import { CASE_STATES, MAX_LOOKAHEAD_DAYS } from './cases/workflow.js';
import { actionSchema, openBody } from './cases/schema.js';
import { listVersions } from './lists/store.js';
import type { LocationEvidenceSource } from './cases/location.js';
import { applyLocationEvidence } from './cases/verify-due.js';
import { MAX_NAME_LENGTH } from './match/screen.js';
import { registerChangesRoute } from './rescreen/http.js';

const WRITERS: readonly Role[] = ['compliance', 'compliance-lead'];
const READERS: readonly Role[] = ['compliance', 'compliance-lead', 'regulator'];
const SCREENERS: readonly Role[] = ['compliance', 'compliance-lead', 'regulator', 'analyst'];
export const MAX_BATCH = 1000;

const party = z
  .object({
    name: z.string().trim().min(1).max(MAX_NAME_LENGTH),
    country: z.string().trim().max(60).optional(),
    address: z.string().max(1000).optional(),
  })
  .strict();
const matchSchema = z.object({
  entryId: z.string(),
  list: z.string(),
  name: z.string(),
  matchedName: z.string(),
  score: z.number(),
  explanation: z.string(),
  aliases: z.array(
    z.object({
      name: z.string(),
      alias: z.boolean(),
      score: z.number(),
      words: z.array(z.object({ query: z.string(), listed: z.string(), how: z.string(), similarity: z.number() })),
    }),
  ),
});
const resultSchema = z.object({
  query: z.object({ name: z.string(), country: z.string().optional(), address: z.string().optional() }),
  decision: z.enum(['clear', 'review', 'match']),
  matches: z.array(matchSchema),
});
const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

const services = new WeakMap<object, ScreeningService>();

/**
 * One screening service per database (the index is large: build it once per process). The prepared lists are
 * cached in `cacheDir` (the server's DATA_DIR/cache), never in the user's home.
 */
export function screeningServiceFor(ctx: Pick<AppContext, 'db'>, cacheDir?: string): ScreeningService {
  let s = services.get(ctx.db);
  if (!s) {
    s = new ScreeningService(ctx.db, { dataDir: DATA_DIR, cacheDir });
    services.set(ctx.db, s);
  }
  return s;
}

/** Lets tests and embedders supply the service (e.g. over a small list extract). */
export function setScreeningService(ctx: Pick<AppContext, 'db'>, service: ScreeningService): void {
  services.set(ctx.db, service);
}

function scopeOf(req: FastifyRequest): Scope {
  const p = principalOf(req);
  return { organisationId: p.organisationId, seeAll: p.role === 'admin' || p.role === 'regulator' };
}

function actorOf(req: FastifyRequest): string {
  const p = principalOf(req);
  return `key:${p.keyId}/${p.role}`;
}

export interface ScreeningRouteOptions {
  /** Location-verification results that can satisfy post-shipment verifications (the server passes verify's). */
  locationEvidence?: LocationEvidenceSource;
  /** Where prepared screening lists are cached (DATA_DIR/cache); absent: prepared on each start, not cached. */
  cacheDir?: string;
}

/** Fastify with zod schemas, as the route groups below receive it. */
type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** Screening, list versions and red flags. */
function registerScreeningRoutes(app: ZodApp, ctx: AppContext, service: ScreeningService): void {
  app.post(
    '/screen',
    {
      config: { access: SCREENERS },
      schema: {
        summary:
          'Screen one party ({name, country?, address?}) or a batch ({parties: [...]}, results in input order) ' +
          'against the restricted-party lists',
        tags: ['screening'],
        body: z.union([party, z.object({ parties: z.array(party).min(1).max(MAX_BATCH) }).strict()]),
        response: { 200: z.union([resultSchema, z.object({ results: z.array(resultSchema) })]) },
      },
    },
    async (req) => {
      const screener = await service.screener();
      if ('parties' in req.body) {
        return { results: req.body.parties.map((p, i) => withRow(() => screener.screen(p), i + 1)) };
      }
      return screener.screen(req.body);
    },
  );

  app.get(
    '/screen/lists',
    {
      config: { access: SCREENERS },
      schema: {
        summary: 'The active list set and the history of list updates with what each changed',
        tags: ['screening'],
      },
    },
    async () => {
      const active = await service.lists();
      return {
        active: { version: active.version, sources: active.sources, entries: active.entries },
        versions: await listVersions(ctx.db),
      };
    },
  );

  app.post(
    '/redflags',
    {
      config: { access: SCREENERS },
      schema: {
        summary: 'Evaluate the red-flag rules (with citations) over a customer/order profile',
        tags: ['screening'],
        body: profileSchema,
      },
    },
    async (req) => {
      const screener = await service.screener();
      return assessProfile(req.body, screener, service.redFlagRules());
    },
  );

  app.get(
    '/redflags/rules',
    {
      config: { access: SCREENERS },
      schema: { summary: 'The red-flag rules in force', tags: ['screening'] },
    },
    async () => service.redFlagRules(),
  );
}

/** Diligence cases: open, list, show, act, and what is due. */
function registerCaseRoutes(app: ZodApp, ctx: AppContext, service: ScreeningService): void {
  app.post(
    '/cases',
    {
      config: { access: WRITERS },
      schema: {
        summary: 'Open a diligence case: screens every party, evaluates red flags, suggests a risk level',
        tags: ['diligence'],
        body: openBody,
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const assessment = assessProfile(req.body.profile, await service.screener(), service.redFlagRules());
      const c = await openCase(
        ctx.db,
        {
          organisationId: p.organisationId,
          subjectKind: req.body.subjectKind,
          subjectName: req.body.profile.customer.name,
          subjectRef: req.body.subjectRef ?? req.body.profile.order.ref,
          country: req.body.profile.customer.country,
          businessType: req.body.profile.customer.businessType,
          profile: req.body.profile,
          assessment,
          reason: req.body.reason,
        },
        actorOf(req),
        ctx.now(),
      );
      return reply.status(201).send({ case: c, assessment });
    },
  );

  app.get(
    '/cases',
    {
      config: { access: READERS },
      schema: {
        summary: 'Diligence cases visible to the caller, newest first',
        tags: ['diligence'],
        querystring: z
          .object({ state: z.enum(CASE_STATES).optional(), limit: z.coerce.number().int().min(1).max(1000).optional() })
          .strict(),
      },
    },
    async (req) => ({ cases: await listCases(ctx.db, scopeOf(req), req.query) }),
  );

  app.get(
    '/cases/:id',
    {
      config: { access: READERS },
      schema: { summary: 'One case with its append-only audit trail', tags: ['diligence'], params: idParam },
    },
    async (req) => {
      const scope = scopeOf(req);
      return {
        case: await getCase(ctx.db, req.params.id, scope),
        events: await caseEvents(ctx.db, req.params.id, scope),
      };
    },
  );

  app.post(
    '/cases/:id/actions',
    {
      config: { access: WRITERS },
      schema: {
        summary:
          'Record a decision: assess, check, complete-vetting, decide (mitigation), ship, verify, note; ' +
          'override or resolve a hold (compliance-lead)',
        tags: ['diligence'],
        params: idParam,
        body: actionSchema,
      },
    },
    async (req) => {
      const actor = { name: actorOf(req), role: principalOf(req).role };
      return { case: await actOnCase(ctx.db, req.params.id, req.body, actor, ctx.now(), scopeOf(req)) };
    },
  );

  app.get(
    '/verifications/due',
    {
      config: { access: READERS },
      schema: {
        summary: 'Pending post-shipment verifications due within `days`',
        tags: ['diligence'],
        querystring: z.object({ days: z.coerce.number().int().min(0).max(MAX_LOOKAHEAD_DAYS).default(0) }).strict(),
      },
    },
    async (req) => ({
      due: await dueVerifications(ctx.db, scopeOf(req), new Date(ctx.now().getTime() + req.query.days * 86_400_000)),
    }),
  );
}

/** Post-shipment verifications satisfied from location evidence, when the server wires a source in. */
function registerEvidenceRoutes(app: ZodApp, ctx: AppContext, evidence: LocationEvidenceSource): void {
  app.post(
    '/verifications/apply',
    {
      config: { access: WRITERS },
      schema: {
        summary:
          "Satisfy due post-shipment verifications from location-verification results of the cases' shipments " +
          '(by reference)',
        tags: ['diligence'],
        body: z.object({ days: z.number().int().min(0).max(MAX_LOOKAHEAD_DAYS).default(0) }).strict(),
      },
    },
    async (req) => ({
      applied: await applyLocationEvidence(ctx.db, evidence, scopeOf(req), actorOf(req), ctx.now(), req.body.days),
    }),
  );
}

export function screeningRoutes(ctx: AppContext, opts: ScreeningRouteOptions = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const service = screeningServiceFor(ctx, opts.cacheDir);
    registerScreeningRoutes(app, ctx, service);
    registerCaseRoutes(app, ctx, service);
    registerChangesRoute(app, ctx, READERS, scopeOf);
    if (opts.locationEvidence) registerEvidenceRoutes(app, ctx, opts.locationEvidence);
  };
}

function withRow<T>(f: () => T, row: number): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ValidationError)
      throw new ValidationError(`parties[${row - 1}]: ${e.message}`, { ...e.location, row });
    throw e;
  }
}
