// What the app hands every domain's routes: the database and the clock (cores never read it themselves).
import type { Db } from '../db/index.js';
import type { Principal, Role } from './keys.js';

export interface AppContext {
  db: Db;
  now: () => Date;
}

/** Per-route access rule: 'public', or the roles allowed (admin is always allowed). */
export type Access = 'public' | readonly Role[];

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    access?: Access;
  }
}
