// A model (and its scenario) shared by URL: both live in the fragment, base64url of UTF-8, so a shared model
// never reaches the server's logs.
export interface Shared {
  source: string;
  scenario: string;
}

const toB64 = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replaceAll('+', '-')
    .replaceAll('/', '_')
    .replace(/=+$/, '');
const fromB64 = (s: string) =>
  new TextDecoder().decode(Uint8Array.from(atob(s.replaceAll('-', '+').replaceAll('_', '/')), (c) => c.charCodeAt(0)));

export function shareHash(s: Shared): string {
  return `#m=${toB64(s.source)}${s.scenario ? `&s=${toB64(s.scenario)}` : ''}`;
}

export function readShared(hash: string): Shared | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const m = params.get('m');
  if (!m) return null;
  try {
    return { source: fromB64(m), scenario: params.get('s') ? fromB64(params.get('s')!) : '' };
  } catch {
    return null;
  }
}

/** Scenario lines `name = expression` as the engine's overrides; a line that is not one is named. */
export function parseScenario(text: string): Record<string, string> {
  const set: Record<string, string> = {};
  text.split('\n').forEach((line, i) => {
    const t = line.replace(/\/\/.*$/, '').trim();
    if (!t) return;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(t);
    if (!m) throw new Error(`scenario line ${i + 1}: write name = expression`);
    set[m[1]] = m[2];
  });
  return set;
}
