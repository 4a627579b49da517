// `chipwatch screen | lists | redflags | cases`: restricted-party screening and the diligence workflow
// from the shell. Screening needs no database unless lists were updated (then it uses the newest
// version in the configured database); lists and cases live in the database.
import type { Command } from 'commander';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { UsageError } from '../cli/errors.js';
import { print, printJson } from '../cli/io.js';
import { DATA_DIR } from '../paths.js';
import type { Screener, ScreenResult } from './match/screen.js';
import { registerCaseCommands } from './cli-cases.js';
import { cliActor, DATA_DIR_HELP, withDb } from './cli-common.js';

/** The screener: explicit list files, else the database's newest version if a database exists, else the shipped snapshot. */
async function withScreener<T>(opts: { dataDir: string; lists?: string[] }, fn: (s: Screener) => Promise<T> | T): Promise<T> {
  const { ScreeningService } = await import('./service.js');
  const config = loadConfig(process.env, { dataDir: opts.dataDir });
  const cacheDir = join(config.dataDir, 'cache');
  if (opts.lists?.length) {
    const { loadListFiles, readListFiles } = await import('./lists/load.js');
    const { buildIndex } = await import('./match/index-build.js');
    const { Screener } = await import('./match/screen.js');
    return fn(new Screener(buildIndex(loadListFiles(readListFiles(opts.lists)).entries)));
  }
  if (config.databaseUrl || existsSync(join(config.dataDir, 'pgdata'))) {
    return withDb(opts.dataDir, async (db) => fn(await new ScreeningService(db, { dataDir: DATA_DIR, cacheDir }).screener()));
  }
  return fn(await new ScreeningService(null, { dataDir: DATA_DIR, cacheDir }).screener());
}

function printResult(r: ScreenResult): void {
  print(`${r.decision.toUpperCase()}  ${r.query.name}${r.query.country ? ` (${r.query.country})` : ''}`);
  for (const m of r.matches) {
    print(`  ${m.score.toFixed(3)}  ${m.list.padEnd(5)} ${m.name}  [${m.entryId}]`);
    print(`         ${m.explanation}`);
  }
}

/** Writes via a temporary file and a rename: a failed run leaves no partial output. */
function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export function registerScreeningCommands(program: Command): void {
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
    .action(async (name: string | undefined, opts: { country?: string; address?: string; file?: string; out?: string; lists?: string[]; dataDir: string; json?: boolean }) => {
      if (!name && !opts.file) throw new UsageError('give a NAME or --file parties.csv');
      if (name && opts.file) throw new UsageError('give either a NAME or --file, not both');
      if (opts.out && !opts.file) throw new UsageError('--out needs --file');
      if (opts.file && (opts.country || opts.address)) throw new UsageError('--country and --address apply to one NAME; put them in the file\'s columns');
      if (!opts.file) {
        const r = await withScreener(opts, (s) => s.screen({ name: name!, country: opts.country, address: opts.address }));
        if (opts.json) printJson(r);
        else printResult(r);
        return;
      }
      const { parsePartiesCsv, resultsCsv, screenAll } = await import('./batch.js');
      const parties = parsePartiesCsv(readFileSync(opts.file, 'utf8'), opts.file);
      const results = await withScreener(opts, async (s) => {
        if (!process.stderr.isTTY) return screenAll(s, parties);
        const { SingleBar, Presets } = await import('cli-progress');
        const bar = new SingleBar({ format: 'screening [{bar}] {value}/{total} parties  {eta}s left', stream: process.stderr, hideCursor: true }, Presets.shades_classic);
        bar.start(parties.length, 0);
        try { return screenAll(s, parties, (n) => bar.update(n)); } finally { bar.stop(); }
      });
      if (opts.out) writeAtomic(opts.out, resultsCsv(results));
      if (opts.json) printJson(results);
      else if (!opts.out) for (const r of results) printResult(r);
      const counts = { clear: 0, review: 0, match: 0 };
      for (const r of results) counts[r.decision]++;
      if (!opts.json) process.stderr.write(`${results.length} parties: ${counts.match} match, ${counts.review} review, ${counts.clear} clear${opts.out ? `; results in ${opts.out}` : ''}\n`);
    });

  const lists = program.command('lists').description('restricted-party list versions (CSL CSV/JSON, OFAC sdn.csv + alt.csv)');
  lists
    .command('update <files...>')
    .description('load a newer copy of the lists (all files of one set, e.g. csl.csv or sdn.csv alt.csv) and report what changed')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (files: string[], opts: { dataDir: string; json?: boolean }) => {
      const { prepareUpdate, updateLists } = await import('./lists/update.js');
      const { readListFiles } = await import('./lists/load.js');
      const input = prepareUpdate(readListFiles(files)); // parsed and validated in full before the database is touched
      const config = loadConfig(process.env, { dataDir: opts.dataDir });
      const report = await withDb(opts.dataDir, (db) => updateLists(db, input, { dataDir: DATA_DIR, cacheDir: join(config.dataDir, 'cache') }, cliActor(), new Date()));
      if (opts.json) { printJson(report); return; }
      print(`list version ${report.versionId}: ${report.entries} entries from ${report.sources.join(', ')}`);
      print(`compared with ${report.comparedWith}: +${report.changes.addedCount} added, -${report.changes.removedCount} removed, ~${report.changes.changedCount} changed`);
      for (const [list, c] of Object.entries(report.changes.byList)) print(`  ${list.padEnd(6)} +${c.added} -${c.removed} ~${c.changed}`);
      for (const e of report.changes.added.slice(0, 10)) print(`  + ${e.list} ${e.name}`);
      for (const e of report.changes.removed.slice(0, 10)) print(`  - ${e.list} ${e.name}`);
      for (const e of report.changes.changed.slice(0, 10)) print(`  ~ ${e.list} ${e.name} (${e.fields.join(', ')})`);
      for (const w of report.warnings) process.stderr.write(`note: ${w}\n`);
    });
  lists
    .command('show')
    .description('the active list set and past updates')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { listVersions } = await import('./lists/store.js');
      const versions = await withDb(opts.dataDir, (db) => listVersions(db));
      if (opts.json) { printJson({ active: versions[0]?.id ?? 'shipped', versions }); return; }
      if (!versions.length) print('active: the shipped snapshot (CSL 2022-05, OFAC SDN 2024-05-03 with alt.csv 2025-08)');
      for (const v of versions) print(`${v.id === versions[0].id ? '*' : ' '} version ${v.id}  ${v.loadedAt}  ${v.entryCount} entries  by ${v.loadedBy}  ${v.sources.join(', ')}`);
    });

  program
    .command('redflags <profile>')
    .description('evaluate the red-flag rules (with citations) and screen every party of a customer/order profile (JSON)')
    .option('--lists <files...>', 'screen against these list files instead of the active lists')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { lists?: string[]; dataDir: string; json?: boolean }) => {
      const { readProfile } = await import('./cli-cases.js');
      const profile = await readProfile(file);
      const { assessProfile } = await import('./cases/assess.js');
      const { loadRules } = await import('./redflags/rules.js');
      const a = await withScreener(opts, (s) => assessProfile(profile, s, loadRules(DATA_DIR)));
      if (opts.json) { printJson(a); return; }
      print(`suggested risk: ${a.suggestedRisk.toUpperCase()}`);
      for (const r of a.reasons) print(`  - ${r}`);
      for (const f of a.flags) {
        print(`[${f.severity}] ${f.title}`);
        print(`    ${f.explanation}`);
        print(`    source: ${f.citation}`);
      }
    });

  registerCaseCommands(program, { withScreener });
}
