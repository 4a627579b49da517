// The chipwatch command: parses argv and dispatches to each domain's commands. A command line that
// names a top-level command loads only that domain's command module (start-up is part of every
// command's time: `chipwatch estimate` does not load the registry's or the server's); help, and
// anything unknown, load them all. Domain libraries are loaded lazily inside actions.
import { Command } from 'commander';
import { exitCodeFor } from './errors.js';
import type { Db } from '../db/index.js';
import type { shipmentLocationEvidence } from '../server/evidence-wiring.js';

type Register = (program: Command) => void;

/** DATABASE_URL and CHIPWATCH_LOG_KEK, read here until src/app/ assembles configuration. */
type Local = {
  databaseUrl?: string; logKek?: string;
  locationEvidence?: (db: Db) => Promise<ReturnType<typeof shipmentLocationEvidence>>;
};
const local = (register: (program: Command, local: Local) => void): Register => (program) => register(program, {
  databaseUrl: process.env.DATABASE_URL || undefined,
  logKek: process.env.CHIPWATCH_LOG_KEK || undefined,
  // Location-verification evidence for `cases verify-due`: the verifier's results, wired lazily.
  locationEvidence: async (db) => (await import('../server/evidence-wiring.js')).shipmentLocationEvidence(db),
});

/** Each domain's top-level commands and how to register them (test/cli/startup.test.ts checks the lists). */
export const DOMAINS: { commands: string[]; load: () => Promise<Register> }[] = [
  { commands: ['serve', 'keys'], load: async () => (await import('./serve.js')).registerServeCommands },
  { commands: ['estimate'], load: async () => {
    const { registerEstimateCommands } = await import('../estimate/cli.js');
    // CHIPWATCH_WASM=0: the estimator's JavaScript reference loops only (same numbers), for comparisons.
    return (program) => registerEstimateCommands(program, { useWasm: process.env.CHIPWATCH_WASM !== '0' });
  } },
  { commands: ['registry'], load: async () => local((await import('../registry/cli.js')).registerRegistryCommands) },
  { commands: ['landmark', 'agent', 'verify'],
    load: async () => local((await import('../verify/cli.js')).registerVerifyCommands) },
  { commands: ['log'], load: async () => local((await import('../tlog/cli.js')).registerLogCommands) },
  { commands: ['screen', 'lists', 'redflags', 'cases'],
    load: async () => local((await import('../screening/cli.js')).registerScreeningCommands) },
];

/** The program with the given domains' commands (all of them by default). */
export async function buildProgram(domains = DOMAINS): Promise<Command> {
  const program = new Command('chipwatch')
    .description('Estimate, detect and prevent the smuggling of export-controlled AI chips')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Options belong to the command they follow, so `estimate models --json` reaches `models`.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of await Promise.all(domains.map((d) => d.load()))) register(program);
  // Every subcommand exits through run() instead of process.exit, so errors are rendered in one place.
  const override = (cmd: Command) => { cmd.exitOverride(); cmd.commands.forEach(override); };
  override(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    // The first word that is not an option names the command (the program's own options take no value).
    const first = argv.slice(2).find((a) => !a.startsWith('-'));
    const domain = DOMAINS.find((d) => first !== undefined && d.commands.includes(first));
    await (await buildProgram(domain ? [domain] : DOMAINS)).parseAsync(argv);
    return 0;
  } catch (err) {
    return exitCodeFor(err, (s) => process.stderr.write(s));
  }
}
