// Reference landmark sites for planning when no landmark directory is given: major interconnection
// cities (coordinates of the city centre; a real landmark states its own).
import type { LandmarkSite } from './plan.js';

export const REFERENCE_SITES: readonly LandmarkSite[] = [
  { id: 'singapore', lat: 1.3521, lon: 103.8198 },
  { id: 'kuala-lumpur', lat: 3.139, lon: 101.6869 },
  { id: 'jakarta', lat: -6.2088, lon: 106.8456 },
  { id: 'bangkok', lat: 13.7563, lon: 100.5018 },
  { id: 'ho-chi-minh-city', lat: 10.8231, lon: 106.6297 },
  { id: 'manila', lat: 14.5995, lon: 120.9842 },
  { id: 'taipei', lat: 25.033, lon: 121.5654 },
  { id: 'tokyo', lat: 35.6762, lon: 139.6503 },
  { id: 'seoul', lat: 37.5665, lon: 126.978 },
  { id: 'mumbai', lat: 19.076, lon: 72.8777 },
  { id: 'chennai', lat: 13.0827, lon: 80.2707 },
  { id: 'dubai', lat: 25.2048, lon: 55.2708 },
  { id: 'sydney', lat: -33.8688, lon: 151.2093 },
  { id: 'frankfurt', lat: 50.1109, lon: 8.6821 },
  { id: 'london', lat: 51.5074, lon: -0.1278 },
  { id: 'ashburn', lat: 39.0438, lon: -77.4874 },
  { id: 'san-jose', lat: 37.3382, lon: -121.8863 },
  { id: 'sao-paulo', lat: -23.5505, lon: -46.6333 },
  { id: 'johannesburg', lat: -26.2041, lon: 28.0473 },
];
