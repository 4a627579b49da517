// An entity's caption: the first of its schema's caption properties that has a value, as FtM shows it.
import type { Properties } from '../entities/store.js';
import { schemaOf } from './model.js';

export function captionOf(schema: string, properties: Properties, fallback: string): string {
  for (const p of schemaOf(schema)?.caption ?? ['name']) {
    const v = properties[p]?.find((x) => x.trim() !== '');
    if (v) return v.trim();
  }
  return fallback;
}
