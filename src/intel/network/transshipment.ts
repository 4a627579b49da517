// Countries through which controlled chips are commonly diverted to the PRC, as data with the source of
// each entry: a cluster member registered in one is a reason (clusters.ts). Sources: the CNAS paper's
// due-diligence risk factors (Grunewald & Fist 2025, Figure 9, "transshipment hubs"; BACKGROUND.md § 4)
// and the routes of the seed evidence (data/evidence/cases.csv, column route_via).

export interface TransshipmentCountry {
  code: string;
  name: string;
  source: string;
}

const FIGURE_9 = 'CNAS 2025, Figure 9: transshipment hubs (BACKGROUND.md § 4)';
const ROUTES = 'seed evidence data/evidence/cases.csv: route_via';

export const TRANSSHIPMENT_COUNTRIES: readonly TransshipmentCountry[] = [
  { code: 'SG', name: 'Singapore', source: `${FIGURE_9}; ${ROUTES}` },
  { code: 'MY', name: 'Malaysia', source: `${FIGURE_9}; ${ROUTES}` },
  { code: 'TH', name: 'Thailand', source: FIGURE_9 },
  { code: 'VN', name: 'Viet Nam', source: `${FIGURE_9}; ${ROUTES}` },
  { code: 'ID', name: 'Indonesia', source: FIGURE_9 },
  { code: 'AE', name: 'United Arab Emirates', source: FIGURE_9 },
  { code: 'HK', name: 'Hong Kong', source: `${FIGURE_9}; ${ROUTES}` },
  { code: 'TW', name: 'Taiwan', source: ROUTES },
  { code: 'IN', name: 'India', source: ROUTES },
];

const BY_CODE = new Map(TRANSSHIPMENT_COUNTRIES.map((c) => [c.code, c]));

export function transshipmentCountry(code: string): TransshipmentCountry | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}
