// Verdicts from observations (landmark position + round trip). Pure: the same observations always give
// the same verdict, so anyone can re-derive it. Only the vacuum speed of light is used: a verdict
// must hold against any physical link, including microwave and hollow-core fibre.
import type { Feature, Polygon } from 'geojson';
import {
  country,
  prepareDisk,
  bestDiskExclusion,
  declaredExcesses,
  contradictoryPair,
  refineExclusion,
  regionGeoJson,
  soundRadiusKm,
  LIGHT_KM_PER_MS,
  EARTH_RADIUS_KM,
  SOUND_RADIUS_FACTOR,
  MAP_TOLERANCE_KM,
  DEFAULT_RESTRICTED,
  type LatLon,
  type PreparedDisk,
} from '../geo/index.js';

export const VERDICTS = ['proven-outside', 'consistent', 'inconsistent', 'inconclusive', 'no-response'] as const;
export type VerdictKind = (typeof VERDICTS)[number];

export interface Observation {
  landmarkId: string;
  lat: number;
  lon: number;
  /** Minimum round trip in ms as timed by the landmark. */
  rttMs: number;
  /** The landmark's calibrated processing floor in ms (subtracted from the RTT). */
  floorMs?: number;
  /** Extra radius in km (movement allowance when records are of different ages). */
  extraKm?: number;
}

export interface VerdictOptions {
  restricted?: readonly string[];
  declared?: LatLon | null;
  /** Uncertainty of a declared site's coordinates (km); the chip is inconsistent only beyond it. */
  declaredToleranceKm?: number;
  /** Uncertainty of landmark coordinates (km), added to every radius. */
  landmarkUncertaintyKm?: number;
  mapToleranceKm?: number;
  /** Cells the refinement may examine per territory (0 disables it). */
  refineCells?: number;
  /** Draw the feasible region as GeoJSON (default true); the fleet path skips it (evidence suffices). */
  withRegion?: boolean;
}

export interface Evidence {
  disks: { landmarkId: string; lat: number; lon: number; rttMs: number; floorMs: number; radiusKm: number }[];
  exclusions: { code: string; marginKm: number; by: string }[];
  notExcluded: string[];
  inconsistent?: { landmarkId: string; excessKm: number; distanceKm: number; radiusKm: number };
  contradictory?: [string, string];
  model: {
    earthRadiusKm: number;
    speedKmPerMs: number;
    soundRadiusFactor: number;
    mapToleranceKm: number;
    declaredToleranceKm: number;
    landmarkUncertaintyKm: number;
  };
}

export interface Verdict {
  verdict: VerdictKind;
  declaredConsistent: boolean | null;
  provenOutside: string[];
  marginKm: Record<string, number>;
  region: Feature<Polygon | null>;
  evidence: Evidence;
}

export const DEFAULT_DECLARED_TOLERANCE_KM = 25;

/** Rounds a bound toward the safe side (margins and excesses down) to 0.1 km for display. */
const down = (km: number) => Math.floor(km * 10) / 10;

export function judge(observations: readonly Observation[], opts: VerdictOptions = {}): Verdict {
  const restricted = [...new Set((opts.restricted ?? DEFAULT_RESTRICTED).map((c) => c.toUpperCase()))];
  const territories = restricted.map((c) => country(c));
  const mapToleranceKm = opts.mapToleranceKm ?? MAP_TOLERANCE_KM;
  const declaredToleranceKm = opts.declaredToleranceKm ?? DEFAULT_DECLARED_TOLERANCE_KM;
  const landmarkUncertaintyKm = opts.landmarkUncertaintyKm ?? 0;
  const declared = opts.declared ?? null;

  const diskList = observations.map((o) => ({
    landmarkId: o.landmarkId,
    lat: o.lat,
    lon: o.lon,
    rttMs: o.rttMs,
    floorMs: o.floorMs ?? 0,
    radiusKm: soundRadiusKm(o.rttMs, o.floorMs ?? 0, LIGHT_KM_PER_MS, landmarkUncertaintyKm) + (o.extraKm ?? 0),
  }));
  const disks: PreparedDisk[] = diskList.map((d) =>
    prepareDisk({ id: d.landmarkId, center: { lat: d.lat, lon: d.lon }, radiusKm: d.radiusKm }),
  );
  const evidence: Evidence = {
    disks: diskList.map((d) => ({ ...d, radiusKm: Math.ceil(d.radiusKm * 10) / 10 })),
    exclusions: [],
    notExcluded: [],
    model: {
      earthRadiusKm: EARTH_RADIUS_KM,
      speedKmPerMs: LIGHT_KM_PER_MS,
      soundRadiusFactor: SOUND_RADIUS_FACTOR,
      mapToleranceKm,
      declaredToleranceKm,
      landmarkUncertaintyKm,
    },
  };
  const region: Feature<Polygon | null> =
    opts.withRegion === false
      ? {
          type: 'Feature',
          geometry: null,
          properties: { approximate: true, disks: disks.length, note: 'not drawn; re-derive from the disks' },
        }
      : regionGeoJson(disks);
  if (disks.length === 0) {
    return {
      verdict: 'no-response',
      declaredConsistent: null,
      provenOutside: [],
      marginKm: {},
      region,
      evidence: { ...evidence, notExcluded: restricted },
    };
  }
  const pair = contradictoryPair(disks);
  if (pair) {
    // Disjoint disks mean a broken assumption (floor mis-calibrated, landmark misplaced or lying):
    // the evidence proves nothing.
    return {
      verdict: 'inconclusive',
      declaredConsistent: null,
      provenOutside: [],
      marginKm: {},
      region,
      evidence: { ...evidence, contradictory: pair, notExcluded: restricted },
    };
  }

  const marginKm: Record<string, number> = {};
  const provenOutside: string[] = [];
  for (const t of territories) {
    const single = bestDiskExclusion(t, disks, mapToleranceKm);
    let best = single && single.marginKm > 0 ? { marginKm: single.marginKm, by: single.diskId } : null;
    if (!best && (opts.refineCells ?? 600) > 0) {
      const refined = refineExclusion(t, disks, { mapToleranceKm, maxCells: opts.refineCells ?? 600 });
      if (refined !== null && refined > 0) best = { marginKm: refined, by: 'refined' };
    }
    if (best && down(best.marginKm) > 0) {
      provenOutside.push(t.code);
      marginKm[t.code] = down(best.marginKm);
      evidence.exclusions.push({ code: t.code, marginKm: down(best.marginKm), by: best.by });
    } else {
      evidence.notExcluded.push(t.code);
    }
  }

  let declaredConsistent: boolean | null = null;
  if (declared) {
    const ex = declaredExcesses(declared, disks, declaredToleranceKm);
    declaredConsistent = ex.length === 0;
    if (ex.length)
      evidence.inconsistent = {
        landmarkId: ex[0].diskId,
        excessKm: down(ex[0].excessKm),
        distanceKm: down(ex[0].distanceKm),
        radiusKm: Math.ceil(ex[0].radiusKm * 10) / 10,
      };
  }

  const allOut = territories.length > 0 && provenOutside.length === territories.length;
  const verdict: VerdictKind =
    declaredConsistent === false
      ? 'inconsistent'
      : allOut
        ? 'proven-outside'
        : declaredConsistent
          ? 'consistent'
          : 'inconclusive';
  return { verdict, declaredConsistent, provenOutside, marginKm, region, evidence };
}
