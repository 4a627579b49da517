// Identity keys that merge repeated mentions of one party or location across rows and filings.
// Case, spacing and punctuation differences do not make a new party; a different country does.

export function nameKey(name: string): string {
  return name.normalize('NFKC').toLowerCase().replace(/[.,;:'"`()]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function partyKey(name: string, country: string): string {
  return `${nameKey(name)}|${country}`;
}

export function filerPartyKey(organisationId: number): string {
  return `org:${organisationId}`;
}

export function locationKey(address: string, country: string): string {
  return `${nameKey(address)}|${country}`;
}
