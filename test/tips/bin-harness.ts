// The built bin's `tips` commands in a fresh working directory (test/helpers/bin-dir.ts), on both databases.
import { type BinDir, binDir } from '../helpers/bin-dir.js';

export { BIN, databases, removeBinDirs as removeTipsDirs } from '../helpers/bin-dir.js';
export type TipsDir = BinDir;

export function tipsDir(prefix: string, url: () => Promise<string | undefined>): Promise<TipsDir> {
  return binDir(prefix, url, { command: 'tips', timeoutMs: 60_000 });
}
