import { EditOutlined } from '@ant-design/icons';
import type { MatterType } from '@gridgov/common/workflow/matter';
import {
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CATEGORY_LEVELS,
  CATEGORY_STEPS,
  type Category,
  type CategoryLevel,
  type CategoryStep,
  groupCategories,
  REQUIRED_FIELDS,
  type RequiredField,
  TIME_UNITS,
  type TimeUnit,
  type UpdateCategoryBody,
  useCategories,
  useUpdateCategory,
} from '../../../api/categories.ts';
import { useDepartments } from '../../../api/departments.ts';
import { PERSONAL_FIELDS, type PersonalField } from '../../../api/matters.ts';
import { useReportError } from '../../../app/errors.ts';
import { LoadError } from '../../../components/Results.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { useLocalName } from '../../../components/useLocalName.ts';
import { useMatterLabels } from '../../matters/labels.ts';

interface Values {
  nameZh: string;
  nameEn: string;
  defaultLevel?: CategoryLevel;
  defaultDepartmentCode?: string | null;
  limits?: Record<CategoryStep, { amount: number; unit: TimeUnit }>;
  requiredFields: RequiredField[];
  personalFields: PersonalField[];
  active: boolean;
}

type CategoryRow = Category & { children?: CategoryRow[] };

const isLevel = (v: string | null): v is CategoryLevel =>
  (CATEGORY_LEVELS as readonly string[]).includes(v ?? '');

function CategoryModal({ category, onClose }: { category: Category | null; onClose: () => void }) {
  const { t } = useTranslation();
  const name = useLocalName();
  const report = useReportError();
  const { message } = App.useApp();
  const update = useUpdateCategory();
  const departments = useDepartments();
  const [form] = useLocalizedForm<Values>();
  const leaf = category?.matterType !== null && category?.matterType !== undefined;

  useEffect(() => {
    if (!category) return;
    form.resetFields();
    const fallback = { amount: 1, unit: 'workdays' as TimeUnit };
    form.setFieldsValue({
      nameZh: category.nameZh,
      nameEn: category.nameEn,
      defaultLevel: isLevel(category.defaultLevel) ? category.defaultLevel : undefined,
      defaultDepartmentCode: category.defaultDepartmentCode,
      limits: Object.fromEntries(
        CATEGORY_STEPS.map((s) => [s, category.limits?.[s] ?? fallback]),
      ) as Values['limits'],
      requiredFields: category.requiredFields as RequiredField[],
      personalFields: category.personalFields as PersonalField[],
      active: category.active,
    });
  }, [category, form]);

  const submit = async (v: Values) => {
    if (!category) return;
    const body: UpdateCategoryBody = { nameZh: v.nameZh.trim(), nameEn: v.nameEn.trim(), active: v.active };
    if (leaf) {
      if (v.defaultLevel) body.defaultLevel = v.defaultLevel;
      body.defaultDepartmentCode = v.defaultDepartmentCode ?? null;
      if (v.limits) body.limits = v.limits;
      body.requiredFields = v.requiredFields;
      body.personalFields = v.personalFields;
    }
    try {
      await update.mutateAsync({ id: category.id, ...body });
      void message.success(t('category.saved'));
      onClose();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={category !== null}
      title={category ? t('category.editTitle', { name: name(category.nameZh, category.nameEn) }) : ''}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
      okButtonProps={{ 'data-testid': 'category-submit' }}
      width={640}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="nameZh"
              label={t('category.nameZh')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={64} data-testid="category-name-zh" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="nameEn"
              label={t('category.nameEn')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={64} data-testid="category-name-en" />
            </Form.Item>
          </Col>
        </Row>
        {leaf && (
          <>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="defaultLevel" label={t('category.defaultLevel')}>
                  <Select
                    data-testid="category-level"
                    options={CATEGORY_LEVELS.map((l) => ({ value: l, label: t(`level.${l}`) }))}
                  />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                <Form.Item name="defaultDepartmentCode" label={t('category.defaultDepartment')}>
                  <Select
                    data-testid="category-department"
                    allowClear
                    placeholder={t('category.noDepartment')}
                    options={(departments.data ?? []).map((d) => ({
                      value: d.code,
                      label: name(d.nameZh, d.nameEn),
                    }))}
                  />
                </Form.Item>
              </Col>
            </Row>
            <Typography.Text strong>{t('category.limits')}</Typography.Text>
            <div className="gg-limits">
              {CATEGORY_STEPS.map((step) => (
                <div key={step} className="gg-limit-row">
                  <span className="gg-limit-label">{t(`deadline.stepShort.${step}`)}</span>
                  <Space.Compact>
                    <Form.Item name={['limits', step, 'amount']} noStyle rules={[{ required: true }]}>
                      <InputNumber
                        min={1}
                        max={100000}
                        precision={0}
                        data-testid={`category-limit-${step}`}
                      />
                    </Form.Item>
                    <Form.Item name={['limits', step, 'unit']} noStyle>
                      <Select
                        className="gg-limit-unit"
                        data-testid={`category-unit-${step}`}
                        options={TIME_UNITS.map((u) => ({ value: u, label: t(`unit.${u}`) }))}
                      />
                    </Form.Item>
                  </Space.Compact>
                </div>
              ))}
            </div>
            <Form.Item name="requiredFields" label={t('category.requiredFields')}>
              <Checkbox.Group
                data-testid="category-required"
                options={REQUIRED_FIELDS.map((f) => ({ value: f, label: t(`category.required.${f}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="personalFields"
              label={t('category.personalFields')}
              extra={t('category.personalHint')}
            >
              <Checkbox.Group
                data-testid="category-personal"
                options={PERSONAL_FIELDS.map((f) => ({ value: f, label: t(`party.field.${f}`) }))}
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="active" label={t('category.active')} valuePropName="checked">
          <Switch data-testid="category-form-active" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 分类设置: the taxonomy with each step's time limit, levels, departments and the fields collected. */
export function CategoriesPage() {
  const { t } = useTranslation();
  const name = useLocalName();
  const labels = useMatterLabels();
  const report = useReportError();
  const categories = useCategories();
  const departments = useDepartments();
  const update = useUpdateCategory();
  const [editing, setEditing] = useState<Category | null>(null);

  const rows: CategoryRow[] = groupCategories(categories.data ?? []).map(({ group, children }) => ({
    ...group,
    children: children.length ? children : undefined,
  }));
  const departmentName = (code: string | null) => {
    if (!code) return '—';
    const d = departments.data?.find((x) => x.code === code);
    return d ? name(d.nameZh, d.nameEn) : code;
  };

  const columns: ColumnsType<CategoryRow> = [
    {
      key: 'name',
      title: t('category.name'),
      width: 240,
      render: (_v, c) => (
        <div className="gg-cell-stack">
          <span>{name(c.nameZh, c.nameEn)}</span>
          <span className="gg-perm-code">{c.code}</span>
        </div>
      ),
    },
    {
      key: 'type',
      title: t('matter.type'),
      width: 90,
      render: (_v, c) => (c.matterType ? labels.type(c.matterType as MatterType) : '—'),
    },
    {
      key: 'level',
      title: t('category.defaultLevel'),
      width: 110,
      render: (_v, c) => (isLevel(c.defaultLevel) ? t(`level.${c.defaultLevel}`) : '—'),
    },
    {
      key: 'department',
      title: t('category.defaultDepartment'),
      width: 120,
      render: (_v, c) => (c.matterType ? departmentName(c.defaultDepartmentCode) : '—'),
    },
    {
      key: 'limits',
      title: t('category.limits'),
      width: 220,
      render: (_v, c) =>
        c.limits ? (
          <div className="gg-limit-cells">
            {CATEGORY_STEPS.map((s) => {
              const l = c.limits?.[s];
              return (
                <span key={s}>
                  {t(`deadline.stepShort.${s}`)} {l ? `${l.amount} ${t(`unit.${l.unit as TimeUnit}`)}` : '—'}
                </span>
              );
            })}
          </div>
        ) : (
          '—'
        ),
    },
    {
      key: 'fields',
      title: t('category.fields'),
      width: 220,
      render: (_v, c) =>
        c.matterType ? (
          <Space size={[4, 4]} wrap>
            {(c.requiredFields as RequiredField[]).map((f) => (
              <Tag key={f} color="blue">
                {t(`category.required.${f}`)}
              </Tag>
            ))}
            {(c.personalFields as PersonalField[]).map((f) => (
              <Tag key={f} color="purple">
                {t(`party.field.${f}`)}
              </Tag>
            ))}
          </Space>
        ) : (
          '—'
        ),
    },
    {
      key: 'active',
      title: t('category.active'),
      width: 80,
      render: (_v, c) => (
        <Switch
          size="small"
          checked={c.active}
          loading={update.isPending && update.variables?.id === c.id}
          data-testid={`category-active-${c.code}`}
          onChange={async (active) => {
            try {
              await update.mutateAsync({ id: c.id, active });
            } catch (error) {
              report(error);
            }
          }}
        />
      ),
    },
    {
      key: 'edit',
      title: t('common.actions'),
      width: 80,
      fixed: 'right',
      render: (_v, c) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => setEditing(c)}
          data-testid={`category-edit-${c.code}`}
        >
          {t('common.edit')}
        </Button>
      ),
    },
  ];

  return (
    <Card title={t('category.title')}>
      <Typography.Paragraph type="secondary">{t('category.hint')}</Typography.Paragraph>
      {categories.isError ? (
        <LoadError error={categories.error} onRetry={() => void categories.refetch()} />
      ) : (
        <Table<CategoryRow>
          data-testid="categories-table"
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={categories.isPending}
          pagination={false}
          expandable={{ defaultExpandAllRows: true }}
          scroll={{ x: 1160 }}
          key={rows.length}
        />
      )}
      <CategoryModal category={editing} onClose={() => setEditing(null)} />
    </Card>
  );
}
