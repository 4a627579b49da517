// Evidence aggregates the estimator reads as named inputs (input("seized_gpus_2024") in a model): counts
// and sums of the evidence per year and per quarter, as plain numbers. Pure: grouped rows in, names out.
// The names are documented in docs/estimate.md ("Inputs") and docs/intel.md ("Evidence in the estimate").
import { CASE_KINDS, type Category } from '../evidence/model.js';

/** One group of evidence items: same category, kind, year and (for items dated to a quarter or finer) quarter. */
export interface EvidenceGroup {
  category: Category;
  kind: string;
  year: number;
  /** 1–4, or null when the item's date is only a year. */
  quarter: number | null;
  items: number;
  /** GPUs and H100-equivalents of the group's items (items without a known quantity add 0). */
  gpus: number;
  h100e: number;
}

export type EvidenceAggregates = Record<string, number | number[]>;

/**
 * Per year from the earliest evidence item's year to the latest (zeros where nothing happened), the
 * names below; and the same figures as lists aligned with `years` (and `quarters`):
 * - `seizures_YYYY`, `seized_gpus_YYYY`, `seized_h100e_YYYY`: items of kind seizure, their GPUs and H100e;
 * - `cases_KIND_YYYY` (KIND with _ for -): cases of each kind (evidence/model.ts CASE_KINDS), zeros included;
 * - `listings_YYYY`, `listed_gpus_YYYY`: marketplace listings (category listing) and their GPUs;
 * - `sightings_YYYY`: sightings;
 * - `listings_YYYYqN`: listings dated to quarter N or finer;
 * - lists: `years`, `seizures_per_year`, `seized_gpus_per_year`, `seized_h100e_per_year`, `listings_per_year`,
 *   `quarters` (2024.25 is 2024 Q2) and `listings_per_quarter`.
 * No evidence at all gives no names: a model that reads one then says which is missing.
 */
export function aggregateEvidence(groups: readonly EvidenceGroup[]): EvidenceAggregates {
  if (groups.length === 0) return {};
  const first = Math.min(...groups.map((g) => g.year));
  const last = Math.max(...groups.map((g) => g.year));
  const years = Array.from({ length: last - first + 1 }, (_, i) => first + i);
  const perYear = (match: (g: EvidenceGroup) => boolean, value: (g: EvidenceGroup) => number) =>
    years.map((y) => sum(groups.filter((g) => g.year === y && match(g)).map(value)));
  const seizure = (g: EvidenceGroup) => g.category === 'case' && g.kind === 'seizure';
  const listing = (g: EvidenceGroup) => g.category === 'listing';
  const out: EvidenceAggregates = {};
  const series = (name: string, values: number[]) => {
    years.forEach((y, i) => {
      out[`${name}_${y}`] = values[i];
    });
    return values;
  };
  out.years = years;
  out.seizures_per_year = series(
    'seizures',
    perYear(seizure, (g) => g.items),
  );
  out.seized_gpus_per_year = series(
    'seized_gpus',
    perYear(seizure, (g) => g.gpus),
  );
  out.seized_h100e_per_year = series(
    'seized_h100e',
    perYear(seizure, (g) => g.h100e),
  );
  out.listings_per_year = series(
    'listings',
    perYear(listing, (g) => g.items),
  );
  series(
    'listed_gpus',
    perYear(listing, (g) => g.gpus),
  );
  series(
    'sightings',
    perYear(
      (g) => g.category === 'sighting',
      (g) => g.items,
    ),
  );
  for (const kind of CASE_KINDS)
    series(
      `cases_${kind.replace(/-/g, '_')}`,
      perYear(
        (g) => g.category === 'case' && g.kind === kind,
        (g) => g.items,
      ),
    );
  const quarters = years.flatMap((y) => [1, 2, 3, 4].map((q) => ({ y, q })));
  out.quarters = quarters.map(({ y, q }) => y + (q - 1) / 4);
  out.listings_per_quarter = quarters.map(({ y, q }) => {
    const n = sum(groups.filter((g) => listing(g) && g.year === y && g.quarter === q).map((g) => g.items));
    out[`listings_${y}q${q}`] = n;
    return n;
  });
  return out;
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
