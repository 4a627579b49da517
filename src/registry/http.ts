// Registry HTTP routes under /api/registry: filing (JSON and spreadsheet upload), the template, and the
// read side (http-read.ts). Every route declares its roles and validates its input with zod.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { AppContext } from '../server/context.js';
import { PayloadTooLargeError, ValidationError } from '../errors.js';
import { FILERS, filerOf, sendRejection } from './http-common.js';
import { readRoutes } from './http-read.js';
import { tlogAppender } from './log.js';
import { sniffFormat } from './parse.js';
import { FilingRejectedError } from './problems.js';
import { fileJson, fileSpreadsheet } from './service.js';
import { TEMPLATE_COLUMNS, templateCsv, writeTemplateXlsx } from './template.js';

export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
export const MAX_JSON_ITEMS = 100_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const cell = z.union([z.string().max(300), z.number().finite(), z.null()]).optional();
const itemSchema = z.object(Object.fromEntries(TEMPLATE_COLUMNS.map((c) => [c, cell])) as Record<(typeof TEMPLATE_COLUMNS)[number], typeof cell>).strict();
const filingBody = z.object({ filer: z.string().min(1).max(200).optional(), items: z.array(itemSchema).min(1).max(MAX_JSON_ITEMS) }).strict();
const filingResult = z.object({ filingId: z.number(), duplicate: z.boolean(), items: z.number(), firstLeafIndex: z.number(), treeSize: z.number(), flags: z.number(), receivedAt: z.string() });

export function registryRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const log = tlogAppender();
    // Spreadsheets arrive as raw bytes; parsers registered here stay inside this plugin.
    for (const type of ['text/csv', XLSX_TYPE, 'application/octet-stream']) {
      app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
    }

    app.post('/registry/filings', {
      config: { access: FILERS },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: { summary: 'File items (JSON, template column names as keys); all or nothing; the same content twice is one filing', tags: ['registry'], body: filingBody, response: { 200: filingResult, 201: filingResult } },
    }, async (req, reply) => {
      try {
        const res = await fileJson(ctx.db, req.body.items, { filer: filerOf(req, req.body.filer), receivedAt: ctx.now(), log });
        return reply.status(res.duplicate ? 200 : 201).send(res);
      } catch (e) {
        if (e instanceof FilingRejectedError) return sendRejection(req, reply, e);
        throw e;
      }
    });

    app.post('/registry/filings/upload', {
      config: { access: FILERS },
      bodyLimit: MAX_UPLOAD_BYTES,
      schema: {
        summary: 'Upload a filled-in template (text/csv or XLSX bytes); all or nothing; the same content twice is one filing',
        tags: ['registry'],
        querystring: z.object({ filer: z.string().min(1).max(200).optional() }).strict(),
        response: { 200: filingResult, 201: filingResult },
      },
    }, async (req, reply) => {
      const body = req.body;
      if (!Buffer.isBuffer(body)) throw new ValidationError(`send the spreadsheet as text/csv or ${XLSX_TYPE}`, { field: 'body' });
      if (body.length > MAX_UPLOAD_BYTES) throw new PayloadTooLargeError(`upload larger than ${MAX_UPLOAD_BYTES} bytes`);
      const format = sniffFormat(body);
      try {
        const res = await fileSpreadsheet(ctx.db, Readable.from([body]), format, { filer: filerOf(req, req.query.filer), receivedAt: ctx.now(), log });
        return reply.status(res.duplicate ? 200 : 201).send(res);
      } catch (e) {
        if (e instanceof FilingRejectedError) return sendRejection(req, reply, e);
        throw e;
      }
    });

    app.get('/registry/template.csv', {
      config: { access: 'public' },
      schema: { summary: 'The filing template as CSV (header row)', tags: ['registry'] },
    }, async (_req, reply) => reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="chipwatch-filing-template.csv"').send(templateCsv()));

    app.get('/registry/template.xlsx', {
      config: { access: 'public' },
      schema: { summary: 'The filing template as XLSX (items sheet + instructions sheet)', tags: ['registry'] },
    }, async (_req, reply) => {
      const chunks: Buffer[] = [];
      const { Writable } = await import('node:stream');
      await writeTemplateXlsx(new Writable({ write(c, _e, cb) { chunks.push(Buffer.from(c)); cb(); } }));
      return reply.type(XLSX_TYPE).header('content-disposition', 'attachment; filename="chipwatch-filing-template.xlsx"').send(Buffer.concat(chunks));
    });

    await app.register(readRoutes(ctx));
  };
}
