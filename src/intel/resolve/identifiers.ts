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
  // A country or a city ("China", "Panama City, PA") is no address: it needs a number or five words.
  return v.length >= 10 && (/\d/.test(v) || v.split(' ').length >= 5) ? v : null;
}

export function normalizePhone(s: string): string | null {
  // Text with words in it ("see remarks 1234567") is no phone number; "tel", "fax" and "ext" are allowed.
  if (s.length > 40 || /[a-z]{2,}/i.test(s.replace(/\b(tel|phone|fax|ext|mobile)\b\.?/gi, ''))) return null;
  let d = s.replace(/\D+/g, '');
  if (d.startsWith('00')) d = d.slice(2);
  return d.length >= 7 && d.length <= 15 && !/^(\d)\1+$/.test(d) ? d : null;
}

const HOST = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function normalizeEmail(s: string): string | null {
  const v = s
    .trim()
    .toLowerCase()
    .replace(/^mailto:/, '');
  return EMAIL.test(v) && v.length <= 254 && !v.includes('..') ? v : null;
}

export function normalizeWebsite(s: string): string | null {
  const t = s.trim();
  if (t === '') return null;
  try {
    const host = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(t) ? t : `http://${t}`).hostname.toLowerCase();
    const v = host.replace(/^www\d*\./, '').replace(/\.$/, '');
    return HOST.test(v) && v.length <= 253 ? v : null;
  } catch {
    return null;
  }
}

/** Words of sanctions-list remarks, never of an identifier ("as amended by Executive Order 13886"). */
const REMARK =
  /\b(executive order|amended|pursuant|subject to|directives?|regulations?|sanctions?|cfr|sections?|sec\.)/i;
const DATE = /^(\d{1,2}[\s/.-]+[a-z]{3,9}\.?[\s/.-]+\d{4}|\d{4}-\d{2}(-\d{2})?|\d{1,2}[/.]\d{1,2}[/.]\d{4})$/i;

/** Whether a value reads as an identifier: bounded, with digits, not a date, a phrase or a remark. */
export function looksLikeIdentifier(s: string): boolean {
  const t = s.trim();
  const words = t.match(/\p{L}{3,}/gu) ?? [];
  return t.length <= 60 && (t.match(/\d/g)?.length ?? 0) >= 3 && words.length <= 2 && !REMARK.test(t) && !DATE.test(t);
}

export function normalizeRegistration(s: string): string | null {
  if (!looksLikeIdentifier(s)) return null;
  const v = fold(s)
    .toUpperCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
  // Short numbers ("1", "123") are shared by accident.
  return v.length >= 5 && v.length <= 60 ? v : null;
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
