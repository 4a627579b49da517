// The tabular toolkit on its own: strict decoding (offsets across chunk boundaries), kind sniffing,
// the formula-cell rule, and the zip guard on a bomb, a real exceljs workbook and malformed archives.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { InvalidUtf8Error, StrictTextDecoder, parseEncoding } from '../../src/tabular/decode.js';
import { NotTabularError, sniffKind } from '../../src/tabular/kind.js';
import { isFormulaLike, safeCell } from '../../src/tabular/safe-cell.js';
import { checkZipExpansion, DamagedZipError, ZipTextRunError, ZipTooLargeError } from '../../src/tabular/zip-guard.js';
import { deflated, xlsxBomb, zip } from './zip-fixtures.js';

const decodeAll = (chunks: number[][], enc: 'utf8' | 'latin1' = 'utf8') => {
  const d = new StrictTextDecoder(enc);
  return chunks.map((c) => d.write(Uint8Array.from(c))).join('') + d.end();
};

describe('StrictTextDecoder', () => {
  it('decodes UTF-8 split anywhere, and refuses Latin-1 bytes naming their offset', () => {
    const e = [...Buffer.from('Société €')];
    for (let cut = 0; cut <= e.length; cut++) expect(decodeAll([e.slice(0, cut), e.slice(cut)])).toBe('Société €');
    const latin = [...Buffer.from('name\nSoci'), 0xe9, ...Buffer.from('t'), 0xe9];
    const err = (() => {
      try {
        decodeAll([latin.slice(0, 7), latin.slice(7)]);
      } catch (x) {
        return x;
      }
    })() as InvalidUtf8Error;
    expect(err).toBeInstanceOf(InvalidUtf8Error);
    expect(err.offset).toBe(9);
    expect(err.message).toBe('byte 0xE9 at byte offset 9 is not UTF-8');
    expect(decodeAll([latin], 'latin1')).toBe('name\nSociété');
  });

  it('refuses overlong forms, surrogates and a sequence cut off at the end', () => {
    expect(() => decodeAll([[0x41, 0xc0, 0x80]])).toThrow(/0xC0 at byte offset 1/);
    expect(() => decodeAll([[0xed, 0xa0, 0x80]])).toThrow(/offset 0/);
    expect(() => decodeAll([[0x41, 0x42, 0xe2, 0x82]])).toThrow(/0xE2 at byte offset 2/);
  });

  it('names encodings the way users write them', () => {
    expect(['utf8', 'UTF-8', 'latin1', 'Latin-1', 'ISO-8859-1', 'cp1252'].map(parseEncoding)).toEqual([
      'utf8',
      'utf8',
      'latin1',
      'latin1',
      'latin1',
      undefined,
    ]);
  });
});

describe('sniffKind', () => {
  it('judges by content: ZIP is XLSX, text is CSV, binary and old .xls are refused', () => {
    expect(sniffKind(Buffer.from('PK\x03\x04rest'))).toBe('xlsx');
    expect(sniffKind(Buffer.from('\ufeffserial_number,product_name\r\n'))).toBe('csv');
    expect(sniffKind(Buffer.from([0x53, 0x6f, 0x63, 0xe9, 0x0a]))).toBe('csv'); // Latin-1 text is still text
    const nul = new NotTabularError('not a CSV or XLSX file: binary content (control byte 0x00 at byte offset 1)');
    expect(() => sniffKind(Buffer.from([0x41, 0x00, 0x42]))).toThrow(nul);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0]);
    expect(() => sniffKind(xls)).toThrow(/old Excel \(\.xls\)/);
  });
});

describe('safeCell', () => {
  it('prefixes formulas and only formulas', () => {
    const formulas = [
      '=HYPERLINK("http://evil.test","x")',
      "+1+cmd|' /C calc'!A0",
      '-2+3+cmd|x',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
      '=1+2',
      '-',
      '+',
    ];
    for (const f of formulas) expect(safeCell(f), f).toBe(`'${f}`);
    const plain = ['+65 6123 4567', '-12.5', '+1 (555) 123-4567', '-1.5e-7', '42', 'Société', '', 'a=b', '0.5'];
    for (const p of plain) expect(isFormulaLike(p), p).toBe(false);
    expect(safeCell(12)).toBe(12);
  });
});

describe('checkZipExpansion', () => {
  it('refuses a zip bomb after at most the limit, quickly and in little memory', async () => {
    const bomb = xlsxBomb(2048); // 2 GB of sheet in about 5 MB
    expect(bomb.length).toBeLessThan(6 * 1024 * 1024);
    const t0 = performance.now();
    const rss0 = process.memoryUsage().rss;
    await expect(checkZipExpansion(bomb, 64 * 1024 * 1024)).rejects.toThrow(ZipTooLargeError);
    await expect(checkZipExpansion(bomb, 64 * 1024 * 1024)).rejects.toThrow(
      'the spreadsheet expands to more than 64 MB when unpacked; split the filing into smaller files',
    );
    // About 0.3 s idle (64 MB inflated twice); the bound leaves room for a loaded 2-core machine.
    expect(performance.now() - t0).toBeLessThan(10_000);
    expect(process.memoryUsage().rss - rss0).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses one giant cell under the size limit (a reader would build it as one string)', async () => {
    const cell = xlsxBomb(200, 'one-cell');
    await expect(checkZipExpansion(cell, 256 * 1024 * 1024)).rejects.toThrow(ZipTextRunError);
    await expect(checkZipExpansion(cell, 256 * 1024 * 1024)).rejects.toThrow(
      'the spreadsheet has a cell or value longer than 256 KB (in xl/worksheets/sheet1.xml)',
    );
    await expect(checkZipExpansion(xlsxBomb(20), 256 * 1024 * 1024)).resolves.toBeUndefined(); // 20 MB of short cells
  });

  it('passes a workbook written by exceljs (data descriptors) and refuses malformed archives', async () => {
    const chunks: Buffer[] = [];
    const out = new PassThrough().on('data', (c: Buffer) => chunks.push(c));
    const w = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out });
    const ws = w.addWorksheet('items');
    for (let i = 0; i < 500; i++) ws.addRow([`SN-${i}`, 'NVIDIA H100', '4A090.a']).commit();
    ws.commit();
    await w.commit();
    const good = Buffer.concat(chunks);
    await expect(checkZipExpansion(good, 1024 * 1024)).resolves.toBeUndefined();
    await expect(checkZipExpansion(good, 1000)).rejects.toThrow(ZipTooLargeError);
    // An entry hidden between listed ones (a streaming reader would unpack it): refused.
    const listed = zip([deflated('a.xml', '<a/>'), deflated('b.xml', '<b/>')]);
    const x = deflated('x.xml', '<x/>');
    const hidden = Buffer.concat([zip([x]).subarray(0, 30 + x.name.length + x.data.length), listed]);
    await expect(checkZipExpansion(hidden, 1024)).rejects.toThrow(DamagedZipError);
    await expect(checkZipExpansion(Buffer.from('PK\x03\x04 not really a zip'), 1024)).rejects.toThrow(
      /damaged or not a spreadsheet \(no end of central directory\)/,
    );
    const corrupt = Buffer.from(listed);
    corrupt[30 + 5] ^= 0xff; // the first byte of a.xml's deflate stream
    await expect(checkZipExpansion(corrupt, 1024)).rejects.toThrow(DamagedZipError);
  });
});
