// /api/intel: every area's routes. Analysts read and write; regulators read alerts and dossiers (each route
// names its access rule); filers, auditors and compliance keys see none of it.
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../http/context.js';
import { entitiesRoutes } from './entities/http.js';
import { evidenceRoutes } from './evidence/http.js';
import { networkRoutes } from './network/http.js';

export function intelRoutes(ctx: AppContext): FastifyPluginAsync {
  return async (app) => {
    await app.register(evidenceRoutes(ctx));
    await app.register(entitiesRoutes(ctx));
    await app.register(networkRoutes(ctx));
  };
}
