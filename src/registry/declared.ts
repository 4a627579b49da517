// Where the registry says chips are: the coordinates of each chip's current location, when the filing
// gave them. Location verification judges its verdicts against this declaration.
import type { Queryable } from '../db/index.js';

export interface DeclaredSite {
  lat: number;
  lon: number;
  country: string;
  address: string;
}

export async function declaredSites(q: Queryable, serials: readonly string[]): Promise<Map<string, DeclaredSite>> {
  if (serials.length === 0) return new Map();
  const rows = await q.query<{ serial: string; lat: number; lon: number; country: string; address: string }>(
    `select c.serial, l.lat, l.lon, l.country, l.address from registry_chips c
      join registry_locations l on l.id = c.current_location_id
     where c.serial = any($1::text[]) and l.lat is not null`,
    [serials],
  );
  return new Map(
    rows.map((r) => [r.serial, { lat: Number(r.lat), lon: Number(r.lon), country: r.country, address: r.address }]),
  );
}
