// Row problems of a rejected filing: every problem is kept with row, column and reason, up to a cap,
// so one upload reports all it can without letting a hostile file grow the answer without bound.
import { ValidationError } from '../errors.js';

export interface RowProblem {
  /** Spreadsheet row (the header is row 1), or JSON item index + 1. 0 = the filing as a whole. */
  row: number;
  column: string;
  reason: string;
}

export const MAX_REPORTED_PROBLEMS = 1000;

export class ProblemList {
  readonly items: RowProblem[] = [];
  total = 0;
  constructor(readonly cap = MAX_REPORTED_PROBLEMS) {}
  add(row: number, column: string, reason: string): void {
    this.total++;
    if (this.items.length < this.cap) this.items.push({ row, column, reason });
  }
  get empty(): boolean {
    return this.total === 0;
  }
}

/** A filing rejected as a whole (all-or-nothing): carries every problem found, capped. */
export class FilingRejectedError extends ValidationError {
  readonly problems: readonly RowProblem[];
  readonly totalProblems: number;
  constructor(list: ProblemList) {
    const first = list.items[0] ?? { row: 0, column: '', reason: 'rejected' };
    const more = list.total > 1 ? ` (and ${list.total - 1} more problem${list.total > 2 ? 's' : ''})` : '';
    super(`filing rejected: ${first.reason}${more}`, {
      row: first.row || undefined,
      column: first.column || undefined,
    });
    this.problems = list.items;
    this.totalProblems = list.total;
  }
}
