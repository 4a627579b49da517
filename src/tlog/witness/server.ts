// The witness's HTTP service (C2SP tlog-witness): POST <prefix>/add-checkpoint answers with a
// cosignature line, or with the status the spec names for a refusal. node:http, no framework: one
// route, bodies capped, nothing the client sends can crash it.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { VerifierKey } from '../note.js';
import type { Cosigner } from './cosignature.js';
import { decideAddCheckpoint, parseAddCheckpoint, WitnessRefusal } from './protocol.js';
import type { WitnessState } from './state.js';

/** A checkpoint and up to 63 proof lines fit easily; anything larger is refused. */
export const MAX_REQUEST_BYTES = 64 * 1024;

export interface WitnessOptions {
  cosigner: Cosigner;
  /** Trusted logs: origin → the log's verifier key. */
  logs: ReadonlyMap<string, VerifierKey>;
  state: WitnessState;
  /** Path prefix before /add-checkpoint ('' by default). */
  prefix?: string;
  now?: () => Date;
  /** One line per answered request (origin, sizes, status); never the request body. */
  log?: (line: string) => void;
}

async function readBody(req: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    n += c.length;
    if (n > MAX_REQUEST_BYTES) return null;
    chunks.push(c);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createWitnessServer(o: WitnessOptions): Server {
  const path = `${o.prefix ?? ''}/add-checkpoint`;
  const now = o.now ?? (() => new Date());
  return createServer((req, res) => {
    const send = (status: number, body: string, type = 'text/plain; charset=utf-8') => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' }).end(body);
    };
    if (req.url !== path) return send(404, 'not found\n');
    if (req.method !== 'POST') return send(405, 'use POST\n');
    readBody(req)
      .then(async (body) => {
        if (body === null) throw new WitnessRefusal(400, `the request is larger than ${MAX_REQUEST_BYTES} bytes`);
        const parsed = parseAddCheckpoint(body);
        const origin = parsed.note.slice(0, Math.max(0, parsed.note.indexOf('\n')));
        const out = await o.state.update(origin, (last) => {
          const d = decideAddCheckpoint(parsed, o.logs, last, o.cosigner, Math.floor(now().getTime() / 1000));
          return { next: d.next, out: d };
        });
        o.log?.(`cosigned ${origin} size ${out.checkpoint.size} (old ${parsed.oldSize})`);
        send(200, out.cosignature);
      })
      .catch((e: unknown) => {
        if (e instanceof WitnessRefusal) {
          o.log?.(`refused (${e.status}): ${e.message.slice(0, 200)}`);
          return send(e.status, e.body, e.contentType);
        }
        o.log?.(`internal error: ${(e as Error).message}`);
        send(500, 'internal error\n');
      });
  });
}
