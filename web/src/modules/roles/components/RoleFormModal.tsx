import { classifyPermissions } from '@gridgov/common/permissions';
import { Alert, Card, Checkbox, Col, Form, Input, Modal, Row, Skeleton } from 'antd';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { type Role, usePermissionCatalogue, useSaveRole } from '../../../api/roles.ts';
import { useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { permissionLabel } from '../permissionLabel.ts';

interface Values {
  name: string;
  nameEn?: string;
  description?: string;
  permissions: string[];
}

export type RoleFormMode = { kind: 'create' } | { kind: 'edit'; role: Role };

const KIND_ORDER = ['shared', 'business', 'system', 'security', 'audit'];

/** Create or edit a custom role: names, description, and a permission checklist grouped by kind. */
export function RoleFormModal({ mode, onClose }: { mode: RoleFormMode | null; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<Values>();
  const catalogue = usePermissionCatalogue();
  const save = useSaveRole();
  const report = useReportError();
  const chosen = Form.useWatch('permissions', form) ?? [];
  const verdict = chosen.length > 0 ? classifyPermissions(chosen) : null;

  useEffect(() => {
    if (!mode) return;
    form.resetFields();
    if (mode.kind === 'edit') {
      const { name, nameEn, description, permissions } = mode.role;
      form.setFieldsValue({ name, nameEn: nameEn ?? '', description: description ?? '', permissions });
    }
  }, [mode, form]);

  const groups = useMemo(() => {
    const byKind = new Map<string, string[]>();
    for (const p of catalogue.data ?? []) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p.permission]);
    return [...byKind].sort(
      ([a], [b]) => (KIND_ORDER.indexOf(a) + 1 || 99) - (KIND_ORDER.indexOf(b) + 1 || 99),
    );
  }, [catalogue.data]);

  const submit = async (values: Values) => {
    try {
      await save.mutateAsync({
        id: mode?.kind === 'edit' ? mode.role.id : undefined,
        name: values.name.trim(),
        nameEn: values.nameEn?.trim() ?? '',
        description: values.description?.trim() ?? '',
        permissions: values.permissions,
      });
      onClose();
    } catch (error) {
      report(error, form);
    }
  };

  return (
    <Modal
      open={mode !== null}
      title={mode?.kind === 'edit' ? t('role.editTitle', { name: mode.role.name }) : t('role.createTitle')}
      okText={t('common.save')}
      okButtonProps={{ disabled: verdict !== null && 'error' in verdict }}
      onOk={() => form.submit()}
      onCancel={onClose}
      confirmLoading={save.isPending}
      width={760}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        requiredMark="optional"
        initialValues={{ permissions: [] }}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="name"
              label={t('role.name')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={64} data-testid="role-name" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="nameEn" label={t('role.nameEn')}>
              <Input maxLength={64} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('role.description')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
        {verdict && 'error' in verdict && (
          <Alert type="error" showIcon title={t('role.mixedKinds')} className="gg-form-alert" />
        )}
        {verdict && 'kind' in verdict && (
          <Alert
            type="info"
            showIcon
            title={t('role.resultingKind', { kind: t(`roleKind.${verdict.kind}`) })}
            className="gg-form-alert"
          />
        )}
        <Form.Item
          name="permissions"
          label={t('role.permissions')}
          rules={[{ required: true, type: 'array', min: 1, message: t('role.permissionsRequired') }]}
        >
          {catalogue.isPending ? (
            <Skeleton active />
          ) : (
            <Checkbox.Group className="gg-full-width">
              <div className="gg-perm-groups">
                {groups.map(([kind, permissions]) => (
                  <Card key={kind} size="small" title={t(`roleKind.${kind}`, { defaultValue: kind })}>
                    <div className="gg-perm-list">
                      {permissions.map((p) => (
                        <Checkbox key={p} value={p} data-testid={`perm-${p}`}>
                          <span>{permissionLabel(t, p)}</span>
                          <span className="gg-perm-code">{p}</span>
                        </Checkbox>
                      ))}
                    </div>
                  </Card>
                ))}
              </div>
            </Checkbox.Group>
          )}
        </Form.Item>
      </Form>
    </Modal>
  );
}
