// /api/intel network routes: an entity's neighbourhood, the path between two, the ranked clusters (analysts),
// and through ../dossier/http.ts the timelines and dossiers (analysts and regulators).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { dossierRoutes } from '../dossier/http.js';
import { findClusters } from './clusters.js';
import { DEFAULT_LIMIT, MAX_HOPS, MAX_LIMIT, neighbourhood, resolveEntity } from './network.js';
import { shortestPath } from './path.js';
import { networkSources } from './sources.js';

const tags = ['intel'];
const ANALYSTS = ['analyst'] as const;
export const entityParam = z.object({ id: z.string().min(1).max(200) });
const hops = (d: number) => z.coerce.number().int().min(1).max(MAX_HOPS).default(d);
const limit = (d: number) => z.coerce.number().int().min(1).max(MAX_LIMIT).default(d);

export function networkRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/intel/entities/:id/network',
      {
        config: { access: ANALYSTS },
        schema: {
          summary: 'The entities within `hops` of an entity and every link among them, each with its reasons',
          tags,
          params: entityParam,
          querystring: z.object({ hops: hops(2), limit: limit(DEFAULT_LIMIT) }).strict(),
        },
      },
      async (req) => {
        const root = await resolveEntity(ctx.db, req.params.id, 'id');
        return neighbourhood(ctx.db, networkSources(ctx.db), [root.id], req.query);
      },
    );

    app.get(
      '/intel/path',
      {
        config: { access: ANALYSTS },
        schema: {
          summary: 'The shortest path between two entities (fewest links, or by link strength with weighted=true)',
          tags,
          querystring: z
            .object({
              from: z.string().min(1).max(200),
              to: z.string().min(1).max(200),
              maxHops: hops(4),
              limit: limit(2000),
              weighted: z.enum(['true', 'false']).default('false'),
            })
            .strict(),
        },
      },
      async (req) => {
        const q = req.query;
        const a = await resolveEntity(ctx.db, q.from, 'from');
        const b = await resolveEntity(ctx.db, q.to, 'to');
        return shortestPath(ctx.db, networkSources(ctx.db), a.id, b.id, {
          maxHops: q.maxHops,
          limit: q.limit,
          weighted: q.weighted === 'true',
        });
      },
    );

    app.get(
      '/intel/clusters',
      {
        config: { access: ANALYSTS },
        schema: {
          summary: 'Candidate shell or front-company clusters, ranked, each reason with its weight',
          tags,
          querystring: z.object({ top: z.coerce.number().int().min(1).max(1000).default(10) }).strict(),
        },
      },
      async (req) => findClusters(ctx.db, networkSources(ctx.db), { top: req.query.top, now: ctx.now() }),
    );

    await app.register(dossierRoutes(ctx));
  };
}
