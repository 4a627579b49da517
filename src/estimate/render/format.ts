// Number and text formatting shared by the terminal and SVG renderers: short human numbers for axis
// labels (1.2k, 140k, 3.4M) and XML escaping for user-controlled names.

const SUFFIXES: readonly [number, string][] = [
  [1e12, 'T'],
  [1e9, 'B'],
  [1e6, 'M'],
  [1e3, 'k'],
];

/** Rounds to `sig` significant digits and drops trailing zeros ("140", "1.2", "0.0035"). */
function plain(v: number, sig: number): string {
  const r = Number(v.toPrecision(sig));
  // Number→string switches to exponent form below 1e-6; we only get here for |v| >= 1e-3.
  return String(r);
}

/**
 * A short human-readable number: 1234 → "1.2k", 140000 → "140k", 3.4e6 → "3.4M", 0.00012 → "1.2e-4".
 * `sig` is the number of significant digits kept (2 by default; axis labels ask for more when needed).
 */
export function humanNumber(v: number, sig = 2): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '-∞';
  if (v === 0) return '0';
  const sign = v < 0 ? '-' : '';
  const a = Math.abs(v);
  if (a >= 1e15) return sign + expForm(a, sig);
  for (let i = 0; i < SUFFIXES.length; i++) {
    const [scale, suffix] = SUFFIXES[i];
    if (a >= scale) {
      const m = Number((a / scale).toPrecision(sig));
      // 999,999 rounds to "1000k": promote to the next suffix instead.
      if (m >= 1000 && i > 0) return sign + plain(m / 1000, sig) + SUFFIXES[i - 1][1];
      if (m >= 1000) return sign + expForm(a, sig);
      return sign + plain(m, sig) + suffix;
    }
  }
  if (a >= 1e-3) {
    const r = Number(a.toPrecision(sig));
    if (r >= 1000) return sign + '1k';
    return sign + plain(a, sig);
  }
  return sign + expForm(a, sig);
}

function expForm(a: number, sig: number): string {
  const [m, e] = a.toExponential(Math.max(0, sig - 1)).split('e');
  return `${String(Number(m))}e${Number(e)}`;
}

/**
 * Label for an axis tick: the shortest human number (at least 2 significant digits, at most 6) that
 * reads back as the tick value, so 1250 prints "1.25k" rather than a misleading "1.3k".
 */
export function tickLabel(v: number): string {
  if (v === 0) return '0';
  for (let sig = 1; sig <= 6; sig++) {
    if (Math.abs(Number(v.toPrecision(sig)) - v) <= Math.abs(v) * 1e-9) return humanNumber(v, Math.max(sig, 1));
  }
  return humanNumber(v, 6);
}

/** An integer with thousands separators: 1000000 → "1,000,000". */
export function groupedInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** A share 0..1 as a percentage with sensible precision: 0.41 → "41%", 0.005 → "0.5%". */
export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) >= 10) return `${p.toFixed(0)}%`;
  if (Math.abs(p) >= 0.1) return `${Number(p.toFixed(1))}%`;
  return `${Number(p.toPrecision(1))}%`;
}

/** Escapes text for XML content and attribute values. Names are user-controlled: always pass them here. */
export function escapeXml(s: string): string {
  // Control characters are not allowed in XML 1.0 at all (a parser rejects the whole file): drop them.
  // eslint-disable-next-line no-control-regex
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[<>&"']/g, (c) =>
      c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;',
    );
}

/** Shortens to at most `max` code points, ending in "…" when cut. */
export function truncate(s: string, max: number): string {
  const cps = Array.from(s);
  if (cps.length <= max) return s;
  return cps.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** Greedy word wrap to `width` columns (a word longer than the width gets a line of its own). */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}
