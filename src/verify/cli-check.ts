// `chipwatch verify check`: re-derives verdicts offline from an evidence bundle. The report goes to
// stdout; every rejected record is named on stderr and makes the exit code 1, so a script cannot
// mistake a bundle with forged or replayed records for a clean one.
import { z } from 'zod';
import { UserError } from '../errors.js';
import { print, printJson } from '../cli/io.js';
import { bundleSchema, checkBundle, landmarkEntrySchema, type BundleCheck, type BundleRejection } from './bundle.js';
import { readJsonAs } from './cli-args.js';

export interface CheckCommandOptions {
  landmarks?: string;
  json?: boolean;
}

/** Exit 1 with the count; the rejected records themselves are already on stderr. */
export class RecordsRejectedError extends UserError {
  override readonly code = 'records-rejected';
}

/** Where a rejection sits in the bundle and why: `batches[1].records[0] (landmark kl, chip GPU-1): …`. */
export function describeRejection(x: BundleRejection): string {
  const where = `batches[${x.batch}]${x.index === undefined ? '' : `.records[${x.index}]`}`;
  return `${where} (landmark ${x.landmarkId}${x.serial ? `, chip ${x.serial}` : ''}): ${x.reason}`;
}

function printReport(r: BundleCheck): void {
  print(`at ${r.at}: ${r.acceptedRecords} records accepted, ${r.rejected.length} rejected`);
  for (const v of r.verdicts) {
    const bad = v.evidence.inconsistent;
    const why = bad ? ` (landmark ${bad.landmarkId}: declared site ${bad.excessKm} km beyond its disk)` : '';
    const outside = v.provenOutside.map((c) => `${c} by ≥ ${v.marginKm[c]} km`).join(', ');
    print(`${v.serial}: ${v.verdict}${why}${outside ? `; outside ${outside}` : ''}`);
  }
}

export async function checkRecordsCommand(file: string, o: CheckCommandOptions): Promise<void> {
  const bundle = readJsonAs(file, 'records', bundleSchema);
  const trust = o.landmarks ? readJsonAs(o.landmarks, 'landmarks', z.array(landmarkEntrySchema)) : undefined;
  if (!trust) {
    process.stderr.write(
      'chipwatch: note: trusting the landmark keys inside the bundle; ' +
        'pass --landmarks to check against an independent directory\n',
    );
  }
  const r = checkBundle(bundle, trust);
  if (o.json) printJson({ ...r, verdicts: r.verdicts.map(({ region: _g, ...v }) => v) });
  else printReport(r);
  for (const x of r.rejected) process.stderr.write(`chipwatch: rejected ${describeRejection(x)}\n`);
  if (r.rejected.length) {
    const n = r.rejected.length;
    throw new RecordsRejectedError(`${n} rejection${n === 1 ? '' : 's'}: the verdicts use only the accepted records`);
  }
}
