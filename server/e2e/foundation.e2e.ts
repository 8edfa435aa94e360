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

describe('system settings in the browser', () => {
  it('the system administrator stores a webhook with a write-only secret and imports holiday overrides', async () => {
    const page = await newPage();
    await signInAs(page, 'sysadmin');
    await page.getByTestId('nav-settings').click();
    const card = page.getByTestId('settings-notifications');
    await card.waitFor();
    await page.getByTestId('settings-webhook-url').fill('http://127.0.0.1:9/hook');
    await page.getByTestId('settings-webhook-secret').fill('a-webhook-secret-of-32-characters');
    await page.getByTestId('settings-notifications-submit').click();
    await page.getByText('通知渠道已保存').first().waitFor();

    // Holiday overrides: a JSON file of the `gridgov holidays import` layout, merged by year, then saved.
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('settings-holidays-import').click();
    await (await chooser).setFiles({
      name: 'overrides-2027.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ holidays: ['2027-06-14'], workdays: ['2027-06-19'] })),
    });
    await page.getByTestId('settings-holidays-holidays').locator('[data-date="2027-06-14"]').waitFor();
    await page.getByTestId('settings-holidays-submit').click();
    await page.getByText('节假日调整已保存').first().waitFor();

    await page.reload();
    await expect
      .poll(() => page.getByTestId('settings-webhook-url').inputValue())
      .toBe('http://127.0.0.1:9/hook');
    // The secret never comes back; the form only says one is stored and offers to clear it.
    expect(await page.getByTestId('settings-webhook-secret').inputValue()).toBe('');
    await page.getByTestId('settings-webhook-secret-clear').waitFor();
    await page.getByTestId('settings-holidays-workdays').locator('[data-date="2027-06-19"]').waitFor();
    await screenshot(page, 'sysadmin-settings');

    const res = await page.request.get('/api/settings/holidays');
    expect(await res.json()).toMatchObject({ holidays: ['2027-06-14'], workdays: ['2027-06-19'] });
  });
});

describe('e-mail notifications in the browser', () => {
  it('a staff member sets a work e-mail and turns e-mail notifications on in 我的; the system administrator sees and edits it', async () => {
    const page = await newPage();
    await signInAs(page, 'gridworker1');
    await page.goto('/me');
    const card = page.getByTestId('profile-email-card');
    await card.waitFor();
    // Without an address the switch waits for one; a malformed address is refused on the field.
    expect(await page.getByTestId('profile-email-notify').isDisabled()).toBe(true);
    await page.getByTestId('profile-email').fill('gridworker1@yuhang');
    await page.getByTestId('profile-email-submit').click();
    await card.getByText('请输入有效的邮箱地址').waitFor();
    await page.getByTestId('profile-email').fill('gridworker1@yuhang.example.gov.cn');
    await page.getByTestId('profile-email-notify').click();
    await page.getByTestId('profile-email-submit').click();
    await page.getByText('邮件设置已保存').first().waitFor();
    await expect.poll(() => page.getByTestId('profile-email-state').getAttribute('data-on')).toBe('true');
    await screenshot(page, 'gridworker-profile-email');
    const me = await (await page.request.get('/api/auth/me')).json();
    expect(me).toMatchObject({ email: 'gridworker1@yuhang.example.gov.cn', emailNotifications: true });

    const admin = await newPage();
    await signInAs(admin, 'sysadmin');
    await admin.getByTestId('nav-accounts').click();
    await admin.getByTestId('accounts-search').locator('input').fill('gridworker1');
    await admin.getByTestId('accounts-search').locator('input').press('Enter');
    const cell = admin.getByTestId('account-email-gridworker1');
    await cell.getByText('gridworker1@yuhang.example.gov.cn').waitFor();
    await admin.getByTestId('account-email-on-gridworker1').waitFor();
    await admin.getByTestId('account-more-gridworker1').click();
    await admin.getByTestId('account-editEmail').click();
    await admin.getByTestId('account-email-input').fill('wgy1@yuhang.example.gov.cn');
    await admin.getByTestId('account-email-submit').click();
    await cell.getByText('wgy1@yuhang.example.gov.cn').waitFor();
    // The member's own switch stays on when the administrator corrects the address.
    await admin.getByTestId('account-email-on-gridworker1').waitFor();
    await screenshot(admin, 'sysadmin-accounts-email');
  });
});

describe('audit in the browser', () => {
  it('the audit administrator searches the log and verifies the chain with its anchors', async () => {
    const page = await newPage();
    await signInAs(page, 'auditadmin');
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor();
    await page.getByTestId('audit-action').fill('auth.login');
    await page.getByTestId('audit-search').click();
    await expect
      .poll(() => page.getByTestId('audit-table').locator('tbody tr.ant-table-row').count())
      .toBeGreaterThan(0);
    await page.getByTestId('audit-verify').click();
    const result = page.getByTestId('audit-verify-result');
    await result.waitFor({ timeout: 30_000 });
    expect(await result.getAttribute('data-ok')).toBe('true');
    await page.waitForTimeout(600); // the dialog's opening animation
    await screenshot(page, 'auditadmin-verify');
  });
});
