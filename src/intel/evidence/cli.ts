// `chipwatch intel import FILE --kind case|listing|sighting` (and --format ftm, handed to the FtM importer),
// `intel evidence list|show` and `intel alerts [show|ack|scan]`, on the local database (PGlite in --data-dir,
// or DATABASE_URL). Every one of them loads the evidence seed the first time it opens a database.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../cli/errors.js';
import { nonNegativeInt, positiveInt, print, printJson } from '../../cli/io.js';
import type { IntelSettings } from '../settings.js';
import { ALERT_KINDS, type AlertKind } from '../sightings/rules.js';
import type { Alert } from '../sightings/store.js';
import { formatPeriod } from './dates.js';
import { CATEGORIES, CASE_KINDS, type Category, type EvidenceKind, type StoredEvidence } from './model.js';
import type { EvidenceRejectedError } from './problems.js';
import { withIntelDb } from './open.js';

const DATA_DIR_HELP = 'data directory for the embedded database';
const KINDS: readonly string[] = [...CASE_KINDS, 'listing', 'sighting'];

interface ImportOpts {
  kind?: string;
  format?: string;
  dataDir: string;
  json?: boolean;
}

async function importAction(settings: IntelSettings, file: string, o: ImportOpts): Promise<void> {
  if (o.format === 'ftm') {
    if (o.kind) throw new UsageError('--kind is for evidence files, not --format ftm');
    const { importFtmFile } = await import('../ftm/import.js');
    const r = await withIntelDb(settings, o.dataDir, (db) => importFtmFile(db, file, new Date()));
    if (o.json) return printJson(r);
    return print(`imported ${r.entities} entities and ${r.links} links`);
  }
  if (o.format !== undefined && o.format !== 'csv' && o.format !== 'json')
    throw new UsageError('--format must be csv, json or ftm');
  if (!o.kind || !(CATEGORIES as readonly string[]).includes(o.kind))
    throw new UsageError('--kind must be case, listing or sighting (or give --format ftm)');
  const bytes = readFileSync(file);
  const { importEvidenceFile } = await import('./import.js');
  const { EvidenceRejectedError } = await import('./problems.js');
  try {
    const r = await withIntelDb(settings, o.dataDir, (db) =>
      importEvidenceFile(db, bytes, file, o.kind as Category, new Date(), o.format as 'csv' | 'json' | undefined),
    );
    if (o.json) return printJson(r);
    const n = r.inserted.length;
    print(`${n} ${o.kind} item${n === 1 ? '' : 's'} stored, ${r.unchanged.length} already stored unchanged`);
    if (r.alerts.length)
      print(`${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'} raised: ${r.alerts.join(', ')}`);
  } catch (e) {
    if (e instanceof EvidenceRejectedError) printRejection(e, o.json);
    throw e;
  }
}

/** Every problem (row, column, reason): to stdout as JSON with --json, else to stderr, before the summary line. */
function printRejection(e: EvidenceRejectedError, json?: boolean): void {
  if (json) {
    printJson({ rejected: true, totalProblems: e.totalProblems, errors: e.problems });
    return;
  }
  for (const p of e.problems) {
    const where = [p.row ? `row ${p.row}` : '', p.column].filter(Boolean).join(', ');
    process.stderr.write(`  ${where ? `${where}: ` : ''}${p.reason}\n`);
  }
}

interface ListOpts {
  category?: string;
  kind?: string;
  country?: string;
  from?: string;
  to?: string;
  limit: number;
  offset: number;
  dataDir: string;
  json?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

async function listAction(settings: IntelSettings, o: ListOpts): Promise<void> {
  if (o.category && !(CATEGORIES as readonly string[]).includes(o.category))
    throw new UsageError('--category must be case, listing or sighting');
  if (o.kind && !KINDS.includes(o.kind)) throw new UsageError(`--kind must be one of ${KINDS.join(', ')}`);
  if (o.country && !/^[A-Za-z]{2}$/.test(o.country)) throw new UsageError('--country must be an ISO alpha-2 code');
  for (const [flag, v] of [
    ['--from', o.from],
    ['--to', o.to],
  ] as const)
    if (v !== undefined && !DAY.test(v)) throw new UsageError(`${flag} must be a date YYYY-MM-DD`);
  const { listEvidence } = await import('./store.js');
  const items = await withIntelDb(settings, o.dataDir, (db) =>
    listEvidence(db, {
      category: o.category as Category | undefined,
      kind: o.kind as EvidenceKind | undefined,
      country: o.country?.toUpperCase(),
      from: o.from,
      to: o.to,
      limit: o.limit,
      offset: o.offset,
    }),
  );
  if (o.json) return printJson(items);
  for (const e of items) print(evidenceLine(e));
  print(`${items.length} item${items.length === 1 ? '' : 's'}`);
}

function evidenceLine(e: StoredEvidence): string {
  const qty = e.gpus !== null ? `  ${e.gpus} GPUs${e.h100e !== null ? ` (${e.h100e} H100e)` : ''}` : '';
  const where = e.country ? `  ${e.place ? `${e.place}, ` : ''}${e.country}` : '';
  const src = `${e.source.publisher ? `${e.source.publisher}: ` : ''}${e.source.title}`;
  const url = e.source.url ? ` <${e.source.url}>` : '';
  const head = `${e.id}  ${formatPeriod(e.date, e.datePrecision)}  ${e.kind}${where}${qty}`;
  return `${head}\n    ${e.title}\n    source: ${src}${url}`;
}

async function showAction(settings: IntelSettings, id: string, o: { dataDir: string; json?: boolean }) {
  const { getEvidence } = await import('./store.js');
  const e = await withIntelDb(settings, o.dataDir, (db) => getEvidence(db, id));
  if (o.json) return printJson(e);
  print(evidenceLine(e));
  const rows: [string, string | null][] = [
    ['jurisdiction', e.jurisdiction.join(';') || null],
    ['route', [e.route.from, e.route.via, e.route.to].map((r) => r.join(';') || '-').join(' -> ')],
    ['chip model', e.chipModel],
    ['quantity', e.quantity === null ? null : `${e.quantity} ${e.quantityUnit}`],
    ['value (USD)', e.valueUsd === null ? null : String(e.valueUsd)],
    ['serials', e.serials.join(', ') || null],
    ['parties', e.entities.map((x) => `${x.name} (${x.role}, ${x.entityId})`).join('; ') || null],
    ['outcome', e.outcome],
    ['confidence', e.confidence],
    ['source date', e.source.date],
    ['report section', e.reportSection],
  ];
  for (const [k, v] of rows) if (v) print(`  ${k.padEnd(15)}${v}`);
  for (const [k, v] of Object.entries(e.attributes)) print(`  ${k.padEnd(15)}${v}`);
}

interface AlertOpts {
  serial?: string;
  kind?: string;
  open?: boolean;
  limit: number;
  offset: number;
  dataDir: string;
  json?: boolean;
}

async function alertsAction(settings: IntelSettings, o: AlertOpts): Promise<void> {
  if (o.kind && !(ALERT_KINDS as readonly string[]).includes(o.kind))
    throw new UsageError(`--kind must be one of ${ALERT_KINDS.join(', ')}`);
  const { listAlerts } = await import('../sightings/store.js');
  const alerts = await withIntelDb(settings, o.dataDir, (db) =>
    listAlerts(db, {
      serial: o.serial,
      kind: o.kind as AlertKind | undefined,
      open: o.open,
      limit: o.limit,
      offset: o.offset,
    }),
  );
  if (o.json) return printJson(alerts);
  if (alerts.length === 0) return print('no alerts');
  const table = alerts.map((a) => [
    a.id,
    a.raisedAt.slice(0, 10),
    a.kind,
    a.serial,
    a.registry.filingId === null ? '-' : String(a.registry.filingId),
    a.registry.country ?? '-',
    a.evidence.map((e) => `${e.id} (${e.country ?? '?'})`).join(', '),
    a.acknowledgements.length ? 'acknowledged' : 'open',
  ]);
  const head = ['ID', 'RAISED', 'KIND', 'SERIAL', 'FILING', 'DECLARED', 'EVIDENCE', 'STATE'];
  const widths = head.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  for (const r of [head, ...table])
    print(
      r
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    );
}

function alertDetail(a: Alert, history: unknown): void {
  print(`${a.id}  ${a.kind}  serial ${a.serial}  raised ${a.raisedAt}`);
  print(`  ${a.reason}`);
  const r = a.registry;
  if (r.filed)
    print(
      `  registry: filing ${r.filingId}, exporter ${r.exporter}, owner ${r.owner}, site ${r.site ?? '-'} (${
        r.country ?? '-'
      }), status ${r.status}, last verdict ${r.lastVerdict ?? 'none'}`,
    );
  for (const e of a.evidence) {
    const url = e.source.url ? ` <${e.source.url}>` : '';
    print(`  evidence ${e.id} (${e.kind}, ${e.date}): ${e.title}; source: ${e.source.title}${url}`);
  }
  const steps =
    (
      history as {
        history?: {
          begin: string;
          filingId: number;
          toOwner: { name: string };
          toLocation: { country: string } | null;
        }[];
      } | null
    )?.history ?? [];
  for (const s of steps)
    print(`  history ${s.begin}: filing ${s.filingId}, owner ${s.toOwner.name}, ${s.toLocation?.country ?? 'no site'}`);
  for (const k of a.acknowledgements) print(`  acknowledged ${k.at} by ${k.by}: ${k.note}`);
}

async function alertShowAction(settings: IntelSettings, id: string, o: { dataDir: string; json?: boolean }) {
  const { getAlert } = await import('../sightings/store.js');
  const { historyOrNull } = await import('../sightings/registry.js');
  const { alert, history } = await withIntelDb(settings, o.dataDir, async (db) => {
    const alert = await getAlert(db, id);
    return { alert, history: await historyOrNull(db, alert.serial) };
  });
  if (o.json) return printJson({ ...alert, history });
  alertDetail(alert, history);
}

async function alertAckAction(
  settings: IntelSettings,
  id: string,
  o: { note: string; dataDir: string; json?: boolean },
) {
  if (!o.note.trim() || o.note.length > 2000) throw new UsageError('--note must say why, in 1-2000 characters');
  const { acknowledgeAlert } = await import('../sightings/store.js');
  const a = await withIntelDb(settings, o.dataDir, (db) => acknowledgeAlert(db, id, 'cli', o.note.trim(), new Date()));
  if (o.json) return printJson(a);
  print(
    `acknowledged ${a.id} (${a.acknowledgements.length} acknowledgement${a.acknowledgements.length === 1 ? '' : 's'})`,
  );
}

async function alertScanAction(settings: IntelSettings, o: { dataDir: string; json?: boolean }) {
  const { rescanSerialEvidence } = await import('./rescan.js');
  const raised = await withIntelDb(settings, o.dataDir, (db) => rescanSerialEvidence(db, new Date()));
  if (o.json) return printJson({ raised });
  print(
    `${raised.length} alert${raised.length === 1 ? '' : 's'} raised${raised.length ? `: ${raised.join(', ')}` : ''}`,
  );
}

export function registerEvidenceCommands(intel: Command, settings: IntelSettings): void {
  intel
    .command('import <file>')
    .description('import evidence (CSV or JSON, all or nothing) or FollowTheMoney JSON lines (--format ftm)')
    .option('--kind <kind>', 'case, listing or sighting')
    .option('--format <format>', 'csv, json (default: from the name or the first bytes) or ftm')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON: {category, inserted, unchanged, alerts}, or every problem when rejected')
    .action((file: string, o: ImportOpts) => importAction(settings, file, o));

  const evidence = intel.command('evidence').description('read the evidence base: cases, listings, sightings');
  evidence
    .command('list')
    .description('evidence items by date, with their sources')
    .option('--category <category>', 'case, listing or sighting')
    .option('--kind <kind>', `one of ${KINDS.join(', ')}`)
    .option('--country <cc>', 'seen in, or routed from, via or to, this country')
    .option('--from <date>', 'dated on or after this day (YYYY-MM-DD)')
    .option('--to <date>', 'dated before this day (YYYY-MM-DD)')
    .option('--limit <n>', 'at most this many', positiveInt('--limit', 10_000), 1000)
    .option('--offset <n>', 'skip this many', nonNegativeInt('--offset'), 0)
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((o: ListOpts) => listAction(settings, o));
  evidence
    .command('show <id>')
    .description('one evidence item with its parties, serials and source')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((id: string, o: { dataDir: string; json?: boolean }) => showAction(settings, id, o));

  const alerts = intel
    .command('alerts')
    .description('serials seen where the registry says they should not be (newest first)')
    .option('--serial <serial>', 'only this serial')
    .option('--kind <kind>', `one of ${ALERT_KINDS.join(', ')}`)
    .option('--open', 'only alerts nobody has acknowledged')
    .option('--limit <n>', 'at most this many', positiveInt('--limit', 10_000), 1000)
    .option('--offset <n>', 'skip this many', nonNegativeInt('--offset'), 0)
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON: [{id, kind, serial, entity, reason, evidence, registry, raisedAt, ...}]')
    .action((o: AlertOpts) => alertsAction(settings, o));
  alerts
    .command('show <id>')
    .description("one alert with its evidence and the chip's registry history")
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((id: string, o: { dataDir: string; json?: boolean }) => alertShowAction(settings, id, o));
  alerts
    .command('ack <id>')
    .description('acknowledge an alert (appended; the alert stays as raised)')
    .requiredOption('--note <text>', 'why: what was done or found')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((id: string, o: { note: string; dataDir: string; json?: boolean }) => alertAckAction(settings, id, o));
  alerts
    .command('scan')
    .description('judge every stored serial again against the registry (after later filings)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON: {raised}')
    .action((o: { dataDir: string; json?: boolean }) => alertScanAction(settings, o));
}
