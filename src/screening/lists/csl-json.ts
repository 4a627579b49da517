// Consolidated Screening List, JSON form (the trade.gov API/download): `{ results: [...] }` or a bare
// array; records carry alt_names[], addresses[{address, city, state, postal_code, country}], ids[].
// User-supplied: each record is validated with zod and errors name the record index and field.
import { z } from 'zod';
import { ValidationError } from '../../errors.js';
import { countryCode } from '../countries.js';
import { entryType, listCode, uniq, type Address, type ListEntry } from '../entity.js';
import { cleanDates, entryId } from './csl-csv.js';

const str = z
  .string()
  .nullish()
  .transform((s) => (s ?? '').trim());
const strList = z
  .union([z.array(z.string().nullish()), z.string(), z.null()])
  .optional()
  .transform((v) =>
    (v == null ? [] : typeof v === 'string' ? v.split(';') : v).map((s) => (s ?? '').trim()).filter(Boolean),
  );
const idRec = z.union([
  z.string(),
  z.object({ type: str, number: str, country: str, issue_date: str, expiration_date: str }).passthrough(),
]);

const record = z
  .object({
    id: str,
    _id: str,
    source: z.string().trim().min(1, 'source must not be empty'),
    entity_number: z.union([z.string(), z.number()]).nullish(),
    type: str,
    programs: strList,
    name: z.string().trim().min(1, 'name must not be empty'),
    addresses: z
      .array(z.object({ address: str, city: str, state: str, postal_code: str, country: str }).passthrough())
      .nullish(),
    federal_register_notice: str,
    start_date: str,
    end_date: str,
    remarks: str,
    source_list_url: str,
    source_information_url: str,
    alt_names: strList,
    citizenships: strList,
    nationalities: strList,
    dates_of_birth: strList,
    ids: z.array(idRec).nullish(),
  })
  .passthrough();

export function parseCslJson(text: string, fileLabel = 'CSL JSON'): ListEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new ValidationError(`${fileLabel}: not valid JSON (${(e as Error).message})`);
  }
  const results = Array.isArray(doc) ? doc : (doc as { results?: unknown })?.results;
  if (!Array.isArray(results))
    throw new ValidationError(`${fileLabel}: expected an array of records or {"results": [...]}`, { field: 'results' });
  return results.map((raw, i) => {
    const r = record.safeParse(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw new ValidationError(`${fileLabel}: record ${i + 1}: ${issue.message}`, {
        row: i + 1,
        column: issue.path.join('.') || undefined,
      });
    }
    const v = r.data;
    const addresses: Address[] = (v.addresses ?? [])
      .map((a) => {
        const text = [a.address, a.city, a.state, a.postal_code, a.country].filter(Boolean).join(', ');
        const out: Address = { text };
        if (a.city) out.city = a.city;
        if (a.state) out.state = a.state;
        if (a.postal_code) out.postalCode = a.postal_code;
        const cc = a.country ? countryCode(a.country) : undefined;
        if (cc) out.country = cc;
        return out;
      })
      .filter((a) => a.text);
    const ids = (v.ids ?? [])
      .map((x) => (typeof x === 'string' ? x : [x.type, x.number, x.country].filter(Boolean).join(', ')))
      .filter(Boolean);
    const countries = uniq([
      ...addresses.map((a) => a.country).filter((c): c is string => !!c),
      ...[...v.citizenships, ...v.nationalities].map((c) => countryCode(c)).filter((c): c is string => !!c),
    ]);
    const entry: ListEntry = {
      id: entryId(v.source, v.id || v._id, String(v.entity_number ?? ''), i + 1),
      list: listCode(v.source),
      source: v.source,
      type: entryType(v.type),
      programs: v.programs,
      name: v.name,
      aliases: uniq(v.alt_names.filter((a) => a !== v.name)),
      addresses,
      ids,
      countries,
      dates: cleanDates(v.start_date, v.end_date, v.dates_of_birth),
      federalRegisterNotice: v.federal_register_notice || undefined,
      remarks: v.remarks || undefined,
      sourceUrl: v.source_information_url || v.source_list_url || undefined,
    };
    return entry;
  });
}
