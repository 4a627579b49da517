// `chipwatch cases ...`: open diligence cases from a profile, record decisions, list what is due.
// Run locally, the CLI acts for the database's owner (all organisations), recorded as cli:<user>;
// with --key-file it acts as that API key (its role, its organisation's cases), as overrides need.
// Each command's work is a named handler; registerCaseCommands only declares flags.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { UserError, ValidationError } from '../errors.js';
import { UsageError } from '../cli/errors.js';
import { nonNegativeInt, positiveInt, print, printJson } from '../cli/io.js';
import { DATA_DIR } from '../paths.js';
import type { Screener } from './match/screen.js';
import type { Profile } from './redflags/profile.js';
import { cliActor, DATA_DIR_HELP, withDb, type ScreeningCliOptions } from './cli-common.js';
import type { CaseRecord, Scope } from './cases/store.js';
import type { Db } from '../db/index.js';
import { MAX_LOOKAHEAD_DAYS, type Actor } from './cases/workflow.js';

const ALL: Scope = { organisationId: null, seeAll: true };

/** Reads and validates a profile JSON file (user input): errors name the field. */
export async function readProfile(file: string): Promise<Profile> {
  // The schema (and zod) loads only when a profile is read, not at every command's start-up.
  const { profileSchema } = await import('./redflags/profile.js');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw e;
    throw new ValidationError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  const r = profileSchema.safeParse(doc);
  if (!r.success) {
    const i = r.error.issues[0];
    throw new ValidationError(`${file}: ${i.message}`, { field: i.path.join('.') });
  }
  return r.data;
}

/** Who acts and on which cases: the local owner, or the API key in --key-file (checked against the database). */
interface Acting {
  actor: Actor;
  scope: Scope;
}

const CASE_ROLES = ['compliance', 'compliance-lead', 'admin'];

async function actingAs(db: Db, keyFile: string | undefined): Promise<Acting> {
  if (!keyFile) return { actor: { name: cliActor() }, scope: ALL };
  const presented = readFileSync(keyFile, 'utf8').trim();
  const { authenticateKey } = await import('../accounts/index.js');
  const p = await authenticateKey(db, presented);
  if (!p) throw new ValidationError(`${keyFile}: not a valid, unrevoked API key of this database`);
  if (!CASE_ROLES.includes(p.role))
    throw new ValidationError(`${keyFile}: a ${p.role} key may not act on cases (${CASE_ROLES.join(', ')} may)`);
  return {
    actor: { name: `key:${p.keyId}/${p.role}`, role: p.role },
    scope: { organisationId: p.organisationId, seeAll: p.role === 'admin' },
  };
}

function show(c: CaseRecord): void {
  const ref = c.subjectRef ? ` (${c.subjectRef})` : '';
  print(`case ${c.id}  ${c.state}${c.risk ? `  risk ${c.risk}` : ''}  ${c.subjectKind} "${c.subjectName}"${ref}`);
  for (const h of c.hits ?? []) {
    const r = h.resolution;
    const status = r ? `${r.how === 'override' ? 'overridden' : 'false positive'} by ${r.by}: "${r.reason}"` : 'OPEN';
    print(`  hit ${h.id} ${h.kind}  ${h.role} "${h.party}"  ${h.detail}  — ${status}`);
  }
  if (c.decision) print(`  decision: ${JSON.stringify(c.decision)}`);
  for (const [k, v] of Object.entries(c.checklist)) print(`  checklist ${k}: ${v.outcome} — ${v.note}`);
  for (const v of c.verifications) {
    const evidence = v.evidence ? ` (${v.evidence.source} ${v.evidence.ref})` : '';
    print(`  verification ${v.kind} due ${v.dueAt.slice(0, 10)}: ${v.status}${evidence}`);
  }
}

export type WithScreener = <T>(
  opts: { dataDir: string; lists?: string[] },
  fn: (s: Screener) => Promise<T> | T,
) => Promise<T>;

function caseId(arg: string): number {
  const id = Number(arg);
  if (!Number.isInteger(id) || id < 1) throw new UsageError('id must be a positive integer');
  return id;
}

interface OpenOptions {
  order?: boolean;
  ref?: string;
  reason: string;
  dataDir: string;
  keyFile?: string;
  json?: boolean;
}

async function openCommand(local: ScreeningCliOptions, withScreener: WithScreener, file: string, o: OpenOptions) {
  const profile = await readProfile(file);
  const { assessProfile } = await import('./cases/assess.js');
  const { loadRules } = await import('./redflags/rules.js');
  const assessment = await withScreener({ dataDir: o.dataDir }, (s) => assessProfile(profile, s, loadRules(DATA_DIR)));
  const { openCase } = await import('./cases/store.js');
  const c = await withDb(local, o.dataDir, async (db) => {
    const acting = await actingAs(db, o.keyFile);
    return openCase(
      db,
      {
        organisationId: acting.scope.seeAll ? null : acting.scope.organisationId,
        subjectKind: o.order ? 'order' : 'customer',
        subjectName: profile.customer.name,
        subjectRef: o.ref ?? profile.order.ref,
        country: profile.customer.country,
        businessType: profile.customer.businessType,
        profile,
        assessment,
        reason: o.reason,
      },
      acting.actor,
      new Date(),
    );
  });
  if (o.json) return printJson({ case: c, assessment });
  show(c);
  print(`suggested risk: ${assessment.suggestedRisk}`);
  for (const r of assessment.reasons) print(`  - ${r}`);
  print(`next: chipwatch cases act ${c.id} assess --risk ${assessment.suggestedRisk} --reason "..."`);
  if (assessment.hits.length) {
    const ids = assessment.hits.map((h) => h.id).join(',');
    print(
      `held: no approval or shipment until a compliance-lead (not who opened or assessed the case) records ` +
        `chipwatch cases act ${c.id} override --hits ${ids} --reason "..." --key-file lead.key`,
    );
  }
}

type ActOptions = Record<string, string | number | boolean | undefined>;

async function actCommand(local: ScreeningCliOptions, idArg: string, action: string, o: ActOptions): Promise<void> {
  const id = caseId(idArg);
  const raw: Record<string, unknown> = {
    action,
    reason: o.reason,
    risk: o.risk,
    item: o.item,
    outcome: o.outcome,
    decision: o.decision,
    maxQuantity: o.maxQuantity,
    stages: o.stages,
    bisReference: o.bisRef,
    shippedAt: o.shippedAt,
    kind: o.kind,
    result: o.result,
    source: action === 'verify' ? o.source : undefined,
    ref: o.ref,
    observedAt: o.observedAt,
    hits: typeof o.hits === 'string' ? o.hits.split(',').map((h) => h.trim()) : undefined,
    hit: o.hit,
  };
  for (const k of Object.keys(raw)) if (raw[k] === undefined) delete raw[k];
  const { actionSchema } = await import('./cases/schema.js');
  const parsed = actionSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new UsageError(`${action}: ${i.path.join('.') || 'action'}: ${i.message}`);
  }
  const { actOnCase } = await import('./cases/store.js');
  const act = async (db: Db) => {
    const acting = await actingAs(db, o.keyFile as string | undefined);
    return actOnCase(db, id, parsed.data, acting.actor, new Date(), acting.scope);
  };
  const c = await withDb(local, o.dataDir as string, act);
  if (o.json) printJson({ case: c });
  else show(c);
}

type Output = { dataDir: string; json?: boolean };

async function showCommand(local: ScreeningCliOptions, idArg: string, o: Output): Promise<void> {
  const id = caseId(idArg);
  const { getCase, caseEvents } = await import('./cases/store.js');
  const [c, events] = await withDb(
    local,
    o.dataDir,
    async (db) => [await getCase(db, id, ALL), await caseEvents(db, id, ALL)] as const,
  );
  if (o.json) return printJson({ case: c, events });
  show(c);
  for (const e of events) {
    print(`  #${e.seq} ${e.at}  ${e.actor}  ${e.action}  ${e.fromState ?? '-'} -> ${e.toState}  "${e.reason}"`);
  }
}

async function listCommand(local: ScreeningCliOptions, o: Output & { state?: string }): Promise<void> {
  const { CASE_STATES } = await import('./cases/workflow.js');
  if (o.state && !(CASE_STATES as readonly string[]).includes(o.state)) {
    throw new UsageError(`--state must be one of ${CASE_STATES.join(', ')}`);
  }
  const { listCases } = await import('./cases/store.js');
  const state = o.state as CaseRecord['state'] | undefined;
  const list = await withDb(local, o.dataDir, (db) => listCases(db, ALL, { state }));
  if (o.json) printJson({ cases: list });
  else for (const c of list) show(c);
}

async function verifyDueCommand(local: ScreeningCliOptions, o: Output & { days: number }): Promise<void> {
  const source = local.locationEvidence;
  if (!source) throw new UserError('no location-verification source is configured for this command');
  const { applyLocationEvidence } = await import('./cases/verify-due.js');
  const applied = await withDb(local, o.dataDir, async (db) =>
    applyLocationEvidence(db, await source(db), ALL, cliActor(), new Date(), o.days),
  );
  if (o.json) printJson({ applied });
  else if (!applied.length) print('no due verification has location-verification results yet');
  else for (const a of applied) print(`case ${a.caseId}  ${a.kind}: ${a.result.toUpperCase()}  (${a.ref})`);
}

async function dueCommand(local: ScreeningCliOptions, o: Output & { days: number }): Promise<void> {
  const { dueVerifications } = await import('./cases/store.js');
  const until = new Date(Date.now() + o.days * 86_400_000);
  const due = await withDb(local, o.dataDir, (db) => dueVerifications(db, ALL, until));
  if (o.json) printJson({ due });
  else if (!due.length) print(`no post-shipment verification due${o.days ? ` within ${o.days} days` : ''}`);
  else {
    for (const d of due) {
      const ref = d.subjectRef ? ` (${d.subjectRef})` : '';
      print(`case ${d.caseId}  ${d.kind} due ${d.dueAt.slice(0, 10)}  ${d.subjectName}${ref}`);
    }
  }
}

function registerAct(cases: Command, local: ScreeningCliOptions): void {
  cases
    .command('act <id> <action>')
    .description(
      'record a decision: assess | check | complete-vetting | decide | ship | verify | note | override | resolve ' +
        '(every one needs --reason)',
    )
    .requiredOption('--reason <text>', 'why (recorded in the append-only audit trail)')
    .option('--risk <level>', 'assess: low or high')
    .option('--item <id>', 'check: checklist item')
    .option('--outcome <o>', 'check: ok, concern or not-applicable')
    .option('--decision <d>', 'decide: hold, limit-quantity, staged-delivery, consult-bis or cancel')
    .option('--max-quantity <n>', 'decide limit-quantity: most chips that may ship', positiveInt('--max-quantity'))
    .option('--stages <n>', 'decide staged-delivery: number of stages', positiveInt('--stages', 100))
    .option('--bis-ref <ref>', 'decide consult-bis: BIS reference')
    .option('--shipped-at <iso>', 'ship: when it shipped (default now)')
    .option('--kind <k>', 'verify: one-week or six-month')
    .option('--result <r>', 'verify: passed or failed')
    .option('--source <s>', 'verify: location-verification, inspection or customer-attestation', 'inspection')
    .option('--ref <ref>', 'verify: reference of the evidence')
    .option('--observed-at <iso>', 'verify: when the evidence was observed')
    .option('--hits <ids>', 'override: the hits it acknowledges, comma-separated (h1,h2)')
    .option('--hit <id>', 'resolve: the review hit that is a false positive')
    .option('--key-file <file>', 'act as the API key in this file (override and resolve need a compliance-lead key)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((idArg: string, action: string, o: ActOptions) => actCommand(local, idArg, action, o));
}

export function registerCaseCommands(program: Command, local: ScreeningCliOptions, withScreener: WithScreener): void {
  const cases = program
    .command('cases')
    .description(
      'diligence cases: initial assessment -> enhanced vetting -> mitigation -> shipment ' +
        '-> post-shipment verification',
    );
  cases
    .command('open <profile>')
    .description('open a case from a customer/order profile (JSON); screens every party and evaluates red flags')
    .option('--order', 'the case is about one order (default: a customer)')
    .option('--ref <ref>', 'order or shipment reference (used to find location-verification results)')
    .option('--reason <text>', 'why the case is opened', 'case opened')
    .option('--key-file <file>', 'open as the API key in this file (recorded as the opener)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((file: string, o: OpenOptions) => openCommand(local, withScreener, file, o));
  registerAct(cases, local);
  cases
    .command('show <id>')
    .description('a case with its audit trail')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((idArg: string, o: { dataDir: string; json?: boolean }) => showCommand(local, idArg, o));
  cases
    .command('list')
    .description('cases, newest first')
    .option('--state <state>', 'only cases in this state')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((o: { state?: string; dataDir: string; json?: boolean }) => listCommand(local, o));
  cases
    .command('verify-due')
    .description(
      "satisfy due post-shipment verifications from location-verification results of each case's " + 'shipment (--ref)',
    )
    .option(
      '--days <n>',
      'also verifications falling due within this many days',
      nonNegativeInt('--days', MAX_LOOKAHEAD_DAYS),
      0,
    )
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((o: { days: number; dataDir: string; json?: boolean }) => verifyDueCommand(local, o));
  cases
    .command('due')
    .description('post-shipment verifications due (within --days)')
    .option('--days <n>', 'look ahead this many days', nonNegativeInt('--days', MAX_LOOKAHEAD_DAYS), 0)
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((o: { days: number; dataDir: string; json?: boolean }) => dueCommand(local, o));
}
