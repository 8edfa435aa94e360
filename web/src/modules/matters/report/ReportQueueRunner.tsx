import { useQueryClient } from '@tanstack/react-query';
import { App } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { invalidateMatter } from '../../../api/matters.ts';
import { useSignedInMe } from '../../../app/auth.tsx';
import { loadQueue, processQueue, queueStore } from './queue.ts';

const TICK_MS = 15_000;

/**
 * Sends queued reports in the background on every page of the signed-in app: at start, when the
 * device comes back online, and on a timer for items whose backoff has run out.
 */
export function ReportQueueRunner() {
  const me = useSignedInMe();
  const { message } = App.useApp();
  const { t } = useTranslation();
  const queryClient = useQueryClient();

  useEffect(() => {
    let alive = true;
    const kick = (force = false) => {
      if (alive) void processQueue(me.id, force);
    };
    void loadQueue().then(() => kick(true));
    const onOnline = () => kick(true);
    window.addEventListener('online', onOnline);
    const timer = window.setInterval(() => kick(), TICK_MS);
    const offSent = queueStore.onSent((r) => {
      void message.success({ content: t('report.sent', { code: r.code }), key: `sent-${r.key}` });
      invalidateMatter(queryClient);
    });
    return () => {
      alive = false;
      window.removeEventListener('online', onOnline);
      window.clearInterval(timer);
      offSent();
    };
  }, [me.id, message, t, queryClient]);

  return null;
}
