// Bundled models (models/*.sq) and loading a model by name or file. A model's leading comment lines
// "// title: ..." and "// source: ..." describe it in `chipwatch estimate models`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { MODELS_DIR } from '../paths.js';
import { NotFoundError, PayloadTooLargeError } from '../errors.js';

export const DEFAULT_MODEL = 'smuggling-2024';
export const MAX_SOURCE_BYTES = 256 * 1024;

export interface ModelInfo {
  name: string;
  title: string;
  source: string;
}

export function listModels(dir = MODELS_DIR): ModelInfo[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sq'))
    .sort()
    .map((f) => {
      const text = readFileSync(join(dir, f), 'utf8');
      const header = (key: string) => new RegExp(`^//\\s*${key}:\\s*(.+)$`, 'm').exec(text)?.[1].trim() ?? '';
      return { name: basename(f, '.sq'), title: header('title'), source: header('source') };
    });
}

export function bundledModelSource(name: string, dir = MODELS_DIR): string | undefined {
  if (!/^[a-z0-9-]+$/.test(name)) return undefined; // names only: never a path from user input
  const file = join(dir, `${name}.sq`);
  return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
}

/** A bundled model by name, else a file path; returns its display name and source text. */
export function loadModel(nameOrFile: string): { name: string; source: string } {
  const bundled = bundledModelSource(nameOrFile);
  if (bundled !== undefined) return { name: nameOrFile, source: bundled };
  if (!existsSync(nameOrFile)) {
    const names = listModels()
      .map((m) => m.name)
      .join(', ');
    throw new NotFoundError(`no bundled model or file named ${nameOrFile} (bundled models: ${names})`);
  }
  if (statSync(nameOrFile).size > MAX_SOURCE_BYTES)
    throw new PayloadTooLargeError(`${nameOrFile} is larger than ${MAX_SOURCE_BYTES / 1024} KiB`);
  return { name: nameOrFile, source: readFileSync(nameOrFile, 'utf8') };
}
