// What the app hands every domain's routes: the database, the clock (cores never read it themselves) and the
// worker pool that keeps heavy requests off the event loop.
import type { Db } from '../db/index.js';
import type { Principal, Role } from './principal.js';
import type { WorkPool } from './work-pool.js';

export interface AppContext {
  db: Db;
  now: () => Date;
  /** Worker threads for heavy requests, with a bounded queue (full: 503). */
  work: WorkPool;
}

/**
 * Per-route access rule: 'public', or the roles allowed (admin is always allowed), or `{ only }`: exactly
 * these roles, admin included only when named (whistleblower tips: nobody but investigators).
 */
export type Access = 'public' | readonly Role[] | { readonly only: readonly Role[] };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
