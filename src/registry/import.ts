// Files a validated set of items as one filing, all or nothing: one transaction holds the filing, its
// parties, locations, chips, transfers, flags and its transparency-log leaves (appended through the
// tlog in the same transaction), so a crash leaves the whole filing or none of it.
import type { Db, Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { ensureOrganisation } from '../accounts/index.js';
import { planTransfer, type PlannedTransfer } from './custody.js';
import { contentHash, encodeLeaves, itemJson } from './leaf.js';
import { locationKey, nameKey, partyKey } from './keys.js';
import { FilingRejectedError, ProblemList } from './problems.js';
import { checkOwnerParents, partyOwnerRows } from './owners.js';
import * as store from './store.js';
import { mapWithTurns, slicesWithTurns } from '../db/turn.js';
import type { FiledItem } from './validate.js';

/** The part of the tlog API an import needs: append leaves inside the caller's transaction. */
export interface LogAppender {
  appendEntries(
    tx: Queryable,
    entries: readonly Uint8Array[],
    opts?: AppendOptions,
  ): Promise<{ firstIndex: number; treeSize: number }>;
}

/** How the log divides an append into statements (the tlog's AppendOptions). */
export interface AppendOptions {
  maxChunkBytes?: number;
  nodesPerStatement?: number;
}

/**
 * Statement sizes per backend. PGlite runs each statement synchronously on the event loop's thread:
 * small statements (tens of ms each) with a turn between them keep the server answering meanwhile.
 */
function statementSizes(kind: Db['kind']): { rows: number; log: AppendOptions } {
  return kind === 'pglite'
    ? { rows: store.PGLITE_ROWS, log: { maxChunkBytes: 256 << 10, nodesPerStatement: store.PGLITE_ROWS } }
    : { rows: store.CHUNK, log: {} };
}

export interface ImportInput {
  /** The filer: an organisation id (API key) or a name (CLI --as, created on first use). */
  filer: { id: number } | { name: string };
  items: readonly FiledItem[];
  problems?: ProblemList;
  source: 'csv' | 'xlsx' | 'json';
  receivedAt: Date;
  /** Country of the regulator; anything else is foreign (§ 743.7 "foreign location or entity"). */
  homeCountry?: string;
  /** Called after each stage with its duration (benchmarks, progress); never affects the result. */
  onStage?: (stage: string, ms: number) => void;
}

export interface ImportResult {
  filingId: number;
  duplicate: boolean;
  items: number;
  firstLeafIndex: number;
  treeSize: number;
  flags: number;
  receivedAt: string;
}

export const HOME_COUNTRY = 'US';

export async function importFiling(db: Db, input: ImportInput, log: LogAppender): Promise<ImportResult> {
  // A party's owners are one set: rows naming the same new owner with other owners are problems too.
  const problems = input.problems ?? new ProblemList();
  checkOwnerParents(input.items, problems);
  if (!problems.empty) throw new FilingRejectedError(problems);

  const pos = new Set(input.items.map((i) => i.purchaseOrder));
  const purchaseOrder = pos.size === 1 ? [...pos][0] : null;
  let mark = performance.now();
  const stage = (name: string) => {
    const now = performance.now();
    input.onStage?.(name, now - mark);
    mark = now;
  };
  const sizes = statementSizes(db.kind);
  const json = await mapWithTurns(input.items, itemJson);
  const sha = await contentHash(input.items, json);
  stage('canonical json+hash');
  // A concurrent filing may create one of our new chips after we read the chip states; our INSERT then
  // fails on the primary key and the whole transaction rolls back. Running it again reads that chip.
  let result: ImportResult | undefined;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await fileOnce();
    } catch (e) {
      if (attempt >= 3 || !isChipRace(e)) throw e;
    }
  }
  stage('commit');
  return result;

  function fileOnce(): Promise<ImportResult> {
    return db.transaction(async (tx) => {
      const org = await resolveOrganisation(tx, input.filer);
      const filer = await store.ensureFilerParty(tx, org.id, org.name);
      const filingId = await store.insertFiling(tx, {
        organisationId: org.id,
        filerPartyId: filer.partyId,
        purchaseOrder,
        itemCount: input.items.length,
        source: input.source,
        receivedAt: input.receivedAt,
        contentSha256: sha,
      });
      if (filingId === null) return existing(tx, org.id, sha);

      stage('filing');
      const partyIds = await store.upsertParties(tx, await distinctParties(input.items), sizes.rows);
      await store.replacePartyOwners(tx, filingId, partyOwnerRows(input.items, partyIds), sizes.rows);
      const locationRows = await distinctLocations(input.items, partyIds);
      const locationIds = await store.upsertLocations(tx, locationRows, sizes.rows);
      stage('parties+locations');
      const states = await store.loadChipStates(
        tx,
        input.items.map((i) => i.serial),
        sizes.rows,
      );
      stage('chip states');
      const home = input.homeCountry ?? HOME_COUNTRY;
      const plans: PlannedTransfer[] = await mapWithTurns(input.items, (item) =>
        planTransfer({
          filer,
          homeCountry: home,
          item,
          state: states.get(item.serial),
          owner: item.owner
            ? {
                id: partyIds.get(partyKey(item.owner.name, item.owner.country))!,
                nameKey: nameKey(item.owner.name),
                country: item.owner.country,
              }
            : null,
          location: item.location
            ? {
                id: locationIds.get(locationKey(item.location.address, item.location.country))!,
                country: item.location.country,
                address: item.location.address,
              }
            : null,
        }),
      );

      stage('plan');
      const leaves = await encodeLeaves(filingId, org.name, input.items, json);
      const { firstIndex, treeSize } = await log.appendEntries(tx, leaves, sizes.log);
      stage('log append');
      const chips = await mapWithTurns(plans, (p) => ({ serial: p.item.serial, ...p.next }));
      await store.upsertChips(tx, filingId, chips, new Set(states.keys()), sizes.rows);
      stage('chips');
      await store.insertTransfers(
        tx,
        filingId,
        await mapWithTurns(plans, (p, i) => ({
          row: p.item.row,
          serial: p.item.serial,
          status: p.item.status,
          product: p.item.product,
          eccn: p.item.eccn,
          fromOwnerId: p.fromOwnerId,
          toOwnerId: p.toOwnerId,
          fromLocationId: p.fromLocationId,
          toLocationId: p.toLocationId,
          begin: p.item.begin,
          complete: p.item.complete,
          purchaseOrder: p.item.purchaseOrder,
          ownershipChange: p.ownershipChange,
          locationChange: p.locationChange,
          foreignInvolved: p.foreignInvolved,
          leafIndex: firstIndex + i,
        })),
        sizes.rows,
      );
      const flags = plans.flatMap((p) =>
        p.flags.map((f) => ({ kind: f.kind, detail: f.detail, row: p.item.row, serial: p.item.serial })),
      );
      await store.insertFlags(tx, filingId, input.receivedAt, flags, sizes.rows);
      await store.setFilingLeaves(tx, filingId, firstIndex, treeSize);
      stage('transfers+flags');
      return {
        filingId,
        duplicate: false,
        items: plans.length,
        firstLeafIndex: firstIndex,
        treeSize,
        flags: flags.length,
        receivedAt: input.receivedAt.toISOString(),
      };
    });
  }
}

function isChipRace(e: unknown): boolean {
  const err = e as { code?: string; constraint?: string; message?: string };
  return (
    err?.code === '23505' &&
    (err.constraint === 'registry_chips_pkey' || String(err.message).includes('registry_chips_pkey'))
  );
}

async function resolveOrganisation(tx: Queryable, filer: ImportInput['filer']): Promise<{ id: number; name: string }> {
  if ('id' in filer) {
    const rows = await tx.query<{ id: number; name: string }>('select id, name from organisations where id = $1', [
      filer.id,
    ]);
    if (!rows[0]) throw new NotFoundError(`no organisation ${filer.id}`);
    return { id: Number(rows[0].id), name: rows[0].name };
  }
  return { id: await ensureOrganisation(tx, filer.name), name: filer.name.trim() };
}

async function existing(tx: Queryable, organisationId: number, sha: Buffer): Promise<ImportResult> {
  const rows = await tx.query<{
    id: number;
    item_count: number;
    first_leaf_index: number;
    tree_size: number;
    received_at: Date;
    flags: number;
  }>(
    `select f.id, f.item_count, f.first_leaf_index, f.tree_size, f.received_at,
       (select count(*) from registry_flags g where g.filing_id = f.id)::int as flags
     from registry_filings f where f.organisation_id = $1 and f.content_sha256 = $2`,
    [organisationId, sha],
  );
  const f = rows[0];
  return {
    filingId: Number(f.id),
    duplicate: true,
    items: Number(f.item_count),
    firstLeafIndex: Number(f.first_leaf_index),
    treeSize: Number(f.tree_size),
    flags: Number(f.flags),
    receivedAt: new Date(f.received_at).toISOString(),
  };
}

// Keys are normalised per item (a few hundred ms for 200,000 items): computed in slices with turns.
async function distinctParties(items: readonly FiledItem[]): Promise<store.PartyRow[]> {
  const m = new Map<string, store.PartyRow>();
  for await (const part of slicesWithTurns(items, 1000))
    for (const it of part) {
      if (it.owner) {
        const key = partyKey(it.owner.name, it.owner.country);
        m.set(key, {
          key,
          nameKey: nameKey(it.owner.name),
          name: it.owner.name,
          address: it.owner.address,
          phone: it.owner.phone,
          country: it.owner.country,
          roles: ['owner'],
        });
      }
    }
  for await (const part of slicesWithTurns(items, 1000))
    for (const it of part) {
      if (it.location) {
        const key = partyKey(it.location.operator, it.location.country);
        // An owner that also operates the location keeps its owner address; roles merge in SQL.
        const prev = m.get(key);
        if (prev && !prev.roles.includes('operator')) prev.roles.push('operator');
        else if (!prev)
          m.set(key, {
            key,
            nameKey: nameKey(it.location.operator),
            name: it.location.operator,
            address: it.location.address,
            phone: it.location.phone,
            country: it.location.country,
            roles: ['operator'],
          });
      }
    }
  return [...m.values()];
}

async function distinctLocations(
  items: readonly FiledItem[],
  partyIds: Map<string, number>,
): Promise<store.LocationRow[]> {
  const m = new Map<string, store.LocationRow>();
  for await (const part of slicesWithTurns(items, 1000))
    for (const it of part) {
      const l = it.location;
      if (!l) continue;
      const key = locationKey(l.address, l.country);
      const prev = m.get(key);
      m.set(key, {
        key,
        address: l.address,
        country: l.country,
        lat: l.lat ?? prev?.lat ?? null,
        lon: l.lon ?? prev?.lon ?? null,
        operatorId: partyIds.get(partyKey(l.operator, l.country))!,
        phone: l.phone,
      });
    }
  return [...m.values()];
}
