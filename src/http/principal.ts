// Who is calling: the roles an access rule can name and the principal an authenticated request carries.
// The HTTP toolkit checks access rules with these; the accounts domain issues and resolves keys.

export const ROLES = [
  'admin',
  'regulator',
  'filer',
  'auditor',
  'analyst',
  'compliance',
  'compliance-lead',
  'investigator',
] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  keyId: number;
  role: Role;
  organisationId: number | null;
}

export function isRole(s: string): s is Role {
  return (ROLES as readonly string[]).includes(s);
}
