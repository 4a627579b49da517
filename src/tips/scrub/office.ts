// Office Open XML (docx, xlsx, pptx: a ZIP holding [Content_Types].xml): docProps/core.xml and
// docProps/app.xml are written again empty of fields (author, last editor, company, manager, template,
// dates, revision, editing time...), docProps/custom.xml is dropped with its references, and every
// entry's time in the ZIP is set to one fixed date. Authors of comments and tracked changes inside the
// document body are not touched.
const CORE_EMPTY =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';
const APP_EMPTY =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"/>';
const FIXED_DATE = new Date(Date.UTC(1980, 0, 1));

/** Elements with text in a properties part, by local name ("creator", "Company"). */
function fieldsOf(xml: string): string[] {
  const found = new Set<string>();
  for (const m of xml.matchAll(/<(?:[\w.-]+:)?([\w.-]+)(?:\s[^>]*)?>([^<]*[^<\s][^<]*)<\//g)) found.add(m[1]);
  return [...found];
}

export async function scrubOffice(input: Uint8Array): Promise<{ bytes: Uint8Array; removed: string[] } | undefined> {
  const { default: JSZip } = await import('jszip');
  const zip = await JSZip.loadAsync(input);
  if (!zip.file('[Content_Types].xml')) return undefined; // a plain ZIP: not a format whose metadata is known
  const removed: string[] = [];
  const core = zip.file('docProps/core.xml');
  if (core) {
    removed.push(...fieldsOf(await core.async('string')).map((f) => `document property ${f}`));
    zip.file('docProps/core.xml', CORE_EMPTY);
  }
  const app = zip.file('docProps/app.xml');
  if (app) {
    removed.push(...fieldsOf(await app.async('string')).map((f) => `application property ${f}`));
    zip.file('docProps/app.xml', APP_EMPTY);
  }
  const custom = zip.file('docProps/custom.xml');
  if (custom) {
    const fields = [...(await custom.async('string')).matchAll(/<property\b[^>]*\bname="([^"]*)"/g)].map((m) => m[1]);
    removed.push(...(fields.length ? fields : ['(none)']).map((f) => `custom property ${f}`));
    zip.remove('docProps/custom.xml');
    const rels = zip.file('_rels/.rels');
    if (rels)
      zip.file(
        '_rels/.rels',
        (await rels.async('string')).replace(/<Relationship\b[^>]*Target="\/?docProps\/custom\.xml"[^>]*\/>/g, ''),
      );
    const types = await zip.file('[Content_Types].xml')!.async('string');
    zip.file('[Content_Types].xml', types.replace(/<Override\b[^>]*PartName="\/docProps\/custom\.xml"[^>]*\/>/g, ''));
  }
  for (const f of Object.values(zip.files)) f.date = FIXED_DATE;
  const bytes = await zip.generateAsync({ type: 'uint8array', compression: 'DEFLATE', comment: '' });
  return { bytes, removed };
}
