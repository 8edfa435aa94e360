/** Longest side of a photo sent from a phone; enough to see a crack in a wall, small on a weak signal. */
const MAX_SIDE = 2048;
/** Photos smaller than this are sent as taken. */
const SMALL_BYTES = 900 * 1024;

/**
 * A camera photo scaled down to at most {@link MAX_SIDE} pixels and re-encoded as JPEG, which also drops
 * its EXIF block (GPS included; the server strips it again). Anything that cannot be decoded here, and
 * anything already small, is returned unchanged.
 */
export async function shrinkPhoto(file: File): Promise<File> {
  if (
    !file.type.startsWith('image/') ||
    file.size <= SMALL_BYTES ||
    typeof createImageBitmap !== 'function'
  ) {
    return file;
  }
  try {
    const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.round(bitmap.width * scale);
    const height = Math.round(bitmap.height * scale);
    const canvas = document.createElement('canvas');
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext('2d');
    if (!context) return file;
    context.drawImage(bitmap, 0, 0, width, height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    if (!blob || blob.size >= file.size) return file;
    const name = file.name.replace(/\.[^.]*$/, '') || 'photo';
    return new File([blob], `${name}.jpg`, { type: 'image/jpeg', lastModified: file.lastModified });
  } catch {
    return file;
  }
}
