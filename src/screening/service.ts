// The active screener of a process: built from the newest list version in the database, or from the
// shipped snapshot when none was loaded. Rebuilt when another process loads a newer version (checked
// at most every `recheckMs`), so stateless servers converge on the same lists.
import type { Queryable } from '../db/index.js';
import { buildIndex } from './match/index-build.js';
import { DEFAULT_CONFIG, Screener, type ScreenConfig } from './match/screen.js';
import { latestListVersionId, loadListVersion } from './lists/store.js';
import { loadShippedSnapshot, type PreparedSet } from './lists/snapshot.js';
import { loadRules, type RuleSet } from './redflags/rules.js';

export interface ServiceOptions {
  dataDir: string;
  cacheDir?: string;
  config?: ScreenConfig;
  recheckMs?: number;
  /** Use this list set instead of the shipped snapshot when the database has none (tests, demos). */
  fallback?: PreparedSet;
}

export interface ActiveLists {
  screener: Screener;
  /** 'shipped' or the list version id. */
  version: 'shipped' | number;
  sources: string[];
  entries: number;
}

export class ScreeningService {
  private active: Promise<ActiveLists> | undefined;
  private activeVersion: 'shipped' | number | undefined;
  private checkedAt = 0;
  private rules: RuleSet | undefined;

  constructor(
    private readonly db: Queryable | null,
    private readonly opts: ServiceOptions,
    private readonly clock: () => number = Date.now,
  ) {}

  async lists(): Promise<ActiveLists> {
    const now = this.clock();
    if (this.active && now - this.checkedAt < (this.opts.recheckMs ?? 30_000)) return this.active;
    this.checkedAt = now;
    const latest = this.db ? await latestListVersionId(this.db) : null;
    const want = latest ?? 'shipped';
    if (this.active && want === this.activeVersion) return this.active;
    this.activeVersion = want;
    this.active = this.build(want).catch((e) => {
      this.active = undefined;
      this.activeVersion = undefined;
      throw e;
    });
    return this.active;
  }

  async screener(): Promise<Screener> {
    return (await this.lists()).screener;
  }

  redFlagRules(): RuleSet {
    this.rules ??= loadRules(this.opts.dataDir);
    return this.rules;
  }

  private async build(version: 'shipped' | number): Promise<ActiveLists> {
    let p: PreparedSet | null = null;
    if (version !== 'shipped' && this.db) p = await loadListVersion(this.db, version);
    const used = p ? version : 'shipped';
    if (!p) p = this.opts.fallback ?? loadShippedSnapshot(this.opts.dataDir, this.opts.cacheDir);
    const screener = new Screener(buildIndex(p.entries, p.names), this.opts.config ?? DEFAULT_CONFIG);
    return { screener, version: used, sources: p.sources, entries: p.entries.length };
  }
}
