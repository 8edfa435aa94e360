#!/usr/bin/env node
// The matters loop in a real browser, with screenshots at 1440×900 and 375×812 for people to look at:
// gridworker1 reports on a phone (one online, one offline that waits in the queue across a reload),
// town1 sees the live notification and dispatches from the desk, county supervises, dept.zhujian signs,
// handles on a phone and answers the supervision, village1 verifies; unmask, 409, saved views, export,
// categories. Not a test: it drives pages and fails loudly when something expected does not appear.
//   BASE_URL=http://127.0.0.1:8097 OUT=/tmp/gg-mshots node web/scripts/matters-shots.mjs
import { crc32, deflateSync } from 'node:zlib';
import { DESKTOP, launch, newPage, PHONE, problems, saveState, shot, signIn } from './shots-lib.mjs';

/** A small PNG "photo": a diagonal gradient, so that thumbnails show something. */
function photo(seed) {
  const w = 320;
  const h = 240;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    raw[y * (w * 3 + 1)] = 0;
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = (x + seed * 40) % 256;
      raw[o + 1] = (y * 2 + seed * 70) % 256;
      raw[o + 2] = ((x + y) / 2 + 90) % 256;
    }
  }
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const png = Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  return { name: `photo-${seed}.png`, mimeType: 'image/png', buffer: png };
}

const browser = await launch();
const step = (name) => console.log(name);

async function pickOption(page, testId, text) {
  await page.getByTestId(testId).click();
  await page.keyboard.type(text);
  await page.waitForTimeout(400);
  await page.keyboard.press('Enter');
}

/** The matter id in the newest matters-table row whose title contains `title`. */
async function matterIdByTitle(page, title) {
  const row = page.locator('[data-matter-id]', { hasText: title }).first();
  await row.waitFor({ timeout: 20_000 });
  return Number(await row.getAttribute('data-matter-id'));
}

async function openAction(page, name) {
  await page.getByTestId(`matter-action-${name}`).click();
  await page.getByTestId('matter-action-submit').waitFor();
}

async function submitAction(page, name) {
  await page.getByTestId('matter-action-submit').click();
  await page.getByTestId('matter-action-submit').waitFor({ state: 'detached', timeout: 20_000 });
  await page.waitForTimeout(500);
  console.log(`    ${name} → ${await page.getByTestId('matter-detail').getAttribute('data-state')}`);
}

async function fillReport(page, { category, title, description, photos = [], requester }) {
  await page.getByTestId('report-category').click();
  await page.keyboard.type(category);
  await page.waitForTimeout(300);
  await page.keyboard.press('Enter');
  await page.getByTestId('report-title').fill(title);
  await page.getByTestId('report-description').fill(description);
  const map = page.getByTestId('report-map');
  await page.waitForTimeout(1200);
  const box = await map.boundingBox();
  await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
  await page.getByTestId('report-grid-found').waitFor({ timeout: 10_000 });
  if (photos.length) await page.getByTestId('report-photo').setInputFiles(photos);
  if (requester) {
    await page.getByTestId('report-requester-name').fill(requester.name);
    await page.getByTestId('report-requester-phone').fill(requester.phone);
  }
}

/** Submits the report form, confirming "report anyway" when the duplicate check asks. */
async function submitReport(page, dupShot) {
  await page.getByTestId('report-submit').click();
  const anyway = page.getByTestId('report-submit-anyway');
  if (
    await anyway.waitFor({ timeout: 2500 }).then(
      () => true,
      () => false,
    )
  ) {
    if (dupShot) await shot(page, dupShot);
    await anyway.click();
  }
}

const stamp = `${Date.now() % 100000}`;
const ROAD = `路面塌陷 ${stamp}`;
const GARBAGE = `垃圾堆放 ${stamp}`;

try {
  // ---- town1 waits on the workbench: the report should reach its bell live ---------------------------
  step('town1 workbench (before)');
  const town = await newPage(browser, DESKTOP);
  await signIn(town, 'town1');
  await town.goto('/workbench');
  await town.getByTestId('todo-accept').waitFor();
  await town.waitForTimeout(800);
  await shot(town, 'm01-workbench-town1-desktop');
  const unreadBefore = Number((await town.getByTestId('notif-bell').getAttribute('data-unread')) ?? 0);

  // ---- gridworker1 reports on a phone --------------------------------------------------------------
  step('gridworker1 report (phone)');
  const gw = await newPage(browser, PHONE);
  await signIn(gw, 'gridworker1');
  await gw.goto('/workbench');
  await gw.getByTestId('todo-cards').waitFor();
  await shot(gw, 'm02-workbench-gridworker-phone');
  await gw.goto('/report');
  await gw.getByTestId('report-category').waitFor();
  await gw.waitForTimeout(1000);
  await shot(gw, 'm03-report-phone-empty');
  await fillReport(gw, {
    category: '道路设施',
    title: ROAD,
    description: '文一西路人行道路面塌陷约1平方米，有行人绊倒风险，需尽快修复。',
    photos: [photo(1), photo(2)],
    requester: { name: '张三丰', phone: '13812345678' },
  });
  await shot(gw, 'm04-report-phone-filled');
  await gw.screenshot({
    path: `${process.env.OUT ?? '/tmp/gg-shots'}/m04-report-phone-filled-full.png`,
    fullPage: true,
  });
  await submitReport(gw, 'm05a-report-phone-duplicates');
  await gw
    .getByText(/事项已上报/)
    .first()
    .waitFor({ timeout: 30_000 });
  await gw.waitForTimeout(300);
  await shot(gw, 'm05-report-phone-sent');

  // Offline: the report waits on the device, across a reload, and goes when the signal is back.
  step('gridworker1 offline report');
  await gw.context().setOffline(true);
  await fillReport(gw, {
    category: '垃圾乱堆',
    title: GARBAGE,
    description: '小区东门外垃圾堆放三天未清运。',
    photos: [photo(3)],
  }).catch(async (e) => {
    // The grid lookup needs the network: offline, the pin is set but the grid is not named.
    if (!String(e).includes('report-grid-found')) throw e;
  });
  await submitReport(gw);
  await gw.waitForFunction(
    () => document.querySelector('[data-testid="report-queue"]')?.getAttribute('data-count') === '1',
    null,
    { timeout: 10_000 },
  );
  await shot(gw, 'm06-report-phone-offline-queued');
  await gw.getByTestId('report-queue').click();
  await gw.waitForTimeout(500);
  await shot(gw, 'm07-report-phone-queue-drawer');
  await gw.close();
  // A fresh page of the same context, still offline at first: the queue was kept in IndexedDB.
  const ctx = gw.context();
  await ctx.setOffline(false);
  const gw2 = await ctx.newPage();
  await gw2.goto('/report');
  await gw2.getByTestId('report-queue').waitFor();
  await gw2.waitForFunction(
    () => document.querySelector('[data-testid="report-queue"]')?.getAttribute('data-count') === '0',
    null,
    { timeout: 40_000 },
  );
  console.log('    offline report sent after reload');
  await gw2.close();

  // ---- town1: the bell rang live; dispatch desk -------------------------------------------------------
  step('town1 live bell and dispatch');
  await town.waitForFunction(
    (before) =>
      Number(document.querySelector('[data-testid="notif-bell"]')?.getAttribute('data-unread')) > before,
    unreadBefore,
    { timeout: 30_000 },
  );
  await shot(town, 'm08-workbench-town1-live');
  await town.getByTestId('notif-bell').click();
  await town.getByTestId('notif-list').waitFor();
  await shot(town, 'm09-notifications-town1');
  await town.keyboard.press('Escape');
  await town.goto('/dispatch');
  await town.getByTestId('dispatch-table').locator('[data-matter-id]').first().waitFor();
  const roadId = await matterIdByTitle(town, ROAD);
  await shot(town, 'm10-dispatch-desk');
  await town.getByTestId(`dispatch-to-${roadId}`).click();
  await town.getByTestId('dispatch-submit').waitFor();
  await town.getByTestId('dispatch-suggestions').waitFor({ timeout: 10_000 });
  await shot(town, 'm11-dispatch-popover');
  await town.locator('[data-testid^="dispatch-suggestion-d"]').first().click();
  await town.getByTestId('dispatch-submit').click();
  await town.getByTestId('dispatch-submit').waitFor({ state: 'detached', timeout: 20_000 });
  await town.waitForTimeout(800);
  await shot(town, 'm12-dispatch-desk-after');

  // Unmask (town1 owns the matter) and the detail.
  step('town1 detail + unmask');
  await town.goto(`/matters/${roadId}`);
  await town.getByTestId('matter-detail').waitFor();
  await town.waitForTimeout(1200);
  await shot(town, 'm13-detail-town1-desktop');
  await town.screenshot({
    path: `${process.env.OUT ?? '/tmp/gg-shots'}/m13-detail-town1-desktop-full.png`,
    fullPage: true,
  });
  const unmask = town.locator('[data-testid^="matter-unmask-"][data-testid$="-phone"]').first();
  await unmask.click();
  await town.getByTestId('unmask-reason').fill('回访诉求人核实情况');
  await town.getByTestId('unmask-submit').click();
  await town.getByTestId('unmask-value').waitFor();
  await shot(town, 'm14-unmask-value');
  console.log(`    unmasked: ${await town.getByTestId('unmask-value').textContent()}`);
  await town.getByTestId('unmask-close').click();

  // ---- county supervises ----------------------------------------------------------------------------
  step('county supervises');
  const county = await newPage(browser, DESKTOP);
  await signIn(county, 'county');
  await county.goto(`/matters/${roadId}`);
  await county.getByTestId('matter-action-supervise').click();
  await county.getByTestId('supervise-reason').fill('群众反映强烈，请三日内修复');
  await shot(county, 'm15-supervise-modal');
  await county.getByTestId('supervise-submit').click();
  await county.getByTestId('matter-supervisions').waitFor();
  await county.waitForTimeout(500);
  await shot(county, 'm16-detail-county-supervised');

  // ---- dept.zhujian on a phone: sign, start, handle, reply --------------------------------------------
  step('dept.zhujian handles on a phone');
  const dept = await newPage(browser, PHONE);
  await signIn(dept, 'dept.zhujian');
  await dept.goto('/workbench');
  await dept.getByTestId('todo-sign').waitFor();
  await dept.waitForTimeout(800);
  await shot(dept, 'm17-workbench-dept-phone');
  await dept.getByTestId('todo-sign').click();
  await dept.getByTestId('matters-table').waitFor();
  await dept.waitForTimeout(800);
  await shot(dept, 'm18-list-dept-phone');
  await dept.goto(`/matters/${roadId}`);
  await dept.getByTestId('matter-detail').waitFor();
  await dept.waitForTimeout(1000);
  await shot(dept, 'm19-detail-dept-phone');
  await dept.screenshot({
    path: `${process.env.OUT ?? '/tmp/gg-shots'}/m19-detail-dept-phone-full.png`,
    fullPage: true,
  });
  await openAction(dept, 'sign');
  await shot(dept, 'm20-sign-phone');
  await submitAction(dept, 'sign');
  await openAction(dept, 'start');
  await submitAction(dept, 'start');
  await dept.locator('[data-testid^="supervision-reply-"]').first().click();
  await dept.getByTestId('supervision-answer-text').fill('已安排施工队，明日完成修复');
  await dept.getByTestId('supervision-answer-submit').click();
  await dept.waitForTimeout(800);
  await openAction(dept, 'handle');
  await dept.getByTestId('action-result').fill('已对塌陷路面回填并重新铺装，现场恢复通行。');
  await dept.getByTestId('action-photos').setInputFiles([photo(4)]);
  await dept.waitForTimeout(500);
  await shot(dept, 'm21-handle-form-phone');
  await submitAction(dept, 'handle');
  await shot(dept, 'm22-detail-handled-phone');

  // ---- 409: village1 has the page open; someone else verifies first ----------------------------------
  step('village1 verify, with a 409 first');
  const village = await newPage(browser, DESKTOP);
  await signIn(village, 'village1');
  await village.goto(`/matters/${roadId}`);
  await village.getByTestId('matter-action-verify_pass').waitFor();
  const other = await village.context().newPage();
  await other.goto(`/matters/${roadId}`);
  await openAction(other, 'verify_fail');
  await other.getByTestId('action-reason').fill('路面仍有积水，请重新处理');
  await submitAction(other, 'verify_fail');
  await other.close();
  await openAction(village, 'verify_pass');
  await village.getByTestId('matter-action-submit').click();
  await village.getByText('已被他人处理，已刷新').waitFor({ timeout: 10_000 });
  await shot(village, 'm23-conflict-409');
  console.log(`    after 409: ${await village.getByTestId('matter-detail').getAttribute('data-state')}`);

  // dept handles again, village1 verifies, town1 records the rating.
  await dept.reload();
  await dept.getByTestId('matter-detail').waitFor();
  await openAction(dept, 'handle');
  await dept.getByTestId('action-result').fill('已排水并补强路基。');
  await submitAction(dept, 'handle');
  await village.reload();
  await openAction(village, 'verify_pass');
  await submitAction(village, 'verify_pass');
  await shot(village, 'm24-detail-verified-desktop');
  await village.goto('/matters');
  await village.getByTestId('matters-table').waitFor();
  await village.waitForTimeout(800);
  await shot(village, 'm25-list-village1-desktop');

  // ---- town1: list, saved views, export ---------------------------------------------------------------
  step('town1 list, saved view, export');
  await town.goto('/matters');
  await town.getByTestId('matters-table').locator('[data-matter-id]').first().waitFor();
  await pickOption(town, 'matters-filter-state', '已结案');
  await town.keyboard.press('Escape');
  await town.getByTestId('matters-filter-search').click();
  await town.waitForTimeout(800);
  await town.getByTestId('saved-view-save').click();
  await town.getByTestId('saved-view-name').fill(`已结案 ${stamp}`);
  await town.getByTestId('saved-view-submit').click();
  await town.waitForTimeout(800);
  await shot(town, 'm26-list-town1-saved-view');
  const download = town.waitForEvent('download', { timeout: 20_000 });
  await town.getByTestId('matters-export').click();
  console.log(`    export: ${(await download).suggestedFilename()}`);
  await town.getByTestId('matters-filter-reset').click();
  await town.waitForTimeout(800);
  await shot(town, 'm27-list-town1-desktop');
  await town.getByTestId('lang-en').click();
  await town.goto(`/matters/${roadId}`);
  await town.getByTestId('matter-detail').waitFor();
  await town.waitForTimeout(1000);
  await shot(town, 'm28-detail-town1-en');
  await town.getByTestId('lang-zh').click();

  // ---- county: categories -------------------------------------------------------------------------------
  step('county categories');
  await county.goto('/settings/categories');
  await county.getByTestId('categories-table').waitFor();
  await county.waitForTimeout(800);
  await shot(county, 'm29-categories-desktop');
  await county.getByTestId('category-edit-construction.road').click();
  await county.getByTestId('category-submit').waitFor();
  await shot(county, 'm30-category-edit');
  await county.getByTestId('category-submit').click();
  await county.waitForTimeout(800);

  // ---- phone views of the list and the nav ------------------------------------------------------------
  step('phone list and nav');
  const townPhone = await newPage(browser, PHONE);
  await signIn(townPhone, 'town1');
  await townPhone.goto('/matters');
  await townPhone.getByTestId('matters-table').waitFor();
  await townPhone.waitForTimeout(800);
  await shot(townPhone, 'm31-list-town1-phone');
  await townPhone.getByTestId('nav-toggle').click();
  await shot(townPhone, 'm32-nav-town1-phone');
  await townPhone.keyboard.press('Escape');
  await townPhone.getByTestId('notif-bell').click();
  await townPhone.waitForTimeout(600);
  await shot(townPhone, 'm33-notifications-phone');

  // ---- the report form in English on a phone, with 当场办结 on -----------------------------------------
  step('report form, English, on-spot');
  const gwEn = await newPage(browser, PHONE, 'en-US');
  await signIn(gwEn, 'gridworker1');
  await gwEn.goto('/report');
  await gwEn.getByTestId('report-category').click();
  await gwEn.keyboard.type('Neighbour');
  await gwEn.waitForTimeout(300);
  await gwEn.keyboard.press('Enter');
  await gwEn.getByTestId('report-onspot').click();
  await gwEn.getByTestId('report-onspot-result').fill('Talked to both sides; agreed on quiet hours.');
  await gwEn.waitForTimeout(600);
  await gwEn.screenshot({
    path: `${process.env.OUT ?? '/tmp/gg-shots'}/m34-report-phone-en-full.png`,
    fullPage: true,
  });
  console.log('  m34-report-phone-en-full.png');
} catch (error) {
  problems.push(`flow: ${error instanceof Error ? error.message : String(error)}`);
  console.log(`  FAILED: ${error instanceof Error ? error.stack : error}`);
} finally {
  saveState();
  await browser.close();
}
if (problems.length) {
  console.log('\nProblems seen:');
  for (const p of [...new Set(problems)]) console.log(`  ${p}`);
}
