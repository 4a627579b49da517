// PDFs: rewritten with pdf-lib. Removed: the trailer's Info dictionary (Title, Author, Subject,
// Keywords, Creator, Producer, dates and any custom key), the file ID, every XMP /Metadata stream (the
// catalog's and those on pages, images or fonts), and every object the document no longer references,
// which is where the Info and XMP of earlier revisions (incremental saves) would otherwise survive.
import type { PDFObject } from 'pdf-lib';

export async function scrubPdf(input: Uint8Array): Promise<{ bytes: Uint8Array; removed: string[] }> {
  const lib = await import('pdf-lib');
  const { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef, PDFStream } = lib;
  // updateMetadata: false, or pdf-lib writes its own Producer and dates into a new Info dictionary.
  const doc = await PDFDocument.load(input, { updateMetadata: false, throwOnInvalidObject: true });
  const { context } = doc;
  if (!(context.lookup(context.trailerInfo.Root) instanceof PDFDict)) throw new Error('no document catalog');
  const removed: string[] = [];

  const info = context.trailerInfo.Info && context.lookup(context.trailerInfo.Info);
  if (info instanceof PDFDict)
    for (const [key, value] of info.entries()) {
      const text = value.toString();
      if (text !== '()' && text !== '<>') removed.push(`PDF ${key.decodeText()}`);
    }
  if (context.trailerInfo.Info instanceof PDFRef) context.delete(context.trailerInfo.Info);
  context.trailerInfo.Info = undefined;
  if (context.trailerInfo.ID) removed.push('PDF file ID');
  context.trailerInfo.ID = undefined;

  const metadata = PDFName.of('Metadata');
  let xmp = 0;
  for (const [, object] of context.enumerateIndirectObjects()) {
    const dict = object instanceof PDFStream ? object.dict : object instanceof PDFDict ? object : undefined;
    if (dict?.has(metadata)) {
      dict.delete(metadata);
      xmp++;
    }
  }
  if (doc.catalog.has(metadata)) doc.catalog.delete(metadata);
  if (xmp > 0) removed.push(xmp === 1 ? 'XMP metadata' : `XMP metadata (${xmp} streams)`);

  // Keep only what the catalog reaches.
  const reached = new Set<string>();
  const walk = (o: PDFObject | undefined): void => {
    if (o instanceof PDFRef) {
      if (reached.has(o.tag)) return;
      reached.add(o.tag);
      walk(context.lookup(o));
    } else if (o instanceof PDFDict) for (const [, v] of o.entries()) walk(v);
    else if (o instanceof PDFArray) for (const v of o.asArray()) walk(v);
    else if (o instanceof PDFStream) walk(o.dict);
  };
  walk(context.trailerInfo.Root);
  let dropped = 0;
  for (const [ref] of context.enumerateIndirectObjects())
    if (!reached.has(ref.tag)) {
      context.delete(ref);
      dropped++;
    }
  if (dropped > 0) removed.push(`${dropped} unreferenced object(s), e.g. of earlier revisions`);
  return { bytes: await doc.save({ updateFieldAppearances: false }), removed };
}
