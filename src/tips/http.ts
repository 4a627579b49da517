// The tips routes. The server never sees a plaintext: tipsters' and investigators' clients (the CLI with
// --server) seal and open messages themselves; the server stores and hands out ciphertexts. The routes log
// nothing (logLevel silent: no address, user agent, URL or time of a submission in the server's log), and
// the per-address rate limit keeps addresses in memory for its one-minute window only.
import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ValidationError } from '../errors.js';
import type { AppContext } from '../http/context.js';
import { caseOf, changeStatus, dueTips, linkTip } from './cases.js';
import { fingerprint } from './keys.js';
import { challengeFor, checkProof, DEFAULT_POW_BITS, POW_HEADER, type PowSettings } from './pow.js';
import type { TipStatus } from './service.js';
import { sealedForLookup, sealedForRecipient, storeFollowUp, storeReply, storeSubmission } from './service.js';
import { loadSodium } from './sodium.js';
import { messageFromWire, sealedTipsToWire, submissionFromWire, threadToWire } from './wire.js';

/** Base64 of the largest submission (50 MiB of attachments, 1 MiB of text) and its envelope. */
export const SUBMISSION_BODY_LIMIT = 72 * 1024 * 1024;
const SILENT = { logLevel: 'silent' as const };

function bytes(v: string, field: string, length: number): Uint8Array {
  const b = /^[A-Za-z0-9+/]*={0,2}$/.test(v) ? Buffer.from(v, 'base64') : undefined;
  if (!b || b.length !== length) throw new ValidationError(`must be ${length} bytes of base64`, { field });
  return new Uint8Array(b);
}

export interface TipsRouteOptions {
  /** The proof of work POST /tips needs; absent: a random secret and DEFAULT_POW_BITS. */
  pow?: PowSettings;
}

export function tipsRoutes(ctx: AppContext, opts: TipsRouteOptions = {}): FastifyPluginAsync {
  const pow: PowSettings = opts.pow ?? { secret: new Uint8Array(randomBytes(32)), bits: DEFAULT_POW_BITS };
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    const today = () => ctx.now().toISOString().slice(0, 10);
    await loadSodium();

    app.get(
      '/tips/recipients',
      {
        ...SILENT,
        config: { access: 'public' },
        schema: { summary: 'The investigator keys a new tip must be sealed to (public)', tags: ['tips'] },
      },
      async () => {
        const rows = await ctx.db.query<{ id: string; name: string; public_key: Uint8Array }>(
          'select id, name, public_key from tip_recipients where removed_on is null order by id',
        );
        return rows.map((r) => ({
          id: Number(r.id),
          name: r.name,
          fingerprint: fingerprint(new Uint8Array(r.public_key)),
          publicKey: Buffer.from(r.public_key).toString('base64'),
        }));
      },
    );

    app.get(
      '/tips/challenge',
      {
        ...SILENT,
        config: { access: 'public' },
        schema: {
          summary: "Today's proof-of-work challenge for POST /tips (public; the same for everyone)",
          tags: ['tips'],
        },
      },
      async () => ({
        challenge: challengeFor(pow.secret, today()),
        bits: pow.bits,
        algorithm: 'sha256',
        header: POW_HEADER,
      }),
    );

    // POST /tips in its own context: its JSON parser sees the raw body, checks the proof of work over it
    // (before parsing anything) and only then parses it.
    await app.register(async (sub) => {
      sub.removeContentTypeParser('application/json');
      sub.addContentTypeParser(
        'application/json',
        { parseAs: 'buffer', bodyLimit: SUBMISSION_BODY_LIMIT },
        (req, body, done) => {
          try {
            const yesterday = new Date(ctx.now().getTime() - 86_400_000).toISOString().slice(0, 10);
            checkProof(pow, req.headers[POW_HEADER], body as Buffer, [today(), yesterday]);
            done(null, JSON.parse((body as Buffer).toString('utf8')));
          } catch (e) {
            done(
              e instanceof SyntaxError ? new ValidationError('the body is not JSON', { field: 'body' }) : (e as Error),
            );
          }
        },
      );
      sub.withTypeProvider<ZodTypeProvider>().post(
        '/tips',
        {
          ...SILENT,
          bodyLimit: SUBMISSION_BODY_LIMIT,
          config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
          schema: {
            summary:
              'Submit a tip sealed by the client, with a proof of work (no account; nothing about the sender is kept)',
            tags: ['tips'],
            body: z.record(z.unknown()),
          },
        },
        async (req, reply) => {
          const prepared = submissionFromWire(req.body);
          const day = today();
          await ctx.db.transaction((tx) => storeSubmission(tx, prepared, day));
          return reply.status(201).send({ submittedOn: day });
        },
      );
    });

    app.post(
      '/tips/lookup',
      {
        ...SILENT,
        config: { access: 'public', rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          summary: "A tip's conversation, sealed to its receipt, by the receipt's lookup hash (public)",
          tags: ['tips'],
          body: z.object({ lookup: z.string().max(64) }).strict(),
        },
      },
      async (req) => threadToWire(await sealedForLookup(ctx.db, bytes(req.body.lookup, 'lookup', 32))),
    );

    app.post(
      '/tips/messages',
      {
        ...SILENT,
        bodyLimit: SUBMISSION_BODY_LIMIT,
        config: { access: 'public', rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          summary: "Add a tipster's message, sealed by the client, to the tip a receipt's lookup names (public)",
          tags: ['tips'],
          body: z.record(z.unknown()),
        },
      },
      async (req, reply) => {
        const b = req.body;
        const lookup = bytes(String(b.lookup ?? ''), 'lookup', 32);
        const commitment = bytes(String(b.commitment ?? ''), 'commitment', 32);
        const message = messageFromWire(b.message);
        const day = typeof b.day === 'string' ? b.day : '';
        return reply.status(201).send(await storeFollowUp(ctx.db, lookup, { day, message, commitment }, today()));
      },
    );

    app.post(
      '/tips/:id/replies',
      {
        ...SILENT,
        bodyLimit: SUBMISSION_BODY_LIMIT,
        config: { access: { only: ['investigator'] } },
        schema: {
          summary: 'Reply to a tip with a message sealed by the investigator (investigator only)',
          tags: ['tips'],
          params: z.object({ id: z.string().max(40) }).strict(),
          body: z.record(z.unknown()),
        },
      },
      async (req, reply) => {
        const publicKey = bytes(String(req.body.publicKey ?? ''), 'publicKey', 32);
        const message = messageFromWire(req.body.message);
        return reply.status(201).send(await storeReply(ctx.db, req.params.id, publicKey, message, today()));
      },
    );

    // The case flow (case-flow.ts): investigators only; the actor recorded is the API key's id.
    const INVESTIGATOR = { ...SILENT, config: { access: { only: ['investigator'] } } } as const;
    const actorOf = (req: { principal: { keyId: number } | null }) => `api-key ${req.principal?.keyId}`;
    const idParams = z.object({ id: z.string().max(40) }).strict();
    app.get(
      '/tips/due',
      { ...INVESTIGATOR, schema: { summary: 'Open tips by deadline (investigator only)', tags: ['tips'] } },
      async () => dueTips(ctx.db, today()),
    );
    app.get(
      '/tips/:id/case',
      {
        ...INVESTIGATOR,
        schema: { summary: "A tip's case: status, deadline, links, awards, history", tags: ['tips'], params: idParams },
      },
      async (req) => caseOf(ctx.db, req.params.id, today()),
    );
    app.post(
      '/tips/:id/status',
      {
        ...INVESTIGATOR,
        schema: {
          summary: "Change a tip's status, with a reason (investigator only)",
          tags: ['tips'],
          params: idParams,
          body: z
            .object({
              to: z.string().max(20),
              reason: z.string().max(2000),
              closeReason: z.string().max(40).optional(),
              referredTo: z.string().max(40).optional(),
            })
            .strict(),
        },
      },
      async (req, reply) => {
        const change = { ...req.body, to: req.body.to as TipStatus };
        return reply.status(201).send(await changeStatus(ctx.db, req.params.id, change, actorOf(req), today()));
      },
    );
    app.post(
      '/tips/:id/links',
      {
        ...INVESTIGATOR,
        schema: {
          summary: 'Link a tip to a registry serial or an intelligence entity id (investigator only)',
          tags: ['tips'],
          params: idParams,
          body: z.object({ serial: z.string().max(100).optional(), entity: z.string().max(200).optional() }).strict(),
        },
      },
      async (req, reply) =>
        reply.status(201).send(await linkTip(ctx.db, req.params.id, req.body, actorOf(req), today())),
    );

    app.get(
      '/tips/sealed',
      {
        ...SILENT,
        // Investigators only, not even admin: the answer is ciphertext, but who reads tips is narrowed anyway.
        config: { access: { only: ['investigator'] } },
        schema: {
          summary: 'Every tip sealed to a recipient key, still encrypted (investigator only)',
          tags: ['tips'],
          querystring: z.object({ publicKey: z.string().max(64) }).strict(),
        },
      },
      async (req) => sealedTipsToWire(await sealedForRecipient(ctx.db, bytes(req.query.publicKey, 'publicKey', 32))),
    );
  };
}
