// The log's side of C2SP tlog-witness: send a checkpoint with a consistency proof to one witness and
// check the cosignature it answers with. A 409 (the witness is at another size) is retried once from
// the size the witness names, with a proof from there, so a witness that missed checkpoints catches up.
import { toBase64 } from '../hash.js';
import { verifyCosignatures, type CosignerKey } from './cosignature.js';

export interface WitnessEndpoint {
  /** Submission prefix: the witness's URL without /add-checkpoint. */
  url: string;
  key: CosignerKey;
}

export type Cosigned = { ok: true; line: string } | { ok: false; reason: string };

/** Proof from `oldSize` to the checkpoint's size (empty from 0 or from the same size). */
export type ProofSource = (oldSize: number) => Promise<Uint8Array[]>;

function requestBody(oldSize: number, proof: readonly Uint8Array[], note: string): string {
  return `old ${oldSize}\n${proof.map((h) => `${toBase64(h)}\n`).join('')}\n${note}`;
}

/** Asks one witness to cosign `note` (size `size`), starting from `oldSize`. Never throws. */
export async function requestCosignature(
  w: WitnessEndpoint,
  note: string,
  size: number,
  oldSize: number,
  proofFrom: ProofSource,
  timeoutMs = 10_000,
): Promise<Cosigned> {
  const url = `${w.url.replace(/\/$/, '')}/add-checkpoint`;
  try {
    for (let attempt = 0, from = oldSize; ; attempt++) {
      const res = await fetch(url, {
        method: 'POST',
        body: requestBody(from, from === 0 || from === size ? [] : await proofFrom(from), note),
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await res.text()).slice(0, 2000);
      if (res.status === 409 && attempt === 0) {
        const m = /^(0|[1-9]\d*)\n$/.exec(text);
        const at = m ? Number(m[1]) : NaN;
        if (!(at <= size)) return { ok: false, reason: `409: the witness is at size ${text.trim()}, above ${size}` };
        from = at;
        continue;
      }
      if (res.status !== 200) return { ok: false, reason: `${res.status}: ${text.trim().split('\n')[0]}` };
      // A witness may answer with several lines (other key types): keep the one by the configured key.
      for (const line of text.split('\n').filter((l) => l.startsWith(`\u2014 ${w.key.name} `)))
        if (verifyCosignatures(`${note}${line}\n`, [w.key]).length) return { ok: true, line: `${line}\n` };
      return { ok: false, reason: 'the answer carries no cosignature by the configured key' };
    }
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
}
