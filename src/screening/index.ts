// Public API of the screening domain: list loading, the matcher, red flags and diligence cases.
export type { Address, EntryType, ListEntry, ListSet } from './entity.js';
export { listCode } from './entity.js';
export { countryCode, countryName } from './countries.js';
export { parseCslCsv } from './lists/csl-csv.js';
export { parseCslJson } from './lists/csl-json.js';
export { parseSdnCsv, applyAltCsv } from './lists/ofac.js';
export {
  DEFAULT_SNAPSHOT,
  detectFormat,
  loadDefaultSnapshot,
  loadListFiles,
  readListFiles,
  type ListFile,
  type ListFormat,
} from './lists/load.js';
export { normalizeName, normalizeVariants, type NormalizedName } from './match/normalize.js';
export { buildIndex, prepareNames, type ScreeningIndex, type PreparedName } from './match/index-build.js';
export {
  DEFAULT_CONFIG,
  Screener,
  decide,
  validateConfig,
  type Decision,
  type Match,
  type ScreenConfig,
  type ScreenQuery,
  type ScreenResult,
} from './match/screen.js';
export { diffLists, type ListChanges } from './lists/diff.js';
export { prepareUpdate, updateLists, type UpdateReport } from './lists/update.js';
export { loadShippedSnapshot, type PreparedSet } from './lists/snapshot.js';
export { ScreeningService, type ActiveLists } from './service.js';
export { profileSchema, type Profile, type ProfileInput } from './redflags/profile.js';
export {
  evaluateRedFlags,
  loadRules,
  parseRules,
  type RedFlag,
  type RuleSet,
  type Severity,
} from './redflags/rules.js';
export { assessProfile, type Assessment, type PartyScreening } from './cases/assess.js';
export {
  applyAction,
  newCase,
  CASE_STATES,
  MITIGATIONS,
  VERIFICATION_DUE_DAYS,
  type CaseAction,
  type CaseState,
  type CaseView,
  type Mitigation,
  type Verification,
} from './cases/workflow.js';
export { CHECKLIST, checklistFor, type ChecklistItem } from './cases/checklist.js';
export {
  actOnCase,
  caseEvents,
  dueVerifications,
  getCase,
  listCases,
  openCase,
  type CaseEvent,
  type CaseRecord,
  type Scope,
} from './cases/store.js';
export { actionFromLocation, type LocationEvidenceSource, type LocationResult } from './cases/location.js';
export { applyLocationEvidence, type AppliedVerification } from './cases/verify-due.js';
export {
  changeIndex,
  compareParty,
  type Alert,
  type AlertKind,
  type ChangeKind,
  type KnownParty,
  type PartyState,
} from './rescreen/core.js';
export { casePartySource, type PartySource } from './rescreen/sources.js';
export { alertsSince, type StoredAlert } from './rescreen/store.js';
export { activeContentHash, type RescreenSummary, type UpdateOptions } from './lists/update.js';
export { checkListsDir, listsDirFiles, type ListsDirResult } from './rescreen/watch.js';
