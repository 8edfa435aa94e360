#!/usr/bin/env node
// Screenshots of the web app against a running server, at 1440×900 and 375×812, for people to look at.
//   BASE_URL=http://127.0.0.1:8091 DEMO_PASSWORD='Demo-Admin-2026!' node web/scripts/screenshots.mjs [only…]
// Demo accounts change their password and enrol TOTP on first sign-in; the new password and the TOTP
// secrets are kept in $OUT/accounts.json so that later runs sign in again. Not a test: it only drives pages.
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8091';
const OUT = process.env.OUT ?? '/tmp/gg-shots';
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-Admin-2026!';
const NEW_PASSWORD = process.env.NEW_PASSWORD ?? 'Shot-Pass-2026!x';
const ONLY = process.argv.slice(2);
mkdirSync(OUT, { recursive: true });
const STATE_FILE = join(OUT, 'accounts.json');
const state = existsSync(STATE_FILE) ? JSON.parse(readFileSync(STATE_FILE, 'utf8')) : {};
const saveState = () => writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

const DESKTOP = { viewport: { width: 1440, height: 900 } };
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

function base32(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

/** RFC 6238 with SHA-1, 6 digits, 30 s; waits for a fresh step when this account used the current one. */
async function totp(username, secret) {
  let step = Math.floor(Date.now() / 30_000);
  if (state[username]?.lastStep >= step) {
    await new Promise((r) => setTimeout(r, (step + 1) * 30_000 - Date.now() + 500));
    step = Math.floor(Date.now() / 30_000);
  }
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32(secret)).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  const code = ((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
  state[username] = { ...state[username], lastStep: step };
  return code;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-dev-shm-usage',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
});

const problems = [];
async function newPage(device, lang = 'zh-CN') {
  const context = await browser.newContext({ ...device, locale: lang, baseURL: BASE });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('gridgov.lang')) localStorage.setItem('gridgov.lang', l);
  }, lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.text().includes('401 (Unauthorized)')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${m.text()}`);
  });
  return page;
}

async function shot(page, name) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
  console.log(`  ${name}.png`);
}

/** Resolves to `value` once the test id is visible; never settles otherwise (for Promise.race). */
function seen(page, testId, value) {
  return page
    .getByTestId(testId)
    .first()
    .waitFor({ timeout: 60_000 })
    .then(
      () => value,
      () => new Promise(() => {}),
    );
}

/** Signs in through whatever stages the server asks for; screenshots each stage the first time. */
async function signIn(page, username, tag) {
  await page.goto('/login');
  const password = state[username]?.password ?? DEMO_PASSWORD;
  let typed = false;
  for (let i = 0; i < 7; i++) {
    const which = await Promise.race([
      seen(page, 'login-username', 'login'),
      seen(page, 'nav-menu', 'app'),
      seen(page, 'nav-toggle', 'app'),
      seen(page, 'totp-code', 'totp'),
      seen(page, 'pw-current', 'password'),
      seen(page, 'enrol-secret', 'enroll'),
      seen(page, 'login-error', 'error'),
    ]);
    if (which === 'login') {
      if (typed) throw new Error(`${username}: back at the sign-in form`);
      typed = true;
      await page.getByTestId('login-username').fill(username);
      await page.getByTestId('login-password').fill(password);
      await page.getByTestId('login-submit').click();
      await page
        .getByTestId('login-username')
        .waitFor({ state: 'detached' })
        .catch(() => undefined);
      continue;
    }
    if (which === 'app') return;
    if (which === 'error')
      throw new Error(`${username}: ${await page.getByTestId('login-error').textContent()}`);
    if (which === 'password') {
      if (tag) await shot(page, `${tag}-stage-password`);
      await page.getByTestId('pw-current').fill(password);
      await page.getByTestId('pw-new').fill(NEW_PASSWORD);
      await page.getByTestId('pw-confirm').fill(NEW_PASSWORD);
      await page.getByTestId('pw-submit').click();
      await page.getByTestId('pw-current').waitFor({ state: 'detached' });
      state[username] = { ...state[username], password: NEW_PASSWORD };
      saveState();
    }
    if (which === 'enroll') {
      await page.getByTestId('enrol-qr').waitFor();
      if (tag) await shot(page, `${tag}-stage-enrol`);
      const secret = ((await page.getByTestId('enrol-secret').textContent()) ?? '').trim();
      state[username] = { ...state[username], secret };
      await page.getByTestId('enrol-code').fill(await totp(username, secret));
      saveState();
      await page.getByTestId('enrol-submit').click();
      await page.getByTestId('enrol-secret').waitFor({ state: 'detached' });
    }
    if (which === 'totp') {
      if (tag) await shot(page, `${tag}-stage-totp`);
      await page.getByTestId('totp-code').fill(await totp(username, state[username].secret));
      saveState();
      await page.getByTestId('totp-submit').click();
      await page.getByTestId('totp-code').waitFor({ state: 'detached' });
    }
  }
  throw new Error(`${username}: sign-in did not finish`);
}

const scenarios = {
  async errors() {
    const page = await newPage(DESKTOP);
    await page.goto('/login');
    await page.getByTestId('login-username').fill('nobody');
    await page.getByTestId('login-password').fill('wrong-password');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    await shot(page, 'signin-error');
    const fresh = ['gridworker2', 'village1', 'village2', 'town1', 'town2'].find((u) => !state[u]?.password);
    if (fresh) {
      await page.getByTestId('login-username').fill(fresh);
      await page.getByTestId('login-password').fill(DEMO_PASSWORD);
      await page.getByTestId('login-submit').click();
      await page.getByTestId('pw-current').waitFor();
      await page.getByTestId('pw-new').fill('password');
      await page.getByTestId('pw-confirm').fill('password');
      await page.getByTestId('pw-submit').click();
      await page.locator('.ant-form-item-explain-error').first().waitFor();
      await shot(page, 'password-policy-errors');
      await page.getByTestId('lang-en').click();
      await shot(page, 'password-policy-errors-en');
      await page.getByTestId('lang-zh').click();
      await signIn(page, fresh);
      await page.context().clearCookies();
    }
    await signIn(page, 'gridworker2');
    await page.goto('/grids');
    await page.getByTestId('grid-detail').locator('.ant-descriptions').waitFor();
    await page.context().clearCookies();
    await page.getByTestId('grid-search').fill('第');
    await page.getByTestId('session-expired').waitFor();
    await shot(page, 'session-expired');
    await page.close();
  },

  async signin() {
    for (const [device, suffix] of [
      [DESKTOP, 'desktop'],
      [PHONE, 'phone'],
    ]) {
      const page = await newPage(device);
      await page.goto('/login');
      await page.getByTestId('login-username').waitFor();
      await shot(page, `signin-${suffix}`);
      await page.getByTestId('login-submit').click();
      await shot(page, `signin-${suffix}-required`);
      await page.getByTestId('lang-en').click();
      await shot(page, `signin-${suffix}-en`);
      await page.close();
    }
  },

  async sysadmin() {
    const page = await newPage(DESKTOP);
    await signIn(page, 'sysadmin', 'sysadmin');
    await page.goto('/grids');
    await page.getByTestId('grid-detail').locator('.ant-descriptions').waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'grids-desktop');
    // Drill down on the map: click the first child polygon.
    const child = page.locator('[data-testid="grid-map"] path.leaflet-interactive').nth(1);
    if (await child.count()) {
      await child.click({ force: true });
      await page.waitForTimeout(1200);
      await shot(page, 'grids-desktop-drill');
    }
    await page.getByTestId('grid-search').fill('顾家桥');
    await page.waitForTimeout(900);
    await shot(page, 'grids-desktop-search');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.waitForTimeout(1200);
    await shot(page, 'grids-desktop-search-selected');
    if (await page.getByTestId('grid-add-child').count()) {
      await page.getByTestId('grid-add-child').click();
      await shot(page, 'grids-desktop-add-child');
      await page.keyboard.press('Escape');
    }
    if (await page.getByTestId('grid-staff').count()) {
      await page.getByTestId('grid-staff').click();
      await shot(page, 'grids-desktop-staff');
      await page.keyboard.press('Escape');
    }
    await page.goto('/accounts');
    await page.getByTestId('accounts-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'accounts-desktop');
    await page.getByTestId('account-create').click();
    await page.getByTestId('account-username').fill(`shot${Date.now() % 100000}`);
    await page.getByTestId('account-display-name').fill('截图测试');
    await page.getByTestId('account-home-grid').click();
    await page.waitForTimeout(500);
    await shot(page, 'accounts-desktop-create');
    await page.locator('.ant-select-tree-node-content-wrapper').first().click();
    await page.getByTestId('account-create-submit').click();
    await page.getByTestId('initial-password').waitFor();
    await shot(page, 'accounts-desktop-initial-password');
    await page.getByTestId('initial-password-done').click();
    await page.goto('/departments');
    await page.getByTestId('departments-table').waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'departments-desktop');
    await page.getByTestId('lang-en').click();
    await shot(page, 'departments-desktop-en');
    await page.goto('/grids');
    await page.getByTestId('grid-detail').locator('.ant-descriptions').waitFor();
    await page.waitForTimeout(800);
    await shot(page, 'grids-desktop-en');
    await page.close();

    const phone = await newPage(PHONE);
    await signIn(phone, 'sysadmin');
    await phone.goto('/grids');
    await phone.getByTestId('grid-detail').locator('.ant-descriptions').waitFor();
    await phone.waitForTimeout(800);
    await shot(phone, 'grids-phone');
    await phone.screenshot({ path: join(OUT, 'grids-phone-full.png'), fullPage: true });
    await phone.getByTestId('nav-toggle').click();
    await shot(phone, 'nav-phone-drawer');
    await phone.keyboard.press('Escape');
    await phone.goto('/accounts');
    await phone.getByTestId('accounts-table').locator('.ant-table-row').first().waitFor();
    await shot(phone, 'accounts-phone');
    await phone.close();
  },

  async secadmin() {
    const page = await newPage(DESKTOP);
    await signIn(page, 'secadmin', 'secadmin');
    await page.goto('/roles');
    await page.getByTestId('roles-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'roles-desktop');
    await page.getByTestId('role-create').click();
    await page.getByTestId('role-name').fill('截图角色');
    await page.getByTestId('perm-matter.read').click();
    await page.getByTestId('perm-policy.manage').click();
    await shot(page, 'roles-desktop-create-mixed');
    await page.getByTestId('perm-policy.manage').click();
    await page.getByTestId('perm-grid.read').click();
    await page.getByTestId('role-name').fill(`截图角色${Date.now() % 10000}`);
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await page.getByTestId('role-name').waitFor({ state: 'hidden' });
    await page.waitForTimeout(600);
    await shot(page, 'roles-desktop-created');
    await page.goto('/accounts');
    await page.getByTestId('accounts-table').locator('.ant-table-row').first().waitFor();
    await page.getByTestId('account-roles-gridworker2').click();
    await page.getByTestId('assign-role').waitFor();
    await shot(page, 'accounts-desktop-assign');
    await page.getByTestId('assign-submit').click();
    await shot(page, 'accounts-desktop-assign-required');
    await page.keyboard.press('Escape');
    await page.goto('/policy');
    await page.getByTestId('policy-form').waitFor();
    await shot(page, 'policy-desktop');
    await page.close();

    const phone = await newPage(PHONE);
    await signIn(phone, 'secadmin');
    await phone.goto('/policy');
    await phone.getByTestId('policy-form').waitFor();
    await shot(phone, 'policy-phone');
    await phone.goto('/roles');
    await phone.getByTestId('roles-table').locator('.ant-table-row').first().waitFor();
    await shot(phone, 'roles-phone');
    await phone.close();
  },

  async auditadmin() {
    const page = await newPage(DESKTOP);
    await signIn(page, 'auditadmin', 'auditadmin');
    await page.goto('/audit');
    await page.getByTestId('audit-table').locator('.ant-table-row').first().waitFor();
    await shot(page, 'audit-desktop');
    await page.getByTestId('audit-verify').click();
    await page.getByTestId('audit-verify-result').waitFor();
    await shot(page, 'audit-desktop-verify');
    await page.close();
    const phone = await newPage(PHONE);
    await signIn(phone, 'auditadmin');
    await phone.goto('/audit');
    await phone.getByTestId('audit-table').locator('.ant-table-row').first().waitFor();
    await shot(phone, 'audit-phone');
    await phone.close();
  },

  async gridworker() {
    const phone = await newPage(PHONE);
    await signIn(phone, 'gridworker1', 'gridworker');
    await phone.goto('/grids');
    await phone.getByTestId('grid-detail').locator('.ant-descriptions').waitFor();
    await phone.waitForTimeout(800);
    await shot(phone, 'gridworker-grids-phone');
    await phone.goto('/me');
    await phone.getByTestId('profile-card').waitFor();
    await shot(phone, 'gridworker-me-phone');
    await phone.screenshot({ path: join(OUT, 'gridworker-me-phone-full.png'), fullPage: true });
    await phone.getByTestId('profile-enrol').click();
    await phone.getByTestId('enrol-qr').waitFor();
    await shot(phone, 'gridworker-me-enrol-phone');
    await phone.getByTestId('nav-toggle').click();
    await shot(phone, 'gridworker-nav-phone');
    await phone.close();
    const page = await newPage(DESKTOP);
    await signIn(page, 'gridworker1');
    await page.goto('/me');
    await page.getByTestId('profile-card').waitFor();
    await shot(page, 'gridworker-me-desktop');
    await page.goto('/accounts');
    await shot(page, 'gridworker-forbidden-desktop');
    await page.close();
  },
};

try {
  for (const [name, run] of Object.entries(scenarios)) {
    if (ONLY.length && !ONLY.includes(name)) continue;
    console.log(name);
    try {
      await run();
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
      console.log(`  FAILED: ${error instanceof Error ? error.message : error}`);
    }
  }
} finally {
  saveState();
  await browser.close();
}
if (problems.length) {
  console.log('\nProblems seen:');
  for (const p of [...new Set(problems)]) console.log(`  ${p}`);
}
