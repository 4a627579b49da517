// How a registry party, a recorded owner and a screening-list entry become FtM entities: pure mappings with
// deterministic ids (FtM's make_entity_id over origin and reference), so a sync run twice writes nothing new.
import type { ListEntry } from '../../screening/index.js';
import { makeId } from '../ftm/ids.js';
import type { Entity, Link, Properties } from './store.js';

export interface RegistryPartyRow {
  id: string;
  kind: string;
  name: string;
  address: string;
  phone: string;
  country: string | null;
  roles: string[];
}

export interface RegistryOwnerRow {
  partyId: string;
  name: string;
  country: string | null;
  share: number | null;
  /** The owner's own registry party, when the owner is one. */
  ownerPartyId: string | null;
}

const props = (entries: Record<string, readonly (string | null | undefined)[]>): Properties => {
  const out: Properties = {};
  for (const [k, vs] of Object.entries(entries)) {
    const kept = [...new Set(vs.map((v) => v?.trim() ?? '').filter((v) => v !== ''))];
    if (kept.length) out[k] = kept;
  }
  return out;
};

export const registryPartyId = (partyId: string) => makeId('registry', `party:${partyId}`);

export function registryPartyEntity(p: RegistryPartyRow): Entity {
  const properties = props({
    name: [p.name],
    country: [p.country?.toLowerCase()],
    address: [p.address],
    phone: [p.phone],
    classification: p.roles.map((r) => `registry ${r}`),
  });
  return {
    id: registryPartyId(p.id),
    schema: p.kind === 'person' ? 'Person' : 'Company',
    caption: p.name.trim() || `registry party ${p.id}`,
    properties,
    origin: 'registry',
    originRef: `party:${p.id}`,
  };
}

/** A recorded owner that is no registry party of its own: known by name and country only. */
function ownerRef(o: RegistryOwnerRow): string {
  return `owner:${o.name.trim().toLowerCase().replace(/\s+/g, ' ')}|${o.country ?? ''}`;
}

/** The owner's entity (undefined when it is a registry party, which has its own) and the Ownership link. */
export function registryOwnership(o: RegistryOwnerRow): { owner?: Entity; link: Link } {
  const owner: Entity | undefined =
    o.ownerPartyId === null
      ? {
          id: makeId('registry', ownerRef(o)),
          schema: 'LegalEntity',
          caption: o.name.trim(),
          properties: props({ name: [o.name], country: [o.country?.toLowerCase()] }),
          origin: 'registry',
          originRef: ownerRef(o),
        }
      : undefined;
  const sourceId = owner ? owner.id : registryPartyId(o.ownerPartyId!);
  const targetId = registryPartyId(o.partyId);
  const ref = `ownership:${o.partyId}:${sourceId}`;
  return {
    ...(owner ? { owner } : {}),
    link: {
      id: makeId('registry', ref),
      schema: 'Ownership',
      sourceId,
      targetId,
      properties: props({ percentage: [o.share === null ? null : String(o.share)], role: ['recorded owner'] }),
      origin: 'registry',
      originRef: ref,
    },
  };
}

/** The FtM property an identification document of a list belongs in, by its label. */
function idProperty(label: string, person: boolean): string {
  if (/passport/i.test(label)) return person ? 'passportNumber' : 'idNumber';
  if (/tax|\bvat\b|\binn\b/i.test(label)) return 'taxNumber';
  if (/registration|company number|business|\bcr\b|unified social credit/i.test(label)) return 'registrationNumber';
  if (/\bimo\b/i.test(label)) return 'imoNumber';
  if (/mmsi/i.test(label)) return 'mmsi';
  return 'idNumber';
}

/** Labels of the CSL's ids that name a contact rather than an identification document. */
const CONTACT_LABELS: [RegExp, string][] = [
  [/^website$/i, 'website'],
  [/e-?mail/i, 'email'],
  [/^(phone|fax)( number)?$/i, 'phone'],
];
/** Labels of identification documents and numbers; anything else (dates, programs, remarks, models) is no id. */
const ID_LABEL = new RegExp(
  [
    'number|\\bno\\b|#|\\bid\\b|passport|c[eé]dula|c\\.u\\.r\\.p|\\br\\.?f\\.?c\\b|\\bnit\\b|\\bruc\\b|\\brif\\b',
    'swift|\\bbic\\b|isin|\\blei\\b|d-u-n-s|\\bmmsi\\b|\\bimo\\b|vessel registration|fiscal code|licen[cs]e',
    'd\\.n\\.i|c\\.u\\.i|\\bssn\\b|fein|id card|credencial|cartilla|i\\.f\\.e|unified social credit',
  ].join('|'),
  'i',
);
const NOT_ID_LABEL =
  /date|gazette|model|operator|ticker|commercial code|type|flag|issuer|currency|order|sanction|caatsa|directive/i;

/**
 * One identification string of a list entry, as property and number: the CSL writes "CN, 9144..., Registration
 * Number" (country, dates, number, label), OFAC remarks "Registration Number 9144... (China)". Only labels of
 * identification documents count; the CSL's other "ids" (dates, programs, remark text) become nothing, so a
 * remark shared by hundreds of entries never joins them.
 */
export function parseListId(text: string, person: boolean): { property: string; value: string } | undefined {
  const ofac =
    /^(Passport|National ID No\.|Registration Number|Tax ID No\.|Registration ID|IMO|MMSI)\s+([^\s(;]+)/i.exec(
      text.trim(),
    );
  if (ofac && /\d/.test(ofac[2])) return { property: idProperty(ofac[1], person), value: ofac[2] };
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length < 2) return undefined;
  const label = parts[parts.length - 1];
  const contact = CONTACT_LABELS.find(([re]) => re.test(label));
  if (contact) return parts.length === 2 && parts[0] ? { property: contact[1], value: parts[0] } : undefined;
  if (!ID_LABEL.test(label) || NOT_ID_LABEL.test(label)) return undefined;
  const number = parts
    .slice(0, -1)
    .reverse()
    .find((s) => /\d/.test(s) && !/^\d{4}-\d{2}-\d{2}$/.test(s) && !/^[A-Z]{2}$/.test(s));
  if (!number || number.length > 60 || label.length > 80) return undefined;
  return { property: idProperty(label, person), value: number };
}

const SCHEMA_OF_TYPE: Record<ListEntry['type'], string> = {
  entity: 'LegalEntity',
  individual: 'Person',
  vessel: 'Vessel',
  aircraft: 'LegalEntity',
  unknown: 'LegalEntity',
};

export function listEntryEntity(e: ListEntry): Entity {
  const schema = SCHEMA_OF_TYPE[e.type];
  const ids: Record<string, string[]> = {};
  for (const t of e.ids) {
    const id = parseListId(t, schema === 'Person');
    if (id) ids[id.property] = [...(ids[id.property] ?? []), id.value];
  }
  const properties = props({
    name: [e.name],
    alias: e.aliases.slice(0, 50),
    country: e.countries.map((c) => c.toLowerCase()),
    address: e.addresses.map((a) => a.text),
    topics: ['sanction'],
    program: [e.list, ...e.programs],
    sourceUrl: [e.sourceUrl],
    notes: [e.remarks?.slice(0, 2000)],
    ...ids,
  });
  return {
    id: makeId('screening', e.id),
    schema,
    caption: e.name.trim() || e.id,
    properties,
    origin: 'screening',
    originRef: e.id,
  };
}
