// A tip's case on the database: status changes, links and award decisions as append-only events
// (tip_case_events, 061_tips_cases.sql), each written with its effect in one transaction; the case view
// (history, links, awards, deadline) and the list of open tips by deadline. Only investigators call these:
// the CLI after proving an investigator key, the HTTP routes for the investigator role.
import type { Db, Queryable } from '../db/index.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../errors.js';
import type { Award } from './award.js';
import { checkLink, checkTransition, deadlineOf, type Deadline, type Link, type StatusChange } from './case-flow.js';
import { fingerprint } from './keys.js';
import type { TipStatus } from './service.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function checkDay(day: string): void {
  if (!DAY.test(day)) throw new Error(`day must be YYYY-MM-DD, got ${day}`);
}

/** The actor of a CLI action: the fingerprint of a current recipient's key (proves an investigator). */
export async function investigatorActor(db: Queryable, publicKey: Uint8Array): Promise<string> {
  const [row] = await db.query<{ removed_on: string | null }>(
    'select removed_on::text from tip_recipients where public_key = $1',
    [Buffer.from(publicKey)],
  );
  if (!row || row.removed_on !== null)
    throw new ForbiddenError(`the key ${fingerprint(publicKey)} is not a current investigator (tips recipients)`);
  return `key ${fingerprint(publicKey)}`;
}

async function lockTip(tx: Queryable, tipId: string): Promise<{ status: TipStatus }> {
  const [tip] = await tx.query<{ status: TipStatus }>('select status from tips where id = $1 for update', [tipId]);
  if (!tip) throw new NotFoundError(`no tip ${tipId}`, { field: 'id' });
  return tip;
}

async function addEvent(tx: Queryable, tipId: string, day: string, kind: string, actor: string, detail: object) {
  await tx.query('insert into tip_case_events (tip_id, on_day, kind, actor, detail) values ($1, $2, $3, $4, $5)', [
    tipId,
    day,
    kind,
    actor,
    JSON.stringify(detail),
  ]);
}

/** Moves a tip along the case flow (checkTransition) and records the event; one transaction. */
export async function changeStatus(db: Db, tipId: string, change: StatusChange, actor: string, today: string) {
  checkDay(today);
  return db.transaction(async (tx) => {
    const tip = await lockTip(tx, tipId);
    const detail = checkTransition(tip.status, change);
    await tx.query('update tips set status = $2 where id = $1', [tipId, detail.to]);
    await addEvent(tx, tipId, today, 'status', actor, detail);
    return { tipId, on: today, ...detail };
  });
}

/** Links a tip to a registry serial or an intelligence entity id; a second identical link is refused. */
export async function linkTip(
  db: Db,
  tipId: string,
  link: { serial?: string; entity?: string },
  actor: string,
  today: string,
) {
  checkDay(today);
  const l = checkLink(link);
  return db.transaction(async (tx) => {
    await lockTip(tx, tipId);
    const [dup] = await tx.query(
      "select 1 from tip_case_events where tip_id = $1 and kind = 'link' and detail = $2::jsonb",
      [tipId, JSON.stringify(l)],
    );
    if (dup)
      throw new ValidationError(`${tipId} is already linked to ${Object.values(l)[0]}`, { field: Object.keys(l)[0] });
    await addEvent(tx, tipId, today, 'link', actor, l);
    return { tipId, on: today, ...l };
  });
}

export interface AwardDecision {
  programme: string;
  sanctionsUSD: number;
  eligible: boolean;
  minUSD: number;
  maxUSD: number;
  percent: number;
  decidedUSD: number;
  reason: string;
}

/**
 * Records an award decision on a tip: the range the programme sets for the sanctions (computeAward) and
 * the percentage decided, which must fall inside that range (0 when not eligible).
 */
export async function recordAward(
  db: Db,
  tipId: string,
  award: Award,
  percent: number,
  reason: string,
  actor: string,
  today: string,
) {
  checkDay(today);
  if (!Number.isFinite(percent) || percent < 0 || percent > 100)
    throw new ValidationError('--percent must be a number from 0 to 100', { field: 'percent' });
  if (reason.trim() === '') throw new ValidationError('an award decision needs a reason', { field: 'reason' });
  const decidedUSD = Math.round(award.sanctionsUSD * percent) / 100;
  if (!award.eligible && percent !== 0)
    throw new ValidationError(`${award.programme} gives no award here: --percent must be 0`, { field: 'percent' });
  if (award.eligible && (decidedUSD < award.minUSD - 0.005 || decidedUSD > award.maxUSD + 0.005))
    throw new ValidationError(
      `${percent}% of the sanctions is $${decidedUSD}, outside the range $${award.minUSD} to $${award.maxUSD}`,
      { field: 'percent' },
    );
  const detail: AwardDecision = {
    programme: award.programme,
    sanctionsUSD: award.sanctionsUSD,
    eligible: award.eligible,
    minUSD: award.minUSD,
    maxUSD: award.maxUSD,
    percent,
    decidedUSD,
    reason: reason.trim(),
  };
  return db.transaction(async (tx) => {
    await lockTip(tx, tipId);
    await addEvent(tx, tipId, today, 'award', actor, detail);
    return { tipId, on: today, ...detail };
  });
}

export interface CaseEvent {
  on: string;
  kind: 'status' | 'link' | 'award';
  actor: string;
  detail: Record<string, unknown>;
}

export interface CaseView {
  id: string;
  submittedOn: string;
  status: TipStatus;
  deadline: Deadline | null;
  links: Link[];
  awards: AwardDecision[];
  history: CaseEvent[];
}

interface EventRow {
  tip_id: string;
  on_day: string;
  kind: CaseEvent['kind'];
  actor: string;
  detail: unknown;
}

const parse = (d: unknown) => (typeof d === 'string' ? JSON.parse(d) : d) as Record<string, unknown>;

function view(tip: { id: string; submitted_on: string; status: TipStatus }, rows: EventRow[], today: string): CaseView {
  const history = rows.map((r) => ({ on: r.on_day, kind: r.kind, actor: r.actor, detail: parse(r.detail) }));
  const statusEvents = history.filter((e) => e.kind === 'status');
  const since = statusEvents.length > 0 ? statusEvents[statusEvents.length - 1].on : tip.submitted_on;
  return {
    id: tip.id,
    submittedOn: tip.submitted_on,
    status: tip.status,
    deadline: deadlineOf(tip.status, since, today),
    links: history.filter((e) => e.kind === 'link').map((e) => e.detail as unknown as Link),
    awards: history.filter((e) => e.kind === 'award').map((e) => e.detail as unknown as AwardDecision),
    history,
  };
}

const EVENT_COLUMNS = 'tip_id, on_day::text as on_day, kind, actor, detail';

/** A tip's case: status, deadline, links, awards and the whole history. */
export async function caseOf(db: Queryable, tipId: string, today: string): Promise<CaseView> {
  checkDay(today);
  const [tip] = await db.query<{ id: string; submitted_on: string; status: TipStatus }>(
    'select id, submitted_on::text, status from tips where id = $1',
    [tipId],
  );
  if (!tip) throw new NotFoundError(`no tip ${tipId}`, { field: 'id' });
  const rows = await db.query<EventRow>(`select ${EVENT_COLUMNS} from tip_case_events where tip_id = $1 order by id`, [
    tipId,
  ]);
  return view(tip, rows, today);
}

/** Every open tip with its deadline, the most overdue first. */
export async function dueTips(db: Queryable, today: string): Promise<(Deadline & { tipId: string })[]> {
  checkDay(today);
  const tips = await db.query<{ id: string; submitted_on: string; status: TipStatus }>(
    "select id, submitted_on::text, status from tips where status <> 'closed'",
  );
  const since = new Map(
    (
      await db.query<{ tip_id: string; on_day: string }>(
        `select distinct on (tip_id) tip_id, on_day::text as on_day from tip_case_events
         where kind = 'status' order by tip_id, id desc`,
      )
    ).map((r) => [r.tip_id, r.on_day]),
  );
  return tips
    .map((t) => ({ tipId: t.id, ...deadlineOf(t.status, since.get(t.id) ?? t.submitted_on, today)! }))
    .sort((a, b) => a.due.localeCompare(b.due) || a.tipId.localeCompare(b.tipId));
}
