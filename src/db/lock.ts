// One process at a time on an embedded database: PGlite keeps its data directory to itself, and a
// second process writing to the same directory loses its writes silently (seen with `chipwatch keys
// create` beside a running `chipwatch serve`). A lock file next to the directory names the holder's
// pid; a lock whose process is gone (kill -9) is taken over.
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { ConflictError } from '../errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dataDir`; returns its release (idempotent; also run at process exit). */
export function lockDataDir(dataDir: string): () => void {
  const file = `${dataDir}.lock`;
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      let holder = NaN;
      try {
        holder = Number(readFileSync(file, 'utf8').trim());
      } catch {
        /* vanished: retry */
      }
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new ConflictError(
          `the embedded database in ${dataDir} is in use by process ` +
            `${holder}${holder === process.pid ? ' (this one)' : ' (a running chipwatch serve?)'}; ` +
            'stop it first, or go through its HTTP API, or use a PostgreSQL server (DATABASE_URL)',
        );
      }
      try {
        unlinkSync(file);
      } catch {
        /* someone else took it over: the retry will tell */
      }
    }
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      /* already gone */
    }
  };
  process.on('exit', release);
  return release;
}
