// Validates template rows into filed items (pure). Input cells are attacker-controlled: every value is
// checked for type, length and format, and each problem is reported with its row and column.
import { TEMPLATE_COLUMNS, type TemplateColumn } from './template.js';
import type { ProblemList } from './problems.js';
import { isCalendarDate } from '../calendar.js';

export type RawCell = string | number | boolean | Date | null | undefined;
export type ItemStatus = 'active' | 'lost' | 'destroyed';

export interface PartyInput {
  name: string;
  address: string;
  country: string;
  phone: string;
}
export interface LocationInput {
  operator: string;
  address: string;
  country: string;
  phone: string;
  lat: number | null;
  lon: number | null;
}

export interface FiledItem {
  row: number;
  serial: string;
  product: string;
  eccn: string;
  status: ItemStatus;
  /** null: a lost or destroyed item filed without a new owner (the filer keeps it). */
  owner: PartyInput | null;
  /** null: a lost or destroyed item filed without a location (unchanged). */
  location: LocationInput | null;
  begin: string;
  complete: string;
  purchaseOrder: string | null;
}

const SERIAL = /^[A-Za-z0-9][A-Za-z0-9._\-/:]{0,63}$/;
const ECCN = /^(?:[0-9][A-E][0-9]{3}(?:\.[A-Za-z0-9]{1,4}(?:\.[A-Za-z0-9]{1,4})*)?|EAR99)$/i;
const PHONE = /^\+?[0-9 ().\-/]{5,32}$/;
const TEXT_MAX = 300;
const regionNames = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

// ICU also names groupings, pseudo-regions and ISO's exceptionally reserved codes; none is a country.
// XK (Kosovo, user-assigned) stays accepted: it is used in practice, including by the EU and the US.
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'QO', 'UN', 'XA', 'XB', 'ZZ', 'AC', 'CP', 'CQ', 'DG', 'EA', 'IC', 'TA']);

/** ISO 3166-1 alpha-2 code known to ICU (rejects well-formed codes like XX that name no region). */
export function isCountryCode(s: string): boolean {
  if (!/^[A-Z]{2}$/.test(s) || NOT_COUNTRIES.has(s)) return false;
  let ok = countryMemo.get(s); // at most 676 entries
  if (ok === undefined) {
    const name = regionNames.of(s);
    ok = name !== undefined && name !== s;
    countryMemo.set(s, ok);
  }
  return ok;
}
const countryMemo = new Map<string, boolean>();

function cellText(v: RawCell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : v.toISOString().slice(0, 10);
  return String(v).trim();
}

/** Collapses whitespace runs to one space; one scan decides whether the regex is needed at all. */
function squeeze(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c === 0x20 && s.charCodeAt(i + 1) === 0x20) || c === 0xa0 || c > 0x167f)
      return s.replace(/\s+/g, ' ');
  }
  return s;
}

const dateMemo = new Map<string, boolean>();

export function isIsoDate(s: string): boolean {
  let ok = dateMemo.get(s); // filings repeat a few dates over many rows
  if (ok === undefined) {
    ok = isCalendarDate(s);
    if (dateMemo.size > 50_000) dateMemo.clear();
    dateMemo.set(s, ok);
  }
  return ok;
}

/** Validates one row; returns the item, or null after recording its problems. */
export function validateRow(
  cells: Partial<Record<TemplateColumn, RawCell>>,
  row: number,
  problems: ProblemList,
): FiledItem | null {
  const before = problems.total;
  const bad = (column: TemplateColumn, reason: string) => problems.add(row, column, reason);
  const text = (c: TemplateColumn, required: boolean): string => {
    const s = squeeze(cellText(cells[c]));
    if (required && !s) bad(c, 'required');
    else if (s.length > TEXT_MAX) bad(c, `longer than ${TEXT_MAX} characters`);
    // Control characters have no place in a name or address and break CSV/terminal output.
    else if (/[\u0000-\u001f\u007f]/.test(s)) bad(c, 'contains control characters');
    return s;
  };
  const serial = text('serial_number', true);
  if (serial && !SERIAL.test(serial))
    bad('serial_number', 'must be 1-64 letters, digits or . _ - / : starting with a letter or digit');
  const product = text('product_name', true);
  const eccnRaw = text('eccn', true);
  if (eccnRaw && !ECCN.test(eccnRaw)) bad('eccn', `"${eccnRaw.slice(0, 20)}" is not an ECCN like 4A090.a or EAR99`);
  const eccn = eccnRaw.length >= 5 ? eccnRaw.slice(0, 5).toUpperCase() + eccnRaw.slice(5).toLowerCase() : eccnRaw;
  const statusRaw = text('item_status', true).toLowerCase();
  const status = (['active', 'lost', 'destroyed'] as const).find((s) => s === statusRaw);
  if (statusRaw && !status) bad('item_status', 'must be active, lost or destroyed');
  // A lost or destroyed item may leave the owner and location empty: nothing moves.
  const optionalParty = status === 'lost' || status === 'destroyed';

  const country = (c: TemplateColumn, required: boolean): string => {
    const s = text(c, required).toUpperCase();
    if (s && !isCountryCode(s)) bad(c, `"${s.slice(0, 20)}" is not an ISO 3166-1 alpha-2 country code`);
    return s;
  };
  const phone = (c: TemplateColumn, required: boolean): string => {
    const s = text(c, required);
    if (s && (!PHONE.test(s) || (s.match(/[0-9]/g)?.length ?? 0) < 5))
      bad(c, 'not a telephone number (digits, spaces, + ( ) . - /)');
    return s;
  };

  const ownerGiven = ['new_owner_name', 'new_owner_address', 'new_owner_country', 'new_owner_phone'].some(
    (c) => cellText(cells[c as TemplateColumn]) !== '',
  );
  const needOwner = !optionalParty || ownerGiven;
  const owner = {
    name: text('new_owner_name', needOwner),
    address: text('new_owner_address', needOwner),
    country: country('new_owner_country', needOwner),
    phone: phone('new_owner_phone', needOwner),
  };

  const locGiven = ['location_operator_name', 'location_address', 'location_country', 'location_phone'].some(
    (c) => cellText(cells[c as TemplateColumn]) !== '',
  );
  const needLoc = !optionalParty || locGiven;
  const location = {
    operator: text('location_operator_name', needLoc),
    address: text('location_address', needLoc),
    country: country('location_country', needLoc),
    phone: phone('location_phone', needLoc),
    lat: coordinate(cells.location_lat, 90, (r) => bad('location_lat', r)),
    lon: coordinate(cells.location_lon, 180, (r) => bad('location_lon', r)),
  };
  const latGiven = cellText(cells.location_lat) !== '';
  if (latGiven !== (cellText(cells.location_lon) !== '')) {
    bad(latGiven ? 'location_lon' : 'location_lat', 'give both location_lat and location_lon, or neither');
  }
  if (!needLoc && location.lat !== null) bad('location_address', 'coordinates given without a location');

  const date = (c: TemplateColumn): string => {
    const s = text(c, true);
    if (s && !isIsoDate(s)) bad(c, `"${s.slice(0, 20)}" is not a date YYYY-MM-DD`);
    return s;
  };
  const begin = date('transaction_begin_date');
  const complete = date('transaction_complete_date');
  if (isIsoDate(begin) && isIsoDate(complete) && complete < begin)
    bad('transaction_complete_date', 'before transaction_begin_date');
  const po = text('purchase_order', false);

  if (problems.total !== before || !status) return null;
  return {
    row,
    serial,
    product,
    eccn,
    status,
    owner: needOwner ? owner : null,
    location: needLoc ? location : null,
    begin,
    complete,
    purchaseOrder: po || null,
  };
}

function coordinate(v: RawCell, limit: number, bad: (reason: string) => void): number | null {
  const s = cellText(v);
  if (!s) return null;
  const n = typeof v === 'number' ? v : /^[+-]?\d{1,3}(\.\d{1,10})?$/.test(s) ? Number(s) : NaN;
  if (!Number.isFinite(n) || Math.abs(n) > limit) {
    bad(`must be a decimal number from -${limit} to ${limit}`);
    return null;
  }
  return n;
}

/** Checks the header row: every template column exactly once, nothing else. Returns column → index. */
export function checkHeader(header: readonly RawCell[], problems: ProblemList): Map<TemplateColumn, number> {
  const index = new Map<TemplateColumn, number>();
  header.forEach((h, i) => {
    const name = cellText(h)
      .toLowerCase()
      .replace(/^\ufeff/, '');
    if (!name) return;
    if (!(TEMPLATE_COLUMNS as readonly string[]).includes(name))
      problems.add(1, name.slice(0, 40), 'unknown column (see `chipwatch registry template`)');
    else if (index.has(name as TemplateColumn)) problems.add(1, name, 'column appears twice');
    else index.set(name as TemplateColumn, i);
  });
  for (const c of TEMPLATE_COLUMNS) if (!index.has(c)) problems.add(1, c, 'missing column');
  return index;
}

/** One serial once per filing: a second row for it is a problem on that row. */
export function checkDuplicateSerials(items: readonly FiledItem[], problems: ProblemList): void {
  const seen = new Map<string, number>();
  for (const it of items) {
    const first = seen.get(it.serial);
    if (first !== undefined) problems.add(it.row, 'serial_number', `serial ${it.serial} already on row ${first}`);
    else seen.set(it.serial, it.row);
  }
}
