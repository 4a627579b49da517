// `chipwatch screen | lists | redflags | cases`: restricted-party screening and the diligence workflow
// from the shell. Screening needs no database unless lists were updated (then it uses the newest
// version in the configured database); lists and cases live in the database. Each command's work is a
// named handler; the register functions only declare flags.
import type { Command } from 'commander';
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { print, printJson } from '../cli/io.js';
import { DATA_DIR } from '../paths.js';
import type { Db } from '../db/index.js';
import type { ScreenResult } from './match/screen.js';
import type { UpdateReport } from './lists/update.js';
import { registerCaseCommands, type WithScreener } from './cli-cases.js';
import { cliActor, DATA_DIR_HELP, withDb, type ScreeningCliOptions } from './cli-common.js';

export type { ScreeningCliOptions } from './cli-common.js';

/** The screener: explicit list files, else the database's newest version if there is a database, else the snapshot. */
function screenerSource(local: ScreeningCliOptions): WithScreener {
  return async (opts, fn) => {
    const { ScreeningService } = await import('./service.js');
    const cacheDir = join(resolve(opts.dataDir), 'cache');
    if (opts.lists?.length) {
      const { loadListFiles, readListFiles } = await import('./lists/load.js');
      const { buildIndex } = await import('./match/index-build.js');
      const { Screener } = await import('./match/screen.js');
      return fn(new Screener(buildIndex(loadListFiles(readListFiles(opts.lists)).entries)));
    }
    if (local.databaseUrl || existsSync(join(resolve(opts.dataDir), 'pgdata'))) {
      const fromDb = async (db: Db) => fn(await new ScreeningService(db, { dataDir: DATA_DIR, cacheDir }).screener());
      return withDb(local, opts.dataDir, fromDb);
    }
    return fn(await new ScreeningService(null, { dataDir: DATA_DIR, cacheDir }).screener());
  };
}

function printResult(r: ScreenResult): void {
  print(`${r.decision.toUpperCase()}  ${r.query.name}${r.query.country ? ` (${r.query.country})` : ''}`);
  for (const m of r.matches) {
    print(`  ${m.score.toFixed(3)}  ${m.list.padEnd(5)} ${m.name}  [${m.entryId}]`);
    print(`         ${m.explanation}`);
    // The entry's other names that scored, so a reviewer sees which alias carried the hit and which did not.
    const others = m.aliases.filter((a) => a.name !== m.matchedName).slice(0, MAX_ALIASES_SHOWN);
    if (others.length)
      print(`         other names: ${others.map((a) => `"${a.name}" ${a.score.toFixed(3)}`).join('; ')}`);
  }
}

const MAX_ALIASES_SHOWN = 5;

/** Writes via a temporary file and a rename: a failed run leaves no partial output. */
/**
 * Replaces a regular file whole (a reader never sees half of it); anything else that exists (/dev/stdout, a FIFO,
 * /dev/null) is written to directly, since renaming over it would replace the device with a file.
 */
function writeAtomic(path: string, text: string): void {
  if (existsSync(path) && !statSync(path).isFile()) {
    writeFileSync(path, text);
    return;
  }
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

interface ScreenOptions {
  country?: string;
  address?: string;
  file?: string;
  out?: string;
  lists?: string[];
  dataDir: string;
  json?: boolean;
}

function checkScreenOptions(name: string | undefined, o: ScreenOptions): void {
  if (!name && !o.file) throw new UsageError('give a NAME or --file parties.csv');
  if (name && o.file) throw new UsageError('give either a NAME or --file, not both');
  if (o.out && !o.file) throw new UsageError('--out needs --file');
  if (o.file && (o.country || o.address)) {
    throw new UsageError("--country and --address apply to one NAME; put them in the file's columns");
  }
}

/** Screens every party of a CSV, with a progress bar when stderr is a terminal. */
async function screenFile(withScreener: WithScreener, file: string, o: ScreenOptions): Promise<ScreenResult[]> {
  const { parsePartiesCsv, screenAll } = await import('./batch.js');
  const parties = parsePartiesCsv(readFileSync(file, 'utf8'), file);
  return withScreener(o, async (s) => {
    if (!process.stderr.isTTY) return screenAll(s, parties);
    const { SingleBar, Presets } = await import('cli-progress');
    const format = 'screening [{bar}] {value}/{total} parties  {eta}s left';
    const bar = new SingleBar({ format, stream: process.stderr, hideCursor: true }, Presets.shades_classic);
    bar.start(parties.length, 0);
    try {
      return screenAll(s, parties, (n) => bar.update(n));
    } finally {
      bar.stop();
    }
  });
}

async function screenCommand(local: ScreeningCliOptions, name: string | undefined, o: ScreenOptions): Promise<void> {
  checkScreenOptions(name, o);
  const withScreener = screenerSource(local);
  if (!o.file) {
    const r = await withScreener(o, (s) => s.screen({ name: name!, country: o.country, address: o.address }));
    return o.json ? printJson(r) : printResult(r);
  }
  const results = await screenFile(withScreener, o.file, o);
  if (o.out) writeAtomic(o.out, (await import('./batch.js')).resultsCsv(results));
  if (o.json) printJson(results);
  else if (!o.out) for (const r of results) printResult(r);
  const counts = { clear: 0, review: 0, match: 0 };
  for (const r of results) counts[r.decision]++;
  if (!o.json) {
    const where = o.out ? `; results in ${o.out}` : '';
    process.stderr.write(
      `${results.length} parties: ${counts.match} match, ${counts.review} review, ` + `${counts.clear} clear${where}\n`,
    );
  }
}

function printUpdate(report: UpdateReport): void {
  const c = report.changes;
  print(`list version ${report.versionId}: ${report.entries} entries from ${report.sources.join(', ')}`);
  print(
    `compared with ${report.comparedWith}: +${c.addedCount} added, -${c.removedCount} removed, ` +
      `~${c.changedCount} changed`,
  );
  for (const [list, n] of Object.entries(c.byList)) {
    print(`  ${list.padEnd(6)} +${n.added} -${n.removed} ~${n.changed}`);
  }
  for (const e of c.added.slice(0, 10)) print(`  + ${e.list} ${e.name}`);
  for (const e of c.removed.slice(0, 10)) print(`  - ${e.list} ${e.name}`);
  for (const e of c.changed.slice(0, 10)) print(`  ~ ${e.list} ${e.name} (${e.fields.join(', ')})`);
  for (const w of report.warnings) process.stderr.write(`note: ${w}\n`);
}

async function listsUpdateCommand(local: ScreeningCliOptions, files: string[], o: { dataDir: string; json?: boolean }) {
  const { prepareUpdate, updateLists } = await import('./lists/update.js');
  const { readListFiles } = await import('./lists/load.js');
  const input = prepareUpdate(readListFiles(files)); // parsed and validated in full before the database is touched
  const { partySourcesFor, printRescreen } = await import('./rescreen/cli.js');
  const dirs = { dataDir: DATA_DIR, cacheDir: join(resolve(o.dataDir), 'cache') };
  const opts = { ...dirs, rescreen: await partySourcesFor(local.partySources) };
  const report = await withDb(local, o.dataDir, (db) => updateLists(db, input, opts, cliActor(), new Date()));
  if (o.json) return printJson(report);
  printUpdate(report);
  if (report.rescreen) printRescreen(report.rescreen);
}

async function listsShowCommand(local: ScreeningCliOptions, o: { dataDir: string; json?: boolean }): Promise<void> {
  const { listVersions } = await import('./lists/store.js');
  const versions = await withDb(local, o.dataDir, (db) => listVersions(db));
  if (o.json) return printJson({ active: versions[0]?.id ?? 'shipped', versions });
  if (!versions.length) print('active: the shipped snapshot (CSL 2022-05, OFAC SDN 2024-05-03 with alt.csv 2025-08)');
  for (const v of versions) {
    const mark = v.id === versions[0].id ? '*' : ' ';
    print(`${mark} version ${v.id}  ${v.loadedAt}  ${v.entryCount} entries  by ${v.loadedBy}  ${v.sources.join(', ')}`);
  }
}

type RedflagsOptions = { lists?: string[]; dataDir: string; json?: boolean };

async function redflagsCommand(local: ScreeningCliOptions, file: string, o: RedflagsOptions): Promise<void> {
  const { readProfile } = await import('./cli-cases.js');
  const profile = await readProfile(file);
  const { assessProfile } = await import('./cases/assess.js');
  const { loadRules } = await import('./redflags/rules.js');
  const a = await screenerSource(local)(o, (s) => assessProfile(profile, s, loadRules(DATA_DIR)));
  if (o.json) return printJson(a);
  print(`suggested risk: ${a.suggestedRisk.toUpperCase()}`);
  for (const r of a.reasons) print(`  - ${r}`);
  for (const f of a.flags) {
    print(`[${f.severity}] ${f.title}`);
    print(`    ${f.explanation}`);
    print(`    source: ${f.citation}`);
  }
}

function registerScreen(program: Command, local: ScreeningCliOptions): void {
  program
    .command('screen [name]')
    .description('screen a party (or --file parties.csv) against the restricted-party lists (CSL + OFAC SDN)')
    .option('--country <cc>', 'country of the party (ISO 3166 alpha-2 or name): supporting or penalising evidence')
    .option('--address <text>', 'address of the party: supporting evidence')
    .option('--file <csv>', 'screen every row of a CSV with columns name[, country, address]')
    .option('--out <csv>', 'with --file: write results to this CSV (one row per party, in input order)')
    .option('--lists <files...>', 'screen against these list files instead of the active lists')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON (with --file: an array in input order)')
    .action((name: string | undefined, o: ScreenOptions) => screenCommand(local, name, o))
    .command('changes')
    .description('alerts raised for known parties by list updates since a date (re-screening)')
    .requiredOption('--since <date>', 'YYYY-MM-DD (UTC)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (o: { since: string; dataDir: string; json?: boolean }) =>
      (await import('./rescreen/cli.js')).changesCommand((fn) => withDb(local, o.dataDir, fn), o),
    );
}

function registerLists(program: Command, local: ScreeningCliOptions): void {
  const lists = program
    .command('lists')
    .description('restricted-party list versions (CSL CSV/JSON, OFAC sdn.csv + alt.csv)');
  lists
    .command('update <files...>')
    .description(
      'load a newer copy of the lists (all files of one set, e.g. csl.csv or sdn.csv alt.csv) ' +
        'and report what changed',
    )
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((files: string[], o: { dataDir: string; json?: boolean }) => listsUpdateCommand(local, files, o));
  lists
    .command('show')
    .description('the active list set and past updates')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((o: { dataDir: string; json?: boolean }) => listsShowCommand(local, o));
}

export function registerScreeningCommands(program: Command, local: ScreeningCliOptions = {}): void {
  registerScreen(program, local);
  registerLists(program, local);
  program
    .command('redflags <profile>')
    .description(
      'evaluate the red-flag rules (with citations) and screen every party of a customer/order ' + 'profile (JSON)',
    )
    .option('--lists <files...>', 'screen against these list files instead of the active lists')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((file: string, o: RedflagsOptions) => redflagsCommand(local, file, o));
  registerCaseCommands(program, local, screenerSource(local));
}
