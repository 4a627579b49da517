// The demo's organisations and one API key per role (a filer key for each exporter and distributor),
// written to DATA_DIR/demo-keys.json readable only by its owner. Secrets are random, never derived
// from the seed (a public seed must not give away keys), and never logged.
import { writeFileSync } from 'node:fs';
import { createApiKey, ensureOrganisation, ROLES, type Role } from '../../accounts/index.js';
import type { Db } from '../../db/index.js';
import { DISTRIBUTORS, EXPORTERS } from './world.js';

export interface DemoKey {
  role: Role;
  organisation: string | null;
  key: string;
}

/** Which organisation each role's key speaks for: compliance teams work for the first exporter. */
function holders(): { role: Role; organisation: string | null }[] {
  const out: { role: Role; organisation: string | null }[] = [];
  for (const role of ROLES) {
    if (role === 'filer') continue;
    const org = role === 'compliance' || role === 'compliance-lead' ? EXPORTERS[0].name : null;
    out.push({ role, organisation: org });
  }
  for (const name of [...EXPORTERS.map((x) => x.name), ...DISTRIBUTORS])
    out.push({ role: 'filer', organisation: name });
  return out;
}

export async function createDemoKeys(db: Db): Promise<DemoKey[]> {
  const keys: DemoKey[] = [];
  for (const h of holders()) {
    const organisationId = h.organisation === null ? null : await ensureOrganisation(db, h.organisation);
    const { key } = await createApiKey(db, { role: h.role, organisationId, label: `demo ${h.role}` });
    keys.push({ ...h, key });
  }
  return keys;
}

export function writeDemoKeys(file: string, keys: readonly DemoKey[]): void {
  writeFileSync(file, JSON.stringify({ keys }, null, 2) + '\n', { mode: 0o600 });
}

export function keyFor(keys: readonly DemoKey[], role: Role, organisation?: string): string {
  const k = keys.find((x) => x.role === role && (organisation === undefined || x.organisation === organisation));
  if (!k) throw new Error(`no demo key for ${role}`);
  return k.key;
}
