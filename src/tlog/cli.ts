// `chipwatch log ...`: checkpoints, proofs and audits of the transparency log, on the local database
// (PGlite in --data-dir, or DATABASE_URL; run locally the CLI is the log operator) or on a remote
// chipwatch server (--server URL --key API_KEY). Remote answers are verified before they are shown.
import type { Command } from 'commander';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Db } from '../db/index.js';
import { UserError } from '../errors.js';
import { UsageError } from '../cli/errors.js';
import { nonNegativeInt, positiveInt, print, printJson, collect } from '../cli/io.js';
import { withDb } from '../cli/db.js';
import type { AuditReport } from './audit.js';

const DATA_DIR_HELP = 'data directory for the embedded database';

/** The audit found the log altered; the message names the first index. */
export class AuditFailedError extends UserError {
  override readonly code = 'audit-failed';
}

interface RemoteOpts {
  server?: string;
  key?: string;
  vkey?: string;
  dataDir: string;
  json?: boolean;
}

/** What the caller (the program's assembler) read from the environment: DATABASE_URL, CHIPWATCH_LOG_KEK. */
export interface LocalLogOptions {
  databaseUrl?: string;
  logKek?: string;
  /** CHIPWATCH_WITNESSES (URL=VKEY each) and CHIPWATCH_WITNESS_QUORUM: a checkpoint is published once cosigned. */
  witnesses?: string[];
  witnessQuorum?: number;
}

async function localPolicy(local: LocalLogOptions) {
  const { witnessPolicy } = await import('./publish.js');
  return witnessPolicy(local.witnesses ?? [], local.witnessQuorum);
}

async function localSigner(db: Db, local: LocalLogOptions, dataDir: string, origin?: string) {
  const { signerFrom } = await import('./index.js');
  return signerFrom(db, { dataDir, logKek: local.logKek }, origin)();
}

function remote(opts: RemoteOpts) {
  if (opts.key && !opts.server) throw new UsageError('--key needs --server');
  return opts.server ? import('./client.js').then(({ RemoteLog }) => new RemoteLog(opts.server!, opts.key)) : null;
}

/** The trusted verifier key: --vkey, else the server's own (trust on first use, said out loud). */
async function trustedVkey(opts: RemoteOpts, fetchIt: () => Promise<string>): Promise<string> {
  if (opts.vkey) return opts.vkey;
  const v = await fetchIt();
  if (!opts.json)
    process.stderr.write(`chipwatch: note: verifying with the log's own key ${v} (pass --vkey to pin it)\n`);
  return v;
}

function printReport(r: AuditReport, json?: boolean, light?: boolean): void {
  if (json) {
    printJson(r);
    return;
  }
  if (light)
    print(
      `log ${r.origin}: light check of the current checkpoint against ` +
        `${r.problems.length ? 'the' : r.checkpointsVerified - 1} saved checkpoint(s), no entries downloaded`,
    );
  else
    print(
      `log ${r.origin}: ${r.entriesChecked} entries, ${r.checkpointsVerified} checkpoint(s) reproduced, verified up ` +
        `to tree size ${r.verifiedTreeSize}`,
    );
  if (r.unsignedEntries > 0)
    print(
      `  note: the last ${r.unsignedEntries} entries are not covered by a checkpoint yet (chipwatch log checkpoint)`,
    );
  const shown = r.problems.slice(0, 20);
  for (const p of shown) print(`  ${p.kind}: ${p.message}`);
  const more = r.problems.length - shown.length + r.problemsOmitted;
  if (more > 0) print(`  ... and ${more} more (--json lists up to 1,000)`);
  print(
    r.ok
      ? light
        ? `OK: tree size ${r.verifiedTreeSize} extends every saved checkpoint`
        : 'OK: every entry matches the signed checkpoints'
      : `FAILED: ${r.problems.length + r.problemsOmitted} problem(s)`,
  );
}

type CheckpointOpts = RemoteOpts & { origin?: string };
type ProveOpts = RemoteOpts & { leafHash?: string; consistency?: number };
type VerifyOpts = RemoteOpts & { known: string[]; state?: string; light?: boolean };

async function checkpointAction(local: LocalLogOptions, opts: CheckpointOpts): Promise<void> {
  const { verifyCheckpoint, toBase64 } = await import('./index.js');
  const r = await remote(opts);
  const out = r
    ? await (async () => {
        const cp = await r.checkpoint();
        const vkey = await trustedVkey(opts, async () => (await r.vkey()).vkey);
        verifyCheckpoint(cp.note, vkey);
        return { ...cp, vkey };
      })()
    : await withDb(local, opts.dataDir, async (db, dataDir) => {
        const { publishCheckpoint } = await import('./publish.js');
        const policy = await localPolicy(local);
        const signer = await localSigner(db, local, dataDir, opts.origin);
        const r = await publishCheckpoint(db, signer, new Date(), policy);
        for (const x of r.refusals)
          process.stderr.write(`chipwatch: witness ${x.witness} did not cosign: ${x.reason}\n`);
        if (!r.published || r.published.treeSize < r.signed.treeSize) {
          const { ConflictError } = await import('../errors.js');
          throw new ConflictError(
            `checkpoint ${r.signed.treeSize} is signed but not published: fewer than ${policy?.quorum} witnesses ` +
              `cosigned it (published tree size: ${r.published?.treeSize ?? 'none'})`,
          );
        }
        const cp = r.published;
        return {
          treeSize: cp.treeSize,
          rootHash: toBase64(cp.rootHash),
          note: cp.note,
          createdAt: cp.createdAt.toISOString(),
          vkey: signer.vkey,
          cosigners: cp.cosigners,
        };
      });
  if (opts.json) printJson(out);
  else process.stdout.write(out.note);
}

async function proveAction(local: LocalLogOptions, indexArg: string | undefined, opts: ProveOpts): Promise<void> {
  const index = indexArg === undefined ? undefined : nonNegativeInt('index')(indexArg);
  const modes = [index, opts.leafHash, opts.consistency].filter((m) => m !== undefined).length;
  if (modes !== 1) throw new UsageError('give exactly one of INDEX, --leaf-hash or --consistency');
  const { prove } = await import('./prove.js');
  const r = await remote(opts);
  const request = { index, leafHash: opts.leafHash, from: opts.consistency };
  const out = r
    ? await prove.remote(r, request, (f) => trustedVkey(opts, f))
    : await withDb(local, opts.dataDir, async (db, dataDir) => {
        const signer = await localSigner(db, local, dataDir).catch(() => undefined);
        return prove.local(db, request, signer, (f) => trustedVkey(opts, f));
      });
  if (opts.json) return printJson(out);
  if (out.kind === 'inclusion') {
    print(
      `leaf ${out.index} (hash ${out.leafHash}) is in tree size ${out.treeSize}: verified against the signed ` +
        `checkpoint`,
    );
  } else {
    print(
      `tree size ${out.treeSize} extends tree size ${out.from} (root ${out.fromRoot}): ` +
        'verified against the signed checkpoint',
    );
  }
  out.proof.forEach((h, i) => {
    print(`  proof[${i}] ${h}`);
  });
}

async function verifyAction(local: LocalLogOptions, opts: VerifyOpts): Promise<void> {
  const known = opts.known.map((f) => readFileSync(f, 'utf8'));
  if (opts.state && existsSync(opts.state)) known.push(readFileSync(opts.state, 'utf8'));
  const r = await remote(opts);
  if (opts.light && (!r || known.length === 0)) {
    throw new UsageError('--light needs --server and a saved checkpoint (--known or an existing --state file)');
  }
  const report = r
    ? await import('./client.js').then(async ({ auditRemoteLog, checkRemoteConsistency }) => {
        const vkey = await trustedVkey(opts, async () => (await r.vkey()).vkey);
        const audit = opts.light ? checkRemoteConsistency : auditRemoteLog;
        return audit(r, { vkey, knownCheckpoints: known });
      })
    : await withDb(local, opts.dataDir, async (db) => {
        const { auditLocalLog, logVerifierKey } = await import('./index.js');
        const vkey = await trustedVkey(opts, async () => (await logVerifierKey(db)).vkey);
        return auditLocalLog(db, { vkey, knownCheckpoints: known });
      });
  printReport(report, opts.json, opts.light);
  // Only a clean audit moves the saved state forward; a failed one keeps the evidence it failed on.
  if (report.ok && opts.state && report.verifiedCheckpoint) writeFileSync(opts.state, report.verifiedCheckpoint);
  if (!report.ok) {
    const first = report.problems.find((p) => p.index === report.firstBadIndex) ?? report.problems[0];
    const at = report.firstBadIndex === null ? '' : ` at index ${report.firstBadIndex}`;
    throw new AuditFailedError(`log verify failed${at}: ${first.message}`);
  }
}

async function vkeyAction(local: LocalLogOptions, opts: { dataDir: string }): Promise<void> {
  const { logVerifierKey } = await import('./index.js');
  print((await withDb(local, opts.dataDir, (db) => logVerifierKey(db))).vkey);
}

async function tilesAction(local: LocalLogOptions, opts: { out: string; dataDir: string; json?: boolean }) {
  const { writeStaticTiles } = await import('./tiles/static.js');
  const { publishedCheckpoint } = await import('./publish.js');
  const policy = await localPolicy(local);
  const started = performance.now();
  const report = await withDb(local, opts.dataDir, async (db) => {
    const cp = await publishedCheckpoint(db, policy);
    if (!cp) throw new UserError('the log has no published checkpoint yet (chipwatch log checkpoint)');
    return writeStaticTiles(db, opts.out, cp);
  });
  const seconds = (performance.now() - started) / 1000;
  if (opts.json) return printJson({ ...report, seconds });
  print(
    `tree size ${report.treeSize}: ${report.written} tile(s) written (${report.bytes} bytes), ` +
      `${report.skipped} full tile(s) already there, checkpoint last; ${seconds.toFixed(2)} s`,
  );
}

/** "A..B" (inclusive) → [A, B + 1). */
function leafRange(v: string): { start: number; end: number } {
  const m = /^(\d+)\.\.(\d+)$/.exec(v);
  const [a, b] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || !Number.isSafeInteger(b) || a > b) throw new UsageError('--leaves must be FIRST..LAST (inclusive)');
  return { start: a, end: b + 1 };
}

async function proofBundleAction(local: LocalLogOptions, opts: { leaves: string; out: string; dataDir: string }) {
  const { start, end } = leafRange(opts.leaves);
  const { bundleFor } = await import('./proofs/build.js');
  const { publishedCheckpoint } = await import('./publish.js');
  const policy = await localPolicy(local);
  const bundle = await withDb(local, opts.dataDir, async (db) => {
    const cp = await publishedCheckpoint(db, policy);
    if (!cp || cp.treeSize < end) {
      const why = policy ? `cosigned by ${policy.quorum} witness(es)` : 'signed';
      throw new UserError(
        `no published checkpoint covers leaf ${end - 1} yet (published tree size ${cp?.treeSize ?? 0}): ` +
          `wait for one ${why} (chipwatch log checkpoint)`,
      );
    }
    return bundleFor(db, start, end, cp);
  });
  writeFileSync(opts.out, `${JSON.stringify(bundle, null, 1)}\n`);
  print(
    `${bundle.items.length} inclusion proof(s) against tree size ${bundle.treeSize}` +
      `${bundle.cosigners.length ? `, cosigned by ${bundle.cosigners.join(', ')}` : ''}: written to ${opts.out}`,
  );
}

type VerifyProofOpts = { vkey?: string; witnessVkey: string[]; quorum?: number; json?: boolean };

/** Checks a proof bundle or a receipt carrying one, with keys only: no network, no database. */
async function verifyProofAction(file: string, opts: VerifyProofOpts): Promise<void> {
  if (!opts.vkey) throw new UsageError("--vkey is required: the log's verifier key (chipwatch log vkey)");
  const { verifyProofBundle, BundleError } = await import('./proofs/bundle.js');
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new BundleError(`${file} is not JSON: ${(e as Error).message}`);
  }
  // A filing receipt (registry import --json, the HTTP answer) carries its bundle in proof.bundle.
  const receipt = doc as { proof?: { status?: string; bundle?: unknown; reason?: string; command?: string } };
  if (receipt?.proof?.status === 'pending')
    throw new BundleError(`the receipt has no proof yet: ${receipt.proof.reason}; later run ${receipt.proof.command}`);
  const v = verifyProofBundle(receipt?.proof?.bundle ?? doc, {
    vkey: opts.vkey,
    witnessVkeys: opts.witnessVkey,
    quorum: opts.quorum,
  });
  if (opts.json) return printJson({ ok: true, ...v });
  const by = v.cosignedBy.map((c) => `${c.name} at ${c.time}`).join(', ');
  print(`OK: ${v.items} item(s) included in ${v.origin} at tree size ${v.treeSize}, root ${v.rootHash}`);
  print(by ? `  cosigned by ${by}` : '  no witness cosignature checked (pass --witness-vkey)');
}

/** The options every log command shares: a remote server (verified) or the local database. */
function remoteOptions(c: Command): Command {
  return c
    .option('--server <url>', 'a chipwatch server to query instead of the local database')
    .option('--key <apiKey>', 'API key for --server (role auditor, regulator or admin)')
    .option('--vkey <vkey>', "the log's verifier key to trust (default: the log's own, trust on first use)")
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON');
}

export function registerLogCommands(program: Command, local: LocalLogOptions = {}): void {
  const log = program
    .command('log')
    .description('transparency log (RFC 9162 Merkle tree, C2SP signed checkpoints): checkpoints, proofs, audits');
  remoteOptions(log.command('checkpoint'))
    .description(
      "sign and store a checkpoint of the local log now, or fetch and verify a server's current one; " +
        'prints the signed note',
    )
    .option('--origin <name>', 'origin (key name) of a new local log; only used when the log key is created')
    .action((opts: CheckpointOpts) => checkpointAction(local, opts));
  remoteOptions(log.command('prove [index]'))
    .description(
      'inclusion proof of a leaf (by index or --leaf-hash), or --consistency FROM, against the current ' +
        'signed checkpoint; verified before printing',
    )
    .option('--leaf-hash <base64>', 'prove the leaf with this hash instead of an index')
    .option(
      '--consistency <fromSize>',
      'prove that the current tree extends the tree of this size',
      positiveInt('fromSize'),
    )
    .action((index: string | undefined, opts: ProveOpts) => proveAction(local, index, opts));
  remoteOptions(log.command('verify'))
    .description(
      'audit the whole log: every checkpoint signature, every leaf hash, every signed root; ' +
        'fails naming the first altered or missing index',
    )
    .option(
      '--known <file>',
      'a checkpoint note saved earlier (repeatable): the log must still be consistent with it',
      collect,
      [],
    )
    .option(
      '--state <file>',
      'auditor state: read as --known when it exists; after a clean audit, the newest verified checkpoint is written ' +
        'to it',
    )
    .option(
      '--light',
      'with --server: only check that the current checkpoint extends the --known/--state ones ' +
        '(consistency proofs, no entries downloaded)',
    )
    .action((opts: VerifyOpts) => verifyAction(local, opts));
  log
    .command('tiles')
    .description(
      'write the log as C2SP tlog-tiles static files (checkpoint, tile/..., tile/entries/...) for any web ' +
        'server or object store; incremental',
    )
    .requiredOption('--out <dir>', 'directory to write (the log prefix)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .option('--json', 'print JSON')
    .action((opts: { out: string; dataDir: string; json?: boolean }) => tilesAction(local, opts));
  log
    .command('proof-bundle')
    .description(
      'write the offline proof bundle of leaves FIRST..LAST: the published checkpoint and each inclusion proof',
    )
    .requiredOption('--leaves <first..last>', 'leaf indices, inclusive (a receipt names them)')
    .requiredOption('--out <file>', 'bundle file to write (JSON)')
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action((opts: { leaves: string; out: string; dataDir: string }) => proofBundleAction(local, opts));
  log
    .command('verify-proof <file>')
    .description(
      'check a proof bundle (or a receipt carrying one) offline: the log signature, the witness ' +
        'cosignatures, every inclusion proof',
    )
    .option('--vkey <vkey>', "the log's verifier key")
    .option('--witness-vkey <vkey>', 'a witness verifier key to require (repeatable)', collect, [])
    .option(
      '--quorum <n>',
      'valid cosignatures needed (default: every --witness-vkey)',
      nonNegativeInt('--quorum', 100),
    )
    .option('--json', 'print JSON')
    .action((file: string, opts: VerifyProofOpts) => verifyProofAction(file, opts));
  log
    .command('vkey')
    .description("print the local log's verifier key (publish it; auditors pass it as --vkey)")
    .option('--data-dir <dir>', DATA_DIR_HELP, '.chipwatch')
    .action((opts: { dataDir: string }) => vkeyAction(local, opts));
}
