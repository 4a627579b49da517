// A shipment's location-verification status in the verifier's own terms: each enrolled chip's latest
// verdict since a date, and whether every chip was proven outside the restricted countries at its
// declared site. Other domains (due diligence) adapt this to their needs; verify knows none of them.
import type { Queryable } from '../db/index.js';
import type { VerdictKind } from './verdict.js';

export interface ChipLatestVerdict {
  resultId: number;
  serial: string;
  verdict: VerdictKind;
  /** Whether the chip was found within reach of its declared site (null: no declared site). */
  declaredConsistent: boolean | null;
  checkedAt: Date;
}

export interface ShipmentVerification {
  shipment: string;
  /** Chips enrolled under the shipment; each has a latest verdict here (otherwise there is no status yet). */
  chips: ChipLatestVerdict[];
  /** Every chip proven outside the restricted countries and not found away from its declared site. */
  allVerified: boolean;
  /** The newest check among the chips. */
  checkedAt: Date;
  /** The verify result ids behind this status, e.g. `shipment B-7: verify results 12…40`. */
  ref: string;
  summary: string;
}

interface Row {
  id: string;
  serial: string;
  verdict: VerdictKind;
  declared_consistent: boolean | null;
  checked_at: Date | string;
}

/**
 * The shipment's status from each enrolled chip's latest verdict since `since`; null while the shipment
 * has no chips or some chip has no verdict since then (the verifier's own alerts cover chips that stop answering).
 */
export async function shipmentVerification(
  db: Queryable,
  shipment: string,
  since: Date,
): Promise<ShipmentVerification | null> {
  const chips = await db.query<{ serial: string }>('select serial from verify_chips where shipment = $1', [shipment]);
  if (chips.length === 0) return null;
  const rows = await db.query<Row>(
    `select distinct on (r.serial) r.id, r.serial, r.verdict, r.declared_consistent, r.checked_at
     from verify_results r join verify_chips c on c.serial = r.serial
     where c.shipment = $1 and r.checked_at >= $2 order by r.serial, r.checked_at desc, r.id desc`,
    [shipment, since],
  );
  if (rows.length < chips.length) return null;
  return summarise(
    shipment,
    rows.map((r) => ({
      resultId: Number(r.id),
      serial: r.serial,
      verdict: r.verdict,
      declaredConsistent: r.declared_consistent,
      checkedAt: new Date(r.checked_at),
    })),
  );
}

const isGood = (c: ChipLatestVerdict) => c.verdict === 'proven-outside' && c.declaredConsistent !== false;

/** The shipment's status from its chips' latest verdicts (at least one). */
export function summarise(shipment: string, latest: readonly ChipLatestVerdict[]): ShipmentVerification {
  const good = latest.filter(isGood);
  const bad = latest.filter((c) => !isGood(c));
  const ids = latest.map((c) => c.resultId).sort((a, b) => a - b);
  const where = 'proven outside the restricted countries at their declared sites';
  const parts = [`${good.length} of ${latest.length} chips ${where}`];
  if (bad.length) {
    const why = (c: ChipLatestVerdict) => (c.verdict === 'proven-outside' ? 'not at its declared site' : c.verdict);
    const listed = bad
      .slice(0, 5)
      .map((c) => `${c.serial} (${why(c)})`)
      .join(', ');
    parts.push(`not verified: ${listed}${bad.length > 5 ? ', …' : ''}`);
  }
  return {
    shipment,
    chips: [...latest],
    allVerified: bad.length === 0,
    checkedAt: new Date(Math.max(...latest.map((c) => c.checkedAt.getTime()))),
    ref: `shipment ${shipment}: verify results ${ids.length > 3 ? `${ids[0]}…${ids.at(-1)}` : ids.join(', ')}`,
    summary: parts.join('; '),
  };
}
