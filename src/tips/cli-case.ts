// `chipwatch tips status | case | link | due` and `tips award --record`: the case flow on the local data
// directory. Each needs an investigator key file (--key): the key must be a current recipient, so only an
// investigator acts or reads, and its fingerprint is the actor in the audit trail.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { withDb, type DbSettings } from '../cli/db.js';
import { print, printJson } from '../cli/io.js';
import { ValidationError } from '../errors.js';
import type { Award } from './award.js';
import { CLOSE_REASONS, REFERRAL_TARGETS } from './case-flow.js';
import { decodePrivateKey } from './keys.js';
import { loadSodium } from './sodium.js';

const today = () => new Date().toISOString().slice(0, 10);

interface KeyOptions {
  key: string;
  passphraseFile?: string;
  dataDir: string;
  json?: boolean;
}

function keyOptions(c: Command): Command {
  return c
    .requiredOption('--key <file>', 'the investigator key (NAME.key): proves an investigator')
    .option('--passphrase-file <file>', 'the passphrase of the key file')
    .option('--data-dir <dir>', 'data directory for the embedded database', '.chipwatch')
    .option('--json', 'print JSON');
}

/** Opens the database as the investigator the key file proves; the actor is the key's fingerprint. */
async function asInvestigator<T>(
  settings: DbSettings,
  o: KeyOptions,
  fn: (db: import('../db/index.js').Db, actor: string) => Promise<T>,
): Promise<T> {
  await loadSodium();
  const pass = o.passphraseFile ? readFileSync(o.passphraseFile, 'utf8').replace(/\r?\n$/, '') : undefined;
  const kp = decodePrivateKey(readFileSync(o.key, 'utf8'), o.key, pass);
  const { investigatorActor } = await import('./cases.js');
  return withDb(settings, o.dataDir, async (db) => fn(db, await investigatorActor(db, kp.publicKey)));
}

export function registerCaseCommands(tips: Command, settings: DbSettings): void {
  keyOptions(
    tips
      .command('status <id>')
      .description('move a tip along its case flow (received, triaged, investigating, referred, closed)')
      .requiredOption('--to <status>', 'the new status (the same status again records a review)')
      .requiredOption('--reason <text>', 'why (stored in the clear in the audit trail: do not quote the tip)')
      .option('--close-reason <reason>', `with --to closed: one of ${CLOSE_REASONS.join(', ')}`)
      .option('--referred-to <agency>', `with --to referred: one of ${REFERRAL_TARGETS.join(', ')}`),
  ).action(
    async (id: string, o: KeyOptions & { to: string; reason: string; closeReason?: string; referredTo?: string }) => {
      const { changeStatus } = await import('./cases.js');
      const change = { to: o.to as never, reason: o.reason, closeReason: o.closeReason, referredTo: o.referredTo };
      const r = await asInvestigator(settings, o, (db, actor) => changeStatus(db, id, change, actor, today()));
      if (o.json) printJson(r);
      else print(`${r.tipId}: ${r.from} -> ${r.to}`);
    },
  );

  keyOptions(
    tips
      .command('link <id>')
      .description('link a tip to a registry serial number or an intelligence entity id')
      .option('--serial <serial>', 'a chip serial number (registry syntax)')
      .option('--entity <id>', 'an intelligence entity id (free text until entities exist)'),
  ).action(async (id: string, o: KeyOptions & { serial?: string; entity?: string }) => {
    const { linkTip } = await import('./cases.js');
    const link = { serial: o.serial, entity: o.entity };
    const r = await asInvestigator(settings, o, (db, actor) => linkTip(db, id, link, actor, today()));
    if (o.json) printJson(r);
    else print(`${r.tipId}: linked ${'serial' in r ? `serial ${r.serial}` : `entity ${r.entity}`}`);
  });

  keyOptions(
    tips.command('case <id>').description("a tip's case: status, deadline, links, award decisions and audit history"),
  ).action(async (id: string, o: KeyOptions) => {
    const { caseOf } = await import('./cases.js');
    const c = await asInvestigator(settings, o, (db) => caseOf(db, id, today()));
    if (o.json) printJson(c);
    else {
      print(`${c.id}  submitted ${c.submittedOn}  ${c.status}`);
      if (c.deadline) print(`  next: ${c.deadline.next} by ${c.deadline.due}${c.deadline.overdue ? ' (OVERDUE)' : ''}`);
      for (const l of c.links) print(`  link ${'serial' in l ? `serial ${l.serial}` : `entity ${l.entity}`}`);
      for (const a of c.awards) print(`  award ${a.programme}: ${a.percent}% = $${a.decidedUSD} (${a.reason})`);
      for (const e of c.history) print(`  ${e.on} ${e.kind} by ${e.actor}: ${JSON.stringify(e.detail)}`);
    }
  });

  keyOptions(tips.command('due').description('every open tip with its next deadline, the most overdue first')).action(
    async (o: KeyOptions) => {
      const { dueTips } = await import('./cases.js');
      const list = await asInvestigator(settings, o, (db) => dueTips(db, today()));
      if (o.json) printJson(list);
      else
        for (const d of list)
          print(`${d.tipId}  ${d.status}  ${d.next} by ${d.due}${d.overdue ? `  OVERDUE ${d.daysOverdue}d` : ''}`);
    },
  );
}

/** `tips award ... --record ID`: stores the computed range and the decided percentage on the tip. */
export async function recordAwardCli(
  settings: DbSettings,
  award: Award,
  o: { record: string; percent?: string; reason?: string; key?: string; passphraseFile?: string; dataDir: string },
) {
  if (o.key === undefined) throw new ValidationError('--record needs --key (an investigator key)', { field: 'key' });
  if (o.reason === undefined) throw new ValidationError('--record needs --reason', { field: 'reason' });
  if (o.percent === undefined || !/^\d{1,3}(\.\d{1,2})?$/.test(o.percent))
    throw new ValidationError('--record needs --percent, a number such as 15 or 22.5', { field: 'percent' });
  const { recordAward } = await import('./cases.js');
  const percent = Number(o.percent);
  const reason = o.reason;
  return asInvestigator(settings, { ...o, key: o.key }, (db, actor) =>
    recordAward(db, o.record, award, percent, reason, actor, today()),
  );
}
