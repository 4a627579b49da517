// Public API of the intelligence domain: evidence, FtM entities and links, networks and serial alerts.
export {
  getEntities,
  insertLinks,
  linksTouching,
  upsertEntities,
  type Entity,
  type Link,
  type Origin,
  type Properties,
} from './entities/store.js';
export { importFtmFile, type FtmImportResult } from './ftm/import.js';
export { makeId } from './ftm/ids.js';
export { syncEntities, type SyncResult } from './entities/sync.js';
export { findCandidates, type Candidate } from './resolve/candidates.js';
export { currentJudgements, listDecisions, sameAs, type Decision, type Judgement } from './resolve/decisions.js';
export { evidenceAggregates, loadEvidenceAggregates } from './aggregates/store.js';
export { ensureEvidenceSeed } from './evidence/seed.js';
export { importEvidenceFile } from './evidence/import.js';
export { evidenceByEntity, evidenceBySerial, getEvidenceItems, listContextFacts } from './evidence/store.js';
export { listAlerts, type Alert } from './sightings/store.js';
