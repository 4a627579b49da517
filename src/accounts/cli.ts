// `chipwatch keys create|list|revoke`: API key administration on the local database, as its administrator.
// While a server holds the embedded database, the same operations go through its admin routes (/api/keys).
import { Option, type Command } from 'commander';
import { withDb, type DbSettings } from '../cli/db.js';
import { UsageError } from '../cli/errors.js';
import { print, printJson } from '../cli/io.js';
import { ROLES, type Role } from '../http/principal.js';
import type { KeyInfo } from './store.js';

const DATA_DIR = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;

interface CreateOptions {
  role: Role;
  org?: string;
  label: string;
  dataDir: string;
  json?: boolean;
}

async function createAction(settings: DbSettings, o: CreateOptions): Promise<void> {
  if (o.role === 'filer' && !o.org) throw new UsageError('a filer key needs --org');
  const created = await withDb(settings, o.dataDir, async (db) => {
    const { createApiKey, ensureOrganisation } = await import('./store.js');
    const organisationId = o.org ? await ensureOrganisation(db, o.org) : null;
    return createApiKey(db, { role: o.role, organisationId, label: o.label });
  });
  if (o.json) printJson({ id: created.id, role: o.role, organisation: o.org ?? null, key: created.key });
  else print(created.key);
}

async function listAction(settings: DbSettings, o: { dataDir: string; json?: boolean }): Promise<void> {
  const { listApiKeys } = await import('./store.js');
  const list = await withDb(settings, o.dataDir, listApiKeys);
  if (o.json) printJson(list);
  else printKeyTable(list);
}

async function revokeAction(settings: DbSettings, id: string, o: { dataDir: string }): Promise<void> {
  const n = Number(id);
  if (!Number.isSafeInteger(n) || n < 1) throw new UsageError('id must be a positive integer');
  const { revokeApiKey } = await import('./store.js');
  await withDb(settings, o.dataDir, (db) => revokeApiKey(db, n));
  print(`revoked key ${n}`);
}

function printKeyTable(list: KeyInfo[]): void {
  if (list.length === 0) {
    print('no API keys (create one with: chipwatch keys create --role admin)');
    return;
  }
  const stamp = (iso: string | null) => (iso ? `${iso.slice(0, 19)}Z` : '-');
  const rows = [
    ['ID', 'PREFIX', 'ROLE', 'ORGANISATION', 'LABEL', 'CREATED', 'REVOKED'],
    ...list.map((k) => [
      String(k.id),
      k.prefix,
      k.role,
      k.organisation ?? '-',
      k.label || '-',
      stamp(k.createdAt),
      stamp(k.revokedAt),
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const r of rows)
    print(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

export function registerKeyCommands(program: Command, settings: DbSettings): void {
  const keys = program.command('keys').description('manage API keys on the configured database (local administrator)');
  keys
    .command('create')
    .description('create an API key; the secret is printed once and stored only as a hash')
    .addOption(new Option('--role <role>', 'role of the key').choices(ROLES).makeOptionMandatory())
    .option('--org <name>', 'organisation the key acts for (created on first use); required for filer')
    .option('--label <text>', 'free-text label', '')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action((o: CreateOptions) => createAction(settings, o));
  keys
    .command('list')
    .description('list API keys: id, prefix, role, organisation, label, created, revoked (never the secrets)')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action((o: { dataDir: string; json?: boolean }) => listAction(settings, o));
  keys
    .command('revoke <id>')
    .description('revoke an API key by id (the last active admin key cannot be revoked)')
    .option(...DATA_DIR)
    .action((id: string, o: { dataDir: string }) => revokeAction(settings, id, o));
}
