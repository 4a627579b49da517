// Validates template rows into filed items (pure). Input cells are attacker-controlled: every value is
// checked for type, length and format, and each problem is reported with its row and column.
import {
  FILING_COLUMNS,
  MAX_OWNER_PARENTS,
  type PARENT_FIELDS,
  TEMPLATE_COLUMNS,
  parentColumn,
  type FilingColumn,
  type ParentColumn,
  type TemplateColumn,
} from './template.js';
import type { ProblemList } from './problems.js';
import { isCalendarDate } from '../calendar.js';
import { nameKey } from './keys.js';

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

/** An owner of the new owner, as a row names it (owner_parent_N_*). share undefined: unknown. */
export interface ParentInput {
  /** The group number N of its columns. */
  n: number;
  name: string;
  country: string | null;
  share?: number;
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
  /** Owners of the new owner (owner_parent_N_* columns); absent when the row names none. */
  parents?: ParentInput[];
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
  cells: Partial<Record<FilingColumn, RawCell>>,
  row: number,
  problems: ProblemList,
  /** Whether owner-parent columns may be present (false: the header has none, the groups are skipped). */
  parentColumns = true,
): FiledItem | null {
  const before = problems.total;
  const bad = (column: FilingColumn, reason: string) => problems.add(row, column, reason);
  const text = (c: FilingColumn, required: boolean): string => {
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

  const country = (c: FilingColumn, required: boolean): string => {
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
  const parents = parentColumns ? ownerParents(cells, needOwner ? owner : null, text, country, bad) : null;

  if (problems.total !== before || !status) return null;
  const item: FiledItem = {
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
  // Set only when given (a spread in the literal costs every one of 100,000 rows).
  if (parents) item.parents = parents;
  return item;
}

const PARENT_GROUPS: ReadonlyArray<Record<(typeof PARENT_FIELDS)[number], ParentColumn>> = Array.from(
  { length: MAX_OWNER_PARENTS },
  (_, i) => ({
    name: parentColumn(i + 1, 'name'),
    country: parentColumn(i + 1, 'country'),
    share: parentColumn(i + 1, 'share'),
  }),
);
const SHARE = /^(\d{1,3}(?:\.\d{1,6})?)\s*%?$/;

/**
 * The owner-parent groups of a row (null when it names none): each parent needs a name; its country is
 * optional; its share is a percentage 0-100, or empty for unknown (never read as 0). The known shares add
 * up to at most 100%, a parent is named once, and the new owner is not its own parent.
 */
function ownerParents(
  cells: Partial<Record<FilingColumn, RawCell>>,
  owner: PartyInput | null,
  text: (c: FilingColumn, required: boolean) => string,
  country: (c: FilingColumn, required: boolean) => string,
  bad: (c: FilingColumn, reason: string) => void,
): ParentInput[] | null {
  const out: ParentInput[] = [];
  let sum = 0;
  let lastShare: ParentColumn | null = null;
  for (let i = 0; i < PARENT_GROUPS.length; i++) {
    const g = PARENT_GROUPS[i];
    const nameCell = cells[g.name];
    const countryCell = cells[g.country];
    const shareCell = cells[g.share];
    if (nameCell === undefined && countryCell === undefined && shareCell === undefined) continue; // not in the header
    const others = cellText(countryCell) !== '' || cellText(shareCell) !== '';
    const name = text(g.name, others);
    if (!name) continue;
    if (!owner) {
      bad(g.name, 'an owner parent is given, but the item has no new owner');
      continue;
    }
    const c = country(g.country, false);
    const share = parseShare(shareCell, (reason) => bad(g.share, reason));
    const parent: ParentInput = { n: i + 1, name, country: c || null, ...(share !== undefined ? { share } : {}) };
    const key = nameKey(name);
    if (key === nameKey(owner.name) && (!c || c === owner.country))
      bad(g.name, `"${name.slice(0, 40)}" is the new owner itself`);
    const twin = out.find((p) => nameKey(p.name) === key && p.country === parent.country);
    if (twin) bad(g.name, `the same owner as ${parentColumn(twin.n, 'name')}`);
    if (share !== undefined) {
      sum += share;
      lastShare = g.share;
    }
    out.push(parent);
  }
  if (lastShare && sum > 100 + 1e-9)
    bad(lastShare, `the known shares of the owner parents add up to ${Number(sum.toFixed(6))}% (at most 100%)`);
  return out.length ? out : null;
}

function parseShare(v: RawCell, bad: (reason: string) => void): number | undefined {
  const s = cellText(v);
  if (!s) return undefined;
  const m = typeof v === 'number' ? null : SHARE.exec(s);
  const n = typeof v === 'number' ? v : m ? Number(m[1]) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 100) {
    bad('must be a percentage from 0 to 100 (e.g. 60 or 60%), or empty when unknown');
    return undefined;
  }
  return n;
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

/**
 * Checks the header row: every template column exactly once, optionally owner-parent groups (each with
 * all three of its columns), nothing else. Returns column → index.
 */
export function checkHeader(header: readonly RawCell[], problems: ProblemList): Map<FilingColumn, number> {
  const index = new Map<FilingColumn, number>();
  header.forEach((h, i) => {
    const name = cellText(h)
      .toLowerCase()
      .replace(/^\ufeff/, '');
    if (!name) return;
    if (!(FILING_COLUMNS as readonly string[]).includes(name))
      problems.add(1, name.slice(0, 40), 'unknown column (see `chipwatch registry template`)');
    else if (index.has(name as FilingColumn)) problems.add(1, name, 'column appears twice');
    else index.set(name as FilingColumn, i);
  });
  for (const c of TEMPLATE_COLUMNS) if (!index.has(c)) problems.add(1, c, 'missing column');
  for (const g of PARENT_GROUPS) {
    const cols = [g.name, g.country, g.share];
    if (cols.some((c) => index.has(c)))
      for (const c of cols)
        if (!index.has(c)) problems.add(1, c, `missing column (an owner-parent group has all of ${cols.join(', ')})`);
  }
  return index;
}
