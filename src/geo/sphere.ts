// The earth model: a sphere of mean radius R₁ = 6371.0088 km (IUGG). Great-circle distances on it
// differ from WGS84 geodesics by at most ~0.56 %; callers that need a *sound* bound inflate radii by
// SOUND_RADIUS_FACTOR (see docs/verification.md, "Earth model and error bound").

/** IUGG mean earth radius R₁ in km. */
export const EARTH_RADIUS_KM = 6371.0088;

/** Vacuum speed of light in km per millisecond (exact by definition of the metre). */
export const LIGHT_KM_PER_MS = 299.792458;

/** Typical speed of light in optical fibre (n ≈ 1.468); for estimates only, never for verdicts. */
export const FIBER_KM_PER_MS = 204.2;

/**
 * Largest ratio of a curve's length on our sphere to its length on WGS84 when both are drawn in the
 * same geodetic (lat, lon) chart: R₁ over the smallest meridional radius of curvature of WGS84
 * (M(0) = a(1 − e²) = 6335.439 km). Any physical path of length ℓ therefore shows up on the sphere as
 * at most this factor × ℓ.
 */
export const SPHERE_VS_WGS84_MAX_RATIO = 6371.0088 / 6335.439;

/** Paths may run below the ellipsoid (seabed cables): allow 11 km (deeper than Challenger Deep). */
export const MAX_PATH_DEPTH_KM = 11;

/** A landmark's quartz clock may run fast; 100 ppm is ten times the usual crystal tolerance. */
export const CLOCK_RATE_TOLERANCE = 1e-4;

/**
 * Factor by which a light-travel distance is multiplied before it is used as a disk radius on the
 * sphere, so that the disk surely contains every place the signal could have reached:
 * 1.005614 (sphere vs WGS84) × R/(R − 11 km) (deep paths) × (1 + 1e-4) (clock) = 1.007455; rounded up.
 */
export const SOUND_RADIUS_FACTOR = 1.0075;

export interface LatLon {
  lat: number;
  lon: number;
}

export type Vec3 = [number, number, number];

const RAD = Math.PI / 180;

export function isValidLatLon(p: LatLon): boolean {
  return Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180;
}

/** Unit vector of a geographic position (the sphere's geocentric frame). */
export function toVec(lat: number, lon: number): Vec3 {
  const φ = lat * RAD;
  const λ = lon * RAD;
  const c = Math.cos(φ);
  return [c * Math.cos(λ), c * Math.sin(λ), Math.sin(φ)];
}

export function toLatLon(v: Vec3): LatLon {
  const n = Math.hypot(v[0], v[1], v[2]);
  return { lat: Math.asin(Math.max(-1, Math.min(1, v[2] / n))) / RAD, lon: Math.atan2(v[1], v[0]) / RAD };
}

export function dot(a: Vec3, b: Vec3): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

export function cross(a: Vec3, b: Vec3): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

export function normalize(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]);
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Angle between unit vectors in radians. atan2(|a×b|, a·b) stays accurate for tiny and for nearly
 * antipodal angles, where acos(a·b) loses precision.
 */
export function angleBetween(a: Vec3, b: Vec3): number {
  const cx = a[1] * b[2] - a[2] * b[1];
  const cy = a[2] * b[0] - a[0] * b[2];
  const cz = a[0] * b[1] - a[1] * b[0];
  return Math.atan2(Math.sqrt(cx * cx + cy * cy + cz * cz), dot(a, b));
}

/** Great-circle distance in km on the model sphere. */
export function distanceKm(a: LatLon, b: LatLon): number {
  return angleBetween(toVec(a.lat, a.lon), toVec(b.lat, b.lon)) * EARTH_RADIUS_KM;
}

/**
 * Angular distance (radians) from point p to the great-circle arc a→b (the shorter arc; a ≠ −b).
 * If p's foot on the arc's great circle lies between a and b the distance is |asin(p·n)|; otherwise
 * the nearer endpoint is the closest point of the arc.
 */
export function pointArcAngle(p: Vec3, a: Vec3, b: Vec3): number {
  const n = cross(a, b);
  const nn = Math.hypot(n[0], n[1], n[2]);
  const da = angleBetween(p, a);
  if (nn < 1e-12) return da; // degenerate edge: a and b coincide
  const nx = n[0] / nn,
    ny = n[1] / nn,
    nz = n[2] / nn;
  const s = p[0] * nx + p[1] * ny + p[2] * nz;
  // Foot of p on the great circle: p − s·n. It lies within the arc iff it is on the inner side of
  // both a and b, i.e. (a × foot)·n ≥ 0 and (foot × b)·n ≥ 0; (a × p)·n equals (a × foot)·n.
  const ap = cross(a, p);
  const pb = cross(p, b);
  if (ap[0] * nx + ap[1] * ny + ap[2] * nz >= 0 && pb[0] * nx + pb[1] * ny + pb[2] * nz >= 0) {
    return Math.asin(Math.min(1, Math.abs(s)));
  }
  return Math.min(da, angleBetween(p, b));
}

/**
 * Sound disk radius on the model sphere for a measured round trip: the signal covered at most
 * v·(rtt − floor) km there and back, so the chip is within v·(rtt − floor)/2 of the landmark along any
 * physical path; SOUND_RADIUS_FACTOR turns that into a sphere radius, plus the landmark's position
 * uncertainty.
 */
export function soundRadiusKm(
  rttMs: number,
  floorMs = 0,
  speedKmPerMs = LIGHT_KM_PER_MS,
  positionUncertaintyKm = 0,
): number {
  const oneWayKm = (speedKmPerMs * Math.max(0, rttMs - floorMs)) / 2;
  return oneWayKm * SOUND_RADIUS_FACTOR + positionUncertaintyKm;
}

/** The smallest round trip (ms) that a chip at `km` from a landmark can show at speed v. */
export function minRttMsForKm(km: number, speedKmPerMs = LIGHT_KM_PER_MS): number {
  return (2 * km) / speedKmPerMs;
}
