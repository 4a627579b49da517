// The one error path of the HTTP API: every error becomes application/problem+json (RFC 9457).
// User errors keep their status and location; a statement the database cancelled and that may succeed again
// (a serialization failure, a replica's recovery conflict) is a 503 with Retry-After; anything else is a 500
// whose details stay in the log.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isUserError, RetryLaterError } from '../errors.js';

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  [extension: string]: unknown;
}

const TYPE_BASE = 'https://chipwatch.dev/problems/';

/**
 * SQLSTATEs of a statement the server cancelled that may succeed when sent again: a serialization failure
 * (on a hot standby, also a read cancelled by the replay of the primary's changes) and a deadlock.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);

function isTransientDatabaseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return err instanceof Error && typeof code === 'string' && TRANSIENT_SQLSTATES.has(code);
}

export function problemFor(err: unknown, instance?: string): Problem {
  if (isUserError(err)) {
    return {
      type: TYPE_BASE + err.code,
      title: err.name,
      status: err.status,
      detail: err.message,
      instance,
      ...err.location,
    };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({
      field: [err.validationContext, ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
    return { type: TYPE_BASE + 'validation', title: 'ValidationError', status: 400, detail, instance, errors };
  }
  const fe = err as Partial<FastifyError>;
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    // Fastify's own client errors: bad JSON, body too large, unsupported media type, rate limit.
    const message = fe.message ?? 'bad request';
    // Fastify's messages may quote the whole URL (a 414 for a 10 KB parameter): keep the answer short.
    const detail = message.length > 300 ? `${message.slice(0, 300)}…` : message;
    return {
      type: TYPE_BASE + (fe.code ?? 'bad-request').toLowerCase(),
      title: 'Bad request',
      status: fe.statusCode,
      detail,
      instance,
    };
  }
  if (isTransientDatabaseError(err)) {
    return {
      type: TYPE_BASE + 'retry',
      title: 'Try again',
      status: 503,
      detail: 'the database cancelled this request because of concurrent changes; send it again',
      instance,
    };
  }
  return {
    type: TYPE_BASE + 'internal',
    title: 'Internal error',
    status: 500,
    detail: 'internal error; see server log',
    instance,
  };
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, err: unknown): FastifyReply {
  const problem = problemFor(err, req.url.length > 200 ? `${req.url.slice(0, 200)}…` : req.url);
  const transient = isTransientDatabaseError(err);
  if (transient) req.log.warn({ code: (err as { code: string }).code }, 'database cancelled the request');
  else if (problem.status >= 500 && !isUserError(err)) req.log.error({ err }, 'unhandled error');
  else req.log.info({ status: problem.status, type: problem.type }, 'client error');
  // Busy (503) and rate-limited (429) answers say when to come back.
  if (err instanceof RetryLaterError) reply.header('retry-after', String(err.retryAfterSeconds));
  else if (transient) reply.header('retry-after', '1');
  return reply.status(problem.status).type('application/problem+json').send(problem);
}
