// Attachments lose their metadata before they are sealed: bytes in, bytes out and the list of what was
// removed, which the tipster is shown. The format is told by the file's first bytes, never by its name.
// Images are decoded and encoded again with sharp (orientation applied, no EXIF, XMP, IPTC or ICC
// profile written); PDFs are rewritten with pdf-lib without the Info dictionary, XMP streams or objects
// no longer referenced (older revisions); Office files (docx, xlsx, pptx) get empty document properties.
// Anything else is kept byte for byte, and the tipster is told so. A file that claims a format it does
// not hold is refused with a one-line error naming it: nothing half-cleaned is ever sealed.
import { ValidationError } from '../../errors.js';
import { scrubImage, type ImageFormat } from './image.js';
import { scrubOffice } from './office.js';
import { scrubPdf } from './pdf.js';

export type ScrubKind = 'image' | 'pdf' | 'office' | 'other';

export interface Scrubbed {
  bytes: Uint8Array;
  kind: ScrubKind;
  /** What was found and removed, e.g. "EXIF", "PDF Author"; empty when there was none. */
  removed: string[];
  /** Set when the file was kept as it is. */
  note?: string;
}

export const KEPT_AS_IS = 'kept as is: no known metadata format';

const startsWith = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The format the first bytes announce. */
export function detect(b: Uint8Array): ImageFormat | 'pdf' | 'zip' | undefined {
  if (startsWith(b, [0xff, 0xd8, 0xff])) return 'jpeg';
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'png';
  if (startsWith(b, ascii('GIF87a')) || startsWith(b, ascii('GIF89a'))) return 'gif';
  if (startsWith(b, ascii('RIFF')) && startsWith(b, ascii('WEBP'), 8)) return 'webp';
  if (startsWith(b, [0x49, 0x49, 0x2a, 0x00]) || startsWith(b, [0x4d, 0x4d, 0x00, 0x2a])) return 'tiff';
  if (startsWith(b, ascii('%PDF-'))) return 'pdf';
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return 'zip';
  return undefined;
}

/** Removes the metadata of one attachment; `name` only names it in errors. */
export async function scrubAttachment(name: string, bytes: Uint8Array): Promise<Scrubbed> {
  const format = detect(bytes);
  try {
    if (format === 'pdf') return { kind: 'pdf', ...(await scrubPdf(bytes)) };
    if (format === 'zip') {
      const office = await scrubOffice(bytes);
      if (office) return { kind: 'office', ...office };
    } else if (format !== undefined) return { kind: 'image', ...(await scrubImage(bytes, format)) };
  } catch (e) {
    const what = format === 'zip' ? 'ZIP' : format?.toUpperCase();
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new ValidationError(
      `${name}: looks like ${what} but could not be read, so its metadata cannot be removed (${why})`,
      { field: 'attach' },
    );
  }
  return { kind: 'other', bytes, removed: [], note: KEPT_AS_IS };
}

/** What the tipster is shown for one attachment. */
export interface AttachmentReport {
  name: string;
  kind: ScrubKind;
  removed: string[];
  note?: string;
}

/** Scrubs each attachment in turn; the first that cannot be read stops all of them. */
export async function scrubAttachments(
  files: { name: string; bytes: Uint8Array }[],
): Promise<{ attachments: { name: string; bytes: Uint8Array }[]; report: AttachmentReport[] }> {
  const attachments: { name: string; bytes: Uint8Array }[] = [];
  const report: AttachmentReport[] = [];
  for (const f of files) {
    const s = await scrubAttachment(f.name, f.bytes);
    attachments.push({ name: f.name, bytes: s.bytes });
    report.push({ name: f.name, kind: s.kind, removed: s.removed, ...(s.note ? { note: s.note } : {}) });
  }
  return { attachments, report };
}
