// Public API of the transparency log (RFC 9162 Merkle tree, C2SP signed checkpoints). Other domains
// import only from here.
//
// Signatures the registry relies on (stable):
//   appendEntries(tx: Queryable, entries: readonly Uint8Array[]): Promise<{ firstIndex: number; treeSize: number }>
//     Appends inside the CALLER's transaction (handed the Db itself, it opens its own); concurrent
//     appenders are serialised (tlog_state row lock); 100,000 entries in a few statements.
//   loadKeyEncryptionKey(opts: { logKek?: string; dataDir?: string; create?: boolean }): Uint8Array
//     the CHIPWATCH_LOG_KEK value passed in, else DATA_DIR/tlog.kek (created 0600 on first use).
//   signerFrom(db: Queryable, source: KekSource, origin?: string): () => Promise<LogSigner>   (memoised)
//   getLogSigner(db: Queryable, opts: { kek: Uint8Array; origin?: string }): Promise<LogSigner>
//   createCheckpoint(db: Queryable, signer: LogSigner, now: Date): Promise<StoredCheckpoint>
//   latestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null>
//   currentCheckpoint(db: Queryable, now: Date, signer?: () => Promise<LogSigner>): Promise<StoredCheckpoint>
//     the latest, signing a new one first when the log has grown and a signer is given
//   listCheckpoints(db: Queryable, after?: number, limit?: number): Promise<StoredCheckpoint[]>
//     StoredCheckpoint = { treeSize: number; rootHash: Uint8Array; note: string; createdAt: Date }
//   logVerifierKey(db: Queryable): Promise<{ origin: string; vkey: string }>
//   inclusionProof(db: Queryable, index: number, treeSize: number): Promise<Uint8Array[]>
//   consistencyProof(db: Queryable, fromSize: number, toSize: number): Promise<Uint8Array[]>
//   rootAt(db: Queryable, treeSize: number): Promise<Uint8Array>
//   getEntries(db: Queryable, start: number, end: number): Promise<{ index; leafHash; entry }[]>
//   indexOfLeaf(db: Queryable, leafHash: Uint8Array): Promise<number>
//   leafHash(entry: Uint8Array): Uint8Array                       RFC 9162 §2.1.1, SHA-256(0x00 || entry)
//   verifyInclusion(index, treeSize, leafHash, proof, root): void  throws ProofError (RFC 9162 §2.1.3.2)
//   verifyConsistency(size1, size2, proof, root1, root2): void     throws ProofError (RFC 9162 §2.1.4.2)
//   verifyCheckpoint(note: string, vkey: string): VerifiedCheckpoint   throws NoteError
//   auditLog({ vkey, checkpoints: string[], entries: Iterable<{ index, entry, leafHash? }>, storedNode? }): AuditReport
//   auditLocalLog(db: Queryable, opts?: { vkey?: string; knownCheckpoints?: string[] }): Promise<AuditReport>
//   auditRemoteLog(new RemoteLog(baseUrl, apiKey), { vkey, knownCheckpoints? }): Promise<AuditReport>
//   receiptProof(db, start, end, { now, signer?, policy? }): Promise<ReceiptProof>
//     the proof part of a filing receipt for leaves [start, end): publishes a checkpoint first (through the
//     witnesses when a WitnessPolicy is given), then the offline bundle, or 'pending' with the command to run
export { leafHash, nodeHash, EMPTY_ROOT, HASH_SIZE, bytesEqual, toBase64, toHex } from './hash.js';
export { ProofError, NoteError } from './errors.js';
export { rootFromInclusionProof, verifyInclusion, rootFromConsistencyProof, verifyConsistency } from './verify.js';
export {
  isValidSubtree,
  rootFromSubtreeConsistencyProof,
  verifySubtreeConsistency,
  verifySubtreeInclusion,
} from './subtree.js';
export { MemoryTree, inclusionProofRanges, consistencyProofRanges, type Range, type NodeId } from './tree.js';
export { CompactRange } from './compact.js';
export {
  ed25519NoteSigner,
  formatVerifierKey,
  parseVerifierKey,
  signNote,
  openNote,
  ed25519KeyId,
  type NoteSigner,
  type VerifierKey,
} from './note.js';
export {
  formatCheckpoint,
  parseCheckpoint,
  signCheckpoint,
  verifyCheckpoint,
  type Checkpoint,
  type VerifiedCheckpoint,
} from './checkpoint.js';
export {
  appendEntries,
  leafHashes,
  inclusionProof,
  consistencyProof,
  rootAt,
  treeSize,
  getEntries,
  indexOfLeaf,
  type AppendOptions,
  type LogEntry,
} from './store.js';
export { getLogSigner, logVerifierKey, DEFAULT_LOG_ORIGIN, type LogSigner, type LogSignerOptions } from './logkey.js';
export { loadKeyEncryptionKey, KEK_ENV, KEK_FILE, type KekSource } from './kek.js';
export { createCheckpoint, latestCheckpoint, listCheckpoints, type StoredCheckpoint } from './checkpoints.js';
export { auditLog, LogAuditor, type AuditEntry, type AuditProblem, type AuditReport } from './audit.js';
export { auditLocalLog } from './localaudit.js';
export { currentCheckpoint, signerFrom, type SignerSource } from './service.js';
export { RemoteLog, RemoteLogError, auditRemoteLog, checkRemoteConsistency } from './client.js';
export {
  currentPublished,
  publishCheckpoint,
  publishedCheckpoint,
  witnessPolicy,
  type PublishedCheckpoint,
  type PublishResult,
  type WitnessPolicy,
} from './publish.js';
export { bundleFor, receiptProof, RECEIPT_MAX_ITEMS, type ReceiptProof } from './proofs/build.js';
export { verifyProofBundle, BundleError, BUNDLE_FORMAT, type ProofBundle } from './proofs/bundle.js';
export {
  ed25519Cosigner,
  formatCosignerVkey,
  parseCosignerVkey,
  verifyCosignatures,
  type Cosigner,
  type CosignerKey,
} from './witness/cosignature.js';
export { readTile } from './tiles/source.js';
export { parseTilePath, tilePath, tilesOfTree, encodeBundle, decodeBundle, type TileRef } from './tiles/paths.js';
export { writeStaticTiles } from './tiles/static.js';
export { receiptProver, type ReceiptProver } from './receipts.js';
