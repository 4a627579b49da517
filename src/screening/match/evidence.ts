// Country and address as evidence beside the name: a shared country or address supports a name
// match, a different country weakens it (the same name in another country is often another party).
import type { ListEntry } from '../entity.js';
import { countryName } from '../countries.js';
import { addressTokens } from './normalize.js';

export interface EvidenceConfig {
  countryMatchBonus: number;
  countryMismatchPenalty: number;
  addressBonus: number;
  /** Share of the query address's words that must appear in one listed address. */
  addressOverlap: number;
}

export const DEFAULT_EVIDENCE: EvidenceConfig = {
  countryMatchBonus: 0.02,
  countryMismatchPenalty: 0.06,
  addressBonus: 0.04,
  addressOverlap: 0.6,
};

export interface Evidence {
  delta: number;
  notes: string[];
}

export function weighEvidence(
  entry: ListEntry,
  country: string | undefined,
  address: readonly string[] | undefined,
  cfg: EvidenceConfig,
): Evidence {
  const notes: string[] = [];
  let delta = 0;
  if (country && entry.countries.length > 0) {
    if (entry.countries.includes(country)) {
      delta += cfg.countryMatchBonus;
      notes.push(`country ${country} matches the listing (+${cfg.countryMatchBonus.toFixed(2)})`);
    } else {
      delta -= cfg.countryMismatchPenalty;
      notes.push(
        `listing is tied to ${entry.countries.slice(0, 4).map(countryName).join(', ')}, not ${countryName(country)} ` +
          `(-${cfg.countryMismatchPenalty.toFixed(2)})`,
      );
    }
  }
  if (address && address.length > 0 && entry.addresses.length > 0) {
    const want = new Set(address);
    let best = 0;
    let bestText = '';
    for (const a of entry.addresses) {
      const have = new Set(addressTokens(a.text));
      let hit = 0;
      for (const t of want) if (have.has(t)) hit++;
      const share = hit / want.size;
      if (share > best) {
        best = share;
        bestText = a.text;
      }
    }
    if (best >= cfg.addressOverlap) {
      delta += cfg.addressBonus;
      notes.push(
        `address shares ${Math.round(best * 100)}% of its words with listed address "${bestText}" ` +
          `(+${cfg.addressBonus.toFixed(2)})`,
      );
    }
  }
  return { delta, notes };
}
