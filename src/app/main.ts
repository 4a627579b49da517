// The chipwatch command: reads the configuration once, then parses argv and dispatches to each domain's
// commands, handing each the settings it needs. A command line that names a top-level command loads only
// that domain's command module (start-up is part of every command's time: `chipwatch estimate` loads neither
// the registry nor the server); help, and anything unknown, load them all.
import { Command } from 'commander';
import { exitCodeFor } from '../cli/errors.js';
import { type Config, loadConfig } from './config.js';

type Register = (program: Command) => void;

interface Domain {
  commands: string[];
  load: (config: Config) => Promise<Register>;
}

/** Each domain's top-level commands and how to register them (test/cli/startup.test.ts checks the lists). */
export const DOMAINS: Domain[] = [
  {
    commands: ['serve'],
    load: async (config) => {
      const { registerServeCommand } = await import('./serve.js');
      return (program) => registerServeCommand(program, config);
    },
  },
  {
    commands: ['keys'],
    load: async (config) => {
      const { registerKeyCommands } = await import('../accounts/cli.js');
      return (program) => registerKeyCommands(program, config);
    },
  },
  {
    commands: ['estimate'],
    load: async (config) => {
      const { registerEstimateCommands } = await import('../estimate/cli.js');
      return (program) =>
        registerEstimateCommands(program, {
          useWasm: config.useWasm,
          // input("name") in a model reads the evidence aggregates (intel), loaded only when a model reads one.
          inputs: async (dataDir) => (await import('./wiring.js')).evidenceInputs(config, dataDir),
        });
    },
  },
  {
    commands: ['registry'],
    load: async (config) => {
      const { registerRegistryCommands } = await import('../registry/cli.js');
      return (program) => registerRegistryCommands(program, config);
    },
  },
  {
    commands: ['landmark', 'agent', 'verify'],
    load: async (config) => {
      const { registerVerifyCommands } = await import('../verify/cli.js');
      return (program) => registerVerifyCommands(program, config);
    },
  },
  {
    commands: ['log'],
    load: async (config) => {
      const { registerLogCommands } = await import('../tlog/cli.js');
      return (program) => registerLogCommands(program, config);
    },
  },
  {
    commands: ['witness'],
    load: async () => {
      const { registerWitnessCommands } = await import('../tlog/witness/cli.js');
      return (program) => registerWitnessCommands(program);
    },
  },
  {
    commands: ['tips'],
    load: async (config) => {
      const { registerTipsCommands } = await import('../tips/cli.js');
      return (program) => registerTipsCommands(program, config);
    },
  },
  {
    commands: ['intel'],
    load: async (config) => {
      const { registerIntelCommands } = await import('../intel/cli.js');
      return (program) => registerIntelCommands(program, { databaseUrl: config.databaseUrl });
    },
  },
  {
    commands: ['screen', 'lists', 'redflags', 'cases'],
    load: async (config) => {
      const { registerScreeningCommands } = await import('../screening/cli.js');
      return (program) =>
        registerScreeningCommands(program, {
          databaseUrl: config.databaseUrl,
          // `cases verify-due` takes its evidence from the verifier, wired here and loaded on use.
          locationEvidence: async (db) => (await import('./wiring.js')).shipmentLocationEvidence(db),
          // `lists update` re-screens the registry's owners and operators as well as the case parties.
          partySources: async () => (await import('./wiring.js')).knownPartySources(),
        });
    },
  },
];

/** The program with the given domains' commands (all of them by default). */
export async function buildProgram(config: Config, domains = DOMAINS): Promise<Command> {
  const program = new Command('chipwatch')
    .description('Estimate, detect and prevent the smuggling of export-controlled AI chips')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Options belong to the command they follow, so `estimate models --json` reaches `models`.
    .enablePositionalOptions()
    .exitOverride();
  for (const register of await Promise.all(domains.map((d) => d.load(config)))) register(program);
  // Every subcommand exits through run() instead of process.exit, so errors are rendered in one place.
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

export async function run(argv: string[], env: Record<string, string | undefined> = process.env): Promise<number> {
  const stderr = (s: string) => process.stderr.write(s);
  let debug = Boolean(env.CHIPWATCH_DEBUG);
  try {
    const config = loadConfig(env);
    debug = config.debug;
    // The first word that is not an option names the command (the program's own options take no value).
    const first = argv.slice(2).find((a) => !a.startsWith('-'));
    const domain = DOMAINS.find((d) => first !== undefined && d.commands.includes(first));
    await (await buildProgram(config, domain ? [domain] : DOMAINS)).parseAsync(argv);
    return 0;
  } catch (err) {
    return exitCodeFor(err, stderr, { debug });
  }
}
