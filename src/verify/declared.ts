// The declared location a verdict is judged against: the registry's current location of the chip
// (its latest filing with coordinates), else the site given when the chip was enrolled here.
import type { Queryable } from '../db/index.js';
import { declaredSites } from '../registry/index.js';
import type { DeclaredLocationSource } from './fleet.js';
import { storedDeclaredLocations } from './store.js';

export function registryDeclaredLocations(db: Queryable): DeclaredLocationSource {
  const enrolment = storedDeclaredLocations(db);
  return {
    async declaredFor(serials) {
      const filed = await declaredSites(db, serials);
      const rest = serials.filter((s) => !filed.has(s));
      const enrolled = rest.length ? await enrolment.declaredFor(rest) : new Map();
      return new Map([...[...filed].map(([s, d]) => [s, { lat: d.lat, lon: d.lon }] as const), ...enrolled]);
    },
  };
}
