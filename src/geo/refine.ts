// Conservative refinement: proves the intersection of several disks disjoint from a territory when no
// single disk does (two disks that each touch China can have a lens that does not). Cells of a lon/lat
// grid over the smallest disk are discarded only when provably empty of feasible points (outside some
// disk) or provably clear of the territory; if any cell survives at the finest size or the budget runs
// out, nothing is claimed.
import { EARTH_RADIUS_KM, angleBetween, toVec, type Vec3 } from './sphere.js';
import type { PreparedDisk } from './disks.js';
import type { Territory } from './territory.js';

export interface RefineOptions {
  mapToleranceKm: number;
  /** Most cells examined before giving up (bounds the time per case). */
  maxCells?: number;
  /** Finest cell radius in km. */
  minCellKm?: number;
}

interface Cell {
  lat0: number;
  lat1: number;
  lon0: number;
  lon1: number;
}

const RAD = Math.PI / 180;

/**
 * A bounding cap of a lon/lat cell: along parallels and meridians the distance from the centre only
 * grows toward the ends, so the farthest point of the cell is a corner.
 */
function capOf(c: Cell): { v: Vec3; lat: number; lon: number; rad: number } {
  const lat = (c.lat0 + c.lat1) / 2,
    lon = (c.lon0 + c.lon1) / 2;
  const v = toVec(lat, lon);
  let rad = 0;
  for (const [y, x] of [
    [c.lat0, c.lon0],
    [c.lat0, c.lon1],
    [c.lat1, c.lon0],
    [c.lat1, c.lon1],
  ] as const) {
    rad = Math.max(rad, angleBetween(v, toVec(y, x)));
  }
  return { v, lat, lon, rad: rad * (1 + 1e-9) + 1e-12 };
}

/** Lon/lat box containing a disk (whole longitudes when it reaches a pole). */
function boxOf(d: PreparedDisk): Cell {
  const r = d.rad / RAD;
  const lat0 = Math.max(-90, d.center.lat - r),
    lat1 = Math.min(90, d.center.lat + r);
  if (lat0 <= -90 || lat1 >= 90 || r >= 90) return { lat0, lat1, lon0: -180, lon1: 180 };
  const dl = Math.asin(Math.min(1, Math.sin(d.rad) / Math.cos(d.center.lat * RAD))) / RAD;
  return { lat0, lat1, lon0: d.center.lon - dl, lon1: d.center.lon + dl };
}

function splitWide(c: Cell, maxDeg: number): Cell[] {
  const ny = Math.max(1, Math.ceil((c.lat1 - c.lat0) / maxDeg));
  const nx = Math.max(1, Math.ceil((c.lon1 - c.lon0) / maxDeg));
  const out: Cell[] = [];
  for (let i = 0; i < ny; i++)
    for (let j = 0; j < nx; j++) {
      out.push({
        lat0: c.lat0 + ((c.lat1 - c.lat0) * i) / ny,
        lat1: c.lat0 + ((c.lat1 - c.lat0) * (i + 1)) / ny,
        lon0: c.lon0 + ((c.lon1 - c.lon0) * j) / nx,
        lon1: c.lon0 + ((c.lon1 - c.lon0) * (j + 1)) / nx,
      });
    }
  return out;
}

/**
 * Returns a sound margin (km, > 0) by which the intersection of `disks` clears the territory (less the
 * map tolerance), or null when that could not be proven within the budget.
 */
export function refineExclusion(t: Territory, disks: readonly PreparedDisk[], opts: RefineOptions): number | null {
  if (disks.length === 0) return null;
  // A boundary point of the territory inside every disk means the region meets the territory: nothing
  // to prove, so skip the (costly) subdivision. Only ever prevents a claim.
  if (boundaryWitness(t, disks)) return null;
  const maxCells = opts.maxCells ?? 600;
  const minRad = (opts.minCellKm ?? 1) / EARTH_RADIUS_KM;
  const tolRad = opts.mapToleranceKm / EARTH_RADIUS_KM;
  const smallest = disks.reduce((a, b) => (b.rad < a.rad ? b : a));
  // Longitudes outside [−180, 180] are fine for the cap maths (toVec is periodic).
  const stack: { cell: Cell; active: PreparedDisk[] }[] = splitWide(boxOf(smallest), 10).map((cell) => ({
    cell,
    active: [...disks],
  }));
  let margin = Infinity;
  let examined = 0;
  while (stack.length) {
    const { cell, active } = stack.pop()!;
    if (++examined > maxCells) return null;
    const cap = capOf(cell);
    let empty = false;
    const still: PreparedDisk[] = [];
    for (const d of active) {
      const a = angleBetween(cap.v, d.v);
      if (a - cap.rad > d.rad) {
        empty = true;
        break;
      } // the whole cell lies outside this disk
      if (a + cap.rad > d.rad) still.push(d); // disks that contain the whole cell constrain nothing below
    }
    if (empty) continue;
    const dt = t.distanceRad(cap.v, cap.lat, ((((cap.lon + 180) % 360) + 360) % 360) - 180);
    const clear = dt - cap.rad - tolRad;
    if (clear > 0) {
      margin = Math.min(margin, clear * EARTH_RADIUS_KM);
      continue;
    }
    // A cell wholly feasible and wholly within the tolerance band of the territory: cannot be proven.
    if (still.length === 0 && dt + cap.rad <= tolRad) return null;
    if (cap.rad < minRad) return null;
    const mlat = (cell.lat0 + cell.lat1) / 2,
      mlon = (cell.lon0 + cell.lon1) / 2;
    stack.push(
      { cell: { lat0: cell.lat0, lat1: mlat, lon0: cell.lon0, lon1: mlon }, active: still },
      { cell: { lat0: cell.lat0, lat1: mlat, lon0: mlon, lon1: cell.lon1 }, active: still },
      { cell: { lat0: mlat, lat1: cell.lat1, lon0: cell.lon0, lon1: mlon }, active: still },
      { cell: { lat0: mlat, lat1: cell.lat1, lon0: mlon, lon1: cell.lon1 }, active: still },
    );
  }
  return margin === Infinity ? null : margin;
}

/** True when some boundary vertex of the territory lies inside every disk (smallest disks tried first). */
export function boundaryWitness(t: Territory, disks: readonly PreparedDisk[]): boolean {
  const ds = [...disks].sort((a, b) => a.rad - b.rad);
  const cx = ds.map((d) => d.v[0]),
    cy = ds.map((d) => d.v[1]),
    cz = ds.map((d) => d.v[2]),
    cr = ds.map((d) => Math.cos(d.rad));
  const xyz = t.vertexXyz;
  outer: for (let i = 0; i < xyz.length; i += 3) {
    const x = xyz[i],
      y = xyz[i + 1],
      z = xyz[i + 2];
    for (let j = 0; j < ds.length; j++) if (x * cx[j] + y * cy[j] + z * cz[j] < cr[j]) continue outer;
    return true;
  }
  return false;
}
