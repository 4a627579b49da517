// How far a streaming replica is behind its primary, for readiness probes and for tests that wait for it
// to catch up: bytes of write-ahead log the primary has written that the replica has not replayed yet.
import type { Db } from './db.js';

/**
 * WAL bytes between the primary's current position and the replica's last replayed record; null without a
 * replica, or when the reader is not a standby (pg_last_wal_replay_lsn() is null outside recovery).
 */
export async function replicaLagBytes(db: Db): Promise<number | null> {
  if (!db.reader.replica) return null;
  const [{ lsn }] = await db.reader.query<{ lsn: string | null }>('select pg_last_wal_replay_lsn()::text as lsn');
  if (lsn === null) return null;
  const [{ lag }] = await db.query<{ lag: number }>(
    'select greatest(0, pg_wal_lsn_diff(pg_current_wal_lsn(), $1::pg_lsn))::float8 as lag',
    [lsn],
  );
  return lag;
}
