// Images: decoded and encoded again in their own format. sharp writes no metadata unless asked
// (no keepMetadata/withMetadata here), so EXIF (GPS, camera, owner), XMP, IPTC and the ICC profile are
// gone; the pixels are converted to sRGB and the EXIF orientation is applied before it is dropped.
export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'gif';

export async function scrubImage(
  input: Uint8Array,
  format: ImageFormat,
): Promise<{ bytes: Uint8Array; removed: string[] }> {
  const { default: sharp } = await import('sharp');
  const animated = format === 'gif' || format === 'webp';
  const open = () => sharp(input, { failOn: 'error', animated });
  const meta = await open().metadata();
  const removed: string[] = [];
  if (meta.exif) removed.push('EXIF');
  if (meta.xmp) removed.push('XMP');
  if (meta.iptc) removed.push('IPTC');
  if (meta.icc) removed.push('ICC profile');
  for (const c of meta.comments ?? []) removed.push(`text "${c.keyword}"`);
  let out = open().autoOrient();
  if (format === 'jpeg') out = out.jpeg({ quality: 92 });
  else if (format === 'png') out = out.png();
  else if (format === 'webp') out = out.webp({ quality: 92 });
  else if (format === 'tiff') out = out.tiff();
  else out = out.gif();
  return { bytes: new Uint8Array(await out.toBuffer()), removed };
}
