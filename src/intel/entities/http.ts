// /api/intel/entities, /api/intel/candidates and /api/intel/decisions: analysts read and write, regulators
// read; every other role is refused (admin, as always, is allowed). Input is checked by zod and by the FtM
// model; a bad request is a problem+json 4xx naming the field.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import type { Role } from '../../http/principal.js';
import { NotFoundError, ValidationError } from '../../errors.js';
import { storeFtm } from '../ftm/import.js';
import { parseFtmObject } from '../ftm/validate.js';
import { findCandidates } from '../resolve/candidates.js';
import { currentJudgements, decide, listDecisions, revert } from '../resolve/decisions.js';
import { getEntities, identifiersOfEntity, linksTouching, searchEntities } from './store.js';

export const INTEL_READERS: readonly Role[] = ['analyst', 'regulator'];
export const INTEL_WRITERS: readonly Role[] = ['analyst'];

const tags = ['intel'];
const entityId = z.string().min(1).max(200);
const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};
const listQuery = z
  .object({
    q: z.string().max(200).optional(),
    schema: z.string().max(64).optional(),
    origin: z.enum(['registry', 'screening', 'evidence', 'ftm', 'analyst']).optional(),
    ...page,
  })
  .strict();
const candidatesQuery = z
  .object({
    entity: entityId.optional(),
    since: z.string().datetime({ offset: true }).or(z.string().date()).optional(),
    all: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();
const decisionsQuery = z.object({ entity: entityId.optional(), ...page }).strict();
const reason = z.string().min(1).max(2000);
const decisionBody = z.union([
  z.object({ a: entityId, b: entityId, judgement: z.enum(['same', 'different', 'unsure']), reason }).strict(),
  z.object({ revert: z.number().int().positive().max(Number.MAX_SAFE_INTEGER), reason }).strict(),
]);
/** An FtM entity as JSON: {id, schema, properties}; other FtM keys (caption, datasets, ...) are ignored. */
const ftmBody = z.object({ id: z.unknown(), schema: z.unknown(), properties: z.unknown() }).passthrough();

export function entitiesRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const actor = (req: Parameters<typeof principalOf>[0]) => `key:${principalOf(req).keyId}`;

    app.get(
      '/intel/entities',
      {
        config: { access: INTEL_READERS },
        schema: {
          summary: 'Entities (FollowTheMoney) by caption text, schema or origin',
          tags,
          querystring: listQuery,
        },
      },
      async (req) => {
        const { q, schema, origin, limit, offset } = req.query;
        return { entities: await searchEntities(ctx.db, { text: q, schema, origin, limit, offset }) };
      },
    );

    app.get(
      '/intel/entities/:id',
      {
        config: { access: INTEL_READERS },
        schema: {
          summary: 'One entity: its links, normalised identifiers and the current judgements on its pairs',
          tags,
          params: z.object({ id: entityId }).strict(),
        },
      },
      async (req) => {
        const [entity] = await getEntities(ctx.db, [req.params.id]);
        if (!entity) throw new NotFoundError(`no entity ${req.params.id}`, { field: 'id' });
        return {
          entity,
          links: await linksTouching(ctx.db, [entity.id]),
          identifiers: await identifiersOfEntity(ctx.db, entity.id),
          judgements: await currentJudgements(ctx.db, [entity.id]),
        };
      },
    );

    app.post(
      '/intel/entities',
      {
        config: { access: INTEL_WRITERS },
        bodyLimit: 1024 * 1024,
        schema: {
          summary: 'Create or update one entity or link, given as an FtM entity {id, schema, properties}',
          tags,
          body: ftmBody,
        },
      },
      async (req, reply) => {
        const r = parseFtmObject(req.body);
        const parsed = r.kind === 'entity' ? { entities: [{ line: 1, entity: r.entity }], links: [] } : null;
        const links = r.kind === 'link' ? [{ line: 1, link: r.link }] : [];
        await storeFtm(ctx.db, parsed ?? { entities: [], links }, 'api', ctx.now(), 'analyst').catch((e) => {
          // storeFtm names line 1 of a one-line "file"; a request has no lines.
          if (e instanceof ValidationError) throw new ValidationError(e.message, { field: e.location.field });
          throw e;
        });
        const id = r.kind === 'entity' ? r.entity.id : r.link.id;
        return reply.status(201).send({ id, kind: r.kind });
      },
    );

    app.get(
      '/intel/candidates',
      {
        config: { access: INTEL_READERS },
        schema: {
          summary: 'Pairs of entities that may be one party (name matches, shared identifiers), best first',
          tags,
          querystring: candidatesQuery,
        },
      },
      async (req) => {
        const { entity, since, all, limit } = req.query;
        if (entity && (await getEntities(ctx.db, [entity])).length === 0)
          throw new NotFoundError(`no entity ${entity}`, { field: 'entity' });
        const candidates = await findCandidates(
          ctx.db,
          {
            ...(entity ? { entity } : {}),
            ...(since ? { since: new Date(since) } : {}),
            includeDecided: all === 'true',
            limit,
          },
          // The name index is built on a work thread: the event loop stays free for other requests.
          (parties) => ctx.work.run('intel-names-worker', parties),
        );
        return { candidates };
      },
    );

    app.get(
      '/intel/decisions',
      {
        config: { access: INTEL_READERS },
        schema: { summary: 'The audit trail of judgements on pairs, newest first', tags, querystring: decisionsQuery },
      },
      async (req) => {
        const { entity, limit, offset } = req.query;
        return { decisions: await listDecisions(ctx.db, { ...(entity ? { entity } : {}), limit, offset }) };
      },
    );

    app.post(
      '/intel/decisions',
      {
        config: { access: INTEL_WRITERS },
        schema: {
          summary: 'Record a judgement on a pair (same, different, unsure; never a merge), or the reversal of one',
          tags,
          body: decisionBody,
        },
      },
      async (req, reply) => {
        const b = req.body;
        const d =
          'revert' in b
            ? await revert(ctx.db, { decisionId: b.revert, reason: b.reason, actor: actor(req) }, ctx.now())
            : await decide(ctx.db, { ...b, actor: actor(req) }, ctx.now());
        return reply.status(201).send(d);
      },
    );
  };
}
