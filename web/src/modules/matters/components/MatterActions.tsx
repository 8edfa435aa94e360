import { AlertOutlined } from '@ant-design/icons';
import { MATTER_TRANSITION_NAMES, type MatterTransitionName } from '@gridgov/common/workflow/matter';
import { Button, Card, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MatterDetail } from '../../../api/matters.ts';
import { useMatterLabels } from '../labels.ts';
import { SuperviseModal } from './SupervisionCard.tsx';
import { TransitionModal } from './TransitionModal.tsx';

const PRIMARY = new Set<MatterTransitionName>([
  'accept',
  'dispatch',
  'sign',
  'start',
  'handle',
  'handle_on_spot',
  'verify_pass',
  'rate',
  'approve_extension',
  'resume',
]);
const DANGER = new Set<MatterTransitionName>(['reject', 'return', 'verify_fail', 'deny_extension']);

/** Only what the server says this caller may do now (`abilities`), each opening its own small form. */
export function MatterActions({ matter, onConflict }: { matter: MatterDetail; onConflict: () => void }) {
  const { t } = useTranslation();
  const labels = useMatterLabels();
  const [open, setOpen] = useState<MatterTransitionName | null>(null);
  const [supervising, setSupervising] = useState(false);
  const allowed = MATTER_TRANSITION_NAMES.filter((n) => matter.abilities.transitions.includes(n));
  const primary = allowed.filter((n) => PRIMARY.has(n));
  const others = allowed.filter((n) => !PRIMARY.has(n));

  if (allowed.length === 0 && !matter.abilities.supervise) {
    return (
      <Card size="small" title={t('action.title')} data-testid="matter-actions">
        <Typography.Text type="secondary">{t('action.none')}</Typography.Text>
      </Card>
    );
  }

  const button = (n: MatterTransitionName, type: 'primary' | 'default') => (
    <Button
      key={n}
      type={type}
      danger={DANGER.has(n)}
      onClick={() => setOpen(n)}
      data-testid={`matter-action-${n}`}
      className="gg-action-btn"
    >
      {labels.transition(n)}
    </Button>
  );

  return (
    <Card size="small" title={t('action.title')} data-testid="matter-actions">
      <div className="gg-actions">
        {primary.map((n) => button(n, 'primary'))}
        {others.map((n) => button(n, 'default'))}
        {matter.abilities.supervise && (
          <Button
            icon={<AlertOutlined />}
            onClick={() => setSupervising(true)}
            data-testid="matter-action-supervise"
            className="gg-action-btn"
          >
            {t('supervision.create')}
          </Button>
        )}
      </div>
      <TransitionModal matter={matter} name={open} onClose={() => setOpen(null)} onConflict={onConflict} />
      <SuperviseModal matter={matter} open={supervising} onClose={() => setSupervising(false)} />
    </Card>
  );
}
