// A territory (one country's Natural Earth polygons) prepared for exact distance queries on the
// sphere: edges densified so great-circle arcs follow the map's lon/lat segments, grouped into chunks
// with bounding caps so a query can skip far-away coastline without losing exactness.
import type { Polygon, MultiPolygon, Position } from 'geojson';
import { angleBetween, normalize, pointArcAngle, toVec, EARTH_RADIUS_KM, type LatLon, type Vec3 } from './sphere.js';

/** Longest edge (degrees of lon or lat) kept before densifying; keeps arc-vs-segment gaps < 0.1 km. */
const MAX_EDGE_DEG = 0.5;
const CHUNK_EDGES = 16;

interface Chunk {
  center: Vec3;
  radius: number; // radians; every point of every arc in the chunk lies within it
  pts: Vec3[]; // pts[i] → pts[i+1] are the chunk's edges
}

export interface Territory {
  readonly code: string;
  readonly name: string;
  /** Exact angular distance (radians) from a point to the territory; 0 inside. */
  distanceRad(p: Vec3, lat: number, lon: number): number;
  /** Great-circle distance in km from a position to the territory; 0 inside. */
  distanceKm(p: LatLon): number;
  contains(p: LatLon): boolean;
  readonly geometry: MultiPolygon;
  /** Unit vectors of the (densified) boundary vertices, x,y,z interleaved: witnesses of overlap. */
  readonly vertexXyz: Float64Array;
  /** A cap containing the whole territory: distance to it is within ± rad of the angle to `v`. */
  readonly cap: { v: Vec3; rad: number };
}

function densify(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0, y0] = ring[i];
    const [x1, y1] = ring[i + 1];
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0)) / MAX_EDGE_DEG));
    for (let k = 0; k < steps; k++) out.push([x0 + ((x1 - x0) * k) / steps, y0 + ((y1 - y0) * k) / steps]);
  }
  out.push(ring[ring.length - 1]);
  return out;
}

function chunksOf(ring: Position[]): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < ring.length - 1; start += CHUNK_EDGES) {
    const slice = ring.slice(start, Math.min(ring.length, start + CHUNK_EDGES + 1));
    const pts = slice.map(([lon, lat]) => toVec(lat, lon));
    const sum: Vec3 = [0, 0, 0];
    for (const v of pts) {
      sum[0] += v[0];
      sum[1] += v[1];
      sum[2] += v[2];
    }
    const center = normalize(sum);
    let radius = 0;
    for (const v of pts) radius = Math.max(radius, angleBetween(center, v));
    // A cap narrower than a hemisphere is convex, so it holds the arcs between its points too.
    if (radius >= Math.PI / 2) throw new Error('territory chunk too large');
    chunks.push({ center, radius: radius + 1e-9, pts });
  }
  return chunks;
}

/** Builds a territory from GeoJSON polygons in lon/lat (Natural Earth: planar lon/lat rings). */
export function makeTerritory(code: string, name: string, geometry: Polygon | MultiPolygon): Territory {
  const polys: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  const rings: Position[][] = polys.flat().map(densify);
  const chunks = rings.flatMap(chunksOf);
  let minLon = 180,
    maxLon = -180,
    minLat = 90,
    maxLat = -90;
  const flat: Float64Array[] = rings.map((r) => {
    const a = new Float64Array(r.length * 2);
    r.forEach(([x, y], i) => {
      a[2 * i] = x;
      a[2 * i + 1] = y;
      minLon = Math.min(minLon, x);
      maxLon = Math.max(maxLon, x);
      minLat = Math.min(minLat, y);
      maxLat = Math.max(maxLat, y);
    });
    return a;
  });

  // Natural Earth rings are planar in lon/lat (cut at ±180°), so the even-odd rule over all rings
  // (outer rings and holes alike) decides membership the way the data means it.
  function contains(lat: number, lon: number): boolean {
    if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) return false;
    let inside = false;
    for (const a of flat) {
      const n = a.length / 2;
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const xi = a[2 * i],
          yi = a[2 * i + 1],
          xj = a[2 * j],
          yj = a[2 * j + 1];
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      }
    }
    return inside;
  }

  const lbs = new Float64Array(chunks.length);
  const order: number[] = chunks.map((_, i) => i);
  function distanceRad(p: Vec3, lat: number, lon: number): number {
    if (contains(lat, lon)) return 0;
    for (let i = 0; i < chunks.length; i++) lbs[i] = angleBetween(p, chunks[i].center) - chunks[i].radius;
    order.sort((x, y) => lbs[x] - lbs[y]);
    let best = Infinity;
    for (const i of order) {
      if (lbs[i] >= best) break; // every later chunk is at least this far
      const pts = chunks[i].pts;
      for (let k = 0; k + 1 < pts.length; k++) {
        const d = pointArcAngle(p, pts[k], pts[k + 1]);
        if (d < best) best = d;
      }
    }
    return best;
  }

  const vertexXyz = new Float64Array(chunks.reduce((n, c) => n + c.pts.length, 0) * 3);
  let k = 0;
  for (const c of chunks)
    for (const v of c.pts) {
      vertexXyz[k++] = v[0];
      vertexXyz[k++] = v[1];
      vertexXyz[k++] = v[2];
    }

  const sum: Vec3 = [0, 0, 0];
  for (let i = 0; i < vertexXyz.length; i += 3) {
    sum[0] += vertexXyz[i];
    sum[1] += vertexXyz[i + 1];
    sum[2] += vertexXyz[i + 2];
  }
  const capV = normalize(sum);
  // The interior lies within the cap too when the cap is less than a hemisphere and holds the boundary.
  let capRad = 0;
  for (const c of chunks) capRad = Math.max(capRad, angleBetween(capV, c.center) + c.radius);
  const cap = { v: capV, rad: capRad < Math.PI / 2 ? capRad + 1e-9 : Math.PI };

  const multi: MultiPolygon =
    geometry.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [geometry.coordinates] } : geometry;
  return {
    code,
    name,
    geometry: multi,
    vertexXyz,
    cap,
    distanceRad,
    distanceKm: (q) => distanceRad(toVec(q.lat, q.lon), q.lat, q.lon) * EARTH_RADIUS_KM,
    contains: (q) => contains(q.lat, q.lon),
  };
}
