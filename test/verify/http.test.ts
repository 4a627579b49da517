// The verifier inside the server: enrolment, landmark directory, regulator requests over real loopback
// landmarks and agents, stored verdicts, replay rejection, scheduling and alerts; on every backend.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { backends } from '../helpers/db.js';
import type { Db } from '../../src/db/index.js';
import { buildApp } from '../../src/app/server.js';
import { createApiKey } from '../../src/accounts/index.js';
import { Landmark } from '../../src/verify/landmark.js';
import { Agent } from '../../src/verify/agent.js';
import { softwareSigner, type Signer } from '../../src/verify/signer.js';
import { runChecks } from '../../src/verify/service.js';
import { requestMeasurement } from '../../src/verify/client.js';
import type { MeasureResult } from '../../src/verify/wire.js';
import { sampleRows } from '../../src/registry/sample.js';

const quiet = { info: () => {}, warn: () => {} };
const ed = () => softwareSigner(generateKeyPairSync('ed25519').privateKey);
const KL = { lat: 3.139, lon: 101.6869 };
const FRANKFURT = { lat: 50.1109, lon: 8.6821 };

for (const backend of backends) {
  describe(`verify API (${backend.name})`, () => {
    let db: Db, app: FastifyInstance, lm: Landmark, port: number, lmSigner: Signer;
    const agents: Agent[] = [];
    const chips = new Map<string, Signer>();
    let admin: string, regulator: string, analyst: string;
    let now = new Date('2026-11-28T04:00:00Z');
    const auth = (k: string) => ({ authorization: `Bearer ${k}` });

    beforeAll(async () => {
      db = await backend.open();
      app = await buildApp({ db, now: () => now });
      admin = (await createApiKey(db, { role: 'admin' })).key;
      regulator = (await createApiKey(db, { role: 'regulator' })).key;
      analyst = (await createApiKey(db, { role: 'analyst' })).key;
      lmSigner = ed();
      // Records carry the landmark's wall clock; the test's clock is pinned, so the landmark's is too.
      lm = new Landmark({
        id: 'kl-1',
        ...KL,
        floorMicros: 0,
        signer: lmSigner,
        log: quiet,
        wallNow: () => now.getTime(),
      });
      port = (await lm.listen(0, '127.0.0.1')).port;
      for (const s of ['GPU-A', 'GPU-B', 'GPU-C']) {
        const c = ed();
        chips.set(s, c);
        if (s === 'GPU-C') continue; // enrolled but never online
        const a = new Agent({
          serial: s,
          signer: c,
          landmarks: [{ id: 'kl-1', host: '127.0.0.1', port }],
          log: quiet,
          reconnectMs: 50,
        });
        a.start();
        agents.push(a);
      }
      for (let i = 0; i < 200 && lm.connectedSerials().length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    });
    afterAll(async () => {
      agents.forEach((a) => {
        a.stop();
      });
      await lm.close();
      await app.close();
      await db.close();
    });

    it('admins register landmarks and enrol chips; other roles may not', async () => {
      const body = {
        id: 'kl-1',
        ...KL,
        publicKey: lmSigner.publicKeySpki.toString('base64url'),
        host: '127.0.0.1',
        port,
      };
      expect(
        (await app.inject({ method: 'POST', url: '/api/verify/landmarks', headers: auth(regulator), payload: body }))
          .statusCode,
      ).toBe(403);
      expect(
        (await app.inject({ method: 'POST', url: '/api/verify/landmarks', headers: auth(admin), payload: body }))
          .statusCode,
      ).toBe(201);
      const declared = { 'GPU-A': KL, 'GPU-B': FRANKFURT, 'GPU-C': KL } as const;
      for (const [serial, c] of chips) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/verify/chips',
          headers: auth(admin),
          payload: {
            serial,
            publicKey: c.publicKeySpki.toString('base64url'),
            shipment: 'S1',
            shippedAt: '2026-11-20T00:00:00Z',
            declared: declared[serial as keyof typeof declared],
          },
        });
        expect(res.statusCode).toBe(201);
      }
      const again = await app.inject({
        method: 'POST',
        url: '/api/verify/chips',
        headers: auth(admin),
        payload: { serial: 'GPU-A', publicKey: ed().publicKeySpki.toString('base64url') },
      });
      expect(again.statusCode).toBe(409);
      const bad = await app.inject({
        method: 'POST',
        url: '/api/verify/chips',
        headers: auth(admin),
        payload: { serial: 'GPU-Z', publicKey: 'AAAA' },
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toContain('application/problem+json');
    });

    it('regulator request: KL chip proven outside, Frankfurt-declared inconsistent, offline no-response', async () => {
      const res = await app.inject({
        method: 'POST',
        url: '/api/verify/requests',
        headers: auth(regulator),
        payload: { serials: ['GPU-A', 'GPU-B', 'GPU-C'], rounds: 3 },
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        results: { serial: string; verdict: string; evidence: { inconsistent?: { landmarkId: string } } }[];
        alerts: number;
      };
      const by = Object.fromEntries(body.results.map((r) => [r.serial, r]));
      expect(by['GPU-A'].verdict).toBe('proven-outside');
      expect(by['GPU-B'].verdict).toBe('inconsistent');
      expect(by['GPU-B'].evidence.inconsistent?.landmarkId).toBe('kl-1');
      expect(by['GPU-C'].verdict).toBe('no-response');
      expect(body.alerts).toBeGreaterThanOrEqual(1);
      const alerts = (
        await app.inject({ method: 'GET', url: '/api/verify/alerts', headers: auth(regulator) })
      ).json() as { kind: string; serial: string }[];
      expect(alerts).toContainEqual(expect.objectContaining({ kind: 'chip-inconsistent', serial: 'GPU-B' }));
      const results = (
        await app.inject({ method: 'GET', url: '/api/verify/results?serial=GPU-A', headers: auth(regulator) })
      ).json() as { verdict: string }[];
      expect(results[0].verdict).toBe('proven-outside');
      expect((await app.inject({ method: 'GET', url: '/api/verify/results', headers: auth(analyst) })).statusCode).toBe(
        403,
      );
      expect(
        (
          await app.inject({
            method: 'POST',
            url: '/api/verify/requests',
            headers: auth(regulator),
            payload: { serials: ['NOPE'] },
          })
        ).statusCode,
      ).toBe(400);
    });

    it('a replayed batch is rejected by the nonce ledger', async () => {
      let captured: MeasureResult | null = null;
      const capture = async (addr: { host: string; port: number }, req: Parameters<typeof requestMeasurement>[1]) =>
        (captured = await requestMeasurement(addr, req));
      await runChecks(db, ['GPU-A'], { now, measure: capture, rounds: 2 });
      const replay = await runChecks(db, ['GPU-A'], { now, measure: async () => captured!, rounds: 2 });
      expect(replay.rejected.map((r) => r.reason)).toContain('nonce already accepted (replay)');
      expect(replay.results[0].verdict).toBe('no-response');
    });

    it('run-due follows the schedule; a shipment whose chips stop verifying is flagged', async () => {
      now = new Date('2026-12-25T00:00:00Z'); // past 30 days from shipment for GPU-C
      const res = await app.inject({ method: 'POST', url: '/api/verify/run-due', headers: auth(admin), payload: {} });
      expect(res.statusCode).toBe(200);
      expect(res.json().checked).toBeGreaterThanOrEqual(2); // the failures are retried daily
      const alerts = (
        await app.inject({ method: 'GET', url: '/api/verify/alerts', headers: auth(regulator) })
      ).json() as { kind: string; serial: string | null; shipment: string | null }[];
      expect(alerts).toContainEqual(expect.objectContaining({ kind: 'chip-stopped-verifying', serial: 'GPU-C' }));
      expect(alerts).toContainEqual(expect.objectContaining({ kind: 'batch-stopped-verifying', shipment: 'S1' }));
    });

    it("the registry declares where a chip is; a regulator's request through the registry is answered", async () => {
      // GPU-A was enrolled as being in Kuala Lumpur and verifies there; its owner now files it as moved
      // to Frankfurt. From then on the verifier judges it against the registry's declaration.
      const { ensureOrganisation } = await import('../../src/accounts/index.js');
      const orgKey = (
        await createApiKey(db, {
          role: 'filer',
          organisationId: await ensureOrganisation(db, 'Exporter Inc'),
          label: '',
        })
      ).key;
      const [row] = sampleRows({ count: 1, seed: 3, serialPrefix: 'X-' });
      const item = {
        ...row,
        serial_number: 'GPU-A',
        location_country: 'DE',
        location_address: 'Hanauer Landstrasse 1, Frankfurt',
        location_lat: String(FRANKFURT.lat),
        location_lon: String(FRANKFURT.lon),
      };
      const filed = await app.inject({
        method: 'POST',
        url: '/api/registry/filings',
        headers: auth(orgKey),
        payload: { items: [item] },
      });
      expect(filed.statusCode).toBe(201);
      const asked = await app.inject({
        method: 'POST',
        url: '/api/registry/chips/GPU-A/verification-requests',
        headers: auth(regulator),
        payload: { reason: 'moved to Frankfurt?' },
      });
      expect(asked.statusCode).toBe(201);
      // GPU-A's own schedule is 90 days out; the open request makes it due now.
      const run = await app.inject({ method: 'POST', url: '/api/verify/run-due', headers: auth(admin), payload: {} });
      expect(run.statusCode).toBe(200);
      const [latest] = (
        await app.inject({ method: 'GET', url: '/api/verify/results?serial=GPU-A&limit=1', headers: auth(regulator) })
      ).json() as { verdict: string; declaredConsistent: boolean | null }[];
      expect(latest.verdict).toBe('inconsistent'); // the KL landmark's disk excludes Frankfurt
      expect(latest.declaredConsistent).toBe(false);
      const reqs = (
        await app.inject({
          method: 'GET',
          url: '/api/registry/chips/GPU-A/verification-requests',
          headers: auth(regulator),
        })
      ).json() as { requests: { status: string }[] };
      expect(reqs.requests.map((r) => r.status)).toEqual(['done']);
      // An answered request does not keep the chip due.
      const countA = async () =>
        (
          (
            await app.inject({
              method: 'GET',
              url: '/api/verify/results?serial=GPU-A&limit=1000',
              headers: auth(regulator),
            })
          ).json() as unknown[]
        ).length;
      const before = await countA();
      expect(
        (await app.inject({ method: 'POST', url: '/api/verify/run-due', headers: auth(admin), payload: {} }))
          .statusCode,
      ).toBe(200);
      expect(await countA()).toBe(before);
    });

    it('a diligence case on shipment S1 takes its one-week post-shipment verification from the verdicts', async () => {
      const { ensureOrganisation } = await import('../../src/accounts/index.js');
      const compliance = (
        await createApiKey(db, {
          role: 'compliance',
          organisationId: await ensureOrganisation(db, 'Chip Maker Compliance'),
          label: '',
        })
      ).key;
      const opened = await app.inject({
        method: 'POST',
        url: '/api/cases',
        headers: auth(compliance),
        payload: {
          subjectKind: 'order',
          subjectRef: 'S1',
          profile: {
            customer: { name: 'Kuala Lumpur Cloud Sdn Bhd', country: 'MY' },
            order: { quantity: 3, shipToCountry: 'MY', endUse: 'cloud' },
          },
        },
      });
      expect(opened.statusCode).toBe(201);
      const id = opened.json().case.id as number;
      const act = (body: Record<string, unknown>) =>
        app.inject({ method: 'POST', url: `/api/cases/${id}/actions`, headers: auth(compliance), payload: body });
      expect((await act({ action: 'assess', risk: 'low', reason: 'known cloud operator' })).statusCode).toBe(200);
      expect((await act({ action: 'ship', shippedAt: '2026-11-20T00:00:00Z', reason: 'AWB 1' })).statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'POST', url: '/api/verifications/apply', headers: auth(regulator), payload: {} }))
          .statusCode,
      ).toBe(403);
      const res = await app.inject({
        method: 'POST',
        url: '/api/verifications/apply',
        headers: auth(compliance),
        payload: {},
      });
      expect(res.statusCode).toBe(200);
      // GPU-A and GPU-B answer from KL while declared in Frankfurt (GPU-A by its registry filing above),
      // GPU-C never answers: the shipment fails.
      expect(res.json().applied).toEqual([
        expect.objectContaining({
          caseId: id,
          kind: 'one-week',
          result: 'failed',
          ref: expect.stringContaining('shipment S1'),
        }),
      ]);
      const view = (await app.inject({ method: 'GET', url: `/api/cases/${id}`, headers: auth(compliance) })).json();
      const v = view.case.verifications.find((x: { kind: string }) => x.kind === 'one-week');
      expect(v.status).toBe('failed');
      expect(v.evidence.summary).toMatch(
        new RegExp(
          '0 of 3 chips proven outside.*not verified: ' +
            String.raw`GPU-A \(inconsistent\), GPU-B \(inconsistent\), GPU-C \(no-response\)`,
        ),
      );
      // Applied once: the verification is no longer pending.
      expect(
        (
          await app.inject({ method: 'POST', url: '/api/verifications/apply', headers: auth(compliance), payload: {} })
        ).json().applied,
      ).toEqual([]);
    });

    it('locate is available to analysts and rejects bad input with 400', async () => {
      const ok = await app.inject({
        method: 'POST',
        url: '/api/verify/locate',
        headers: auth(analyst),
        payload: { observations: [{ landmark: { id: 'kl', ...KL }, rttMs: 1 }] },
      });
      expect(ok.json().verdict).toBe('proven-outside');
      const bad = await app.inject({
        method: 'POST',
        url: '/api/verify/locate',
        headers: auth(analyst),
        payload: { observations: 'x' },
      });
      expect(bad.statusCode).toBe(400);
    });
  });
}
