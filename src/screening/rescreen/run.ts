// Re-screens every known party against a new list set and works out the alerts, without writing:
// `updateLists` stores the version, the changed party states and the alerts in one transaction.
import type { Queryable } from '../../db/index.js';
import { nextTurn, TURN_BUDGET_MS } from '../../db/turn.js';
import { UserError } from '../../errors.js';
import type { Screener } from '../match/screen.js';
import { compareParty, type Alert, type ChangeIndex, type PartyState } from './core.js';
import type { PartySource } from './sources.js';
import { loadStates } from './store.js';
import { ownerScreener, withOwnership } from './ownership.js';

export interface RescreenOutcome {
  /** Parties screened, per source kind. */
  bySource: Record<string, number>;
  parties: number;
  /** Parties seen for the first time (stored, no alerts). */
  baseline: number;
  /** Parties whose stored name could not be screened (e.g. an unknown country), skipped. */
  skipped: number;
  alerts: Alert[];
  /**
   * Ownership changes of parties whose owners are parties of their source themselves (case customers):
   * not stored as alerts (the owners alert), but they hold the case (hold.ts).
   */
  ownershipHolds: Alert[];
  /** States to write: new parties and parties whose hits changed. */
  states: PartyState[];
  seconds: number;
  cpuSeconds: number;
}

/**
 * Screens every party of every source with `screener()` (built on first use) and compares each with its
 * stored state. Gives the event loop a turn every few milliseconds, so a server stays responsive.
 */
export async function rescreenParties(
  q: Queryable,
  screener: () => Screener,
  changes: ChangeIndex,
  sources: readonly PartySource[],
): Promise<RescreenOutcome> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const out: RescreenOutcome = {
    bySource: {},
    parties: 0,
    baseline: 0,
    skipped: 0,
    alerts: [],
    ownershipHolds: [],
    states: [],
    seconds: 0,
    cpuSeconds: 0,
  };
  let since = performance.now();
  const screenOwner = ownerScreener(screener);
  for (const source of sources) {
    const previous = await loadStates(q, source.kind);
    const seen = new Set<string>();
    let n = 0;
    for await (const party of source.parties(q)) {
      if (seen.has(party.ref)) continue;
      seen.add(party.ref);
      const s = screener();
      let result: ReturnType<Screener['screen']>;
      try {
        result = s.screen({ name: party.name, country: party.country, address: party.address });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        out.skipped++;
        continue;
      }
      const c = compareParty(source.kind, party, previous.get(party.ref), result, changes, s.config.bands);
      const owned = withOwnership(source.kind, party, previous.get(party.ref), result, c, changes, screenOwner);
      if (owned) (source.ownersAreParties ? out.ownershipHolds : out.alerts).push(owned);
      n++;
      if (c.baseline) out.baseline++;
      if (c.changed) out.states.push(c.state);
      for (const a of c.alerts) out.alerts.push(a);
      if ((n & 31) === 31 && performance.now() - since > TURN_BUDGET_MS) {
        await nextTurn();
        since = performance.now();
      }
    }
    out.bySource[source.kind] = n;
    out.parties += n;
  }
  out.seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  out.cpuSeconds = (cpu.user + cpu.system) / 1e6;
  return out;
}
