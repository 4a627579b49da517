// /api/intel timelines and dossiers: analysts and regulators read them (registered by ../network/http.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../http/context.js';
import { resolveEntity } from '../network/network.js';
import { networkSources } from '../network/sources.js';
import { dossierMarkdown, entityDossier } from './dossier.js';
import { chipTimeline, entityTimeline } from './timeline.js';

const tags = ['intel'];
const READERS = ['analyst', 'regulator'] as const;
const entityParam = z.object({ id: z.string().min(1).max(200) });

export function dossierRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/intel/entities/:id/timeline',
      {
        config: { access: READERS },
        schema: { summary: "An entity's events on one time axis, each with its source", tags, params: entityParam },
      },
      async (req) => entityTimeline(ctx.db, await resolveEntity(ctx.db, req.params.id, 'id')),
    );

    app.get(
      '/intel/chips/:serial/timeline',
      {
        config: { access: READERS },
        schema: {
          summary: "A chip's filings, custody, verdicts, evidence and alerts on one time axis, each with its source",
          tags,
          params: z.object({ serial: z.string().min(1).max(200) }),
        },
      },
      async (req) => chipTimeline(ctx.db, req.params.serial),
    );

    app.get(
      '/intel/entities/:id/dossier',
      {
        config: { access: READERS },
        schema: {
          summary: "An entity's dossier with numbered sources: JSON, or Markdown with format=md",
          tags,
          params: entityParam,
          querystring: z.object({ format: z.enum(['json', 'md']).default('json') }).strict(),
        },
      },
      async (req, reply) => {
        const e = await resolveEntity(ctx.db, req.params.id, 'id');
        const d = await entityDossier(ctx.db, networkSources(ctx.db), e, ctx.now());
        if (req.query.format === 'md') return reply.type('text/markdown; charset=utf-8').send(dossierMarkdown(d));
        return d;
      },
    );
  };
}
