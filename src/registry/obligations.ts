// The § 743.7 notification obligation (pure). An owner must report when more than `threshold` items of
// ECCN 4A090 change location or ownership, involving a foreign location or entity, within any rolling
// window of three months. Each such transfer is due by the last day of the month after its month;
// a filing received after that day is late. The filer of a transfer is its owner before the transfer.

export interface ObligationTransfer {
  ownerId: number;
  ownerName: string;
  serial: string;
  begin: string; // YYYY-MM-DD, the date the transaction begins
  eccn: string;
  ownershipChange: boolean;
  locationChange: boolean;
  foreignInvolved: boolean;
  receivedAt: string; // ISO timestamp the filing was received
}

export interface ObligationRules {
  threshold: number;
  eccnPrefix: string;
  windowMonths: number;
}
export const SECTION_743_7: ObligationRules = { threshold: 100, eccnPrefix: '4A090', windowMonths: 3 };

export interface Obligation {
  ownerId: number;
  ownerName: string;
  /** Month of the transfers, YYYY-MM. */
  month: string;
  /** Reportable items that began in this month. */
  items: number;
  /** Last day of the following month. */
  due: string;
  filedOnTime: number;
  filedLate: number;
  status: 'filed' | 'late';
  /** Largest number of distinct qualifying items in one window that touches this month's items. */
  windowPeak: number;
}

/** Adds calendar months to a YYYY-MM-DD date, clamping to the month's end (Jan 31 + 1 month = Feb 28). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}

/** Last day of the month after `month` (YYYY-MM). */
export function dueDate(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);
}

/** Whether § 743.7 counts a transfer: what the rule reads of it (also the import's planned transfers). */
export type Qualifying = Pick<ObligationTransfer, 'eccn' | 'ownershipChange' | 'locationChange' | 'foreignInvolved'>;

export function qualifies(t: Qualifying, rules: ObligationRules): boolean {
  return (
    t.eccn.toUpperCase().startsWith(rules.eccnPrefix) && (t.ownershipChange || t.locationChange) && t.foreignInvolved
  );
}

/** An owner's qualifying items that began on one day: how many, and how many of them were filed late. */
export interface ObligationDay {
  ownerId: number;
  ownerName: string;
  day: string; // YYYY-MM-DD
  items: number;
  late: number;
}

/**
 * Repeats: `items` times an owner moved a serial on `day` whose previous qualifying move by that owner began on
 * `firstDay` (the same day counts). A window holding both counts that serial once, so a window's distinct items
 * are its items less the repeats inside it. Pairs at least a window apart never share one and may be left out.
 */
export interface ObligationRepeat {
  ownerId: number;
  firstDay: string;
  day: string;
  items: number;
}

/**
 * Obligations as of a day: only transfers begun and filings received by then count. A transfer is
 * reportable when some window [s, s + windowMonths) holding it holds more than `threshold` distinct
 * items; windows starting at a transfer's date are enough (any window can slide right to its first item).
 */
export function computeObligations(
  transfers: readonly ObligationTransfer[],
  asOf: string,
  rules: ObligationRules = SECTION_743_7,
): Obligation[] {
  const days = new Map<string, ObligationDay>();
  const bySerial = new Map<string, string[]>();
  for (const t of transfers) {
    if (t.begin > asOf || t.receivedAt.slice(0, 10) > asOf || !qualifies(t, rules)) continue;
    const key = `${t.ownerId}|${t.begin}`;
    const d = days.get(key) ?? { ownerId: t.ownerId, ownerName: t.ownerName, day: t.begin, items: 0, late: 0 };
    d.items++;
    if (t.receivedAt.slice(0, 10) > dueDate(t.begin.slice(0, 7))) d.late++;
    days.set(key, d);
    const serialKey = `${t.ownerId}|${t.serial}`;
    bySerial.set(serialKey, [...(bySerial.get(serialKey) ?? []), t.begin]);
  }
  const repeats = new Map<string, ObligationRepeat>();
  for (const [key, dates] of bySerial) {
    const ownerId = Number(key.slice(0, key.indexOf('|')));
    dates.sort();
    for (let i = 1; i < dates.length; i++) {
      const k = `${ownerId}|${dates[i - 1]}|${dates[i]}`;
      const r = repeats.get(k) ?? { ownerId, firstDay: dates[i - 1], day: dates[i], items: 0 };
      r.items++;
      repeats.set(k, r);
    }
  }
  return obligationsFromDays([...days.values()], [...repeats.values()], rules);
}

/**
 * The obligations from per-day counts (what the registry keeps at filing time, src/registry/obligation-counts.ts):
 * the same result as computeObligations over the transfers they count, in time linear in days, not items.
 */
export function obligationsFromDays(
  allDays: readonly ObligationDay[],
  allRepeats: readonly ObligationRepeat[],
  rules: ObligationRules = SECTION_743_7,
): Obligation[] {
  const byOwner = groupBy(allDays, (d) => d.ownerId);
  const repeatsOf = groupBy(allRepeats, (r) => r.ownerId);
  const out: Obligation[] = [];
  for (const [ownerId, unsorted] of byOwner) {
    const days = [...unsorted].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
    const repeats = (repeatsOf.get(ownerId) ?? []).filter((r) => r.items !== 0);
    // Window i is [days[i].day, stop) = days[i..end[i]): its items by two pointers, less the repeats inside it.
    const n = days.length;
    const distinct = new Array<number>(n);
    const end = new Array<number>(n);
    let j = 0;
    let inWindow = 0;
    for (let i = 0; i < n; i++) {
      const stop = addMonths(days[i].day, rules.windowMonths);
      while (j < n && days[j].day < stop) inWindow += days[j++].items;
      end[i] = j;
      let repeated = 0;
      for (const r of repeats) if (r.firstDay >= days[i].day && r.day < stop) repeated += r.items;
      distinct[i] = inWindow - repeated;
      inWindow -= days[i].items;
    }
    // peak[k] = max distinct[i] over windows holding day k (i <= k < end[i]): a sliding maximum, since both i
    // and end[i] only grow. A deque keeps it linear where a naive scan would be quadratic.
    const deque: number[] = [];
    let head = 0;
    const months = new Map<string, Obligation>();
    for (let k = 0; k < n; k++) {
      while (deque.length > head && distinct[deque[deque.length - 1]] <= distinct[k]) deque.pop();
      deque.push(k);
      while (end[deque[head]] <= k) head++;
      const peak = distinct[deque[head]];
      if (peak <= rules.threshold) continue;
      const d = days[k];
      const month = d.day.slice(0, 7);
      const o = months.get(month) ?? {
        ownerId,
        ownerName: d.ownerName,
        month,
        items: 0,
        due: dueDate(month),
        filedOnTime: 0,
        filedLate: 0,
        status: 'filed' as const,
        windowPeak: 0,
      };
      o.items += d.items;
      o.filedLate += d.late;
      o.filedOnTime += d.items - d.late;
      o.windowPeak = Math.max(o.windowPeak, peak);
      months.set(month, o);
    }
    for (const o of months.values()) out.push({ ...o, status: o.filedLate > 0 ? 'late' : 'filed' });
  }
  return out.sort((a, b) => a.ownerName.localeCompare(b.ownerName) || a.month.localeCompare(b.month));
}

function groupBy<T, K>(list: readonly T[], key: (t: T) => K): Map<K, T[]> {
  const m = new Map<K, T[]>();
  for (const x of list) {
    const k = key(x);
    const g = m.get(k);
    if (g) g.push(x);
    else m.set(k, [x]);
  }
  return m;
}
