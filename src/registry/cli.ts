// `chipwatch registry ...`: file, query and audit the notification registry on the local database
// (PGlite in --data-dir, or DATABASE_URL). Run locally, the CLI acts as an administrator.
import type { Command } from 'commander';
import { createWriteStream, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../cli/errors.js';
import { print, printJson } from '../cli/io.js';
import { withDb } from '../cli/db.js';
import { isCalendarDate } from '../calendar.js';
import type { ImportResult } from './import.js';

const DATA_DIR_HELP = 'data directory for the embedded database';

/**
 * What the caller (the program's assembler) read from the environment: DATABASE_URL, DATABASE_READ_URL (the read
 * commands query its replica), CHIPWATCH_LOG_KEK.
 */
export interface LocalRegistryOptions {
  databaseUrl?: string;
  databaseReadUrl?: string;
  logKek?: string;
  /** CHIPWATCH_WITNESSES / CHIPWATCH_WITNESS_QUORUM: the receipt's checkpoint must be cosigned by them. */
  witnesses?: string[];
  witnessQuorum?: number;
}

function checkDate(v: string | undefined, flag: string): void {
  if (v !== undefined && !isCalendarDate(v)) throw new UsageError(`${flag} must be a calendar date YYYY-MM-DD`);
}

interface ImportOpts {
  as: string;
  format?: string;
  encoding?: string;
  dataDir: string;
  json?: boolean;
  receipt?: string;
}

/**
 * Files a spreadsheet, then signs a checkpoint covering it: the CLI is the local log operator, so
 * `chipwatch log verify` right after an import checks every entry against a signature. The signer is
 * loaded before filing, so a missing or wrong key-encryption key rejects the import with nothing written.
 */
/**
 * Batches of a streamed import between full garbage collections (each costs tens of ms): 5,000 items apart
 * beside PGlite, whose memory the process shares; 20,000 with a database server (batches of 5,000 there), where
 * fewer collections cost less CPU for more memory, within the 400 MB a 1,000,000-row import may take.
 */
const GC_BATCHES = { pglite: 2, postgres: 4 };

async function importAction(local: LocalRegistryOptions, file: string, opts: ImportOpts): Promise<void> {
  if (opts.format && !['csv', 'xlsx'].includes(opts.format)) throw new UsageError('--format must be csv or xlsx');
  if (!opts.as.trim()) throw new UsageError('--as must name an organisation');
  const { parseEncoding } = await import('../tabular/decode.js');
  const encoding = opts.encoding === undefined ? 'utf8' : parseEncoding(opts.encoding);
  if (!encoding) throw new UsageError('--encoding must be utf8 or latin1');
  const { openFilingFile } = await import('./intake.js');
  const { drain } = await import('./batch.js');
  const format = opts.format as 'csv' | 'xlsx' | undefined;
  const tightMemory = !local.databaseUrl;
  const stream = await openFilingFile(file, { encoding, format, onThread: true, tightMemory });
  const { fileStream } = await import('./service.js');
  const { tlogAppender } = await import('./log.js');
  const { FilingRejectedError } = await import('./problems.js');
  if (!stream.problems.empty) {
    // Refused before the database is opened: a file whose first rows are wrong leaves no trace, not even a new
    // data directory. The rest of it is still read, so every problem is reported.
    await drain(stream.batches);
    const rejection = new FilingRejectedError(stream.problems);
    printRejection(rejection, opts.json);
    throw rejection;
  }
  const { signerFrom, receiptProof, witnessPolicy } = await import('../tlog/index.js');
  const policy = witnessPolicy(local.witnesses ?? [], local.witnessQuorum);
  const { collectGarbage } = await import('../cli/heap.js');
  await withDb(local, opts.dataDir, async (db) => {
    let res: ImportResult;
    let proof: import('../tlog/index.js').ReceiptProof;
    try {
      const signer = await signerFrom(db, { dataDir: resolve(opts.dataDir), logKek: local.logKek })();
      // A full collection after every GC_BATCHES batches: V8 would otherwise let a million rows' garbage pile up.
      let batches = 0;
      const every = GC_BATCHES[db.kind];
      const onStage = (stage: string) => stage === 'transfers+flags' && ++batches % every === 0 && collectGarbage();
      res = await fileStream(db, stream, {
        filer: { name: opts.as },
        receivedAt: new Date(),
        log: tlogAppender(),
        onStage,
      });
      // The receipt's proof bundle: signs (and with witnesses, publishes) a checkpoint covering the filing.
      const end = res.firstLeafIndex + res.items;
      proof = await receiptProof(db, res.firstLeafIndex, end, { now: new Date(), signer: async () => signer, policy });
    } catch (e) {
      if (e instanceof FilingRejectedError) printRejection(e, opts.json);
      throw e;
    }
    if (opts.receipt) writeFileSync(opts.receipt, `${JSON.stringify({ ...res, proof }, null, 1)}\n`);
    if (proof.status === 'pending') process.stderr.write(`chipwatch: note: ${proof.reason}; later: ${proof.command}\n`);
    if (opts.json) return printJson({ ...res, proof });
    const last = res.firstLeafIndex + res.items - 1;
    const leaves = `log leaves ${res.firstLeafIndex}..${last} (tree size ${res.treeSize})`;
    const flags = `${res.flags} custody flag${res.flags === 1 ? '' : 's'}`;
    const what = res.duplicate ? 'already filed as' : 'filed';
    print(`${what} filing ${res.filingId}: ${res.items} items, ${leaves}, ${flags}`);
    if (proof.status !== 'pending') {
      const b = proof.bundle;
      const by = b.cosigners.length ? `, cosigned by ${b.cosigners.join(', ')}` : '';
      const saved = opts.receipt ? `receipt with proofs in ${opts.receipt}` : 'save it with --receipt FILE';
      const what = proof.status === 'complete' ? saved : `too many items for a receipt: ${proof.command}`;
      print(`proofs: checkpoint at tree size ${b.treeSize}${by}; ${what}`);
    }
  });
}

/** Every problem goes to stderr (row, column, reason); the one-line summary comes from the error itself. */
function printRejection(e: import('./problems.js').FilingRejectedError, json?: boolean): void {
  if (json) {
    printJson({ rejected: true, totalProblems: e.totalProblems, errors: e.problems });
    return;
  }
  for (const p of e.problems) {
    const where = [p.row ? `row ${p.row}` : '', p.column].filter(Boolean).join(', ');
    process.stderr.write(`  ${where ? `${where}: ` : ''}${p.reason}\n`);
  }
}

async function historyAction(local: LocalRegistryOptions, serial: string, opts: { dataDir: string; json?: boolean }) {
  const { chipHistory } = await import('./history.js');
  const h = await withDb(local, opts.dataDir, (db) => chipHistory(db.reader, serial));
  if (opts.json) return printJson(h);
  const owner = h.currentOwner ? `${h.currentOwner.name} (${h.currentOwner.country ?? '?'})` : '-';
  const loc = h.currentLocation;
  print(`${h.serial}  ${h.product}  ECCN ${h.eccn}  ${h.status}`);
  print(`owner:    ${owner}`);
  print(`location: ${loc ? `${loc.address} (${loc.country}), operated by ${loc.operator}` : '-'}`);
  for (const s of h.history) {
    const what =
      [
        s.ownershipChange ? `owner ${s.fromOwner.name} -> ${s.toOwner.name}` : '',
        s.locationChange ? `location -> ${s.toLocation?.address} (${s.toLocation?.country})` : '',
      ]
        .filter(Boolean)
        .join('; ') || s.status;
    const flags = s.flags.length ? `  [${s.flags.join(', ')}]` : '';
    print(`  ${s.begin}..${s.expectedComplete}  filing ${s.filingId} row ${s.row} by ${s.filer}: ${what}${flags}`);
  }
}

type DirOpts = { dataDir: string; json?: boolean };

async function obligationsAction(local: LocalRegistryOptions, opts: DirOpts & { asOf?: string }) {
  checkDate(opts.asOf, '--as-of');
  const asOf = opts.asOf ?? new Date().toISOString().slice(0, 10);
  const { readObligations } = await import('./obligation-counts.js');
  const list = await withDb(local, opts.dataDir, (db) => readObligations(db.reader, asOf));
  if (opts.json) return printJson({ asOf, obligations: list });
  if (!list.length) return print(`no reportable transfers as of ${asOf}`);
  for (const o of list) {
    const late = o.filedLate ? ` (${o.filedLate} filed late)` : '';
    print(`${o.ownerName}  ${o.month}: ${o.items} items due ${o.due}  ${o.status}${late}  window peak ${o.windowPeak}`);
  }
}

async function flagsAction(local: LocalRegistryOptions, opts: { kind?: string; dataDir: string; json?: boolean }) {
  const { listFlags } = await import('./listing.js');
  const page = { kind: opts.kind, limit: 100_000, offset: 0 };
  const flags = await withDb(local, opts.dataDir, (db) => listFlags(db.reader, page));
  if (opts.json) return printJson({ flags });
  if (!flags.length) return print('no custody flags');
  for (const f of flags) print(`${f.kind}  ${f.serial}  filing ${f.filingId} row ${f.row} (${f.filer}): ${f.detail}`);
}

async function checkAction(local: LocalRegistryOptions, opts: { dataDir: string; json?: boolean }) {
  const { registryIntegrity } = await import('./integrity.js');
  const { ValidationError } = await import('../errors.js');
  const r = await withDb(local, opts.dataDir, async (db) => {
    // After a crash or a rolled-back streamed filing the planner's statistics may not know the tables' rows
    // (autovacuum lags) and PostgreSQL may plan the check's joins as if they were empty; the check reads every
    // row anyway, so fresh statistics cost little beside it.
    await db.exec('analyze registry_chips, registry_transfers, registry_flags, tlog_entries');
    return registryIntegrity(db);
  });
  if (opts.json) printJson(r);
  const verdict = r.ok ? 'consistent' : r.problems.join('; ');
  if (!opts.json) print(`${r.filings} filings, ${r.items} items, log size ${r.logSize}: ${verdict}`);
  if (!r.ok) throw new ValidationError(`registry and log disagree: ${r.problems.join('; ')}`);
}

async function templateAction(opts: { xlsx?: boolean; output?: string }) {
  const { templateCsv } = await import('./template.js');
  const { writeTemplateXlsx } = await import('./template-xlsx.js');
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
}

type ExportOpts = { from?: string; to?: string; output?: string; dataDir: string };

async function exportAction(local: LocalRegistryOptions, opts: ExportOpts) {
  checkDate(opts.from, '--from');
  checkDate(opts.to, '--to');
  const { exportCsvParts } = await import('./listing.js');
  const { Readable } = await import('node:stream');
  const { pipeline } = await import('node:stream/promises');
  // Streamed page by page: the first rows go out at once and memory stays constant at any registry size.
  await withDb(local, opts.dataDir, (db) =>
    pipeline(
      Readable.from(exportCsvParts(db.reader, undefined, { from: opts.from, to: opts.to })),
      opts.output ? createWriteStream(opts.output) : process.stdout,
    ),
  );
}

async function locationsAction(local: LocalRegistryOptions, opts: { output?: string; dataDir: string }) {
  const { locationsGeoJson } = await import('./listing.js');
  const fc = await withDb(local, opts.dataDir, (db) => locationsGeoJson(db.reader));
  if (opts.output) writeFileSync(opts.output, JSON.stringify(fc) + '\n');
  else printJson(fc);
}

export function registerRegistryCommands(program: Command, local: LocalRegistryOptions = {}): void {
  const reg = program
    .command('registry')
    .description('notification registry (draft EAR § 743.7): file transfers, chip histories, obligations, flags');

  reg
    .command('import <file>')
    .description(
      'file a filled-in template (CSV or XLSX, judged by content) for an organisation; all or nothing; ' +
        'the same file twice is one filing; signs a log checkpoint covering it',
    )
    .requiredOption('--as <org>', 'the filing organisation (the owner before the transfers); created on first use')
    .option('--format <format>', "csv or xlsx: must agree with the file's content (default: from its first bytes)")
    .option('--encoding <encoding>', 'text encoding of a CSV: utf8 (default; a BOM is fine) or latin1')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .option('--receipt <file>', "write the receipt with its items' offline proof bundle (chipwatch log verify-proof)")
    .action((file: string, opts: ImportOpts) => importAction(local, file, opts));

  reg
    .command('history <serial>')
    .description("a chip's ownership and location timeline, each step with its filing")
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON: {serial, product, eccn, status, currentOwner, currentLocation, history}')
    .action((serial: string, opts: { dataDir: string; json?: boolean }) => historyAction(local, serial, opts));

  reg
    .command('obligations')
    .description(
      '§ 743.7 obligations: owners with more than 100 4A090 items moved in a rolling 3-month window ' +
        'involving a foreign party, per month, due date, late filings',
    )
    .option('--as-of <date>', 'evaluate as of this day (YYYY-MM-DD; default today, UTC)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((opts: { asOf?: string; dataDir: string; json?: boolean }) => obligationsAction(local, opts));

  reg
    .command('flags')
    .description(
      'custody flags: non-owner transfers, one serial in two places, lost chips reappearing, ' +
        'moves with no ownership record',
    )
    .option('--kind <kind>', 'only this kind')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((opts: { kind?: string; dataDir: string; json?: boolean }) => flagsAction(local, opts));

  reg
    .command('check')
    .description('check that the registry tables agree with each other and with the transparency log (exit 1 if not)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((opts: { dataDir: string; json?: boolean }) => checkAction(local, opts));

  reg
    .command('template')
    .description('write the filing template (CSV by default)')
    .option('--xlsx', 'write XLSX (an items sheet and an instructions sheet)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .action(templateAction);

  reg
    .command('export')
    .description('transfers of the filings received in a period, as CSV')
    .option('--from <date>', 'first day (YYYY-MM-DD)')
    .option('--to <date>', 'last day (YYYY-MM-DD)')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action((opts: ExportOpts) => exportAction(local, opts));

  reg
    .command('locations')
    .description('declared locations as GeoJSON')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action((opts: { output?: string; dataDir: string }) => locationsAction(local, opts));
}
