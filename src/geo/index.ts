// Public API of the geo domain: the earth model, country territories and sound disk tests.
export {
  EARTH_RADIUS_KM,
  LIGHT_KM_PER_MS,
  FIBER_KM_PER_MS,
  SOUND_RADIUS_FACTOR,
  SPHERE_VS_WGS84_MAX_RATIO,
  distanceKm,
  soundRadiusKm,
  minRttMsForKm,
  isValidLatLon,
  toVec,
  angleBetween,
  pointArcAngle,
} from './sphere.js';
export type { LatLon, Vec3 } from './sphere.js';
export { country, knownCountryCodes, MAP_TOLERANCE_KM } from './countries.js';
export { makeTerritory } from './territory.js';
export type { Territory } from './territory.js';
export { ALPHA2_TO_NUMERIC, COUNTRY_GROUP_D5, DEFAULT_RESTRICTED } from './iso.js';
export { prepareDisk, bestDiskExclusion, declaredExcesses, contradictoryPair, landmarkDistanceKm } from './disks.js';
export type { Disk, PreparedDisk, DiskExclusion, DeclaredExcess } from './disks.js';
export { refineExclusion } from './refine.js';
export type { RefineOptions } from './refine.js';
export { regionGeoJson } from './region.js';
