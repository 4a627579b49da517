// The built bin's `intel` commands in a fresh working directory (test/helpers/bin-dir.ts), on both databases.
import { type BinDir, binDir } from '../helpers/bin-dir.js';

export { databases, removeBinDirs as removeIntelDirs } from '../helpers/bin-dir.js';
export type IntelDir = BinDir;

export function intelDir(url: () => Promise<string | undefined>): Promise<IntelDir> {
  return binDir('cw-intel-', url, { command: 'intel', timeoutMs: 120_000 });
}
