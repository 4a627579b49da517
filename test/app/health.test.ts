// /healthz is liveness (answers from the process, never queries the database) and /readyz is readiness
// (select 1 within the timeout, else 503 problem+json). Real HTTP against healthRoutes on a listening server.
import { afterEach, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Db, Queryable, Reader } from '../../src/db/index.js';
import { healthRoutes } from '../../src/http/health.js';
import { call } from './serve-process.js';

/** A database whose queries do what `answer` says, counting them; with `replica`, a reader that answers so. */
function fakeDb(
  answer: () => Promise<unknown[]>,
  replica?: (sql: string) => Promise<unknown[]>,
): Db & { queries: number } {
  const primary = {
    async query<T>() {
      db.queries++;
      return (await answer()) as T[];
    },
    async exec() {},
    transaction: <T>(fn: (tx: Queryable) => Promise<T>) => fn(primary),
  };
  const standby: Queryable = {
    query: async <T>(sql: string) => (await replica!(sql)) as T[],
    async exec() {},
  };
  const reader: Reader = replica
    ? { ...standby, replica: true, transaction: (fn) => fn(standby) }
    : { ...primary, replica: false };
  const db: Db & { queries: number } = {
    kind: replica ? 'postgres' : 'pglite',
    queries: 0,
    ...primary,
    reader,
    async close() {},
  };
  return db;
}

describe('healthRoutes', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function listen(db: Db, readyTimeoutMs = 150): Promise<number> {
    app = Fastify({ forceCloseConnections: true });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(healthRoutes(db, { readyTimeoutMs }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return (app.server.address() as AddressInfo).port;
  }

  it('/healthz answers at once without a query while the database hangs; /readyz: 503 after the timeout', async () => {
    const db = fakeDb(() => new Promise(() => {})); // a connection held by a long transaction
    const port = await listen(db);
    const t = performance.now();
    const late = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error('/healthz did not answer within 1 s')), 1000);
    });
    const health = await Promise.race([call(port, 'GET', '/healthz'), late]);
    expect(performance.now() - t).toBeLessThan(100);
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok', database: 'pglite', reads: 'primary' });
    expect(db.queries).toBe(0);

    const ready = await call(port, 'GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers['content-type']).toContain('application/problem+json');
    expect(JSON.parse(ready.body)).toMatchObject({
      status: 503,
      title: 'Not ready',
      detail: 'database (pglite) is not ready: no answer within 150 ms',
    });
  });

  it('/readyz is ok when select 1 answers, and names the one-line cause when it fails', async () => {
    let fail = false;
    const port = await listen(
      fakeDb(async () => {
        if (fail)
          throw new Error('connection terminated unexpectedly\n    at Socket.<anonymous> (pg/lib/client.js:1:1)');
        return [{ '?column?': 1 }];
      }),
    );
    const ok = await call(port, 'GET', '/readyz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({ status: 'ok', database: 'pglite', reads: 'primary' });
    fail = true;
    const down = await call(port, 'GET', '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body).detail).toBe('database (pglite) is not ready: connection terminated unexpectedly');
  });

  it('/readyz with a read replica: ok with its lag, 503 naming the replica when it does not answer', async () => {
    let replicaUp = true;
    const port = await listen(
      fakeDb(
        async () => [{ lag: 4096 }], // the primary: select 1, then the WAL distance to the replica's position
        async (sql) => {
          if (!replicaUp) throw new Error('connect ECONNREFUSED 127.0.0.1:5433');
          expect(sql).toContain('pg_last_wal_replay_lsn');
          return [{ lsn: '0/3000148' }];
        },
      ),
    );
    const live = await call(port, 'GET', '/healthz');
    expect(JSON.parse(live.body)).toEqual({ status: 'ok', database: 'postgres', reads: 'replica' });
    const ok = await call(port, 'GET', '/readyz');
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toEqual({
      status: 'ok',
      database: 'postgres',
      reads: 'replica',
      replicaLagBytes: 4096,
    });
    replicaUp = false;
    const down = await call(port, 'GET', '/readyz');
    expect(down.status).toBe(503);
    expect(JSON.parse(down.body).detail).toBe(
      'read replica (postgres) is not ready: connect ECONNREFUSED 127.0.0.1:5433',
    );
  });
});
