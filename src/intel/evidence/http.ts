// /api/intel/evidence and /api/intel/alerts: analysts import evidence (CSV or JSON, all or nothing) and read it;
// regulators and analysts read and acknowledge serial alerts; every other role is refused (admin, as always,
// is allowed). The evidence seed is loaded when the routes are registered, so a fresh server serves it.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { principalOf } from '../../http/auth.js';
import type { AppContext } from '../../http/context.js';
import type { Role } from '../../http/principal.js';
import { bodyChunks } from '../../http/raw-body.js';
import { ALERT_KINDS } from '../sightings/rules.js';
import { historyOrNull } from '../sightings/registry.js';
import { acknowledgeAlert, getAlert, listAlerts } from '../sightings/store.js';
import { importEvidenceFile } from './import.js';
import { CASE_KINDS, CATEGORIES } from './model.js';
import { EvidenceRejectedError } from './problems.js';
import { rescanSerialEvidence } from './rescan.js';
import { ensureEvidenceSeed } from './seed.js';
import { getEvidence, listEvidence } from './store.js';

const ANALYSTS: readonly Role[] = ['analyst'];
/** Analysts write evidence; analysts and regulators read evidence and alerts. */
const READERS: readonly Role[] = ['analyst', 'regulator'];
const ALERT_READERS: readonly Role[] = ['analyst', 'regulator'];
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

const tags = ['intel'];
const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date YYYY-MM-DD');
const evidenceQuery = z
  .object({
    category: z.enum(CATEGORIES).optional(),
    kind: z.enum([...CASE_KINDS, 'listing', 'sighting']).optional(),
    country: z
      .string()
      .regex(/^[A-Za-z]{2}$/, 'an ISO alpha-2 code')
      .transform((s) => s.toUpperCase())
      .optional(),
    from: day.optional(),
    to: day.optional(),
    ...page,
  })
  .strict();
const importQuery = z.object({ kind: z.enum(CATEGORIES) }).strict();
const id = z.object({ id: z.string().min(1).max(200) }).strict();
const alertsQuery = z
  .object({
    serial: z.string().min(1).max(64).optional(),
    kind: z.enum(ALERT_KINDS).optional(),
    open: z.enum(['true', 'false']).optional(),
    ...page,
  })
  .strict();
const ackBody = z.object({ note: z.string().trim().min(1).max(2000) }).strict();

/** Every problem of a rejected file, as problem+json with the list (row, column, reason). */
function sendRejection(req: FastifyRequest, reply: FastifyReply, err: EvidenceRejectedError): FastifyReply {
  return reply
    .status(400)
    .type('application/problem+json')
    .send({
      type: 'https://chipwatch.dev/problems/evidence-rejected',
      title: 'Evidence rejected',
      status: 400,
      detail: `${err.totalProblems} problem${err.totalProblems === 1 ? '' : 's'}; nothing was stored`,
      instance: req.url.split('?')[0],
      totalProblems: err.totalProblems,
      errors: err.problems,
    });
}

/** The request body as bytes and a name that says its format. */
function bodyFile(req: FastifyRequest): { bytes: Buffer; name: string } {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  if (type === 'application/json') return { bytes: Buffer.from(JSON.stringify(req.body)), name: 'body.json' };
  if (type === 'text/csv') return { bytes: Buffer.concat(req.body as Buffer[]), name: 'body.csv' };
  throw new ValidationError('send the evidence as text/csv or application/json', { field: 'body' });
}

export function evidenceRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    await ensureEvidenceSeed(ctx.db, ctx.now());
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.addContentTypeParser('text/csv', bodyChunks(MAX_EVIDENCE_BYTES));

    app.post(
      '/intel/evidence',
      {
        config: { access: ANALYSTS },
        bodyLimit: MAX_EVIDENCE_BYTES,
        schema: {
          summary:
            'Import evidence items of one kind (?kind=case|listing|sighting) as text/csv or application/json ' +
            '(an array of items, or {items}); all or nothing, every problem with its row and column',
          tags,
          querystring: importQuery,
        },
      },
      async (req, reply) => {
        const { bytes, name } = bodyFile(req);
        try {
          const r = await importEvidenceFile(ctx.db, bytes, name, req.query.kind, ctx.now());
          return reply.status(r.inserted.length ? 201 : 200).send(r);
        } catch (e) {
          if (e instanceof EvidenceRejectedError) return sendRejection(req, reply, e);
          throw e;
        }
      },
    );

    app.get(
      '/intel/evidence',
      {
        config: { access: READERS },
        schema: { summary: 'Evidence items by date, with their sources', tags, querystring: evidenceQuery },
      },
      async (req) => listEvidence(ctx.db, req.query),
    );

    app.get(
      '/intel/evidence/:id',
      {
        config: { access: READERS },
        schema: { summary: 'One evidence item with its parties, serials and source', tags, params: id },
      },
      async (req) => getEvidence(ctx.db, req.params.id),
    );

    app.get(
      '/intel/alerts',
      {
        config: { access: ALERT_READERS },
        schema: {
          summary: 'Serials seen where the registry says they should not be, newest first',
          tags,
          querystring: alertsQuery,
        },
      },
      async (req) => listAlerts(ctx.db, { ...req.query, open: req.query.open === 'true' }),
    );

    app.get(
      '/intel/alerts/:id',
      {
        config: { access: ALERT_READERS },
        schema: { summary: "One alert with its evidence and the chip's registry history", tags, params: id },
      },
      async (req) => {
        const alert = await getAlert(ctx.db, req.params.id);
        return { ...alert, history: await historyOrNull(ctx.db, alert.serial) };
      },
    );

    app.post(
      '/intel/alerts/:id/acknowledge',
      {
        config: { access: ALERT_READERS },
        schema: { summary: 'Acknowledge an alert (appended; the alert stays)', tags, params: id, body: ackBody },
      },
      async (req) => acknowledgeAlert(ctx.db, req.params.id, `key:${principalOf(req).keyId}`, req.body.note, ctx.now()),
    );

    app.post(
      '/intel/alerts/scan',
      {
        config: { access: ANALYSTS },
        schema: { summary: 'Judge every stored serial again against the registry (after later filings)', tags },
      },
      async () => ({ raised: await rescanSerialEvidence(ctx.db, ctx.now()) }),
    );
  };
}
