// The verifier's side of the wire: asks a landmark to measure chips and returns its signed answer.
import { connect } from 'node:net';
import {
  FrameDecoder,
  MAX_CONTROL_FRAME,
  MSG,
  jsonFrame,
  parseJson,
  resultSchema,
  type MeasureRequest,
  type MeasureResult,
} from './wire.js';

export interface LandmarkAddress {
  host: string;
  port: number;
}

export class LandmarkError extends Error {}

export function requestMeasurement(
  addr: LandmarkAddress,
  req: MeasureRequest,
  timeoutMs = 30_000,
): Promise<MeasureResult> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: addr.host, port: addr.port });
    const decoder = new FrameDecoder(MAX_CONTROL_FRAME);
    const fail = (m: string) => {
      s.destroy();
      reject(new LandmarkError(m));
    };
    const timer = setTimeout(
      () => fail(`landmark ${addr.host}:${addr.port} did not answer within ${timeoutMs} ms`),
      timeoutMs,
    );
    s.on('connect', () => s.write(jsonFrame(MSG.MEASURE, req)));
    s.on('data', (chunk: Buffer) => {
      const { frames, error } = decoder.push(chunk);
      if (error) {
        clearTimeout(timer);
        return fail(error);
      }
      const f = frames[0];
      if (!f) return;
      clearTimeout(timer);
      s.end();
      if (f.type === MSG.ERROR) return fail(`landmark refused: ${f.body.toString('utf8').slice(0, 200)}`);
      if (f.type !== MSG.RESULT) return fail(`unexpected message type ${f.type}`);
      // The batch is still untrusted here: the verifier checks its signatures before using it.
      const r = parseJson(f.body, resultSchema);
      if (!r.ok) return fail(r.reason);
      resolve(r.value);
    });
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      reject(new LandmarkError('landmark closed the connection'));
    });
  });
}
