// /api/intel/... routes of this area (registered by ../http.ts).
import type { FastifyPluginAsync } from 'fastify';
import type { AppContext } from '../../http/context.js';

export function networkRoutes(_ctx: AppContext): FastifyPluginAsync {
  return async () => {};
}
