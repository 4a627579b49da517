// The location-verification domain's public API for other domains and for library users (the server
// and CLI mount http.ts and cli.ts).
export {
  judge,
  VERDICTS,
  type Verdict,
  type VerdictKind,
  type Observation,
  type VerdictOptions,
  type Evidence,
} from './verdict.js';
export { locate, locateCase, parseLocateInput, type LocateCase, type LocateAnswer } from './locate.js';
export { plan, type LandmarkSite, type PlanRow } from './plan.js';
export {
  checkBatch,
  observationsFor,
  type TrustedLandmark,
  type CheckContext,
  type Rejection,
  type CheckResult,
} from './check.js';
export {
  ALGORITHMS,
  softwareSigner,
  signerFromPem,
  publicKeyFromSpki,
  verifySignature,
  type Algorithm,
  type Signer,
  type PublicKey,
} from './signer.js';
export { Landmark, type LandmarkOptions } from './landmark.js';
export { Agent, type AgentOptions, type AgentLandmark } from './agent.js';
export {
  DEFAULT_POLICY,
  chipAlerts,
  nextCheckAfter,
  verifyDeadline,
  type FleetPolicy,
  type DeclaredLocationSource,
  type ChipState,
} from './fleet.js';
export { checkBundle, bundleSchema, type Bundle, type BundleCheck } from './bundle.js';
export {
  runChecks,
  runDueChecks,
  dueSerials,
  type DueRunReport,
  type RunOptions,
  type RunResult,
  type MeasureFn,
} from './service.js';
export { registryDeclaredLocations } from './declared.js';
export { shipmentVerification, type ShipmentVerification, type ChipLatestVerdict } from './evidence.js';
export { lastVerdicts, listResults, type ResultRow } from './store.js';
export { requestMeasurement, LandmarkError, type LandmarkAddress } from './client.js';
// The demo world (src/app/demo) enrols chips and signs their records as a fleet operator would.
export { enrolChip, enrolChips, listLandmarks, upsertLandmark } from './store.js';
export { challengePayload, type RecordFields } from './payloads.js';
export { signBatch } from './record.js';
