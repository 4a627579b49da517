// Location verification requests: the regulator asks that a registered chip prove its location.
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';

export interface VerificationRequest {
  id: number;
  serial: string;
  reason: string;
  status: string;
  createdAt: string;
  requestedByKeyId: number;
}

type R = {
  id: number;
  serial: string;
  reason: string;
  status: string;
  created_at: Date | string;
  requested_by_key_id: number;
};
const view = (r: R): VerificationRequest => ({
  id: Number(r.id),
  serial: r.serial,
  reason: r.reason,
  status: r.status,
  createdAt: new Date(r.created_at).toISOString(),
  requestedByKeyId: Number(r.requested_by_key_id),
});

export async function requestVerification(
  q: Queryable,
  serial: string,
  keyId: number,
  reason: string,
  now: Date,
): Promise<VerificationRequest> {
  const rows = await q.query<R>(
    `insert into registry_verification_requests (serial, requested_by_key_id, reason, created_at)
     select serial, $2, $3, $4 from registry_chips where serial = $1
     returning id, serial, reason, status, created_at, requested_by_key_id`,
    [serial, keyId, reason, now.toISOString()],
  );
  if (!rows[0]) throw new NotFoundError(`no chip with serial ${serial}`, { field: 'serial' });
  return view(rows[0]);
}

export async function listVerificationRequests(q: Queryable, serial: string): Promise<VerificationRequest[]> {
  const rows = await q.query<R>(
    `select id, serial, reason, status, created_at, requested_by_key_id from registry_verification_requests
      where serial = $1 order by id`,
    [serial],
  );
  return rows.map(view);
}

/** Serials with an open verification request, oldest request first (the verifier runs them as due). */
export async function openVerificationSerials(q: Queryable, limit: number): Promise<string[]> {
  const rows = await q.query<{ serial: string }>(
    `select serial from registry_verification_requests where status = 'open' group by serial
      order by min(created_at), serial limit $1`,
    [limit],
  );
  return rows.map((r) => r.serial);
}

/** Marks a chip's open requests done once a verdict for it has been stored; returns how many. */
export async function completeVerificationRequests(q: Queryable, serial: string): Promise<number> {
  const rows = await q.query(
    `update registry_verification_requests set status = 'done' where serial = $1 and status = 'open' returning id`,
    [serial],
  );
  return rows.length;
}
