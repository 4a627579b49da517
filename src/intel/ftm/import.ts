// `intel import FILE --format ftm`: reads FollowTheMoney JSON lines into entities and links, all or nothing.
import type { Db } from '../../db/index.js';

export interface FtmImportResult {
  entities: number;
  links: number;
}

/** Imports an FtM JSON-lines file in one transaction; every problem names its line. */
export async function importFtmFile(_db: Db, _file: string, _now: Date): Promise<FtmImportResult> {
  throw new Error('FtM import is not implemented yet');
}
