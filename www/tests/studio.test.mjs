// End-to-end tests of the studio's editor and side-by-side view (www/studio.html, studio/src/) in
// Debian's Chromium: edit a threshold → diagnostics at their line:column → fixed → the changed
// verdict, highlighted and labelled; load / download / reset; the profile's errors and as_of;
// hostile text in a pack; both languages; no CSP violation and no request after load. Screenshots
// (360 and 1280 px, zh-CN and en, light and dark) land in www/tests/artifacts/studio-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { serve, launch, openPage, ARTIFACTS, WWW } from './harness.mjs';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let SHIPPED;
before(async () => {
  server = await serve();
  browser = await launch();
  SHIPPED = await readFile(join(WWW, '..', 'rules', 'default.toml'), 'utf8');
  await mkdir(ARTIFACTS, { recursive: true });
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the studio, runs `body`, then checks that nothing went wrong on the way. */
async function withStudio(opts, body) {
  const { page, log } = await openPage(browser, `${server.url}studio.html`, { width: 1280, height: 900, ...opts });
  // Violations while the page is used (those during load are console errors, in log.errors).
  await page.evaluate(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await body(page, log);
    assert.deepEqual(await page.evaluate(() => window.cspViolations ?? []), [], "no CSP violation");
    assert.deepEqual(log.errors, [], 'no console error (a CSP violation is one) and no exception');
    assert.deepEqual(log.dialogs, [], 'no dialog');
    // A download's blob: URL is the page's own memory, not the network.
    const after = log.requests.filter((r) => r.afterLoad && !r.url.startsWith('blob:')).map((r) => r.url);
    assert.deepEqual(after, [], 'no request after load');
  } finally {
    await page.context().close();
  }
}

/** The pack text with one line replaced (the line must exist). */
function replaceLine(text, from, to) {
  assert.ok(text.includes(from), `the pack has the line ${from}`);
  return text.replace(from, to);
}

/** 1-based line and column (in characters) of `needle` in the line that contains `lineHas`. */
function placeOf(text, lineHas, needle) {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.includes(lineHas));
  assert.ok(i >= 0, `a line has ${lineHas}`);
  return { line: i + 1, col: [...lines[i].slice(0, lines[i].indexOf(needle))].length + 1 };
}

/** Types a new pack text (fill replaces the text area's value and fires `input`). */
async function setPack(page, text) {
  await page.fill('#pack-text', text);
}

/** Types a new pack text and waits until it is compiled and shown: the hash (of the text) changes. */
async function setPackAndWait(page, text) {
  const before = await page.textContent('#pack-sha');
  await setPack(page, text);
  await page.waitForFunction((b) => document.querySelector('#pack-sha').textContent !== b, before, { timeout: 5000 });
}

async function waitErrors(page, test) {
  await page.waitForFunction((t) => {
    const n = Number(document.querySelector('#diag-count')?.dataset.errors ?? -1);
    return t === 'some' ? n > 0 : n === 0;
  }, test, { timeout: 5000 });
}

async function column(page, id) {
  return page.$eval(`#${id}`, (c) => ({
    status: c.querySelector('.card')?.dataset.status ?? null,
    word: c.querySelector('.status .word')?.textContent ?? null,
    available: c.querySelector('[data-figure="available"]')?.textContent ?? null,
    rules: [...c.querySelectorAll('.reason')].map((r) => [r.dataset.rule, r.dataset.change ?? null]),
    text: c.textContent,
  }));
}

async function changes(page) {
  return page.$$eval('#changes [data-change]', (l) => l.map((e) => [e.dataset.change, e.dataset.rule ?? null, e.textContent]));
}

const DTI_LINE = 'dti_max = 0.5';
const DTI_WHEN = 'when = "capacity.monthly_debt_payments > params.dti_max * capacity.monthly_income"';

test('edit the DTI threshold: a type error at its line:column, fixed, then the changed verdict, highlighted', async () => {
  await withStudio({ locale: 'en' }, async (page) => {
    assert.equal(await page.inputValue('#pack-text'), SHIPPED, 'the editor starts with the shipped pack');
    assert.equal(await page.$eval('#pack-state', (b) => b.dataset.edited), 'false');
    assert.equal(await page.textContent('#pack-state'), 'Same as shipped');
    const shippedSha = await page.textContent('#pack-sha');
    assert.match(shippedSha, /^[0-9a-f]{64}$/, 'the whole hash is in the text (the stylesheet shortens it)');
    assert.equal(await page.getAttribute('#pack-sha', 'title'), `Full sha256: ${shippedSha}`);
    assert.equal(await page.textContent('#pack-version'), '1.0.0');
    assert.equal(await page.$eval('#pack-gutter', (g) => g.children.length - 1), SHIPPED.split('\n').length,
      'one line number per line');
    assert.equal((await column(page, 'col-shipped')).status, 'eligible');
    assert.equal((await column(page, 'col-edited')).status, 'eligible');
    assert.deepEqual((await changes(page)).map((c) => c[0]), ['none']);

    // A mistake a product person makes: the threshold written as a string.
    const broken = replaceLine(SHIPPED, DTI_LINE, 'dti_max = "0.2"');
    await setPack(page, broken);
    await waitErrors(page, 'some');
    const at = placeOf(broken, DTI_WHEN, 'params.dti_max');
    const first = await page.$eval('#diag-list .diag', (b) => ({
      loc: b.querySelector('.loc').textContent,
      msg: b.querySelector('.msg').textContent,
      line: b.dataset.line,
    }));
    assert.equal(first.loc, `${at.line}:${at.col}`, 'the error is at the multiplication that uses the param');
    assert.match(first.msg, /cannot apply `\*` to a string and money/);
    assert.match(await page.textContent('#diag-count'), /^\d+ errors?/);
    assert.equal(await page.getAttribute('#pack-text', 'aria-invalid'), 'true');
    assert.equal(await page.$eval('#pack-gutter', (g, n) => g.children[n - 1].className, at.line), 'ln err',
      'the line is marked in the gutter');
    const SPAN = 'params.dti_max * capacity.monthly_income';
    assert.equal(await page.$eval('#pack-marks mark.err', (m) => m.textContent), SPAN,
      'the operation is marked in the text');
    assert.equal(await page.textContent('#pack-state'), 'Edited');
    assert.equal(await page.textContent('#pack-id'), 'does not compile');
    const edited = await column(page, 'col-edited');
    assert.equal(edited.status, 'broken');
    assert.match(edited.text, /does not compile \(\d+ errors\)/);
    assert.equal((await column(page, 'col-shipped')).status, 'eligible', 'the shipped column still shows its verdict');

    // Keyboard: the first problem is a button; Enter puts the caret at its line and column.
    await page.focus('#diag-list .diag');
    await page.keyboard.press('Enter');
    const caret = await page.$eval('#pack-text', (t) => ({
      focused: document.activeElement === t,
      start: t.selectionStart,
      end: t.selectionEnd,
    }));
    const lines = broken.split('\n');
    const offset = lines.slice(0, at.line - 1).reduce((n, l) => n + l.length + 1, 0) + at.col - 1;
    assert.deepEqual(caret, { focused: true, start: offset, end: offset + SPAN.length });
    assert.ok(await page.$eval('#pack-text', (t) => t.scrollTop > 0), 'the editor scrolled to the problem');
    await page.screenshot({ path: join(ARTIFACTS, 'studio-en-1280-problems.png') });

    // Fixed: the threshold lowered to 20%. The healthy borrower pays 2,500 of 12,000 (20.8%).
    const fixed = replaceLine(SHIPPED, DTI_LINE, 'dti_max = 0.2');
    await setPack(page, fixed);
    await waitErrors(page, 'none');
    assert.equal(await page.textContent('#diag-count'), 'No problems');
    assert.equal(await page.$$eval('#pack-gutter .err', (l) => l.length), 0);
    assert.equal(await page.getAttribute('#pack-text', 'aria-invalid'), null);
    const sha = await page.textContent('#pack-sha');
    assert.match(sha, /^[0-9a-f]{64}$/);
    assert.notEqual(sha, shippedSha, 'the hash follows the text');

    const shipped = await column(page, 'col-shipped');
    const after = await column(page, 'col-edited');
    assert.equal(shipped.status, 'eligible');
    assert.equal(after.status, 'limited');
    assert.equal(after.word, 'You can borrow, with limits', 'the status is a word');
    assert.deepEqual(after.rules, [['high_dti', 'added']]);
    assert.equal(await page.$eval('#col-edited .reason.added .mark-label', (l) => l.textContent), 'added');
    assert.equal(await page.$eval('#col-edited .status', (s) => s.classList.contains('differs')), true);
    const list = await changes(page);
    assert.deepEqual(list.map((c) => c[0]), ['status', 'available', 'limit', 'added']);
    assert.match(list[0][2], /^Status changed: You can borrow → You can borrow, with limits$/);
    assert.equal(list[3][1], 'high_dti');

    // The trace: the rule fires only under the edited pack, with the figures it compared.
    const rule = await page.$eval('#trace-edited [data-rule="high_dti"]', (r) => ({
      result: r.dataset.result,
      differs: r.classList.contains('differs'),
      nodes: [...r.querySelectorAll('.node')].map((n) => n.textContent),
    }));
    assert.equal(rule.result, 'fired');
    assert.equal(rule.differs, true);
    assert.ok(rule.nodes.includes(`${DTI_WHEN.slice(8, -1)} = true`), rule.nodes.join('\n'));
    assert.ok(rule.nodes.some((n) => /^params\.dti_max = 0\.2$/.test(n)), rule.nodes.join('\n'));
    assert.ok(rule.nodes.some((n) => /^capacity\.monthly_debt_payments = .*2,?500/.test(n)), rule.nodes.join('\n'));
    // Under the shipped pack it did not fire: shown open (not folded with the others), labelled.
    const before = await page.$eval('#trace-shipped [data-rule="high_dti"]', (r) => ({
      result: r.dataset.result,
      folded: r.closest('details') !== null,
      label: r.querySelector('.mark-label')?.textContent,
    }));
    assert.deepEqual(before, { result: 'not fired', folded: false, label: 'fires only under the edited pack' });

  });
});

test('load a pack from a file, download the edited pack, reset to the shipped one', async () => {
  await withStudio({ locale: 'en' }, async (page) => {
    const mine = replaceLine(replaceLine(SHIPPED, DTI_LINE, 'dti_max = 0.2'), 'version = "1.0.0"', 'version = "1.1.0"');
    await page.setInputFiles('#pack-file', { name: 'mine.toml', mimeType: 'text/plain', buffer: Buffer.from(mine) });
    await page.waitForFunction(() => document.querySelector('#pack-version')?.textContent === '1.1.0');
    assert.equal(await page.inputValue('#pack-text'), mine);
    assert.equal(await page.textContent('#pack-note'), 'Loaded: mine.toml');
    assert.equal(await page.textContent('#pack-state'), 'Edited');
    assert.equal((await column(page, 'col-edited')).status, 'limited');

    // A small edit after loading, then download: the file is the text on screen, named by the pack.
    const typed = mine.replace('dti_max = 0.2', 'dti_max = 0.25');
    await setPackAndWait(page, typed);
    await waitErrors(page, 'none');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    assert.equal(download.suggestedFilename(), 'default-1.1.0.toml');
    assert.equal(await readFile(await download.path(), 'utf8'), typed);

    const typedStatus = (await column(page, 'col-edited')).status;
    await page.click('#reset');
    assert.equal(await page.inputValue('#pack-text'), SHIPPED);
    assert.equal(await page.textContent('#pack-state'), 'Same as shipped');
    assert.equal(await page.textContent('#pack-version'), '1.0.0');
    assert.equal(await page.textContent('#pack-note'), '');
    assert.deepEqual((await changes(page)).map((c) => c[0]), ['none']);

    // Reset is one edit that the keyboard's undo takes back: the author's text returns, and the
    // verdicts follow it.
    await page.focus('#pack-text');
    await page.keyboard.press('Control+z');
    await page.waitForFunction(() => document.querySelector('#pack-state')?.textContent === 'Edited');
    assert.equal(await page.inputValue('#pack-text'), typed);
    // The pack is compiled again once typing pauses (debounced), as after any edit.
    await page.waitForFunction(() => document.querySelector('#pack-version')?.textContent === '1.1.0', null, { timeout: 5000 });
    assert.equal((await column(page, 'col-edited')).status, typedStatus);
  });
});

test('hostile text in a pack renders as text, never as markup', async () => {
  await withStudio({ locale: 'en' }, async (page) => {
    const evil = '<img src=x onerror="window.pwned=1">';
    const pack = replaceLine(SHIPPED, 'title.en = "Your account is frozen"', `title.en = '${evil}'`);
    await setPackAndWait(page, pack);
    await waitErrors(page, 'none');
    await page.selectOption('#persona', { label: 'Frozen' });
    await page.waitForSelector('#col-edited .reason[data-rule="account_frozen"]');
    assert.equal(await page.textContent('#col-edited .reason[data-rule="account_frozen"] .title'), evil);
    assert.equal(await page.$eval('#changes li[data-rule="account_frozen"]', (l) => l.dataset.change), 'changed');
    // A hostile name in the pack reaches a diagnostic's message: text too.
    await setPack(page, pack.replace('when = \'account.status == "frozen"\'', `when = 'account.${evil} == 1'`));
    await waitErrors(page, 'some');
    assert.equal(await page.$$eval('#studio img', (l) => l.length), 0, 'no element was made from the text');
    assert.equal(await page.evaluate(() => window.pwned), undefined);
  });
});

test('the profile: its errors at line and column, and an as_of that changes the verdict', async () => {
  await withStudio({ locale: 'en' }, async (page) => {
    const healthy = await page.inputValue('#profile-text');
    assert.equal(await page.inputValue('#as-of'), '2026-11-29T10:00:00+08:00');

    // The ID expires on 2031-08-17: a later as_of blocks under both packs.
    await page.fill('#as-of', '2031-09-01T10:00:00+08:00');
    await page.waitForFunction(() => document.querySelector('#col-shipped .card')?.dataset.status === 'blocked');
    assert.match(await page.inputValue('#profile-text'), /"as_of": "2031-09-01T10:00:00\+08:00"/);
    assert.equal(await page.inputValue('#persona'), 'custom');
    assert.ok((await column(page, 'col-edited')).rules.some(([r]) => r === 'id_expired'));

    // A typo in a field name: the error names it, with its line and column, and the caret goes there.
    const typo = healthy.replace('"overdue_days"', '"overdue_dayz"');
    await page.fill('#profile-text', typo);
    await page.waitForSelector('#profile-error .perr');
    assert.match(await page.textContent('#profile-error'), /overdue_dayz/);
    const line = typo.split('\n').findIndex((l) => l.includes('overdue_dayz')) + 1;
    assert.match(await page.textContent('#profile-error .perr'), new RegExp(`^line ${line}, column \\d+$`));
    assert.equal(await page.getAttribute('#profile-text', 'aria-invalid'), 'true');
    await page.click('#profile-error .perr');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'profile-text');
    assert.equal((await column(page, 'col-shipped')).status, 'error');

    await page.selectOption('#persona', { label: 'Overdue' });
    assert.equal((await column(page, 'col-shipped')).status, 'blocked');
    assert.equal(await page.textContent('#profile-error'), '');
  });
});

for (const locale of ['en', 'zh-CN']) {
  for (const width of [360, 1280]) {
    test(`screens: ${locale} at ${width} px, a changed verdict in words, both columns readable`, async () => {
      await withStudio({ locale, width, height: width === 360 ? 780 : 900 }, async (page) => {
        const zh = locale === 'zh-CN';
        assert.equal(await page.getAttribute('html', 'lang'), locale);
        assert.equal(await page.textContent('h1'), zh ? 'drawcheck 规则工作室' : 'drawcheck studio');
        const pack = replaceLine(SHIPPED, DTI_LINE, 'dti_max = 0.2');
        await setPack(page, pack);
        await page.waitForSelector('#col-edited .reason.added');
        // Show the edited line near the top of the editor (the gutter follows the scroll).
        const line = pack.split('\n').findIndex((l) => l.startsWith('dti_max')) + 1;
        await page.$eval('#pack-text', (t, line) => { t.scrollTop = (line - 4) * 20; }, line);
        await page.waitForFunction(() =>
          document.querySelector('#pack-gutter').scrollTop === document.querySelector('#pack-text').scrollTop);
        const edited = await column(page, 'col-edited');
        assert.equal(edited.word, zh ? '可以借款，但有限制' : 'You can borrow, with limits');
        // The verdict's own texts are in the chosen language too.
        assert.match(edited.text, zh ? /额度下调/ : /your limit is lowered/i);
        const stacked = await page.$eval('.compare .columns', (c) => getComputedStyle(c).gridTemplateColumns.split(' ').length);
        assert.equal(stacked, width === 360 ? 1 : 2, width === 360 ? 'stacked on a phone' : 'side by side');
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px too wide)`);
        await page.screenshot({ path: join(ARTIFACTS, `studio-${locale}-${width}.png`), fullPage: true });
        if (width === 1280 && zh) {
          await page.emulateMedia({ colorScheme: 'dark' });
          await page.screenshot({ path: join(ARTIFACTS, `studio-${locale}-${width}-dark.png`), fullPage: true });
        }
      });
    });
  }
}

test('the language switch changes the labels and the verdict texts, and is remembered', async () => {
  await withStudio({ locale: 'en' }, async (page, log) => {
    await setPack(page, replaceLine(SHIPPED, DTI_LINE, 'dti_max = 0.2'));
    await page.waitForSelector('#col-edited .reason.added');
    await page.click('#lang');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lang', 'focus stays on the switch');
    assert.equal(await page.textContent('#pack-state'), '已编辑');
    assert.match(await page.textContent('#col-edited .reason .title'), /额度下调/);
    assert.match(await page.inputValue('#pack-text'), /dti_max = 0\.2/, 'the edit survives the switch');
    log.loaded = false; // a reload loads the page again
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.firstVerdictMs !== undefined);
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  });
});

/** axe-core's serious and critical findings in the studio's own part (the population panel has its own tests). */
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = await page.evaluate(() =>
    window.axe.run('#studio-shell', {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

for (const dark of [false, true]) {
  test(`axe finds no serious or critical violation (${dark ? 'dark' : 'light'}; changed verdict, problems, profile error)`, async () => {
    for (const width of [360, 1280]) {
      await withStudio({ locale: 'zh-CN', width, dark }, async (page) => {
        const found = [];
        await setPack(page, replaceLine(SHIPPED, DTI_LINE, 'dti_max = 0.2'));
        await page.waitForSelector('#col-edited .reason.added');
        for (const v of await axe(page)) found.push(`${width} changed: ${v}`);
        await setPack(page, replaceLine(SHIPPED, DTI_LINE, 'dti_max = "0.2"'));
        await waitErrors(page, 'some');
        await page.fill('#profile-text', '{ "as_of": 1 }');
        await page.waitForSelector('#profile-error .perr');
        await page.click('#lang');
        for (const v of await axe(page)) found.push(`${width} problems: ${v}`);
        assert.deepEqual(found, []);
      });
    }
  });
}
