// The done-when test of issue 16, through the built bin: a tip with a unique phrase and an attachment
// leaves neither in any table nor anywhere in the data directory; the investigator's key reads both; a
// removed investigator cannot read a tip that arrives after removal; the receipt reads the reply.
// On PGlite (the data directory holds the database) and on PostgreSQL when DATABASE_URL is set.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { freshSchemaUrl } from '../helpers/db.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/** Every value of every table of the schema, as bytes: binary columns raw, the others as JSON text. */
async function dumpTables(
  databaseUrl: string | undefined,
  dataDir: string,
): Promise<{ tables: string[]; all: Buffer }> {
  const db = await openDb(databaseUrl ? { databaseUrl } : { dataDir: join(dataDir, 'pgdata') });
  try {
    const tables = (
      await db.query<{ table_name: string }>(
        `select table_name from information_schema.tables
         where table_schema = current_schema() and table_type = 'BASE TABLE' order by 1`,
      )
    ).map((r) => r.table_name);
    const parts: Buffer[] = [];
    for (const t of tables)
      for (const row of await db.query(`select * from "${t}"`))
        for (const v of Object.values(row))
          parts.push(v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(JSON.stringify(v) ?? ''));
    return { tables, all: Buffer.concat(parts) };
  } finally {
    await db.close();
  }
}

const variants = [{ name: 'pglite', url: async () => undefined as string | undefined }];
if (process.env.DATABASE_URL) variants.push({ name: 'postgres', url: () => freshSchemaUrl(process.env.DATABASE_URL!) });

describe.each(variants)('chipwatch tips, end to end on $name (built bin)', ({ url }) => {
  it('stores no plaintext, reads with the key, shuts out a removed key, and the receipt reads the reply', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cw-tips-'));
    dirs.push(dir);
    const databaseUrl = await url();
    const env = { ...process.env };
    if (databaseUrl) env.DATABASE_URL = databaseUrl;
    else delete env.DATABASE_URL;
    const cw = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'tips', ...args, '--data-dir', join(dir, 'data')], {
        cwd: dir,
        encoding: 'utf8',
        env,
        timeout: 60_000,
      });
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout);
    };
    const keygen = (...args: string[]) => {
      const r = spawnSync(process.execPath, [BIN, 'tips', 'keygen', ...args, '--json'], { cwd: dir, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    };
    writeFileSync(join(dir, 'pass.txt'), 'a long passphrase for alice\n');
    keygen('--out', 'alice', '--passphrase-file', 'pass.txt');
    keygen('--out', 'bob');
    cw('recipients', 'add', 'alice.pub', '--json');
    cw('recipients', 'add', 'bob.pub', '--json');

    const phrase = `diverted H100 boards via warehouse ${randomBytes(8).toString('hex')}`;
    const attachment = Buffer.concat([randomBytes(4096), Buffer.from(`ATTACH-${randomBytes(8).toString('hex')}`)]);
    writeFileSync(join(dir, 'report.txt'), `${phrase}\n`);
    writeFileSync(join(dir, 'ledger.bin'), attachment);
    const sub = cw('submit', 'report.txt', '--attach', 'ledger.bin', '--json');
    expect(sub.receipt.split(' ')).toHaveLength(12);
    expect(sub.submittedOn).toBe(new Date().toISOString().slice(0, 10));

    // The day's commitments go into the transparency log; the receipt finds its leaf, which `chipwatch log
    // prove` verifies against the signed checkpoint.
    expect(cw('publish', '--through', sub.submittedOn, '--json')).toMatchObject({ published: 1, firstIndex: 0 });
    writeFileSync(join(dir, 'receipt1.txt'), sub.receipt);
    const [filed] = cw('prove', '--receipt-file', 'receipt1.txt', '--json');
    expect(filed).toMatchObject({ seq: 1, on: sub.submittedOn, commitment: sub.commitment, leafIndex: 0 });
    const proof = spawnSync(
      process.execPath,
      [BIN, 'log', 'prove', '--leaf-hash', filed.leafHash, '--json', '--data-dir', join(dir, 'data')],
      { cwd: dir, encoding: 'utf8', env },
    );
    expect(proof.status, proof.stderr).toBe(0);
    expect(JSON.parse(proof.stdout)).toMatchObject({ kind: 'inclusion', index: 0, leafHash: filed.leafHash });

    // Neither the phrase nor the attachment, in any encoding a table might hold, anywhere.
    const needles = [
      Buffer.from(phrase),
      attachment.subarray(0, 64),
      attachment.subarray(4000),
      Buffer.from(attachment.subarray(0, 48).toString('base64')),
      Buffer.from(attachment.subarray(0, 48).toString('hex')),
      Buffer.from(Buffer.from(phrase).toString('hex')),
    ];
    const { tables, all } = await dumpTables(databaseUrl, join(dir, 'data'));
    expect(tables).toEqual(expect.arrayContaining(['tips', 'tip_messages', 'tip_attachments', 'tip_sealed_keys']));
    expect(all.length).toBeGreaterThan(attachment.length);
    for (const n of needles) expect(all.indexOf(n), 'found in a table').toBe(-1);
    const files = filesUnder(join(dir, 'data'));
    if (!databaseUrl) expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      if (!statSync(f).isFile()) continue;
      const bytes = readFileSync(f);
      for (const n of needles) expect(bytes.indexOf(n), `found in ${f}`).toBe(-1);
    }

    // The key reads both (the passphrase-protected one needs its passphrase).
    const key = (name: string) =>
      name === 'alice' ? ['--key', 'alice.key', '--passphrase-file', 'pass.txt'] : ['--key', `${name}.key`];
    const [tip] = cw('read', ...key('alice'), '--json');
    expect(tip).toMatchObject({ submittedOn: sub.submittedOn, status: 'received', text: `${phrase}\n` });
    expect(tip.attachments).toEqual([
      { name: 'ledger.bin', bytes: attachment.length, base64: attachment.toString('base64') },
    ]);

    // Bob is removed; the next tip is sealed to Alice only.
    cw('recipients', 'remove', 'bob.pub', '--json');
    writeFileSync(join(dir, 'second.txt'), 'a second tip\n');
    const second = cw('submit', 'second.txt', '--json');
    expect(cw('read', ...key('bob'), '--json').map((t: { text: string }) => t.text)).toEqual([`${phrase}\n`]);
    const forAlice = cw('read', ...key('alice'), '--json');
    expect(forAlice.map((t: { text: string }) => t.text).sort()).toEqual([`${phrase}\n`, 'a second tip\n'].sort());

    // Alice replies to the second tip; its receipt reads the reply and adds an answer.
    const secondId = forAlice.find((t: { text: string }) => t.text === 'a second tip\n').id;
    writeFileSync(join(dir, 'question.txt'), 'Which warehouse?');
    cw('reply', secondId, 'question.txt', ...key('alice'), '--json');
    writeFileSync(join(dir, 'receipt.txt'), second.receipt);
    writeFileSync(join(dir, 'answer.txt'), 'The one in Johor.');
    const thread = cw('follow-up', '--receipt-file', 'receipt.txt', '--message', 'answer.txt', '--json');
    expect(thread.messages.map((m: { from: string; text: string }) => [m.from, m.text])).toEqual([
      ['tipster', 'a second tip\n'],
      ['investigator', 'Which warehouse?'],
      ['tipster', 'The one in Johor.'],
    ]);
    expect(thread.added).toMatchObject({ seq: 3, on: sub.submittedOn });
    // The first receipt does not read the second conversation.
    const first = cw('follow-up', '--receipt', sub.receipt, '--json');
    expect(first.messages.map((m: { text: string }) => m.text)).toEqual([`${phrase}\n`]);
  }, 120_000);
});

describe('chipwatch tips, bad input (built bin)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-tips-bad-'));
  dirs.push(dir);
  const env = { ...process.env };
  delete env.DATABASE_URL;
  const cw = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, 'tips', ...args], { cwd: dir, encoding: 'utf8', env, timeout: 60_000 });

  it('answers with one line and exit 1', () => {
    writeFileSync(join(dir, 'r.txt'), 'report');
    writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x66, 0xff, 0x66]));
    const cases: [string[], string][] = [
      [['submit', 'r.txt', '--data-dir', 'd'], 'no investigator key is registered'],
      [['submit', 'bad.txt', '--data-dir', 'd'], 'bad.txt: the report is not UTF-8 text'],
      [['follow-up', '--receipt', 'one two three', '--data-dir', 'd'], 'a receipt has 12 words, this one has 3'],
      [['read', '--key', 'r.txt', '--data-dir', 'd'], 'r.txt: not a chipwatch tips key file (not JSON)'],
      [['recipients', 'add', 'missing.pub', '--data-dir', 'd'], 'missing.pub'],
    ];
    for (const [args, msg] of cases) {
      const r = cw(...args);
      expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(1);
      expect(r.stderr).toContain(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('does not overwrite an existing key', () => {
    expect(cw('keygen', '--out', 'k').status).toBe(0);
    const r = cw('keygen', '--out', 'k');
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('chipwatch: field out: k.key already exists (not overwritten)\n');
  });
});
