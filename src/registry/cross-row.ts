// The checks of a filing that span rows — a serial once per filing, one set of owners per new owner —
// kept as running state so a streamed filing is checked row by row, each problem on its own row.
import { partyKey } from './keys.js';
import { ownerSignature, ownerSetProblem } from './owners.js';
import type { ProblemList } from './problems.js';
import type { FiledItem } from './validate.js';
import { SerialIndex } from './serial-index.js';

export class CrossRowChecks {
  private readonly serials = new SerialIndex();
  private readonly owners = new Map<string, { row: number; sig: string }>();

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
}
