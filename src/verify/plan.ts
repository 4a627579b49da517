// Planning: for a declared site, which landmarks could prove it outside the restricted set, and the
// largest round trip each must observe for that proof (the chip at the site, the disk still clear of
// every restricted territory by the map tolerance).
import {
  country,
  distanceKm,
  LIGHT_KM_PER_MS,
  SOUND_RADIUS_FACTOR,
  MAP_TOLERANCE_KM,
  DEFAULT_RESTRICTED,
  type LatLon,
} from '../geo/index.js';

export interface LandmarkSite {
  id: string;
  lat: number;
  lon: number;
  floorMs?: number;
}

export interface PlanRow {
  landmarkId: string;
  distanceToSiteKm: number;
  /** Distance from the landmark to the nearest restricted territory and which one. */
  distanceToRestrictedKm: number;
  nearestRestricted: string;
  /** Largest RTT (ms) that still proves the chip outside; null when this landmark cannot. */
  maxRttMs: number | null;
  /** Smallest RTT (ms) light allows from the site: the best the chip can show. */
  minPossibleRttMs: number;
  canProve: boolean;
}

export function plan(
  site: LatLon,
  landmarks: readonly LandmarkSite[],
  opts: { restricted?: readonly string[]; mapToleranceKm?: number; landmarkUncertaintyKm?: number } = {},
): PlanRow[] {
  const territories = (opts.restricted ?? DEFAULT_RESTRICTED).map((c) => country(c));
  const tol = opts.mapToleranceKm ?? MAP_TOLERANCE_KM;
  const unc = opts.landmarkUncertaintyKm ?? 0;
  const rows = landmarks.map((l): PlanRow => {
    let nearest = territories[0]?.code ?? '',
      dT = Infinity;
    for (const t of territories) {
      const d = t.distanceKm(l);
      if (d < dT) {
        dT = d;
        nearest = t.code;
      }
    }
    const dS = distanceKm(site, l);
    // Radius must stay below dT − tol: v·(rtt − floor)/2 · factor + unc < dT − tol.
    const maxRadius = dT - tol - unc;
    const maxRtt = maxRadius > 0 ? (2 * maxRadius) / (LIGHT_KM_PER_MS * SOUND_RADIUS_FACTOR) + (l.floorMs ?? 0) : null;
    const minRtt = (2 * dS) / LIGHT_KM_PER_MS + (l.floorMs ?? 0);
    const canProve = maxRtt !== null && minRtt < maxRtt;
    return {
      landmarkId: l.id,
      distanceToSiteKm: Math.round(dS * 10) / 10,
      distanceToRestrictedKm: Math.round(dT * 10) / 10,
      nearestRestricted: nearest,
      // Rounded down: a bound for the operator to compare against must not be looser than the maths.
      maxRttMs: maxRtt === null ? null : Math.floor(maxRtt * 1000) / 1000,
      minPossibleRttMs: Math.ceil(minRtt * 1000) / 1000,
      canProve,
    };
  });
  return rows.sort(
    (a, b) =>
      Number(b.canProve) - Number(a.canProve) ||
      (b.maxRttMs ?? -1) - b.minPossibleRttMs - ((a.maxRttMs ?? -1) - a.minPossibleRttMs),
  );
}
