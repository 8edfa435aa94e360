import type { Attachment } from '@gridgov/common/schemas/matters';
import type { AttachmentRow } from './attachments.repository.ts';

export function presentAttachment(row: AttachmentRow): Attachment {
  return {
    id: row.id,
    fileName: row.file_name,
    mime: row.mime,
    size: row.size,
    createdAt: row.created_at.toISOString(),
  };
}

/** `inline; filename*=UTF-8''…` (RFC 6266 / RFC 8187): the name percent-encoded, so no quoting games. */
export function inlineDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `inline; filename*=UTF-8''${encoded}`;
}
