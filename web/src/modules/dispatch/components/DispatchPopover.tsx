import { SendOutlined } from '@ant-design/icons';
import { App, Button, Form, Popover, Skeleton } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import { type MatterSummary, useMatter, useTransitionAny } from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { AssigneeFields, type AssigneeValues } from '../../matters/components/AssigneeFields.tsx';

/**
 * 分拨 from a row: the target with its suggestions. A matter still `reported` is accepted first, then
 * dispatched — two calls, each guarded by the version the previous one returned.
 */
function DispatchForm({ row, onDone }: { row: MatterSummary; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = useLocalizedForm<{ assignee: AssigneeValues }>();
  const detail = useMatter(row.id);
  const fire = useTransitionAny();

  const submit = async ({ assignee }: { assignee: AssigneeValues }) => {
    const matter = detail.data;
    if (!matter) return;
    const target = {
      ...(assignee.gridId ? { gridId: assignee.gridId } : {}),
      ...(assignee.departmentId ? { departmentId: assignee.departmentId } : {}),
    };
    try {
      let version = matter.version;
      if (matter.state === 'reported') {
        const accepted = await fire.mutateAsync({ id: matter.id, name: 'accept', version });
        version = accepted.version;
        if (!accepted.abilities.transitions.includes('dispatch')) {
          void message.info(t('dispatch.acceptedOnly'));
          onDone();
          return;
        }
      }
      await fire.mutateAsync({ id: matter.id, name: 'dispatch', version, assignee: target });
      void message.success(t('dispatch.done', { code: matter.code }));
      onDone();
    } catch (error) {
      if (isApiError(error) && error.code === 'CONFLICT') {
        void message.warning({ content: t('action.conflict'), key: 'matter-conflict' });
        void detail.refetch();
        onDone();
        return;
      }
      report(error, form);
    }
  };

  if (!detail.data) return <Skeleton active paragraph={{ rows: 3 }} />;
  return (
    <Form form={form} layout="vertical" onFinish={submit} className="gg-dispatch-form">
      <AssigneeFields matter={detail.data} form={form} />
      <Button type="primary" htmlType="submit" block loading={fire.isPending} data-testid="dispatch-submit">
        {row.state === 'reported' ? t('dispatch.acceptAndDispatch') : t('dispatch.dispatch')}
      </Button>
    </Form>
  );
}

export function DispatchPopover({ row }: { row: MatterSummary }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Popover
      open={open}
      onOpenChange={setOpen}
      trigger="click"
      placement="bottomRight"
      title={t('dispatch.title', { code: row.code })}
      content={open ? <DispatchForm row={row} onDone={() => setOpen(false)} /> : null}
      destroyOnHidden
      styles={{ root: { width: 340, maxWidth: 'calc(100vw - 24px)' } }}
    >
      <Button size="small" type="primary" icon={<SendOutlined />} data-testid={`dispatch-to-${row.id}`}>
        {t('dispatch.dispatch')}
      </Button>
    </Popover>
  );
}
