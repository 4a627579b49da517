// Serial alerts as stored (migration 072): raised once per serial, evidence item and kind (a second raise is a
// no-op), listed with their evidence, acknowledged by appending a row (the alert itself never changes).
import { createHash } from 'node:crypto';
import type { Queryable } from '../../db/index.js';
import { NotFoundError } from '../../errors.js';
import type { AlertDraft, AlertKind, RegistryPicture } from './rules.js';

export interface AlertEvidence {
  id: string;
  kind: string;
  title: string;
  date: string;
  country: string | null;
  place: string | null;
  source: { title: string; url: string | null };
}

export interface Alert {
  id: string;
  kind: AlertKind;
  serial: string;
  /** The party it is about: the registry's declared owner, else the seller the evidence names. */
  entity: string | null;
  /** Its FtM entity id: the owner's registry entity (see `intel sync`), else the seller's evidence entity. */
  entityId: string | null;
  reason: string;
  evidence: AlertEvidence[];
  registry: RegistryPicture;
  raisedAt: string;
  acknowledgements: { at: string; by: string; note: string }[];
}

export interface NewAlert extends AlertDraft {
  entity: string | null;
  entityId: string | null;
  registry: RegistryPicture;
}

export function alertId(serial: string, evidenceId: string, kind: AlertKind): string {
  return `ALR-${createHash('sha256').update(`${serial}|${evidenceId}|${kind}`).digest('hex').slice(0, 16)}`;
}

/** Stores the alerts not raised before; returns the ids raised now. */
export async function raiseAlerts(q: Queryable, alerts: readonly NewAlert[], now: Date): Promise<string[]> {
  if (alerts.length === 0) return [];
  const rows = alerts.map((a) => ({ ...a, id: alertId(a.serial, a.evidenceId, a.kind) }));
  const raised = await q.query<{ id: string }>(
    `insert into intel_alerts (id, kind, serial, evidence_id, entity_id, entity, reason, registry, raised_at)
     select a->>'id', a->>'kind', a->>'serial', a->>'evidenceId', a->>'entityId', a->>'entity', a->>'reason',
       a->'registry', $2
     from jsonb_array_elements($1::jsonb) a
     on conflict (serial, evidence_id, kind) do nothing returning id`,
    [JSON.stringify(rows), now.toISOString()],
  );
  return raised.map((r) => r.id).sort();
}

export interface AlertFilter {
  serial?: string;
  kind?: AlertKind;
  /** Only alerts nobody has acknowledged. */
  open?: boolean;
  limit: number;
  offset: number;
}

type R = Record<string, unknown>;

const SELECT = `select a.id, a.kind, a.serial, a.entity, a.entity_id, a.reason, a.registry, a.raised_at,
    jsonb_build_object('id', e.id, 'kind', e.kind, 'title', e.title, 'date', e.event_date::text,
      'country', e.country, 'place', e.place,
      'source', jsonb_build_object('title', e.source_title, 'url', e.source_url)) as evidence,
    coalesce((select jsonb_agg(jsonb_build_object('at', k.acknowledged_at, 'by', k.acknowledged_by, 'note', k.note)
      order by k.id) from intel_alert_acks k where k.alert_id = a.id), '[]') as acks
  from intel_alerts a join intel_evidence e on e.id = a.evidence_id`;

function fromRow(r: R): Alert {
  return {
    id: String(r.id),
    kind: r.kind as AlertKind,
    serial: String(r.serial),
    entity: (r.entity as string | null) ?? null,
    entityId: (r.entity_id as string | null) ?? null,
    reason: String(r.reason),
    evidence: [r.evidence as AlertEvidence],
    registry: r.registry as RegistryPicture,
    raisedAt: new Date(r.raised_at as string).toISOString(),
    acknowledgements: (r.acks as { at: string; by: string; note: string }[]).map((k) => ({
      ...k,
      at: new Date(k.at).toISOString(),
    })),
  };
}

/** Alerts, newest first. */
export async function listAlerts(q: Queryable, f: AlertFilter): Promise<Alert[]> {
  const rows = await q.query<R>(
    `${SELECT}
     where ($1::text is null or a.serial = $1) and ($2::text is null or a.kind = $2)
       and (not $3 or not exists (select 1 from intel_alert_acks k where k.alert_id = a.id))
     order by a.raised_at desc, a.id limit $4 offset $5`,
    [f.serial ?? null, f.kind ?? null, f.open ?? false, f.limit, f.offset],
  );
  return rows.map(fromRow);
}

export async function getAlert(q: Queryable, id: string): Promise<Alert> {
  const rows = await q.query<R>(`${SELECT} where a.id = $1`, [id]);
  if (!rows[0]) throw new NotFoundError(`no alert ${id}`, { field: 'id' });
  return fromRow(rows[0]);
}

/** Appends an acknowledgement (who and why); the alert stays as raised. */
export async function acknowledgeAlert(q: Queryable, id: string, by: string, note: string, now: Date): Promise<Alert> {
  await getAlert(q, id);
  await q.query(
    'insert into intel_alert_acks (alert_id, acknowledged_at, acknowledged_by, note) values ($1, $2, $3, $4)',
    [id, now.toISOString(), by, note],
  );
  return getAlert(q, id);
}
