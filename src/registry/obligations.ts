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

export function qualifies(t: ObligationTransfer, rules: ObligationRules): boolean {
  return (
    t.eccn.toUpperCase().startsWith(rules.eccnPrefix) && (t.ownershipChange || t.locationChange) && t.foreignInvolved
  );
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
  const byOwner = new Map<number, ObligationTransfer[]>();
  for (const t of transfers) {
    if (t.begin > asOf || t.receivedAt.slice(0, 10) > asOf || !qualifies(t, rules)) continue;
    const list = byOwner.get(t.ownerId) ?? [];
    list.push(t);
    byOwner.set(t.ownerId, list);
  }
  const out: Obligation[] = [];
  for (const list of byOwner.values()) {
    list.sort((a, b) => (a.begin < b.begin ? -1 : a.begin > b.begin ? 1 : 0));
    // Two pointers: window i is [list[i].begin, +windowMonths) = list[i..end[i]), distinct serials counted.
    const distinct = new Array<number>(list.length);
    const end = new Array<number>(list.length);
    const inWindow = new Map<string, number>();
    let j = 0;
    for (let i = 0; i < list.length; i++) {
      const stop = addMonths(list[i].begin, rules.windowMonths);
      while (j < list.length && list[j].begin < stop) {
        inWindow.set(list[j].serial, (inWindow.get(list[j].serial) ?? 0) + 1);
        j++;
      }
      distinct[i] = inWindow.size;
      end[i] = j;
      const left = inWindow.get(list[i].serial)! - 1;
      if (left === 0) inWindow.delete(list[i].serial);
      else inWindow.set(list[i].serial, left);
    }
    // peak[k] = max distinct[i] over windows holding k (i <= k < end[i]): a sliding maximum, since
    // both i and end[i] only grow. A deque keeps it linear where a naive scan would be quadratic.
    const peak = new Array<number>(list.length);
    const deque: number[] = [];
    let head = 0;
    for (let k = 0; k < list.length; k++) {
      while (deque.length > head && distinct[deque[deque.length - 1]] <= distinct[k]) deque.pop();
      deque.push(k);
      while (end[deque[head]] <= k) head++;
      peak[k] = distinct[deque[head]];
    }
    const months = new Map<string, Obligation>();
    list.forEach((t, k) => {
      if (peak[k] <= rules.threshold) return;
      const month = t.begin.slice(0, 7);
      const due = dueDate(month);
      const o = months.get(month) ?? {
        ownerId: t.ownerId,
        ownerName: t.ownerName,
        month,
        items: 0,
        due,
        filedOnTime: 0,
        filedLate: 0,
        status: 'filed' as const,
        windowPeak: 0,
      };
      o.items++;
      if (t.receivedAt.slice(0, 10) > due) o.filedLate++;
      else o.filedOnTime++;
      o.windowPeak = Math.max(o.windowPeak, peak[k]);
      months.set(month, o);
    });
    for (const o of months.values()) out.push({ ...o, status: o.filedLate > 0 ? 'late' : 'filed' });
  }
  return out.sort((a, b) => a.ownerName.localeCompare(b.ownerName) || a.month.localeCompare(b.month));
}
