// Liveness and readiness probes. /healthz answers from the process alone (never waits for the database,
// whose single PGlite connection a long filing holds); /readyz checks that the database answers in time,
// and with a read replica (DATABASE_READ_URL) that the replica answers too and how far behind it is.
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../db/index.js';
import { replicaLagBytes } from '../db/replica.js';

/** How long /readyz waits for `select 1` before calling the database not ready. */
export const READY_TIMEOUT_MS = 2000;

const reads = z.enum(['primary', 'replica']).describe('where reads that tolerate lag go');
const live = z.object({ status: z.literal('ok'), database: z.string(), reads });
const ready = live.extend({
  replicaLagBytes: z
    .number()
    .nullable()
    .optional()
    .describe('with a replica: WAL bytes it has not replayed yet (null: the reader is not a standby)'),
});
const problem = z.object({ type: z.string(), title: z.string(), status: z.number(), detail: z.string() });

/** `work` within `ms`, else the reason it failed (one line). */
async function answersWithin<T>(work: () => Promise<T>, ms: number): Promise<{ value: T } | { failure: string }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ failure: string }>((resolve) => {
    timer = setTimeout(() => resolve({ failure: `no answer within ${ms} ms` }), ms);
  });
  const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const answer = work().then(
    (value) => ({ value }),
    (e: unknown) => ({ failure: firstLine(e) }),
  );
  try {
    return await Promise.race([answer, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET /healthz and GET /readyz: public, never rate-limited (a monitor polling often must not see the server down). */
export function healthRoutes(db: Db, opts: { readyTimeoutMs?: number } = {}): FastifyPluginAsync {
  const where = db.reader.replica ? ('replica' as const) : ('primary' as const);
  return async (base) => {
    const app = base.withTypeProvider<ZodTypeProvider>();
    app.get(
      '/healthz',
      {
        config: { access: 'public', rateLimit: false },
        schema: {
          summary: 'Liveness: the process answers (no database query)',
          tags: ['health'],
          response: { 200: live },
        },
      },
      async () => ({ status: 'ok' as const, database: db.kind, reads: where }),
    );

    app.get(
      '/readyz',
      {
        config: { access: 'public', rateLimit: false },
        schema: {
          summary:
            `Readiness: the database (and its read replica, if any) answers select 1 within ${READY_TIMEOUT_MS} ms ` +
            '(else 503 problem+json)',
          tags: ['health'],
          response: { 200: ready, 503: problem },
        },
      },
      async (req, reply) => {
        const ms = opts.readyTimeoutMs ?? READY_TIMEOUT_MS;
        const notReady = (what: string, failure: string) => {
          req.log.warn({ failure, what }, 'readiness check failed');
          return reply
            .status(503)
            .type('application/problem+json')
            .send({
              type: 'https://chipwatch.dev/problems/not-ready',
              title: 'Not ready',
              status: 503,
              detail: `${what} (${db.kind}) is not ready: ${failure}`,
            });
        };
        const primary = await answersWithin(() => db.query('select 1'), ms);
        if ('failure' in primary) return notReady('database', primary.failure);
        if (!db.reader.replica) return { status: 'ok' as const, database: db.kind, reads: where };
        const lag = await answersWithin(() => replicaLagBytes(db), ms);
        if ('failure' in lag) return notReady('read replica', lag.failure);
        return { status: 'ok' as const, database: db.kind, reads: where, replicaLagBytes: lag.value };
      },
    );
  };
}
