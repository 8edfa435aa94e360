import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, screenshot, signInAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function phone(): Promise<Page> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width: 375, height: 812 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

const photo = async () => ({
  name: '离线照片.jpg',
  mimeType: 'image/jpeg',
  buffer: await sharp({ create: { width: 200, height: 150, channels: 3, background: '#8a5' } })
    .jpeg()
    .toBuffer(),
});

async function mattersTitled(page: Page, title: string) {
  const res = await page.request.get(`/api/matters?q=${encodeURIComponent(title)}`);
  return ((await res.json()).items as { id: number; title: string }[]).filter((m) => m.title === title);
}

describe('the phone report queue with poor signal', () => {
  it('a report made offline waits on the device; a lost answer is resent with its key and makes one matter', async () => {
    const gw = await phone();
    await signInAs(gw, 'gridworker2');
    await gw.goto('/report');
    const title = `离线上报 ${Date.now() % 100000}`;
    await gw.getByTestId('report-category').click();
    await gw.keyboard.type('道路设施破损');
    await gw.waitForTimeout(300);
    await gw.keyboard.press('Enter');
    await gw.getByTestId('report-title').fill(title);
    await gw.getByTestId('report-description').fill('桥头护栏断裂两米，需尽快修复。');
    const map = gw.getByTestId('report-map');
    await gw.waitForTimeout(1000);
    const box = await map.boundingBox();
    await map.click({ position: { x: (box?.width ?? 200) / 2, y: (box?.height ?? 200) / 2 } });
    await gw.getByTestId('report-grid-found').waitFor({ timeout: 10_000 });
    await gw.getByTestId('report-photo').setInputFiles([await photo()]);

    await gw.context().setOffline(true);
    await gw.getByTestId('report-submit').click();
    await gw.getByText('当前离线，已保存在本机').first().waitFor();
    const queue = gw.getByTestId('report-queue');
    await expect.poll(() => queue.getAttribute('data-count')).toBe('1');
    await screenshot(gw, 'report-offline-queued');

    // Back online, the first answer to the report is lost on the way back (the server did create the matter):
    // the queue must resend with the same Idempotency-Key and get that matter, not make a second one.
    const keys: string[] = [];
    let lost = false;
    await gw.route('**/api/matters', async (route) => {
      const request = route.request();
      if (request.method() !== 'POST') return route.fallback();
      keys.push(request.headers()['idempotency-key'] ?? '');
      if (lost) return route.fallback();
      lost = true;
      await route.fetch();
      await route.abort('connectionreset');
    });
    await gw.context().setOffline(false);

    await expect.poll(() => queue.getAttribute('data-count'), { timeout: 60_000 }).toBe('0');
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_\-:.]{1,64}$/);
    const made = await mattersTitled(gw, title);
    expect(made).toHaveLength(1);
    const detail = await (await gw.request.get(`/api/matters/${made[0]!.id}`)).json();
    expect(detail.attachments).toHaveLength(1);
    await screenshot(gw, 'report-offline-sent');
  });
});
