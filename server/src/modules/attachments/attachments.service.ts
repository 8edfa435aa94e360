import { createHash } from 'node:crypto';
import type { Attachment } from '@gridgov/common/schemas/matters';
import { AppError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { requestFingerprint, withIdempotency } from '../../lib/idempotency.ts';
import { type FileStorage, newStorageKey, variantKey } from '../../lib/storage.ts';
import { requireMatterRead } from '../matters/matters.scope.ts';
import { cleanUpload, hasThumbnail, makeThumbnail } from './attachments.content.ts';
import { mayAttach } from './attachments.policy.ts';
import { presentAttachment, thumbnailUrlOf } from './attachments.presenter.ts';
import {
  type AttachmentRow,
  findAttachmentWithMatter,
  findMatterPlacement,
  insertAttachment,
} from './attachments.repository.ts';

/** What the route read from the request: the raw bytes and the name the client gave. */
export interface Upload {
  bytes: Buffer;
  fileName: string | undefined;
}

const noMatter = () => new AppError('NOT_FOUND', 'No such matter', undefined, { denial: true });
const noAttachment = () => new AppError('NOT_FOUND', 'No such attachment', undefined, { denial: true });
const missingFile = () => new AppError('NOT_FOUND', 'The file of this attachment is missing');

/**
 * Adds a file to a matter. The caller must be able to read the matter (else 404) and take part in it
 * (`mayAttach`, else 403) — checked before the upload is read. The content decides the type; images
 * are re-encoded without metadata and get a thumbnail beside them. The files are written first, then
 * the row and its audit entry commit together; the files are removed again if that fails or if
 * `Idempotency-Key` replays an earlier upload (whose answer gets `thumbnailUrl` even if it was stored
 * before thumbnails existed). A crash between the two leaves files without a row: `sweepOrphanFiles`.
 */
export async function uploadAttachment(
  ctx: Ctx,
  storage: FileStorage,
  matterId: number,
  read: () => Promise<Upload>,
  idempotencyKey: string | undefined,
): Promise<Attachment> {
  const matter = await findMatterPlacement(ctx.db, matterId);
  if (!matter) throw noMatter();
  requireMatterRead(ctx, matter);
  if (!mayAttach(ctx, matter)) {
    throw new AppError('FORBIDDEN', 'Only those who take part in the matter may add files', undefined, {
      denial: true,
    });
  }
  const upload = await read();
  const clean = await cleanUpload(upload.bytes, upload.fileName);
  const thumbnail = hasThumbnail(clean.mime) ? await makeThumbnail(clean.bytes) : null;
  const sha256 = createHash('sha256').update(clean.bytes).digest('hex');
  const key = newStorageKey();
  const thumbKey = variantKey(key, 'thumb');
  const removeFiles = () => Promise.all([storage.remove(key), storage.remove(thumbKey)]);
  let inserted = false;
  try {
    await storage.put(key, clean.bytes);
    if (thumbnail) await storage.put(thumbKey, thumbnail);
    const result = await withIdempotency(
      ctx,
      idempotencyKey,
      `POST /matters/${matterId}/attachments`,
      requestFingerprint(upload.bytes),
      async (trx) => {
        const row = await insertAttachment(trx, {
          matter_id: matterId,
          file_name: clean.fileName,
          mime: clean.mime,
          size: clean.bytes.length,
          sha256,
          storage_key: key,
          created_by: ctx.actor?.id ?? null,
          created_at: ctx.clock.now(),
        });
        await writeAudit(trx, ctx, {
          action: 'attachment.create',
          objectType: 'attachment',
          objectId: row.id,
          objectPath: matter.grid_path,
          detail: { matterId, mime: row.mime, size: row.size, sha256 },
        });
        inserted = true;
        return presentAttachment(row);
      },
    );
    if (!inserted) await removeFiles();
    return { ...result, thumbnailUrl: thumbnailUrlOf(result) };
  } catch (error) {
    await removeFiles().catch(() => undefined);
    throw error;
  }
}

/** An attachment and its bytes, if the caller can read its matter; 404 otherwise and when missing. */
export async function openAttachment(
  ctx: Ctx,
  storage: FileStorage,
  id: number,
): Promise<{ row: AttachmentRow; bytes: Buffer }> {
  const row = await readableAttachment(ctx, id);
  const bytes = await storage.get(row.storage_key);
  if (!bytes) throw missingFile();
  return { row, bytes };
}

async function readableAttachment(ctx: Ctx, id: number): Promise<AttachmentRow> {
  const found = await findAttachmentWithMatter(ctx.db, id);
  if (!found) throw noAttachment();
  const { matter, ...row } = found;
  requireMatterRead(ctx, matter);
  return row;
}

/**
 * The thumbnail of an image attachment, under the same rule as the file itself (404 when missing or its
 * matter is not readable); 404 for a PDF, which has none. Attachments stored before thumbnails existed get
 * theirs made from the original on first request and stored (concurrent first requests write the same
 * key; the last rename wins).
 */
export async function openThumbnail(
  ctx: Ctx,
  storage: FileStorage,
  id: number,
): Promise<{ row: AttachmentRow; bytes: Buffer }> {
  const row = await readableAttachment(ctx, id);
  if (!hasThumbnail(row.mime)) throw new AppError('NOT_FOUND', 'Only images have a thumbnail');
  const key = variantKey(row.storage_key, 'thumb');
  const stored = await storage.get(key);
  if (stored) return { row, bytes: stored };
  const original = await storage.get(row.storage_key);
  if (!original) throw missingFile();
  const bytes = await makeThumbnail(original);
  await storage.put(key, bytes);
  return { row, bytes };
}
