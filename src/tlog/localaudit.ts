// `chipwatch log verify` on the local database: stream the stored entries and interior nodes through
// the auditor, against every stored checkpoint plus any the caller saved earlier.
import type { Queryable } from '../db/index.js';
import { LogAuditor, type AuditReport } from './audit.js';
import { listCheckpoints } from './checkpoints.js';
import { logVerifierKey } from './logkey.js';
import { getEntries } from './store.js';

const PAGE = 10_000;

export async function auditLocalLog(
  db: Queryable,
  opts: { vkey?: string; knownCheckpoints?: readonly string[] } = {},
): Promise<AuditReport> {
  // Without a vkey from elsewhere the stored public key is trusted: fine for checking the data
  // against its own checkpoints, not against an operator who replaced the key (pass --vkey for that).
  const vkey = opts.vkey ?? (await logVerifierKey(db)).vkey;
  const notes: string[] = [...(opts.knownCheckpoints ?? [])];
  for (let after = -1; ; ) {
    const page = await listCheckpoints(db, after, 1000);
    if (page.length === 0) break;
    notes.push(...page.map((c) => c.note));
    after = page[page.length - 1].treeSize;
  }
  const nodes = new Map<string, Uint8Array>();
  const rows = await db.query<{ level: number; idx: number; hash: string }>(
    "select level, idx, encode(hash, 'hex') as hash from tlog_nodes",
  );
  for (const r of rows) nodes.set(`${Number(r.level)}/${Number(r.idx)}`, new Uint8Array(Buffer.from(r.hash, 'hex')));
  const auditor = new LogAuditor(vkey, notes, (level, index) => nodes.get(`${level}/${index}`));
  // Page by index, not by offset, so that a deleted row shows up as a gap instead of a shift.
  const [{ max }] = await db.query<{ max: number | null }>('select max(idx) as max from tlog_entries');
  const end = Math.max(auditor.targetSize, max === null ? 0 : Number(max) + 1);
  for (let start = 0; start < end; start += PAGE) {
    for (const e of await getEntries(db, start, start + PAGE)) auditor.add(e);
  }
  return auditor.finish();
}
