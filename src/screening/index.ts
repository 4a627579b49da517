// Public API of the screening domain: list loading, the matcher, red flags and diligence cases.
export type { Address, EntryType, ListEntry, ListSet } from './entity.js';
export { listCode } from './entity.js';
export { countryCode, countryName } from './countries.js';
export { parseCslCsv } from './lists/csl-csv.js';
export { parseCslJson } from './lists/csl-json.js';
export { parseSdnCsv, applyAltCsv } from './lists/ofac.js';
export { DEFAULT_SNAPSHOT, detectFormat, loadDefaultSnapshot, loadListFiles, readListFiles, type ListFile, type ListFormat } from './lists/load.js';
export { normalizeName, normalizeVariants, type NormalizedName } from './match/normalize.js';
export { buildIndex, prepareNames, type ScreeningIndex, type PreparedName } from './match/index-build.js';
export { DEFAULT_CONFIG, Screener, decide, validateConfig, type Decision, type Match, type ScreenConfig, type ScreenQuery, type ScreenResult } from './match/screen.js';
