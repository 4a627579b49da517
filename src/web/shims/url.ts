// Browser stand-in for node:url's fileURLToPath (src/paths.ts locates the package from its own URL).
export function fileURLToPath(url: string | URL): string {
  return new URL(String(url)).pathname;
}
export function pathToFileURL(path: string): URL {
  return new URL(path, 'file:///');
}
