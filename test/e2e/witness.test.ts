// Witnesses as users run them: three `chipwatch witness` processes on loopback, quorum 2, and the log run
// by the built bin (`registry import`, `log checkpoint`, then `serve --witness`). The published checkpoint
// carries at least two valid cosignatures and every receipt an offline proof bundle; a second log holding
// the same key but another history (a split view: a different tree of the same size, then a larger one
// that is not an extension) is refused by every witness and never published; tampered bundles fail.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../src/db/index.js';
import { rowsToCsv, sampleRows } from '../../src/registry/sample.js';
import { parseCosignerVkey, verifyCheckpoint, verifyCosignatures } from '../../src/tlog/index.js';
import { serve } from '../app/serve-process.js';
import { freshSchemaUrl } from '../helpers/db.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'chipwatch.js');
const ORIGIN = 'registry.example/log';

const databases = [{ name: 'pglite', url: async () => undefined as string | undefined }];
if (process.env.DATABASE_URL)
  databases.push({ name: 'postgres', url: () => freshSchemaUrl(process.env.DATABASE_URL!) });

interface Witness {
  name: string;
  vkey: string;
  url: string;
  proc: ChildProcess;
  out: string[];
}

describe.each(databases)('witnesses and offline proofs, real processes ($name)', ({ url }) => {
  const root = mkdtempSync(join(tmpdir(), 'cw-witness-e2e-'));
  const witnesses: Witness[] = [];
  let logVkey = '';
  const logs: Record<'A' | 'B', { dir: string; databaseUrl?: string }> = {
    A: { dir: join(root, 'A') },
    B: { dir: join(root, 'B') },
  };
  const envOf = (log: 'A' | 'B', extra: Record<string, string> = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
    delete env.DATABASE_URL;
    delete env.CHIPWATCH_WITNESSES;
    delete env.CHIPWATCH_WITNESS_QUORUM;
    if (logs[log].databaseUrl) env.DATABASE_URL = logs[log].databaseUrl;
    return { ...env, ...extra };
  };
  const witnessEnv = () => ({
    CHIPWATCH_WITNESSES: witnesses.map((w) => `${w.url}=${w.vkey}`).join(','),
    CHIPWATCH_WITNESS_QUORUM: '2',
  });
  const cli = (log: 'A' | 'B', args: string[], withWitnesses = true) =>
    spawnSync(process.execPath, [BIN, ...args, '--data-dir', join(logs[log].dir, 'data')], {
      cwd: root,
      env: envOf(log, withWitnesses ? witnessEnv() : {}),
      encoding: 'utf8',
    });
  /** Lets the witnesses' stderr lines in: spawnSync blocks this process's event loop while a command runs. */
  const settle = () => new Promise((ok) => setTimeout(ok, 300));
  const keys = () => witnesses.map((w) => parseCosignerVkey(w.vkey));

  async function startWitness(i: number): Promise<Witness> {
    const key = join(root, `w${i}.key`);
    const name = `witness${i}.example/w`;
    const made = spawnSync(process.execPath, [BIN, 'witness', 'keygen', '--name', name, '--out', key], {
      encoding: 'utf8',
    });
    expect(made.status).toBe(0);
    const args = ['witness', '--key', key, '--listen', '127.0.0.1:0', '--log', `${ORIGIN}=${logVkey}`];
    const proc = spawn(process.execPath, [BIN, ...args, '--state', join(root, `w${i}.state.json`)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: string[] = [];
    proc.stderr!.on('data', (c: Buffer) => out.push(...c.toString('utf8').split('\n').filter(Boolean)));
    const listening = await new Promise<string>((ok, fail) => {
      let text = '';
      proc.stdout!.on('data', (c: Buffer) => {
        text += c.toString('utf8');
        const m = /listening on (http:\/\/\S+)/.exec(text);
        if (m) ok(m[1]);
      });
      proc.once('exit', () => fail(new Error(`witness ${i} exited: ${out.join('\n')}`)));
    });
    return { name, vkey: made.stdout.trim(), url: listening, proc, out };
  }

  beforeAll(async () => {
    for (const l of ['A', 'B'] as const) {
      mkdirSync(join(logs[l].dir, 'data'), { recursive: true });
      logs[l].databaseUrl = await url();
    }
    // Log A gets its key; log B is a second database holding the same key (the operator forks its log).
    expect(cli('A', ['log', 'checkpoint', '--origin', ORIGIN], false).status).toBe(0);
    logVkey = cli('A', ['log', 'vkey'], false).stdout.trim();
    copyFileSync(join(logs.A.dir, 'data', 'tlog.kek'), join(logs.B.dir, 'data', 'tlog.kek'));
    const a = await openDb({ databaseUrl: logs.A.databaseUrl, dataDir: join(logs.A.dir, 'data', 'pgdata') });
    const [key] = await a.query<{ name: string; pk: string; sk: string }>(
      "select name, encode(public_key, 'hex') as pk, encode(private_key_enc, 'hex') as sk from tlog_key",
    );
    await a.close();
    const b = await openDb({ databaseUrl: logs.B.databaseUrl, dataDir: join(logs.B.dir, 'data', 'pgdata') });
    await b.query(
      "insert into tlog_key (name, public_key, private_key_enc) values ($1, decode($2, 'hex'), decode($3, 'hex'))",
      [key.name, key.pk, key.sk],
    );
    await b.close();
    expect(cli('B', ['log', 'vkey'], false).stdout.trim()).toBe(logVkey);
    for (let i = 1; i <= 3; i++) witnesses.push(await startWitness(i));
    const csv = (n: number, seed: number, prefix: string) =>
      writeFileSync(join(root, `${prefix}.csv`), rowsToCsv(sampleRows({ count: n, seed, serialPrefix: `${prefix}-` })));
    csv(300, 1, 'A1');
    csv(50, 2, 'A2');
    csv(350, 3, 'B1');
    csv(10, 4, 'B2');
  }, 300_000);

  afterAll(() => {
    for (const w of witnesses) if (w.proc.exitCode === null) w.proc.kill('SIGTERM');
    rmSync(root, { recursive: true, force: true });
  });

  it('publishes a checkpoint cosigned by the quorum, and the receipt verifies offline', () => {
    const r = cli('A', ['registry', 'import', 'A1.csv', '--as', 'Acme', '--receipt', 'r1.json']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/proofs: checkpoint at tree size 300, cosigned by witness1\.example\/w, witness2/);
    const receipt = JSON.parse(readFileSync(join(root, 'r1.json'), 'utf8'));
    expect(receipt.proof.status).toBe('complete');
    expect(receipt.proof.bundle.items).toHaveLength(300);
    const note: string = receipt.proof.bundle.checkpoint;
    expect(verifyCheckpoint(note, logVkey).size).toBe(300);
    expect(verifyCosignatures(note, keys()).length).toBeGreaterThanOrEqual(2);
    const wargs = witnesses.flatMap((w) => ['--witness-vkey', w.vkey]);
    const ok = spawnSync(
      process.execPath,
      [BIN, 'log', 'verify-proof', 'r1.json', '--vkey', logVkey, ...wargs, '--quorum', '2'],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(ok.stdout).toMatch(/^OK: 300 item\(s\) included in registry\.example\/log at tree size 300/);
    expect(ok.status).toBe(0);
  }, 300_000);

  it('publishes with two of three witnesses when one is down, naming the one that did not answer', async () => {
    const down = witnesses[2];
    down.proc.kill('SIGTERM');
    await new Promise((ok) => down.proc.once('exit', ok));
    const r = cli('A', ['registry', 'import', 'A2.csv', '--as', 'Acme', '--json']);
    expect(r.status).toBe(0);
    const receipt = JSON.parse(r.stdout);
    expect(receipt.proof.status).toBe('complete');
    expect(receipt.proof.bundle.treeSize).toBe(350);
    expect(receipt.proof.bundle.cosigners).toEqual(['witness1.example/w', 'witness2.example/w']);
    const valid = verifyCosignatures(receipt.proof.bundle.checkpoint, keys());
    expect(valid.map((v) => v.name)).toEqual(['witness1.example/w', 'witness2.example/w']);
    // Consistency: the witnesses moved from 300 to 350 with a proof (their stderr arrives after spawnSync).
    await settle();
    expect(witnesses[0].out.join('\n')).toMatch(/cosigned registry\.example\/log size 350 \(old 300\)/);
    // The stopped witness comes back with its state file: it still knows size 300.
    witnesses[2] = await startWitness3Again();
  }, 300_000);

  async function startWitness3Again(): Promise<Witness> {
    const w = witnesses[2];
    const proc = spawn(
      process.execPath,
      [
        BIN,
        'witness',
        '--key',
        join(root, 'w3.key'),
        '--listen',
        new URL(w.url).host,
        '--log',
        `${ORIGIN}=${logVkey}`,
        '--state',
        join(root, 'w3.state.json'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const out: string[] = [];
    proc.stderr!.on('data', (c: Buffer) => out.push(...c.toString('utf8').split('\n').filter(Boolean)));
    await new Promise<void>((ok) => proc.stdout!.on('data', (c: Buffer) => c.toString().includes('listening') && ok()));
    return { ...w, proc, out };
  }

  it('a forked log (same key, another history of one size) is refused by every witness, never published', async () => {
    // Log B files other items: a tree of size 350, as A's published one, with another root.
    const r = cli('B', ['registry', 'import', 'B1.csv', '--as', 'Acme', '--json']);
    expect(r.status).toBe(0); // the filing itself is stored; its log publication is what the witnesses refuse
    const receipt = JSON.parse(r.stdout);
    expect(receipt.treeSize).toBe(350);
    expect(receipt.proof.status).toBe('pending');
    expect(receipt.proof.reason).toMatch(/witness1\.example\/w: 422: a different root hash at size 350/);
    expect(receipt.proof.reason).toMatch(/witness2\.example\/w: 422: a different root hash at size 350/);
    // The third witness (back from its state file at 300) refuses too: B's 350 does not extend A's 300.
    expect(receipt.proof.reason).toMatch(/witness3\.example\/w: 422: no valid consistency proof from size 300/);
    expect(r.stderr).toMatch(/chipwatch: note: no checkpoint covering these items has the cosignatures of 2 witness/);
    await settle();
    for (const w of witnesses.slice(0, 2))
      expect(w.out.join('\n')).toMatch(/refused \(422\): a different root hash at size 350/);

    // Larger and not an extension: refused with a bad consistency proof.
    const bigger = cli('B', ['registry', 'import', 'B2.csv', '--as', 'Acme', '--json']);
    expect(JSON.parse(bigger.stdout).proof.reason).toMatch(/422: no valid consistency proof from size 350/);

    // Nothing of B is published: no checkpoint to serve, no tiles, no bundle.
    const cp = cli('B', ['log', 'checkpoint']);
    expect(cp.status).toBe(1);
    expect(cp.stderr).toMatch(/checkpoint 360 is signed but not published: fewer than 2 witnesses cosigned it/);
    expect(cli('B', ['log', 'tiles', '--out', 'b-tiles']).stderr).toMatch(/no published checkpoint yet/);
    const pb = cli('B', ['log', 'proof-bundle', '--leaves', '0..9', '--out', 'b.json']);
    expect(pb.status).toBe(1);
    expect(pb.stderr).toMatch(/no published checkpoint covers leaf 9 yet \(published tree size 0\)/);
    // A is unaffected: its published checkpoint is still 350 with two cosignatures.
    const a = cli('A', ['log', 'checkpoint', '--json']);
    expect(JSON.parse(a.stdout)).toMatchObject({
      treeSize: 350,
      cosigners: ['witness1.example/w', 'witness2.example/w'],
    });
  }, 300_000);

  it('verify-proof names what failed in a tampered bundle', () => {
    const good = JSON.parse(readFileSync(join(root, 'r1.json'), 'utf8'));
    const wargs = witnesses.flatMap((w) => ['--witness-vkey', w.vkey]);
    const check = (doc: unknown, extra: string[] = ['--quorum', '2'], vkey = logVkey) => {
      writeFileSync(join(root, 'bad.json'), JSON.stringify(doc));
      const r = spawnSync(
        process.execPath,
        [BIN, 'log', 'verify-proof', 'bad.json', '--vkey', vkey, ...wargs, ...extra],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect({ status: r.status, stdout: r.stdout }).toEqual({ status: 1, stdout: '' });
      return r.stderr.trim();
    };
    const copy = () => structuredClone(good);
    const proof = copy();
    const p0 = proof.proof.bundle.items[5].proof;
    p0[2] = p0[3];
    expect(check(proof)).toMatch(
      /^chipwatch: item 6 \(leaf 5\): the inclusion proof does not lead to the checkpoint's root/,
    );
    const entry = copy();
    const e = Buffer.from(entry.proof.bundle.items[0].entry, 'base64');
    entry.proof.bundle.items[0].entry = Buffer.from(e.toString('utf8').replace('A1-', 'ZZ-')).toString('base64');
    expect(check(entry)).toMatch(/item 1 \(leaf 0\): the entry does not hash to its leaf hash/);
    const drop = (...names: string[]) => {
      const d = copy();
      const kept = d.proof.bundle.checkpoint.split('\n').filter((l: string) => !names.some((n) => l.includes(n)));
      d.proof.bundle.checkpoint = kept.join('\n');
      return d;
    };
    // All three witnesses cosigned the first checkpoint; without two of their lines the quorum fails.
    expect(check(drop('witness2.example', 'witness3.example'))).toMatch(
      /1 valid cosignature\(s\), the quorum is 2: none by witness2\.example\/w, witness3\.example\/w/,
    );
    expect(check(drop('witness3.example'), ['--quorum', '3'])).toMatch(
      /2 valid cosignature\(s\), the quorum is 3: none by witness3\.example\/w/,
    );
    const forgedCosig = copy();
    forgedCosig.proof.bundle.checkpoint = forgedCosig.proof.bundle.checkpoint.replace(
      /(\u2014 witness1\.example\/w \S{20})(\S)/,
      (_m: string, a: string, c: string) => a + (c === 'A' ? 'B' : 'A'),
    );
    expect(check(forgedCosig)).toMatch(/the cosignature by witness1\.example\/w (does not verify|has no valid time)/);
    const otherLog = 'other.example/log+11111111+AQ' + 'A'.repeat(42) + '=';
    expect(check(good, ['--quorum', '2'], otherLog)).toMatch(/vkey|log signature does not verify/);
    const bumped = copy();
    bumped.proof.bundle.checkpoint = bumped.proof.bundle.checkpoint.replace('\n300\n', '\n299\n');
    expect(check(bumped)).toMatch(/the checkpoint's log signature does not verify/);
    expect(check({ hello: 1 })).toMatch(/not a proof bundle: format/);
  }, 300_000);

  it('`serve --witness` publishes through the witnesses and every HTTP receipt carries a cosigned bundle', async () => {
    const a = logs.A;
    const flags = witnesses.flatMap((w) => ['--witness', `${w.url}=${w.vkey}`]);
    const key = cli('A', ['keys', 'create', '--role', 'filer', '--org', 'Acme', '--json'], false);
    expect(key.status).toBe(0);
    const apiKey = JSON.parse(key.stdout).key as string;
    const env = envOf('A');
    const server = await serve(['--data-dir', join(a.dir, 'data'), ...flags, '--witness-quorum', '2'], {
      ...env,
      DATABASE_URL: env.DATABASE_URL ?? '',
    });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/api/registry/filings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ items: sampleRows({ count: 4, seed: 9, serialPrefix: 'HTTP-' }) }),
      });
      expect(res.status).toBe(201);
      const receipt = (await res.json()) as {
        proof: { status: string; bundle: { treeSize: number; checkpoint: string } };
      };
      expect(receipt.proof.status).toBe('complete');
      expect(receipt.proof.bundle.treeSize).toBe(354);
      // All three witnesses are up again: the third caught up from its 300 via the 409 answer.
      expect(verifyCosignatures(receipt.proof.bundle.checkpoint, keys()).map((c) => c.name)).toEqual([
        'witness1.example/w',
        'witness2.example/w',
        'witness3.example/w',
      ]);
      writeFileSync(join(root, 'http-receipt.json'), JSON.stringify(receipt));
      const wargs = witnesses.flatMap((w) => ['--witness-vkey', w.vkey]);
      const v = spawnSync(
        process.execPath,
        [BIN, 'log', 'verify-proof', 'http-receipt.json', '--vkey', logVkey, ...wargs],
        {
          cwd: root,
          encoding: 'utf8',
        },
      );
      expect(v.stdout).toMatch(/^OK: 4 item\(s\) included in registry\.example\/log at tree size 354/);
      await settle();
      expect(witnesses[2].out.join('\n')).toMatch(
        /refused \(409\): old size 350 is not 300[\s\S]*cosigned .* size 354 \(old 300\)/,
      );
    } finally {
      await server.stop();
    }
  }, 300_000);
});
