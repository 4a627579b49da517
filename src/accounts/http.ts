// Key administration over HTTP (admin only): list, create (the secret is answered once) and revoke.
// While `chipwatch serve` holds the embedded database, these are how keys are managed.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import { ROLES } from '../http/principal.js';
import { principalOf } from '../http/auth.js';
import { createApiKey, ensureOrganisation, listApiKeys, revokeApiKey } from './store.js';

const keyInfo = z.object({
  id: z.number(),
  prefix: z.string(),
  role: z.enum(ROLES),
  organisation: z.string().nullable(),
  label: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const newKey = z
  .object({
    role: z.enum(ROLES),
    organisation: z.string().min(1).max(200).optional(),
    label: z.string().max(200).default(''),
  })
  .strict()
  .refine((b) => b.role !== 'filer' || b.organisation !== undefined, {
    message: 'a filer key needs an organisation',
    path: ['organisation'],
  });

const createdKey = z.object({
  id: z.number(),
  role: z.enum(ROLES),
  organisation: z.string().nullable(),
  label: z.string(),
  key: z.string(),
});

export function accountRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/whoami',
      {
        config: { access: ROLES },
        schema: {
          summary: "The calling key's role and organisation (what the web application shows)",
          tags: ['keys'],
          response: { 200: z.object({ role: z.enum(ROLES), organisation: z.string().nullable() }) },
        },
      },
      async (req) => {
        const p = principalOf(req);
        if (p.organisationId === null) return { role: p.role, organisation: null };
        const rows = await ctx.db.query<{ name: string }>('select name from organisations where id = $1', [
          p.organisationId,
        ]);
        return { role: p.role, organisation: rows[0]?.name ?? null };
      },
    );

    app.get(
      '/keys',
      {
        config: { access: ['admin'] },
        schema: { summary: 'List API keys (never their secrets)', tags: ['keys'], response: { 200: z.array(keyInfo) } },
      },
      async () => listApiKeys(ctx.db),
    );

    app.post(
      '/keys',
      {
        config: { access: ['admin'] },
        schema: {
          summary: 'Create an API key; the answer carries the secret key, shown this once and stored only as a hash',
          tags: ['keys'],
          body: newKey,
          response: { 201: createdKey },
        },
      },
      async (req, reply) => {
        const { role, organisation, label } = req.body;
        const created = await ctx.db.transaction(async (tx) => {
          const organisationId = organisation !== undefined ? await ensureOrganisation(tx, organisation) : null;
          return createApiKey(tx, { role, organisationId, label });
        });
        const answer = { id: created.id, role, organisation: organisation?.trim() ?? null, label, key: created.key };
        return reply.status(201).send(answer);
      },
    );

    app.delete(
      '/keys/:id',
      {
        config: { access: ['admin'] },
        schema: {
          summary: 'Revoke an API key (it stops working at once); the last active admin key cannot be revoked',
          tags: ['keys'],
          params: z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) }).strict(),
        },
      },
      async (req, reply) => {
        await revokeApiKey(ctx.db, req.params.id);
        return reply.status(204).send();
      },
    );
  };
}
