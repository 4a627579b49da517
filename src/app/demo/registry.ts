// The demo's filings through the registry's import service (validation, custody flags, one transaction,
// transparency-log leaves), each received on its own date so the registry spans the world's 18 months.
import type { Db } from '../../db/index.js';
import { fileJson } from '../../registry/service.js';
import { tlogAppender } from '../../registry/log.js';
import type { World } from './world.js';

export async function seedRegistry(db: Db, world: World): Promise<{ filings: number; items: number }> {
  const log = tlogAppender();
  let items = 0;
  for (const f of world.filings) {
    const r = await fileJson(db, f.rows, { filer: { name: f.filer }, receivedAt: f.receivedAt, log });
    items += r.items;
  }
  return { filings: world.filings.length, items };
}
