// Disks (spherical caps) of the sphere and the sound tests on them: a disk excludes a territory when
// its landmark is farther from the territory than its radius plus the map tolerance; the intersection
// of disks excludes it whenever any one disk does (the intersection is inside each disk).
import { EARTH_RADIUS_KM, toVec, angleBetween, type LatLon, type Vec3 } from './sphere.js';
import type { Territory } from './territory.js';

export interface Disk {
  /** Who measured it (landmark id). */
  id: string;
  center: LatLon;
  /** Sound radius on the model sphere (already inflated; see soundRadiusKm). */
  radiusKm: number;
}

export interface PreparedDisk extends Disk {
  v: Vec3;
  /** Radius in radians, clamped to π (a disk that wide is the whole sphere). */
  rad: number;
}

export function prepareDisk(d: Disk): PreparedDisk {
  return { ...d, v: toVec(d.center.lat, d.center.lon), rad: Math.min(Math.PI, d.radiusKm / EARTH_RADIUS_KM) };
}

/** Memo of landmark-to-territory distances: a landmark's distance to a country never changes. */
const distanceMemo = new Map<string, number>();
const MEMO_LIMIT = 200_000;

export function landmarkDistanceKm(t: Territory, d: PreparedDisk): number {
  const key = `${t.code}|${d.center.lat}|${d.center.lon}`;
  let km = distanceMemo.get(key);
  if (km === undefined) {
    km = t.distanceRad(d.v, d.center.lat, d.center.lon) * EARTH_RADIUS_KM;
    if (distanceMemo.size >= MEMO_LIMIT) distanceMemo.clear();
    distanceMemo.set(key, km);
  }
  return km;
}

export interface DiskExclusion {
  /** Lower bound (km) on the distance from the intersection to the territory, less the map tolerance. */
  marginKm: number;
  /** The disk that gives that bound. */
  diskId: string;
}

/**
 * Best single-disk bound: every feasible point x lies within rᵢ of Lᵢ, so d(x, T) ≥ d(Lᵢ, T) − rᵢ for
 * every i; the largest of these, minus the map tolerance, is a sound margin (positive ⇒ excluded).
 */
export function bestDiskExclusion(
  t: Territory,
  disks: readonly PreparedDisk[],
  mapToleranceKm: number,
): DiskExclusion | null {
  // Upper bounds on each margin from the territory's bounding cap let most disks be skipped without the
  // exact distance: a disk whose best possible margin cannot beat max(current best, 0) changes nothing
  // a caller uses (only positive margins are claimed).
  const ranked = disks
    .map((d) => ({
      d,
      upper: (angleBetween(d.v, t.cap.v) + t.cap.rad) * EARTH_RADIUS_KM - d.radiusKm - mapToleranceKm,
    }))
    .sort((a, b) => b.upper - a.upper);
  let best: DiskExclusion | null = null;
  for (const { d, upper } of ranked) {
    if (best && upper <= Math.max(best.marginKm, 0)) break;
    const m = landmarkDistanceKm(t, d) - d.radiusKm - mapToleranceKm;
    if (!best || m > best.marginKm) best = { marginKm: m, diskId: d.id };
  }
  return best;
}

export interface DeclaredExcess {
  diskId: string;
  /** How far (km) the declared site lies beyond the disk's edge, after the declared-site tolerance. */
  excessKm: number;
  distanceKm: number;
  radiusKm: number;
}

/**
 * Disks that prove the chip is not at the declared site: the site lies farther from the landmark than
 * the disk radius plus a tolerance for the site's own coordinate uncertainty. Sorted, largest first.
 */
export function declaredExcesses(
  declared: LatLon,
  disks: readonly PreparedDisk[],
  declaredToleranceKm: number,
): DeclaredExcess[] {
  const p = toVec(declared.lat, declared.lon);
  const out: DeclaredExcess[] = [];
  for (const d of disks) {
    const distanceKm = angleBetween(p, d.v) * EARTH_RADIUS_KM;
    const excessKm = distanceKm - d.radiusKm - declaredToleranceKm;
    if (excessKm > 0) out.push({ diskId: d.id, excessKm, distanceKm, radiusKm: d.radiusKm });
  }
  return out.sort((a, b) => b.excessKm - a.excessKm);
}

/**
 * A pair of disks that cannot both hold the chip (their centres are farther apart than the sum of
 * their radii): the evidence contradicts itself (a mis-calibrated or lying landmark), or null.
 */
export function contradictoryPair(disks: readonly PreparedDisk[]): [string, string] | null {
  // Only the smallest disks can be disjoint from others in practice; checking every pair is O(n²)
  // but cheap (n ≤ a few hundred).
  for (let i = 0; i < disks.length; i++) {
    const a = disks[i];
    for (let j = i + 1; j < disks.length; j++) {
      const b = disks[j];
      const sum = a.rad + b.rad;
      // Centres farther apart than the radii together: cos(angle) < cos(sum), with a hair of slack.
      if (sum < Math.PI && a.v[0] * b.v[0] + a.v[1] * b.v[1] + a.v[2] * b.v[2] < Math.cos(sum + 1e-12))
        return [a.id, b.id];
    }
  }
  return null;
}
