// When a serial seen in evidence contradicts the registry, and what the alert says. Pure: the registry's
// picture of the chip and the sighting come in, at most one alert (its kind the gravest contradiction, its
// reason every contradiction) comes out.

export const ALERT_KINDS = [
  'never-filed',
  'reported-lost',
  'seen-outside-declared-country',
  'restricted-country',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

/** What the registry says about a chip on the day it was seen (null fields: unknown or not declared). */
export interface RegistryPicture {
  filed: boolean;
  /** The filing of the transfer in force on the day seen (else the chip's latest one). */
  filingId: number | null;
  exporter: string | null;
  owner: string | null;
  /** The owner's registry party id (its FtM entity id is registryPartyId of it, once `intel sync` ran). */
  ownerPartyId: number | null;
  /** The declared site's country and address. */
  country: string | null;
  site: string | null;
  status: 'active' | 'lost' | 'destroyed' | null;
  lastVerdict: string | null;
}

export interface Sighting {
  serial: string;
  evidenceId: string;
  /** listing, sighting, or the case kind (seizure, ...). */
  evidenceKind: string;
  /** Where and when it was seen; country null when the evidence does not say. */
  country: string | null;
  place: string | null;
  date: string;
}

export interface AlertDraft {
  kind: AlertKind;
  serial: string;
  evidenceId: string;
  reason: string;
}

const where = (s: Sighting) => (s.country ? `${s.place ? `${s.place}, ` : ''}${s.country}` : 'an unknown country');

/** The alert this sighting raises against the registry's picture, or null when the two agree. */
export function judgeSighting(s: Sighting, r: RegistryPicture, restricted: ReadonlySet<string>): AlertDraft | null {
  const seen = `seen in ${where(s)} on ${s.date} (${s.evidenceKind} ${s.evidenceId})`;
  const inRestricted = s.country !== null && restricted.has(s.country);
  const restrictedNote = inRestricted ? `; ${s.country} is a restricted destination` : '';
  const make = (kind: AlertKind, reason: string): AlertDraft => ({
    kind,
    serial: s.serial,
    evidenceId: s.evidenceId,
    reason,
  });
  if (!r.filed)
    return make('never-filed', `serial ${s.serial} ${seen} was never filed in the registry${restrictedNote}`);
  const filing = `filing ${r.filingId}`;
  const declared = r.country
    ? `declared at ${r.site ?? '?'} (${r.country}) for ${r.owner ?? '?'} in ${filing}`
    : `declared for ${r.owner ?? '?'} without a site in ${filing}`;
  if (r.status === 'lost' || r.status === 'destroyed')
    return make('reported-lost', `serial ${s.serial}, reported ${r.status} in the registry, ${seen}; ${declared}`);
  if (s.country !== null && r.country !== null && s.country !== r.country)
    return make('seen-outside-declared-country', `serial ${s.serial} ${declared}, ${seen}${restrictedNote}`);
  if (inRestricted) return make('restricted-country', `serial ${s.serial} ${seen}; ${declared}${restrictedNote}`);
  return null;
}
