import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { validationError } from '../../lib/app-error.ts';

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Larger images are refused rather than decoded (a small file can expand to gigabytes of pixels). */
export const MAX_IMAGE_PIXELS = 64 * 1024 * 1024;

const ACCEPTED = {
  'image/jpeg': { ext: 'jpg', aliases: ['jpg', 'jpeg'] },
  'image/png': { ext: 'png', aliases: ['png'] },
  'image/webp': { ext: 'webp', aliases: ['webp'] },
  'application/pdf': { ext: 'pdf', aliases: ['pdf'] },
} as const;
export type AcceptedMime = keyof typeof ACCEPTED;
const KNOWN_EXTENSIONS = new Set<string>(Object.values(ACCEPTED).flatMap((a) => a.aliases));

const refused = (message: string) => validationError([{ field: 'file', message }]);

function isAccepted(mime: string): mime is AcceptedMime {
  return Object.hasOwn(ACCEPTED, mime);
}

/**
 * A display name for the stored file: no folders, no control characters, at most 120 characters,
 * and an extension that matches the content (a PDF sent as `photo.jpg` is kept as `photo.pdf`, one sent
 * as `notes.txt` as `notes.txt.pdf`).
 */
export function cleanFileName(raw: string | undefined, mime: AcceptedMime): string {
  const base = (raw ?? '').split(/[\\/]/).pop() ?? '';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  let name = base.replace(/[\u0000-\u001f\u007f"]/g, '').trim();
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  if (KNOWN_EXTENSIONS.has(ext)) name = name.slice(0, dot);
  name = [...name].slice(0, 120).join('').trim() || 'attachment';
  return `${name}.${ACCEPTED[mime].ext}`;
}

/** Re-encodes an image in its own format, orientation applied, without EXIF, XMP, IPTC or ICC data. */
async function reencode(bytes: Buffer, mime: AcceptedMime): Promise<Buffer> {
  const image = sharp(bytes, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' }).rotate();
  switch (mime) {
    case 'image/jpeg':
      return image.jpeg({ quality: 90 }).toBuffer();
    case 'image/png':
      return image.png().toBuffer();
    case 'image/webp':
      return image.webp({ quality: 90 }).toBuffer();
    default:
      return bytes;
  }
}

/** Thumbnails fit inside this square (never enlarged). */
export const THUMBNAIL_SIZE = 320;
export const THUMBNAIL_MIME = 'image/webp';

/** Whether attachments of this type have a thumbnail: images do, PDFs do not. */
export function hasThumbnail(mime: string): boolean {
  return mime.startsWith('image/');
}

/**
 * A small WebP of an image for lists and timelines: orientation applied, fit inside
 * {@link THUMBNAIL_SIZE}² without enlarging, quality 70, no metadata (sharp writes none unless told).
 */
export function makeThumbnail(image: Buffer): Promise<Buffer> {
  return sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: 'error' })
    .rotate()
    .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
    .webp({ quality: 70 })
    .toBuffer();
}

/**
 * Judges an upload by its content (never by its name or declared type): JPEG, PNG, WebP or PDF, else
 * 400 naming `file`. Images come back re-encoded without their metadata (GPS position, camera serial);
 * PDFs are kept as sent.
 */
export async function cleanUpload(
  bytes: Buffer,
  fileName: string | undefined,
): Promise<{ bytes: Buffer; mime: AcceptedMime; fileName: string }> {
  if (bytes.length === 0) throw refused('is empty');
  const detected = await fileTypeFromBuffer(bytes);
  if (!detected || !isAccepted(detected.mime)) {
    throw refused('must be a JPEG, PNG or WebP image or a PDF document (judged by its content)');
  }
  const mime = detected.mime;
  let out: Buffer;
  try {
    out = await reencode(bytes, mime);
  } catch {
    throw refused('is not a readable image, or it is too large');
  }
  return { bytes: out, mime, fileName: cleanFileName(fileName, mime) };
}
