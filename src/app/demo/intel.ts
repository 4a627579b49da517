// The demo's intelligence: the study's evidence (the seed every install loads), a marketplace listing in
// Shenzhen of three of the diverted chips (the serial alerts a regulator sees first), and the registry's
// parties and owners as entities, so networks and dossiers have something to show. The lists' 19,000 entries
// are left to `chipwatch intel sync`: they would double the world's start-up time.
import type { Db } from '../../db/index.js';
import { ensureEvidenceSeed, importEvidenceFile, syncEntities } from '../../intel/index.js';
import type { World } from './world.js';

export interface IntelSummary {
  alerts: number;
  entities: number;
}

const LISTING_COLUMNS = 'serial_number,seen_on,country,place,source_title,source_url,seller,marketplace,price_usd';

/** The listing file an analyst would import: three diverted serials offered in Huaqiangbei ten days ago. */
export function demoListing(world: World): string {
  const seen = new Date(world.now.getTime() - 10 * 86_400_000).toISOString().slice(0, 10);
  const rows = world.diverted
    .slice(0, 3)
    .map(
      (s) =>
        `${s},${seen},CN,"Huaqiangbei, Shenzhen",Demo: H100 SXM boards offered with serials shown,` +
        'https://example.invalid/demo-listing,Shenzhen Demo Trading Co.,demo marketplace,44200',
    );
  return `${[LISTING_COLUMNS, ...rows].join('\n')}\n`;
}

export async function seedIntel(db: Db, world: World): Promise<IntelSummary> {
  await ensureEvidenceSeed(db, world.now);
  const listing = new TextEncoder().encode(demoListing(world));
  const { alerts } = await importEvidenceFile(db, listing, 'demo-listing.csv', 'listing', world.now);
  const sync = await syncEntities(db, [], world.now);
  return { alerts: alerts.length, entities: sync.registryParties };
}
