// List versions in the database: `lists update` appends a version (never edits one); servers and the
// CLI screen against the newest.
import type { Queryable } from '../../db/index.js';
import type { ListChanges } from './diff.js';
import { packPrepared, unpackPrepared, type PreparedSet } from './snapshot.js';

export interface ListVersionInfo {
  id: number;
  loadedAt: string;
  loadedBy: string;
  sources: string[];
  entryCount: number;
  contentSha256: string;
}

export async function saveListVersion(
  db: Queryable,
  p: PreparedSet,
  changes: ListChanges & { truncated?: boolean },
  loadedBy: string,
  now: Date,
): Promise<number> {
  const rows = await db.query<{ id: string }>(
    `insert into screening_list_versions (loaded_at, loaded_by, sources, entry_count, content_sha256, changes, data_gz)
     values ($1, $2, $3, $4, $5, $6, $7) returning id`,
    [
      now.toISOString(),
      loadedBy,
      JSON.stringify(p.sources),
      p.entries.length,
      p.contentSha256,
      JSON.stringify(changes),
      packPrepared(p),
    ],
  );
  return Number(rows[0].id);
}

export async function latestListVersionId(db: Queryable): Promise<number | null> {
  const rows = await db.query<{ id: string }>('select max(id) as id from screening_list_versions');
  return rows[0]?.id == null ? null : Number(rows[0].id);
}

export async function loadListVersion(db: Queryable, id: number): Promise<PreparedSet | null> {
  const rows = await db.query<{ data_gz: Uint8Array }>('select data_gz from screening_list_versions where id = $1', [
    id,
  ]);
  return rows[0] ? unpackPrepared(rows[0].data_gz) : null;
}

export async function listVersions(db: Queryable, limit = 20): Promise<(ListVersionInfo & { changes: unknown })[]> {
  const rows = await db.query<{
    id: string;
    loaded_at: Date | string;
    loaded_by: string;
    sources: string[];
    entry_count: number;
    content_sha256: string;
    changes: unknown;
  }>(
    `select id, loaded_at, loaded_by, sources, entry_count, content_sha256, changes from screening_list_versions
      order by id desc limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    loadedAt: new Date(r.loaded_at).toISOString(),
    loadedBy: r.loaded_by,
    sources: r.sources,
    entryCount: Number(r.entry_count),
    contentSha256: r.content_sha256,
    changes: r.changes,
  }));
}
