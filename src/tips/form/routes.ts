// The tip form that works without JavaScript, at /tip/ (pages.ts draws it). A browser without scripts cannot
// seal a report or solve the proof of work, so here the server seals it, at once, with the same code the CLI
// runs (submitTip, followUp): the plaintext lives in this process's memory for the request and is never
// stored or logged. That is SecureDrop's model; `chipwatch tips submit` keeps the stronger one (sealed on the
// tipster's machine). No cookie, no origin check (the form has no ambient authority to forge), no log line.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { PayloadTooLargeError, UserError, ValidationError } from '../../errors.js';
import { parseReceipt } from '../receipt.js';
import type { Attachment } from '../seal.js';
import type { AttachmentReport } from '../scrub/index.js';
import { followUp, LIMITS, submitTip } from '../service.js';
import { failurePage, FORM_CSS, followUpFormPage, receiptPage, threadPage, tipFormPage } from './pages.js';
import { FormStamps, type StampCheck } from './stamp.js';

/** Scripts, images, fonts, frames: none; styles and form posts: this origin only. */
export const FORM_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const SILENT = { logLevel: 'silent' as const };
/** Per client address; over Tor every sender shares the exit's (or the onion service's) address. */
const POSTS_PER_MINUTE = 10;

const STAMP_PROBLEM: Record<Exclude<StampCheck, { ok: true }>['reason'], string> = {
  missing: 'This form came from somewhere else or is out of date. Your text is below: check it and send it again.',
  malformed: 'This form came from somewhere else or is out of date. Your text is below: check it and send it again.',
  'too-new': 'That was quicker than a person types. Your text is below: check it and send it again.',
  expired: 'This form was open for more than four hours. Your text is below: send it again.',
  used: 'This form was sent already. Your text is below: send it again only if it is a new report.',
};

const LABELS: Record<string, string> = { text: 'Your report', receipt: 'Receipt', files: 'Documents' };

interface FormInput {
  fields: Record<string, string>;
  files: Attachment[];
  problem?: UserError;
}

const MB = 2 ** 20;

export function tipFormRoutes(ctx: AppContext, opts: { secret: Uint8Array }): FastifyPluginAsync {
  const stamps = new FormStamps(opts.secret);
  const today = () => ctx.now().toISOString().slice(0, 10);
  return async (app) => {
    await app.register(multipart, {
      limits: {
        fieldNameSize: 20,
        fieldSize: LIMITS.textBytes + 4096,
        fields: 8,
        fileSize: LIMITS.attachmentBytes,
        files: LIMITS.attachments,
        parts: LIMITS.attachments + 8,
      },
    });
    const post = {
      ...SILENT,
      config: { access: 'public' as const, rateLimit: { max: POSTS_PER_MINUTE, timeWindow: '1 minute' } },
      schema: { hide: true },
    };
    const get = { ...SILENT, config: { access: 'public' as const }, schema: { hide: true } };

    app.get('/tip', get, async (_req, reply) => reply.redirect('tip/', 301));
    app.get('/tip/form.css', get, async (_req, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=86400').send(FORM_CSS),
    );
    app.get('/tip/', get, async (_req, reply) => html(reply, 200, tipFormPage({ stamp: stamps.issue(Date.now()) })));
    app.get('/tip/follow-up', get, async (_req, reply) => html(reply, 200, followUpFormPage({})));

    app.post('/tip/', post, async (req, reply) => {
      const input = await readForm(req);
      const text = input.fields.text ?? '';
      const again = (status: number, problem: string) =>
        html(reply, status, tipFormPage({ stamp: stamps.issue(Date.now()), text, problem }));
      if (input.problem) return again(input.problem.status, sentence(input.problem));
      const stamp = stamps.redeem(input.fields.stamp, Date.now());
      if (!stamp.ok) return again(400, STAMP_PROBLEM[stamp.reason]);
      try {
        const { attachments, report } = await scrubbed(ctx, input.files);
        return html(reply, 201, receiptPage({ ...(await submitTip(ctx.db, text, attachments, today())), report }));
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return again(e.status, sentence(e));
      }
    });

    app.post('/tip/follow-up', post, async (req, reply) => {
      const input = await readForm(req);
      const receipt = (input.fields.receipt ?? '').trim();
      const text = input.fields.text ?? '';
      if (input.problem)
        return html(reply, input.problem.status, followUpFormPage({ receipt, text, problem: sentence(input.problem) }));
      try {
        const entropy = parseReceipt(receipt);
        const adding = text.trim() !== '' || input.files.length > 0;
        const { attachments, report } = adding ? await scrubbed(ctx, input.files) : { attachments: [], report: [] };
        const thread = await followUp(ctx.db, entropy, adding ? { text, attachments } : undefined, today());
        return html(reply, 200, threadPage(receipt, thread, report));
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return html(reply, e.status, followUpFormPage({ receipt, text, problem: sentence(e) }));
      }
    });

    app.post('/tip/attachment', post, async (req, reply) => {
      const input = await readForm(req);
      const receipt = (input.fields.receipt ?? '').trim();
      if (input.problem)
        return html(reply, input.problem.status, followUpFormPage({ receipt, problem: sentence(input.problem) }));
      try {
        const thread = await followUp(ctx.db, parseReceipt(receipt), undefined, today());
        const m = thread.messages.find((x) => String(x.seq) === input.fields.seq);
        const a = m?.attachments[Number(input.fields.index)];
        if (!a) throw new ValidationError('no such document in your report', { field: 'files' });
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename="${a.name.replace(/[^\w.-]/g, '_')}"`)
          .header('cache-control', 'no-store')
          .header('content-security-policy', FORM_CSP)
          .send(Buffer.from(a.base64, 'base64'));
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        return html(reply, e.status, followUpFormPage({ receipt, problem: sentence(e) }));
      }
    });

    // Anything else under /tip/ that fails: a page, never a stack or problem+json (the sender has a browser).
    app.setErrorHandler((e, _req, reply) => {
      const status = (e as { statusCode?: number }).statusCode;
      if (status === 429)
        return html(
          reply,
          429,
          failurePage('Too many reports from this address just now. Wait a minute and send it again.'),
        );
      return html(reply, 500, failurePage('The report could not be stored. Nothing was kept; please send it again.'));
    });
  };
}

/** The documents with their metadata removed (src/tips/scrub), on the work pool: seconds of CPU for a big one. */
async function scrubbed(
  ctx: AppContext,
  files: Attachment[],
): Promise<{ attachments: Attachment[]; report: AttachmentReport[] }> {
  if (files.length === 0) return { attachments: [], report: [] };
  const transfer = files.map((f) => f.bytes.buffer as ArrayBuffer);
  return ctx.work.run('scrub-worker', { files }, { transfer });
}

/**
 * The form's fields and files, and the problem with them when there is one (too big, too many files, not a
 * form); the fields read before the problem come back too, so the page can put the sender's text back.
 */
async function readForm(req: FastifyRequest): Promise<FormInput> {
  const fields: Record<string, string> = {};
  const files: Attachment[] = [];
  if (!req.isMultipart())
    return { fields, files, problem: new ValidationError('send the form as multipart/form-data', { field: 'body' }) };
  let total = 0;
  const stop = (problem: UserError): FormInput => ({ fields, files, problem });
  try {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        // Past the size limit the parser cuts the file short and may or may not throw: check the cut here.
        if (part.file.truncated) return stop(tooLarge(`a document is larger than ${LIMITS.attachmentBytes / MB} MB`));
        if (part.filename === '' && bytes.length === 0) continue; // a file input left empty
        total += bytes.length;
        if (total > LIMITS.totalBytes)
          return stop(tooLarge(`the documents come to more than ${LIMITS.totalBytes / MB} MB`));
        files.push({ name: part.filename, bytes: new Uint8Array(bytes) });
      } else {
        if (part.valueTruncated) return stop(tooLarge(`it is longer than ${LIMITS.textBytes / MB} MB`, part.fieldname));
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE')
      return stop(tooLarge(`a document is larger than ${LIMITS.attachmentBytes / MB} MB`));
    if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT')
      return stop(tooLarge(`at most ${LIMITS.attachments} documents`));
    return stop(new ValidationError('the form could not be read; send it again', { field: 'body' }));
  }
  return { fields, files };
}

function tooLarge(message: string, field = 'files'): UserError {
  return new PayloadTooLargeError(message, { field });
}

/** A problem as the sender reads it: the form's label, then the sentence. */
function sentence(e: UserError): string {
  const field = e.location.field;
  return field && LABELS[field] ? `${LABELS[field]}: ${e.message}` : e.message;
}

function html(reply: FastifyReply, status: number, body: string): FastifyReply {
  return reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', FORM_CSP)
    .header('cache-control', 'no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
