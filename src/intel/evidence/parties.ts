// The parties an evidence item names become FtM entities (origin 'evidence'), one per name whatever item names
// it: the id is a digest of the normalised name, so the same party in two items is one entity, and whether it
// is the same as a registry party or a listed entity is left to resolution (never merged here).
import { createHash } from 'node:crypto';
import type { Entity } from '../entities/store.js';

const PUBLIC_BODY = /\b(ministry|department|bureau|agency|government|commission|customs|police|army|military)\b/i;
const ORGANIZATION = /\b(university|institute|academy|college|school|foundation|association)\b/i;
const COMPANY = new RegExp(
  '\\b(inc|ltd|llc|corp|corporation|co|company|limited|gmbh|pte|bhd|plc|ag|sa|technologies|technology|' +
    'computer|group|holdings|trading|electronics|nvidia|tsmc|huawei|sophgo)\\b',
  'i',
);

/** Lower case, accents and punctuation dropped, spaces collapsed: the key two spellings of a name share. */
export function partyKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function partyEntityId(name: string): string {
  return 'evidence-' + createHash('sha256').update(partyKey(name)).digest('hex').slice(0, 20);
}

/** FtM schema from the name alone: PublicBody, Organization, Company when the name says so, else LegalEntity. */
export function partySchema(name: string): string {
  if (PUBLIC_BODY.test(name)) return 'PublicBody';
  if (ORGANIZATION.test(name)) return 'Organization';
  if (COMPANY.test(name)) return 'Company';
  return 'LegalEntity';
}

/** The FtM entity for a party named in evidence item `evidenceId`. */
export function partyEntity(name: string, evidenceId: string): Entity {
  return {
    id: partyEntityId(name),
    schema: partySchema(name),
    caption: name,
    properties: { name: [name] },
    origin: 'evidence',
    originRef: evidenceId,
  };
}
