// Liveness and readiness probes. /healthz answers from the process alone (never waits for the database,
// whose single PGlite connection a long filing holds); /readyz checks that the database answers in time.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/index.js';

/** How long /readyz waits for `select 1` before calling the database not ready. */
export const READY_TIMEOUT_MS = 2000;

const ok = z.object({ status: z.literal('ok'), database: z.string() });
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() });

/** `select 1` within `ms`, else the reason it failed (one line). */
async function databaseAnswers(db: Db, ms: number): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${ms} ms`), ms);
  });
  const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const query = db.query('select 1').then(() => null, firstLine);
  try {
    return await Promise.race([query, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz and GET /readyz: public, never rate-limited (a monitor polling often must not see the server down). */
export function healthRoutes(db: Db, opts: { readyTimeoutMs?: number } = {}): FastifyPluginAsync {
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/healthz',
      {
        config: { access: 'public', rateLimit: false },
        schema: {
          summary: 'Liveness: the process answers (no database query)',
          tags: ['health'],
          response: { 200: ok },
        },
      },
      async () => ({ status: 'ok' as const, database: db.kind }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public', rateLimit: false },
        schema: {
          summary: `Readiness: the database answers select 1 within ${READY_TIMEOUT_MS} ms (else 503 problem+json)`,
          tags: ['health'],
          response: { 200: ok, 503: problem },
        },
      },
      async (req, reply) => {
        const failure = await databaseAnswers(db, opts.readyTimeoutMs ?? READY_TIMEOUT_MS);
        if (failure === null) return { status: 'ok' as const, database: db.kind };
        req.log.warn({ failure }, 'readiness check failed');
        return reply
          .status(503)
          .type('application/problem+json')
          .send({
            type: 'https://chipwatch.dev/problems/not-ready',
            title: 'Not ready',
            status: 503,
            detail: `database (${db.kind}) is not ready: ${failure}`,
          });
      },
    );
  };
}
