// Typed errors of the transparency log. A proof or signature that does not verify is the caller's
// (or a remote log's) fault, never a bug, so these are UserErrors rendered once at the edge.
import { UserError } from '../errors.js';

/** A Merkle inclusion or consistency proof, or its inputs, did not verify. */
export class ProofError extends UserError {
  override readonly status = 422;
  override readonly code = 'invalid-proof';
}

/** A signed note, checkpoint or verifier key is malformed or its signature does not verify. */
export class NoteError extends UserError {
  override readonly status = 422;
  override readonly code = 'invalid-note';
}
