// The shared entity type every list parser produces (CSL CSV, CSL JSON, OFAC SDN + alt), so matching,
// diffing and storage never care where an entry came from.

export type EntryType = 'entity' | 'individual' | 'vessel' | 'aircraft' | 'unknown';

export interface Address {
  /** The address as one line, as the list printed it. */
  text: string;
  city?: string;
  state?: string;
  postalCode?: string;
  /** ISO 3166 alpha-2, upper case, when known. */
  country?: string;
}

export interface ListEntry {
  /** Stable id: `csl:<_id>`, `sdn:<ent_num>`. */
  id: string;
  /** Short list code: EL, SDN, DPL, UVL, MEU, ... */
  list: string;
  /** Full source name as the list gives it. */
  source: string;
  type: EntryType;
  programs: string[];
  name: string;
  aliases: string[];
  addresses: Address[];
  /** Identification documents and registration numbers, one readable string each. */
  ids: string[];
  /** Countries tied to the entry (addresses, nationalities, citizenships), alpha-2. */
  countries: string[];
  dates: { start?: string; end?: string; birth?: string[] };
  federalRegisterNotice?: string;
  remarks?: string;
  sourceUrl?: string;
}

/** A loaded list set: entries plus where they came from. */
export interface ListSet {
  /** Human label of each file that went in, e.g. `csl-2022-05.csv (csl-csv, 14160 entries)`. */
  sources: string[];
  entries: ListEntry[];
  /** Non-fatal notes (e.g. aliases whose entry is missing). */
  warnings: string[];
}

/** "Entity List (EL) - Bureau of Industry and Security" -> "EL". */
export function listCode(source: string): string {
  const m = /\(([A-Z][A-Z0-9-]*)(?: List)?\)/.exec(source);
  if (m) return m[1];
  return (
    source
      .trim()
      .split(/\s+/)
      .map((w) => w[0])
      .join('')
      .toUpperCase()
      .slice(0, 8) || 'UNKNOWN'
  );
}

export function entryType(raw: string): EntryType {
  const t = raw.trim().toLowerCase();
  if (t === 'individual') return 'individual';
  if (t === 'entity') return 'entity';
  if (t === 'vessel') return 'vessel';
  if (t === 'aircraft') return 'aircraft';
  return 'unknown';
}

/** Splits a `; `-joined multi-valued field, dropping empties. */
export function splitMulti(s: string | undefined): string[] {
  if (!s) return [];
  return s
    .split(';')
    .map((x) => x.trim())
    .filter((x) => x.length > 0);
}

export function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}
