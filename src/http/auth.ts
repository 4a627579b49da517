// Authentication (Bearer API key) and role checks for every /api route. Routes declare
// `config.access`; a route that declares nothing needs an authenticated caller of any role. Failed
// attempts are counted per client address, and an address over its limit is refused before its key
// is looked at (429 with Retry-After).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthenticationError, ForbiddenError, RetryLaterError } from '../errors.js';
import type { Access } from './context.js';
import type { Principal } from './principal.js';
import { AddressLimiter } from './address-limiter.js';

/** Resolves a presented key (attacker-controlled) to its principal, or null when it is unknown or revoked. */
export type Authenticate = (presentedKey: string) => Promise<Principal | null>;

export interface AuthOptions {
  authenticate: Authenticate;
  /** Failed authentications per client address per minute before the address is refused. */
  failuresPerMinute: number;
}

export class TooManyRequestsError extends RetryLaterError {
  override readonly status = 429;
  override readonly code = 'too-many-requests';
}

export function installAuth(app: FastifyInstance, opts: AuthOptions): void {
  const failures = new AddressLimiter(opts.failuresPerMinute);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    const access = req.routeOptions.config?.access;
    const needsKey = access !== 'public' && req.url.startsWith('/api/');
    if (typeof header === 'string' || needsKey) {
      const wait = failures.retryAfterSeconds(req.ip);
      const message = `too many failed authentications from this address; retry in ${wait} s`;
      if (wait > 0) throw new TooManyRequestsError(message, wait);
    }
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      req.principal = await opts.authenticate(header.slice(7).trim());
      if (!req.principal) {
        failures.fail(req.ip);
        throw new AuthenticationError('invalid or revoked API key');
      }
    }
    if (!needsKey) return;
    if (!req.principal) {
      failures.fail(req.ip);
      throw new AuthenticationError('this endpoint needs an API key: send "Authorization: Bearer cw_..."');
    }
    if (access && !allowed(req.principal, access)) {
      throw new ForbiddenError(`role ${req.principal.role} may not use this endpoint`);
    }
  });
}

function allowed(p: Principal, access: Exclude<Access, 'public'>): boolean {
  if ('only' in access) return access.only.includes(p.role);
  return p.role === 'admin' || access.includes(p.role);
}

/** For handlers that need a caller (routes with a non-public access rule always have one). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AuthenticationError('this endpoint needs an API key');
  return req.principal;
}
