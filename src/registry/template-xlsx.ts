// The filing template as an XLSX workbook (`chipwatch registry template --xlsx`, the template download): its own
// module so that what only needs the columns (the CSV reading thread) does not load exceljs.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { safeCell } from '../tabular/safe-cell.js';
import { COLUMN_HELP, PARENT_FIELDS, PARENT_HELP, TEMPLATE_COLUMNS } from './template.js';

/** Writes the XLSX template: the header row on sheet "items", column help on sheet "instructions". */
export async function writeTemplateXlsx(out: Writable): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const items = wb.addWorksheet('items');
  items.columns = TEMPLATE_COLUMNS.map((c) => ({ header: c, key: c, width: Math.max(14, c.length + 2) }));
  items.getRow(1).font = { bold: true };
  items.getRow(1).commit();
  items.commit();
  const help = wb.addWorksheet('instructions');
  help.columns = [
    { header: 'column', key: 'c', width: 28 },
    { header: 'meaning', key: 'h', width: 100 },
  ];
  for (const c of TEMPLATE_COLUMNS) help.addRow({ c: safeCell(c), h: safeCell(COLUMN_HELP[c]) }).commit();
  for (const f of PARENT_FIELDS)
    help.addRow({ c: safeCell(`owner_parent_N_${f}`), h: safeCell(PARENT_HELP[f]) }).commit();
  help.commit();
  await wb.commit();
}
