// GET /api/screen/changes?since=YYYY-MM-DD: what list updates changed for the caller's parties. Mounted
// by screeningRoutes (src/screening/http.ts) with its reader roles and caller scope.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Role } from '../../accounts/index.js';
import { isCalendarDate } from '../../calendar.js';
import type { AppContext } from '../../http/context.js';
import type { Scope } from '../cases/store.js';
import { alertsSince, MAX_CHANGES } from './store.js';

const decision = z.enum(['clear', 'review', 'match']);
const side = z.object({ decision, score: z.number().nullable() });
const alertSchema = z.object({
  id: z.number(),
  raisedAt: z.string(),
  listVersion: z.number(),
  kind: z.enum(['new-hit', 'changed-hit', 'hit-gone']),
  basis: z.enum(['screening', 'ownership']).describe("'ownership': the party's owners, under the 50% rule"),
  party: z.object({ kind: z.string(), ref: z.string(), name: z.string(), country: z.string().nullable() }),
  entry: z.object({ id: z.string(), list: z.string(), name: z.string() }),
  changeKind: z.string(),
  change: z.string(),
  before: side,
  after: side,
  partyDecision: z.object({ before: decision, after: decision }),
});

export function registerChangesRoute(
  base: FastifyInstance,
  ctx: Pick<AppContext, 'db'>,
  access: readonly Role[],
  scopeOf: (req: FastifyRequest) => Scope,
): void {
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/screen/changes',
    {
      config: { access },
      schema: {
        summary:
          'Alerts list updates raised for known parties since a date (UTC): new hits, band changes and hits ' +
          'gone, each naming the party and the list change. Compliance keys see their own case parties.',
        tags: ['screening'],
        querystring: z
          .object({
            since: z.string().refine(isCalendarDate, 'use a date written YYYY-MM-DD'),
            limit: z.coerce.number().int().min(1).max(MAX_CHANGES).default(1000),
          })
          .strict(),
        response: { 200: z.object({ since: z.string(), alerts: z.array(alertSchema), truncated: z.boolean() }) },
      },
    },
    async (req) => {
      const since = new Date(`${req.query.since}T00:00:00Z`);
      const r = await alertsSince(ctx.db, since, scopeOf(req), req.query.limit);
      return { since: req.query.since, ...r };
    },
  );
}
