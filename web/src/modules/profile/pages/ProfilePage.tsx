import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Col, Descriptions, Row, Space, Tag } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ME_KEY } from '../../../api/auth.ts';
import { useSignedInMe } from '../../../app/auth.tsx';
import { PasswordChangeForm } from '../../auth/components/PasswordChangeForm.tsx';
import { TotpEnrolment } from '../../auth/components/TotpEnrolment.tsx';
import { ROLE_KIND_COLORS } from '../../roles/kinds.ts';
import { EmailSettingsCard } from '../components/EmailSettingsCard.tsx';

/** 我的: who I am, change my password, (re-)enrol my authenticator, my e-mail notifications. */
export function ProfilePage() {
  const { t } = useTranslation();
  const me = useSignedInMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [enrolling, setEnrolling] = useState(false);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={8}>
        <Card title={t('profile.title')} data-testid="profile-card">
          <Descriptions
            column={1}
            size="small"
            items={[
              { key: 'name', label: t('account.displayName'), children: me.displayName },
              {
                key: 'username',
                label: t('account.username'),
                children: <span className="gg-mono">{me.username}</span>,
              },
              { key: 'grid', label: t('account.homeGrid'), children: me.homeGrid.name },
              {
                key: 'kind',
                label: t('role.kind'),
                children: me.kind ? (
                  <Tag color={ROLE_KIND_COLORS[me.kind]}>{t(`roleKind.${me.kind}`)}</Tag>
                ) : (
                  '—'
                ),
              },
              {
                key: 'roles',
                label: t('account.roles'),
                children: me.roles.length ? (
                  <Space size={[4, 4]} wrap>
                    {me.roles.map((r) => (
                      <Tag key={r}>{r}</Tag>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
              },
              {
                key: 'idle',
                label: t('profile.idle'),
                children: t('profile.idleMinutes', { n: me.idleMinutes }),
              },
            ]}
          />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card title={t('profile.changePassword')}>
          <PasswordChangeForm
            onChanged={() => {
              void message.success(t('profile.passwordChanged'));
              void queryClient.invalidateQueries({ queryKey: ME_KEY });
            }}
          />
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <Card
          title={t('profile.totp')}
          extra={
            me.totpEnabled ? (
              <Tag color="success" icon={<SafetyCertificateOutlined />}>
                {t('profile.totpOn')}
              </Tag>
            ) : (
              <Tag>{t('profile.totpOff')}</Tag>
            )
          }
        >
          {enrolling ? (
            <Space orientation="vertical" className="gg-full-width">
              <TotpEnrolment
                onConfirmed={() => {
                  setEnrolling(false);
                  void message.success(t('profile.totpDone'));
                  void queryClient.invalidateQueries({ queryKey: ME_KEY });
                }}
              />
              <Button block onClick={() => setEnrolling(false)}>
                {t('common.cancel')}
              </Button>
            </Space>
          ) : (
            <Space orientation="vertical" className="gg-full-width">
              <p className="gg-muted-note">
                {me.totpEnabled ? t('profile.totpOnHint') : t('profile.totpOffHint')}
              </p>
              <Button type="primary" onClick={() => setEnrolling(true)} data-testid="profile-enrol">
                {me.totpEnabled ? t('profile.reenrol') : t('profile.enrol')}
              </Button>
            </Space>
          )}
        </Card>
      </Col>
      <Col xs={24} md={12} xl={8}>
        <EmailSettingsCard me={me} />
      </Col>
    </Row>
  );
}
