// One time axis for an entity or a chip: every event has a date (as precise as its source), a kind, a
// one-line summary and the source a reader can check it against.

export type EventKind =
  | 'incorporated'
  | 'dissolved'
  | 'relation'
  | 'listed'
  | 'filing'
  | 'verdict'
  | 'evidence'
  | 'alert';

export type EventSource =
  | { kind: 'filing'; filingId: number; row: number; leafIndex: number }
  | { kind: 'list'; list: string | null; entryId: string; url: string | null }
  | { kind: 'evidence'; evidenceId: string; title: string; publisher: string | null; url: string | null }
  | { kind: 'verdict'; resultId: number }
  | { kind: 'alert'; alertId: string; evidenceId: string }
  | { kind: 'entity'; entityId: string; origin: string; originRef: string | null }
  | { kind: 'link'; linkId: string; origin: string; originRef: string | null }
  | { kind: 'decision'; decisionId: number };

export interface TimelineEvent {
  /** YYYY, YYYY-MM, YYYY-MM-DD or an ISO timestamp; null when the source gives no date (listed last). */
  date: string | null;
  precision: 'year' | 'month' | 'quarter' | 'day' | 'time' | null;
  kind: EventKind;
  summary: string;
  /** The serial this event is about, when it is about a chip. */
  serial?: string;
  source: EventSource;
}

export function precisionOf(date: string): TimelineEvent['precision'] {
  if (/^\d{4}$/.test(date)) return 'year';
  if (/^\d{4}-\d{2}$/.test(date)) return 'month';
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return 'day';
  return 'time';
}

/** Oldest first; undated last; ties by kind and summary so the order never depends on the reads. */
export function sortEvents(events: TimelineEvent[]): TimelineEvent[] {
  return events.sort((a, b) => {
    if (a.date !== b.date) {
      if (a.date === null) return 1;
      if (b.date === null) return -1;
      return a.date < b.date ? -1 : 1;
    }
    return a.kind.localeCompare(b.kind) || a.summary.localeCompare(b.summary);
  });
}

/** A stable key per source, for numbering citations: the same source cited twice is one note. */
export function sourceKey(s: EventSource): string {
  switch (s.kind) {
    case 'filing':
      return `filing:${s.filingId}:${s.row}`;
    case 'list':
      return `list:${s.entryId}`;
    case 'evidence':
      return `evidence:${s.evidenceId}`;
    case 'verdict':
      return `verdict:${s.resultId}`;
    case 'alert':
      return `alert:${s.alertId}`;
    case 'entity':
      return `entity:${s.entityId}`;
    case 'link':
      return `link:${s.linkId}`;
    case 'decision':
      return `decision:${s.decisionId}`;
  }
}

const url = (u: string | null) => (u ? ` <${u}>` : '');

/** The source as one line of a bibliography. */
export function sourceLine(s: EventSource): string {
  switch (s.kind) {
    case 'filing':
      return `registry filing ${s.filingId}, row ${s.row} (transparency-log leaf ${s.leafIndex})`;
    case 'list':
      return `screening list ${s.list ?? '(unnamed)'}, entry ${s.entryId}${url(s.url)}`;
    case 'evidence':
      return `evidence ${s.evidenceId}: ${s.title}${s.publisher ? `, ${s.publisher}` : ''}${url(s.url)}`;
    case 'verdict':
      return `location verification result ${s.resultId}`;
    case 'alert':
      return `serial alert ${s.alertId} (evidence ${s.evidenceId})`;
    case 'entity':
      return `entity ${s.entityId} (${s.origin}${s.originRef ? ` ${s.originRef}` : ''})`;
    case 'link':
      return `link ${s.linkId} (${s.origin}${s.originRef ? ` ${s.originRef}` : ''})`;
    case 'decision':
      return `resolution decision ${s.decisionId} (same party)`;
  }
}
