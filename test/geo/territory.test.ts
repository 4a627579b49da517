import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  country,
  knownCountryCodes,
  makeTerritory,
  distanceKm,
  DEFAULT_RESTRICTED,
  COUNTRY_GROUP_D5,
} from '../../src/geo/index.js';

const SIN = { lat: 1.3521, lon: 103.8198 };
const BEIJING = { lat: 39.9042, lon: 116.4074 };
const HK_CENTRAL = { lat: 22.2793, lon: 114.1628 };
const TAIPEI = { lat: 25.033, lon: 121.5654 };

describe('Natural Earth territories', () => {
  it('1:50m draws China, Hong Kong and Macao as separate territories', () => {
    for (const c of DEFAULT_RESTRICTED) expect(knownCountryCodes()).toContain(c);
    expect(country('cn').name).toBe('China');
    expect(country('HK').name).toBe('Hong Kong');
    expect(country('MO').name).toBe('Macao');
    for (const c of COUNTRY_GROUP_D5) expect(() => country(c)).not.toThrow();
  });

  it('membership: Beijing in CN, Hong Kong in HK not CN, Taipei in neither', () => {
    expect(country('CN').contains(BEIJING)).toBe(true);
    expect(country('HK').contains(HK_CENTRAL)).toBe(true);
    expect(country('CN').contains(HK_CENTRAL)).toBe(false);
    expect(country('CN').contains(TAIPEI)).toBe(false);
    expect(country('CN').distanceKm(BEIJING)).toBe(0);
  });

  it('Singapore is ~1,980 km from the nearest PRC territory (Hainan), BACKGROUND §5', () => {
    const d = country('CN').distanceKm(SIN);
    expect(d).toBeGreaterThan(1940);
    expect(d).toBeLessThan(2020);
  });

  it('unknown codes are a validation error naming the field', () => {
    expect(() => country('XX')).toThrow(/unknown country code/);
  });

  it('distance to a territory is never more than the distance to any of its vertices (spot check on CN)', () => {
    const cn = country('CN');
    const vertices = cn.geometry.coordinates.flat(2);
    fc.assert(
      fc.property(
        fc.double({ min: -60, max: 70, noNaN: true }),
        fc.double({ min: 40, max: 170, noNaN: true }),
        fc.nat(vertices.length - 1),
        (lat, lon, k) => {
          const [vx, vy] = vertices[k];
          expect(cn.distanceKm({ lat, lon })).toBeLessThanOrEqual(
            distanceKm({ lat, lon }, { lat: vy, lon: vx }) + 1e-6,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a square territory: inside 0, outside the exact distance to its nearest edge', () => {
    const sq = makeTerritory('ZZ', 'square', {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [0, 1],
          [1, 1],
          [1, 0],
          [0, 0],
        ],
      ],
    });
    expect(sq.distanceKm({ lat: 0.5, lon: 0.5 })).toBe(0);
    // Due west of the west edge at the equator: along the equator to lon 0.
    expect(sq.distanceKm({ lat: 0, lon: -1 })).toBeCloseTo(distanceKm({ lat: 0, lon: -1 }, { lat: 0, lon: 0 }), 6);
    expect(sq.distanceKm({ lat: 0.5, lon: 2 })).toBeCloseTo(distanceKm({ lat: 0.5, lon: 2 }, { lat: 0.5, lon: 1 }), 0);
  });
});
