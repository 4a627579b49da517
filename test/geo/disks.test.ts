import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  country,
  prepareDisk,
  bestDiskExclusion,
  declaredExcesses,
  contradictoryPair,
  refineExclusion,
  regionGeoJson,
  distanceKm,
  EARTH_RADIUS_KM,
  toVec,
  type Disk,
  type LatLon,
} from '../../src/geo/index.js';

const TOL = 10;
const KL = { lat: 3.139, lon: 101.6869 };
const SIN = { lat: 1.3521, lon: 103.8198 };
const FRA = { lat: 50.1109, lon: 8.6821 };
const TOKYO = { lat: 35.6762, lon: 139.6503 };

/** Points inside a disk, by bearing and fraction of the radius (a deterministic sample). */
function samplesIn(d: Disk, n: number, rnd: () => number): LatLon[] {
  const out: LatLon[] = [];
  const c = d.center;
  for (let i = 0; i < n; i++) {
    const δ = (Math.sqrt(rnd()) * d.radiusKm) / EARTH_RADIUS_KM,
      θ = rnd() * 2 * Math.PI;
    const φ1 = (c.lat * Math.PI) / 180,
      λ1 = (c.lon * Math.PI) / 180;
    const φ2 = Math.asin(Math.sin(φ1) * Math.cos(δ) + Math.cos(φ1) * Math.sin(δ) * Math.cos(θ));
    const λ2 = λ1 + Math.atan2(Math.sin(θ) * Math.sin(δ) * Math.cos(φ1), Math.cos(δ) - Math.sin(φ1) * Math.sin(φ2));
    out.push({ lat: (φ2 * 180) / Math.PI, lon: (((λ2 * 180) / Math.PI + 540) % 360) - 180 });
  }
  return out;
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('disks against territories', () => {
  it('a small disk around Kuala Lumpur excludes CN with a margin; a wide one does not', () => {
    const cn = country('CN');
    const small = bestDiskExclusion(cn, [prepareDisk({ id: 'kl', center: KL, radiusKm: 800 })], TOL)!;
    expect(small.diskId).toBe('kl');
    expect(small.marginKm).toBeGreaterThan(1000);
    expect(small.marginKm).toBeLessThan(1100); // KL–CN ≈ 1,872 km − 800 − 10
    expect(bestDiskExclusion(cn, [prepareDisk({ id: 'kl', center: KL, radiusKm: 1900 })], TOL)!.marginKm).toBeLessThan(
      0,
    );
  });

  it('soundness: with a margin claimed, each sampled feasible point is at least that far beyond the tolerance', () => {
    const cn = country('CN');
    fc.assert(
      fc.property(
        fc.double({ min: -20, max: 60, noNaN: true }),
        fc.double({ min: 60, max: 160, noNaN: true }),
        fc.double({ min: 10, max: 3000, noNaN: true }),
        fc.integer(),
        (lat, lon, radiusKm, seed) => {
          const d: Disk = { id: 'x', center: { lat, lon }, radiusKm };
          const ex = bestDiskExclusion(cn, [prepareDisk(d)], TOL)!;
          if (ex.marginKm <= 0) return;
          for (const p of samplesIn(d, 40, lcg(seed)))
            expect(cn.distanceKm(p)).toBeGreaterThanOrEqual(ex.marginKm + TOL - 1e-6);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('refinement proves a lens outside CN that no single disk clears, and the lens really is clear', () => {
    const cn = country('CN');
    // Two disks that each reach 300 km into China (Tokyo toward Shanghai, Guam toward Fujian) but whose
    // lens lies over the East China Sea and the Ryukyus.
    const GUAM = { lat: 13.4443, lon: 144.7937 };
    const a: Disk = { id: 'tokyo', center: TOKYO, radiusKm: cn.distanceKm(TOKYO) + 300 };
    const b: Disk = { id: 'guam', center: GUAM, radiusKm: cn.distanceKm(GUAM) + 300 };
    const disks = [a, b].map(prepareDisk);
    expect(bestDiskExclusion(cn, disks, TOL)!.marginKm).toBeLessThan(0);
    const m = refineExclusion(cn, disks, { mapToleranceKm: TOL, maxCells: 20000 });
    expect(m).not.toBeNull();
    expect(m!).toBeGreaterThan(0);
    const rnd = lcg(7);
    let inLens = 0;
    for (const p of samplesIn(a, 20000, rnd)) {
      if (distanceKm(p, b.center) <= b.radiusKm) {
        inLens++;
        expect(cn.distanceKm(p)).toBeGreaterThanOrEqual(m! + TOL - 1e-6);
      }
    }
    expect(inLens).toBeGreaterThan(20);
  });

  it('refinement never claims a lens that overlaps CN', () => {
    const cn = country('CN');
    const disks = [
      { id: 'tokyo', center: TOKYO, radiusKm: 3000 },
      { id: 'sin', center: SIN, radiusKm: 3000 },
    ].map(prepareDisk);
    expect(refineExclusion(cn, disks, { mapToleranceKm: TOL, maxCells: 20000 })).toBeNull();
  });

  it('declared site: a Singapore disk of 300 km excludes Frankfurt by ~10,000 km', () => {
    const ex = declaredExcesses(
      FRA,
      [
        prepareDisk({ id: 'sin', center: SIN, radiusKm: 300 }),
        prepareDisk({ id: 'fra', center: FRA, radiusKm: 20000 }),
      ],
      25,
    );
    expect(ex).toHaveLength(1);
    expect(ex[0].diskId).toBe('sin');
    expect(ex[0].excessKm).toBeCloseTo(distanceKm(SIN, FRA) - 300 - 25, 6);
    expect(declaredExcesses(KL, [prepareDisk({ id: 'sin', center: SIN, radiusKm: 300 })], 25)).toHaveLength(0);
  });

  it('contradictory evidence: two disjoint disks are found', () => {
    expect(
      contradictoryPair([
        prepareDisk({ id: 'sin', center: SIN, radiusKm: 100 }),
        prepareDisk({ id: 'fra', center: FRA, radiusKm: 100 }),
      ]),
    ).toEqual(['sin', 'fra']);
    expect(
      contradictoryPair([
        prepareDisk({ id: 'sin', center: SIN, radiusKm: 200 }),
        prepareDisk({ id: 'kl', center: KL, radiusKm: 200 }),
      ]),
    ).toBeNull();
  });

  it('the region outline lies inside every disk', () => {
    const disks = [
      { id: 'sin', center: SIN, radiusKm: 500 },
      { id: 'kl', center: KL, radiusKm: 400 },
      { id: 'tokyo', center: TOKYO, radiusKm: 5500 },
    ].map(prepareDisk);
    const f = regionGeoJson(disks);
    expect(f.geometry?.type).toBe('Polygon');
    for (const [lon, lat] of f.geometry!.coordinates[0]) {
      for (const d of disks) expect(distanceKm({ lat, lon }, d.center)).toBeLessThanOrEqual(d.radiusKm + 0.05);
    }
    expect(toVec(0, 0)).toEqual([1, 0, 0]);
  });
});
