// Re-screening in SQL: the last known hits per party (screening_party_hits) and the append-only alerts
// (screening_alerts), written in bulk from one JSON parameter per slice (the same SQL on PGlite and pg).
import type { Queryable } from '../../db/index.js';
import { slicesWithTurns } from '../../db/turn.js';
import type { Decision } from '../match/screen.js';
import type { Scope } from '../cases/store.js';
import type { Alert, AlertKind, ChangeKind, Hit, PartyState } from './core.js';
import type { OwnershipState } from './ownership.js';

const SLICE = 5000;

/** Every stored state of one source, by party ref. */
export async function loadStates(q: Queryable, kind: string): Promise<Map<string, PartyState>> {
  const rows = await q.query<{
    party_ref: string;
    organisation_id: string | null;
    name: string;
    country: string | null;
    decision: Decision;
    hits: Hit[];
    ownership: OwnershipState | null;
  }>(
    `select party_ref, organisation_id, name, country, decision, hits, ownership from screening_party_hits
      where party_kind = $1`,
    [kind],
  );
  const m = new Map<string, PartyState>();
  for (const r of rows) {
    m.set(r.party_ref, {
      kind,
      ref: r.party_ref,
      organisationId: r.organisation_id === null ? null : Number(r.organisation_id),
      name: r.name,
      country: r.country,
      decision: r.decision,
      hits: r.hits,
      ownership: r.ownership,
    });
  }
  return m;
}

/** Upserts party states and appends alerts for list version `versionId` (call inside one transaction). */
export async function saveRescreen(
  tx: Queryable,
  versionId: number,
  now: Date,
  states: readonly PartyState[],
  alerts: readonly Alert[],
): Promise<void> {
  for await (const slice of slicesWithTurns(states, SLICE)) {
    const rows = slice.map((s) => ({
      k: s.kind,
      r: s.ref,
      o: s.organisationId,
      n: s.name,
      c: s.country,
      d: s.decision,
      h: s.hits,
      w: s.ownership ?? null,
    }));
    await tx.query(
      `insert into screening_party_hits
         (party_kind, party_ref, organisation_id, name, country, decision, hits, ownership, list_version_id,
          screened_at)
       select k, r, o, n, c, d, h, w, $2, $3
         from jsonb_to_recordset($1::jsonb) as x(k text, r text, o bigint, n text, c text, d text, h jsonb, w jsonb)
       on conflict (party_kind, party_ref) do update set organisation_id = excluded.organisation_id,
         name = excluded.name, country = excluded.country, decision = excluded.decision, hits = excluded.hits,
         ownership = excluded.ownership, list_version_id = excluded.list_version_id,
         screened_at = excluded.screened_at`,
      [JSON.stringify(rows), versionId, now.toISOString()],
    );
  }
  for await (const slice of slicesWithTurns(alerts, SLICE)) {
    const rows = slice.map((a) => ({
      kind: a.kind,
      b: a.basis ?? 'screening',
      pk: a.party.kind,
      pr: a.party.ref,
      pn: a.party.name,
      pc: a.party.country,
      o: a.party.organisationId,
      ei: a.entry.id,
      el: a.entry.list,
      en: a.entry.name,
      ck: a.changeKind,
      ch: a.change,
      od: a.before.decision,
      nd: a.after.decision,
      os: a.before.score,
      ns: a.after.score,
      pb: a.partyDecision.before,
      pa: a.partyDecision.after,
    }));
    await tx.query(
      `insert into screening_alerts (raised_at, list_version_id, kind, party_kind, party_ref, party_name,
         party_country, organisation_id, entry_id, entry_list, entry_name, change_kind, change, old_decision,
         new_decision, old_score, new_score, party_decision_before, party_decision_after, basis)
       select $2, $3, kind, pk, pr, pn, pc, o, ei, el, en, ck, ch, od, nd, os, ns, pb, pa, b
         from jsonb_to_recordset($1::jsonb) as x(kind text, b text, pk text, pr text, pn text, pc text, o bigint,
           ei text, el text, en text, ck text, ch text, od text, nd text, os double precision, ns double precision,
           pb text, pa text)`,
      [JSON.stringify(rows), now.toISOString(), versionId],
    );
  }
}

/** An alert as `screen changes` and GET /api/screen/changes show it. */
export interface StoredAlert {
  id: number;
  raisedAt: string;
  listVersion: number;
  kind: AlertKind;
  /** 'screening': the party's own name hit the entry; 'ownership': its owners did, under the 50% rule. */
  basis: 'screening' | 'ownership';
  party: { kind: string; ref: string; name: string; country: string | null };
  entry: { id: string; list: string; name: string };
  changeKind: ChangeKind;
  change: string;
  before: { decision: Decision; score: number | null };
  after: { decision: Decision; score: number | null };
  partyDecision: { before: Decision; after: Decision };
}

export const MAX_CHANGES = 10_000;

/**
 * Alerts raised at or after `since`, oldest first (at most `limit`). Scope: regulators and admins see all;
 * anyone else sees the case parties of their own organisation only (registry parties are the regulator's).
 */
export async function alertsSince(
  q: Queryable,
  since: Date,
  scope: Scope,
  limit = MAX_CHANGES,
): Promise<{ alerts: StoredAlert[]; truncated: boolean }> {
  const where = scope.seeAll
    ? 'true'
    : scope.organisationId === null
      ? `party_kind = 'case' and organisation_id is null`
      : `party_kind = 'case' and organisation_id = $3`;
  const params: unknown[] = [since.toISOString(), limit + 1];
  if (!scope.seeAll && scope.organisationId !== null) params.push(scope.organisationId);
  const rows = await q.query<Record<string, unknown>>(
    `select * from screening_alerts where raised_at >= $1 and ${where} order by raised_at, id limit $2`,
    params,
  );
  const num = (x: unknown) => (x === null || x === undefined ? null : Number(x));
  const alerts = rows.slice(0, limit).map((r) => ({
    id: Number(r.id),
    raisedAt: new Date(r.raised_at as string).toISOString(),
    listVersion: Number(r.list_version_id),
    kind: r.kind as AlertKind,
    basis: (r.basis as StoredAlert['basis'] | undefined) ?? 'screening',
    party: {
      kind: String(r.party_kind),
      ref: String(r.party_ref),
      name: String(r.party_name),
      country: (r.party_country as string | null) ?? null,
    },
    entry: { id: String(r.entry_id), list: String(r.entry_list), name: String(r.entry_name) },
    changeKind: r.change_kind as ChangeKind,
    change: String(r.change),
    before: { decision: r.old_decision as Decision, score: num(r.old_score) },
    after: { decision: r.new_decision as Decision, score: num(r.new_score) },
    partyDecision: { before: r.party_decision_before as Decision, after: r.party_decision_after as Decision },
  }));
  return { alerts, truncated: rows.length > limit };
}
