// Identity keys that merge repeated mentions of one party or location across rows and filings.
// Case, spacing and punctuation differences do not make a new party; a different country does.

// Filings repeat a few parties across many rows; memoising the normalisation saves most of its cost.
const memo = new Map<string, string>();

export function nameKey(name: string): string {
  let k = memo.get(name);
  if (k === undefined) {
    k = name
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[.,;:'"`()]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (memo.size > 100_000) memo.clear();
    memo.set(name, k);
  }
  return k;
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
