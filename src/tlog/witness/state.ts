// The witness's durable memory: the latest cosigned checkpoint of each log, in one JSON file replaced
// atomically (write a temporary file, fsync, rename, fsync the directory), and an in-process queue so
// the check of the old size and the update happen as one step (tlog-witness asks for that atomicity).
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { WitnessedCheckpoint } from './protocol.js';

interface StateFile {
  version: 1;
  logs: Record<string, WitnessedCheckpoint>;
}

export class WitnessState {
  private state: StateFile;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly file: string) {
    this.state = existsSync(file) ? WitnessState.read(file) : { version: 1, logs: {} };
  }

  private static read(file: string): StateFile {
    const s = JSON.parse(readFileSync(file, 'utf8')) as StateFile;
    if (s?.version !== 1 || typeof s.logs !== 'object' || s.logs === null)
      throw new Error(`${file} is not a chipwatch witness state file`);
    return s;
  }

  get(origin: string): WitnessedCheckpoint | undefined {
    return Object.hasOwn(this.state.logs, origin) ? this.state.logs[origin] : undefined;
  }

  /**
   * Runs `step` on the log's latest state, one call at a time; when it returns a new state, that state
   * is on disk before the returned promise resolves. A throwing step changes nothing.
   */
  update<T>(origin: string, step: (last: WitnessedCheckpoint | undefined) => { next: WitnessedCheckpoint; out: T }) {
    const run = this.queue.then(() => {
      const { next, out } = step(this.get(origin));
      const state: StateFile = { version: 1, logs: { ...this.state.logs, [origin]: next } };
      this.persist(state);
      this.state = state;
      return out;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private persist(state: StateFile): void {
    const tmp = `${this.file}.tmp-${process.pid}`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(state, null, 1)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.file);
    const dir = openSync(dirname(this.file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
