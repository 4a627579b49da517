// Natural Earth admin-0 countries (world-atlas, 1:50m: the coarsest scale that draws Hong Kong and
// Macao apart from China) as territories keyed by ISO 3166-1 alpha-2. Loaded once and cached.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import type { Topology, GeometryCollection } from 'topojson-specification';
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson';
import { ValidationError } from '../errors.js';
import { ALPHA2_TO_NUMERIC } from './iso.js';
import { makeTerritory, type Territory } from './territory.js';

/**
 * Map tolerance in km added around every restricted territory: Natural Earth 1:50m generalises
 * coastlines and borders (and world-atlas quantises to ~0.4 km); 10 km covers both with room.
 */
export const MAP_TOLERANCE_KM = 10;

let cache: Map<string, Territory> | null = null;

function load(): Map<string, Territory> {
  const require = createRequire(import.meta.url);
  const topo = JSON.parse(readFileSync(require.resolve('world-atlas/countries-50m.json'), 'utf8')) as Topology<{
    countries: GeometryCollection<{ name: string }>;
  }>;
  const fc = feature(topo, topo.objects.countries);
  const byNumeric = new Map<string, { name: string; polys: Position[][][] }>();
  for (const f of fc.features as Feature<Polygon | MultiPolygon | null, { name: string }>[]) {
    if (f.id === undefined || !f.geometry) continue;
    const id = String(f.id);
    const entry = byNumeric.get(id) ?? { name: f.properties.name, polys: [] };
    // Several features can share a code (Australia and Ashmore and Cartier Is.): merge them.
    if (f.geometry.type === 'Polygon') entry.polys.push(f.geometry.coordinates);
    else entry.polys.push(...f.geometry.coordinates);
    byNumeric.set(id, entry);
  }
  const out = new Map<string, Territory>();
  for (const [alpha2, numeric] of ALPHA2_TO_NUMERIC) {
    const e = byNumeric.get(numeric);
    if (e) out.set(alpha2, makeTerritory(alpha2, e.name, { type: 'MultiPolygon', coordinates: e.polys }));
  }
  return out;
}

export function knownCountryCodes(): string[] {
  cache ??= load();
  return [...cache.keys()].sort();
}

/** The territory of an ISO alpha-2 code (case-insensitive). */
export function country(code: string, field = 'restricted'): Territory {
  cache ??= load();
  const t = cache.get(code.toUpperCase());
  if (!t)
    throw new ValidationError(`unknown country code ${JSON.stringify(code)} (use ISO 3166-1 alpha-2, e.g. CN)`, {
      field,
    });
  return t;
}
