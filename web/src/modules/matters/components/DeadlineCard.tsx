import { isOpen, type MatterState } from '@gridgov/common/workflow/matter';
import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeadlineStatus, DeadlineStep, MatterDetail } from '../../../api/matters.ts';
import { formatDateTime } from '../../../components/format.ts';
import { formatSpan, useNow } from '../time.ts';

/** The current step's time limit, counting down every second, in the colour of its light. */
export function DeadlineCard({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const now = useNow(1000);
  const { dueAt, warnAt } = matter.deadline;
  const status = matter.deadline.status as DeadlineStatus;
  const step = matter.deadline.step as DeadlineStep | null;
  const open = isOpen(matter.state as MatterState);
  const left = dueAt ? new Date(dueAt).getTime() - now : null;
  const big =
    status === 'none' || left === null
      ? open
        ? t('deadline.none')
        : t('deadline.finished')
      : status === 'paused'
        ? t('deadline.paused')
        : left < 0
          ? t('deadline.over', { span: formatSpan(t, left, true) })
          : t('deadline.left', { span: formatSpan(t, left, true) });
  return (
    <Card
      size="small"
      className={`gg-deadline gg-deadline-${status}`}
      data-testid="matter-deadline"
      data-status={status}
    >
      <div className="gg-deadline-step">
        {step ? t(`deadline.step.${step}`) : t('deadline.title')}
        {(status !== 'none' || open) && (
          <span className={`gg-deadline-light gg-deadline-light-${status}`}>
            {t(`deadline.status.${status}`)}
          </span>
        )}
      </div>
      <div className="gg-deadline-big" data-testid="matter-deadline-countdown">
        {big}
      </div>
      {dueAt && (
        <Typography.Text type="secondary" className="gg-small">
          {t('deadline.dueAt', { at: formatDateTime(dueAt) })}
          {warnAt && status === 'ok' ? ` · ${t('deadline.warnAt', { at: formatDateTime(warnAt) })}` : ''}
        </Typography.Text>
      )}
      {status === 'paused' && matter.pausedReason && (
        <div className="gg-small">{t('deadline.pausedReason', { reason: matter.pausedReason })}</div>
      )}
      {matter.extensionDays > 0 && (
        <div className="gg-small">{t('deadline.extended', { n: matter.extensionDays })}</div>
      )}
    </Card>
  );
}
