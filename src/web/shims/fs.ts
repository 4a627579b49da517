// Browser stand-in for node:fs in the estimate worker: there is no file system, so nothing exists and a read
// fails (the estimator then uses the WebAssembly module the worker handed it, or its JavaScript loops).
export function readFileSync(path: string): never {
  throw new Error(`no file system in the browser: ${path}`);
}
export function existsSync(): boolean {
  return false;
}
