// The registry's picture of a serial on the day it was seen: filed or not, the transfer in force then (its
// filing, exporter, owner and declared site), the chip's status and its last verification verdict. Reads the
// registry and the verifier only through their public APIs.
import type { Queryable } from '../../db/index.js';
import { NotFoundError } from '../../errors.js';
import { chipHistory, type ChipHistory } from '../../registry/index.js';
import { lastVerdicts } from '../../verify/index.js';
import type { RegistryPicture } from './rules.js';

export const NOT_FILED: RegistryPicture = {
  filed: false,
  filingId: null,
  exporter: null,
  owner: null,
  ownerPartyId: null,
  country: null,
  site: null,
  status: null,
  lastVerdict: null,
};

/** The chip's history, or null when the serial was never filed. */
export async function historyOrNull(q: Queryable, serial: string): Promise<ChipHistory | null> {
  try {
    return await chipHistory(q, serial);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

/** What the registry declared for `serial` on `day` (YYYY-MM-DD); a sighting before any filing reads the first. */
export async function registryPicture(q: Queryable, serial: string, day: string): Promise<RegistryPicture> {
  const h = await historyOrNull(q, serial);
  if (!h || h.history.length === 0) return NOT_FILED;
  const upTo = h.history.filter((s) => s.begin <= day);
  const steps = upTo.length ? upTo : h.history.slice(0, 1);
  const step = steps[steps.length - 1];
  const located = [...steps].reverse().find((s) => s.toLocation !== null)?.toLocation ?? h.currentLocation;
  const verdicts = await lastVerdicts(q, [serial]);
  return {
    filed: true,
    filingId: step.filingId,
    exporter: step.filer,
    owner: step.toOwner.name,
    ownerPartyId: step.toOwner.id,
    country: located?.country ?? null,
    site: located?.address ?? null,
    status: h.status as RegistryPicture['status'],
    lastVerdict: verdicts.get(serial) ?? null,
  };
}
