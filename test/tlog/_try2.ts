import { openDb } from '/work/main/src/db/index.js';
const n = 100000;
const text = Array.from({ length: n }, (_, i) => JSON.stringify({ type: 'chipwatch.registry.item/v1', filing_id: 1, filer: 'Acme Corp', row: i + 2, serial_number: 'SN' + i, product_name: 'H100 SXM5 80GB', eccn: '4A090', item_status: 'active', new_owner_name: 'Example Cloud GmbH', new_owner_address: 'Hauptstrasse 1, 10115 Berlin', new_owner_country: 'DE', new_owner_phone: '+49 30 123456', location_operator_name: 'Example DC', location_address: 'Rechenzentrum 5, Frankfurt', location_country: 'DE', location_phone: null, location_lat: 50.1, location_lon: 8.6, transaction_begin_date: '2026-01-02', transaction_complete_date: '2026-01-20', purchase_order: 'PO-1' }));
const blob = text.join('\u001f');
const db = await openDb({});
async function time(name: string, f: () => Promise<unknown>) { const t = Date.now(); const r = await f(); console.log(name, Date.now() - t, JSON.stringify(r).slice(0, 80)); }
await time('length param', () => db.query('select length($1::text)', [blob]));
await time('split count', () => db.query('select count(*) from unnest(string_to_array($1::text, chr(31)))', [blob]));
await time('split convert', () => db.query(`select sum(length(convert_to(x, 'UTF8'))) from unnest(string_to_array($1::text, chr(31))) x`, [blob]));
await db.exec('create table t1 (idx bigint primary key, e bytea not null)');
await time('insert pk only', () => db.query(`insert into t1 select ord, convert_to(x, 'UTF8') from unnest(string_to_array($1::text, chr(31))) with ordinality t(x, ord)`, [blob]));
await db.exec('create table t2 (idx bigint, e bytea not null)');
await time('insert no index', () => db.query(`insert into t2 select ord, convert_to(x, 'UTF8') from unnest(string_to_array($1::text, chr(31))) with ordinality t(x, ord)`, [blob]));
await db.close();
