// The chip-side agent: keeps one connection open to each landmark it answers, says HELLO with its
// serial, and signs each challenge addressed to this chip by a landmark it is configured to answer.
import { connect, type Socket } from 'node:net';
import { FrameDecoder, MAX_CHIP_FRAME, MSG, encodeResponse, jsonFrame, parseChallenge } from './wire.js';
import { challengePayload } from './payloads.js';
import type { Signer } from './signer.js';
import type { Logger } from './landmark.js';

export interface AgentLandmark {
  /** The landmark id this agent answers on this connection; challenges naming another id are refused. */
  id: string;
  host: string;
  port: number;
}

export interface AgentOptions {
  serial: string;
  signer: Signer;
  landmarks: readonly AgentLandmark[];
  log: Logger;
  reconnectMs?: number;
}

export class Agent {
  private readonly sockets = new Set<Socket>();
  private stopped = false;
  private answered = 0;
  constructor(private readonly o: AgentOptions) {}

  start(): void {
    for (const l of this.o.landmarks) this.connect(l);
  }

  get answeredCount(): number {
    return this.answered;
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.sockets) s.destroy();
  }

  private connect(l: AgentLandmark): void {
    if (this.stopped) return;
    const s = connect({ host: l.host, port: l.port });
    this.sockets.add(s);
    s.setNoDelay(true);
    const decoder = new FrameDecoder(MAX_CHIP_FRAME);
    s.on('connect', () => {
      this.o.log.info({ landmark: l.id }, 'connected');
      s.write(jsonFrame(MSG.HELLO, { serial: this.o.serial }));
    });
    s.on('data', (chunk: Buffer) => {
      const { frames, error } = decoder.push(chunk);
      for (const f of frames) {
        if (f.type !== MSG.CHALLENGE) {
          this.o.log.warn({ landmark: l.id, reason: `unexpected message type ${f.type}` }, 'message dropped');
          continue;
        }
        const c = parseChallenge(f.body);
        if (!c.ok) {
          this.o.log.warn({ landmark: l.id, reason: c.reason }, 'message dropped');
          continue;
        }
        // Answer only the landmark this connection was configured for, and only for this chip: a
        // signature is bound to the landmark id, so it cannot be replayed to another landmark anyway.
        if (c.value.landmarkId !== l.id || c.value.serial !== this.o.serial) {
          this.o.log.warn({ landmark: l.id, reason: 'challenge for another landmark or chip' }, 'message dropped');
          continue;
        }
        void Promise.resolve(
          this.o.signer.sign(challengePayload(c.value.landmarkId, c.value.serial, c.value.nonce)),
        ).then(
          (sig) => {
            this.answered++;
            if (!s.destroyed) s.write(encodeResponse(c.value.nonce, sig));
          },
          (e: Error) => this.o.log.warn({ reason: e.message }, 'signing failed'),
        );
      }
      if (error) {
        this.o.log.warn({ landmark: l.id, reason: error }, 'dropping connection');
        s.destroy();
      }
    });
    s.on('error', (e) => this.o.log.warn({ landmark: l.id, reason: e.message }, 'connection error'));
    s.on('close', () => {
      this.sockets.delete(s);
      if (!this.stopped) setTimeout(() => this.connect(l), this.o.reconnectMs ?? 1000).unref();
    });
  }
}
