import { FilePdfOutlined, PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Empty, Image, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type Attachment,
  attachmentUrl,
  type MatterDetail,
  matterKeys,
  newIdempotencyKey,
  uploadAttachment,
} from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { shrinkPhoto } from '../images.ts';

const sizeText = (n: number) =>
  n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`;

/**
 * Images as thumbnails (the server's small WebP; the full image is fetched only when tapped to enlarge),
 * other files (PDF) as links.
 */
export function AttachmentThumbs({ items, size = 88 }: { items: Attachment[]; size?: number }) {
  const images = items.filter((a) => a.mime.startsWith('image/'));
  const files = items.filter((a) => !a.mime.startsWith('image/'));
  if (items.length === 0) return null;
  return (
    <div className="gg-attachments">
      {images.length > 0 && (
        <Image.PreviewGroup>
          <div className="gg-thumbs">
            {images.map((a) => (
              <Image
                key={a.id}
                src={a.thumbnailUrl ?? attachmentUrl(a.id)}
                preview={{ src: attachmentUrl(a.id) }}
                alt={a.fileName}
                width={size}
                height={size}
                className="gg-thumb"
                data-testid={`attachment-${a.id}`}
              />
            ))}
          </div>
        </Image.PreviewGroup>
      )}
      {files.map((a) => (
        <div key={a.id}>
          <Typography.Link
            href={attachmentUrl(a.id)}
            target="_blank"
            rel="noopener"
            data-testid={`attachment-${a.id}`}
          >
            {a.mime === 'application/pdf' ? <FilePdfOutlined /> : <PaperClipOutlined />} {a.fileName}
          </Typography.Link>{' '}
          <Typography.Text type="secondary" className="gg-small">
            {sizeText(a.size)}
          </Typography.Text>
        </div>
      ))}
    </div>
  );
}

/** The matter's files, with an upload button for those who take part in it. */
export function AttachmentsCard({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (list: FileList | null) => {
    if (!list?.length) return;
    setBusy(true);
    try {
      for (const file of Array.from(list)) {
        const body = await shrinkPhoto(file);
        await uploadAttachment(matter.id, body, body.name, newIdempotencyKey());
      }
      void message.success(t('attachment.uploaded'));
    } catch (error) {
      report(error);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
      void queryClient.invalidateQueries({ queryKey: matterKeys.detail(matter.id) });
    }
  };

  return (
    <Card
      size="small"
      title={t('attachment.title', { n: matter.attachments.length })}
      extra={
        matter.abilities.attach && (
          <Space>
            <Button
              size="small"
              icon={<UploadOutlined />}
              loading={busy}
              onClick={() => input.current?.click()}
              data-testid="matter-attach"
            >
              {t('attachment.upload')}
            </Button>
            <input
              ref={input}
              type="file"
              style={{ display: 'none' }}
              multiple
              accept="image/jpeg,image/png,image/webp,application/pdf"
              data-testid="matter-attach-input"
              onChange={(e) => void upload(e.target.files)}
            />
          </Space>
        )
      }
    >
      {matter.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('attachment.none')} />
      ) : (
        <AttachmentThumbs items={matter.attachments} />
      )}
    </Card>
  );
}
