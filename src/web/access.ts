// Which roles may open each page: the API's access rules for the routes the page needs (admin sees every page
// except the investigators' tip inbox, which the API keeps to investigators alone).
export type Role =
  | 'admin'
  | 'regulator'
  | 'filer'
  | 'auditor'
  | 'analyst'
  | 'compliance'
  | 'compliance-lead'
  | 'investigator';

export interface PageInfo {
  path: string;
  title: string;
  roles: readonly Role[] | 'any';
}

export const PAGES: readonly PageInfo[] = [
  { path: '/registry', title: 'Registry', roles: ['admin', 'regulator', 'filer'] },
  { path: '/diligence', title: 'Due diligence', roles: ['admin', 'compliance', 'compliance-lead', 'regulator'] },
  { path: '/map', title: 'Map', roles: ['admin', 'regulator'] },
  { path: '/chip', title: 'Chip', roles: ['admin', 'regulator'] },
  { path: '/estimate', title: 'Estimate', roles: 'any' },
  { path: '/intel', title: 'Intelligence', roles: ['admin', 'analyst', 'regulator'] },
  { path: '/tips', title: 'Tips', roles: ['investigator'] },
];

export function mayOpen(page: PageInfo, role: Role): boolean {
  return page.roles === 'any' || page.roles.includes(role);
}

/** The page a path belongs to (/chip/SERIAL is the chip page). */
export function pageOf(path: string): PageInfo | undefined {
  return PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`));
}
