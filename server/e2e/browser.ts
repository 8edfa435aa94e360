import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { totpCode } from '../src/modules/auth/totp.ts';

export const BASE_URL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8080';
export const DEMO_PASSWORD = process.env.E2E_DEMO_PASSWORD ?? '';
const RESULTS = join(process.cwd(), 'test-results');

/** Debian's Chromium, headless, with background networking off (this machine has no outside network). */
export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
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

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const path = join(RESULTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

const STATE_FILE = join(RESULTS, 'e2e-accounts.json');
type Creds = Record<string, { password: string; secret?: string }>;
const readCreds = (): Creds =>
  existsSync(STATE_FILE) ? (JSON.parse(readFileSync(STATE_FILE, 'utf8')) as Creds) : {};

/**
 * Signs a demo account in like a person would. The first time: the demo password, the forced change and,
 * for administrators, TOTP enrolment (codes computed from the shown secret); the new password and secret are
 * kept in test-results/ so the other flow files of this run can sign in again.
 */
export async function signInAs(page: Page, username: string): Promise<void> {
  const known = readCreds()[username];
  await page.goto('/login');
  await page.getByTestId('login-username').fill(username);
  await page.getByTestId('login-password').fill(known?.password ?? DEMO_PASSWORD);
  await page.getByTestId('login-submit').click();
  const signedIn = (url: URL) => !url.pathname.startsWith('/login');
  if (known) {
    if (known.secret) {
      await page.getByTestId('totp-code').waitFor();
      await page.getByTestId('totp-code').fill(totpCode(known.secret, new Date(Date.now() + 30_000)));
      await page.getByTestId('totp-submit').click();
    }
    await page.waitForURL(signedIn);
    return;
  }
  const password = `Qingshan-${Object.keys(readCreds()).length + 1}-Lvshui!`;
  await page.getByTestId('pw-new').waitFor();
  await page.getByTestId('pw-current').fill(DEMO_PASSWORD);
  await page.getByTestId('pw-new').fill(password);
  await page.getByTestId('pw-confirm').fill(password);
  await page.getByTestId('pw-submit').click();
  const next = await Promise.race([
    page
      .getByTestId('enrol-secret')
      .waitFor()
      .then(() => 'enroll' as const),
    page.waitForURL(signedIn).then(() => 'app' as const),
  ]);
  let secret: string | undefined;
  if (next === 'enroll') {
    secret = ((await page.getByTestId('enrol-secret').textContent()) ?? '').trim();
    await screenshot(page, `${username}-enrol`);
    await page.getByTestId('enrol-code').fill(totpCode(secret, new Date()));
    await page.getByTestId('enrol-submit').click();
    await page.waitForURL(signedIn);
  }
  writeFileSync(STATE_FILE, JSON.stringify({ ...readCreds(), [username]: { password, secret } }, null, 2));
}
