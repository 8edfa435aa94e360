import { createHash } from 'node:crypto';
import type { Attachment } from '@gridgov/common/schemas/matters';
import { AppError } from '../../lib/app-error.ts';
import { writeAudit } from '../../lib/audit.ts';
import type { Ctx } from '../../lib/context.ts';
import { withIdempotency } from '../../lib/idempotency.ts';
import { type FileStorage, newStorageKey } from '../../lib/storage.ts';
import { requireMatterRead } from '../matters/matters.scope.ts';
import { cleanUpload } from './attachments.content.ts';
import { mayAttach } from './attachments.policy.ts';
import { presentAttachment } from './attachments.presenter.ts';
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

/**
 * Adds a file to a matter. The caller must be able to read the matter (else 404) and take part in it
 * (`mayAttach`, else 403) — checked before the upload is read. The content decides the type; images
 * are re-encoded without metadata. The file is written first, then the row and its audit entry commit
 * together; the file is removed again if that fails or if `Idempotency-Key` replays an earlier upload.
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
  const sha256 = createHash('sha256').update(clean.bytes).digest('hex');
  const key = newStorageKey();
  await storage.put(key, clean.bytes);
  let inserted = false;
  try {
    const result = await withIdempotency(
      ctx,
      idempotencyKey,
      `POST /matters/${matterId}/attachments`,
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
    if (!inserted) await storage.remove(key);
    return result;
  } catch (error) {
    await storage.remove(key).catch(() => undefined);
    throw error;
  }
}

/** An attachment and its bytes, if the caller can read its matter; 404 otherwise and when missing. */
export async function openAttachment(
  ctx: Ctx,
  storage: FileStorage,
  id: number,
): Promise<{ row: AttachmentRow; bytes: Buffer }> {
  const found = await findAttachmentWithMatter(ctx.db, id);
  if (!found) throw new AppError('NOT_FOUND', 'No such attachment', undefined, { denial: true });
  const { matter, ...row } = found;
  requireMatterRead(ctx, matter);
  const bytes = await storage.get(row.storage_key);
  if (!bytes) throw new AppError('NOT_FOUND', 'The file of this attachment is missing');
  return { row, bytes };
}
