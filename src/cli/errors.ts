// How the CLI ends: 0 success, 1 user error (one line on stderr), 2 usage error, 70 internal error (a bug).
import { CommanderError, InvalidArgumentError } from 'commander';
import { isUserError } from '../errors.js';

export const EXIT_OK = 0;
export const EXIT_USER_ERROR = 1;
export const EXIT_USAGE = 2;
/** EX_SOFTWARE of sysexits.h: a bug in chipwatch, not in what the user gave it. */
export const EXIT_INTERNAL = 70;

/** Thrown by commands for usage mistakes commander cannot see (bad flag values, conflicting options). */
export class UsageError extends Error {}

/** How the program ends for `err`; with `debug`, an internal error prints its stack too. */
export function exitCodeFor(err: unknown, stderr: (s: string) => void, opts: { debug?: boolean } = {}): number {
  // An argument parser called from an action (not by commander itself, which prints its own errors).
  if (err instanceof InvalidArgumentError) {
    stderr(`chipwatch: ${err.message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (err instanceof CommanderError) {
    // help and version are "errors" in commander's control flow, but successes for the user.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return EXIT_OK;
    // Commander already printed its message; 'commander.help' (a command group without its
    // subcommand, help printed) is an incomplete call, so a usage error too.
    return EXIT_USAGE;
  }
  if (err instanceof UsageError) {
    stderr(`chipwatch: ${err.message} (see --help)\n`);
    return EXIT_USAGE;
  }
  if (isUserError(err)) {
    stderr(`chipwatch: ${err.toLine()}\n`);
    return EXIT_USER_ERROR;
  }
  const line = systemErrorLine(err);
  if (line) {
    stderr(`chipwatch: ${line}\n`);
    return EXIT_USER_ERROR;
  }
  const e = err as NodeJS.ErrnoException;
  // A bug: say so briefly; the stack goes out only when asked for.
  stderr(`chipwatch: internal error: ${e?.message ?? String(err)}\n`);
  if (opts.debug) stderr(`${(err as Error)?.stack ?? ''}\n`);
  return EXIT_INTERNAL;
}

const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'already exists (not overwritten)',
  ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system',
};

/**
 * One line for the errors the user's environment causes (files, ports, unreachable servers), which
 * are not bugs: a missing file, a port in use, a server that does not answer.
 */
export function systemErrorLine(err: unknown): string | undefined {
  const e = err as NodeJS.ErrnoException & { address?: string; port?: number; cause?: unknown };
  if (!e || typeof e !== 'object') return undefined;
  if (e.code && FILE_ERRORS[e.code] && e.path) return `${e.path}: ${FILE_ERRORS[e.code]}`;
  if (e.code === 'EADDRINUSE' || e.code === 'EADDRNOTAVAIL' || (e.code === 'EACCES' && e.syscall === 'listen')) {
    const port = e.port !== undefined ? `:${e.port}` : '';
    const reason =
      e.code === 'EADDRINUSE'
        ? 'address already in use'
        : e.code === 'EACCES'
          ? 'permission denied'
          : 'address not available';
    return `cannot listen on ${e.address ?? ''}${port}: ${reason}`;
  }
  if (
    e.code === 'ECONNREFUSED' ||
    e.code === 'ECONNRESET' ||
    e.code === 'ETIMEDOUT' ||
    e.code === 'ENOTFOUND' ||
    e.code === 'EHOSTUNREACH'
  ) {
    const host = e.address ?? (e as { hostname?: string }).hostname ?? 'the server';
    return `cannot reach ${host}${e.port !== undefined ? `:${e.port}` : ''}: ${e.code}`;
  }
  // fetch() wraps the socket error: "TypeError: fetch failed" with the reason as its cause.
  if (e instanceof TypeError && e.message === 'fetch failed') {
    const inner = e.cause ? systemErrorLine(e.cause) : undefined;
    return inner ?? `cannot reach the server: ${(e.cause as Error | undefined)?.message ?? 'fetch failed'}`;
  }
  return undefined;
}
