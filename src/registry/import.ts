// Files validated items as one filing, all or nothing: one transaction holds the filing, its parties,
// locations, chips, transfers, flags and its transparency-log leaves (appended through the tlog in the
// same transaction), so a crash leaves the whole filing or none of it. Items come at once or streamed in
// batches, each written while the next is read, so a file of any size is filed in bounded memory.
import type { Db, Queryable } from '../db/index.js';
import { NotFoundError } from '../errors.js';
import { ensureOrganisation } from '../accounts/index.js';
import { randomBytes } from 'node:crypto';
import { planTransfer, type ChipState, type Filer, type PlannedTransfer } from './custody.js';
import { ContentHasher, contentHash, encodeLeaves, itemJson } from './leaf.js';
import { drain, readAhead } from './batch.js';
import { locationKey, nameKey, partyKey } from './keys.js';
import { FilingRejectedError, ProblemList } from './problems.js';
import { partyOwnerRows } from './owners.js';
import * as store from './store.js';
import { countObligations, type CountedTransfer } from './obligation-counts.js';
import { qualifies, SECTION_743_7 } from './obligations.js';
import { mapWithTurns, nextTurn, slicesWithTurns } from '../db/turn.js';
import type { FiledItem } from './validate.js';
import type { AppendOptions } from '../tlog/index.js';

/** Items per write of a filing held in memory (an upload): small enough that the server keeps answering. */
const WHOLE_SLICE = 500;

/** The part of the tlog API an import needs: append leaves inside the caller's transaction. */
export interface LogAppender {
  appendEntries(
    tx: Queryable,
    entries: readonly Uint8Array[],
    opts?: AppendOptions,
  ): Promise<{ firstIndex: number; treeSize: number }>;
  leafHashes(entries: readonly Uint8Array[]): Promise<Uint8Array[]>;
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
  /**
   * The items: all at hand, or in batches as a streamed file is read (readBatches). A stream's reader adds
   * its problems to `problems` as it finds them: the filing is written batch by batch while there are none,
   * read to its end to report them all once there are, and then rolled back whole.
   */
  items: readonly FiledItem[] | AsyncIterable<readonly FiledItem[]>;
  problems?: ProblemList;
  /** A stream's content hash when its reader computes it (read-thread.ts); else the import hashes the items. */
  contentHash?: () => Promise<Buffer>;
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

/** Items from which a filing refreshes the planner's statistics of the tables it wrote (autovacuum lags). */
const ANALYZE_AFTER = 50_000;
/** The tables a filing writes one row per item into. */
const WRITTEN_TABLES = ['registry_chips', 'registry_transfers', 'registry_flags', 'tlog_entries', 'tlog_nodes'];

/**
 * One table at a time with a turn between: on PGlite each statement holds the server's thread, and there a
 * sample of 3,000 rows (statistics target 10) rather than 30,000 keeps each under ~30 ms instead of ~170 ms at
 * 200,000 rows; the plans need row counts and distinctness, which the smaller sample gives.
 */
async function analyzeWritten(db: Db): Promise<void> {
  for (const table of WRITTEN_TABLES) {
    await db.exec(
      db.kind === 'pglite'
        ? `set default_statistics_target = 10; analyze ${table}; reset default_statistics_target`
        : `analyze ${table}`,
    );
    await nextTurn();
  }
}

/** Thrown inside the transaction when a streamed filing turns out to repeat an earlier one: rolls it back. */
class SameContent extends Error {
  constructor(
    readonly organisationId: number,
    readonly sha: Buffer,
  ) {
    super('the same content was filed before');
  }
}

export async function importFiling(db: Db, input: ImportInput, log: LogAppender): Promise<ImportResult> {
  const problems = input.problems ?? new ProblemList();
  const whole = Array.isArray(input.items) ? (input.items as readonly FiledItem[]) : null;
  if (!problems.empty) {
    if (!whole) await drain(input.items as AsyncIterable<readonly FiledItem[]>);
    throw new FilingRejectedError(problems);
  }
  let mark = performance.now();
  const stage = (name: string) => {
    const now = performance.now();
    input.onStage?.(name, now - mark);
    mark = now;
  };
  // Items at hand are hashed first, so a repeated filing is found before anything is written.
  let known: { sha: Buffer; purchaseOrder: string | null } | null = null;
  if (whole) {
    const json = await mapWithTurns(whole, itemJson);
    const pos = new Set(whole.map((i) => i.purchaseOrder));
    known = { sha: await contentHash(whole, json), purchaseOrder: pos.size === 1 ? [...pos][0] : null };
    stage('canonical json+hash');
  }
  // A concurrent filing may create one of our new chips after we read the chip states; our INSERT then
  // fails on the primary key and the whole transaction rolls back. Items at hand are filed again (that
  // reads the chip); a stream cannot be read twice, so its filing fails.
  let result: ImportResult | undefined;
  let written = 0;
  for (let attempt = 1; !result; attempt++) {
    try {
      result = await fileOnce();
    } catch (e) {
      // A streamed filing rolled back after writing batches leaves that many dead rows: without fresh
      // statistics PostgreSQL may plan the next reads (registry check's joins) as if the tables were empty.
      if (written > 0) await analyzeWritten(db);
      if (e instanceof SameContent) return existing(db, e.organisationId, e.sha);
      if (!whole || attempt >= 3 || !isChipRace(e)) throw e;
    }
  }
  // So do the rows of a big filing: the next command's plans need statistics that know them.
  if (result.items >= ANALYZE_AFTER) await analyzeWritten(db);
  stage('commit');
  return result;

  function fileOnce(): Promise<ImportResult> {
    return db.transaction(async (tx) => {
      const org = await resolveOrganisation(tx, input.filer);
      const filer = await store.ensureFilerParty(tx, org.id, org.name);
      const filingId = await store.insertFiling(tx, {
        organisationId: org.id,
        filerPartyId: filer.partyId,
        purchaseOrder: known?.purchaseOrder ?? null,
        itemCount: whole?.length || 1,
        source: input.source,
        receivedAt: input.receivedAt,
        // A streamed filing's hash is known at its end: until then a value no filing has.
        contentSha256: known?.sha ?? randomBytes(32),
      });
      if (filingId === null) return existing(tx, org.id, known!.sha);
      stage('filing');
      const writer = new BatchWriter(tx, db.kind, log, stage, {
        filingId,
        org,
        filer,
        home: input.homeCountry ?? HOME_COUNTRY,
        receivedAt: input.receivedAt,
        hashes: !whole && !input.contentHash,
      });
      // The hasher's spilled digests go whether the filing commits or fails.
      try {
        if (whole) {
          // Held in memory (uploads, served by the server's thread): slices of 500 with a turn of the event loop
          // between them, since PGlite runs each statement in this thread and 10,000 rows stall requests for seconds.
          for (let i = 0; i < whole.length; i += WHOLE_SLICE) {
            if (i > 0) await nextTurn();
            await writer.write(whole.slice(i, i + WHOLE_SLICE));
          }
          await writer.settle();
        } else {
          for await (const batch of readAhead(input.items as AsyncIterable<readonly FiledItem[]>)) {
            // A problem anywhere: write no more, read on to report every problem, then roll back.
            if (problems.empty) {
              await writer.write(batch);
              written = writer.items;
            }
          }
          await writer.settle();
          if (!problems.empty) throw new FilingRejectedError(problems);
          if (writer.items === 0) throw new FilingRejectedError(noItems());
          const sha = input.contentHash ? await input.contentHash() : await writer.hasher.digest();
          if ((await store.findFilingByContent(tx, org.id, sha)) !== null) throw new SameContent(org.id, sha);
          await store.finishFiling(tx, filingId, { contentSha256: sha, itemCount: writer.items, ...writer.purchase() });
        }
      } finally {
        await writer.quiesce();
        writer.hasher.dispose();
      }
      await store.setFilingLeaves(tx, filingId, writer.firstIndex, writer.treeSize);
      stage('finish');
      return {
        filingId,
        duplicate: false,
        items: writer.items,
        firstLeafIndex: writer.firstIndex,
        treeSize: writer.treeSize,
        flags: writer.flags,
        receivedAt: input.receivedAt.toISOString(),
      };
    });
  }
}

function noItems(): ProblemList {
  const p = new ProblemList();
  p.add(2, '', 'no item rows');
  return p;
}

interface FilingContext {
  filingId: number;
  org: { id: number; name: string };
  filer: Filer;
  home: string;
  receivedAt: Date;
  /** The writer hashes the streamed items itself (no hash from the reader). */
  hashes: boolean;
}

/**
 * Writes a filing batch by batch in its transaction: parties, owners, locations, leaves, chips, transfers, flags.
 * On a PostgreSQL server a batch's writes are left running while this thread prepares the next batch (its JSON,
 * parties, leaves and their hashes): the server works while this thread does, instead of each waiting for the
 * other. The next batch's reads wait for them first (settle), so statements never interleave between batches.
 */
class BatchWriter {
  readonly hasher = new ContentHasher();
  items = 0;
  flags = 0;
  firstIndex = -1;
  treeSize = -1;
  private po: string | null | undefined = undefined;
  private mixedPo = false;
  private readonly sizes: { rows: number; log: AppendOptions };
  /** A batch's writes still running on the server (pipelined), or settled. */
  private pending: Promise<void> = Promise.resolve();
  private readonly pipelined: boolean;

  constructor(
    private readonly tx: Queryable,
    kind: Db['kind'],
    private readonly log: LogAppender,
    private readonly stage: (name: string) => void,
    private readonly f: FilingContext,
  ) {
    this.sizes = statementSizes(kind);
    // PGlite runs each statement on this thread: nothing would overlap.
    this.pipelined = kind === 'postgres';
  }

  /** Waits for the last batch's writes; throws the first that failed. */
  async settle(): Promise<void> {
    await this.pending;
  }

  /**
   * Waits for the last batch's writes whatever their outcome: the transaction must not end while one is still to
   * be sent, or that one would run outside it.
   */
  async quiesce(): Promise<void> {
    await this.pending.catch(() => {});
  }

  /**
   * Runs the writes one after the other, after the log's (a connection runs one statement at a time, and one that
   * fails ends the rest): pipelined, left running and settled later; else awaited.
   */
  private async run(writes: Array<() => Promise<unknown>>, logWrites: Promise<void> | null): Promise<void> {
    const chain = async () => {
      await logWrites;
      for (const w of writes) await w();
    };
    if (!this.pipelined) return chain();
    this.pending = chain();
    this.pending.catch(() => {}); // settle() reports it
  }

  /** The filing's purchase order: set when every item names the same one. */
  purchase(): { purchaseOrder: string | null } {
    return { purchaseOrder: this.mixedPo ? null : (this.po ?? null) };
  }

  async write(items: readonly FiledItem[]): Promise<void> {
    const { tx, sizes, f } = this;
    if (f.hashes) for (const j of await mapWithTurns(items, itemJson)) this.hasher.add(j);
    for (const it of items) {
      if (this.po === undefined) this.po = it.purchaseOrder;
      else if (this.po !== it.purchaseOrder) this.mixedPo = true;
    }
    const parties = await distinctParties(items);
    const leaves = await encodeLeaves(f.filingId, f.org.name, items);
    const leafHashes = await this.log.leafHashes(leaves);
    this.stage('canonical json+hash');
    await this.settle();
    const partyIds = await store.upsertParties(tx, parties, sizes.rows);
    await store.replacePartyOwners(tx, f.filingId, partyOwnerRows(items, partyIds), sizes.rows);
    const locationIds = await store.upsertLocations(tx, await distinctLocations(items, partyIds), sizes.rows);
    this.stage('parties+locations');
    const states = await store.loadChipStates(
      tx,
      items.map((i) => i.serial),
      sizes.rows,
    );
    this.stage('chip states');
    const plans: PlannedTransfer[] = await mapWithTurns(items, (item) =>
      planTransfer({
        filer: f.filer,
        homeCountry: f.home,
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
    this.stage('plan');
    let logWrites: Promise<void> | null = null;
    const { firstIndex, treeSize } = await this.log.appendEntries(tx, leaves, {
      ...sizes.log,
      leafHashes,
      deferWrites: this.pipelined ? (w) => (logWrites = w) : undefined,
    });
    if (this.firstIndex < 0) this.firstIndex = firstIndex;
    this.treeSize = treeSize;
    this.stage('log append');
    const chips = await mapWithTurns(plans, (p) => ({ serial: p.item.serial, ...p.next }));
    const transfers = await mapWithTurns(plans, (p, i) => ({
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
    }));
    const flags = plans.flatMap((p) =>
      p.flags.map((x) => ({ kind: x.kind, detail: x.detail, row: p.item.row, serial: p.item.serial })),
    );
    const moves = locationMoves(plans, states);
    const counted = countedTransfers(plans, states);
    // countObligations reads the batch's transfers: it comes after them.
    await this.run(
      [
        () => store.upsertChips(tx, f.filingId, chips, new Set(states.keys()), sizes.rows),
        () => store.insertTransfers(tx, f.filingId, transfers, sizes.rows),
        () => store.insertFlags(tx, f.filingId, f.receivedAt, flags, sizes.rows),
        () => store.addLocationChips(tx, moves),
        () => countObligations(tx, f.filingId, f.receivedAt, counted),
      ],
      logWrites,
    );
    this.stage('transfers+flags');
    this.items += items.length;
    this.flags += flags.length;
  }
}

/** Chips gained (+) and lost (-) per location by the batch's moves. */
function locationMoves(plans: readonly PlannedTransfer[], states: ReadonlyMap<string, ChipState>): Map<number, number> {
  const delta = new Map<number, number>();
  for (const p of plans) {
    const before = states.get(p.item.serial)?.locationId ?? null;
    const after = p.next.locationId;
    if (before === after) continue;
    if (before !== null) delta.set(before, (delta.get(before) ?? 0) - 1);
    if (after !== null) delta.set(after, (delta.get(after) ?? 0) + 1);
  }
  return delta;
}

/** The batch's transfers § 743.7 counts. */
function countedTransfers(
  plans: readonly PlannedTransfer[],
  states: ReadonlyMap<string, ChipState>,
): CountedTransfer[] {
  const out: CountedTransfer[] = [];
  for (const p of plans) {
    const { ownershipChange, locationChange, foreignInvolved } = p;
    if (qualifies({ eccn: p.item.eccn, ownershipChange, locationChange, foreignInvolved }, SECTION_743_7))
      out.push({
        ownerId: p.fromOwnerId,
        serial: p.item.serial,
        begin: p.item.begin,
        known: states.has(p.item.serial),
      });
  }
  return out;
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
