// What kind of spreadsheet a file is, judged by its first bytes, never by its name: a ZIP is XLSX,
// text is CSV, anything else (random bytes, an old .xls, a PDF) is refused before any parser sees it.

export type SheetKind = 'csv' | 'xlsx';

/** How many leading bytes sniffKind looks at. */
export const SNIFF_BYTES = 8192;

export class NotTabularError extends Error {}

const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]; // legacy .xls (and .doc)
const startsWith = (b: Uint8Array, sig: number[]) => sig.every((v, i) => b[i] === v);

/**
 * XLSX for a ZIP; CSV when the first SNIFF_BYTES hold no control bytes other than tab, LF, CR and
 * form feed (a text file in any ASCII-compatible encoding); otherwise NotTabularError.
 */
export function sniffKind(head: Uint8Array): SheetKind {
  if (startsWith(head, ZIP)) return 'xlsx';
  if (startsWith(head, OLE2)) {
    throw new NotTabularError('not a CSV or XLSX file: it is an old Excel (.xls) file; save it as .xlsx or CSV');
  }
  const n = Math.min(head.length, SNIFF_BYTES);
  for (let i = 0; i < n; i++) {
    const c = head[i];
    if ((c < 0x20 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0x7f) {
      const hex = c.toString(16).toUpperCase().padStart(2, '0');
      throw new NotTabularError(`not a CSV or XLSX file: binary content (control byte 0x${hex} at byte offset ${i})`);
    }
  }
  return 'csv';
}
