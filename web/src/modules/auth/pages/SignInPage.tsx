import { LockOutlined, UserOutlined } from '@ant-design/icons';
import type { SessionStage, StageResponse } from '@gridgov/common/schemas/auth';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Steps, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { fetchMe, ME_KEY, signIn, useMe, useSignOut, verifyTotp } from '../../../api/auth.ts';
import { isApiError } from '../../../api/client.ts';
import {
  clearSessionExpired,
  FullPageSpin,
  type LoginLocationState,
  wasSessionExpired,
} from '../../../app/auth.tsx';
import { errorText, useReportError } from '../../../app/errors.ts';
import { homePathFor } from '../../../app/nav.tsx';
import { BrandMark } from '../../../components/Brand.tsx';
import { LanguageSwitch } from '../../../components/LanguageSwitch.tsx';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { CODE_RULE, CodeInput } from '../components/CodeInput.tsx';
import { PasswordChangeForm } from '../components/PasswordChangeForm.tsx';
import { TotpEnrolment } from '../components/TotpEnrolment.tsx';

type Step = 'login' | Exclude<SessionStage, 'active'>;

function LoginForm({ onStage }: { onStage: (r: StageResponse, password: string) => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<{ username: string; password: string }>();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const submit = async (values: { username: string; password: string }) => {
    setBusy(true);
    setFailure(null);
    try {
      onStage(await signIn(values), values.password);
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        const locked = (error.details as { locked?: boolean } | undefined)?.locked;
        setFailure(locked ? t('auth.locked') : t('auth.badCredentials'));
      } else {
        setFailure(errorText(t, error));
      }
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={submit} size="large">
      {failure && (
        <Alert type="error" showIcon title={failure} className="gg-form-alert" data-testid="login-error" />
      )}
      <Form.Item
        name="username"
        label={t('auth.username')}
        rules={[{ required: true, whitespace: true, message: t('auth.usernameRequired') }]}
      >
        <Input
          data-testid="login-username"
          prefix={<UserOutlined />}
          autoComplete="username"
          autoCapitalize="none"
          autoFocus
        />
      </Form.Item>
      <Form.Item
        name="password"
        label={t('auth.password')}
        rules={[{ required: true, message: t('auth.passwordRequired') }]}
      >
        <Input.Password
          data-testid="login-password"
          prefix={<LockOutlined />}
          autoComplete="current-password"
        />
      </Form.Item>
      <Button type="primary" htmlType="submit" block loading={busy} data-testid="login-submit">
        {t('auth.signIn')}
      </Button>
    </Form>
  );
}

function TotpForm({ onStage }: { onStage: (r: StageResponse) => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<{ code: string }>();
  const [busy, setBusy] = useState(false);
  const report = useReportError();

  const submit = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      onStage(await verifyTotp(code));
    } catch (error) {
      if (isApiError(error) && error.status === 401) {
        form.setFields([{ name: 'code', errors: [t('auth.locked')] }]);
      } else {
        report(error, form);
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form form={form} layout="vertical" requiredMark={false} onFinish={submit}>
      <Typography.Paragraph type="secondary">{t('totp.prompt')}</Typography.Paragraph>
      <Form.Item
        name="code"
        label={t('totp.code')}
        rules={[{ required: true, ...CODE_RULE, message: t('totp.codeInvalid') }]}
      >
        <CodeInput testId="totp-code" autoFocus />
      </Form.Item>
      <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="totp-submit">
        {t('totp.verify')}
      </Button>
    </Form>
  );
}

/**
 * Sign-in: username and password, then whatever the server's stage asks for — a TOTP code,
 * a forced password change, a TOTP enrolment — until the session is active.
 */
export function SignInPage() {
  const { t } = useTranslation();
  const { data: me, isPending } = useMe();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const signOut = useSignOut();
  const state = (location.state ?? {}) as LoginLocationState;
  const [step, setStep] = useState<Step | null>(null);
  const [password, setPassword] = useState<string | undefined>(undefined);
  const [finishing, setFinishing] = useState(false);

  // A page reload in the middle of sign-in resumes at the server's stage.
  useEffect(() => {
    if (step === null && !isPending) setStep(me && me.stage !== 'active' ? me.stage : 'login');
  }, [step, isPending, me]);

  const onStage = async (result: StageResponse) => {
    clearSessionExpired();
    if (result.stage !== 'active') {
      setStep(result.stage);
      return;
    }
    setFinishing(true);
    const fresh = await queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 0 });
    setFinishing(false);
    if (!fresh) {
      setStep('login');
      return;
    }
    navigate(state.from && state.from !== '/login' ? state.from : homePathFor(fresh), { replace: true });
  };

  if (isPending || step === null) return <FullPageSpin />;
  if (me?.stage === 'active' && !finishing) {
    return <Navigate to={state.from ?? homePathFor(me)} replace />;
  }

  const restart = () =>
    signOut.mutate(undefined, {
      onSettled: () => {
        setPassword(undefined);
        setStep('login');
      },
    });

  const titles: Record<Step, string> = {
    login: t('auth.signInTitle'),
    totp: t('totp.title'),
    password: t('password.forcedTitle'),
    enroll: t('totp.enrolTitle'),
  };

  return (
    <div className="gg-signin">
      <div className="gg-signin-lang">
        <LanguageSwitch size="small" />
      </div>
      <div className="gg-signin-inner">
        <div className="gg-signin-brand">
          <BrandMark size={44} />
          <div>
            <Typography.Title level={3} className="gg-signin-title">
              {t('app.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
        </div>
        <Card className="gg-signin-card" title={titles[step]} data-testid={`signin-step-${step}`}>
          {wasSessionExpired() && step === 'login' && (
            <Alert
              type="warning"
              showIcon
              title={t('auth.sessionExpired')}
              className="gg-form-alert"
              data-testid="session-expired"
            />
          )}
          {step !== 'login' && (
            <Steps
              size="small"
              className="gg-signin-steps"
              current={1}
              responsive={false}
              items={[
                { title: t('auth.stepPassword') },
                { title: titles[step] },
                { title: t('auth.stepDone') },
              ]}
            />
          )}
          {step === 'login' && (
            <LoginForm
              onStage={(r, pw) => {
                setPassword(pw);
                void onStage(r);
              }}
            />
          )}
          {step === 'totp' && <TotpForm onStage={(r) => void onStage(r)} />}
          {step === 'password' && (
            <>
              <Alert type="info" showIcon title={t('password.forcedHint')} className="gg-form-alert" />
              <PasswordChangeForm
                initialCurrent={password}
                submitText={t('password.submitContinue')}
                onChanged={(r) => void onStage(r)}
              />
            </>
          )}
          {step === 'enroll' && (
            <>
              <Alert type="info" showIcon title={t('totp.enrolHint')} className="gg-form-alert" />
              <TotpEnrolment onConfirmed={(r) => void onStage(r)} />
            </>
          )}
          {step !== 'login' && (
            <Button
              type="link"
              block
              onClick={restart}
              className="gg-signin-restart"
              data-testid="signin-restart"
            >
              {t('auth.restart')}
            </Button>
          )}
        </Card>
        <Typography.Text type="secondary" className="gg-signin-foot">
          {t('auth.footer')}
        </Typography.Text>
      </div>
    </div>
  );
}
