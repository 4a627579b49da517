// Seeded synthetic filings for tests, demos and the benchmark (no randomness of its own: the caller
// passes a seed). Rows follow the template; parties and places are invented but well-formed.
import { TEMPLATE_COLUMNS, type TemplateColumn } from './template.js';

/** mulberry32: a small, fast, seedable PRNG; quality is ample for test data. */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OWNERS = [
  ['Lion City Compute Pte Ltd', '1 Fusionopolis Way, Singapore 138632', 'SG', '+65 6123 4567'],
  ['Gulf AI Cloud LLC', 'Building 7, Masdar City, Abu Dhabi', 'AE', '+971 2 555 0100'],
  ['Austin Render Farm Inc', '500 W 2nd St, Austin, TX 78701', 'US', '+1 512 555 0142'],
  ['Kuala Data Centre Sdn Bhd', 'Jalan Cyber 3, 63000 Cyberjaya', 'MY', '+60 3 8888 1000'],
  ['Nordic GPU AB', 'Kungsgatan 12, 111 43 Stockholm', 'SE', '+46 8 555 010 00'],
] as const;
const SITES = [
  ['Equinix SG3', '26A Ayer Rajah Crescent, Singapore 139963', 'SG', '+65 6500 1000', 1.2966, 103.7875],
  ['Khazna DC AUH1', 'Khalifa Park, Abu Dhabi', 'AE', '+971 2 555 0200', 24.4539, 54.3773],
  ['Switch Citadel', '2001 Electric Ave, Tahoe Reno, NV 89434', 'US', '+1 775 555 0199', 39.5402, -119.4368],
  ['AIMS Cyberjaya', 'Persiaran APEC, 63000 Cyberjaya', 'MY', '+60 3 8318 0000', 2.9213, 101.6559],
  ['Bahnhof Pionen', 'Renstiernas gata 37, Stockholm', 'SE', '+46 8 555 777 00', 59.3157, 18.0834],
] as const;

export interface SampleOptions {
  count: number;
  seed: number;
  serialPrefix?: string;
  /** Month of the transactions, YYYY-MM. */
  month?: string;
  eccn?: string;
}

export function sampleRows(opts: SampleOptions): Record<TemplateColumn, string>[] {
  const rng = seededRng(opts.seed);
  const month = opts.month ?? '2026-03';
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
  const rows: Record<TemplateColumn, string>[] = [];
  for (let i = 0; i < opts.count; i++) {
    const o = pick(OWNERS);
    const s = pick(SITES);
    const day = 1 + Math.floor(rng() * 20);
    const begin = `${month}-${String(day).padStart(2, '0')}`;
    const complete = `${month}-${String(day + 1 + Math.floor(rng() * 7)).padStart(2, '0')}`;
    rows.push({
      serial_number: `${opts.serialPrefix ?? 'H100-'}${String(i + 1).padStart(7, '0')}`,
      product_name: 'NVIDIA H100 SXM5 80GB',
      eccn: opts.eccn ?? '4A090.a',
      item_status: 'active',
      new_owner_name: o[0],
      new_owner_address: o[1],
      new_owner_country: o[2],
      new_owner_phone: o[3],
      location_operator_name: s[0],
      location_address: s[1],
      location_country: s[2],
      location_phone: s[3],
      location_lat: String(s[4]),
      location_lon: String(s[5]),
      transaction_begin_date: begin,
      transaction_complete_date: complete,
      purchase_order: `PO-${opts.seed}-${Math.floor(i / 1000)}`,
    });
  }
  return rows;
}

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function rowsToCsv(rows: readonly Partial<Record<TemplateColumn, string>>[]): string {
  const lines = [TEMPLATE_COLUMNS.join(',')];
  for (const r of rows) lines.push(TEMPLATE_COLUMNS.map((c) => csvCell(r[c] ?? '')).join(','));
  return lines.join('\n') + '\n';
}
