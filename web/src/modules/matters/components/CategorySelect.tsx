import { Select, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { type Category, groupCategories, useCategories } from '../../../api/categories.ts';
import { useLocalName } from '../../../components/useLocalName.ts';

/** A category or a whole group (a group's filter includes its children). */
export function CategoryTreeSelect({
  value,
  onChange,
  testId,
}: {
  value?: number;
  onChange?: (value: number | undefined) => void;
  testId?: string;
}) {
  const { t } = useTranslation();
  const name = useLocalName();
  const { data, isPending } = useCategories();
  const treeData = groupCategories(data ?? []).map(({ group, children }) => ({
    value: group.id,
    title: name(group.nameZh, group.nameEn),
    children: children.map((c) => ({ value: c.id, title: name(c.nameZh, c.nameEn) })),
  }));
  return (
    <TreeSelect<number>
      data-testid={testId}
      value={value}
      onChange={(v) => onChange?.(v ?? undefined)}
      treeData={treeData}
      loading={isPending}
      allowClear
      showSearch={{ treeNodeFilterProp: 'title' }}
      placeholder={t('matter.pickCategory')}
      popupMatchSelectWidth={false}
      className="gg-full-width"
    />
  );
}

/** The category to report under: two levels, groups as headings, only active categories with a type. */
export function ReportCategorySelect({
  value,
  onChange,
  testId,
  categories,
}: {
  value?: number;
  onChange?: (value: number) => void;
  testId?: string;
  categories: readonly Category[];
}) {
  const { t } = useTranslation();
  const name = useLocalName();
  const options = groupCategories(categories.filter((c) => c.active))
    .map(({ group, children }) => ({
      label: name(group.nameZh, group.nameEn),
      title: name(group.nameZh, group.nameEn),
      options: children
        .filter((c) => c.matterType !== null)
        .map((c) => ({ value: c.id, label: name(c.nameZh, c.nameEn) })),
    }))
    .filter((g) => g.options.length > 0);
  return (
    <Select<number>
      data-testid={testId}
      value={value}
      onChange={onChange}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      placeholder={t('report.pickCategory')}
      size="large"
      listHeight={360}
      className="gg-full-width"
    />
  );
}
