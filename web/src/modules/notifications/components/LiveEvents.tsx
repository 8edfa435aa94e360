import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { ME_KEY } from '../../../api/auth.ts';
import { matterKeys } from '../../../api/matters.ts';
import { notificationKeys } from '../../../api/notifications.ts';

const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 60_000;

/**
 * Listens to `GET /api/events` while signed in. A notification or matter event refreshes the inbox, the
 * to-do counts, the lists and the matter it names; `resync` (events may have been missed) refreshes
 * everything about matters. The browser reconnects by itself after a network error; when the stream
 * is closed for good (`end`, or a refused reconnect) the session is checked and, if it still lives, a
 * new stream is opened with a growing delay.
 */
export function LiveEvents() {
  const queryClient = useQueryClient();

  useEffect(() => {
    if (typeof EventSource === 'undefined') return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let delay = FIRST_RETRY_MS;
    let stopped = false;
    let hadError = false;

    const refreshAll = () => {
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      void queryClient.invalidateQueries({ queryKey: matterKeys.all });
    };
    const onEvent = (event: MessageEvent<string>) => {
      let matterId: number | null = null;
      try {
        const data = JSON.parse(event.data) as { matterId?: number | null };
        matterId = typeof data.matterId === 'number' ? data.matterId : null;
      } catch {
        // an event without a body still means "something changed"
      }
      void queryClient.invalidateQueries({ queryKey: notificationKeys.all });
      void queryClient.invalidateQueries({ queryKey: matterKeys.todo() });
      void queryClient.invalidateQueries({ queryKey: matterKeys.lists() });
      if (matterId !== null) void queryClient.invalidateQueries({ queryKey: matterKeys.detail(matterId) });
    };
    const reconnectLater = () => {
      source?.close();
      source = null;
      if (stopped) return;
      // A refused stream is often a session that has ended: asking /auth/me settles that.
      void queryClient.invalidateQueries({ queryKey: ME_KEY });
      timer = window.setTimeout(connect, delay);
      delay = Math.min(delay * 2, MAX_RETRY_MS);
    };
    function connect() {
      if (stopped) return;
      const es = new EventSource('/api/events');
      source = es;
      es.addEventListener('open', () => {
        delay = FIRST_RETRY_MS;
        if (hadError) refreshAll();
        hadError = false;
      });
      es.addEventListener('notification', onEvent);
      es.addEventListener('matter', onEvent);
      es.addEventListener('resync', refreshAll);
      es.addEventListener('end', reconnectLater);
      es.addEventListener('error', () => {
        hadError = true;
        if (es.readyState === EventSource.CLOSED) reconnectLater();
      });
    }
    const onOnline = () => {
      if (source === null) {
        window.clearTimeout(timer);
        delay = FIRST_RETRY_MS;
        connect();
      }
    };

    connect();
    window.addEventListener('online', onOnline);
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      window.removeEventListener('online', onOnline);
      source?.close();
    };
  }, [queryClient]);

  return null;
}
