// Country names <-> ISO 3166 alpha-2, built from the runtime's ICU data (Intl.DisplayNames) plus the
// spellings US lists use ("Korea, North", "Burma"), so no table has to be shipped or kept current.

const display = new Intl.DisplayNames(['en'], { type: 'region' });

const EXTRA: Record<string, string> = {
  'korea, north': 'KP',
  'north korea': 'KP',
  'korea, south': 'KR',
  'south korea': 'KR',
  burma: 'MM',
  'congo, democratic republic of the': 'CD',
  'congo, republic of the': 'CG',
  palestinian: 'PS',
  'west bank': 'PS',
  gaza: 'PS',
  'hong kong': 'HK',
  macau: 'MO',
  'russian federation': 'RU',
  'united states': 'US',
  usa: 'US',
  uk: 'GB',
  'great britain': 'GB',
  'united arab emirates': 'AE',
  uae: 'AE',
  'czech republic': 'CZ',
  turkey: 'TR',
  'the gambia': 'GM',
  'cote d ivoire': 'CI',
  "cote d'ivoire": 'CI',
  taiwan: 'TW',
  'bosnia and herzegovina': 'BA',
  'region: crimea': 'UA',
  crimea: 'UA',
  prc: 'CN',
  "people's republic of china": 'CN',
  'peoples republic of china': 'CN',
  vietnam: 'VN',
  iran: 'IR',
  syria: 'SY',
};

let byName: Map<string, string> | undefined;
const codes = new Set<string>();

function table(): Map<string, string> {
  if (byName) return byName;
  byName = new Map();
  for (let a = 65; a < 91; a++) {
    for (let b = 65; b < 91; b++) {
      const code = String.fromCharCode(a, b);
      let name: string | undefined;
      try {
        name = display.of(code);
      } catch {
        name = undefined;
      }
      if (!name || name === code || code === 'ZZ') continue;
      codes.add(code);
      byName.set(name.toLowerCase(), code);
      // "Myanmar (Burma)" and "Hong Kong SAR China" also answer to their short forms.
      const short = name
        .replace(/\s*\(.*\)$/, '')
        .replace(/ SAR China$/, '')
        .toLowerCase();
      if (!byName.has(short)) byName.set(short, code);
    }
  }
  for (const [k, v] of Object.entries(EXTRA)) byName.set(k, v);
  return byName;
}

/** Alpha-2 code for a code or a country name, or undefined. */
export function countryCode(s: string): string | undefined {
  const t = s.trim();
  if (!t) return undefined;
  const names = table();
  if (/^[A-Za-z]{2}$/.test(t) && codes.has(t.toUpperCase())) return t.toUpperCase();
  return names.get(t.toLowerCase().replace(/\s+/g, ' ').replace(/\.$/, ''));
}

export function isCountryCode(s: string): boolean {
  table();
  return codes.has(s);
}

export function countryName(code: string): string {
  try {
    return display.of(code) ?? code;
  } catch {
    return code;
  }
}
