// What the web application's map draws in one request: every enrolled chip's declared site, last verdict,
// shipment and ship date as parallel columns (compact for ~10k chips), the landmarks, and a chip's feasible
// region redrawn from the disks its latest verdict stored.
import type { Feature, Polygon } from 'geojson';
import type { Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { prepareDisk, regionGeoJson } from '../geo/index.js';
import type { Evidence } from './verdict.js';

export interface MapColumns {
  serial: string[];
  lat: (number | null)[];
  lon: (number | null)[];
  verdict: (string | null)[];
  shipment: (string | null)[];
  /** Ship date YYYY-MM-DD. */
  shipped: (string | null)[];
}

/** Coordinates to 1e-4 degrees (about 10 m): what a map needs, a third of the bytes. */
const round4 = (x: unknown) => (x === null || x === undefined ? null : Math.round(Number(x) * 1e4) / 1e4);

export async function mapData(
  db: Queryable,
): Promise<{ chips: MapColumns; landmarks: { id: string; lat: number; lon: number; active: boolean }[] }> {
  const rows = await db.query<Record<string, unknown>>(
    `select serial, declared_lat, declared_lon, last_verdict, shipment, shipped_at from verify_chips order by serial`,
  );
  const chips: MapColumns = { serial: [], lat: [], lon: [], verdict: [], shipment: [], shipped: [] };
  for (const r of rows) {
    chips.serial.push(String(r.serial));
    chips.lat.push(round4(r.declared_lat));
    chips.lon.push(round4(r.declared_lon));
    chips.verdict.push((r.last_verdict as string | null) ?? null);
    chips.shipment.push((r.shipment as string | null) ?? null);
    chips.shipped.push(r.shipped_at ? new Date(r.shipped_at as string).toISOString().slice(0, 10) : null);
  }
  const lms = await db.query<Record<string, unknown>>('select id, lat, lon, active from verify_landmarks order by id');
  const landmarks = lms.map((l) => ({ id: String(l.id), lat: Number(l.lat), lon: Number(l.lon), active: !!l.active }));
  return { chips, landmarks };
}

/** The feasible region of a chip's latest verdict (an approximate drawing, never used for verdicts). */
export async function latestRegion(
  db: Queryable,
  serial: string,
): Promise<{ serial: string; verdict: string; checkedAt: string; region: Feature<Polygon | null> }> {
  const rows = await db.query<Record<string, unknown>>(
    `select verdict, evidence, checked_at from verify_results where serial = $1
      order by checked_at desc, id desc limit 1`,
    [serial],
  );
  if (!rows.length) throw new NotFoundError(`chip ${serial} has no verdict yet`, { field: 'serial' });
  const raw = rows[0].evidence;
  const evidence = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Evidence;
  const disks = (evidence.disks ?? []).map((d) =>
    prepareDisk({ id: d.landmarkId, center: { lat: d.lat, lon: d.lon }, radiusKm: d.radiusKm }),
  );
  return {
    serial,
    verdict: String(rows[0].verdict),
    checkedAt: new Date(rows[0].checked_at as string).toISOString(),
    region: regionGeoJson(disks),
  };
}
