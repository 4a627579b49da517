// The landmark server: agents connect and say HELLO; verifiers send MEASURE and get back a signed batch.
// Each round sends a fresh nonce over the agent's already-open connection and times it with a
// monotonic clock (no handshake inside the interval); the fastest round with a valid signature is kept.
import { createServer, type Server, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  FrameDecoder,
  MAX_CHIP_FRAME,
  MAX_CONTROL_FRAME,
  MSG,
  encodeChallenge,
  jsonFrame,
  parseJson,
  parseResponse,
  helloSchema,
  measureSchema,
  type MeasureResult,
  type MeasureRequest,
} from './wire.js';
import { challengePayload, NONCE_BYTES, type RecordFields } from './payloads.js';
import { publicKeyFromSpki, verifySignature, type PublicKey, type Signer } from './signer.js';
import { signBatch } from './record.js';

export interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface LandmarkOptions {
  id: string;
  lat: number;
  lon: number;
  floorMicros: number;
  signer: Signer;
  log: Logger;
  roundTimeoutMs?: number;
  /** Chips measured at once per MEASURE request. */
  concurrency?: number;
  /** Injected for tests; default crypto.randomBytes, hrtime, Date.now. */
  randomNonce?: () => Buffer;
  hrNow?: () => bigint;
  wallNow?: () => number;
}

interface Waiter {
  nonce: Buffer;
  resolve: (r: { sig: Buffer; t1: bigint } | null) => void;
}

interface AgentConn {
  socket: Socket;
  waiter: Waiter | null;
  busy: Promise<void>;
}

export class Landmark {
  private readonly agents = new Map<string, AgentConn>();
  private readonly keys = new Map<string, PublicKey>();
  private server: Server | null = null;
  constructor(private readonly o: LandmarkOptions) {}

  async listen(port: number, host: string): Promise<{ port: number; host: string }> {
    this.server = createServer((s) => this.onConnection(s));
    this.server.listen(port, host);
    await once(this.server, 'listening');
    const a = this.server.address();
    return typeof a === 'object' && a ? { port: a.port, host: a.address } : { port, host };
  }

  async close(): Promise<void> {
    for (const a of this.agents.values()) a.socket.destroy();
    if (this.server) await new Promise<void>((r) => this.server!.close(() => r()));
  }

  connectedSerials(): string[] {
    return [...this.agents.keys()];
  }

  private drop(s: Socket, reason: string, extra: object = {}): void {
    this.o.log.warn({ remote: s.remoteAddress, ...extra, reason }, 'dropping connection');
    s.destroy();
  }

  private onConnection(s: Socket): void {
    s.setNoDelay(true); // a 40 ms Nagle delay would swamp the measurement
    s.on('error', () => s.destroy());
    // Until the first frame we do not know the peer's role; chip-path limits apply to that frame.
    let decoder = new FrameDecoder(MAX_CONTROL_FRAME);
    let role: 'unknown' | 'agent' | 'control' = 'unknown';
    let serial = '';
    s.on('data', (chunk: Buffer) => {
      const { frames, error } = decoder.push(chunk);
      for (const f of frames) {
        if (s.destroyed) return;
        if (role === 'unknown' && f.type === MSG.HELLO) {
          const h = parseJson(f.body, helloSchema);
          if (!h.ok) return this.drop(s, h.reason);
          role = 'agent';
          serial = h.value.serial;
          decoder = new FrameDecoder(MAX_CHIP_FRAME);
          this.agents.get(serial)?.socket.destroy(); // newest connection wins
          this.agents.set(serial, { socket: s, waiter: null, busy: Promise.resolve() });
          s.on('close', () => {
            if (this.agents.get(serial)?.socket === s) this.agents.delete(serial);
          });
        } else if (role === 'agent' && f.type === MSG.RESPONSE) {
          const t1 = (this.o.hrNow ?? process.hrtime.bigint)();
          const r = parseResponse(f.body);
          if (!r.ok) return this.drop(s, r.reason, { serial });
          const a = this.agents.get(serial);
          const w = a?.waiter;
          // A response to no outstanding challenge, or with another nonce (a replay), is dropped.
          if (!a || !w?.nonce.equals(r.value.nonce)) {
            this.o.log.warn({ serial, reason: 'response does not match the outstanding nonce' }, 'response ignored');
            continue;
          }
          a.waiter = null;
          w.resolve({ sig: Buffer.from(r.value.signature), t1 });
        } else if ((role === 'unknown' || role === 'control') && f.type === MSG.MEASURE) {
          role = 'control';
          const m = parseJson(f.body, measureSchema);
          if (!m.ok) {
            s.write(jsonFrame(MSG.ERROR, { reason: m.reason }));
            return this.drop(s, m.reason);
          }
          this.measureMany(m.value).then(
            (res) => s.write(jsonFrame(MSG.RESULT, res)),
            (e: Error) => this.drop(s, `measure failed: ${e.message}`),
          );
        } else {
          return this.drop(s, `unexpected message type ${f.type} for a ${role} peer`, { serial });
        }
      }
      if (error) this.drop(s, error, { serial });
    });
  }

  /** One round: fresh nonce out, signature back; null on timeout or disconnect. */
  private round(
    serial: string,
    a: AgentConn,
  ): Promise<{ nonce: Buffer; sig: Buffer; rttMicros: number; timeMs: number } | null> {
    const nonce = (this.o.randomNonce ?? (() => randomBytes(NONCE_BYTES)))();
    const hr = this.o.hrNow ?? process.hrtime.bigint;
    return new Promise((resolve) => {
      const frame = encodeChallenge({ landmarkId: this.o.id, serial, nonce });
      let t0 = 0n;
      const timer = setTimeout(() => {
        if (a.waiter?.nonce === nonce) a.waiter = null;
        resolve(null);
      }, this.o.roundTimeoutMs ?? 2000);
      const onClose = () => {
        clearTimeout(timer);
        resolve(null);
      };
      a.socket.once('close', onClose);
      a.waiter = {
        nonce,
        resolve: (r) => {
          clearTimeout(timer);
          a.socket.off('close', onClose);
          resolve(
            r
              ? { nonce, sig: r.sig, rttMicros: Number(r.t1 - t0) / 1000, timeMs: (this.o.wallNow ?? Date.now)() }
              : null,
          );
        },
      };
      t0 = hr(); // the timed interval starts at the write on the open connection
      a.socket.write(frame);
    });
  }

  /** Measures one chip: rounds one after another, then the fastest round whose signature verifies. */
  async measure(serial: string, spki: Buffer, rounds: number): Promise<RecordFields | string> {
    const a = this.agents.get(serial);
    if (!a) return 'chip not connected';
    const cacheKey = spki.toString('base64');
    let pub = this.keys.get(cacheKey);
    if (!pub) {
      try {
        pub = publicKeyFromSpki(spki);
      } catch {
        return 'bad public key';
      }
      // Parsing a key costs more than verifying with it; a landmark re-measures the same fleet.
      if (this.keys.size >= 1_000_000) this.keys.clear();
      this.keys.set(cacheKey, pub);
    }
    const prev = a.busy;
    let release!: () => void;
    a.busy = new Promise((r) => (release = r));
    await prev; // one measurement at a time per chip connection
    try {
      const results = [];
      for (let i = 0; i < rounds; i++) {
        const r = await this.round(serial, a);
        if (r) results.push(r);
      }
      results.sort((x, y) => x.rttMicros - y.rttMicros);
      for (const r of results) {
        if (verifySignature(pub, challengePayload(this.o.id, serial, r.nonce), r.sig)) {
          return {
            landmarkId: this.o.id,
            landmarkLat: this.o.lat,
            landmarkLon: this.o.lon,
            floorMicros: this.o.floorMicros,
            serial,
            nonce: r.nonce,
            chipSignature: r.sig,
            rttMicros: r.rttMicros,
            rounds: results.length,
            timeMs: r.timeMs,
          };
        }
        this.o.log.warn({ serial, reason: 'chip signature invalid' }, 'round rejected');
      }
      return results.length ? 'no round had a valid chip signature' : 'no response';
    } finally {
      release();
    }
  }

  async measureMany(req: MeasureRequest): Promise<MeasureResult> {
    const records: RecordFields[] = [];
    const failures: { serial: string; reason: string }[] = [];
    const queue = [...req.chips];
    const worker = async () => {
      for (let c = queue.shift(); c; c = queue.shift()) {
        const r = await this.measure(c.serial, Buffer.from(c.publicKey, 'base64url'), req.rounds);
        if (typeof r === 'string') failures.push({ serial: c.serial, reason: r });
        else records.push(r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.o.concurrency ?? 256, queue.length) }, worker));
    // One landmark signature over the whole batch (docs: batching).
    const batch = records.length ? await signBatch(this.o.id, this.o.signer, records) : null;
    return { batch, failures };
  }
}
