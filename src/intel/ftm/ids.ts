// FtM entity ids: imported ids are kept; entities chipwatch creates get FtM's make_entity_id (sha1 over the
// parts in order), so the same registry party or list entry always has the same id.
import { createHash } from 'node:crypto';

/** sha1 hex of the parts, as followthemoney.util.make_entity_id(*parts) computes it. */
export function makeId(...parts: readonly string[]): string {
  const h = createHash('sha1');
  for (const p of parts) h.update(p, 'utf8');
  return h.digest('hex');
}

/** FtM allows ids of letters, digits, '.', '-' and '_' (OpenSanctions: `NK-...`, Aleph: sha1 plus a signature). */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,199}$/;
