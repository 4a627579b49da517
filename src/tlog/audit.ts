// Auditing a log from its signed checkpoints and its entries: verify every checkpoint's signature,
// recompute every leaf hash and every checkpointed root from the entry bytes, and name the first
// index where the stored log departs from what was signed. Pure and streaming (entries arrive in
// pages, memory stays O(log n)), so the same code audits the local database and a remote server.
import { bytesEqual, leafHash, toBase64 } from './hash.js';
import { CompactRange, type NodeHash } from './compact.js';
import { verifyCheckpoint, type VerifiedCheckpoint } from './checkpoint.js';
import { parseVerifierKey, type VerifierKey } from './note.js';

export type AuditProblemKind =
  | 'bad-checkpoint' // signature or syntax does not verify
  | 'conflicting-checkpoints' // two signed roots for one tree size: a fork
  | 'missing-entry' // an index absent (deleted or truncated)
  | 'unexpected-entry' // duplicate or out-of-order index
  | 'leaf-hash-mismatch' // entry bytes no longer hash to the stored leaf hash
  | 'node-mismatch' // stored interior node disagrees with the entries below it
  | 'root-mismatch'; // entries no longer produce a signed checkpoint's root

export const MAX_PROBLEMS = 1000;
const EXACT = new Set<AuditProblemKind>(['leaf-hash-mismatch', 'missing-entry', 'unexpected-entry']);

export interface AuditProblem {
  kind: AuditProblemKind;
  message: string;
  /** First entry index the problem concerns, when one can be named. */
  index?: number;
  /** Last entry index (inclusive) when only a range can be named. */
  lastIndex?: number;
  treeSize?: number;
}

export interface AuditReport {
  ok: boolean;
  origin: string;
  entriesChecked: number;
  checkpointsVerified: number;
  /** The largest checkpointed size whose root the entries reproduce. */
  verifiedTreeSize: number;
  verifiedRootHash: string | null;
  /** The signed checkpoint note of verifiedTreeSize: what an auditor saves for next time. */
  verifiedCheckpoint: string | null;
  /** Entries after the last checkpoint: present but not yet covered by any signature. */
  unsignedEntries: number;
  problems: AuditProblem[];
  /** Problems found beyond the first MAX_PROBLEMS, not listed. */
  problemsOmitted: number;
  /** The lowest entry index named exactly by a problem (else the start of the first suspect range), or null. */
  firstBadIndex: number | null;
}

export interface AuditEntry {
  index: number;
  entry: Uint8Array;
  /** The leaf hash the log stores or serves for this entry, checked when present. */
  leafHash?: Uint8Array;
}

export class LogAuditor {
  private readonly key: VerifierKey;
  private readonly checkpoints: VerifiedCheckpoint[] = [];
  private readonly problems: AuditProblem[] = [];
  private readonly tree = new CompactRange();
  private next = 0; // next expected entry index
  /** After a gap the leaves sit one place off in the tree: stored nodes past it can no longer be compared. */
  private shifted = false;
  private cpi = 0; // next checkpoint to compare
  private verifiedSize = 0;
  private matched = 0;
  private omitted = 0;
  private verifiedRoot: Uint8Array | null = null;
  private verifiedNote: string | null = null;

  /**
   * @param vkey the log's verifier key (trusted: from the operator, not from the log being audited)
   * @param notes signed checkpoints: the log's own list and any saved earlier by this auditor
   * @param storedNode the log's stored interior node, if it exposes them, to localise rewrites
   */
  constructor(
    vkey: string,
    notes: readonly string[],
    private readonly storedNode?: (level: number, index: number) => Uint8Array | undefined,
  ) {
    this.key = parseVerifierKey(vkey);
    const bySize = new Map<number, VerifiedCheckpoint>();
    notes.forEach((note, i) => {
      let cp: VerifiedCheckpoint;
      try {
        cp = verifyCheckpoint(note, this.key);
      } catch (e) {
        this.report({
          kind: 'bad-checkpoint',
          message: `checkpoint #${i + 1} does not verify: ${(e as Error).message}`,
        });
        return;
      }
      const seen = bySize.get(cp.size);
      if (seen && !bytesEqual(seen.rootHash, cp.rootHash)) {
        this.report({
          kind: 'conflicting-checkpoints',
          treeSize: cp.size,
          message: `two signed checkpoints for tree size ${cp.size} have different roots: the log forked`,
        });
      } else if (!seen) bySize.set(cp.size, cp);
    });
    this.checkpoints = [...bySize.values()].sort((a, b) => a.size - b.size);
    // The empty tree's root is fixed, so a checkpoint of size 0 is checked right away.
    this.compareCheckpoints();
  }

  /** The largest signed tree size: every index below it must be present. */
  get targetSize(): number {
    return this.checkpoints.length ? this.checkpoints[this.checkpoints.length - 1].size : 0;
  }

  /** Keeps the first MAX_PROBLEMS problems (a deleted entry early in a big log shifts everything). */
  private report(p: AuditProblem): void {
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
    else this.omitted++;
  }

  add(e: AuditEntry): void {
    if (e.index < this.next) {
      this.report({
        kind: 'unexpected-entry',
        index: e.index,
        message: `entry ${e.index} appears again or out of order`,
      });
      return;
    }
    if (e.index > this.next) {
      const last = e.index - 1;
      this.report({
        kind: 'missing-entry',
        index: this.next,
        lastIndex: last,
        message:
          last === this.next
            ? `entry ${this.next} is missing (deleted)`
            : `entries ${this.next} to ${last} are missing (deleted)`,
      });
      this.next = e.index; // keep auditing what is there; checkpoints after the gap will not match
      this.shifted = true;
    }
    const h = leafHash(e.entry);
    if (e.leafHash && !bytesEqual(h, e.leafHash)) {
      this.report({
        kind: 'leaf-hash-mismatch',
        index: e.index,
        message: `entry ${e.index} was rewritten: its bytes do not hash to its stored leaf hash`,
      });
    }
    this.tree.push(h, this.storedNode && !this.shifted ? (n) => this.checkNode(n) : undefined);
    this.next++;
    this.compareCheckpoints();
  }

  private checkNode(n: NodeHash): void {
    const stored = this.storedNode!(n.level, n.index);
    if (!stored || bytesEqual(stored, n.hash)) return;
    const first = n.index * 2 ** n.level;
    const last = first + 2 ** n.level - 1;
    // An ancestor of a range already reported adds nothing.
    if (this.problems.some((p) => p.index !== undefined && p.index >= first && p.index <= last)) return;
    this.report({
      kind: 'node-mismatch',
      index: first,
      lastIndex: last,
      message:
        `entries ${first} to ${last} were rewritten: they no longer produce the stored node ` + `${n.level}/${n.index}`,
    });
  }

  private compareCheckpoints(): void {
    while (this.cpi < this.checkpoints.length && this.checkpoints[this.cpi].size === this.tree.size) {
      const cp = this.checkpoints[this.cpi++];
      const root = this.tree.root();
      if (bytesEqual(root, cp.rootHash)) {
        this.verifiedSize = cp.size;
        this.verifiedRoot = root;
        this.verifiedNote = cp.note;
        this.matched++;
        continue;
      }
      const from = this.verifiedSize;
      const last = cp.size - 1;
      this.report({
        kind: 'root-mismatch',
        index: from,
        lastIndex: last,
        treeSize: cp.size,
        message:
          `the entries do not reproduce the signed root of tree size ${cp.size}: an entry in ${from} to ` +
          `${last} was rewritten or removed, or this checkpoint is not consistent with the one of size ${from}`,
      });
    }
  }

  finish(): AuditReport {
    const target = this.targetSize;
    // Entries missing inside the log were reported where the gap is; this is about the end.
    if (this.next < target) {
      this.report({
        kind: 'missing-entry',
        index: this.next,
        lastIndex: target - 1,
        treeSize: target,
        message:
          `the log ends at ${this.next} entries but a checkpoint signed ${target}: entries from ${this.next} ` +
          `are missing (truncated)`,
      });
    }
    // Checkpoints the entries never reached are unverified, which the missing-entry problem covers.
    // An index named exactly (a rewritten leaf, a missing entry) beats the start of a range that only
    // says "somewhere in here" (a stored node or a signed root that no longer matches).
    const exact = this.problems.filter((p) => EXACT.has(p.kind));
    const indices = (exact.length ? exact : this.problems)
      .map((p) => p.index)
      .filter((i): i is number => i !== undefined);
    return {
      ok: this.problems.length === 0,
      problemsOmitted: this.omitted,
      origin: this.key.name,
      entriesChecked: this.tree.size,
      checkpointsVerified: this.matched,
      verifiedTreeSize: this.verifiedSize,
      verifiedRootHash: this.verifiedRoot ? toBase64(this.verifiedRoot) : null,
      verifiedCheckpoint: this.verifiedNote,
      unsignedEntries: Math.max(0, this.tree.size - target),
      problems: this.problems,
      firstBadIndex: indices.length ? Math.min(...indices) : null,
    };
  }
}

/** Audits a whole log held in memory; see LogAuditor for the streaming form. */
export function auditLog(input: {
  vkey: string;
  checkpoints: readonly string[];
  entries: Iterable<AuditEntry>;
  storedNode?: (level: number, index: number) => Uint8Array | undefined;
}): AuditReport {
  const a = new LogAuditor(input.vkey, input.checkpoints, input.storedNode);
  for (const e of input.entries) a.add(e);
  return a.finish();
}
