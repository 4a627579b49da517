// The witness's decision on a C2SP tlog-witness add-checkpoint request (https://c2sp.org/tlog-witness):
// parse the body strictly, check the log's signature, the old size against what it last cosigned and the
// consistency proof, then cosign. Pure: storage and HTTP are the caller's (witness/server.ts).
import { EMPTY_ROOT, bytesEqual, toBase64 } from '../hash.js';
import { openNote, type VerifierKey } from '../note.js';
import { parseCheckpoint, type Checkpoint } from '../checkpoint.js';
import { verifyConsistency } from '../verify.js';
import type { Cosigner } from './cosignature.js';

/** What a witness remembers per log: the latest checkpoint it cosigned. */
export interface WitnessedCheckpoint {
  size: number;
  /** base64 root hash. */
  rootHash: string;
  note: string;
}

/** A refusal with the HTTP status the spec names and a one-line reason (or the 409 size body). */
export class WitnessRefusal extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 422,
    message: string,
    readonly body = `${message}\n`,
    readonly contentType = 'text/plain; charset=utf-8',
  ) {
    super(message);
  }
}

export interface AddCheckpointRequest {
  oldSize: number;
  proof: Uint8Array[];
  note: string;
}

const MAX_PROOF_LINES = 63;
const HASH_LINE = /^[A-Za-z0-9+/]{43}=$/;

/** Parses an add-checkpoint body: "old N", proof lines, an empty line, the signed checkpoint. */
export function parseAddCheckpoint(body: string): AddCheckpointRequest {
  const bad = (why: string) => new WitnessRefusal(400, why);
  const first = body.indexOf('\n');
  const m = /^old (0|[1-9]\d*)$/.exec(body.slice(0, Math.max(first, 0)));
  if (first < 0 || !m || !Number.isSafeInteger(Number(m[1]))) throw bad('the body must start with "old <size>"');
  const proof: Uint8Array[] = [];
  let at = first + 1;
  for (;;) {
    const end = body.indexOf('\n', at);
    if (end < 0) throw bad('the proof lines must end with an empty line before the checkpoint');
    const line = body.slice(at, end);
    at = end + 1;
    if (line === '') break;
    if (!HASH_LINE.test(line)) throw bad(`proof line ${proof.length + 1} is not a base64 hash`);
    if (proof.length === MAX_PROOF_LINES) throw bad(`more than ${MAX_PROOF_LINES} proof lines`);
    proof.push(new Uint8Array(Buffer.from(line, 'base64')));
  }
  return { oldSize: Number(m[1]), proof, note: body.slice(at) };
}

export interface Decision {
  checkpoint: Checkpoint;
  /** The cosignature line(s) to answer with. */
  cosignature: string;
  /** The new state to persist before answering. */
  next: WitnessedCheckpoint;
}

/**
 * Decides a request against the logs this witness trusts (origin → log key) and its latest cosigned
 * checkpoint of that log (undefined: never cosigned one). Throws WitnessRefusal.
 */
export function decideAddCheckpoint(
  req: AddCheckpointRequest,
  logs: ReadonlyMap<string, VerifierKey>,
  last: WitnessedCheckpoint | undefined,
  cosigner: Cosigner,
  nowSeconds: number,
): Decision {
  const split = req.note.lastIndexOf('\n\n');
  const origin = req.note.slice(0, Math.max(0, req.note.indexOf('\n')));
  if (split < 0 || !origin) throw new WitnessRefusal(400, 'the checkpoint is not a signed note');
  const key = logs.get(origin);
  if (!key) throw new WitnessRefusal(404, `unknown log ${JSON.stringify(origin.slice(0, 100))}`);
  let cp: Checkpoint;
  try {
    cp = parseCheckpoint(openNote(req.note, [key]).text);
  } catch (e) {
    throw new WitnessRefusal(403, `the checkpoint's log signature is missing or invalid: ${(e as Error).message}`);
  }
  if (req.oldSize > cp.size)
    throw new WitnessRefusal(400, `old size ${req.oldSize} is above the checkpoint's ${cp.size}`);
  const known = last?.size ?? 0;
  if (req.oldSize !== known)
    throw new WitnessRefusal(409, `old size ${req.oldSize} is not ${known}`, `${known}\n`, 'text/x.tlog.size');
  if (cp.size === 0 && !bytesEqual(cp.rootHash, EMPTY_ROOT))
    throw new WitnessRefusal(422, 'a checkpoint of size 0 must have the empty tree root');
  if (req.oldSize === 0) {
    if (req.proof.length) throw new WitnessRefusal(422, 'a proof from size 0 must be empty');
  } else if (req.oldSize === cp.size) {
    if (req.proof.length || toBase64(cp.rootHash) !== last!.rootHash)
      throw new WitnessRefusal(422, `a different root hash at size ${cp.size}, which this witness already cosigned`);
  } else {
    try {
      verifyConsistency(req.oldSize, cp.size, req.proof, Buffer.from(last!.rootHash, 'base64'), cp.rootHash);
    } catch (e) {
      throw new WitnessRefusal(422, `no valid consistency proof from size ${req.oldSize}: ${(e as Error).message}`);
    }
  }
  const body = req.note.slice(0, split + 1);
  return {
    checkpoint: cp,
    cosignature: cosigner.cosign(body, nowSeconds),
    next: { size: cp.size, rootHash: toBase64(cp.rootHash), note: req.note },
  };
}
