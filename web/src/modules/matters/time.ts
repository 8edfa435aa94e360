import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs` while the component is mounted. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [intervalMs]);
  return now;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span of time in its two largest units: 2天3小时, 4小时12分, 8分30秒 (seconds only when asked). */
export function formatSpan(t: TFunction, ms: number, withSeconds = false): string {
  const span = Math.max(0, Math.abs(ms));
  const d = Math.floor(span / DAY);
  const h = Math.floor((span % DAY) / HOUR);
  const m = Math.floor((span % HOUR) / MINUTE);
  const s = Math.floor((span % MINUTE) / 1000);
  if (d > 0) return t('time.dh', { d, h });
  if (h > 0) return t('time.hm', { h, m });
  if (withSeconds) return t('time.ms', { m, s });
  return t('time.m', { m: Math.max(m, span > 0 ? 1 : 0) });
}
