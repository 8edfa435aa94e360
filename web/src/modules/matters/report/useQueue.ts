import { useSyncExternalStore } from 'react';
import { queueStore } from './queue.ts';

/** The report queue as the interface sees it (pending, failed, recently sent). */
export function useReportQueue() {
  return useSyncExternalStore(queueStore.subscribe, queueStore.getSnapshot);
}
