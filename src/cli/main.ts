// The chipwatch command: parses argv and dispatches to each domain's commands. Domain modules are
// loaded lazily inside actions so that `chipwatch estimate` does not pay for the server's start-up.
import { Command } from 'commander';
import { exitCodeFor } from './errors.js';
import { registerServeCommands } from './serve.js';
import { registerEstimateCommands } from '../estimate/cli.js';
import { registerRegistryCommands } from '../registry/cli.js';
import { registerVerifyCommands } from '../verify/cli.js';
import { registerLogCommands } from '../tlog/cli.js';
import { registerScreeningCommands } from '../screening/cli.js';

export function buildProgram(): Command {
  const program = new Command('chipwatch')
    .description('Estimate, detect and prevent the smuggling of export-controlled AI chips')
    .version('0.1.0')
    .showHelpAfterError('(add --help for usage)')
    // Options belong to the command they follow, so `estimate models --json` reaches `models`.
    .enablePositionalOptions()
    .exitOverride();
  registerServeCommands(program);
  registerEstimateCommands(program);
  registerRegistryCommands(program);
  registerVerifyCommands(program);
  registerLogCommands(program);
  registerScreeningCommands(program);
  // Every subcommand exits through run() instead of process.exit, so errors are rendered in one place.
  const override = (cmd: Command) => { cmd.exitOverride(); cmd.commands.forEach(override); };
  override(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (err) {
    return exitCodeFor(err, (s) => process.stderr.write(s));
  }
}
