// Accessibility of the borrower's page with axe-core (WCAG 2.x A and AA rules, best practices),
// in both languages, light and dark, at 360 px and 1280 px; and the screenshots, saved under
// www/tests/artifacts/ (git-ignored) for a person to look at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { serve, launch, openPage, choosePersona, ARTIFACTS } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launch();
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Runs axe on the page as it is; returns the serious and critical violations, described. */
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

// Every status, the error card, and "show all" open.
const STATES = ['healthy', 'income_unverified', 'maintenance_night', 'overdue', 'frozen', 'missing_capacity', 'several_reasons'];

for (const dark of [false, true]) {
  for (const width of [360, 1280]) {
    test(`axe finds no serious or critical violation (${dark ? 'dark' : 'light'}, ${width} px, both languages)`, async () => {
      const { page, log } = await openPage(browser, server.url, { locale: 'zh-CN', width, dark });
      try {
        const found = [];
        for (const lang of ['zh-CN', 'en']) {
          if (lang === 'en') await page.click('#lang');
          for (const name of STATES) {
            await choosePersona(page, name);
            if (await page.$('#verdict details.more')) await page.click('#verdict details.more summary');
            for (const v of await axe(page)) found.push(`${lang} ${name}: ${v}`);
          }
          await page.fill('[name="account.credit_limit"]', '1.234');
          for (const v of await axe(page)) found.push(`${lang} profile error: ${v}`);
        }
        assert.deepEqual(found, []);
        assert.deepEqual(log.errors, []);
      } finally {
        await page.context().close();
      }
    });
  }
}

test('screenshots: 360 px and 1280 px, zh-CN and en, light and dark', async () => {
  const shots = [];
  for (const locale of ['zh-CN', 'en']) {
    for (const width of [360, 1280]) {
      for (const dark of [false, true]) {
        const { page } = await openPage(browser, server.url, { locale, width, height: width > 600 ? 900 : 780, dark });
        try {
          for (const name of ['several_reasons', 'maintenance_night', 'healthy']) {
            await choosePersona(page, name);
            if (await page.$('#verdict details.more')) await page.click('#verdict details.more summary');
            await page.evaluate(() => {
              document.activeElement?.blur();
              window.scrollTo(0, 0);
            });
            const file = `${name}-${locale}-${width}${dark ? '-dark' : ''}.png`;
            await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true });
            shots.push(file);
          }
          // The first screen a borrower sees, as it is (not the full page).
          const file = `first-screen-${locale}-${width}${dark ? '-dark' : ''}.png`;
          await choosePersona(page, 'login_lock');
          await page.evaluate(() => window.scrollTo(0, 0));
          await page.screenshot({ path: join(ARTIFACTS, file) });
          shots.push(file);
          // No horizontal scrolling at any width.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `${file}: the page is ${overflow} px wider than the screen`);
        } finally {
          await page.context().close();
        }
      }
    }
  }
  assert.equal(shots.length, 32);
});
