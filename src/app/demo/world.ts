// The demo world as plain data, a pure function of the seed and the day it is built on: who files, which
// chips are filed in which month, which landmarks stand where, which chips are diverted or reported lost.
// The seeding modules turn this plan into filings, verifications and cases through the domains' services.
import { sampleRows, seededRng } from '../../registry/sample.js';
import type { TemplateColumn } from '../../registry/template.js';

export const DEFAULT_DEMO_SEED = 17;
export const MONTHS = 18;
export const CHIPS = 10_000;
/**
 * Every exported chip is enrolled with the verifier at its declared site; a sample of the chips shipped in the
 * last VERIFIED_MONTHS months has been checked (the others' first check is due a week after the world's day).
 */
export const VERIFIED_MONTHS = 3;
export const CHECKED_PER_SHIPMENT = 40;
export const DIVERTED_BATCH = 8;

export type Row = Record<TemplateColumn, string>;

export interface Exporter {
  name: string;
  prefix: string;
}
export const EXPORTERS: readonly Exporter[] = [
  { name: 'Acme Accelerators Inc', prefix: 'ACME' },
  { name: 'Borealis Semiconductor AB', prefix: 'BORE' },
];
export const DISTRIBUTORS = ['Lion City Compute Pte Ltd', 'Kuala Data Centre Sdn Bhd'] as const;

export interface Place {
  id: string;
  city: string;
  lat: number;
  lon: number;
}
/** Landmarks at real cities (coordinates of the city centres). */
export const LANDMARKS: readonly Place[] = [
  { id: 'lm-singapore', city: 'Singapore', lat: 1.3521, lon: 103.8198 },
  { id: 'lm-hongkong', city: 'Hong Kong', lat: 22.3193, lon: 114.1694 },
  { id: 'lm-tokyo', city: 'Tokyo', lat: 35.6762, lon: 139.6503 },
  { id: 'lm-mumbai', city: 'Mumbai', lat: 19.076, lon: 72.8777 },
  { id: 'lm-frankfurt', city: 'Frankfurt', lat: 50.1109, lon: 8.6821 },
  { id: 'lm-ashburn', city: 'Ashburn', lat: 39.0438, lon: -77.4874 },
  { id: 'lm-dubai', city: 'Dubai', lat: 25.2048, lon: 55.2708 },
];
/** Where diverted chips really answer from. */
export const SHENZHEN = { lat: 22.5431, lon: 114.0579 };

export interface Filing {
  filer: string;
  receivedAt: Date;
  rows: Row[];
}

export interface World {
  seed: number;
  now: Date;
  months: string[];
  filings: Filing[];
  /** Every exported chip with a declared site: its shipment (EXPORTER-YYYY-MM), ship date and latest site. */
  enrolled: { serial: string; shipment: string; shippedAt: Date; declared: { lat: number; lon: number } }[];
  /** The enrolled chips checked already, with where each really is when the landmarks measure it. */
  checked: { serial: string; declared: { lat: number; lon: number }; at: { lat: number; lon: number } }[];
  diverted: string[];
  lost: string;
}

/** YYYY-MM of the n months before `now`'s month, oldest first. */
export function monthsBefore(now: Date, n: number): string[] {
  const out: string[] = [];
  for (let k = n; k >= 1; k--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** The world's clock: midnight UTC of the day it is built, so dates look current and a day's builds agree. */
export function worldDay(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
}

export function planWorld(seed: number, now: Date): World {
  const rng = seededRng(seed);
  const months = monthsBefore(now, MONTHS);
  const perFiling = Math.floor(CHIPS / (MONTHS * EXPORTERS.length));
  const filings: Filing[] = [];
  months.forEach((month, m) => {
    EXPORTERS.forEach((x, e) => {
      const count = m === MONTHS - 1 && e === EXPORTERS.length - 1 ? CHIPS - perFiling * filings.length : perFiling;
      const rows = sampleRows({ seed: seed * 1000 + m * 10 + e, count, month, serialPrefix: `${x.prefix}-${month}-` });
      filings.push({ filer: x.name, receivedAt: new Date(`${month}-28T12:00:00Z`), rows });
    });
  });
  const exported = filings.flatMap((f) => f.rows);

  // One chip filed early, reported lost by its owner half-way, and filed again as active a few months later.
  const lostRow = exported[Math.floor(rng() * perFiling)];
  const lost = lostRow.serial_number;
  const lostAt = months[Math.floor(MONTHS / 2)];
  filings.push({
    filer: lostRow.new_owner_name,
    receivedAt: new Date(`${lostAt}-28T13:00:00Z`),
    rows: [lostReport(lostRow, lostAt)],
  });
  const backAt = months[MONTHS - 2];
  const back: Row = { ...lostRow, ...dates(backAt), new_owner_name: DISTRIBUTORS[1], purchase_order: 'PO-REAPPEARS' };
  filings.push({ filer: DISTRIBUTORS[1], receivedAt: new Date(`${backAt}-28T13:00:00Z`), rows: [back] });
  filings.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());

  // A sample of each recent shipment (filing) is enrolled and checked, and so is the chip that reappeared;
  // in the first two shipments a batch of DIVERTED_BATCH chips answers from Shenzhen.
  const recent = filings.filter(
    (f) => months.indexOf(f.receivedAt.toISOString().slice(0, 7)) >= MONTHS - VERIFIED_MONTHS,
  );
  const sampled = recent.map((f) => {
    const start = Math.floor(rng() * Math.max(1, f.rows.length - CHECKED_PER_SHIPMENT));
    return f.rows.slice(start, start + CHECKED_PER_SHIPMENT);
  });
  const diverted = sampled
    .filter((rows) => rows.length === CHECKED_PER_SHIPMENT)
    .slice(0, 2)
    .flatMap((rows) => rows.slice(0, DIVERTED_BATCH).map((r) => r.serial_number));
  const divertedSet = new Set(diverted);
  const checked = sampled.flat().map((r) => {
    const declared = { lat: Number(r.location_lat), lon: Number(r.location_lon) };
    return { serial: r.serial_number, declared, at: divertedSet.has(r.serial_number) ? SHENZHEN : declared };
  });
  return { seed, now, months, filings, enrolled: enrolment(filings), checked, diverted, lost };
}

/** Each filed chip once, in the order first filed: its first shipment and date, its latest declared site. */
function enrolment(filings: readonly Filing[]): World['enrolled'] {
  const chips = new Map<string, World['enrolled'][number]>();
  for (const f of filings)
    for (const r of f.rows) {
      if (r.location_lat === '' || r.location_lon === '') continue; // a report that moves nothing (lost)
      const declared = { lat: Number(r.location_lat), lon: Number(r.location_lon) };
      const known = chips.get(r.serial_number);
      if (known) known.declared = declared;
      else
        chips.set(r.serial_number, {
          serial: r.serial_number,
          shipment: r.serial_number.split('-').slice(0, 3).join('-'),
          shippedAt: new Date(`${r.transaction_complete_date}T12:00:00Z`),
          declared,
        });
    }
  return [...chips.values()];
}

function dates(month: string): Pick<Row, 'transaction_begin_date' | 'transaction_complete_date'> {
  return { transaction_begin_date: `${month}-10`, transaction_complete_date: `${month}-12` };
}

/** The owner's report of a lost chip: status lost, nothing moves (owner and location stay empty). */
function lostReport(r: Row, month: string): Row {
  const empty = Object.fromEntries(Object.keys(r).map((k) => [k, ''])) as Row;
  return {
    ...empty,
    serial_number: r.serial_number,
    product_name: r.product_name,
    eccn: r.eccn,
    item_status: 'lost',
    ...dates(month),
    purchase_order: 'PO-LOST-REPORT',
  };
}
