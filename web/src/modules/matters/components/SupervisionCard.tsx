import { AlertOutlined } from '@ant-design/icons';
import { App, Button, Card, DatePicker, Form, Input, Modal, Radio, Space, Tag, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type MatterDetail,
  SUPERVISION_PRIORITIES,
  type Supervision,
  type SupervisionPriority,
  type SupervisionState,
  useCloseSupervision,
  useReplySupervision,
  useSupervise,
} from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { formatDateTime } from '../../../components/format.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

const PRIORITY_COLORS: Record<SupervisionPriority, string> = {
  normal: 'blue',
  high: 'orange',
  urgent: 'red',
};
const STATE_COLORS: Record<SupervisionState, string> = {
  open: 'volcano',
  replied: 'gold',
  closed: 'default',
};

/** 督办: a higher level's order on this matter, with a reason, a priority and a deadline. */
export function SuperviseModal({
  matter,
  open,
  onClose,
}: {
  matter: MatterDetail;
  open: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const report = useReportError();
  const supervise = useSupervise(matter.id);
  const [form] = useLocalizedForm<{ priority: SupervisionPriority; reason: string; deadline: Dayjs }>();
  return (
    <Modal
      open={open}
      title={t('supervision.createTitle')}
      onCancel={onClose}
      destroyOnHidden
      onOk={() => form.submit()}
      confirmLoading={supervise.isPending}
      okText={t('supervision.create')}
      okButtonProps={{ 'data-testid': 'supervise-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ priority: 'normal', deadline: dayjs().add(3, 'day').endOf('day') }}
        onFinish={async (v) => {
          try {
            await supervise.mutateAsync({
              priority: v.priority,
              reason: v.reason.trim(),
              deadline: v.deadline.toISOString(),
            });
            void message.success(t('supervision.created'));
            onClose();
          } catch (error) {
            report(error, form);
          }
        }}
      >
        <Form.Item name="priority" label={t('supervision.priority')}>
          <Radio.Group
            optionType="button"
            options={SUPERVISION_PRIORITIES.map((p) => ({
              value: p,
              label: t(`supervision.priorityName.${p}`),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('supervision.reason')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} showCount data-testid="supervise-reason" />
        </Form.Item>
        <Form.Item
          name="deadline"
          label={t('supervision.deadline')}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            className="gg-full-width"
            disabledDate={(d) => d.isBefore(dayjs(), 'day')}
            data-testid="supervise-deadline"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

type Answer = { kind: 'reply' | 'close'; order: Supervision } | null;

function AnswerModal({
  matterId,
  answer,
  onClose,
}: {
  matterId: number;
  answer: Answer;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const report = useReportError();
  const reply = useReplySupervision(matterId);
  const close = useCloseSupervision(matterId);
  const [form] = useLocalizedForm<{ text?: string }>();
  const isReply = answer?.kind === 'reply';
  return (
    <Modal
      open={answer !== null}
      title={isReply ? t('supervision.replyTitle') : t('supervision.closeTitle')}
      onCancel={onClose}
      destroyOnHidden
      onOk={() => form.submit()}
      confirmLoading={reply.isPending || close.isPending}
      okButtonProps={{ 'data-testid': 'supervision-answer-submit' }}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async ({ text }) => {
          if (!answer) return;
          try {
            if (answer.kind === 'reply')
              await reply.mutateAsync({ id: answer.order.id, reply: (text ?? '').trim() });
            else await close.mutateAsync({ id: answer.order.id, note: text?.trim() || undefined });
            onClose();
          } catch (error) {
            report(error, form);
          }
        }}
      >
        <Typography.Paragraph type="secondary">{answer?.order.reason}</Typography.Paragraph>
        <Form.Item
          name="text"
          label={isReply ? t('supervision.reply') : t('supervision.closeNote')}
          rules={isReply ? [{ required: true, whitespace: true, message: t('common.required') }] : []}
        >
          <Input.TextArea
            rows={3}
            maxLength={isReply ? 2000 : 1000}
            showCount
            data-testid="supervision-answer-text"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The matter's supervision orders, with reply and close where the caller may. */
export function SupervisionCard({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const [answer, setAnswer] = useState<Answer>(null);
  if (matter.supervisions.length === 0) return null;
  return (
    <Card
      size="small"
      title={
        <Space size={6}>
          <AlertOutlined className="gg-supervision-icon" />
          {t('supervision.title')}
        </Space>
      }
      data-testid="matter-supervisions"
    >
      {matter.supervisions.map((s) => {
        const late = s.state !== 'closed' && new Date(s.deadline).getTime() < Date.now();
        return (
          <div key={s.id} className="gg-supervision" data-testid={`supervision-${s.id}`}>
            <Space size={4} wrap>
              <Tag color={STATE_COLORS[s.state as SupervisionState]}>
                {t(`supervision.state.${s.state as SupervisionState}`)}
              </Tag>
              <Tag color={PRIORITY_COLORS[s.priority as SupervisionPriority]}>
                {t(`supervision.priorityName.${s.priority as SupervisionPriority}`)}
              </Tag>
              {s.automatic && <Tag>{t('supervision.automatic')}</Tag>}
            </Space>
            <div className="gg-supervision-reason gg-pre">{s.reason}</div>
            <Typography.Text type="secondary" className="gg-small">
              {t('supervision.by', { grid: s.issuerGrid.name, who: s.issuer?.name ?? t('timeline.system') })}{' '}
              · {formatDateTime(s.createdAt)}
            </Typography.Text>
            <div className={`gg-small${late ? ' gg-text-danger' : ''}`}>
              {t('supervision.deadlineAt', { at: formatDateTime(s.deadline) })}
            </div>
            {s.reply && (
              <div className="gg-supervision-reply">
                <span className="gg-event-label">{t('supervision.reply')}</span>
                <span className="gg-pre">{s.reply}</span>
              </div>
            )}
            {(s.abilities.reply || s.abilities.close) && (
              <Space size={8} className="gg-supervision-actions" wrap>
                {s.abilities.reply && (
                  <Button
                    size="small"
                    type="primary"
                    onClick={() => setAnswer({ kind: 'reply', order: s })}
                    data-testid={`supervision-reply-${s.id}`}
                  >
                    {t('supervision.replyAction')}
                  </Button>
                )}
                {s.abilities.close && (
                  <Button
                    size="small"
                    onClick={() => setAnswer({ kind: 'close', order: s })}
                    data-testid={`supervision-close-${s.id}`}
                  >
                    {t('supervision.closeAction')}
                  </Button>
                )}
              </Space>
            )}
          </div>
        );
      })}
      <AnswerModal matterId={matter.id} answer={answer} onClose={() => setAnswer(null)} />
    </Card>
  );
}
