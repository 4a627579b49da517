// The published filing template (draft EAR § 743.7 items): its columns, in order, and its CSV form (the XLSX
// form, which needs exceljs, is template-xlsx.ts). The filer is the owner before the transfer, so it has no column.

export const TEMPLATE_COLUMNS = [
  'serial_number',
  'product_name',
  'eccn',
  'item_status',
  'new_owner_name',
  'new_owner_address',
  'new_owner_country',
  'new_owner_phone',
  'location_operator_name',
  'location_address',
  'location_country',
  'location_phone',
  'location_lat',
  'location_lon',
  'transaction_begin_date',
  'transaction_complete_date',
  'purchase_order',
] as const;

export type TemplateColumn = (typeof TEMPLATE_COLUMNS)[number];

/**
 * Optional columns naming the owners of the new owner (its parents), for the 50% rule: up to
 * MAX_OWNER_PARENTS groups `owner_parent_N_name`, `owner_parent_N_country`, `owner_parent_N_share`
 * (N = 1, 2, ...). A group is either absent from the header or there with all three columns. Numbered
 * groups keep one row per item (a row is a chip; its owner's parents are a property of that owner) and
 * let each parent be validated cell by cell; a list inside one cell would need a grammar of its own.
 */
export const MAX_OWNER_PARENTS = 5;
export const PARENT_FIELDS = ['name', 'country', 'share'] as const;
export type ParentField = (typeof PARENT_FIELDS)[number];
export type ParentColumn = `owner_parent_${number}_${ParentField}`;
export const PARENT_COLUMNS: readonly ParentColumn[] = Array.from({ length: MAX_OWNER_PARENTS }, (_, i) =>
  PARENT_FIELDS.map((f) => parentColumn(i + 1, f)),
).flat();

export function parentColumn(n: number, field: ParentField): ParentColumn {
  return `owner_parent_${n}_${field}`;
}

/** Every column a filing may carry: the template's, then the optional owner-parent groups. */
export type FilingColumn = TemplateColumn | ParentColumn;
export const FILING_COLUMNS: readonly FilingColumn[] = [...TEMPLATE_COLUMNS, ...PARENT_COLUMNS];

/** Help for the owner-parent columns (group N stands for 1 to MAX_OWNER_PARENTS). */
export const PARENT_HELP: Record<ParentField, string> = {
  name:
    'optional; an owner of the new owner (its parent company or a person), for the 50% rule; group N = 1 to ' +
    `${MAX_OWNER_PARENTS}; add the three columns of a group to the header to use it`,
  country: 'optional; ISO 3166-1 alpha-2 code of that owner',
  share:
    'optional; the percentage of the new owner it holds, 0 to 100 (60 or 60% for 60 percent); empty = unknown, ' +
    'which is never read as 0',
};

/** One line per column for the template's instructions sheet and the docs. */
export const COLUMN_HELP: Record<TemplateColumn, string> = {
  serial_number: 'required; the serial number on the device (letters, digits, . _ - / :, at most 64)',
  product_name: 'required; e.g. NVIDIA H100 SXM5 80GB',
  eccn: 'required; Export Control Classification Number, e.g. 4A090.a, 3A090.a or EAR99',
  item_status: 'required; active, lost or destroyed',
  new_owner_name: 'owner after the transfer (required unless the item is lost or destroyed)',
  new_owner_address: 'postal address of the owner after the transfer',
  new_owner_country: 'ISO 3166-1 alpha-2 code, e.g. US, SG, AE',
  new_owner_phone: 'telephone number of the owner after the transfer, e.g. +65 6123 4567',
  location_operator_name: 'owner/operator of the location after the transfer (required unless lost/destroyed)',
  location_address: 'physical address of the location after the transfer',
  location_country: 'ISO 3166-1 alpha-2 code of the location',
  location_phone: 'telephone number of the location owner/operator',
  location_lat: 'optional; latitude in decimal degrees (WGS 84); give both or neither',
  location_lon: 'optional; longitude in decimal degrees (WGS 84)',
  transaction_begin_date: 'required; YYYY-MM-DD, the date the transaction begins',
  transaction_complete_date: 'required; YYYY-MM-DD, the date it is expected to complete (not before the begin date)',
  purchase_order: 'optional; the purchase order number, if one exists',
};

export function templateCsv(): string {
  return TEMPLATE_COLUMNS.join(',') + '\n';
}
