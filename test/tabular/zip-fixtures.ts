// Builds ZIP files by hand (node:zlib) for the tests: a minimal valid XLSX, and a "zip bomb" XLSX whose
// sheet inflates to gigabytes from a few MB, made without ever holding the inflated sheet in memory.
import { constants, crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  data: Buffer;
  size: number;
  crc: number;
  method: 0 | 8;
}

export function deflated(name: string, text: string): ZipEntry {
  const raw = Buffer.from(text);
  return { name, data: deflateRawSync(raw), size: raw.length, crc: crc32(raw), method: 8 };
}

/**
 * An entry whose content is `prefix`, then `repeatMb` times the 1 MB `unit`, then `suffix`. With a full
 * flush after each part the deflater's state resets, so every MB compresses to the same bytes and
 * the stream is those bytes repeated (1-3 KB per inflated MB).
 */
export function bombEntry(name: string, prefix: string, repeatMb: number, suffix: string, mb: Buffer): ZipEntry {
  const flush = { finishFlush: constants.Z_FULL_FLUSH, level: 9 };
  const unit = deflateRawSync(mb, flush);
  const parts = [deflateRawSync(Buffer.from(prefix), flush)];
  for (let i = 0; i < repeatMb; i++) parts.push(unit);
  parts.push(deflateRawSync(Buffer.from(suffix))); // the final block
  let crc = crc32(prefix);
  for (let i = 0; i < repeatMb; i++) crc = crc32(mb, crc);
  crc = crc32(suffix, crc);
  const size = Buffer.byteLength(prefix) + repeatMb * mb.length + Buffer.byteLength(suffix);
  return { name, data: Buffer.concat(parts), size: size >>> 0, crc, method: 8 };
}

export function zip(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, e.data);
    const cd = Buffer.alloc(46);
    cd.writeUInt32LE(0x02014b50, 0);
    cd.writeUInt16LE(20, 4);
    cd.writeUInt16LE(20, 6);
    cd.writeUInt16LE(e.method, 10);
    cd.writeUInt32LE(e.crc >>> 0, 16);
    cd.writeUInt32LE(e.data.length, 20);
    cd.writeUInt32LE(e.size >>> 0, 24);
    cd.writeUInt16LE(name.length, 28);
    cd.writeUInt32LE(offset, 42);
    central.push(cd, name);
    offset += 30 + name.length + e.data.length;
  }
  const cdBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cdBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cdBytes, end]);
}

const XML = '<?xml version="1.0" encoding="UTF-8"?>';
const OOXML = 'http://schemas.openxmlformats.org';
const DOC_REL = `${OOXML}/officeDocument/2006/relationships`;
const SHEET_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
const CONTENT_TYPES =
  `${XML}<Types xmlns="${OOXML}/package/2006/content-types">` +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  `<Override PartName="/xl/workbook.xml" ContentType="${SHEET_TYPE}.sheet.main+xml"/>` +
  `<Override PartName="/xl/worksheets/sheet1.xml" ContentType="${SHEET_TYPE}.worksheet+xml"/>` +
  '</Types>';
const rels = (type: string, target: string) =>
  `${XML}<Relationships xmlns="${OOXML}/package/2006/relationships">` +
  `<Relationship Id="rId1" Type="${DOC_REL}/${type}" Target="${target}"/></Relationships>`;
const WORKBOOK =
  `${XML}<workbook xmlns="${OOXML}/spreadsheetml/2006/main" xmlns:r="${DOC_REL}">` +
  '<sheets><sheet name="items" sheetId="1" r:id="rId1"/></sheets></workbook>';
const SHEET_START = `${XML}<worksheet xmlns="${OOXML}/spreadsheetml/2006/main"><sheetData><row r="1">`;
const SHEET_END = '</row></sheetData></worksheet>';
const CELL = `<c t="inlineStr"><is><t>${'A'.repeat(1000)}</t></is></c>`;
/** 1 MB of cells of 1,000 characters (padded with spaces between elements), or 1 MB of one cell's text. */
const UNITS = {
  cells: (() => {
    const mb = Buffer.alloc(1024 * 1024, ' ');
    mb.write(CELL.repeat(Math.floor(mb.length / CELL.length)));
    return mb;
  })(),
  'one-cell': Buffer.alloc(1024 * 1024, 'A'),
};

/**
 * An XLSX whose one row holds `inflatedMb` MB of cells ('cells'), or whose one cell holds that much text
 * ('one-cell'): a few KB per MB on disk.
 */
export function xlsxBomb(inflatedMb: number, shape: keyof typeof UNITS = 'cells'): Buffer {
  const [start, end] =
    shape === 'cells'
      ? [SHEET_START, SHEET_END]
      : [`${SHEET_START}<c t="inlineStr"><is><t>`, `</t></is></c>${SHEET_END}`];
  return zip([
    deflated('[Content_Types].xml', CONTENT_TYPES),
    deflated('_rels/.rels', rels('officeDocument', 'xl/workbook.xml')),
    deflated('xl/workbook.xml', WORKBOOK),
    deflated('xl/_rels/workbook.xml.rels', rels('worksheet', 'worksheets/sheet1.xml')),
    bombEntry('xl/worksheets/sheet1.xml', start, inflatedMb, end, UNITS[shape]),
  ]);
}
