// `chipwatch registry ...`: file, query and audit the notification registry on the local database
// (PGlite in --data-dir, or DATABASE_URL). Run locally, the CLI acts as an administrator.
import type { Command } from 'commander';
import { createReadStream, createWriteStream, writeFileSync } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import type { Db } from '../db/index.js';
import { UsageError } from '../cli/errors.js';
import { print, printJson } from '../cli/io.js';
import { isCalendarDate } from '../calendar.js';

const DATA_DIR_HELP = 'data directory for the embedded database';

async function withDb<T>(dataDir: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const { openDb } = await import('../db/index.js');
  const config = loadConfig(process.env, { dataDir });
  const db = await openDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, 'pgdata') });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

function checkDate(v: string | undefined, flag: string): void {
  if (v !== undefined && !isCalendarDate(v)) throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD`);
}

export function registerRegistryCommands(program: Command): void {
  const reg = program.command('registry').description('notification registry (draft EAR § 743.7): file transfers, chip histories, obligations, flags');

  reg.command('import <file>')
    .description('file a filled-in template (CSV or XLSX) for an organisation; all or nothing; the same file twice is one filing')
    .requiredOption('--as <org>', 'the filing organisation (the owner before the transfers); created on first use')
    .option('--format <format>', 'csv or xlsx (default: from the file\'s first bytes)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (file: string, opts: { as: string; format?: string; dataDir: string; json?: boolean }) => {
      if (opts.format && opts.format !== 'csv' && opts.format !== 'xlsx') throw new UsageError('--format must be csv or xlsx');
      if (!opts.as.trim()) throw new UsageError('--as must name an organisation');
      const { sniffFormat } = await import('./parse.js');
      const fh = await openFile(file, 'r');
      const head = Buffer.alloc(4);
      await fh.read(head, 0, 4, 0);
      await fh.close();
      const format = (opts.format as 'csv' | 'xlsx' | undefined) ?? sniffFormat(head);
      const { fileSpreadsheet } = await import('./service.js');
      const { tlogAppender } = await import('./log.js');
      const { FilingRejectedError } = await import('./problems.js');
      await withDb(opts.dataDir, async (db) => {
        try {
          const res = await fileSpreadsheet(db, createReadStream(file), format, { filer: { name: opts.as }, receivedAt: new Date(), log: tlogAppender() });
          if (opts.json) printJson(res);
          else print(`${res.duplicate ? 'already filed as' : 'filed'} filing ${res.filingId}: ${res.items} items, log leaves ${res.firstLeafIndex}..${res.firstLeafIndex + res.items - 1} (tree size ${res.treeSize}), ${res.flags} custody flag${res.flags === 1 ? '' : 's'}`);
        } catch (e) {
          // Every problem goes to stderr (row, column, reason); the one-line summary comes from the error.
          if (e instanceof FilingRejectedError && !opts.json) for (const p of e.problems) process.stderr.write(`  row ${p.row}${p.column ? `, ${p.column}` : ''}: ${p.reason}\n`);
          if (e instanceof FilingRejectedError && opts.json) printJson({ rejected: true, totalProblems: e.totalProblems, errors: e.problems });
          throw e;
        }
      });
    });

  reg.command('history <serial>')
    .description("a chip's ownership and location timeline, each step with its filing")
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON: {serial, product, eccn, status, currentOwner, currentLocation, history}')
    .action(async (serial: string, opts: { dataDir: string; json?: boolean }) => {
      const { chipHistory } = await import('./history.js');
      const h = await withDb(opts.dataDir, (db) => chipHistory(db, serial));
      if (opts.json) return printJson(h);
      print(`${h.serial}  ${h.product}  ECCN ${h.eccn}  ${h.status}`);
      print(`owner:    ${h.currentOwner ? `${h.currentOwner.name} (${h.currentOwner.country ?? '?'})` : '-'}`);
      print(`location: ${h.currentLocation ? `${h.currentLocation.address} (${h.currentLocation.country}), operated by ${h.currentLocation.operator}` : '-'}`);
      for (const s of h.history) {
        const what = [s.ownershipChange ? `owner ${s.fromOwner.name} -> ${s.toOwner.name}` : '', s.locationChange ? `location -> ${s.toLocation?.address} (${s.toLocation?.country})` : ''].filter(Boolean).join('; ') || s.status;
        print(`  ${s.begin}..${s.expectedComplete}  filing ${s.filingId} row ${s.row} by ${s.filer}: ${what}${s.flags.length ? `  [${s.flags.join(', ')}]` : ''}`);
      }
    });

  reg.command('obligations')
    .description('§ 743.7 obligations: owners with more than 100 4A090 items moved in a rolling 3-month window involving a foreign party, per month, due date, late filings')
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD; default today, UTC)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { asOf?: string; dataDir: string; json?: boolean }) => {
      checkDate(opts.asOf, '--as-of');
      const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
      const { obligationTransfers } = await import('./listing.js');
      const { computeObligations } = await import('./obligations.js');
      const list = computeObligations(await withDb(opts.dataDir, obligationTransfers), asOf);
      if (opts.json) return printJson({ asOf, obligations: list });
      if (!list.length) return print(`no reportable transfers as of ${asOf}`);
      for (const o of list) print(`${o.ownerName}  ${o.month}: ${o.items} items due ${o.due}  ${o.status}${o.filedLate ? ` (${o.filedLate} filed late)` : ''}  window peak ${o.windowPeak}`);
    });

  reg.command('flags')
    .description('custody flags: non-owner transfers, one serial in two places, lost chips reappearing, moves with no ownership record')
    .option('--kind <kind>', 'only this kind')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { kind?: string; dataDir: string; json?: boolean }) => {
      const { listFlags } = await import('./listing.js');
      const flags = await withDb(opts.dataDir, (db) => listFlags(db, { kind: opts.kind, limit: 100_000, offset: 0 }));
      if (opts.json) return printJson({ flags });
      if (!flags.length) return print('no custody flags');
      for (const f of flags) print(`${f.kind}  ${f.serial}  filing ${f.filingId} row ${f.row} (${f.filer}): ${f.detail}`);
    });

  reg.command('check')
    .description('check that the registry tables agree with each other and with the transparency log (exit 1 if not)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action(async (opts: { dataDir: string; json?: boolean }) => {
      const { registryIntegrity } = await import('./integrity.js');
      const { ValidationError } = await import('../errors.js');
      const r = await withDb(opts.dataDir, registryIntegrity);
      if (opts.json) printJson(r);
      else print(`${r.filings} filings, ${r.items} items, log size ${r.logSize}: ${r.ok ? 'consistent' : r.problems.join('; ')}`);
      if (!r.ok) throw new ValidationError(`registry and log disagree: ${r.problems.join('; ')}`);
    });

  reg.command('template')
    .description('write the filing template (CSV by default)')
    .option('--xlsx', 'write XLSX (an items sheet and an instructions sheet)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(async (opts: { xlsx?: boolean; output?: string }) => {
      const { templateCsv, writeTemplateXlsx } = await import('./template.js');
      if (!opts.xlsx) {
        if (opts.output) writeFileSync(opts.output, templateCsv());
        else process.stdout.write(templateCsv());
        return;
      }
      if (!opts.output && process.stdout.isTTY) throw new UsageError('XLSX is binary: give -o FILE or redirect stdout');
      if (opts.output) return writeTemplateXlsx(createWriteStream(opts.output));
      // stdout never finishes as a stream, so the workbook is assembled in memory (a few KB) first.
      const { PassThrough } = await import('node:stream');
      const chunks: Buffer[] = [];
      const sink = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
      await writeTemplateXlsx(sink);
      process.stdout.write(Buffer.concat(chunks));
    });

  reg.command('export')
    .description('transfers of the filings received in a period, as CSV')
    .option('--from <date>', 'first day (YYYY-MM-DD)')
    .option('--to <date>', 'last day (YYYY-MM-DD)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action(async (opts: { from?: string; to?: string; output?: string; dataDir: string }) => {
      checkDate(opts.from, '--from');
      checkDate(opts.to, '--to');
      const { exportCsv } = await import('./listing.js');
      const csv = await withDb(opts.dataDir, (db) => exportCsv(db, undefined, { from: opts.from, to: opts.to }));
      if (opts.output) writeFileSync(opts.output, csv);
      else process.stdout.write(csv);
    });

  reg.command('locations')
    .description('declared locations as GeoJSON')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action(async (opts: { output?: string; dataDir: string }) => {
      const { locationsGeoJson } = await import('./listing.js');
      const fc = await withDb(opts.dataDir, locationsGeoJson);
      if (opts.output) writeFileSync(opts.output, JSON.stringify(fc) + '\n');
      else printJson(fc);
    });
}
