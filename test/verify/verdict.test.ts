import { describe, it, expect } from 'vitest';
import { judge, type Observation } from '../../src/verify/verdict.js';
import { locate } from '../../src/verify/locate.js';
import { plan } from '../../src/verify/plan.js';
import { distanceKm, LIGHT_KM_PER_MS } from '../../src/geo/index.js';

const CITIES = {
  singapore: { lat: 1.3521, lon: 103.8198 },
  kualaLumpur: { lat: 3.139, lon: 101.6869 },
  tokyo: { lat: 35.6762, lon: 139.6503 },
  frankfurt: { lat: 50.1109, lon: 8.6821 },
  ashburn: { lat: 39.0438, lon: -77.4874 },
  shenzhen: { lat: 22.5431, lon: 114.0579 },
  beijing: { lat: 39.9042, lon: 116.4074 },
};
type City = keyof typeof CITIES;
const LANDMARKS: City[] = ['singapore', 'kualaLumpur', 'tokyo', 'frankfurt', 'ashburn'];

/** Observations of a chip at `at` over fibre with route stretch `stretch`, plus `extraMs` processing. */
function observe(at: { lat: number; lon: number }, stretch: number, extraMs = 0.3): Observation[] {
  return LANDMARKS.map((id) => ({
    landmarkId: id,
    ...CITIES[id],
    rttMs: (2 * Math.max(distanceKm(CITIES[id], at), 5) * stretch) / 204 + extraMs,
  }));
}

describe('verdicts', () => {
  it('an honest chip in Kuala Lumpur is proven outside CN, HK and MO, consistent with its declaration', () => {
    const v = judge(observe(CITIES.kualaLumpur, 1.5), { declared: CITIES.kualaLumpur });
    expect(v.verdict).toBe('proven-outside');
    expect(v.provenOutside).toEqual(['CN', 'HK', 'MO']);
    expect(v.marginKm.CN).toBeGreaterThan(1500);
    expect(v.declaredConsistent).toBe(true);
    expect(v.evidence.exclusions.find((e) => e.code === 'CN')?.by).toBe('kualaLumpur');
  });

  it('a chip in Shenzhen claiming Kuala Lumpur is never proven outside, whatever the route stretch', () => {
    for (const stretch of [1.0, 1.4, 2, 4]) {
      const v = judge(observe(CITIES.shenzhen, stretch, 0), { declared: CITIES.kualaLumpur });
      expect(v.verdict).not.toBe('proven-outside');
      expect(v.provenOutside).not.toContain('CN');
      expect(v.provenOutside).not.toContain('HK');
    }
  });

  it('a chip in Singapore claiming Frankfurt is inconsistent, and the Singapore landmark proves it', () => {
    const v = judge(observe(CITIES.singapore, 1.5), { declared: CITIES.frankfurt });
    expect(v.verdict).toBe('inconsistent');
    expect(v.declaredConsistent).toBe(false);
    expect(['singapore', 'kualaLumpur']).toContain(v.evidence.inconsistent?.landmarkId);
    expect(v.evidence.inconsistent!.excessKm).toBeGreaterThan(9000);
  });

  it('vacuum light speed: an RTT exactly at the light limit from Hainan never proves Singapore outside', () => {
    const dT = 1975; // Singapore to CN is ~1,975 km in Natural Earth 1:50m
    const v = judge([{ landmarkId: 'sin', ...CITIES.singapore, rttMs: (2 * dT) / LIGHT_KM_PER_MS }]);
    expect(v.provenOutside).not.toContain('CN');
  });

  it('the processing floor is subtracted, which shrinks the disk', () => {
    const o: Observation = { landmarkId: 'kl', ...CITIES.kualaLumpur, rttMs: 13 };
    expect(judge([o]).provenOutside).not.toContain('CN');
    expect(judge([{ ...o, floorMs: 2 }]).provenOutside).toContain('CN');
  });

  it('no observations → no-response; disjoint disks → inconclusive with the contradiction named', () => {
    expect(judge([]).verdict).toBe('no-response');
    const v = judge([
      { landmarkId: 'sin', ...CITIES.singapore, rttMs: 1 },
      { landmarkId: 'fra', ...CITIES.frankfurt, rttMs: 1 },
    ]);
    expect(v.verdict).toBe('inconclusive');
    expect(v.evidence.contradictory).toEqual(['sin', 'fra']);
  });

  it('only wide disks: inconclusive without a declaration, consistent with one inside them', () => {
    const obs = observe(CITIES.beijing, 2);
    expect(judge(obs).verdict).toBe('inconclusive');
    expect(judge(obs, { declared: CITIES.beijing }).verdict).toBe('consistent');
  });
});

describe('locate', () => {
  const one = {
    declared: { lat: 3.139, lon: 101.6869 },
    observations: [{ landmark: { id: 'kl', lat: 3.139, lon: 101.6869 }, rttMs: 1.2 }],
  };

  it('answers an object for an object and an array in input order for an array', () => {
    const a = locate(one) as { verdict: string; marginKm: Record<string, number>; region: { type: string } };
    expect(Object.keys(a).sort()).toEqual(['declaredConsistent', 'marginKm', 'provenOutside', 'region', 'verdict']);
    expect(a.verdict).toBe('proven-outside');
    expect(a.region.type).toBe('Feature');
    const many = locate([one, { observations: [] }, { ...one, restricted: ['MY'] }]) as { verdict: string }[];
    expect(many.map((m) => m.verdict)).toEqual(['proven-outside', 'no-response', 'consistent']);
  });

  it('rejects bad input with the case and field named', () => {
    expect(() => locate([one, { observations: [{ landmark: { id: 'x', lat: 91, lon: 0 }, rttMs: 1 }] }])).toThrow(
      /less than or equal to 90/,
    );
    try {
      locate([one, { observations: [{ landmark: { id: 'x', lat: 1, lon: 0 }, rttMs: -1 }] }]);
    } catch (e) {
      expect((e as { location: { row: number; field: string } }).location).toEqual({
        row: 2,
        field: '[1].observations.0.rttMs',
      });
    }
    expect(() =>
      locate({ restricted: ['XX'], observations: [{ landmark: { id: 'x', lat: 1, lon: 0 }, rttMs: 1 }] }),
    ).toThrow(/unknown country code/);
  });
});

describe('plan', () => {
  it('KL and Singapore can prove a KL site outside; Tokyo, 1,090 km from CN, nearest only to itself, cannot', () => {
    const rows = plan(
      CITIES.kualaLumpur,
      LANDMARKS.map((id) => ({ id, ...CITIES[id] })),
    );
    const byId = Object.fromEntries(rows.map((r) => [r.landmarkId, r]));
    expect(byId.kualaLumpur.canProve).toBe(true);
    expect(byId.singapore.canProve).toBe(true);
    expect(byId.tokyo.canProve).toBe(false);
    expect(byId.frankfurt.canProve).toBe(false);
    // The max RTT for KL converts back to a disk that just clears CN by the tolerance.
    expect(byId.kualaLumpur.maxRttMs!).toBeGreaterThan(12);
    expect(byId.kualaLumpur.maxRttMs!).toBeLessThan(12.5);
    const v = judge([{ landmarkId: 'kl', ...CITIES.kualaLumpur, rttMs: byId.kualaLumpur.maxRttMs! - 0.01 }]);
    expect(v.provenOutside).toContain('CN');
  });
});
