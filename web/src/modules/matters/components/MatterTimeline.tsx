import type { MatterRating, MatterState } from '@gridgov/common/workflow/matter';
import { isMatterTransitionName } from '@gridgov/common/workflow/matter';
import { Card, Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { MatterDetail, MatterEvent } from '../../../api/matters.ts';
import { formatDateTime } from '../../../components/format.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { useMatterLabels } from '../labels.ts';
import { AttachmentThumbs } from './Attachments.tsx';

const COLORS: Record<string, string> = {
  reject: 'red',
  return: 'red',
  verify_fail: 'red',
  overdue: 'red',
  warning: 'orange',
  supervise: 'orange',
  supervision_overdue: 'orange',
  escalate: 'orange',
  pull_up: 'orange',
  verify_pass: 'green',
  rate: 'green',
  handle: 'green',
  handle_on_spot: 'green',
};

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

/** What happened to the matter, newest first: who, when, the step, the reason or note, and any files. */
export function MatterTimeline({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const labels = useMatterLabels();
  const name = useLocalName();
  const byId = new Map(matter.attachments.map((a) => [a.id, a]));

  /** Where the event sent the matter, from the names the server resolved (`refs`). */
  const target = (e: MatterEvent): { label: string; text: string } | null => {
    const { grid, department } = e.refs;
    if (e.action === 'dispatch' && (department || grid)) {
      const text = department ? name(department.nameZh, department.nameEn) : (grid?.name ?? '');
      return { label: t('timeline.dispatchedTo'), text };
    }
    if (!grid) return null;
    if (e.action === 'escalate') return { label: t('timeline.escalatedTo'), text: grid.name };
    if (e.action === 'pull_up') return { label: t('timeline.pulledUpTo'), text: grid.name };
    if (e.action === 'return') return { label: t('timeline.returnedTo'), text: grid.name };
    return null;
  };

  const lines = (e: MatterEvent) => {
    const d = e.detail ?? {};
    const out: { key: string; label: string; text: ReactNode }[] = [];
    const reason = str(d.reason);
    if (reason) out.push({ key: 'reason', label: t('timeline.reason'), text: reason });
    const result = str(d.result);
    if (result) out.push({ key: 'result', label: t('timeline.result'), text: result });
    if (e.note) out.push({ key: 'note', label: t('timeline.note'), text: e.note });
    if (typeof d.rating === 'string') {
      out.push({ key: 'rating', label: t('timeline.rating'), text: labels.rating(d.rating as MatterRating) });
    }
    if (typeof d.extensionDays === 'number') {
      out.push({
        key: 'ext',
        label: t('timeline.extension'),
        text: t('timeline.days', { n: d.extensionDays }),
      });
    }
    const to = target(e);
    if (to) out.push({ key: 'to', ...to });
    if (e.action === 'merge') {
      const into = e.refs.matter;
      out.push({
        key: 'merged',
        label: t('timeline.mergedInto'),
        text: into ? (
          <Link to={`/matters/${into.id}`} data-testid={`timeline-merged-${into.id}`}>
            {into.code}
          </Link>
        ) : (
          t('timeline.otherMatter')
        ),
      });
    }
    if (d.problem) out.push({ key: 'problem', label: t('timeline.problem'), text: t('matter.problem') });
    // Supervision events name their order; the order (in the detail's `supervisions`) names its issuer.
    const order =
      typeof d.supervisionId === 'number'
        ? matter.supervisions.find((s) => s.id === d.supervisionId)
        : undefined;
    if (order && e.action === 'supervise') {
      out.push({ key: 'issuer', label: t('timeline.supervisedBy'), text: order.issuerGrid.name });
    }
    return out;
  };

  const events = [...matter.events].reverse();
  return (
    <Card size="small" title={t('timeline.title')}>
      <Timeline
        data-testid="matter-timeline"
        className="gg-timeline"
        items={events.map((e) => {
          const change =
            e.fromState && e.toState && e.fromState !== e.toState
              ? `${labels.state(e.fromState as MatterState)} → ${labels.state(e.toState as MatterState)}`
              : null;
          const files = e.attachmentIds.map((id) => byId.get(id)).filter((a) => a !== undefined);
          return {
            key: e.id,
            color: COLORS[e.action] ?? (isMatterTransitionName(e.action) ? 'blue' : 'gray'),
            content: (
              <div className="gg-event" data-action={e.action}>
                <div className="gg-event-head">
                  <Typography.Text strong>{labels.event(e.action)}</Typography.Text>
                  <Typography.Text type="secondary" className="gg-small">
                    {e.actor?.name ?? t('timeline.system')} · {formatDateTime(e.at)}
                  </Typography.Text>
                </div>
                {change && <div className="gg-event-change">{change}</div>}
                {lines(e).map((l) => (
                  <div key={l.key} className="gg-event-line" data-line={l.key}>
                    <span className="gg-event-label">{l.label}</span>
                    <span className="gg-pre">{l.text}</span>
                  </div>
                ))}
                {files.length > 0 && <AttachmentThumbs items={files} size={64} />}
              </div>
            ),
          };
        })}
      />
    </Card>
  );
}
