// What a list update changed: entries added, removed, and changed (by id), with the fields that
// changed, so a compliance officer can re-screen the parties affected.
import type { ListEntry } from '../entity.js';

export interface EntryChange {
  id: string;
  list: string;
  name: string;
  fields: string[];
  /** Aliases the newer copy has and the older lacked (re-screening names them in its alerts). */
  aliasesAdded?: string[];
  /** Aliases the older copy had and the newer lacks. */
  aliasesRemoved?: string[];
  /** The entry's name in the older copy, when it changed. */
  previousName?: string;
}

export interface ListChanges {
  before: number;
  after: number;
  added: { id: string; list: string; name: string }[];
  removed: { id: string; list: string; name: string }[];
  changed: EntryChange[];
  /** Per list code: +added / -removed / ~changed. */
  byList: Record<string, { added: number; removed: number; changed: number }>;
}

const FIELDS: (keyof ListEntry)[] = [
  'name',
  'list',
  'type',
  'programs',
  'aliases',
  'addresses',
  'ids',
  'countries',
  'dates',
  'federalRegisterNotice',
  'remarks',
];

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

export function diffLists(before: readonly ListEntry[], after: readonly ListEntry[]): ListChanges {
  const old = new Map(before.map((e) => [e.id, e]));
  const now = new Map(after.map((e) => [e.id, e]));
  const byList: ListChanges['byList'] = {};
  const bump = (list: string, k: 'added' | 'removed' | 'changed') => {
    byList[list] ??= { added: 0, removed: 0, changed: 0 };
    byList[list][k]++;
  };
  const added: ListChanges['added'] = [];
  const removed: ListChanges['removed'] = [];
  const changed: EntryChange[] = [];
  for (const e of after) {
    const o = old.get(e.id);
    if (!o) {
      added.push({ id: e.id, list: e.list, name: e.name });
      bump(e.list, 'added');
      continue;
    }
    const fields = FIELDS.filter((f) => !same(o[f], e[f]));
    if (fields.length) {
      changed.push({ id: e.id, list: e.list, name: e.name, fields, ...nameDetail(o, e) });
      bump(e.list, 'changed');
    }
  }
  for (const o of before) {
    if (!now.has(o.id)) {
      removed.push({ id: o.id, list: o.list, name: o.name });
      bump(o.list, 'removed');
    }
  }
  return { before: before.length, after: after.length, added, removed, changed, byList };
}

/** Which aliases came and went, and the former name: what a re-screening alert says changed. */
function nameDetail(o: ListEntry, e: ListEntry): Pick<EntryChange, 'aliasesAdded' | 'aliasesRemoved' | 'previousName'> {
  const before = new Set(o.aliases);
  const after = new Set(e.aliases);
  const aliasesAdded = e.aliases.filter((a) => !before.has(a));
  const aliasesRemoved = o.aliases.filter((a) => !after.has(a));
  return {
    ...(aliasesAdded.length ? { aliasesAdded } : {}),
    ...(aliasesRemoved.length ? { aliasesRemoved } : {}),
    ...(o.name !== e.name ? { previousName: o.name } : {}),
  };
}

/** Short form for storage and display: counts plus the first entries of each kind. */
export function summariseChanges(c: ListChanges, examples = 20): ListChanges & { truncated: boolean } {
  const truncated = c.added.length > examples || c.removed.length > examples || c.changed.length > examples;
  return {
    ...c,
    added: c.added.slice(0, examples),
    removed: c.removed.slice(0, examples),
    changed: c.changed.slice(0, examples),
    truncated,
  };
}
