import type { Attachment } from '@gridgov/common/schemas/matters';
import { hasThumbnail } from './attachments.content.ts';
import type { AttachmentRow } from './attachments.repository.ts';

/** `GET /api/attachments/:id/thumbnail` for an image, null for a PDF. */
export function thumbnailUrlOf(a: Pick<Attachment, 'id' | 'mime'>): string | null {
  return hasThumbnail(a.mime) ? `/api/attachments/${a.id}/thumbnail` : null;
}

export function presentAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    fileName: row.file_name,
    mime: row.mime,
    size: row.size,
    createdAt: row.created_at.toISOString(),
    thumbnailUrl: thumbnailUrlOf({ id: row.id, mime: row.mime }),
  };
}

/** The download name of a thumbnail: `现场.jpg` → `现场.thumb.webp`. */
export function thumbnailFileName(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return `${dot > 0 ? fileName.slice(0, dot) : fileName}.thumb.webp`;
}

/** `inline; filename*=UTF-8''…` (RFC 6266 / RFC 8187): the name percent-encoded, so no quoting games. */
export function inlineDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename*=UTF-8''${encoded}`;
}
