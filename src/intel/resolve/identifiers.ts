// The identifiers two entities can share, normalised so that spelling does not hide a match: an address
// as lower-case words, a phone as its digits (E.164 without '+'), an e-mail in lower case, a website as
// its host without "www.", a registration number as upper-case letters and digits.
import type { Properties } from '../entities/store.js';

export type IdentifierKind = 'address' | 'phone' | 'email' | 'website' | 'registration';

export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** FtM properties holding registration-like numbers (company, tax, LEI, vessel and other id numbers). */
const REGISTRATION_PROPS = [
  'registrationNumber',
  'idNumber',
  'taxNumber',
  'vatCode',
  'leiCode',
  'dunsCode',
  'imoNumber',
  'cageCode',
  'mmsi',
];

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();

export function normalizeAddress(s: string): string | null {
  const v = fold(s)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .slice(0, 500);
  // Too short to identify a place ("China", "HK"): a country is not an address.
  return v.length >= 10 && /\d|\s\S+\s/.test(v) ? v : null;
}

export function normalizePhone(s: string): string | null {
  let d = s.replace(/\D+/g, '');
  if (d.startsWith('00')) d = d.slice(2);
  return d.length >= 7 && d.length <= 15 ? d : null;
}

export function normalizeEmail(s: string): string | null {
  const v = s
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) && v.length <= 254 ? v : null;
}

export function normalizeWebsite(s: string): string | null {
  const t = s.trim();
  if (t === '') return null;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`).hostname.toLowerCase();
    const v = host.replace(/^www\d*\./, '').replace(/\.$/, '');
    return v.includes('.') && v.length <= 253 ? v : null;
  } catch {
    return null;
  }
}

export function normalizeRegistration(s: string): string | null {
  const v = fold(s)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  // Short numbers ("1", "123") are shared by accident.
  return v.length >= 5 && v.length <= 100 && /\d/.test(v) ? v : null;
}

/** Every identifier of an entity's properties, each once. */
export function identifiersOf(properties: Properties): Identifier[] {
  const out = new Map<string, Identifier>();
  const add = (kind: IdentifierKind, values: readonly string[] | undefined, f: (s: string) => string | null) => {
    for (const raw of values ?? []) {
      const value = f(raw);
      if (value) out.set(`${kind}\u0000${value}`, { kind, value });
    }
  };
  add('address', properties.address, normalizeAddress);
  add('address', properties.full, normalizeAddress);
  add('phone', properties.phone, normalizePhone);
  add('email', properties.email, normalizeEmail);
  add('website', properties.website, normalizeWebsite);
  for (const p of REGISTRATION_PROPS) add('registration', properties[p], normalizeRegistration);
  return [...out.values()];
}
