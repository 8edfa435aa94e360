import type { StageResponse } from '@gridgov/common/schemas/auth';
import { Alert, Button, Form, Skeleton, Space, Typography } from 'antd';
import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { beginTotpEnrolment, confirmTotp, type TotpEnrolment as Enrolment } from '../../../api/auth.ts';
import { errorText, useReportError } from '../../../app/errors.ts';
import { useLocalizedForm } from '../../../components/useLocalizedForm.ts';
import { CODE_RULE, CodeInput } from './CodeInput.tsx';

/**
 * Starts a TOTP enrolment (a new secret from the server), shows it as a QR code and as text
 * for manual entry, and confirms it with a code from the authenticator app.
 */
export function TotpEnrolment({ onConfirmed }: { onConfirmed: (result: StageResponse) => void }) {
  const { t } = useTranslation();
  const [form] = useLocalizedForm<{ code: string }>();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [qr, setQr] = useState<string | null>(null);
  const [startError, setStartError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const started = useRef(false);
  const report = useReportError();

  const start = useCallback(async () => {
    setStartError(null);
    try {
      const result = await beginTotpEnrolment();
      setEnrolment(result);
      setQr(await QRCode.toDataURL(result.uri, { width: 208, margin: 1, errorCorrectionLevel: 'M' }));
    } catch (error) {
      setStartError(error);
    }
  }, []);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void start();
  }, [start]);

  const confirm = async ({ code }: { code: string }) => {
    setBusy(true);
    try {
      onConfirmed(await confirmTotp(code));
    } catch (error) {
      report(error, form);
    } finally {
      setBusy(false);
    }
  };

  if (startError) {
    return (
      <Alert
        type="error"
        showIcon
        title={errorText(t, startError)}
        action={<Button onClick={() => void start()}>{t('common.retry')}</Button>}
      />
    );
  }

  return (
    <Space orientation="vertical" size="middle" className="gg-full-width">
      <ol className="gg-steps-list">
        <li>{t('totp.stepInstall')}</li>
        <li>{t('totp.stepScan')}</li>
        <li>{t('totp.stepCode')}</li>
      </ol>
      <div className="gg-qr">
        {qr ? (
          <img src={qr} alt={t('totp.qrAlt')} width={208} height={208} data-testid="enrol-qr" />
        ) : (
          <Skeleton.Image active style={{ width: 208, height: 208 }} />
        )}
      </div>
      {enrolment && (
        <div className="gg-secret">
          <Typography.Text type="secondary">{t('totp.manual')}</Typography.Text>
          <Typography.Paragraph
            copyable={{ text: enrolment.secret, tooltips: [t('common.copy'), t('common.copied')] }}
          >
            <code className="gg-secret-code" data-testid="enrol-secret">
              {enrolment.secret}
            </code>
          </Typography.Paragraph>
        </div>
      )}
      <Form form={form} layout="vertical" requiredMark={false} onFinish={confirm}>
        <Form.Item
          name="code"
          label={t('totp.code')}
          rules={[{ required: true, ...CODE_RULE, message: t('totp.codeInvalid') }]}
        >
          <CodeInput testId="enrol-code" />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          block
          loading={busy}
          disabled={!enrolment}
          data-testid="enrol-submit"
        >
          {t('totp.confirm')}
        </Button>
      </Form>
    </Space>
  );
}
