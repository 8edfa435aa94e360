// Helpers shared by the screenshot scripts: Chromium, pages at the two sizes, sign-in through every stage.
// The state file ($OUT/accounts.json) is the one screenshots.mjs keeps: changed passwords and TOTP secrets.
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const BASE = process.env.BASE_URL ?? 'http://127.0.0.1:8091';
export const OUT = process.env.OUT ?? '/tmp/gg-shots';
const DEMO_PASSWORD = process.env.DEMO_PASSWORD ?? 'Demo-Admin-2026!';
const NEW_PASSWORD = process.env.NEW_PASSWORD ?? 'Shot-Pass-2026!x';
mkdirSync(OUT, { recursive: true });
const STATE_FILE = join(OUT, 'accounts.json');
const state = existsSync(STATE_FILE) ? JSON.parse(readFileSync(STATE_FILE, 'utf8')) : {};
export const saveState = () => writeFileSync(STATE_FILE, JSON.stringify(state, null, 2));

export const DESKTOP = { viewport: { width: 1440, height: 900 } };
export const PHONE = {
  viewport: { width: 375, height: 812 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

function base32(secret) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase())
    bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(Number.parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}

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

export const problems = [];

export async function launch() {
  return chromium.launch({
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
}

export async function newPage(browser, device, lang = 'zh-CN') {
  const context = await browser.newContext({
    ...device,
    locale: lang,
    timezoneId: 'Asia/Shanghai',
    baseURL: BASE,
  });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('gridgov.lang')) localStorage.setItem('gridgov.lang', l);
  }, lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const text = m.text();
    if (text.includes('401 (Unauthorized)') || text.includes('409 (Conflict)')) return;
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console.${m.type()}: ${text}`);
  });
  return page;
}

export async function shot(page, name, fullPage = false) {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`  ${name}.png`);
}

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

/** Signs in through whatever stages the server asks for (password change, TOTP enrolment, TOTP). */
export async function signIn(page, username) {
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
      const secret = ((await page.getByTestId('enrol-secret').textContent()) ?? '').trim();
      state[username] = { ...state[username], secret };
      await page.getByTestId('enrol-code').fill(await totp(username, secret));
      saveState();
      await page.getByTestId('enrol-submit').click();
      await page.getByTestId('enrol-secret').waitFor({ state: 'detached' });
    }
    if (which === 'totp') {
      await page.getByTestId('totp-code').fill(await totp(username, state[username].secret));
      saveState();
      await page.getByTestId('totp-submit').click();
      await page.getByTestId('totp-code').waitFor({ state: 'detached' });
    }
  }
  throw new Error(`${username}: sign-in did not finish`);
}
