// `chipwatch screen changes --since DATE`: the alerts list updates raised for known parties, and the
// re-screening lines `lists update` prints. The command table wires the registry's parties in.
import { print, printJson } from '../../cli/io.js';
import { isCalendarDate } from '../../calendar.js';
import { ValidationError } from '../../errors.js';
import type { RescreenSummary } from '../lists/update.js';
import type { Db } from '../../db/index.js';
import { casePartySource, type PartySource } from './sources.js';
import { alertsSince, type StoredAlert } from './store.js';

/** The parties a list update re-screens: the wired sources (registry, ...) and the case parties. */
export async function partySourcesFor(wired?: () => Promise<PartySource[]>): Promise<PartySource[]> {
  const sources = wired ? await wired() : [];
  return sources.some((s) => s.kind === casePartySource.kind) ? sources : [...sources, casePartySource];
}

export function parseSince(since: string): Date {
  if (!isCalendarDate(since))
    throw new ValidationError(`a date written YYYY-MM-DD is needed, not "${since.slice(0, 40)}"`, {
      field: 'since',
    });
  return new Date(`${since}T00:00:00Z`);
}

export function printRescreen(r: RescreenSummary): void {
  const by = Object.entries(r.bySource)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const kinds = Object.entries(r.alertsByChange)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
  print(
    `re-screened ${r.parties} known parties (${by || 'none'}) in ${r.seconds.toFixed(1)} s: ` +
      `${r.alerts} alerts${kinds ? ` (${kinds})` : ''}` +
      (r.baseline ? `; ${r.baseline} seen for the first time (hits stored, no alerts)` : '') +
      (r.skipped ? `; ${r.skipped} could not be screened` : ''),
  );
  if (r.casesHeld.length) print(`  cases held for the new hits: ${r.casesHeld.map((id) => `#${id}`).join(', ')}`);
  if (r.alerts) print('  `chipwatch screen changes --since DATE` lists them');
}

const LABEL = { 'new-hit': 'NEW HIT', 'changed-hit': 'CHANGED', 'hit-gone': 'HIT GONE' } as const;

function score(s: number | null): string {
  return s === null ? '-' : s.toFixed(3);
}

export function printAlert(a: StoredAlert): void {
  const country = a.party.country ? ` (${a.party.country})` : '';
  print(
    `${a.raisedAt.slice(0, 10)}  ${LABEL[a.kind].padEnd(8)}  ${a.party.kind} ${a.party.ref}  ` +
      `${a.party.name}${country}${a.basis === 'ownership' ? '  (by ownership, 50% rule)' : ''}`,
  );
  print(`    ${a.entry.list} ${a.entry.name} [${a.entry.id}]: ${a.change} (list version ${a.listVersion})`);
  print(
    `    ${a.before.decision} ${score(a.before.score)} -> ${a.after.decision} ${score(a.after.score)}; ` +
      `party ${a.partyDecision.before} -> ${a.partyDecision.after}`,
  );
}

/** The handler of `screen changes`: every alert since the date (the CLI has the database: all parties). */
export async function changesCommand(
  withDb: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
  o: { since: string; json?: boolean },
): Promise<void> {
  const since = parseSince(o.since);
  const r = await withDb((db) => alertsSince(db, since, { organisationId: null, seeAll: true }));
  if (o.json) return printJson({ since: o.since, ...r });
  if (!r.alerts.length) return print(`no alerts for known parties since ${o.since}`);
  for (const a of r.alerts) printAlert(a);
  print(`${r.alerts.length} alerts since ${o.since}${r.truncated ? ' (the first ones; narrow --since)' : ''}`);
}
