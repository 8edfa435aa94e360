import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useNavigate, useRouteError } from 'react-router-dom';
import { errorText } from '../app/errors.ts';

export function Forbidden() {
  const { t } = useTranslation();
  return <Result status="403" title={t('result.forbiddenTitle')} subTitle={t('result.forbidden')} />;
}

export function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('result.notFoundTitle')}
      subTitle={t('result.notFound')}
      extra={
        <Button type="primary" onClick={() => navigate('/')}>
          {t('common.backHome')}
        </Button>
      }
    />
  );
}

/** An error that a query could not recover from, shown in place of the page body. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Result
      status="warning"
      title={t('result.loadFailed')}
      subTitle={errorText(t, error)}
      extra={onRetry ? <Button onClick={onRetry}>{t('common.retry')}</Button> : undefined}
    />
  );
}

export function RouteError() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFound />;
  return (
    <Result
      status="500"
      title={t('result.crashTitle')}
      subTitle={t('result.crash')}
      extra={
        <Button type="primary" onClick={() => window.location.assign('/')}>
          {t('common.reload')}
        </Button>
      }
    />
  );
}
