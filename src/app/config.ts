// One place where environment variables and flags become typed configuration. Libraries never read
// process.env themselves; they receive the pieces of this object they need.
import { resolve } from 'node:path';

export interface Config {
  /** PostgreSQL server URL; when absent the embedded PGlite database in `dataDir` is used. */
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  logLevel: string;
}

export interface ConfigOverrides {
  databaseUrl?: string;
  dataDir?: string;
  port?: number;
  host?: string;
  logLevel?: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}): Config {
  const port = overrides.port ?? (env.PORT ? Number(env.PORT) : 8080);
  return {
    databaseUrl: overrides.databaseUrl ?? (env.DATABASE_URL || undefined),
    dataDir: resolve(overrides.dataDir ?? env.CHIPWATCH_DATA_DIR ?? '.chipwatch'),
    port,
    host: overrides.host ?? env.HOST ?? '0.0.0.0',
    logLevel: overrides.logLevel ?? env.LOG_LEVEL ?? 'info',
  };
}
