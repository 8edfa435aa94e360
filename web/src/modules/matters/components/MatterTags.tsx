import { ClockCircleOutlined, PauseCircleOutlined, WarningOutlined } from '@ant-design/icons';
import type { MatterState } from '@gridgov/common/workflow/matter';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { DeadlineStatus, MatterSummary } from '../../../api/matters.ts';
import { formatDateTime } from '../../../components/format.ts';
import { STATE_COLORS, useMatterLabels } from '../labels.ts';
import { formatSpan } from '../time.ts';

export function StateTag({ state }: { state: MatterState }) {
  const labels = useMatterLabels();
  return (
    <Tag color={STATE_COLORS[state]} data-state={state} className="gg-tag-tight">
      {labels.state(state)}
    </Tag>
  );
}

export const DEADLINE_COLORS = {
  none: 'default',
  ok: 'green',
  warning: 'orange',
  overdue: 'red',
  paused: 'default',
} as const;

/** The step's time limit as a light with the time left (or over), e.g. 剩余 2天3小时 / 超时 4小时12分. */
export function DeadlineTag({
  deadline,
  now,
  withSeconds = false,
}: {
  deadline: MatterSummary['deadline'];
  now: number;
  withSeconds?: boolean;
}) {
  const { t } = useTranslation();
  const { dueAt } = deadline;
  const status = deadline.status as DeadlineStatus;
  if (status === 'none' || !dueAt) return null;
  const left = new Date(dueAt).getTime() - now;
  const icon =
    status === 'paused' ? (
      <PauseCircleOutlined />
    ) : status === 'overdue' ? (
      <WarningOutlined />
    ) : (
      <ClockCircleOutlined />
    );
  const text =
    status === 'paused'
      ? t('deadline.paused')
      : left < 0
        ? t('deadline.over', { span: formatSpan(t, left, withSeconds) })
        : t('deadline.left', { span: formatSpan(t, left, withSeconds) });
  return (
    <Tooltip title={t('deadline.dueAt', { at: formatDateTime(dueAt) })}>
      <Tag color={DEADLINE_COLORS[status]} icon={icon} data-status={status} className="gg-tag-tight">
        {text}
      </Tag>
    </Tooltip>
  );
}

/** 督办 with the number of open orders; nothing when there are none. */
export function SupervisionBadge({ count }: { count: number }) {
  const { t } = useTranslation();
  if (count <= 0) return null;
  return (
    <Tag color="volcano" className="gg-tag-tight">
      {count > 1 ? t('matter.supervisedN', { n: count }) : t('matter.supervised')}
    </Tag>
  );
}

export function ProblemTag({ problem }: { problem: boolean }) {
  const { t } = useTranslation();
  if (!problem) return null;
  return (
    <Tag color="red" variant="outlined" className="gg-tag-tight">
      {t('matter.problem')}
    </Tag>
  );
}
