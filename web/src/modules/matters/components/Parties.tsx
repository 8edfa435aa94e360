import { EyeOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Empty, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  type MatterDetail,
  type PartyRole,
  PERSONAL_FIELDS,
  type PersonalField,
  unmaskField,
} from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';

interface Target {
  partyId: number;
  field: PersonalField;
  masked: string;
}

/**
 * Shows one full value after a typed reason (audited by the server). The value is kept in this modal's
 * state only — never in the query cache — and is gone when the modal closes.
 */
function UnmaskModal({
  matterId,
  target,
  onClose,
}: {
  matterId: number;
  target: Target | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const report = useReportError();
  const [form] = useLocalizedForm<{ reason: string }>();
  const [value, setValue] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  const close = () => {
    setValue(null);
    form.resetFields();
    onClose();
  };

  const submit = async ({ reason }: { reason: string }) => {
    if (!target) return;
    setPending(true);
    try {
      const result = await unmaskField(matterId, {
        partyId: target.partyId,
        field: target.field,
        reason: reason.trim(),
      });
      setValue(result.value);
    } catch (error) {
      report(error, form);
    } finally {
      setPending(false);
    }
  };

  return (
    <Modal
      open={target !== null}
      title={target ? t('unmask.title', { field: t(`party.field.${target.field}`) }) : ''}
      onCancel={close}
      destroyOnHidden
      footer={
        value === null ? (
          <div className="gg-modal-footer">
            <Button onClick={close}>{t('common.cancel')}</Button>
            <Button
              type="primary"
              loading={pending}
              onClick={() => form.submit()}
              data-testid="unmask-submit"
            >
              {t('unmask.submit')}
            </Button>
          </div>
        ) : (
          <div className="gg-modal-footer">
            <Button type="primary" onClick={close} data-testid="unmask-close">
              {t('unmask.close')}
            </Button>
          </div>
        )
      }
    >
      {value === null ? (
        <Form form={form} layout="vertical" onFinish={submit}>
          <Alert type="info" showIcon title={t('unmask.hint')} className="gg-form-alert" />
          <Form.Item
            name="reason"
            label={t('unmask.reason')}
            rules={[
              { required: true, whitespace: true, message: t('unmask.reasonRequired') },
              { min: 4, message: t('unmask.reasonShort') },
            ]}
          >
            <Input.TextArea rows={3} maxLength={500} showCount data-testid="unmask-reason" autoFocus />
          </Form.Item>
        </Form>
      ) : (
        <div className="gg-unmask-result">
          <Typography.Text type="secondary">{target?.masked}</Typography.Text>
          <div className="gg-unmask-value" data-testid="unmask-value">
            {value}
          </div>
          <Typography.Text type="secondary" className="gg-small">
            {t('unmask.audited')}
          </Typography.Text>
        </div>
      )}
    </Modal>
  );
}

/** Requester and parties, masked; a 'show' link per value for those who may unmask. */
export function PartiesCard({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const [target, setTarget] = useState<Target | null>(null);
  return (
    <Card size="small" title={t('party.title')} extra={<LockOutlined title={t('party.masked')} />}>
      {matter.parties.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('party.none')} />
      ) : (
        matter.parties.map((p) => (
          <Descriptions
            key={p.id}
            size="small"
            column={1}
            className="gg-party"
            title={<span className="gg-small">{t(`party.role.${p.role as PartyRole}`)}</span>}
            items={PERSONAL_FIELDS.filter((f) => p[f] !== null).map((f) => ({
              key: f,
              label: t(`party.field.${f}`),
              children: (
                <span className="gg-party-value">
                  <span data-testid={`party-${p.id}-${f}`}>{p[f]}</span>
                  {matter.abilities.unmask && (
                    <Typography.Link
                      data-testid={`matter-unmask-${p.id}-${f}`}
                      onClick={() => setTarget({ partyId: p.id, field: f, masked: p[f] ?? '' })}
                    >
                      <EyeOutlined /> {t('unmask.link')}
                    </Typography.Link>
                  )}
                </span>
              ),
            }))}
          />
        ))
      )}
      <UnmaskModal matterId={matter.id} target={target} onClose={() => setTarget(null)} />
    </Card>
  );
}
