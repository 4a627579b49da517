// `chipwatch tips ...`: the whistleblower intake on the command line. Encryption and decryption happen
// in this process: the report is sealed before it reaches the database, and only a key file or the
// receipt opens it again. Nothing here logs; receipts and texts go only to stdout for the user.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { withDb, type DbSettings } from '../cli/db.js';
import { UsageError } from '../cli/errors.js';
import { collect, print, printJson } from '../cli/io.js';
import { ValidationError } from '../errors.js';
import { computeAward, parseUSD, PROGRAMMES, type Intervention, type Programme } from './award.js';
import {
  decodePrivateKey,
  decodePublicKey,
  encodePrivateKey,
  encodePublicKey,
  fingerprint,
  generateKeyPair,
  type KeyPair,
} from './keys.js';
import { parseReceipt } from './receipt.js';
import type { AttachmentReport } from './scrub/index.js';
import type { Attachment } from './seal.js';
import { LIMITS } from './service.js';
import { recordAwardCli, registerCaseCommands } from './cli-case.js';
import { loadSodium } from './sodium.js';

const DATA_DIR = ['--data-dir <dir>', 'data directory for the embedded database', '.chipwatch'] as const;
const today = () => new Date().toISOString().slice(0, 10);

function readText(file: string, what: string): string {
  const size = statSync(file).size;
  if (size > LIMITS.textBytes)
    throw new ValidationError(`${file}: ${what} is ${size} bytes; at most ${LIMITS.textBytes}`);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(readFileSync(file));
  } catch {
    throw new ValidationError(`${file}: ${what} is not UTF-8 text`);
  }
}

/** Reads the files and removes their metadata (src/tips/scrub) before anything seals them. */
async function readAttachments(files: string[]): Promise<{ attachments: Attachment[]; report: AttachmentReport[] }> {
  if (files.length > LIMITS.attachments)
    throw new ValidationError(`${files.length} attachments; at most ${LIMITS.attachments}`, { field: 'attach' });
  const read = files.map((f) => {
    const size = statSync(f).size;
    if (size > LIMITS.attachmentBytes)
      throw new ValidationError(`${f}: ${size} bytes; an attachment may have at most ${LIMITS.attachmentBytes}`, {
        field: 'attach',
      });
    return { name: basename(f), bytes: new Uint8Array(readFileSync(f)) };
  });
  if (read.length === 0) return { attachments: [], report: [] };
  const scrubbed = await (await import('./scrub/index.js')).scrubAttachments(read);
  for (const a of scrubbed.attachments)
    if (a.bytes.length > LIMITS.attachmentBytes)
      throw new ValidationError(
        `${a.name}: ${a.bytes.length} bytes once its metadata is removed; at most ${LIMITS.attachmentBytes}`,
        { field: 'attach' },
      );
  return scrubbed;
}

function printReport(report: AttachmentReport[]): void {
  for (const r of report)
    print(
      `attachment ${r.name}: ${r.note ?? (r.removed.length ? `removed ${r.removed.join(', ')}` : 'no metadata found')}`,
    );
}

function readPassphrase(file: string): string {
  const p = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (p === '') throw new ValidationError(`${file}: the passphrase is empty`, { field: 'passphrase-file' });
  return p;
}

function readKey(o: { key: string; passphraseFile?: string }): KeyPair {
  const pass = o.passphraseFile ? readPassphrase(o.passphraseFile) : undefined;
  return decodePrivateKey(readFileSync(o.key, 'utf8'), o.key, pass);
}

function readReceipt(o: { receipt?: string; receiptFile?: string }): Uint8Array {
  if ((o.receipt === undefined) === (o.receiptFile === undefined))
    throw new UsageError('give the receipt with --receipt or --receipt-file (one of them)');
  return parseReceipt(o.receipt ?? readFileSync(o.receiptFile!, 'utf8'));
}

async function keygen(o: { out: string; passphraseFile?: string; name?: string; json?: boolean }) {
  await loadSodium();
  const keyFile = `${o.out}.key`;
  const pubFile = `${o.out}.pub`;
  for (const f of [keyFile, pubFile])
    if (existsSync(f)) throw new ValidationError(`${f} already exists (not overwritten)`, { field: 'out' });
  const pass = o.passphraseFile ? readPassphrase(o.passphraseFile) : undefined;
  const kp = generateKeyPair();
  const name = o.name ?? basename(o.out);
  writeFileSync(keyFile, encodePrivateKey(kp, pass), { mode: 0o600, flag: 'wx' });
  writeFileSync(pubFile, encodePublicKey(name, kp.publicKey), { flag: 'wx' });
  const out = { key: keyFile, pub: pubFile, name, fingerprint: fingerprint(kp.publicKey), passphrase: Boolean(pass) };
  if (o.json) printJson(out);
  else
    print(
      `wrote ${keyFile} (keep it secret${pass ? ', passphrase-protected' : ''}) and ${pubFile} (${out.fingerprint})`,
    );
}

interface ReadOptions {
  key: string;
  passphraseFile?: string;
  server?: string;
  apiKeyFile?: string;
  dataDir: string;
  json?: boolean;
}

export interface TipsSettings extends DbSettings {
  /** CHIPWATCH_LOG_KEK: the transparency log's key-encryption key (else DATA_DIR/tlog.kek). */
  logKek?: string;
}

interface AwardOptions {
  sanctions: string;
  programme: Programme;
  government?: Intervention;
  json?: boolean;
  record?: string;
  percent?: string;
  reason?: string;
  key?: string;
  passphraseFile?: string;
  dataDir: string;
}

export function registerTipsCommands(program: Command, settings: TipsSettings): void {
  const tips = program.command('tips').description('anonymous, end-to-end encrypted whistleblower tips');
  registerCaseCommands(tips, settings);
  tips
    .command('keygen')
    .description('create an investigator key pair: NAME.key (secret) and NAME.pub (to add as a recipient)')
    .requiredOption('--out <name>', 'file name without extension')
    .option('--passphrase-file <file>', 'protect NAME.key with the passphrase in this file (scrypt)')
    .option('--name <name>', 'the investigator name stored with the public key (default: NAME)')
    .option('--json', 'print JSON')
    .action(keygen);

  const recipients = tips.command('recipients').description('the investigator keys new tips are sealed to');
  recipients
    .command('add <pub>')
    .description('seal tips that arrive from now on to this public key (NAME.pub)')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (file: string, o: { dataDir: string; json?: boolean }) => {
      await loadSodium();
      const { name, publicKey } = decodePublicKey(readFileSync(file, 'utf8'), file);
      const { addRecipient } = await import('./service.js');
      const r = await withDb(settings, o.dataDir, (db) => addRecipient(db, name, publicKey, today()));
      if (o.json) printJson(r);
      else print(`added recipient ${r.name} (${r.fingerprint})`);
    });
  recipients
    .command('remove <pubOrFingerprint>')
    .description('seal nothing new to this key (NAME.pub or its fingerprint); what it could read stays readable')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (which: string, o: { dataDir: string; json?: boolean }) => {
      await loadSodium();
      const key = /^[0-9a-f]{4}(-[0-9a-f]{4}){3}$/.test(which)
        ? which
        : decodePublicKey(readFileSync(which, 'utf8'), which).publicKey;
      const { removeRecipient } = await import('./service.js');
      const r = await withDb(settings, o.dataDir, (db) => removeRecipient(db, key, today()));
      if (o.json) printJson(r);
      else print(`removed recipient ${r.name} (${r.fingerprint}) as of ${r.removedOn}`);
    });
  recipients
    .command('list')
    .description('the recipients, current and removed')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (o: { dataDir: string; json?: boolean }) => {
      await loadSodium();
      const { listRecipients } = await import('./service.js');
      const list = await withDb(settings, o.dataDir, (db) => listRecipients(db));
      if (o.json) printJson(list);
      else
        for (const r of list)
          print(`${r.fingerprint}  ${r.name}  added ${r.addedOn}${r.removedOn ? `  removed ${r.removedOn}` : ''}`);
    });

  tips
    .command('submit <file>')
    .description('submit the report in FILE (UTF-8 text), encrypted to the current recipients; prints the receipt')
    .option('--attach <file>', 'attach a file (repeatable)', collect, [])
    .option('--server <url>', 'submit to this chipwatch server (sealed here; the server sees only ciphertext)')
    .option(...DATA_DIR)
    .option('--json', 'print JSON: {receipt, submittedOn, commitment, attachments: [{name, kind, removed}]}')
    .action(async (file: string, o: { attach: string[]; server?: string; dataDir: string; json?: boolean }) => {
      await loadSodium();
      const text = readText(file, 'the report');
      const { attachments, report } = await readAttachments(o.attach);
      const { submitTip } = await import('./service.js');
      const r = o.server
        ? await (await import('./client.js')).submitRemote(o.server, text, attachments)
        : await withDb(settings, o.dataDir, (db) => submitTip(db, text, attachments, today()));
      if (o.json) printJson({ ...r, attachments: report });
      else {
        printReport(report);
        print(`receipt: ${r.receipt}`);
        print(`submitted on ${r.submittedOn}. Write the receipt down: it is the only way to read replies,`);
        print('and nobody can recover it.');
      }
    });

  tips
    .command('read')
    .description('every tip this investigator key can open, decrypted')
    .requiredOption('--key <file>', 'the investigator key (NAME.key)')
    .option('--passphrase-file <file>', 'the passphrase of the key file')
    .option('--server <url>', 'fetch the sealed tips from this chipwatch server and open them here')
    .option('--api-key-file <file>', 'with --server: a file holding an API key of role investigator')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (o: ReadOptions) => {
      await loadSodium();
      if ((o.server === undefined) !== (o.apiKeyFile === undefined))
        throw new UsageError('--server and --api-key-file go together');
      const kp = readKey(o);
      const { readTips } = await import('./service.js');
      const list = o.server
        ? await (await import('./client.js')).readRemote(o.server, readFileSync(o.apiKeyFile!, 'utf8').trim(), kp)
        : await withDb(settings, o.dataDir, (db) => readTips(db, kp));
      if (o.json) printJson(list);
      else
        for (const t of list) {
          print(`${t.id}  ${t.submittedOn}  ${t.status}  ${t.messages.length} message(s)`);
          print(t.text);
          for (const a of t.attachments) print(`  attachment ${a.name} (${a.bytes} bytes)`);
        }
    });

  tips
    .command('reply <id> <file>')
    .description("reply to a tip with the text in FILE, readable with the tip's receipt")
    .requiredOption('--key <file>', 'the investigator key (NAME.key)')
    .option('--passphrase-file <file>', 'the passphrase of the key file')
    .option('--attach <file>', 'attach a file (repeatable)', collect, [])
    .option('--server <url>', 'reply through this chipwatch server (sealed here)')
    .option('--api-key-file <file>', 'with --server: a file holding an API key of role investigator')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (id: string, file: string, o: ReadOptions & { attach: string[] }) => {
      await loadSodium();
      if ((o.server === undefined) !== (o.apiKeyFile === undefined))
        throw new UsageError('--server and --api-key-file go together');
      const kp = readKey(o);
      const text = readText(file, 'the reply');
      const { attachments, report } = await readAttachments(o.attach);
      const { replyToTip } = await import('./service.js');
      const r = o.server
        ? await (await import('./client.js')).replyRemote(
            o.server,
            readFileSync(o.apiKeyFile!, 'utf8').trim(),
            kp,
            id,
            text,
            attachments,
          )
        : await withDb(settings, o.dataDir, (db) => replyToTip(db, id, kp, text, attachments, today()));
      if (o.json) printJson(r);
      else {
        printReport(report);
        print(`replied to ${r.tipId} (message ${r.seq})`);
      }
    });

  tips
    .command('follow-up')
    .description('with a receipt: read the conversation and replies, and optionally add a message')
    .option('--receipt <words>', 'the receipt (visible to other users of this machine: prefer --receipt-file)')
    .option('--receipt-file <file>', 'a file holding the receipt')
    .option('--message <file>', 'add the text in this file as a message')
    .option('--attach <file>', 'attach a file to the message (repeatable)', collect, [])
    .option('--server <url>', 'read the conversation from this chipwatch server (opened here)')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(
      async (o: {
        receipt?: string;
        receiptFile?: string;
        message?: string;
        attach: string[];
        server?: string;
        dataDir: string;
        json?: boolean;
      }) => {
        await loadSodium();
        const entropy = readReceipt(o);
        if (o.attach.length > 0 && !o.message) throw new UsageError('--attach needs --message');
        const text = o.message ? readText(o.message, 'the message') : undefined;
        const { attachments, report } = await readAttachments(o.attach);
        const add = text !== undefined ? { text, attachments } : undefined;
        const { followUp } = await import('./service.js');
        const r = o.server
          ? await (await import('./client.js')).followUpRemote(o.server, entropy, add)
          : await withDb(settings, o.dataDir, (db) => followUp(db, entropy, add, today()));
        if (o.json) printJson(add ? { ...r, attachments: report } : r);
        else {
          printReport(report);
          print(`submitted on ${r.submittedOn}, status ${r.status}`);
          for (const m of r.messages) print(`--- ${m.from}, ${m.on}\n${m.text}`);
          if (r.added) print(`added message ${r.added.seq} on ${r.added.on}`);
        }
      },
    );

  tips
    .command('publish')
    .description('append the commitments of finished days to the transparency log (shuffled) and sign a checkpoint')
    .option('--through <day>', 'publish the commitments of this day and before (default: yesterday, UTC)')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (o: { through?: string; dataDir: string; json?: boolean }) => {
      const { isCalendarDate } = await import('../calendar.js');
      const now = today();
      const through = o.through ?? new Date(Date.parse(now) - 86_400_000).toISOString().slice(0, 10);
      if (!isCalendarDate(through)) throw new UsageError('--through must be a date YYYY-MM-DD');
      await loadSodium();
      const { publishCommitments } = await import('./service.js');
      const { signerFrom, createCheckpoint } = await import('../tlog/index.js');
      const r = await withDb(settings, o.dataDir, async (db) => {
        // The signer first: a missing or wrong key-encryption key publishes nothing.
        const signer = await signerFrom(db, { dataDir: resolve(o.dataDir), logKek: settings.logKek })();
        const done = await publishCommitments(db, through, now);
        if (done.published > 0) await createCheckpoint(db, signer, new Date());
        return { through, ...done };
      });
      if (o.json) printJson(r);
      else print(`published ${r.published} commitment(s) through ${through}`);
    });

  tips
    .command('prove')
    .description('with a receipt: the commitment, its salt and its log leaf for each message the tipster sent')
    .option('--receipt <words>', 'the receipt (visible to other users of this machine: prefer --receipt-file)')
    .option('--receipt-file <file>', 'a file holding the receipt')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (o: { receipt?: string; receiptFile?: string; dataDir: string; json?: boolean }) => {
      await loadSodium();
      const entropy = readReceipt(o);
      const { proveFiling } = await import('./service.js');
      const list = await withDb(settings, o.dataDir, (db) => proveFiling(db, entropy));
      if (o.json) printJson(list);
      else
        for (const p of list)
          print(
            `message ${p.seq} of ${p.on}: commitment ${p.commitment}, ` +
              (p.leafIndex === null
                ? 'not yet in the log'
                : `log leaf ${p.leafIndex} (chipwatch log prove ${p.leafIndex})`),
          );
    });

  tips
    .command('award')
    .description('the award range a programme sets for an amount of sanctions, with the rules it rests on')
    .requiredOption('--sanctions <usd>', 'monetary sanctions (for doj-pilot: net proceeds forfeited), in US dollars')
    .addOption(new Option('--programme <name>', 'award programme').choices(PROGRAMMES).makeOptionMandatory())
    .addOption(
      new Option('--government <choice>', 'qui tam: whether the Government intervened').choices([
        'intervened',
        'declined',
      ]),
    )
    .option('--record <id>', 'record the decision on this tip (with --percent, --reason, --key)')
    .option('--percent <p>', 'with --record: the decided percentage of the sanctions')
    .option('--reason <text>', 'with --record: why this percentage')
    .option('--key <file>', 'with --record: the investigator key (NAME.key)')
    .option('--passphrase-file <file>', 'with --record: the passphrase of the key file')
    .option(...DATA_DIR)
    .option('--json', 'print JSON')
    .action(async (o: AwardOptions) => {
      if (o.government && o.programme !== 'qui-tam')
        throw new UsageError('--government applies to --programme qui-tam');
      const a = computeAward(o.programme, parseUSD(o.sanctions), o.government);
      if (o.record) {
        const r = await recordAwardCli(settings, a, { ...o, record: o.record });
        if (o.json) printJson(r);
        else print(`recorded on ${r.tipId}: ${r.percent}% = $${r.decidedUSD} (range $${r.minUSD} to $${r.maxUSD})`);
        return;
      }
      if (o.json) printJson(a);
      else {
        const money = (n: number) => `$${n.toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
        print(a.eligible ? `${a.programme}: ${money(a.minUSD)} to ${money(a.maxUSD)}` : `${a.programme}: not eligible`);
        for (const r of a.rules) print(`  ${r.rule} (${r.citation})`);
        for (const n of a.notes) print(`  note: ${n}`);
      }
    });
}
