// Analysts' judgements on pairs of entities, append-only: a decision is never changed or deleted, a reversal
// is a new row naming the decision it reverts, and the current judgement of a pair is its latest decision
// that is neither a reversal nor reverted. "same" links two ids; it never merges them.
import type { Db, Queryable } from '../../db/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../errors.js';

export type Judgement = 'same' | 'different' | 'unsure';
export const JUDGEMENTS: readonly Judgement[] = ['same', 'different', 'unsure'];

export interface Decision {
  id: number;
  a: string;
  b: string;
  judgement: Judgement | 'revert';
  /** For a reversal, the decision it reverts. */
  reverts: number | null;
  /** Whether a later reversal voided this decision. */
  reverted: boolean;
  reason: string;
  actor: string;
  decidedAt: string;
}

interface Row {
  id: string;
  a: string;
  b: string;
  judgement: Decision['judgement'];
  reverts: string | null;
  reverted: boolean;
  reason: string;
  actor: string;
  decided_at: Date | string;
}

const toDecision = (r: Row): Decision => ({
  id: Number(r.id),
  a: r.a,
  b: r.b,
  judgement: r.judgement,
  reverts: r.reverts === null ? null : Number(r.reverts),
  reverted: r.reverted,
  reason: r.reason,
  actor: r.actor,
  decidedAt: new Date(r.decided_at).toISOString(),
});

const SELECT = `select d.id, d.a, d.b, d.judgement, d.reverts, d.reason, d.actor, d.decided_at,
  exists (select 1 from intel_decisions r where r.reverts = d.id) as reverted from intel_decisions d`;

export const MAX_REASON = 2000;

function checkReason(reason: string): string {
  const r = reason.trim();
  if (r === '') throw new ValidationError('a decision needs a reason', { field: 'reason' });
  if (r.length > MAX_REASON)
    throw new ValidationError(`reason is longer than ${MAX_REASON} characters`, { field: 'reason' });
  return r;
}

/** Records a judgement on the pair; both entities must exist and differ. */
export async function decide(
  db: Db,
  input: { a: string; b: string; judgement: string; reason: string; actor: string },
  now: Date,
): Promise<Decision> {
  if (!(JUDGEMENTS as readonly string[]).includes(input.judgement))
    throw new ValidationError(`judgement must be one of ${JUDGEMENTS.join(', ')}`, { field: 'judgement' });
  if (input.a === input.b) throw new ValidationError('a pair needs two different entities', { field: 'b' });
  const reason = checkReason(input.reason);
  const [a, b] = input.a < input.b ? [input.a, input.b] : [input.b, input.a];
  return db.transaction(async (tx) => {
    const found = await tx.query<{ id: string }>('select id from intel_entities where id = any($1::text[])', [[a, b]]);
    for (const [id, field] of [
      [input.a, 'a'],
      [input.b, 'b'],
    ] as const)
      if (!found.some((r) => r.id === id)) throw new NotFoundError(`no entity ${id.slice(0, 200)}`, { field });
    const [row] = await tx.query<{ id: string }>(
      `insert into intel_decisions (a, b, judgement, reason, actor, decided_at)
       values ($1, $2, $3, $4, $5, $6) returning id`,
      [a, b, input.judgement, reason, input.actor, now.toISOString()],
    );
    return (await decisionById(tx, Number(row.id)))!;
  });
}

/** Records the reversal of a decision: the pair's judgement falls back to the decision before it. */
export async function revert(
  db: Db,
  input: { decisionId: number; reason: string; actor: string },
  now: Date,
): Promise<Decision> {
  const reason = checkReason(input.reason);
  return db.transaction(async (tx) => {
    // One reversal at a time per decision: the unique index refuses a second, the lock orders concurrent ones.
    const d = await decisionById(tx, input.decisionId, true);
    if (!d) throw new NotFoundError(`no decision ${input.decisionId}`, { field: 'revert' });
    if (d.judgement === 'revert')
      throw new ValidationError(`decision ${d.id} is a reversal; record a new judgement instead`, { field: 'revert' });
    if (d.reverted) throw new ConflictError(`decision ${d.id} is already reverted`, { field: 'revert' });
    const [row] = await tx.query<{ id: string }>(
      `insert into intel_decisions (a, b, judgement, reverts, reason, actor, decided_at)
       values ($1, $2, 'revert', $3, $4, $5, $6) returning id`,
      [d.a, d.b, d.id, reason, input.actor, now.toISOString()],
    );
    return (await decisionById(tx, Number(row.id)))!;
  });
}

async function decisionById(q: Queryable, id: number, lock = false): Promise<Decision | undefined> {
  if (!Number.isSafeInteger(id) || id < 1) return undefined;
  if (lock) await q.query('select id from intel_decisions where id = $1 for update', [id]);
  const [r] = await q.query<Row>(`${SELECT} where d.id = $1`, [id]);
  return r ? toDecision(r) : undefined;
}

/** The audit trail, newest first: every decision, or those on pairs with this entity. */
export async function listDecisions(
  q: Queryable,
  opts: { entity?: string; limit: number; offset?: number },
): Promise<Decision[]> {
  const rows = await q.query<Row>(
    `${SELECT} where $1::text is null or d.a = $1 or d.b = $1 order by d.id desc limit $2 offset $3`,
    [opts.entity ?? null, opts.limit, opts.offset ?? 0],
  );
  return rows.map(toDecision);
}

export interface PairJudgement {
  a: string;
  b: string;
  judgement: Judgement;
  decisionId: number;
}

/** The current judgement of every decided pair that has one of these entities (all pairs without `ids`). */
export async function currentJudgements(q: Queryable, ids?: readonly string[]): Promise<PairJudgement[]> {
  const rows = await q.query<{ a: string; b: string; judgement: Judgement; id: string }>(
    `select distinct on (d.a, d.b) d.a, d.b, d.judgement, d.id from intel_decisions d
      where d.judgement <> 'revert'
        and not exists (select 1 from intel_decisions r where r.reverts = d.id)
        and ($1::text[] is null or d.a = any($1::text[]) or d.b = any($1::text[]))
      order by d.a, d.b, d.id desc`,
    [ids ? [...ids] : null],
  );
  return rows.map((r) => ({ a: r.a, b: r.b, judgement: r.judgement, decisionId: Number(r.id) }));
}

/** The pairs currently judged the same party that have one of these entities (for networks). */
export async function sameAs(
  q: Queryable,
  ids: readonly string[],
): Promise<Array<{ a: string; b: string; decisionId: number }>> {
  if (ids.length === 0) return [];
  return (await currentJudgements(q, ids))
    .filter((j) => j.judgement === 'same')
    .map(({ a, b, decisionId }) => ({ a, b, decisionId }));
}
