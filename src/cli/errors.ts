// How the CLI ends: 0 success, 1 user error (one line on stderr), 2 usage error.
import { CommanderError } from 'commander';
import { isUserError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;

/** Thrown by commands for usage mistakes commander cannot see (bad flag values, conflicting options). */
export class UsageError extends Error {}

export function exitCodeFor(err: unknown, stderr: (s: string) => void): number {
  if (err instanceof CommanderError) {
    // help and version are "errors" in commander's control flow, but successes for the user.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE; // commander already printed its message
  }
  if (err instanceof UsageError) {
    stderr(`chipwatch: ${err.message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (isUserError(err)) {
    stderr(`chipwatch: ${err.toLine()}\n`);
    return EXIT_USER_ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  if (e && (e.code === 'ENOENT' || e.code === 'EACCES' || e.code === 'EISDIR') && e.path) {
    stderr(`chipwatch: cannot open ${e.path}: ${e.code === 'ENOENT' ? 'no such file' : e.code === 'EACCES' ? 'permission denied' : 'is a directory'}\n`);
    return EXIT_USER_ERROR;
  }
  if (e && e.code === 'ECONNREFUSED') {
    stderr(`chipwatch: connection refused (${e.message})\n`);
    return EXIT_USER_ERROR;
  }
  // A bug: say so briefly; the stack goes out only when asked for.
  stderr(`chipwatch: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.CHIPWATCH_DEBUG) stderr(`${(err as Error)?.stack ?? ''}\n`);
  return 70;
}
