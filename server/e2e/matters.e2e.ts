import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASE_URL, launch, screenshot, signInAs } from './browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
});
afterAll(async () => browser?.close());

async function newPage(width = 1440, height = 900): Promise<Page> {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: { width, height },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return context.newPage();
}

async function photo(seed: number) {
  const buffer = await sharp({
    create: { width: 320, height: 240, channels: 3, background: { r: 40 * seed, g: 120, b: 90 } },
  })
    .jpeg()
    .toBuffer();
  return { name: `现场照片${seed}.jpg`, mimeType: 'image/jpeg', buffer };
}

async function matterState(page: Page, id: number) {
  const res = await page.request.get(`/api/matters/${id}`);
  return (await res.json()) as {
    state: string;
    attachments: unknown[];
    events: { action: string; refs: { department?: { nameZh: string } } }[];
  };
}

async function act(page: Page, name: string, fill?: (p: Page) => Promise<void>) {
  await page.getByTestId(`matter-action-${name}`).click();
  await page.getByTestId('matter-action-submit').waitFor();
  await fill?.(page);
  await page.getByTestId('matter-action-submit').click();
  await page.getByTestId('matter-action-submit').waitFor({ state: 'detached', timeout: 20_000 });
}

describe('a matter from a grid worker’s phone to closure', () => {
  const title = `路面塌陷 ${Date.now() % 100000}`;
  let id = 0;

  it('the grid worker reports with a photo on a phone-sized window', async () => {
    const gw = await newPage(375, 812);
    await signInAs(gw, 'gridworker1');
    await gw.goto('/report');
    await gw.getByTestId('report-category').click();
    await gw.keyboard.type('道路设施破损');
    await gw.waitForTimeout(300);
    await gw.keyboard.press('Enter');
    await gw.getByTestId('report-title').fill(title);
    await gw.getByTestId('report-description').fill('村道中段路面塌陷约一米见方，影响通行。');
    const map = gw.getByTestId('report-map');
    await gw.waitForTimeout(1000);
    const box = await map.boundingBox();
    await map.click({ position: { x: (box?.width ?? 200) / 2, y: (box?.height ?? 200) / 2 } });
    await gw.getByTestId('report-grid-found').waitFor({ timeout: 10_000 });
    await gw.getByTestId('report-photo').setInputFiles([await photo(1)]);
    await screenshot(gw, 'matter-1-report-phone');
    await gw.getByTestId('report-submit').click();
    const anyway = gw.getByTestId('report-submit-anyway');
    if (
      await anyway.waitFor({ timeout: 2500 }).then(
        () => true,
        () => false,
      )
    )
      await anyway.click();
    await expect
      .poll(
        async () => {
          const res = await gw.request.get(`/api/matters?q=${encodeURIComponent(title)}`);
          const items = (await res.json()).items as { id: number }[];
          id = items[0]?.id ?? 0;
          return id > 0 ? (await matterState(gw, id)).attachments.length : 0;
        },
        { timeout: 30_000 },
      )
      .toBe(1);
    await gw.waitForTimeout(500);
    await screenshot(gw, 'matter-2-reported-phone');
  });

  it('the town dispatcher dispatches it to the suggested department', async () => {
    const town = await newPage();
    await signInAs(town, 'town1');
    await town.goto('/dispatch');
    await town.getByTestId(`dispatch-to-${id}`).click();
    await town.getByTestId('dispatch-suggestions').waitFor({ timeout: 10_000 });
    await screenshot(town, 'matter-3-dispatch-desk');
    await town.locator('[data-testid^="dispatch-suggestion-d"]').first().click();
    await town.getByTestId('dispatch-submit').click();
    await town.getByTestId('dispatch-submit').waitFor({ state: 'detached', timeout: 20_000 });
    expect((await matterState(town, id)).state).toBe('dispatched');
  });

  it('the county command centre issues a supervision order; the timeline names the issuing level', async () => {
    const county = await newPage();
    await signInAs(county, 'county');
    await county.goto(`/matters/${id}`);
    await county.getByTestId('matter-detail').waitFor();
    await county.getByTestId('matter-action-supervise').click();
    await county.getByTestId('supervise-reason').fill('群众反映强烈，请加快处置并按时反馈。');
    await county.getByTestId('supervise-submit').click();
    await county.getByTestId('supervise-submit').waitFor({ state: 'detached', timeout: 20_000 });
    await county.getByTestId('matter-supervisions').waitFor();
    const line = county.locator('[data-action="supervise"] [data-line="issuer"]');
    await expect.poll(() => line.textContent()).toContain('余杭区');
    await screenshot(county, 'matter-3b-supervised');
  });

  it('the department signs for it and handles it with a photo, on a phone', async () => {
    const dept = await newPage(375, 812);
    await signInAs(dept, 'dept.zhujian');
    await dept.goto(`/matters/${id}`);
    await dept.getByTestId('matter-detail').waitFor();
    await act(dept, 'sign');
    await act(dept, 'start');
    const photoFile = await photo(2);
    await act(dept, 'handle', async (p) => {
      await p.getByTestId('action-result').fill('已对塌陷路面回填并重新铺装，现场恢复通行。');
      await p.getByTestId('action-photos').setInputFiles([photoFile]);
      await p.waitForTimeout(300);
    });
    await expect.poll(async () => (await matterState(dept, id)).state).toBe('handled');
    await screenshot(dept, 'matter-4-handled-phone');
  });

  it('the village verifies and the matter closes, with every step on its timeline', async () => {
    const village = await newPage();
    await signInAs(village, 'village1');
    await village.goto(`/matters/${id}`);
    await village.getByTestId('matter-detail').waitFor();
    await act(village, 'verify_pass');
    const detail = await matterState(village, id);
    expect(detail.state).toBe('closed');
    expect(detail.events.map((e) => e.action)).toEqual(
      expect.arrayContaining(['report', 'accept', 'dispatch', 'sign', 'start', 'handle', 'verify_pass']),
    );
    expect(detail.attachments.length).toBe(2);
    await village.getByTestId('matter-timeline').waitFor();
    await village.waitForTimeout(500);
    await screenshot(village, 'matter-5-closed');

    // The timeline names where the matter was sent, as the server resolved it.
    const department = detail.events.find((e) => e.action === 'dispatch')?.refs.department?.nameZh;
    expect(department).toBeTruthy();
    const sentTo = village.locator('[data-action="dispatch"] [data-line="to"]');
    expect(await sentTo.textContent()).toBe(`分拨至${department}`);
    await village.getByTestId('matter-timeline').scrollIntoViewIfNeeded();
    await village.waitForTimeout(300);
    await screenshot(village, 'matter-5-timeline');

    const thumbs = village.locator('.gg-thumbs img');
    const shown = await thumbs.evaluateAll((imgs) =>
      (imgs as HTMLImageElement[]).map((i) => ({ src: i.getAttribute('src'), loaded: i.naturalWidth > 0 })),
    );
    expect(shown.length).toBeGreaterThanOrEqual(2);
    for (const t of shown)
      expect(t).toEqual({ src: expect.stringMatching(/^\/api\/attachments\/\d+\/thumbnail$/), loaded: true });
    await thumbs.first().click();
    const full = village.locator('.ant-image-preview-img');
    await expect
      .poll(() => full.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth > 0))
      .toBe(true);
    expect(await full.getAttribute('src')).toMatch(/^\/api\/attachments\/\d+$/);
    await village.waitForTimeout(500);
    await screenshot(village, 'matter-6-photo-enlarged');
  });
});
