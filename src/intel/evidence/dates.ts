// Dates of evidence at the precision the source gives: YYYY-MM-DD (day), YYYY-MM (month), YYYY-Qn (quarter)
// or YYYY (year), stored as the first day of the period and its precision.
import type { DatePrecision } from './model.js';

export interface PeriodDate {
  /** The period's first day, YYYY-MM-DD. */
  date: string;
  precision: DatePrecision;
}

const FORMS: { re: RegExp; precision: DatePrecision }[] = [
  { re: /^(\d{4})-(\d{2})-(\d{2})$/, precision: 'day' },
  { re: /^(\d{4})-(\d{2})$/, precision: 'month' },
  { re: /^(\d{4})-Q([1-4])$/i, precision: 'quarter' },
  { re: /^(\d{4})$/, precision: 'year' },
];

/** The period `text` names, or a sentence saying why it is not one. */
export function parsePeriod(text: string): PeriodDate | string {
  for (const { re, precision } of FORMS) {
    const m = re.exec(text.trim());
    if (!m) continue;
    const year = Number(m[1]);
    if (year < 1900 || year > 2200) return `year ${year} is out of range (1900-2200)`;
    if (precision === 'year') return { date: `${m[1]}-01-01`, precision };
    if (precision === 'quarter') {
      const month = (Number(m[2]) - 1) * 3 + 1;
      return { date: `${m[1]}-${String(month).padStart(2, '0')}-01`, precision };
    }
    const month = Number(m[2]);
    if (month < 1 || month > 12) return `month ${m[2]} does not exist`;
    if (precision === 'month') return { date: `${m[1]}-${m[2]}-01`, precision };
    const day = Number(m[3]);
    const d = new Date(Date.UTC(year, month - 1, day));
    if (d.getUTCMonth() !== month - 1 || day < 1) return `${text.trim()} is not a calendar date`;
    return { date: text.trim(), precision };
  }
  return `"${text}" is not a date: use YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY`;
}

/** The period written back at its precision: 2025-01-01 quarter → 2025-Q1. */
export function formatPeriod(date: string, precision: DatePrecision): string {
  if (precision === 'day') return date;
  if (precision === 'month') return date.slice(0, 7);
  if (precision === 'year') return date.slice(0, 4);
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`;
}
