// Registry HTTP routes under /api/registry: filing (JSON and spreadsheet upload), the template, and the
// read side (http-read.ts). Every route declares its roles and validates its input with zod.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../http/context.js';
import type { Queryable } from '../db/index.js';
import { ValidationError } from '../errors.js';
import { FILERS, filerOf, sendRejection } from './http-common.js';
import { readRoutes } from './http-read.js';
import { tlogAppender } from './log.js';
import { FilingRejectedError } from './problems.js';
import { fileJson, fileRead } from './service.js';
import { MAX_FILING_BYTES } from './intake.js';
import { readFilingOnWorker } from './intake-offload.js';
import { bodyChunks } from '../http/raw-body.js';
import { parseEncoding, type TextEncoding } from '../tabular/decode.js';
import { FILING_COLUMNS, templateCsv } from './template.js';
import { writeTemplateXlsx } from './template-xlsx.js';

export const MAX_UPLOAD_BYTES = MAX_FILING_BYTES;
export const MAX_JSON_ITEMS = 100_000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const cell = z.union([z.string().max(300), z.number().finite(), z.null()]).optional();
const itemSchema = z
  .object(
    Object.fromEntries(FILING_COLUMNS.map((c) => [c, cell])) as Record<(typeof FILING_COLUMNS)[number], typeof cell>,
  )
  .strict();
const filingBody = z
  .object({ filer: z.string().min(1).max(200).optional(), items: z.array(itemSchema).min(1).max(MAX_JSON_ITEMS) })
  .strict();
const filingResult = z.object({
  filingId: z.number(),
  duplicate: z.boolean(),
  items: z.number(),
  firstLeafIndex: z.number(),
  treeSize: z.number(),
  flags: z.number(),
  receivedAt: z.string(),
  /** The offline proof bundle of the filing's items (tlog ReceiptProof), when the server has a log signer. */
  proof: z.any().optional(),
});

/** Builds the proof part of a receipt for log leaves [start, end) (the assembler plugs in the tlog's). */
export type ReceiptProofs = (q: Queryable, start: number, end: number, now: Date) => Promise<unknown>;

export function registryRoutes(ctx: AppContext, opts: { receiptProofs?: ReceiptProofs } = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const log = tlogAppender();
    // Every receipt carries the proof bundle of its items (or says when and how to fetch it).
    const receipt = async <T extends { firstLeafIndex: number; items: number }>(res: T) =>
      opts.receiptProofs
        ? {
            ...res,
            proof: await opts.receiptProofs(ctx.db, res.firstLeafIndex, res.firstLeafIndex + res.items, ctx.now()),
          }
        : res;
    // Spreadsheets arrive as raw bytes; parsers registered here stay inside this plugin.
    for (const type of ['text/csv', XLSX_TYPE, 'application/octet-stream']) {
      app.addContentTypeParser(type, bodyChunks(MAX_UPLOAD_BYTES)); // kept as chunks for the worker thread
    }

    app.post(
      '/registry/filings',
      {
        config: { access: FILERS },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          summary:
            'File items (JSON, template column names as keys); all or nothing; the same content twice is one filing',
          tags: ['registry'],
          body: filingBody,
          response: { 200: filingResult, 201: filingResult },
        },
      },
      async (req, reply) => {
        try {
          const res = await fileJson(ctx.db, req.body.items, {
            filer: filerOf(req, req.body.filer),
            receivedAt: ctx.now(),
            log,
          });
          return reply.status(res.duplicate ? 200 : 201).send(await receipt(res));
        } catch (e) {
          if (e instanceof FilingRejectedError) return sendRejection(req, reply, e);
          throw e;
        }
      },
    );

    app.post(
      '/registry/filings/upload',
      {
        config: { access: FILERS },
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          summary:
            'Upload a filled-in template (text/csv or XLSX bytes); all or nothing; the same content twice is one ' +
            'filing',
          tags: ['registry'],
          querystring: z
            .object({
              filer: z.string().min(1).max(200).optional(),
              encoding: z
                .string()
                .max(20)
                .optional()
                .describe("text encoding of a CSV: utf8 (default) or latin1; the content type's charset works too"),
            })
            .strict(),
          response: { 200: filingResult, 201: filingResult },
        },
      },
      async (req, reply) => {
        const body = req.body;
        if (!Array.isArray(body))
          throw new ValidationError(`send the spreadsheet as text/csv or ${XLSX_TYPE}`, { field: 'body' });
        const encoding = uploadEncoding(req.query.encoding, req.headers['content-type']);
        try {
          const filer = filerOf(req, req.query.filer);
          const read = await readFilingOnWorker(ctx.work, body, { encoding }); // parsing off the event loop
          const res = await fileRead(ctx.db, read, { filer, receivedAt: ctx.now(), log });
          return reply.status(res.duplicate ? 200 : 201).send(await receipt(res));
        } catch (e) {
          if (e instanceof FilingRejectedError) return sendRejection(req, reply, e);
          throw e;
        }
      },
    );

    await app.register(templateRoutes());
    await app.register(readRoutes(ctx));
  };
}

/** The filing template, public: CSV (the header row) and XLSX (items sheet + instructions sheet). */
function templateRoutes(): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/registry/template.csv',
      {
        config: { access: 'public' },
        schema: { summary: 'The filing template as CSV (header row)', tags: ['registry'] },
      },
      async (_req, reply) =>
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', 'attachment; filename="chipwatch-filing-template.csv"')
          .send(templateCsv()),
    );

    app.get(
      '/registry/template.xlsx',
      {
        config: { access: 'public' },
        schema: { summary: 'The filing template as XLSX (items sheet + instructions sheet)', tags: ['registry'] },
      },
      async (_req, reply) => {
        const chunks: Buffer[] = [];
        const { Writable } = await import('node:stream');
        await writeTemplateXlsx(
          new Writable({
            write(c, _e, cb) {
              chunks.push(Buffer.from(c));
              cb();
            },
          }),
        );
        return reply
          .type(XLSX_TYPE)
          .header('content-disposition', 'attachment; filename="chipwatch-filing-template.xlsx"')
          .send(Buffer.concat(chunks));
      },
    );
  };
}

/** The CSV text encoding of an upload: ?encoding=, else the content type's charset, else UTF-8. */
export function uploadEncoding(query: string | undefined, contentType: string | undefined): TextEncoding {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType ?? '')?.[1];
  const named = query ?? charset;
  if (named === undefined) return 'utf8';
  const enc = parseEncoding(named);
  const field = query === undefined ? 'charset' : 'encoding';
  if (!enc) throw new ValidationError(`unsupported ${field} "${named.slice(0, 40)}": send UTF-8 or Latin-1`, { field });
  return enc;
}
