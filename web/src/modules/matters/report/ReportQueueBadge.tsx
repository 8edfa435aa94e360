import { CloudUploadOutlined, DeleteOutlined, RedoOutlined } from '@ant-design/icons';
import { Badge, Button, Drawer, Empty, Popconfirm, Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../../../api/client.ts';
import { useSignedInMe } from '../../../app/auth.tsx';
import { errorText } from '../../../app/errors.ts';
import { formatDateTime } from '../../../components/format.ts';
import { discardReport, processQueue, type QueuedReport, retryReport } from './queue.ts';
import { useReportQueue } from './useQueue.ts';

function statusTag(t: TFunction, item: QueuedReport) {
  if (item.status === 'sending') return <Tag color="processing">{t('queue.sending')}</Tag>;
  if (item.status === 'failed') return <Tag color="error">{t('queue.failed')}</Tag>;
  return <Tag color="warning">{t('queue.waiting')}</Tag>;
}

/** How many reports wait on this device; opens the list to retry or discard them. */
export function ReportQueueBadge() {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const queue = useReportQueue();
  const [open, setOpen] = useState(false);
  const mine = queue.items.filter((i) => i.accountId === me.id);
  const failed = mine.some((i) => i.status === 'failed');

  return (
    <>
      <Badge count={mine.length} color={failed ? 'red' : 'orange'} size="small">
        <Button
          icon={<CloudUploadOutlined />}
          onClick={() => setOpen(true)}
          data-testid="report-queue"
          data-count={mine.length}
          className="gg-queue-btn"
        >
          {t('queue.button', { n: mine.length })}
        </Button>
      </Badge>
      <Drawer
        open={open}
        onClose={() => setOpen(false)}
        title={t('queue.title')}
        placement="bottom"
        size="70%"
        extra={
          mine.length > 0 && (
            <Button size="small" icon={<RedoOutlined />} onClick={() => void processQueue(me.id, true)}>
              {t('queue.sendNow')}
            </Button>
          )
        }
      >
        {queue.unavailable && (
          <Typography.Paragraph type="danger">{t('queue.unavailable')}</Typography.Paragraph>
        )}
        {mine.length === 0 && queue.sent.length === 0 && <Empty description={t('queue.empty')} />}
        {mine.map((item) => (
          <div key={item.key} className="gg-queue-item" data-testid={`queue-item-${item.key}`}>
            <div className="gg-queue-head">
              <Typography.Text strong ellipsis>
                {item.body.title}
              </Typography.Text>
              {statusTag(t, item)}
            </div>
            <Typography.Text type="secondary" className="gg-small">
              {formatDateTime(new Date(item.createdAt).toISOString())} ·{' '}
              {t('queue.photos', {
                done: item.uploaded.filter((u) => u !== null).length,
                n: item.photos.length,
              })}
              {item.matterCode ? ` · ${item.matterCode}` : ''}
            </Typography.Text>
            {item.error && (
              <div className="gg-small gg-text-danger">
                {errorText(t, new ApiError(0, item.error.code as ApiError['code'], item.error.message))}
              </div>
            )}
            <Space size={8} className="gg-queue-actions">
              {item.status === 'failed' && (
                <Button
                  size="small"
                  icon={<RedoOutlined />}
                  onClick={() => void retryReport(item.key).then(() => processQueue(me.id, true))}
                >
                  {t('queue.retry')}
                </Button>
              )}
              <Popconfirm title={t('queue.discardConfirm')} onConfirm={() => void discardReport(item.key)}>
                <Button size="small" danger icon={<DeleteOutlined />} disabled={item.status === 'sending'}>
                  {t('queue.discard')}
                </Button>
              </Popconfirm>
            </Space>
          </div>
        ))}
        {queue.sent.length > 0 && (
          <div className="gg-queue-sent">
            <Typography.Text type="secondary">{t('queue.sentRecently')}</Typography.Text>
            {queue.sent.map((s) => (
              <div key={s.key}>
                <Link to={`/matters/${s.matterId}`} onClick={() => setOpen(false)}>
                  <span className="gg-mono">{s.code}</span> {s.title}
                </Link>
              </div>
            ))}
          </div>
        )}
      </Drawer>
    </>
  );
}
