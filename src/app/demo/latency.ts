// The latency model behind the demo's measurements: a round trip is the fibre distance (great circle
// times a route factor of 1.3–1.9, fixed per landmark and site) at the speed of light in fibre, plus
// the landmark's processing floor and a non-negative jitter; all drawn from a seeded generator.
import { distanceKm, FIBER_KM_PER_MS, type LatLon } from '../../geo/index.js';

export const FLOOR_MICROS = 200;

/** A route factor in [1.3, 1.9) that depends only on the two places, so every build draws the same. */
export function routeFactor(a: LatLon, b: LatLon): number {
  const h = Math.abs(Math.sin(a.lat * 12.9898 + a.lon * 78.233 + b.lat * 37.719 + b.lon * 4.581) * 43758.5453);
  return 1.3 + 0.6 * (h - Math.floor(h));
}

/** Round trip in microseconds between a landmark and a chip; `u` is a uniform draw for the jitter. */
export function rttMicros(landmark: LatLon, chip: LatLon, u: number): number {
  const fibreMs = (2 * distanceKm(landmark, chip) * routeFactor(landmark, chip)) / FIBER_KM_PER_MS;
  const jitterMs = -0.3 * Math.log(1 - u); // exponential, mean 0.3 ms
  return Math.round((fibreMs + jitterMs) * 1000) + FLOOR_MICROS;
}
