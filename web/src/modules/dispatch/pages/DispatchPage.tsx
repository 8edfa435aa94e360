import { CheckOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { App, Button, Card, Form, Input, Modal, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { type MatterSummary, useMatters, useTransitionAny } from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { MatterTable } from '../../matters/components/MatterTable.tsx';
import { DispatchPopover } from '../components/DispatchPopover.tsx';

const PAGE_SIZE = 20;

function RejectModal({ row, onClose }: { row: MatterSummary | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const fire = useTransitionAny();
  const [form] = useLocalizedForm<{ reason: string }>();
  return (
    <Modal
      open={row !== null}
      title={t('dispatch.rejectTitle', { code: row?.code ?? '' })}
      onCancel={onClose}
      destroyOnHidden
      onOk={() => form.submit()}
      okText={t('dispatch.reject')}
      okButtonProps={{ danger: true, 'data-testid': 'dispatch-reject-submit' }}
      confirmLoading={fire.isPending}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ reason }) => {
          if (!row) return;
          try {
            await fire.mutateAsync({ id: row.id, name: 'reject', reason: reason.trim() });
            void message.success(t('dispatch.rejected', { code: row.code }));
            onClose();
          } catch (error) {
            if (isApiError(error) && error.code === 'CONFLICT') {
              void message.warning({ content: t('action.conflict'), key: 'matter-conflict' });
              onClose();
              return;
            }
            report(error, form);
          }
        }}
      >
        <Typography.Paragraph type="secondary">{row?.title}</Typography.Paragraph>
        <Form.Item
          name="reason"
          label={t('action.reasonLabel.reject')}
          rules={[{ required: true, whitespace: true, message: t('action.reasonRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="dispatch-reject-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 分拨台: what waits for this level — new reports and matters sent back or up (to-do "accept") — with
 * one-click accept, a dispatch popover with suggested targets, and reject with a reason.
 */
export function DispatchPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [page, setPage] = useState(1);
  const list = useMatters({ todo: 'accept' }, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
  const fire = useTransitionAny();
  const [accepting, setAccepting] = useState<number | null>(null);
  const [rejecting, setRejecting] = useState<MatterSummary | null>(null);

  const accept = async (row: MatterSummary) => {
    setAccepting(row.id);
    try {
      await fire.mutateAsync({ id: row.id, name: 'accept' });
      void message.success(t('dispatch.accepted', { code: row.code }));
    } catch (error) {
      if (isApiError(error) && error.code === 'CONFLICT') {
        void message.warning({ content: t('action.conflict'), key: 'matter-conflict' });
        void list.refetch();
      } else report(error);
    } finally {
      setAccepting(null);
    }
  };

  return (
    <Card
      title={t('dispatch.pageTitle')}
      extra={
        <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isFetching}>
          {t('common.refresh')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('dispatch.hint')}</Typography.Paragraph>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <MatterTable
          testId="dispatch-table"
          items={list.data?.items ?? []}
          total={list.data?.total ?? 0}
          loading={list.isFetching}
          page={page}
          pageSize={PAGE_SIZE}
          onPage={setPage}
          actionsWidth={250}
          hide={['owner', 'assignee']}
          actions={(row) => (
            <Space size={6}>
              {row.state === 'reported' && (
                <Button
                  size="small"
                  icon={<CheckOutlined />}
                  loading={accepting === row.id}
                  onClick={() => void accept(row)}
                  data-testid={`dispatch-accept-${row.id}`}
                >
                  {t('dispatch.accept')}
                </Button>
              )}
              <DispatchPopover row={row} />
              {row.state === 'reported' && (
                <Button
                  size="small"
                  danger
                  icon={<StopOutlined />}
                  onClick={() => setRejecting(row)}
                  data-testid={`dispatch-reject-${row.id}`}
                >
                  {t('dispatch.reject')}
                </Button>
              )}
            </Space>
          )}
        />
      )}
      <RejectModal row={rejecting} onClose={() => setRejecting(null)} />
    </Card>
  );
}
