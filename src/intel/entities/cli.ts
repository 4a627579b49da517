// `chipwatch intel export --format ftm` and `intel sync`: entities out as FollowTheMoney JSON lines, and the
// registry's parties and the screening lists' entries in as entities; resolution's commands beside them.
import { createWriteStream } from 'node:fs';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import type { Command } from 'commander';
import { withIntelDb } from '../evidence/open.js';
import { UsageError } from '../../cli/errors.js';
import { print, printJson } from '../../cli/io.js';
import { DATA_DIR } from '../../paths.js';
import { registerResolveCommands } from '../resolve/cli.js';
import type { IntelSettings } from '../settings.js';

const DATA_DIR_OPTION = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;

async function exportCommand(settings: IntelSettings, o: { format: string; out?: string; dataDir: string }) {
  if (o.format !== 'ftm') throw new UsageError(`--format must be ftm (FollowTheMoney JSON lines), not "${o.format}"`);
  const { ftmLines } = await import('../ftm/export.js');
  await withIntelDb(settings, o.dataDir, async (db) => {
    const out = o.out ? createWriteStream(o.out, { flags: 'wx' }) : process.stdout;
    if (o.out) await once(out, 'open');
    let n = 0;
    for await (const line of ftmLines(db)) {
      n += 1;
      if (!out.write(line)) await once(out, 'drain');
    }
    if (o.out) {
      await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
      print(`wrote ${n} FtM entities to ${o.out}`);
    }
  });
}

async function syncCommand(settings: IntelSettings, o: { dataDir: string; json?: boolean }) {
  const { ScreeningService } = await import('../../screening/index.js');
  const { syncEntities } = await import('./sync.js');
  const cacheDir = join(resolve(o.dataDir), 'cache');
  const r = await withIntelDb(settings, o.dataDir, async (db) => {
    const screener = await new ScreeningService(db, { dataDir: DATA_DIR, cacheDir }).screener();
    return syncEntities(db, screener.index.entries, new Date());
  });
  if (o.json) printJson(r);
  else
    print(
      `synced ${r.registryParties} registry parties, ${r.owners} recorded owners (${r.ownershipLinks} ownership ` +
        `links, ${r.staleLinks} replaced) and ${r.listEntries} screening-list entries`,
    );
}

export function registerEntitiesCommands(intel: Command, settings: IntelSettings): void {
  intel
    .command('export')
    .description('write every entity and link as FollowTheMoney JSON lines (for Aleph, OpenSanctions)')
    .requiredOption('--format <format>', 'ftm')
    .option('--out <file>', 'write to this new file instead of standard output')
    .option(...DATA_DIR_OPTION)
    .action((o: { format: string; out?: string; dataDir: string }) => exportCommand(settings, o));
  intel
    .command('sync')
    .description('make or update entities from the registry parties, their owners and the screening lists')
    .option(...DATA_DIR_OPTION)
    .option('--json', 'print JSON')
    .action((o: { dataDir: string; json?: boolean }) => syncCommand(settings, o));
  registerResolveCommands(intel, settings);
}
