// Authentication (Bearer API key) and role checks for every /api route. Routes declare
// `config.access`; a route that declares nothing needs an authenticated caller of any role.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AuthenticationError, ForbiddenError } from '../errors.js';
import type { Db } from '../db/index.js';
import { authenticateKey, type Principal, type Role } from './keys.js';

export function installAuth(app: FastifyInstance, db: Db): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (req) => {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      req.principal = await authenticateKey(db, header.slice(7).trim());
      if (!req.principal) throw new AuthenticationError('invalid or revoked API key');
    }
    const access = req.routeOptions.config?.access;
    if (access === 'public' || !req.url.startsWith('/api/')) return;
    if (!req.principal) throw new AuthenticationError('this endpoint needs an API key: send "Authorization: Bearer cw_..."');
    if (access && !allowed(req.principal, access)) {
      throw new ForbiddenError(`role ${req.principal.role} may not use this endpoint`);
    }
  });
}

function allowed(p: Principal, roles: readonly Role[]): boolean {
  return p.role === 'admin' || roles.includes(p.role);
}

/** For handlers that need a caller (routes with a non-public access rule always have one). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new AuthenticationError('this endpoint needs an API key');
  return req.principal;
}
