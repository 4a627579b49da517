// The checks of a filing that span rows — a serial once per filing, one set of owners per new owner —
// kept as running state so a streamed filing is checked row by row, each problem on its own row (a streamed
// file's serials past the spool's memory are checked at its end).
import { partyKey } from './keys.js';
import { ownerSignature, ownerSetProblem } from './owners.js';
import type { ProblemList } from './problems.js';
import type { FiledItem } from './validate.js';
import { SerialIndex } from './serial-index.js';
import { SerialSpool } from './serial-spool.js';

export class CrossRowChecks {
  private readonly serials: SerialIndex | SerialSpool;
  private readonly owners = new Map<string, { row: number; sig: string }>();

  /**
   * With `spillSerialsAt` the serials go to a SerialSpool that spills past that many (a streamed file of any size);
   * finish() then reports the repeats found among them, and dispose() removes its files. Without it they stay in
   * memory (a filing held in memory).
   */
  constructor(spillSerialsAt?: number) {
    this.serials = spillSerialsAt === undefined ? new SerialIndex() : new SerialSpool(spillSerialsAt);
  }

  /** Checks one valid item against the rows before it; a problem names this item's row. */
  check(item: FiledItem, problems: ProblemList): void {
    const first = this.serials.firstRow(item.serial, item.row);
    if (first !== undefined) problems.add(item.row, 'serial_number', `serial ${item.serial} already on row ${first}`);
    if (!item.parents || !item.owner) return;
    const key = partyKey(item.owner.name, item.owner.country);
    const sig = ownerSignature(item.parents);
    const seen = this.owners.get(key);
    if (!seen) this.owners.set(key, { row: item.row, sig });
    else if (seen.sig !== sig) {
      const p = ownerSetProblem(item, seen.row);
      problems.add(item.row, p.column, p.reason);
    }
  }

  /** At the end of the rows: the repeats of serials a spool found only now. */
  finish(problems: ProblemList): void {
    if (!(this.serials instanceof SerialSpool)) return;
    for (const r of this.serials.repeats())
      problems.add(r.row, 'serial_number', `serial ${r.serial} already on row ${r.first}`);
  }

  dispose(): void {
    if (this.serials instanceof SerialSpool) this.serials.dispose();
  }
}
