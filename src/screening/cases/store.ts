// Diligence cases in SQL. Every action runs in one transaction: lock the case, apply the pure
// transition, update the case, write its verifications, append the audit event (append-only table).
import type { Db, Queryable } from '../../db/index.js';
import { NotFoundError } from '../../errors.js';
import {
  addHits,
  applyAction,
  newCase,
  type NewHit,
  type Actor,
  type CaseAction,
  type Hit,
  type CaseState,
  type CaseView,
  type ChecklistEntry,
  type Verification,
  type VerificationKind,
} from './workflow.js';

export interface Scope {
  /** null with seeAll=false: only cases without an organisation. */
  organisationId: number | null;
  seeAll: boolean;
}

export interface CaseEvent {
  seq: number;
  at: string;
  actor: string;
  action: string;
  fromState: string | null;
  toState: string;
  reason: string;
  data: unknown;
}

export interface CaseRecord extends CaseView {
  id: number;
  hits: Hit[];
  assessedBy: string | null;
  organisationId: number | null;
  subjectKind: 'customer' | 'order';
  subjectName: string;
  subjectRef: string | null;
  country: string | null;
  profile: unknown;
  openedBy: string;
  openedAt: string;
  updatedAt: string;
  version: number;
}

export interface NewCase {
  organisationId: number | null;
  subjectKind: 'customer' | 'order';
  subjectName: string;
  subjectRef?: string;
  country?: string;
  businessType?: string;
  profile: unknown;
  /** The initial assessment shown to the officer (screening results, red flags, suggested risk). */
  assessment: unknown;
  /** What holds the case; absent: the assessment's own `hits` (Assessment.hits), if it has them. */
  hits?: Hit[];
  reason: string;
}

type CaseRow = {
  id: string;
  organisation_id: string | null;
  subject_kind: 'customer' | 'order';
  subject_name: string;
  subject_ref: string | null;
  country: string | null;
  profile: { customer?: { businessType?: string } } & Record<string, unknown>;
  state: CaseState;
  risk: 'low' | 'high' | null;
  checklist: Record<string, ChecklistEntry>;
  decision: CaseView['decision'];
  shipped_at: Date | string | null;
  hits: Hit[] | null;
  assessed_by: string | null;
  opened_by: string;
  opened_at: Date | string;
  updated_at: Date | string;
  version: number;
};
type VerRow = {
  kind: VerificationKind;
  due_at: Date | string;
  status: Verification['status'];
  resolved_at: Date | string | null;
  evidence: Verification['evidence'] | null;
};

const iso = (d: Date | string) => new Date(d).toISOString();

function toRecord(r: CaseRow, vs: VerRow[]): CaseRecord {
  return {
    id: Number(r.id),
    organisationId: r.organisation_id === null ? null : Number(r.organisation_id),
    subjectKind: r.subject_kind,
    subjectName: r.subject_name,
    subjectRef: r.subject_ref,
    country: r.country,
    profile: r.profile,
    state: r.state,
    risk: r.risk,
    businessType: r.profile?.customer?.businessType,
    checklist: r.checklist ?? {},
    decision: r.decision,
    shippedAt: r.shipped_at ? iso(r.shipped_at) : null,
    hits: r.hits ?? [],
    assessedBy: r.assessed_by,
    openedBy: r.opened_by,
    openedAt: iso(r.opened_at),
    updatedAt: iso(r.updated_at),
    version: Number(r.version),
    verifications: vs.map((v) => ({
      kind: v.kind,
      dueAt: iso(v.due_at),
      status: v.status,
      ...(v.resolved_at ? { resolvedAt: iso(v.resolved_at) } : {}),
      ...(v.evidence ? { evidence: v.evidence } : {}),
    })),
  };
}

function scopeSql(scope: Scope, param: number): { sql: string; params: unknown[] } {
  if (scope.seeAll) return { sql: 'true', params: [] };
  if (scope.organisationId === null) return { sql: 'organisation_id is null', params: [] };
  return { sql: `organisation_id = $${param}`, params: [scope.organisationId] };
}

async function loadCase(q: Queryable, id: number, scope: Scope, lock: boolean): Promise<CaseRecord> {
  const s = scopeSql(scope, 2);
  const rows = await q.query<CaseRow>(
    `select * from screening_cases where id = $1 and ${s.sql}${lock ? ' for update' : ''}`,
    [id, ...s.params],
  );
  // Someone else's case reads as absent: its existence is not disclosed.
  if (!rows[0]) throw new NotFoundError(`no diligence case ${id}`, { field: 'id' });
  const vs = await q.query<VerRow>(
    `select kind, due_at, status, resolved_at, evidence from screening_verifications where case_id = $1
      order by due_at`,
    [id],
  );
  return toRecord(rows[0], vs);
}

function hitsOf(assessment: unknown): Hit[] {
  const hits = (assessment as { hits?: unknown } | null)?.hits;
  return Array.isArray(hits) ? (hits as Hit[]) : [];
}

/** The audit name of an actor (API key actors carry their role for the workflow's checks). */
const nameOf = (actor: string | Actor) => (typeof actor === 'string' ? actor : actor.name);

export async function openCase(db: Db, c: NewCase, who: string | Actor, now: Date): Promise<CaseRecord> {
  const actor = nameOf(who);
  return db.transaction(async (tx) => {
    const view = newCase(c.businessType, c.hits ?? hitsOf(c.assessment), actor);
    const rows = await tx.query<{ id: string }>(
      `insert into screening_cases (organisation_id, subject_kind, subject_name, subject_ref, country, profile, state,
        checklist, opened_by, opened_at, updated_at, version, hits)
       values ($1, $2, $3, $4, $5, $6, $7, '{}'::jsonb, $8, $9, $9, 1, $10) returning id`,
      [
        c.organisationId,
        c.subjectKind,
        c.subjectName,
        c.subjectRef ?? null,
        c.country ?? null,
        JSON.stringify(c.profile),
        view.state,
        actor,
        now.toISOString(),
        JSON.stringify(view.hits),
      ],
    );
    const id = Number(rows[0].id);
    await appendEvent(tx, id, 1, now, actor, 'open', null, view.state, c.reason, {
      assessment: c.assessment,
      hits: view.hits,
    });
    return loadCase(tx, id, { organisationId: null, seeAll: true }, false);
  });
}

async function appendEvent(
  q: Queryable,
  caseId: number,
  seq: number,
  now: Date,
  actor: string,
  action: string,
  from: string | null,
  to: string,
  reason: string,
  data: unknown,
): Promise<void> {
  await q.query(
    `insert into screening_case_events (case_id, seq, at, actor, action, from_state, to_state, reason, data)
      values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [caseId, seq, now.toISOString(), actor, action, from, to, reason, JSON.stringify(data)],
  );
}

export async function actOnCase(
  db: Db,
  id: number,
  action: CaseAction,
  who: string | Actor,
  now: Date,
  scope: Scope,
): Promise<CaseRecord> {
  const actor = nameOf(who);
  return db.transaction(async (tx) => {
    const current = await loadCase(tx, id, scope, true);
    const t = applyAction(current, action, who, now);
    const version = current.version + 1;
    await tx.query(
      `update screening_cases set state = $2, risk = $3, checklist = $4, decision = $5, shipped_at = $6,
        updated_at = $7, version = $8, hits = $9, assessed_by = $10 where id = $1`,
      [
        id,
        t.next.state,
        t.next.risk,
        JSON.stringify(t.next.checklist),
        t.next.decision ? JSON.stringify(t.next.decision) : null,
        t.next.shippedAt,
        now.toISOString(),
        version,
        JSON.stringify(t.next.hits ?? []),
        t.next.assessedBy ?? null,
      ],
    );
    for (const v of t.next.verifications) {
      await tx.query(
        `insert into screening_verifications (case_id, kind, due_at, status, resolved_at, evidence)
          values ($1, $2, $3, $4, $5, $6)
         on conflict (case_id, kind) do update set status = excluded.status, resolved_at = excluded.resolved_at,
           evidence = excluded.evidence`,
        [id, v.kind, v.dueAt, v.status, v.resolvedAt ?? null, v.evidence ? JSON.stringify(v.evidence) : null],
      );
    }
    await appendEvent(tx, id, version, now, actor, action.action, t.from, t.to, action.reason, t.data);
    return loadCase(tx, id, scope, false);
  });
}

/**
 * Holds a case not yet shipped with hits found after it was opened (re-screening after a list update),
 * with a `hold` event in its audit trail. Run it inside the caller's transaction (it locks the case row).
 * Returns the hits added: none when the case has shipped or already carries them open.
 */
export async function holdCase(
  tx: Queryable,
  id: number,
  hits: readonly NewHit[],
  actor: string,
  now: Date,
  reason: string,
): Promise<Hit[]> {
  const current = await loadCase(tx, id, { organisationId: null, seeAll: true }, true);
  const { next, added } = addHits(current, hits);
  if (!added.length) return [];
  const version = current.version + 1;
  await tx.query('update screening_cases set hits = $2, updated_at = $3, version = $4 where id = $1', [
    id,
    JSON.stringify(next.hits),
    now.toISOString(),
    version,
  ]);
  await appendEvent(tx, id, version, now, actor, 'hold', current.state, current.state, reason, { hits: added });
  return added;
}

export async function getCase(db: Queryable, id: number, scope: Scope): Promise<CaseRecord> {
  return loadCase(db, id, scope, false);
}

export async function caseEvents(db: Queryable, id: number, scope: Scope): Promise<CaseEvent[]> {
  await loadCase(db, id, scope, false);
  const rows = await db.query<{
    seq: number;
    at: Date | string;
    actor: string;
    action: string;
    from_state: string | null;
    to_state: string;
    reason: string;
    data: unknown;
  }>(
    `select seq, at, actor, action, from_state, to_state, reason, data from screening_case_events where case_id = $1
      order by seq`,
    [id],
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    at: iso(r.at),
    actor: r.actor,
    action: r.action,
    fromState: r.from_state,
    toState: r.to_state,
    reason: r.reason,
    data: r.data,
  }));
}

export async function listCases(
  db: Queryable,
  scope: Scope,
  filter: { state?: CaseState; limit?: number } = {},
): Promise<CaseRecord[]> {
  const s = scopeSql(scope, 1);
  const params: unknown[] = [...s.params];
  let where = s.sql;
  if (filter.state) {
    params.push(filter.state);
    where += ` and state = $${params.length}`;
  }
  params.push(Math.min(filter.limit ?? 100, 1000));
  const rows = await db.query<CaseRow>(
    `select * from screening_cases where ${where} order by id desc limit $${params.length}`,
    params,
  );
  const out: CaseRecord[] = [];
  for (const r of rows) {
    const vs = await db.query<VerRow>(
      `select kind, due_at, status, resolved_at, evidence from screening_verifications where case_id = $1
        order by due_at`,
      [r.id],
    );
    out.push(toRecord(r, vs));
  }
  return out;
}

/** Pending post-shipment verifications due by `until`, oldest first (the compliance work queue). */
export async function dueVerifications(
  db: Queryable,
  scope: Scope,
  until: Date,
): Promise<
  { caseId: number; subjectName: string; subjectRef: string | null; kind: VerificationKind; dueAt: string }[]
> {
  const s = scopeSql(scope, 2);
  const rows = await db.query<{
    case_id: string;
    subject_name: string;
    subject_ref: string | null;
    kind: VerificationKind;
    due_at: Date | string;
  }>(
    `select v.case_id, c.subject_name, c.subject_ref, v.kind, v.due_at from screening_verifications v
      join screening_cases c on c.id = v.case_id
     where v.status = 'pending' and v.due_at <= $1 and c.state = 'post-shipment'
       and ${s.sql.replace('organisation_id', 'c.organisation_id')} order by v.due_at`,
    [until.toISOString(), ...s.params],
  );
  return rows.map((r) => ({
    caseId: Number(r.case_id),
    subjectName: r.subject_name,
    subjectRef: r.subject_ref,
    kind: r.kind,
    dueAt: iso(r.due_at),
  }));
}
