// `chipwatch intel timeline ENTITY|--serial S` and `intel dossier ENTITY --out FILE` (registered beside the
// network commands): one time axis with sources, and the dossier written as FILE.md and FILE.json.
import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withIntelDb } from '../evidence/open.js';
import { UsageError } from '../../cli/errors.js';
import { print, printJson } from '../../cli/io.js';
import type { IntelSettings } from '../settings.js';

const DATA_DIR_OPTION = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;

async function timelineCommand(
  settings: IntelSettings,
  ref: string | undefined,
  o: { serial?: string; json?: boolean; dataDir: string },
): Promise<void> {
  if ((ref === undefined) === (o.serial === undefined))
    throw new UsageError('give an entity or --serial, one of the two');
  const { chipTimeline, entityTimeline } = await import('./timeline.js');
  const { resolveEntity } = await import('../network/network.js');
  const { sourceLine } = await import('./events.js');
  const t = await withIntelDb(settings, o.dataDir, async (db) =>
    o.serial !== undefined ? chipTimeline(db, o.serial) : entityTimeline(db, await resolveEntity(db, ref!)),
  );
  if (o.json) return printJson(t);
  print(t.subject.kind === 'chip' ? `chip ${t.subject.serial}` : `${t.subject.caption} (${t.subject.id})`);
  for (const e of t.events)
    print(`  ${e.date ?? 'undated'}  ${e.kind}: ${e.summary}\n      source: ${sourceLine(e.source)}`);
  if (t.truncated) print(`  (${t.truncated})`);
}

async function dossierCommand(settings: IntelSettings, ref: string, o: { out: string; dataDir: string }) {
  const { entityDossier, dossierMarkdown } = await import('./dossier.js');
  const { resolveEntity } = await import('../network/network.js');
  const { networkSources } = await import('../network/sources.js');
  const d = await withIntelDb(settings, o.dataDir, async (db) =>
    entityDossier(db, networkSources(db), await resolveEntity(db, ref), new Date()),
  );
  const base = o.out.replace(/\.(md|json)$/i, '');
  writeFileSync(`${base}.json`, `${JSON.stringify(d, null, 2)}\n`);
  writeFileSync(`${base}.md`, dossierMarkdown(d));
  print(
    `wrote ${base}.md and ${base}.json: ${d.timeline.length} events, ${d.network.links.length} links, ` +
      `${d.sources.length} sources`,
  );
}

export function registerDossierCommands(intel: Command, settings: IntelSettings): void {
  intel
    .command('timeline')
    .description("an entity's or a chip's filings, custody, verdicts, listings, evidence and alerts, with sources")
    .argument('[entity]', 'entity id (or a caption only one entity has)')
    .option('--serial <serial>', "a chip's timeline instead")
    .option('--json', 'print JSON')
    .option(...DATA_DIR_OPTION)
    .action((ref: string | undefined, o: { serial?: string; json?: boolean; dataDir: string }) =>
      timelineCommand(settings, ref, o),
    );
  intel
    .command('dossier')
    .description('write an entity dossier as FILE.md and FILE.json, every fact citing its source')
    .argument('<entity>', 'entity id (or a caption only one entity has)')
    .requiredOption('--out <file>', 'FILE: writes FILE.md and FILE.json')
    .option(...DATA_DIR_OPTION)
    .action((ref: string, o: { out: string; dataDir: string }) => dossierCommand(settings, ref, o));
}
