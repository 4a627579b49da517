import { openDb } from '/work/main/src/db/index.js';
import { appendEntries, rootAt, inclusionProof } from '/work/main/src/tlog/store.js';
import { MemoryTree } from '/work/main/src/tlog/tree.js';
const n = 100000;
const entries = Array.from({ length: n }, (_, i) => Buffer.from(JSON.stringify({ type: 'chipwatch.registry.item/v1', filing_id: 1, filer: 'Acme Corp', row: i + 2, serial_number: 'SN' + i, product_name: 'H100 SXM5 80GB', eccn: '4A090', item_status: 'active', new_owner_name: 'Example Cloud GmbH', new_owner_address: 'Hauptstrasse 1, 10115 Berlin', new_owner_country: 'DE', new_owner_phone: '+49 30 123456', location_operator_name: 'Example DC', location_address: 'Rechenzentrum 5, Frankfurt', location_country: 'DE', location_phone: null, location_lat: 50.1, location_lon: 8.6, transaction_begin_date: '2026-01-02', transaction_complete_date: '2026-01-20', purchase_order: 'PO-1' })));
console.log('avg bytes', entries.reduce((a, e) => a + e.length, 0) / n);
const db = await openDb({});
let t = Date.now();
await db.transaction((tx) => appendEntries(tx, entries));
console.log('append 100k', Date.now() - t);
t = Date.now();
await db.transaction((tx) => appendEntries(tx, entries.slice(0, 1000)));
console.log('append 1k more', Date.now() - t);
const mt = MemoryTree.fromEntries([...entries, ...entries.slice(0, 1000)]);
console.log('root ok', Buffer.from(await rootAt(db, 101000)).equals(Buffer.from(mt.root())));
t = Date.now();
for (let i = 0; i < 100; i++) { const idx = (i * 7919) % 101000; const p = await inclusionProof(db, idx, 101000); if (Buffer.concat(p).compare(Buffer.concat(mt.inclusionProof(idx, 101000)))) throw new Error('bad'); }
console.log('100 proofs ms', Date.now() - t);
await db.close();
