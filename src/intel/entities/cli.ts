// `chipwatch intel ...` commands of this area (registered by ../cli.ts).
import type { Command } from 'commander';
import type { IntelSettings } from '../settings.js';

export function registerEntitiesCommands(_intel: Command, _settings: IntelSettings): void {}
