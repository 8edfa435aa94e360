import type { Browser, Page } from 'playwright-core';
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

describe('foundation in the browser', () => {
  it('the security administrator enrols TOTP, browses the tree and the map, and assigns a role', async () => {
    const page = await newPage();
    await signInAs(page, 'secadmin');
    await page.getByTestId('nav-grids').click();
    await page.getByTestId('grid-tree').waitFor();
    await page.getByTestId('grid-detail').getByText('余杭区').first().waitFor();
    const polygons = page.locator('[data-testid="grid-map"] path.leaflet-interactive');
    await expect.poll(() => polygons.count()).toBeGreaterThan(5);
    await expect.poll(() => page.getByTestId('grid-map-synthetic').count()).toBe(1);
    await polygons.nth(1).click({ force: true });
    await page.getByTestId('grid-breadcrumb').getByText('余杭区').waitFor();
    await expect.poll(() => polygons.count()).toBeGreaterThan(2);
    await screenshot(page, 'secadmin-grids-map');

    await page.getByTestId('nav-accounts').click();
    await page.getByTestId('account-roles-gridworker2').click();
    const drawer = page.getByTestId('assignments-drawer');
    await page.getByTestId('assign-role').click();
    await page.locator('.ant-select-item-option', { hasText: '村（社区）工作人员' }).first().click();
    await page.getByTestId('assign-grid').click();
    const root = page.locator('.ant-select-tree-treenode', { hasText: '余杭区' }).first();
    await root.locator('.ant-select-tree-switcher').click();
    await page.locator('.ant-select-tree-node-content-wrapper', { hasText: '仁和街道' }).first().click();
    await page.getByTestId('assign-submit').click();
    await drawer.getByTestId('assignments-list').getByText('仁和街道').waitFor();
    await screenshot(page, 'secadmin-assign-role');
  });

  it('a grid worker on a phone, after the forced password change, sees only their own grid', async () => {
    const page = await newPage(375, 812);
    await signInAs(page, 'gridworker1');
    await page.goto('/grids');
    const tree = page.getByTestId('grid-tree');
    await tree.waitFor();
    await tree.getByText('第1网格').first().waitFor();
    const titles = await tree.locator('[data-grid-id]').allTextContents();
    expect(titles).toHaveLength(1);
    expect(titles[0]).toContain('第1网格');
    await screenshot(page, 'gridworker-phone-grid');
    const res = await page.request.get('/api/grids/roots');
    const roots = (await res.json()) as { level: string }[];
    expect(roots.map((r) => r.level)).toEqual(['grid']);
  });
});
