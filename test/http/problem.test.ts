// The HTTP API's one error path for database errors: a statement PostgreSQL cancelled and that may succeed when
// sent again (serialization failure, deadlock; on a read replica, a read cancelled by the replay of the primary's
// changes) answers 503 problem+json with Retry-After; any other database error stays a 500 that says nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import pg from 'pg';
import { sendProblem } from '../../src/http/problem.js';

function databaseError(code: string, message: string): pg.DatabaseError {
  const e = new pg.DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

describe('database errors as problem+json', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = Fastify();
    app.setErrorHandler((err, req, reply) => sendProblem(req, reply, err));
    const errors: Record<string, pg.DatabaseError> = {
      conflict: databaseError('40001', 'canceling statement due to conflict with recovery'),
      deadlock: databaseError('40P01', 'deadlock detected'),
      other: databaseError('42P01', 'relation "registry_secret_table" does not exist'),
    };
    app.get<{ Params: { kind: string } }>('/fail/:kind', async (req) => {
      throw errors[req.params.kind];
    });
    await app.ready();
  });
  afterAll(() => app.close());

  it('a cancelled statement: 503 with Retry-After, to send again', async () => {
    for (const kind of ['conflict', 'deadlock']) {
      const res = await app.inject({ method: 'GET', url: `/fail/${kind}` });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('1');
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.json()).toMatchObject({ type: 'https://chipwatch.dev/problems/retry', status: 503 });
    }
  });

  it('any other database error: 500 without its message', async () => {
    const res = await app.inject({ method: 'GET', url: '/fail/other' });
    expect(res.statusCode).toBe(500);
    expect(res.headers['retry-after']).toBeUndefined();
    expect(res.body).not.toContain('registry_secret_table');
  });
});
