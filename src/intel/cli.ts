// `chipwatch intel ...`: evidence, entities and their resolution, networks, dossiers and serial alerts.
import type { Command } from 'commander';
import { registerEntitiesCommands } from './entities/cli.js';
import { registerEvidenceCommands } from './evidence/cli.js';
import { registerNetworkCommands } from './network/cli.js';
import type { IntelSettings } from './settings.js';

export function registerIntelCommands(program: Command, settings: IntelSettings): void {
  const intel = program
    .command('intel')
    .description('intelligence: evidence, entities (FollowTheMoney), networks, dossiers and serial alerts');
  registerEvidenceCommands(intel, settings);
  registerEntitiesCommands(intel, settings);
  registerNetworkCommands(intel, settings);
}
