// Attachments lose their metadata: images, PDFs and Office files written here with metadata come out
// of scrubAttachment without it, still readable; unknown files are kept byte for byte; a file that
// claims a format it does not hold is refused, naming it.
import JSZip from 'jszip';
import { PDFDocument, PDFName } from 'pdf-lib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { detect, KEPT_AS_IS, scrubAttachment } from '../../src/tips/scrub/index.js';

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');

async function jpegWithExif(): Promise<Uint8Array> {
  return new Uint8Array(
    await sharp({ create: { width: 40, height: 30, channels: 3, background: { r: 200, g: 20, b: 20 } } })
      .jpeg()
      .withExif({
        IFD0: { Artist: 'Wei Tan', Copyright: 'Tan family' },
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '1/1 27/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '103/1 45/1 0/1',
        },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer(),
  );
}

describe('scrubAttachment', () => {
  it('re-encodes a JPEG without EXIF (Artist, GPS), orientation applied', async () => {
    const input = await jpegWithExif();
    const before = await sharp(input).metadata();
    expect(before.exif).toBeDefined();
    expect(before.orientation).toBe(6);
    expect(latin1(input)).toContain('Wei Tan');
    const r = await scrubAttachment('photo.jpg', input);
    expect(r.kind).toBe('image');
    expect(r.removed).toContain('EXIF');
    const after = await sharp(r.bytes).metadata();
    expect(after.format).toBe('jpeg');
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(latin1(r.bytes)).not.toContain('Wei Tan');
    expect(latin1(r.bytes)).not.toContain('Exif');
    // Orientation 6 (rotate 90°) was applied to the pixels: 40x30 is now 30x40, and decodes.
    expect([after.width, after.height]).toEqual([30, 40]);
    const raw = await sharp(r.bytes).raw().toBuffer({ resolveWithObject: true });
    expect([raw.info.width, raw.info.height]).toEqual([30, 40]);
  });

  it('keeps the size of an image without orientation, and strips XMP from a WebP', async () => {
    const webp = new Uint8Array(
      await sharp({ create: { width: 17, height: 9, channels: 4, background: '#00ff0080' } })
        .webp()
        .withXmp('<x:xmpmeta xmlns:x="adobe:ns:meta/"><dc:creator>Wei Tan</dc:creator></x:xmpmeta>')
        .toBuffer(),
    );
    expect(latin1(webp)).toContain('Wei Tan');
    const r = await scrubAttachment('screen.webp', webp);
    expect(r.removed).toContain('XMP');
    const after = await sharp(r.bytes).metadata();
    expect([after.format, after.width, after.height, after.xmp]).toEqual(['webp', 17, 9, undefined]);
    expect(latin1(r.bytes)).not.toContain('Wei Tan');
  });

  it('rewrites a PDF without its Info dictionary and XMP', async () => {
    const d = await PDFDocument.create();
    d.addPage([200, 200]).drawText('ledger');
    d.setAuthor('Wei Tan');
    d.setTitle('Johor ledger');
    d.setProducer('Acme Writer');
    const xmp = d.context.stream('<x:xmpmeta><dc:creator>Wei Tan</dc:creator></x:xmpmeta>', {
      Type: 'Metadata',
      Subtype: 'XML',
    });
    d.catalog.set(PDFName.of('Metadata'), d.context.register(xmp));
    const input = await d.save({ useObjectStreams: false });
    expect(latin1(input)).toContain('Wei Tan');
    const r = await scrubAttachment('ledger.pdf', input);
    expect(r.kind).toBe('pdf');
    expect(r.removed).toEqual(expect.arrayContaining(['PDF Author', 'PDF Title', 'PDF Producer', 'XMP metadata']));
    expect(latin1(r.bytes)).not.toContain('Wei Tan');
    const after = await PDFDocument.load(r.bytes, { updateMetadata: false });
    expect(after.getAuthor()).toBeUndefined();
    expect(after.getTitle()).toBeUndefined();
    expect(after.catalog.has(PDFName.of('Metadata'))).toBe(false);
    expect(after.getPageCount()).toBe(1);
  });

  it("drops an earlier revision's Info dictionary left in a PDF by an incremental save", async () => {
    const pdf = [
      '%PDF-1.4',
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
      '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
      '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj',
      '4 0 obj << /Author (Wei Tan) >> endobj',
      'trailer << /Root 1 0 R /Info 4 0 R >>',
      '%%EOF',
      '5 0 obj << /Title (Q3 ledger) >> endobj',
      'trailer << /Root 1 0 R /Info 5 0 R >>',
      '%%EOF',
      '',
    ].join('\n');
    const r = await scrubAttachment('ledger.pdf', new TextEncoder().encode(pdf));
    expect(r.removed).toEqual(['PDF Title', '1 unreferenced object(s), e.g. of earlier revisions']);
    expect(latin1(r.bytes)).not.toMatch(/Wei Tan|Q3 ledger/);
    expect((await PDFDocument.load(r.bytes)).getPageCount()).toBe(1);
  });

  it('empties the document properties of a docx and drops custom.xml', async () => {
    const zip = new JSZip();
    zip.file(
      '[Content_Types].xml',
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument' +
        '.custom-properties+xml"/></Types>',
    );
    zip.file(
      '_rels/.rels',
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId4" Type="x" Target="docProps/custom.xml"/>' +
        '<Relationship Id="rId1" Type="y" Target="word/document.xml"/></Relationships>',
    );
    zip.file('word/document.xml', '<w:document>the body</w:document>');
    zip.file(
      'docProps/core.xml',
      '<cp:coreProperties xmlns:cp="c" xmlns:dc="d"><dc:creator>Wei Tan</dc:creator>' +
        '<cp:lastModifiedBy>W. Tan</cp:lastModifiedBy><dc:title/></cp:coreProperties>',
    );
    zip.file('docProps/app.xml', '<Properties><Company>Tan Trading</Company><Pages>1</Pages></Properties>');
    zip.file('docProps/custom.xml', '<Properties><property name="Client" pid="2">Johor</property></Properties>');
    const input = await zip.generateAsync({ type: 'uint8array' });
    const r = await scrubAttachment('memo.docx', input);
    expect(r.kind).toBe('office');
    expect(r.removed).toEqual([
      'document property creator',
      'document property lastModifiedBy',
      'application property Company',
      'application property Pages',
      'custom property Client',
    ]);
    const after = await JSZip.loadAsync(r.bytes);
    const text = async (p: string) => after.file(p)!.async('string');
    expect(await text('docProps/core.xml')).not.toMatch(/Tan/);
    expect(await text('docProps/app.xml')).not.toMatch(/Tan/);
    expect(after.file('docProps/custom.xml')).toBeNull();
    expect(await text('_rels/.rels')).not.toContain('custom.xml');
    expect(await text('_rels/.rels')).toContain('word/document.xml');
    expect(await text('[Content_Types].xml')).not.toContain('custom.xml');
    expect(await text('word/document.xml')).toBe('<w:document>the body</w:document>');
  });

  it('keeps an unknown file byte for byte, with the notice', async () => {
    const input = new TextEncoder().encode('plain notes, Wei Tan\n');
    const r = await scrubAttachment('notes.txt', input);
    expect(r).toEqual({ kind: 'other', bytes: input, removed: [], note: KEPT_AS_IS });
    expect(KEPT_AS_IS).toBe('kept as is: no known metadata format');
    // A name does not make a format: a .jpg of text is kept as text.
    expect((await scrubAttachment('fake.jpg', input)).kind).toBe('other');
  });

  it('refuses a malformed JPEG or PDF with an error naming it', async () => {
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3, 4, 5]);
    expect(detect(jpeg)).toBe('jpeg');
    await expect(scrubAttachment('broken.jpg', jpeg)).rejects.toThrow(
      /^broken\.jpg: looks like JPEG but could not be read, so its metadata cannot be removed/,
    );
    await expect(scrubAttachment('x.pdf', new TextEncoder().encode('%PDF-1.4\nnothing'))).rejects.toThrow(
      /^x\.pdf: looks like PDF but could not be read/,
    );
  });
});
