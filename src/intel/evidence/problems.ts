// Every problem of a rejected evidence file, with its row and column, up to a cap: one import reports all it
// can (not just the first) without a hostile file growing the answer without bound.
import { ValidationError } from '../../errors.js';

export interface RowProblem {
  /** CSV row (the header is row 1) or JSON item index + 1; 0 for the file as a whole. */
  row: number;
  column: string;
  reason: string;
}

export const MAX_PROBLEMS = 1000;

export class Problems {
  readonly items: RowProblem[] = [];
  total = 0;
  add(row: number, column: string, reason: string): void {
    this.total++;
    if (this.items.length < MAX_PROBLEMS) this.items.push({ row, column, reason });
  }
  get empty(): boolean {
    return this.total === 0;
  }
}

/** A file refused as a whole (nothing stored), with every problem found. */
export class EvidenceRejectedError extends ValidationError {
  readonly problems: readonly RowProblem[];
  readonly totalProblems: number;
  constructor(list: Problems) {
    const first = list.items[0] ?? { row: 0, column: '', reason: 'rejected' };
    const more = list.total > 1 ? ` (and ${list.total - 1} more problem${list.total > 2 ? 's' : ''})` : '';
    super(`evidence rejected: ${first.reason}${more}`, {
      row: first.row || undefined,
      column: first.column || undefined,
    });
    this.problems = list.items;
    this.totalProblems = list.total;
  }
}
