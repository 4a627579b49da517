// A drawing of the feasible region (the intersection of the disks) as a GeoJSON polygon, for people and
// maps. It is an approximation (a star polygon from an interior point) and is never used for verdicts.
import type { Feature, Polygon } from 'geojson';
import { cross, dot, normalize, toLatLon, angleBetween, type Vec3 } from './sphere.js';
import type { PreparedDisk } from './disks.js';

export interface RegionProperties {
  approximate: true;
  disks: number;
  note?: string;
}

function inside(p: Vec3, disks: readonly PreparedDisk[]): PreparedDisk | null {
  let worst: PreparedDisk | null = null;
  let excess = 0;
  for (const d of disks) {
    const e = angleBetween(p, d.v) - d.rad;
    if (e > excess) {
      excess = e;
      worst = d;
    }
  }
  return worst;
}

/** Moves p along the great circle toward c until it is `angle` from c. */
function toward(p: Vec3, c: Vec3, angle: number): Vec3 {
  const a = angleBetween(p, c);
  if (a <= angle) return p;
  const t = 1 - angle / a;
  const s = Math.sin(a);
  if (s < 1e-12) return c;
  const w1 = Math.sin((1 - t) * a) / s,
    w2 = Math.sin(t * a) / s;
  return normalize([p[0] * w1 + c[0] * w2, p[1] * w1 + c[1] * w2, p[2] * w1 + c[2] * w2]);
}

/** An interior point by cyclic projection onto the violated caps (converges for convex caps). */
function interiorPoint(disks: readonly PreparedDisk[]): Vec3 | null {
  if (disks.length === 0) return null;
  let p = disks.reduce((a, b) => (b.rad < a.rad ? b : a)).v;
  for (let i = 0; i < 200; i++) {
    const w = inside(p, disks);
    if (!w) return p;
    p = toward(p, w.v, w.rad * 0.999);
  }
  return inside(p, disks) ? null : p;
}

export function regionGeoJson(
  disks: readonly PreparedDisk[],
  bearings = 72,
): Feature<Polygon | null, RegionProperties> {
  const p = interiorPoint(disks);
  if (!p)
    return {
      type: 'Feature',
      geometry: null,
      properties: { approximate: true, disks: disks.length, note: 'no point found inside every disk' },
    };
  // Tangent frame at p: east and north unit vectors (any orthonormal pair works).
  const ref: Vec3 = Math.abs(p[2]) < 0.9 ? [0, 0, 1] : [1, 0, 0];
  const e1 = normalize(cross(ref, p));
  const e2 = cross(p, e1);
  const ring: [number, number][] = [];
  for (let k = 0; k < bearings; k++) {
    const θ = (-2 * Math.PI * k) / bearings; // clockwise, the winding d3 treats as "inside is small"
    const t: Vec3 = [
      e1[0] * Math.cos(θ) + e2[0] * Math.sin(θ),
      e1[1] * Math.cos(θ) + e2[1] * Math.sin(θ),
      e1[2] * Math.cos(θ) + e2[2] * Math.sin(θ),
    ];
    // Along p·cos s + t·sin s the cap test reads A cos s + B sin s ≥ cos r: exit at φ + acos(cos r / M).
    let exit = Math.PI;
    for (const d of disks) {
      const A = dot(p, d.v),
        B = dot(t, d.v);
      const M = Math.hypot(A, B);
      const q = Math.cos(d.rad) / M;
      if (q <= -1) continue;
      const s = Math.atan2(B, A) + Math.acos(Math.min(1, q));
      if (s < exit) exit = Math.max(0, s);
    }
    const v: Vec3 = [
      p[0] * Math.cos(exit) + t[0] * Math.sin(exit),
      p[1] * Math.cos(exit) + t[1] * Math.sin(exit),
      p[2] * Math.cos(exit) + t[2] * Math.sin(exit),
    ];
    const ll = toLatLon(v);
    ring.push([round(ll.lon), round(ll.lat)]);
  }
  ring.push(ring[0]);
  const wide = disks.some((d) => d.rad >= Math.PI / 2);
  return {
    type: 'Feature',
    geometry: { type: 'Polygon', coordinates: [ring] },
    properties: {
      approximate: true,
      disks: disks.length,
      ...(wide ? { note: 'some disks exceed a hemisphere; outline is rough' } : {}),
    },
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
