// Draws the map on a canvas with d3-geo: countries (the restricted ones marked), the feasible region of the
// selected chip, declared sites, landmarks and every chip coloured by its last verdict. Chips are drawn as
// small squares batched by colour: 10,000 of them take a few milliseconds.
import { geoArea, geoEqualEarth, geoPath, type GeoPermissibleObjects, type GeoProjection } from 'd3-geo';
import type { Feature, FeatureCollection, Geometry } from 'geojson';

export const VERDICT_COLOURS: Record<string, string> = {
  'proven-outside': '#1e8a4c',
  consistent: '#2a7ab8',
  inconsistent: '#d1242f',
  inconclusive: '#c98a00',
  'no-response': '#6b4fa0',
  unchecked: '#8c959f',
};

export interface Points {
  /** Indices of the chips to draw, into lat/lon/verdict. */
  shown: Uint32Array;
  lat: (number | null)[];
  lon: (number | null)[];
  verdict: (string | null)[];
}

export interface Scene {
  countries: FeatureCollection;
  restricted: ReadonlySet<string>;
  sites: [number, number][];
  landmarks: { id: string; lat: number; lon: number }[];
  points: Points;
  region: Feature | null;
  selected: number | null;
}

export function projectionFor(width: number, height: number): GeoProjection {
  return geoEqualEarth().fitExtent(
    [
      [4, 4],
      [width - 4, height - 4],
    ],
    { type: 'Sphere' },
  );
}

/** d3-geo takes rings clockwise (RFC 7946 writes them anticlockwise): a ring that covers most of the globe is
 * flipped, so a small region is drawn as itself rather than as everything else. */
function asDrawn(f: Feature): Feature {
  if (!f.geometry || geoArea(f as GeoPermissibleObjects) <= 2 * Math.PI) return f;
  const g = f.geometry as Geometry;
  if (g.type === 'Polygon')
    return { ...f, geometry: { ...g, coordinates: g.coordinates.map((r) => [...r].reverse()) } };
  return f;
}

/** Draws the scene; returns the milliseconds the chips took (projection and painting). */
export function drawScene(ctx: CanvasRenderingContext2D, projection: GeoProjection, s: Scene): number {
  const { width, height } = ctx.canvas;
  const path = geoPath(projection, ctx);
  ctx.clearRect(0, 0, width, height);
  ctx.fillStyle = '#dfe9f3';
  ctx.beginPath();
  path({ type: 'Sphere' });
  ctx.fill();
  for (const f of s.countries.features) {
    ctx.beginPath();
    path(f as GeoPermissibleObjects);
    ctx.fillStyle = s.restricted.has(String(f.id)) ? '#f2c4c4' : '#f7f5ef';
    ctx.fill();
    ctx.strokeStyle = '#9aa5b1';
    ctx.lineWidth = 0.4;
    ctx.stroke();
  }
  if (s.region) {
    ctx.beginPath();
    path(asDrawn(s.region) as GeoPermissibleObjects);
    ctx.fillStyle = 'rgba(209, 36, 47, 0.18)';
    ctx.fill();
    ctx.strokeStyle = '#d1242f';
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.strokeStyle = '#14213d';
  ctx.lineWidth = 1;
  for (const [lon, lat] of s.sites) {
    const p = projection([lon, lat]);
    if (p) ctx.strokeRect(p[0] - 4, p[1] - 4, 8, 8);
  }
  const t0 = performance.now();
  drawChips(ctx, projection, s.points);
  const ms = performance.now() - t0;
  ctx.fillStyle = '#14213d';
  for (const l of s.landmarks) {
    const p = projection([l.lon, l.lat]);
    if (!p) continue;
    ctx.beginPath();
    ctx.moveTo(p[0], p[1] - 6);
    ctx.lineTo(p[0] + 5, p[1] + 4);
    ctx.lineTo(p[0] - 5, p[1] + 4);
    ctx.closePath();
    ctx.fill();
  }
  if (s.selected !== null) {
    const i = s.selected;
    const p = s.points.lat[i] === null ? null : projection([s.points.lon[i]!, s.points.lat[i]!]);
    if (p) {
      ctx.strokeStyle = '#000';
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(p[0] + dx(i), p[1] + dy(i), 8, 0, 2 * Math.PI);
      ctx.stroke();
    }
  }
  return ms;
}

/** Every shown chip as a 3-pixel square, batched by colour; chips sharing a site fan out a little. */
function drawChips(ctx: CanvasRenderingContext2D, projection: GeoProjection, pts: Points): void {
  const byColour = new Map<string, number[]>();
  for (const i of pts.shown) {
    const lat = pts.lat[i];
    const lon = pts.lon[i];
    if (lat === null || lon === null) continue;
    const p = projection([lon, lat]);
    if (!p) continue;
    const colour = VERDICT_COLOURS[pts.verdict[i] ?? 'unchecked'] ?? VERDICT_COLOURS.unchecked;
    const xs = byColour.get(colour) ?? [];
    byColour.set(colour, xs);
    xs.push(p[0] + dx(i), p[1] + dy(i));
  }
  // Inconsistent chips last: on top of the others.
  const order = [...byColour.keys()].sort(
    (a, b) => Number(a === VERDICT_COLOURS.inconsistent) - Number(b === VERDICT_COLOURS.inconsistent),
  );
  for (const colour of order) {
    const xs = byColour.get(colour)!;
    ctx.fillStyle = colour;
    ctx.beginPath();
    for (let k = 0; k < xs.length; k += 2) ctx.rect(xs[k] - 1.5, xs[k + 1] - 1.5, 3, 3);
    ctx.fill();
  }
}

/** A fixed spiral offset per chip: chips at one site show as a cluster whose colours can be seen. */
const dx = (i: number) => 1.2 * Math.sqrt(i % 97) * Math.cos(i * 2.399963);
const dy = (i: number) => 1.2 * Math.sqrt(i % 97) * Math.sin(i * 2.399963);

/** The shown chip nearest to a canvas point, within `radius` pixels. */
export function nearestChip(projection: GeoProjection, pts: Points, x: number, y: number, radius = 8): number | null {
  let best: number | null = null;
  let bestD = radius * radius;
  for (const i of pts.shown) {
    if (pts.lat[i] === null) continue;
    const p = projection([pts.lon[i]!, pts.lat[i]!]);
    if (!p) continue;
    const d = (p[0] + dx(i) - x) ** 2 + (p[1] + dy(i) - y) ** 2;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
