// Long bulk commands (a streamed registry import of millions of rows) allocate far faster than V8's
// heuristics collect: its heap grows to hundreds of MB of garbage. A full collection between batches keeps
// the process's memory at what it really holds; V8 exposes one only behind a flag, set here at run time.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let gc: (() => void) | undefined;

/** Runs a full garbage collection now (a few tens of ms on a small heap). */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
}
