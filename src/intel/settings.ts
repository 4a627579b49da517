// What the assembler hands the intelligence commands: where the database is.
import type { DbSettings } from '../cli/db.js';

export type IntelSettings = DbSettings;
