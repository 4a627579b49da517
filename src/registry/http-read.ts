// Registry read routes: filings (filers see their own), and for the regulator chip histories, parties,
// declared locations, flags, obligations and the CSV export. Reads that tolerate lag go to `ctx.db.reader` (a
// streaming replica when DATABASE_READ_URL is set); a filing by id, its items and proofs, and verification
// requests stay on the primary: a filer reads its receipt, a regulator its request, right after writing it.
import { Readable } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import { chipHistory, listParties, partyChips } from './history.js';
import {
  FILERS_AND_REGULATOR,
  REGULATOR,
  idParam,
  isoDate,
  page,
  period,
  scopeOf,
  serialParam,
} from './http-common.js';
import { exportCsvParts, filingItems, getFiling, listFilings, listFlags, locationsGeoJson } from './listing.js';
import { readObligations } from './obligation-counts.js';
import { filingProofs } from './log.js';
import { listVerificationRequests, requestVerification } from './verification.js';
import { principalOf } from '../http/auth.js';

const tags = ['registry'];

/** The read side: a filer's (and the regulator's) filing routes, then the regulator's registry-wide ones. */
export function readRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(filingRoutes(ctx));
    await app.register(regulatorRoutes(ctx));
  };
}

/** Filings, their items, proofs and the CSV export: a filer sees only its own organisation's. */
function filingRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/registry/filings',
      {
        config: { access: FILERS_AND_REGULATOR },
        schema: { summary: 'Filings received in a period (a filer sees only its own)', tags, querystring: period },
      },
      async (req) => {
        const { from, to, limit, offset } = req.query;
        return { filings: await listFilings(ctx.db.reader, scopeOf(req), { from, to }, { limit, offset }) };
      },
    );

    app.get(
      '/registry/filings/:id',
      {
        config: { access: FILERS_AND_REGULATOR },
        schema: { summary: 'One filing (a filer sees only its own)', tags, params: idParam },
      },
      async (req) => getFiling(ctx.db, scopeOf(req), req.params.id),
    );

    app.get(
      '/registry/filings/:id/items',
      {
        config: { access: FILERS_AND_REGULATOR },
        schema: {
          summary: "A filing's items with their log leaf indices",
          tags,
          params: idParam,
          querystring: z.object(page).strict(),
        },
      },
      async (req) => ({ items: await filingItems(ctx.db, scopeOf(req), req.params.id, req.query) }),
    );

    app.get(
      '/registry/filings/:id/proofs',
      {
        config: { access: FILERS_AND_REGULATOR },
        schema: {
          summary:
            "Inclusion proofs of a filing's items in the transparency log, against the latest checkpoint covering them",
          tags,
          params: idParam,
          querystring: z
            .object({ limit: z.coerce.number().int().min(1).max(200).default(50), offset: page.offset })
            .strict(),
        },
      },
      async (req) => {
        await getFiling(ctx.db, scopeOf(req), req.params.id); // scoping: a filer proves only its own items
        return filingProofs(ctx.db, req.params.id, req.query);
      },
    );

    app.get(
      '/registry/export.csv',
      {
        config: { access: FILERS_AND_REGULATOR },
        schema: {
          summary: 'Transfers of the filings received in a period, as CSV (a filer gets only its own)',
          tags,
          querystring: z.object({ from: isoDate.optional(), to: isoDate.optional() }).strict(),
        },
      },
      async (req, reply) =>
        // Streamed page by page (constant memory at any registry size).
        reply
          .type('text/csv; charset=utf-8')
          .send(Readable.from(exportCsvParts(ctx.db.reader, scopeOf(req), req.query))),
    );
  };
}

/** Registry-wide reads for the regulator: chips, verification requests, parties, locations, flags, obligations. */
function regulatorRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/registry/chips/:serial',
      {
        config: { access: REGULATOR },
        schema: {
          summary: "A chip's ownership and location timeline, each step with its filing",
          tags,
          params: serialParam,
        },
      },
      async (req) => chipHistory(ctx.db.reader, req.params.serial),
    );

    app.post(
      '/registry/chips/:serial/verification-requests',
      {
        config: { access: REGULATOR },
        schema: {
          summary: 'Request that a chip prove its location (location verification)',
          tags,
          params: serialParam,
          body: z.object({ reason: z.string().max(500).default('') }).strict(),
        },
      },
      async (req, reply) =>
        reply
          .status(201)
          .send(
            await requestVerification(ctx.db, req.params.serial, principalOf(req).keyId, req.body.reason, ctx.now()),
          ),
    );

    app.get(
      '/registry/chips/:serial/verification-requests',
      {
        config: { access: REGULATOR },
        schema: { summary: "A chip's location verification requests", tags, params: serialParam },
      },
      async (req) => ({ requests: await listVerificationRequests(ctx.db, req.params.serial) }),
    );

    app.get(
      '/registry/parties',
      {
        config: { access: REGULATOR },
        schema: {
          summary: 'Parties (owners, operators, filers) with their chip counts',
          tags,
          querystring: z
            .object({
              country: z
                .string()
                .regex(/^[A-Z]{2}$/)
                .optional(),
              name: z.string().min(1).max(100).optional(),
              ...page,
            })
            .strict(),
        },
      },
      async (req) => ({ parties: await listParties(ctx.db.reader, req.query) }),
    );

    app.get(
      '/registry/parties/:id/chips',
      {
        config: { access: REGULATOR },
        schema: {
          summary: 'A party and the chips it currently owns',
          tags,
          params: idParam,
          querystring: z.object(page).strict(),
        },
      },
      async (req) => partyChips(ctx.db.reader, req.params.id, req.query),
    );

    app.get(
      '/registry/locations.geojson',
      {
        config: { access: REGULATOR },
        schema: {
          summary: 'Declared locations as a GeoJSON FeatureCollection (geometry null where no coordinates were filed)',
          tags,
        },
      },
      async (_req, reply) => reply.type('application/geo+json').send(await locationsGeoJson(ctx.db.reader)),
    );

    app.get(
      '/registry/flags',
      {
        config: { access: REGULATOR },
        schema: {
          summary: 'Custody flags',
          tags,
          querystring: z
            .object({
              kind: z
                .enum(['non_owner_transfer', 'active_in_two_places', 'lost_reappears', 'location_without_ownership'])
                .optional(),
              ...page,
            })
            .strict(),
        },
      },
      async (req) => ({ flags: await listFlags(ctx.db.reader, req.query) }),
    );

    app.get(
      '/registry/obligations',
      {
        config: { access: REGULATOR },
        schema: {
          summary: '§ 743.7 obligations per owner and month: items, due date, late filings',
          tags,
          querystring: z.object({ asOf: isoDate.optional() }).strict(),
        },
      },
      async (req) => {
        const asOf = req.query.asOf ?? ctx.now().toISOString().slice(0, 10);
        return { asOf, obligations: await readObligations(ctx.db.reader, asOf) };
      },
    );
  };
}
