// The backends every storage test runs against: PGlite always, the PostgreSQL server when
// DATABASE_URL is set (CI sets it). Each server test gets a fresh schema so runs don't collide.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openDb, type Db } from '../../src/db/index.js';

export interface Backend {
  name: 'pglite' | 'postgres';
  open: () => Promise<Db>;
}

export async function freshSchemaUrl(url: string): Promise<string> {
  const schema = 't_' + randomBytes(6).toString('hex');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export const backends: Backend[] = [
  { name: 'pglite', open: () => openDb({}) },
  ...(process.env.DATABASE_URL
    ? [
        {
          name: 'postgres' as const,
          open: async () => openDb({ databaseUrl: await freshSchemaUrl(process.env.DATABASE_URL!) }),
        },
      ]
    : []),
];
