// The registry domain's public API for other domains (the server and CLI mount http.ts and cli.ts).
export {
  chipHistory,
  listParties,
  partyChips,
  type ChipHistory,
  type HistoryStep,
  type PartySummary,
  type PartyChip,
  type LocationRef,
  type PartyRef,
} from './history.js';
export { declaredSites, type DeclaredSite } from './declared.js';
export {
  requestVerification,
  listVerificationRequests,
  openVerificationSerials,
  completeVerificationRequests,
  type VerificationRequest,
} from './verification.js';
export { ownerAndOperatorParties, type RegistryParty } from './parties-source.js';
