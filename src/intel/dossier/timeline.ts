// Timelines: everything chipwatch knows about an entity or a chip serial on one time axis, each event with
// its source. Registry filings and custody (registry/index.ts), verification verdicts (verify/index.ts),
// screening-list entries, evidence items (071) and serial alerts (072) of the intelligence domain.
import type { Queryable } from '../../db/index.js';
import { NotFoundError } from '../../errors.js';
import { chipHistory, partyChips, type HistoryStep } from '../../registry/index.js';
import { listResults } from '../../verify/index.js';
import type { Entity } from '../entities/store.js';
import { linksTouching } from '../entities/store.js';
import { evidenceByEntity, evidenceBySerial } from '../evidence/store.js';
import type { StoredEvidence } from '../evidence/model.js';
import { getAlert, listAlerts } from '../sightings/store.js';
import { entitiesByIds } from '../network/store.js';
import { precisionOf, sortEvents, type TimelineEvent } from './events.js';

/** A registry party's chips read for its timeline; more are left out and the timeline says so. */
export const MAX_CHIPS = 100;

export interface Timeline {
  subject: { kind: 'entity'; id: string; caption: string; schema: string } | { kind: 'chip'; serial: string };
  events: TimelineEvent[];
  /** Set when a cap left events out. */
  truncated: string | null;
}

const first = (v: string[] | undefined) => (v?.length ? v[0] : null);

function stepEvent(serial: string, s: HistoryStep): TimelineEvent {
  const moves: string[] = [];
  if (s.ownershipChange) moves.push(`owner ${s.fromOwner.name} → ${s.toOwner.name}`);
  if (s.locationChange)
    moves.push(
      `site ${s.fromLocation?.country ?? '?'} → ${s.toLocation?.country ?? '?'} (${s.toLocation?.address ?? ''})`,
    );
  const flags = s.flags.length ? `; flags: ${s.flags.join(', ')}` : '';
  return {
    date: s.begin,
    precision: 'day',
    kind: 'filing',
    serial,
    summary: `${serial}: ${moves.join('; ') || 'no change'} (${s.status}, filed by ${s.filer})${flags}`,
    source: { kind: 'filing', filingId: s.filingId, row: s.row, leafIndex: s.leafIndex },
  };
}

function evidenceDate(e: StoredEvidence): string {
  if (e.datePrecision === 'year') return e.date.slice(0, 4);
  if (e.datePrecision === 'month' || e.datePrecision === 'quarter') return e.date.slice(0, 7);
  return e.date;
}

function evidenceEvent(e: StoredEvidence, serial?: string): TimelineEvent {
  const gpus = e.gpus === null ? '' : ` (${e.gpus} GPUs)`;
  const where = e.place || e.country ? ` in ${[e.place, e.country].filter(Boolean).join(', ')}` : '';
  return {
    date: evidenceDate(e),
    precision: e.datePrecision,
    kind: 'evidence',
    ...(serial ? { serial } : {}),
    summary: `${e.kind}${where}: ${e.title}${gpus}`,
    source: {
      kind: 'evidence',
      evidenceId: e.id,
      title: e.source.title,
      publisher: e.source.publisher,
      url: e.source.url,
    },
  };
}

async function verdictEvents(q: Queryable, serial: string): Promise<TimelineEvent[]> {
  try {
    return (await listResults(q, serial, 100)).map((r) => ({
      date: r.checkedAt,
      precision: 'time' as const,
      kind: 'verdict' as const,
      serial,
      summary: `${serial}: location verification ${r.verdict}${
        r.declaredConsistent === null
          ? ''
          : r.declaredConsistent
            ? ', at its declared site'
            : ', away from its declared site'
      }`,
      source: { kind: 'verdict' as const, resultId: r.id },
    }));
  } catch (e) {
    if (e instanceof NotFoundError) return []; // not enrolled for verification
    throw e;
  }
}

async function alertEvents(q: Queryable, where: { serial?: string; entityId?: string }): Promise<TimelineEvent[]> {
  const rows = [];
  if (where.serial) rows.push(...(await listAlerts(q, { serial: where.serial, limit: 1000, offset: 0 })));
  else
    for (const { id } of await q.query<{ id: string }>(
      'select id from intel_alerts where entity_id = $1 order by raised_at, id limit 1000',
      [where.entityId],
    ))
      rows.push(await getAlert(q, id));
  return rows.map((a) => ({
    date: a.raisedAt,
    precision: 'time' as const,
    kind: 'alert' as const,
    serial: a.serial,
    summary: `${a.kind} alert for ${a.serial}: ${a.reason}`,
    source: { kind: 'alert' as const, alertId: a.id, evidenceId: a.evidence[0]?.id ?? '' },
  }));
}

function ownEvents(e: Entity): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  const src = { kind: 'entity' as const, entityId: e.id, origin: e.origin, originRef: e.originRef };
  const inc = first(e.properties.incorporationDate);
  if (inc)
    out.push({
      date: inc,
      precision: precisionOf(inc),
      kind: 'incorporated',
      summary: `${e.caption} incorporated`,
      source: src,
    });
  const dis = first(e.properties.dissolutionDate);
  if (dis)
    out.push({
      date: dis,
      precision: precisionOf(dis),
      kind: 'dissolved',
      summary: `${e.caption} dissolved`,
      source: src,
    });
  if (e.origin === 'screening') {
    const date = first(e.properties.listingDate) ?? first(e.properties.startDate) ?? first(e.properties.createdAt);
    out.push({
      date,
      precision: date ? precisionOf(date) : null,
      kind: 'listed',
      summary: `${e.caption} is on ${first(e.properties.program) ?? 'a screening list'}`,
      source: {
        kind: 'list',
        list: first(e.properties.program),
        entryId: e.originRef ?? e.id,
        url: first(e.properties.sourceUrl),
      },
    });
  }
  return out;
}

async function relationEvents(q: Queryable, e: Entity): Promise<TimelineEvent[]> {
  const links = (await linksTouching(q, [e.id])).filter(
    (l) => l.properties.startDate?.length || l.properties.endDate?.length,
  );
  const others = new Map(
    (
      await entitiesByIds(
        q,
        links.map((l) => (l.sourceId === e.id ? l.targetId : l.sourceId)),
      )
    ).map((x) => [x.id, x.caption]),
  );
  const out: TimelineEvent[] = [];
  for (const l of links) {
    const a = l.sourceId === e.id ? e.caption : (others.get(l.sourceId) ?? l.sourceId);
    const b = l.targetId === e.id ? e.caption : (others.get(l.targetId) ?? l.targetId);
    const role = first(l.properties.role);
    const src = { kind: 'link' as const, linkId: l.id, origin: l.origin, originRef: l.originRef };
    for (const [prop, verb] of [
      ['startDate', 'begins'],
      ['endDate', 'ends'],
    ] as const) {
      const d = first(l.properties[prop]);
      if (d)
        out.push({
          date: d,
          precision: precisionOf(d),
          kind: 'relation',
          summary: `${l.schema} ${verb}: ${a} → ${b}${role ? ` (${role})` : ''}`,
          source: src,
        });
    }
  }
  return out;
}

/** The chips and filings of an entity that is a registry party (origin_ref `party:N`). */
async function registryEvents(q: Queryable, e: Entity): Promise<{ events: TimelineEvent[]; truncated: boolean }> {
  const m = /^party:([0-9]{1,15})$/.exec(e.originRef ?? '');
  if (e.origin !== 'registry' || !m) return { events: [], truncated: false };
  const pid = Number(m[1]);
  let chips: { serial: string }[];
  try {
    chips = (await partyChips(q, pid, { limit: MAX_CHIPS + 1, offset: 0 })).chips;
  } catch (err) {
    if (err instanceof NotFoundError) return { events: [], truncated: false };
    throw err;
  }
  const events: TimelineEvent[] = [];
  for (const c of chips.slice(0, MAX_CHIPS)) {
    const h = await chipHistory(q, c.serial);
    for (const s of h.history) if (s.fromOwner.id === pid || s.toOwner.id === pid) events.push(stepEvent(c.serial, s));
    events.push(...(await verdictEvents(q, c.serial)));
  }
  return { events, truncated: chips.length > MAX_CHIPS };
}

export async function entityTimeline(q: Queryable, e: Entity): Promise<Timeline> {
  const reg = await registryEvents(q, e);
  const events = [
    ...ownEvents(e),
    ...(await relationEvents(q, e)),
    ...reg.events,
    ...(await evidenceByEntity(q, e.id)).map((x) => evidenceEvent(x)),
    ...(await alertEvents(q, { entityId: e.id })),
  ];
  return {
    subject: { kind: 'entity', id: e.id, caption: e.caption, schema: e.schema },
    events: sortEvents(events),
    truncated: reg.truncated ? `only the first ${MAX_CHIPS} chips the party holds are shown` : null,
  };
}

export async function chipTimeline(q: Queryable, serial: string): Promise<Timeline> {
  const events: TimelineEvent[] = [];
  try {
    const h = await chipHistory(q, serial);
    events.push(...h.history.map((s) => stepEvent(serial, s)));
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err; // never filed: evidence and alerts may still name it
  }
  events.push(...(await verdictEvents(q, serial)));
  events.push(...(await evidenceBySerial(q, serial)).map((x) => evidenceEvent(x, serial)));
  events.push(...(await alertEvents(q, { serial })));
  if (events.length === 0)
    throw new NotFoundError(`nothing is known about serial ${serial}: no filing, verdict, evidence or alert`, {
      field: 'serial',
    });
  return { subject: { kind: 'chip', serial }, events: sortEvents(events), truncated: null };
}
