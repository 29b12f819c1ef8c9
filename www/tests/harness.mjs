// Shared by the end-to-end tests and the benchmark: a static server for www/ on 127.0.0.1 (a free
// port), and Debian's Chromium driven by playwright-core. No browser is ever downloaded.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize, extname, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const WWW = normalize(join(dirname(fileURLToPath(import.meta.url)), '..'));
export const ARTIFACTS = join(WWW, 'tests', 'artifacts');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
};

/**
 * Serves www/ (GET only, no directory listing, nothing outside it, not tests/). Resolves to
 * { url, close }. `root` serves another built copy of www/ instead (default: WWW_ROOT=DIR, else
 * www/ itself): an older build, say, to compare with (`WWW_ROOT=/tmp/old-www node www/tests/bench.mjs`).
 */
export async function serve(dir = process.env.WWW_ROOT || WWW) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path.endsWith('/') ? path + 'index.html' : path));
    const inside = file.startsWith(root + '/');
    if (req.method !== 'GET' || !inside || file.startsWith(join(root, 'tests') + '/')) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': MIME[extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

/**
 * Launches /usr/bin/chromium headless. playwright-core gives it a fresh temporary --user-data-dir
 * (removed on close); each test then opens its own context, so nothing (the remembered language)
 * carries over between tests.
 */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Opens the page in a new context (browser language `locale`, zone Asia/Shanghai) and waits for the
 * first verdict. Records every request the page makes (`requests`: { url, afterLoad }), console
 * errors (a CSP violation is one) and dialogs. Close with `page.context().close()`.
 */
/**
 * A tab in a fresh context of its own (nothing shared with other tabs): browser language `locale`,
 * zone Asia/Shanghai, a `width` × `height` viewport, light or `dark`. Close with
 * `page.context().close()`.
 */
export async function newTab(browser, { locale = 'zh-CN', width = 360, height = 780, dark = false } = {}) {
  const context = await browser.newContext({
    locale,
    timezoneId: 'Asia/Shanghai',
    colorScheme: dark ? 'dark' : 'light',
    viewport: { width, height },
    serviceWorkers: 'block',
  });
  return context.newPage();
}

/**
 * `warm`: open another file of the same site in the tab first (the benchmark's "browser already
 * running" case: the tab's renderer process is started, nothing of the page is loaded or cached).
 */
export async function openPage(browser, url, { locale = 'zh-CN', width = 360, height = 780, dark = false, warm = false } = {}) {
  const page = await newTab(browser, { locale, width, height, dark });
  // Before the page's log starts: the browser's own favicon request there is not the page's.
  if (warm) await page.goto(new URL('icon.svg', url).href, { waitUntil: 'networkidle' });
  const log = { requests: [], errors: [], dialogs: [], loaded: false };
  page.on('request', (r) => log.requests.push({ url: r.url(), afterLoad: log.loaded }));
  page.on('console', (m) => {
    if (m.type() === 'error') log.errors.push(m.text());
  });
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  await page.goto(url, { waitUntil: 'load' });
  await firstVerdict(page, log);
  await page.waitForLoadState('networkidle');
  log.loaded = true;
  return { page, log };
}

/**
 * Navigates `page` to `url` for a timing and waits `settleMs` from the outside, sending the page
 * nothing meanwhile. Playwright's waitForFunction (and its first evaluate) inject a script of
 * ~330 KB into the page; arriving while the page starts, its compile sat on the main thread between
 * the verdict and its frame (seen in a trace, 2026-12-02: a 16.6 ms DevToolsSession message) and,
 * in alternating loads, made the verdict on screen 15-25 ms later than with no test attached.
 */
export async function quietGoto(page, url, settleMs = 1000) {
  await page.goto(url, { waitUntil: 'commit' });
  await new Promise((done) => setTimeout(done, settleMs));
}

/** A fresh context's quiet load (`quietGoto`) of the page; throws if it has no verdict by then. */
export async function openQuiet(browser, url, { locale = 'zh-CN', width = 360, height = 780, warm = false, settleMs = 1000 } = {}) {
  const page = await newTab(browser, { locale, width, height });
  if (warm) await page.goto(new URL('icon.svg', url).href, { waitUntil: 'networkidle' });
  await quietGoto(page, url, settleMs);
  const ready = await page.evaluate(() => document.body?.dataset.firstVerdictMs !== undefined);
  if (!ready) {
    await page.context().close();
    throw new Error(`no first verdict ${settleMs} ms after the navigation committed (a slower machine: raise settleMs)`);
  }
  return page;
}

/** Waits for the page's first verdict; fails at once, with its message, if the page throws first. */
export async function firstVerdict(page, log) {
  const shown = page.waitForFunction(() => document.body.dataset.firstVerdictMs !== undefined, null, { timeout: 15000 });
  const failed = new Promise((_, fail) => {
    const check = setInterval(() => {
      if (log.errors.length) {
        clearInterval(check);
        fail(new Error(`the page failed before its first verdict: ${log.errors.join('; ')}`));
      }
    }, 20);
    shown.finally(() => clearInterval(check)).catch(() => {});
  });
  await Promise.race([shown, failed]);
}

/** Chooses a persona by its file stem (tests/personas/NAME.json) with the picker. */
export async function choosePersona(page, stem) {
  const value = await page.$eval('#persona', (s, stem) => {
    const o = [...s.options].find((o) => o.dataset.persona === stem);
    return o ? o.value : null;
  }, stem);
  if (value === null) throw new Error(`no persona ${stem} in the picker`);
  await page.selectOption('#persona', value);
}

/** What the verdict card shows: status, figures, reason rule ids and titles, missing paths. */
export async function readVerdict(page) {
  return page.$eval('#verdict', (v) => {
    const card = v.querySelector('.card');
    return {
      status: card?.dataset.status ?? null,
      word: card?.querySelector('.status .word')?.textContent ?? null,
      available: card?.querySelector('[data-figure="available"]')?.textContent ?? null,
      limit: card?.querySelector('[data-figure="limit"]')?.textContent ?? null,
      rules: [...v.querySelectorAll('.reason')].map((r) => r.dataset.rule),
      principal: [...v.querySelectorAll(':scope .card > .reasons > .reason')].map((r) => r.dataset.rule),
      titles: [...v.querySelectorAll('.reason .title')].map((t) => t.textContent),
      until: [...v.querySelectorAll('.reason .until')].map((t) => t.textContent),
      missing: [...v.querySelectorAll('.missing li')].map((l) => l.dataset.path),
      text: card?.textContent ?? '',
    };
  });
}
