// Shared pieces of the registry's HTTP routes: role sets, zod schemas, scoping and the rejection answer.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ForbiddenError, ValidationError } from '../errors.js';
import { principalOf } from '../http/auth.js';
import type { Role } from '../accounts/index.js';
import type { FilingRejectedError } from './problems.js';
import { isIsoDate } from './validate.js';

/** Who may do what (admin is always allowed by the auth hook). */
export const FILERS: readonly Role[] = ['filer'];
export const FILERS_AND_REGULATOR: readonly Role[] = ['filer', 'regulator'];
export const REGULATOR: readonly Role[] = ['regulator'];

export const isoDate = z.string().max(10).refine(isIsoDate, 'must be a date YYYY-MM-DD');
export const page = {
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};
export const period = z.object({ from: isoDate.optional(), to: isoDate.optional(), ...page }).strict();
export const idParam = z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();
export const serialParam = z.object({ serial: z.string().min(1).max(64) }).strict();

/** A filer sees only its organisation's filings; regulator and admin see all (undefined scope). */
export function scopeOf(req: FastifyRequest): number | undefined {
  const p = principalOf(req);
  if (p.role !== 'filer') return undefined;
  if (p.organisationId === null) throw new ForbiddenError('this filer key belongs to no organisation');
  return p.organisationId;
}

/** The filing party: a filer's own organisation; an admin must name one (created on first use). */
export function filerOf(req: FastifyRequest, named: string | undefined): { id: number } | { name: string } {
  const p = principalOf(req);
  if (p.role === 'filer') {
    if (p.organisationId === null) throw new ForbiddenError('this filer key belongs to no organisation');
    if (named !== undefined) throw new ForbiddenError('a filer key files for its own organisation only; omit "filer"');
    return { id: p.organisationId };
  }
  if (!named?.trim())
    throw new ValidationError('an administrator must name the filing organisation', { field: 'filer' });
  return { name: named };
}

export function sendRejection(req: FastifyRequest, reply: FastifyReply, err: FilingRejectedError): FastifyReply {
  return reply
    .status(400)
    .type('application/problem+json')
    .send({
      type: 'https://chipwatch.dev/problems/filing-rejected',
      title: 'Filing rejected',
      status: 400,
      detail: `${err.totalProblems} problem${err.totalProblems === 1 ? '' : 's'}; nothing was filed`,
      instance: req.url.split('?')[0],
      totalProblems: err.totalProblems,
      errors: err.problems,
    });
}
