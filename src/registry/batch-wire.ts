// A batch of filed items as the reading thread sends it to the writer (read-thread.ts): JSON with each distinct
// owner and location once and the items naming them by index. A filing names a few parties over many rows, so
// this halves the text each side writes and parses, and the writer's items share their party objects.
import type { FiledItem } from './validate.js';

type Owner = NonNullable<FiledItem['owner']>;
type Location = NonNullable<FiledItem['location']>;
type WireItem = Omit<FiledItem, 'owner' | 'location'> & { owner: number | null; location: number | null };

interface WireBatch {
  owners: Owner[];
  locations: Location[];
  items: WireItem[];
}

/** Index of `v` in `list`, added when new; values are told apart by their JSON (the same fields, in order). */
function indexer<T>(list: T[]): (v: T) => number {
  const seen = new Map<string, number>();
  return (v) => {
    const key = JSON.stringify(v);
    let i = seen.get(key);
    if (i === undefined) {
      i = list.push(v) - 1;
      seen.set(key, i);
    }
    return i;
  };
}

export function encodeBatch(batch: readonly FiledItem[]): string {
  const wire: WireBatch = { owners: [], locations: [], items: [] };
  const owner = indexer(wire.owners);
  const location = indexer(wire.locations);
  for (const it of batch)
    wire.items.push({
      ...it,
      owner: it.owner === null ? null : owner(it.owner),
      location: it.location === null ? null : location(it.location),
    });
  return JSON.stringify(wire);
}

export function decodeBatch(text: string): FiledItem[] {
  const wire = JSON.parse(text) as WireBatch;
  const items = wire.items as unknown as FiledItem[];
  for (const it of items) {
    const w = it as unknown as WireItem;
    it.owner = w.owner === null ? null : wire.owners[w.owner];
    it.location = w.location === null ? null : wire.locations[w.location];
  }
  return items;
}
