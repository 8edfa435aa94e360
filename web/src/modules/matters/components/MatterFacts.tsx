import type { MatterRating, MatterType } from '@gridgov/common/workflow/matter';
import { Card, Descriptions, type DescriptionsProps, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MatterDetail, MatterSource } from '../../../api/matters.ts';
import { formatDateTime } from '../../../components/format.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { useMatterLabels } from '../labels.ts';

/** The record: what, where, who holds it, where it came from. */
export function MatterFacts({ matter }: { matter: MatterDetail }) {
  const { t } = useTranslation();
  const labels = useMatterLabels();
  const name = useLocalName();
  const unit = [
    matter.department ? name(matter.department.name) : null,
    matter.assignee?.name ?? null,
  ].filter((x): x is string => !!x);
  const items: DescriptionsProps['items'] = [
    { key: 'type', label: t('matter.type'), children: labels.type(matter.type as MatterType) },
    {
      key: 'category',
      label: t('matter.category'),
      children: name(matter.category.nameZh, matter.category.nameEn),
    },
    {
      key: 'description',
      label: t('matter.description'),
      span: 'filled' as const,
      children: <div className="gg-pre">{matter.description}</div>,
    },
    { key: 'place', label: t('matter.place'), children: matter.place ?? '—' },
    { key: 'grid', label: t('matter.grid'), children: matter.grid.name },
    { key: 'owner', label: t('matter.owner'), children: matter.owner.name },
    {
      key: 'assignee',
      label: t('matter.assignee'),
      children: unit.length ? [...new Set(unit)].join(' · ') : '—',
    },
    {
      key: 'source',
      label: t('matter.source'),
      children: t(`matter.sourceName.${matter.source as MatterSource}`),
    },
    {
      key: 'priority',
      label: t('matter.priority'),
      children:
        matter.priority === 'urgent' ? <Tag color="red">{t('matter.urgent')}</Tag> : t('matter.normal'),
    },
    { key: 'reporter', label: t('matter.reporter'), children: matter.reporter?.name ?? '—' },
    { key: 'created', label: t('matter.createdAt'), children: formatDateTime(matter.createdAt) },
    {
      key: 'problem',
      label: t('matter.problemFlag'),
      children: matter.problem ? <Tag color="red">{t('matter.problem')}</Tag> : t('common.no'),
    },
    { key: 'rework', label: t('matter.reworkCount'), children: String(matter.reworkCount) },
    ...(matter.returnCount > 0
      ? [{ key: 'returns', label: t('matter.returnCount'), children: String(matter.returnCount) }]
      : []),
    ...(matter.result
      ? [
          {
            key: 'result',
            label: t('matter.result'),
            span: 'filled' as const,
            children: <div className="gg-pre">{matter.result}</div>,
          },
        ]
      : []),
    ...(matter.handler
      ? [{ key: 'handler', label: t('matter.handler'), children: matter.handler.name }]
      : []),
    ...(matter.verifier
      ? [{ key: 'verifier', label: t('matter.verifier'), children: matter.verifier.name }]
      : []),
    ...(matter.rating
      ? [{ key: 'rating', label: t('matter.rating'), children: labels.rating(matter.rating as MatterRating) }]
      : []),
    ...(matter.mergedInto
      ? [{ key: 'merged', label: t('matter.mergedInto'), children: `#${matter.mergedInto}` }]
      : []),
  ];
  return (
    <Card size="small" title={t('matter.facts')}>
      <Descriptions
        size="small"
        column={{ xs: 1, sm: 2, md: 2, lg: 2, xl: 2, xxl: 3 }}
        items={items}
        className="gg-facts"
      />
    </Card>
  );
}
