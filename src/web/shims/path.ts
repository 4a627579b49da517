// Browser stand-in for the two node:path functions the estimator's modules call while loading.
export function join(...parts: string[]): string {
  return parts.join('/').replace(/\/+/g, '/');
}
export function dirname(p: string): string {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}
