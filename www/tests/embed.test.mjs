// Host-app embedding (docs/embedding.md) in Debian's Chromium: the bridge's protocol through every
// channel (postMessage from a host iframe of another origin, the fragment, the global
// drawcheck.show with iOS- and Android-like reply channels), the pack pin, hostile text, and the
// offline single file (dist/drawcheck.html) from file:// with every request blocked. Every test
// also asserts zero CSP violations, no uncaught error, no dialog and no request after load.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { serve, launch, WWW } from './harness.mjs';

const ROOT = join(WWW, '..');
const HOSTILE = '<img src=x onerror=alert(1)>';

let drawcheck; // www/ at http://127.0.0.1:P/
let host; // www/tests/host/ at http://localhost:H/ (another origin)
let other; // www/tests/host/ at http://localhost:O/ (a third origin)
let browser;
let single; // file:// URL of dist/drawcheck.html

/** Serves www/tests/host/ on 127.0.0.1, addressed as `localhost`: an origin other than the page's. */
async function serveHost() {
  const server = createServer(async (req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1);
    const type = { html: 'text/html', js: 'text/javascript' }[name.split('.').pop()];
    if (!/^[a-z]+\.(html|js)$/.test(name)) return res.writeHead(404).end();
    try {
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
      res.end(await readFile(join(WWW, 'tests', 'host', name)));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { origin: `http://localhost:${server.address().port}`, close: () => new Promise((ok) => server.close(ok)) };
}

before(async () => {
  execFileSync('bash', [join(ROOT, 'scripts', 'build-single')], { env: { ...process.env, SKIP_BUILD: '1' }, stdio: 'ignore' });
  single = pathToFileURL(join(ROOT, 'dist', 'drawcheck.html')).href;
  [drawcheck, host, other] = await Promise.all([serve(), serveHost(), serveHost()]);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await Promise.all([drawcheck?.close(), host?.close(), other?.close()]);
});

const persona = async (name) => JSON.parse(await readFile(join(ROOT, 'tests', 'personas', `${name}.json`), 'utf8'));
const snapshot = async (name) => JSON.parse(await readFile(join(ROOT, 'tests', 'snapshots', `${name}.json`), 'utf8'));
const b64url = (text) => Buffer.from(text, 'utf8').toString('base64url');
const SHOW = { type: 'drawcheck:show', version: 1 };

/**
 * A fresh context; `body({ page, log, ... })` runs, then the checks every test shares: no CSP
 * violation in any frame (recorded from `securitypolicyviolation` by an init script), no uncaught
 * error, no dialog (an executed `onerror=alert(1)` would be one), no request once `log.loaded`.
 * `native: true` gives the page iOS- and Android-like reply channels before it loads.
 */
async function withContext({ native = false, offline = false } = {}, body) {
  const context = await browser.newContext({ locale: 'en', timezoneId: 'Asia/Shanghai', serviceWorkers: 'block' });
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  if (native) {
    await context.addInitScript(() => {
      window.__ios = [];
      window.__android = [];
      window.webkit = { messageHandlers: { drawcheck: { postMessage: (m) => window.__ios.push(m) } } };
      window.DrawcheckHost = { postMessage: (json) => window.__android.push(JSON.parse(json)) };
    });
  }
  const log = { requests: [], errors: [], dialogs: [], loaded: false };
  // Offline: every request is aborted but the document's own navigation (a file:// URL).
  if (offline) await context.route('**', (r) => (r.request().isNavigationRequest() ? r.continue() : r.abort()));
  context.on('request', (r) => log.requests.push({ url: r.url(), afterLoad: log.loaded }));
  const page = await context.newPage();
  page.on('pageerror', (e) => log.errors.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && log.errors.push(m.text()));
  page.on('dialog', (d) => {
    log.dialogs.push(d.message());
    d.dismiss().catch(() => {});
  });
  try {
    await body({ page, log });
    const violations = [];
    for (const frame of page.frames()) violations.push(...(await frame.evaluate(() => window.__csp ?? [])));
    assert.deepEqual(violations, [], 'no CSP violation in any frame');
    assert.deepEqual(log.errors, [], 'no console error and no exception');
    assert.deepEqual(log.dialogs, [], 'no dialog (no injected script ran)');
    assert.deepEqual(log.requests.filter((r) => r.afterLoad).map((r) => r.url), [], 'no request after load');
    assert.deepEqual(await context.cookies(), [], 'no cookie');
  } finally {
    await context.close();
  }
}

/** Waits until `frame` has shown its first verdict. */
const mounted = (frame) => frame.waitForFunction(() => document.body?.dataset.firstVerdictMs !== undefined, null, { timeout: 15000 });

/** What a drawcheck frame shows: the verdict card's status, its text, and what would be injected. */
const shown = (frame) =>
  frame.evaluate(() => ({
    status: document.querySelector('#verdict .card')?.dataset.status ?? null,
    text: document.getElementById('app').textContent,
    values: [...document.querySelectorAll('input')].map((i) => i.value),
    images: document.querySelectorAll('img').length,
    lang: document.documentElement.lang,
    // A third-party iframe may have no storage at all (Chromium blocks it here): `null` then.
    stored: (() => {
      try {
        return Object.keys(localStorage);
      } catch {
        return null;
      }
    })(),
  }));

/**
 * Opens the host page (another origin) framing drawcheck configured with `#origin=<host origin>`
 * (or `origin`), and, if `withOther`, a third origin's page next to it. Resolves when the page has
 * said `drawcheck:ready`.
 */
async function openHost(page, log, { origin = host.origin, withOther = false } = {}) {
  const pageUrl = `${drawcheck.url}#origin=${encodeURIComponent(origin)}`;
  const query = new URLSearchParams({ page: pageUrl, ...(withOther ? { other: `${other.origin}/other.html` } : {}) });
  await page.goto(`${host.origin}/host.html?${query}`, { waitUntil: 'load' });
  const frame = page.frames().find((f) => f.url().startsWith(drawcheck.url));
  await mounted(frame);
  if (origin === host.origin) await page.waitForFunction(() => window.received.some((m) => m.type === 'drawcheck:ready'));
  await page.waitForLoadState('networkidle');
  log.loaded = true;
  return frame;
}

/** Posts `message` from the host and resolves to the reply carrying `id`. */
async function roundTrip(page, message) {
  await page.evaluate((m) => window.send(m), message);
  const reply = await page.waitForFunction((id) => window.received.find((m) => m.id === id), message.id, { timeout: 5000 });
  return reply.jsonValue();
}

test('a host iframe of another origin round-trips a profile to a verdict by postMessage', async () => {
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log);
    const ready = await page.evaluate(() => window.received.find((m) => m.type === 'drawcheck:ready'));
    assert.equal(ready.version, 1);
    assert.match(ready.pack.sha256, /^[0-9a-f]{64}$/);

    const reply = await roundTrip(page, { ...SHOW, id: 'overdue', profile: await persona('overdue'), locale: 'en' });
    const expected = await snapshot('overdue');
    assert.equal(reply.type, 'drawcheck:verdict');
    assert.equal(reply.version, 1);
    assert.equal(reply.verdict.status, expected.status);
    assert.equal(reply.verdict.available, expected.available);
    assert.deepEqual(reply.verdict.reasons.map((r) => r.rule), expected.reasons.map((r) => r.rule));
    assert.ok(reply.verdict.recourse.steps.length > 0, 'the reply carries the plan back to drawing');
    assert.equal(reply.verdict.locale, 'en');

    // The page shows the same verdict, in the host's language, and stores nothing of the profile.
    const s = await shown(frame);
    assert.equal(s.status, expected.status);
    assert.equal(s.lang, 'en');
    assert.ok(s.values.includes('1234.50'), 'the form holds the host profile');
    assert.ok(s.stored === null || s.stored.length === 0, 'nothing in localStorage (where there is one)');

    // Profile as JSON text works too; the reply's id may be a number.
    const again = await roundTrip(page, { ...SHOW, id: 2, profile: JSON.stringify(await persona('healthy')) });
    assert.equal(again.verdict.status, 'eligible');
    assert.equal(again.verdict.recourse, null);
    assert.equal((await shown(frame)).status, 'eligible');
  });
});

test('messages from any origin but the configured one are ignored, unanswered', async () => {
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log, { withOther: true });
    const before = await shown(frame);
    // A third origin's frame posts a valid request straight to the drawcheck frame.
    const third = page.frames().find((f) => f.url().startsWith(other.origin));
    await third.evaluate((m) => window.parent.frames[0].postMessage(m, '*'), { ...SHOW, id: 'evil', profile: await persona('frozen') });
    // The host's next request is answered, so the page had every chance to answer the first.
    const reply = await roundTrip(page, { ...SHOW, id: 'after', profile: await persona('healthy') });
    assert.equal(reply.type, 'drawcheck:verdict');
    const ids = await page.evaluate(() => window.received.map((m) => m.id));
    assert.ok(!ids.includes('evil'), 'no reply to the other origin');
    assert.equal((await shown(frame)).status, 'eligible', 'the frozen profile was never shown');
    assert.equal(before.status, 'eligible');
  });

  // A page configured for another origin ignores this host altogether (and never writes to it).
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log, { origin: 'http://localhost:1' });
    await page.evaluate((m) => window.send(m), { ...SHOW, id: 'x', profile: await persona('frozen') });
    await page.waitForTimeout(300);
    assert.deepEqual(await page.evaluate(() => window.received), []);
    assert.notEqual((await shown(frame)).status, 'frozen');
  });
});

test('malformed and wrong-version messages get a typed error reply, never a crash', async () => {
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log);
    const cases = [
      [{ id: 'v2', type: 'drawcheck:show', version: 2, profile: {} }, 'version'],
      [{ id: 'noversion', type: 'drawcheck:show', profile: {} }, 'malformed'],
      [{ id: 'notype', version: 1 }, 'malformed'],
      [{ id: 'unknown', type: 'drawcheck:explode', version: 1 }, 'type'],
      [{ id: 'noprofile', ...SHOW }, 'malformed'],
      [{ id: 'badlocale', ...SHOW, profile: { as_of: '2026-11-29T10:00:00+08:00' }, locale: 'fr' }, 'locale'],
      [{ id: 'localetype', ...SHOW, profile: { as_of: '2026-11-29T10:00:00+08:00' }, locale: 7 }, 'malformed'],
      [{ id: 'badprofile', ...SHOW, profile: '{\n  "as_of": "2026-11-29T10:00:00+08:00",\n  "credit": { "overdue_dys": 1 }\n}' }, 'profile'],
      [{ id: 'badpack', ...SHOW, profile: { as_of: '2026-11-29T10:00:00+08:00' }, pack: '[pack]\nid = 1' }, 'pack'],
    ];
    for (const [message, code] of cases) {
      const reply = await roundTrip(page, message);
      assert.equal(reply.type, 'drawcheck:error', message.id);
      assert.equal(reply.version, 1);
      assert.equal(reply.error.code, code, `${message.id}: ${reply.error.message}`);
      assert.equal(typeof reply.error.message, 'string');
    }
    const v2 = await page.evaluate(() => window.received.find((m) => m.id === 'v2'));
    assert.deepEqual(v2.error.supported, [1]);
    const bad = await page.evaluate(() => window.received.find((m) => m.id === 'badprofile'));
    assert.match(bad.error.message, /overdue_dys/);
    assert.ok(bad.error.line > 0 && bad.error.column > 0, 'the profile error has its position');
    const pack = await page.evaluate(() => window.received.find((m) => m.id === 'badpack'));
    assert.ok(pack.error.diagnostics.length > 0, 'a pack that does not compile comes with its diagnostics');

    // Messages that are not objects at all: no id to answer with, but still a typed reply each.
    const count = await page.evaluate(() => window.received.length);
    for (const junk of ['not json', 42, null, [1, 2]]) await page.evaluate((m) => window.send(m), junk);
    await page.waitForFunction((n) => window.received.length >= n + 4, count);
    const junkReplies = await page.evaluate((n) => window.received.slice(n), count);
    assert.deepEqual(junkReplies.map((m) => [m.type, m.error.code]), Array(4).fill(['drawcheck:error', 'malformed']));

    // The page is alive and unchanged by all of it.
    const ok = await roundTrip(page, { ...SHOW, id: 'ok', profile: await persona('overdue') });
    assert.equal(ok.verdict.status, 'blocked');
    assert.equal((await shown(frame)).status, 'blocked');
  });
});

test('the fragment #p=<base64url JSON> shows a profile, and answers a host that configured its origin', async () => {
  const profile = JSON.stringify({ ...(await persona('overdue')), locale: 'en' });
  await withContext({}, async ({ page, log }) => {
    await page.goto(`${drawcheck.url}#p=${b64url(profile)}`, { waitUntil: 'load' });
    await page.waitForFunction(() => document.querySelector('#verdict .card')?.dataset.status === 'blocked');
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    const s = await shown(page.mainFrame());
    assert.equal(s.lang, 'en', 'the profile\'s locale');
    assert.ok(s.values.includes('1234.50'));
    // The example picker says whose profile this is, not the name of an example.
    const picked = () => page.$eval('#persona', (p) => p.selectedOptions[0].textContent);
    assert.equal(await picked(), 'Sent by the app');
    await page.selectOption('#persona', { label: 'Healthy' });
    await page.waitForFunction(() => document.querySelector('#verdict .card')?.dataset.status === 'eligible');
    assert.equal(await page.$$eval('#persona option', (o) => o.filter((x) => x.value === '').length), 0);
    assert.equal(await page.evaluate(() => typeof window.drawcheck.show), 'function');
    assert.equal(await page.evaluate(() => location.hash), '', 'the profile left the address bar once read');
  });
  // In a host's iframe: #p=…&origin=… sends the reply to the host.
  await withContext({}, async ({ page, log }) => {
    const pageUrl = `${drawcheck.url}#origin=${encodeURIComponent(host.origin)}&p=${b64url(profile)}`;
    await page.goto(`${host.origin}/host.html?${new URLSearchParams({ page: pageUrl })}`, { waitUntil: 'load' });
    const reply = await page.waitForFunction(() => window.received.find((m) => m.type === 'drawcheck:verdict'));
    assert.equal((await reply.jsonValue()).verdict.status, 'blocked');
    await page.waitForLoadState('networkidle');
    log.loaded = true;
  });
  // Not base64url: a typed error (here through the Android-like channel).
  await withContext({ native: true }, async ({ page, log }) => {
    await page.goto(`${drawcheck.url}#p=%%%`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__android.some((m) => m.type === 'drawcheck:error'));
    const error = await page.evaluate(() => window.__android.find((m) => m.type === 'drawcheck:error').error);
    assert.equal(error.code, 'malformed');
    await page.waitForLoadState('networkidle');
    log.loaded = true;
  });
});

test('a pinned pack hash that does not match is refused, with both hashes named', async () => {
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log);
    const { sha256 } = (await page.evaluate(() => window.received.find((m) => m.type === 'drawcheck:ready'))).pack;
    const wrong = 'ab'.repeat(32);
    const refused = await roundTrip(page, { ...SHOW, id: 'pin', profile: await persona('frozen'), sha256: wrong });
    assert.equal(refused.type, 'drawcheck:error');
    assert.equal(refused.error.code, 'pin');
    assert.ok(refused.error.message.includes(sha256) && refused.error.message.includes(wrong), refused.error.message);
    assert.notEqual((await shown(frame)).status, 'frozen', 'the refused request showed nothing');
    // The right pin passes (upper case too).
    const ok = await roundTrip(page, { ...SHOW, id: 'pinned', profile: await persona('frozen'), sha256: sha256.toUpperCase() });
    assert.equal(ok.verdict.status, 'frozen');
    assert.equal(ok.verdict.pack.sha256, sha256);
  });
  // A pin in the fragment holds for every request, the fragment's own included.
  await withContext({ native: true }, async ({ page, log }) => {
    const profile = b64url(JSON.stringify(await persona('frozen')));
    await page.goto(`${drawcheck.url}#sha256=${'00'.repeat(32)}&p=${profile}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ios.some((m) => m.type === 'drawcheck:error'));
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    assert.equal(await page.evaluate(() => window.__ios.find((m) => m.type === 'drawcheck:error').error.code), 'pin');
    assert.notEqual((await shown(page.mainFrame())).status, 'frozen');
    const reply = await page.evaluate(() => window.drawcheck.show({ as_of: '2026-11-29T10:00:00+08:00' }, { id: 9 }));
    assert.equal(reply.error.code, 'pin');
  });
});

test('the global drawcheck.show answers through the iOS and Android channels and as its return value', async () => {
  await withContext({ native: true }, async ({ page, log }) => {
    await page.goto(drawcheck.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ios.some((m) => m.type === 'drawcheck:ready'));
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    const profile = await persona('login_lock');
    const returned = await page.evaluate((p) => window.drawcheck.show(p, { locale: 'zh-CN', id: 'g1' }), profile);
    assert.equal(returned.type, 'drawcheck:verdict');
    assert.equal(returned.verdict.status, 'paused');
    assert.equal(returned.verdict.locale, 'zh-CN');
    const [ios, android] = await page.evaluate(() => [window.__ios.at(-1), window.__android.at(-1)]);
    assert.deepEqual(ios, returned, 'WKWebView handler got the reply object');
    assert.deepEqual(android, returned, 'the @JavascriptInterface got the same reply as JSON text');
    assert.equal((await shown(page.mainFrame())).status, 'paused');
    assert.equal((await shown(page.mainFrame())).lang, 'zh-CN');
    // window.postMessage from the page's own window (a webview's injected script) is a request too.
    await page.evaluate((p) => window.postMessage({ type: 'drawcheck:show', version: 1, id: 'pm', profile: p }, '*'), await persona('healthy'));
    await page.waitForFunction(() => window.__ios.some((m) => m.id === 'pm'));
    assert.equal((await shown(page.mainFrame())).status, 'eligible');
  });
});

test('hostile strings in every channel render as text', async () => {
  const packText = (await readFile(join(ROOT, 'rules', 'default.toml'), 'utf8')).replace(
    /^title\.en = ".*"$/gm,
    `title.en = "${HOSTILE.replace(/"/g, '\\"')}"`,
  );
  const hostileProfile = async (name) => {
    const p = await persona(name);
    p.account.region = HOSTILE;
    p.account.segment = '<script>alert(2)</script>';
    return p;
  };
  await withContext({}, async ({ page, log }) => {
    const frame = await openHost(page, log);
    // postMessage: a hostile profile, a hostile pack text, a hostile id and locale.
    const reply = await roundTrip(page, { ...SHOW, id: HOSTILE, profile: await hostileProfile('overdue'), pack: packText, locale: 'en' });
    assert.equal(reply.type, 'drawcheck:verdict', JSON.stringify(reply.error));
    assert.ok(reply.verdict.reasons.some((r) => r.title === HOSTILE), 'the hostile title is the pack\'s');
    const s = await shown(frame);
    assert.ok(s.text.includes(HOSTILE), 'the hostile title is on the page, as text');
    assert.ok(s.values.includes(HOSTILE), 'the hostile region is in its field, as text');
    assert.equal(s.images, 0, 'no element was made of it');
    const bad = await roundTrip(page, { ...SHOW, id: 'l', profile: await persona('healthy'), locale: HOSTILE });
    assert.equal(bad.error.code, 'locale');
    assert.equal((await shown(frame)).images, 0);
  });
  // The fragment and the global.
  await withContext({ native: true }, async ({ page, log }) => {
    await page.goto(`${drawcheck.url}#locale=en&p=${b64url(JSON.stringify(await hostileProfile('healthy')))}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ios.some((m) => m.type === 'drawcheck:verdict'));
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    let s = await shown(page.mainFrame());
    assert.ok(s.values.includes(HOSTILE));
    assert.equal(s.images, 0);
    const r = await page.evaluate(([p, pack]) => window.drawcheck.show(p, { pack, locale: 'en' }), [await hostileProfile('overdue'), packText]);
    assert.equal(r.type, 'drawcheck:verdict');
    s = await shown(page.mainFrame());
    assert.ok(s.text.includes(HOSTILE));
    assert.equal(s.images, 0);
    // A request without a pack is the embedded default's again, on the page as in the reply.
    const back = await page.evaluate((p) => window.drawcheck.show(p, { locale: 'en' }), await persona('overdue'));
    assert.ok(!back.verdict.reasons.some((r) => r.title === HOSTILE));
    assert.ok(!(await shown(page.mainFrame())).text.includes(HOSTILE), 'the page is back on the default pack');
    assert.ok((await shown(page.mainFrame())).text.includes(back.verdict.pack.sha256.slice(0, 12)), 'its footer names that pack');
    assert.equal(await page.evaluate(() => document.querySelectorAll('script').length), 1, 'only the page\'s own script element');
  });
});

test('the single file works from file:// with every request blocked, and makes none', async () => {
  await withContext({ offline: true, native: true }, async ({ page, log }) => {
    await page.goto(`${single}#locale=en&p=${b64url(JSON.stringify(await persona('overdue')))}`, { waitUntil: 'load' });
    await mounted(page.mainFrame());
    await page.waitForFunction(() => window.__ios.some((m) => m.type === 'drawcheck:verdict'));
    log.loaded = true;
    const s = await shown(page.mainFrame());
    assert.equal(s.status, 'blocked');
    assert.equal(s.lang, 'en');
    const reply = await page.evaluate(async (p) => window.drawcheck.show(p, { id: 1 }), await persona('healthy'));
    assert.equal(reply.verdict.status, 'eligible');
    // The document itself is the one request a browser makes; nothing else was even attempted.
    assert.deepEqual(log.requests.map((r) => r.url).filter((u) => !u.startsWith(single.split('#')[0])), []);
    // Its policy is hash-based: no 'unsafe-inline', no 'unsafe-eval'.
    const csp = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.content);
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'sha256-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'/);
    assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'/);
  });
});

test('a host\'s copy of the single file is configured by <meta>: here a pin that refuses the pack', async () => {
  const html = (await readFile(join(ROOT, 'dist', 'drawcheck.html'), 'utf8')).replace(
    '<meta charset="utf-8">',
    `<meta charset="utf-8">\n<meta name="drawcheck-sha256" content="${'0'.repeat(64)}">`,
  );
  const dir = await mkdtemp(join(tmpdir(), 'drawcheck-'));
  const copy = pathToFileURL(join(dir, 'drawcheck.html')).href;
  await writeFile(join(dir, 'drawcheck.html'), html);
  try {
    await withContext({ offline: true, native: true }, async ({ page, log }) => {
      await page.goto(`${copy}#p=${b64url(JSON.stringify(await persona('frozen')))}`, { waitUntil: 'load' });
      await page.waitForFunction(() => window.__ios.some((m) => m.type === 'drawcheck:error'));
      log.loaded = true;
      const error = await page.evaluate(() => window.__ios.find((m) => m.type === 'drawcheck:error').error);
      assert.equal(error.code, 'pin');
      assert.match(error.message, /^refused: the rule pack's sha256 is [0-9a-f]{64}, but the host pinned 0{64}$/);
      assert.notEqual((await shown(page.mainFrame())).status, 'frozen');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('the page is locked down: strict CSP, own scripts only, no cookie, only the language stored', async () => {
  const html = await readFile(join(WWW, 'index.html'), 'utf8');
  const csp = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'sha256-[A-Za-z0-9+/]+=*' 'wasm-unsafe-eval'(;|$)/);
  assert.match(csp, /style-src 'sha256-[A-Za-z0-9+/]+=*'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|'unsafe-eval'|unsafe-hashes|\*|https?:/);
  // One inline script (the glue and main.js) and one inline style, each allowed by its own hash.
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  const styles = [...html.matchAll(/<style([^>]*)>([\s\S]*?)<\/style>/g)];
  assert.deepEqual(scripts.map((m) => m[1]), [' type="module"'], 'one inline module script, no src');
  assert.deepEqual(styles.map((m) => m[1]), [''], 'one inline style');
  assert.doesNotMatch(html, /<link[^>]*rel="(stylesheet|modulepreload)"/, 'nothing else to fetch first');
  for (const [, , text] of [...scripts, ...styles]) {
    const hash = createHash('sha256').update(text, 'utf8').digest('base64');
    assert.ok(csp.includes(`'sha256-${hash}'`), `the policy allows the inline element by its hash ${hash}`);
  }
  assert.doesNotMatch(scripts[0][2], /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function/);
  for (const file of ['main.js', 'bridge.js']) {
    const js = await readFile(join(WWW, file), 'utf8');
    assert.doesNotMatch(js, /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|localStorage|cookie/, file);
  }
  await withContext({ native: true }, async ({ page, log }) => {
    await page.goto(drawcheck.url, { waitUntil: 'load' });
    await page.waitForFunction(() => window.__ios.length > 0);
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    await page.evaluate(async (p) => window.drawcheck.show(p, { locale: 'en' }), await persona('overdue'));
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage)), [], 'a host profile is not stored');
    await page.click('#lang');
    assert.deepEqual(await page.evaluate(() => Object.entries(localStorage)), [['drawcheck.lang', '"zh-CN"']], 'the language choice only');
    assert.equal(await page.evaluate(() => document.cookie), '');
    const origins = new Set(log.requests.map((r) => new URL(r.url).origin));
    assert.deepEqual([...origins], [new URL(drawcheck.url).origin], 'no third party');
  });
});

test('the typed API: recourse, and compilePack with a pinned sha256', async () => {
  await withContext({}, async ({ page, log }) => {
    await page.goto(drawcheck.url, { waitUntil: 'load' });
    await mounted(page.mainFrame());
    await page.waitForLoadState('networkidle');
    const profile = await persona('overdue');
    const got = await page.evaluate(async (p) => {
      const api = await import('./api.js');
      await api.init();
      const plan = api.recourse(p, { locale: 'en' });
      const own = api.compilePack(api.defaultPackText()).pack.sha256;
      const pinned = api.compilePack(api.defaultPackText(), { sha256: own.toUpperCase() });
      const refused = api.compilePack(api.defaultPackText(), { sha256: '0'.repeat(64) });
      return {
        type: plan.type,
        steps: plan.recourse.steps.map((s) => s.action),
        same: JSON.stringify(plan.recourse) === JSON.stringify(plan.verdict.recourse),
        pinned: pinned.type === 'success' && pinned.engine.recourse(p).type,
        refused: refused.type === 'failure' && refused.errors[0].message,
      };
    }, profile);
    log.loaded = true;
    assert.equal(got.type, 'success');
    assert.deepEqual(got.steps, (await snapshot('overdue')).recourse.steps.map((s) => s.action));
    assert.ok(got.same);
    assert.equal(got.pinned, 'success');
    assert.match(got.refused, /^refused: the rule pack's sha256 is [0-9a-f]{64}, but it was pinned to 0{64}$/);
  });
});

test('the package: version is the crate\'s, and it ships the module, the glue, the API and its types', async () => {
  const pkg = JSON.parse(await readFile(join(WWW, 'package.json'), 'utf8'));
  const crate = (await readFile(join(ROOT, 'Cargo.toml'), 'utf8')).match(/^version = "(.*)"$/m)[1];
  assert.equal(pkg.version, crate);
  assert.equal(pkg.exports['.'].types, './api.d.ts');
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: WWW, encoding: 'utf8' }));
  const files = packed[0].files.map((f) => f.path).sort();
  for (const f of ['api.js', 'api.d.ts', 'pkg/drawcheck.js', 'pkg/drawcheck.d.ts', 'pkg/drawcheck_bg.wasm', 'package.json']) {
    assert.ok(files.includes(f), `${f} is in the package (${files.join(', ')})`);
  }
  assert.ok(!files.some((f) => f.startsWith('tests/') || f === 'index.html'), 'no tests, no page');
});
