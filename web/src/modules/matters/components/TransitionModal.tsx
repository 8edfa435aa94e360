import {
  MATTER_RATINGS,
  MATTER_TRANSITIONS,
  type MatterRating,
  type MatterTransitionName,
} from '@gridgov/common/workflow/matter';
import { App, Button, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../../api/client.ts';
import {
  type MatterDetail,
  newIdempotencyKey,
  type TransitionBody,
  uploadAttachment,
  useMatters,
  useTransition,
} from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { useDebounced } from '../../../components/useDebounced.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { useMatterLabels } from '../labels.ts';
import { AssigneeFields, type AssigneeValues } from './AssigneeFields.tsx';
import { PhotoPicker } from './PhotoPicker.tsx';

type FormKind = 'confirm' | 'reason' | 'dispatch' | 'result' | 'rating' | 'extension' | 'merge' | 'note';

/** Which small form each transition opens. */
export const FORM_OF: Record<MatterTransitionName, FormKind> = {
  accept: 'confirm',
  reject: 'reason',
  merge: 'merge',
  dispatch: 'dispatch',
  return: 'reason',
  sign: 'confirm',
  start: 'confirm',
  progress_note: 'note',
  request_extension: 'extension',
  approve_extension: 'confirm',
  deny_extension: 'reason',
  pause: 'reason',
  resume: 'confirm',
  handle: 'result',
  handle_on_spot: 'result',
  self_handle: 'confirm',
  escalate: 'reason',
  pull_up: 'reason',
  verify_pass: 'confirm',
  verify_fail: 'reason',
  rate: 'rating',
  reopen: 'reason',
};

type ReasonName =
  | 'reject'
  | 'return'
  | 'escalate'
  | 'pull_up'
  | 'pause'
  | 'verify_fail'
  | 'deny_extension'
  | 'reopen';
const isReasonName = (n: MatterTransitionName): n is ReasonName => FORM_OF[n] === 'reason';

interface Values {
  reason?: string;
  note?: string;
  result?: string;
  rating?: MatterRating;
  extensionDays?: number;
  targetMatterId?: number;
  assignee?: AssigneeValues;
  photos?: File[];
}

/** Another open matter to merge into, found by code or title. */
function MergeTargetSelect({
  self,
  value,
  onChange,
}: {
  self: number;
  value?: number;
  onChange?: (v: number) => void;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q.trim(), 300);
  const found = useMatters(
    { q: debounced || undefined, state: ['reported', 'accepted', 'dispatched', 'signed', 'in_progress'] },
    { limit: 20, offset: 0 },
    debounced.length > 0,
  );
  return (
    <Select<number>
      data-testid="action-target"
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      loading={found.isFetching}
      placeholder={t('action.targetPlaceholder')}
      notFoundContent={debounced ? t('common.noMatch') : t('action.targetHint')}
      options={(found.data?.items ?? [])
        .filter((m) => m.id !== self)
        .map((m) => ({ value: m.id, label: `${m.code} ${m.title}` }))}
    />
  );
}

const required = (message: string) => [{ required: true, whitespace: true, message }];

/**
 * The small form of one transition: a reason, a target, a result with photos, a rating… It sends the
 * version the caller saw; when someone else has moved the matter first (409) it says so and reloads.
 */
export function TransitionModal({
  matter,
  name,
  onClose,
  onConflict,
}: {
  matter: MatterDetail;
  name: MatterTransitionName | null;
  onClose: () => void;
  onConflict: () => void;
}) {
  const { t } = useTranslation();
  const labels = useMatterLabels();
  const { message } = App.useApp();
  const report = useReportError();
  const [form] = useLocalizedForm<Values>();
  const transition = useTransition(matter.id);
  const [uploading, setUploading] = useState(false);
  /** One key per picked photo, so that submitting again after a failure does not upload it twice. */
  const photoKeys = useRef(new WeakMap<File, string>());
  const kind = name ? FORM_OF[name] : null;

  useEffect(() => {
    if (!name) return;
    form.resetFields();
  }, [name, form]);

  const submit = async (values: Values) => {
    if (!name) return;
    const body: TransitionBody = { name, version: matter.version };
    const text = (v?: string) => v?.trim() || undefined;
    body.reason = text(values.reason);
    body.note = text(values.note);
    body.result = text(values.result);
    if (values.rating) body.rating = values.rating;
    if (values.extensionDays) body.extensionDays = values.extensionDays;
    if (values.targetMatterId) body.targetMatterId = values.targetMatterId;
    if (kind === 'dispatch' && values.assignee) {
      const { gridId, departmentId } = values.assignee;
      body.assignee = { ...(gridId ? { gridId } : {}), ...(departmentId ? { departmentId } : {}) };
    }
    try {
      const photos = values.photos ?? [];
      if (photos.length > 0) {
        setUploading(true);
        const ids: number[] = [];
        for (const photo of photos) {
          const key = photoKeys.current.get(photo) ?? newIdempotencyKey();
          photoKeys.current.set(photo, key);
          const att = await uploadAttachment(matter.id, photo, photo.name, key);
          ids.push(att.id);
        }
        body.attachmentIds = ids;
      }
      await transition.mutateAsync(body);
      void message.success(t('action.done', { action: labels.transition(name) }));
      onClose();
    } catch (error) {
      if (isApiError(error) && error.code === 'CONFLICT') {
        void message.warning({ content: t('action.conflict'), key: 'matter-conflict' });
        onConflict();
        onClose();
        return;
      }
      report(error, form);
    } finally {
      setUploading(false);
    }
  };

  const busy = uploading || transition.isPending;
  const danger =
    name === 'reject' || name === 'return' || name === 'verify_fail' || name === 'deny_extension';
  const reasonLabel = name && isReasonName(name) ? t(`action.reasonLabel.${name}`) : t('action.reason');

  return (
    <Modal
      open={name !== null}
      title={name ? labels.transition(name) : ''}
      onCancel={onClose}
      destroyOnHidden
      className="gg-action-modal"
      footer={
        <div className="gg-modal-footer">
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            danger={danger}
            loading={busy}
            onClick={() => form.submit()}
            data-testid="matter-action-submit"
          >
            {name ? labels.transition(name) : t('common.confirm')}
          </Button>
        </div>
      }
    >
      <Typography.Paragraph type="secondary" className="gg-action-subject">
        <span className="gg-mono">{matter.code}</span> {matter.title}
      </Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid={name ? `action-form-${name}` : undefined}
      >
        {kind === 'reason' && (
          <Form.Item name="reason" label={reasonLabel} rules={required(t('action.reasonRequired'))}>
            <Input.TextArea rows={3} maxLength={1000} showCount data-testid="action-reason" />
          </Form.Item>
        )}
        {kind === 'dispatch' && <AssigneeFields matter={matter} form={form} />}
        {kind === 'result' && (
          <>
            <Form.Item name="result" label={t('action.result')} rules={required(t('action.resultRequired'))}>
              <Input.TextArea rows={4} maxLength={2000} showCount data-testid="action-result" />
            </Form.Item>
            <Form.Item name="photos" label={t('action.photos')}>
              <PhotoPicker testId="action-photos" />
            </Form.Item>
          </>
        )}
        {kind === 'note' && (
          <>
            <Form.Item
              name="note"
              label={t('action.progress')}
              dependencies={['photos']}
              rules={[
                {
                  validator: (_r, v: string | undefined) =>
                    v?.trim() || (form.getFieldValue('photos') as File[] | undefined)?.length
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('action.noteOrPhotos'))),
                },
              ]}
            >
              <Input.TextArea rows={3} maxLength={2000} showCount data-testid="action-note" />
            </Form.Item>
            <Form.Item name="photos" label={t('action.photos')}>
              <PhotoPicker testId="action-photos" />
            </Form.Item>
          </>
        )}
        {kind === 'rating' && (
          <Form.Item
            name="rating"
            label={t('action.rating')}
            rules={[{ required: true, message: t('action.ratingRequired') }]}
          >
            <Radio.Group
              data-testid="action-rating"
              optionType="button"
              buttonStyle="solid"
              options={MATTER_RATINGS.map((r) => ({ value: r, label: labels.rating(r) }))}
            />
          </Form.Item>
        )}
        {kind === 'extension' && (
          <>
            <Form.Item
              name="extensionDays"
              label={t('action.extensionDays')}
              rules={[{ required: true, message: t('action.extensionDaysRequired') }]}
            >
              <InputNumber
                min={1}
                max={30}
                precision={0}
                className="gg-full-width"
                data-testid="action-extension-days"
              />
            </Form.Item>
            <Form.Item
              name="reason"
              label={t('action.extensionReason')}
              rules={required(t('action.reasonRequired'))}
            >
              <Input.TextArea rows={3} maxLength={1000} showCount data-testid="action-reason" />
            </Form.Item>
          </>
        )}
        {kind === 'merge' && (
          <Form.Item
            name="targetMatterId"
            label={t('action.target')}
            rules={[{ required: true, message: t('action.targetRequired') }]}
          >
            <MergeTargetSelect self={matter.id} />
          </Form.Item>
        )}
        {kind === 'confirm' && name && (
          <Typography.Paragraph>
            {t('action.confirm', { action: labels.transition(name) })}
          </Typography.Paragraph>
        )}
        {kind !== 'note' && kind !== 'result' && (
          <Form.Item name="note" label={t('action.note')}>
            <Input.TextArea rows={2} maxLength={2000} data-testid="action-note" />
          </Form.Item>
        )}
        {name && MATTER_TRANSITIONS[name].moves && (
          <Typography.Text type="secondary" className="gg-small">
            {t(`action.moves.${MATTER_TRANSITIONS[name].moves ?? 'parent'}`)}
          </Typography.Text>
        )}
      </Form>
    </Modal>
  );
}
