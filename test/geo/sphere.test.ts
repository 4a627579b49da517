import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { geoDistance } from 'd3-geo';
import {
  EARTH_RADIUS_KM,
  SOUND_RADIUS_FACTOR,
  SPHERE_VS_WGS84_MAX_RATIO,
  distanceKm,
  soundRadiusKm,
  minRttMsForKm,
  pointArcAngle,
  toVec,
  angleBetween,
} from '../../src/geo/index.js';

const latLon = fc.record({
  lat: fc.double({ min: -89.9, max: 89.9, noNaN: true }),
  lon: fc.double({ min: -180, max: 180, noNaN: true }),
});

describe('sphere', () => {
  it('great-circle distance agrees with d3-geo on the same sphere', () => {
    fc.assert(
      fc.property(latLon, latLon, (a, b) => {
        const ours = distanceKm(a, b);
        const d3 = geoDistance([a.lon, a.lat], [b.lon, b.lat]) * EARTH_RADIUS_KM;
        expect(Math.abs(ours - d3)).toBeLessThan(1e-6 * Math.max(1, d3));
      }),
    );
  });

  it('known distances: Singapore–Kuala Lumpur ≈ 309 km, Frankfurt–Ashburn ≈ 6,500 km', () => {
    expect(distanceKm({ lat: 1.3521, lon: 103.8198 }, { lat: 3.139, lon: 101.6869 })).toBeCloseTo(309.25, 1);
    const fra = distanceKm({ lat: 50.1109, lon: 8.6821 }, { lat: 39.0438, lon: -77.4874 });
    expect(fra).toBeGreaterThan(6400);
    expect(fra).toBeLessThan(6600);
  });

  it('the soundness factor covers the sphere-vs-WGS84 ratio, deep paths and clock drift', () => {
    const needed = SPHERE_VS_WGS84_MAX_RATIO * (EARTH_RADIUS_KM / (EARTH_RADIUS_KM - 11)) * (1 + 1e-4);
    expect(SOUND_RADIUS_FACTOR).toBeGreaterThanOrEqual(needed);
    expect(SOUND_RADIUS_FACTOR - needed).toBeLessThan(1e-4);
  });

  it('radius from an RTT: vacuum light, floor subtracted, inflated; never negative', () => {
    expect(soundRadiusKm(10)).toBeCloseTo(299.792458 * 5 * SOUND_RADIUS_FACTOR, 6);
    expect(soundRadiusKm(10, 2)).toBeCloseTo(299.792458 * 4 * SOUND_RADIUS_FACTOR, 6);
    expect(soundRadiusKm(1, 2)).toBe(0);
    expect(minRttMsForKm(1980)).toBeCloseTo(13.21, 2); // Singapore–Hainan, BACKGROUND §5
  });

  it('point-to-arc distance is exact: never above, and within the sampling step of, a dense sample', () => {
    fc.assert(
      fc.property(latLon, latLon, latLon, (p, a, b) => {
        const va = toVec(a.lat, a.lon),
          vb = toVec(b.lat, b.lon),
          vp = toVec(p.lat, p.lon);
        const len = angleBetween(va, vb);
        fc.pre(len > 1e-6 && len < Math.PI - 1e-3);
        const exact = pointArcAngle(vp, va, vb);
        let sampled = Infinity;
        const n = 2000;
        for (let i = 0; i <= n; i++) {
          const t = i / n;
          const w1 = Math.sin((1 - t) * len) / Math.sin(len),
            w2 = Math.sin(t * len) / Math.sin(len);
          const q: [number, number, number] = [
            va[0] * w1 + vb[0] * w2,
            va[1] * w1 + vb[1] * w2,
            va[2] * w1 + vb[2] * w2,
          ];
          sampled = Math.min(sampled, angleBetween(vp, q));
        }
        expect(exact).toBeLessThanOrEqual(sampled + 1e-9);
        expect(exact).toBeGreaterThanOrEqual(sampled - len / n - 1e-9);
      }),
      { numRuns: 300 },
    );
  });
});
