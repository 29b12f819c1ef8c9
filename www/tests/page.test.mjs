// End-to-end tests of the borrower's page (www/, src/web/page.rs) in Debian's Chromium:
// personas, languages, keyboard, privacy (no request after load), hostile text, profile errors.
// Accessibility (axe-core) and the screenshots are in a11y.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, openPage, firstVerdict, choosePersona, readVerdict, WWW } from './harness.mjs';

let server;
let browser;
before(async () => {
  server = await serve();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** Opens the page, runs `body`, then checks that nothing went wrong on the way. */
async function withPage(opts, body) {
  const { page, log } = await openPage(browser, server.url, opts);
  try {
    await body(page, log);
    assert.deepEqual(log.errors, [], 'no console error (a CSP violation is one) and no exception');
    assert.deepEqual(log.dialogs, [], 'no dialog');
    assert.deepEqual(log.requests.filter((r) => r.afterLoad).map((r) => r.url), [], 'no request after load');
  } finally {
    await page.context().close();
  }
}

const yuan = (plain) => {
  const [int, frac] = plain.split('.');
  return `¥${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
};

const STATUS_WORDS = {
  en: {
    eligible: 'You can borrow',
    limited: 'You can borrow, with limits',
    paused: 'Drawing is paused',
    blocked: 'Drawing is blocked',
    frozen: 'Account frozen',
    incomplete: 'Not enough information',
  },
  'zh-CN': {
    eligible: '可以借款',
    limited: '可以借款，但有限制',
    paused: '暂停借款',
    blocked: '暂时不能借款',
    frozen: '账户已冻结',
    incomplete: '信息不全，无法判断',
  },
};

// The personas, plus two that show "show all" and missing facts. What each must show comes
// from the engine's snapshots (tests/snapshots/NAME.json, checked by hand against POLICY.md there);
// the status is also stated here so a snapshot change cannot silently change this test.
const PERSONAS = {
  healthy: 'eligible',
  overdue: 'blocked',
  login_lock: 'paused',
  maintenance_night: 'paused',
  new_device: 'blocked',
  income_unverified: 'limited',
  segment_c: 'limited',
  frozen: 'frozen',
  several_reasons: 'blocked',
  missing_capacity: 'incomplete',
};

async function snapshot(name) {
  return JSON.parse(await readFile(join(WWW, '..', 'tests', 'snapshots', `${name}.json`), 'utf8'));
}

for (const locale of ['en', 'zh-CN']) {
  test(`every persona shows its status, figures and reasons (${locale})`, async () => {
    await withPage({ locale }, async (page) => {
      for (const [name, status] of Object.entries(PERSONAS)) {
        const want = await snapshot(name);
        assert.equal(want.status, status, `${name}: the snapshot's status`);
        await choosePersona(page, name);
        const v = await readVerdict(page);
        assert.equal(v.status, status, `${name}: status`);
        assert.equal(v.word, STATUS_WORDS[locale][status], `${name}: status in words`);
        assert.equal(v.available, yuan(want.available), `${name}: available`);
        assert.equal(v.limit, yuan(want.effective_limit), `${name}: effective limit`);
        assert.deepEqual(v.rules, want.reasons.map((r) => r.rule), `${name}: reasons in order`);
        assert.deepEqual(v.principal, v.rules.slice(0, 4), `${name}: at most four principal reasons shown first`);
        assert.deepEqual(v.missing, want.missing, `${name}: missing facts`);
        if (locale === want.locale || (locale === 'zh-CN' && !want.locale)) {
          assert.deepEqual(v.titles, want.reasons.map((r) => r.title), `${name}: titles`);
        }
        for (const r of want.reasons) {
          const detail = await page.$eval(`#verdict .reason[data-rule="${r.rule}"] .detail`, (e) => e.textContent);
          assert.ok(detail.length > 20, `${name}/${r.rule}: the reason has its plain-words detail`);
          const steps = await page.$$eval(`#verdict .reason[data-rule="${r.rule}"] .steps .step-text`, (s) =>
            s.map((e) => e.textContent),
          );
          assert.equal(steps.length, r.steps.length, `${name}/${r.rule}: its steps as a list`);
        }
      }
    });
  });
}

test('a pause says when it ends: time left and the clock time', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    await choosePersona(page, 'maintenance_night');
    assert.deepEqual((await readVerdict(page)).until, ['Ends in 2 h 30 min, at 05:00']);
    await choosePersona(page, 'login_lock');
    assert.deepEqual((await readVerdict(page)).until, ['Ends in 22 h 48 min, at Nov 30, 2026, 08:48']);
    await page.click('#lang');
    assert.deepEqual((await readVerdict(page)).until, ['还有22小时 48分钟，于2026年11月30日 08:48结束']);
    await choosePersona(page, 'maintenance_night');
    assert.deepEqual((await readVerdict(page)).until, ['还有2小时 30分钟，于05:00结束']);
  });
});

test('steps carry their figures and dates', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    await choosePersona(page, 'overdue');
    const chips = await page.$$eval('#verdict .reason[data-rule="overdue_now"] .chip', (c) => c.map((e) => e.textContent));
    assert.ok(chips.includes('Amount ¥1,234.50'), JSON.stringify(chips));
    await choosePersona(page, 'several_reasons');
    const more = await page.$eval('#verdict details.more', (d) => d.open);
    assert.equal(more, false, 'reasons beyond four are behind "show all"');
    await page.click('#verdict details.more summary');
    assert.equal(await page.$eval('#verdict details.more', (d) => d.open), true);
    const phone = await page.$eval('#verdict a.chip[href^="tel:"]', (a) => a.getAttribute('href'));
    assert.equal(phone, 'tel:400-000-0000');
    // An edit that changes the verdict keeps "show all" open.
    await page.fill('[name="account.credit_limit"]', '18000.00');
    assert.equal((await readVerdict(page)).limit, '¥9,000.00');
    assert.equal(await page.$eval('#verdict details.more', (d) => d.open), true);
  });
});

test('the path back to drawing: its steps in order, what each gets to, and what nothing lifts', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    // Overdue: repaying unblocks but starts the 30-day cap (cleared 2026-11-29 + 30 days), then waiting ends it.
    await choosePersona(page, 'overdue');
    const plan = () =>
      page.$eval('#verdict .path', (p) => ({
        reach: p.querySelector('.reach')?.dataset.reachable ?? null,
        reachText: p.querySelector('.reach')?.textContent ?? '',
        steps: [...p.querySelectorAll('.plan > .step')].map((s) => [s.dataset.action, s.querySelector('.step-text').textContent]),
        then: [...p.querySelectorAll('.plan > .step .chips')].map((c) => c.textContent),
        fixed: [...p.querySelectorAll('.fixed > li')].map((l) => l.dataset.rule),
      }));
    let p = await plan();
    assert.equal(p.reach, 'eligible');
    assert.deepEqual(p.steps, [
      ['repay', 'Repay ¥1,234.50 (Overdue amount)'],
      ['wait', 'Wait until Dec 29, 2026, 00:00'],
    ]);
    assert.deepEqual(p.then, ['Then: You can borrow, with limits, ¥2,000.00 available', 'Then: You can borrow, ¥6,400.00 available']);
    assert.match(p.reachText, /¥6,400\.00/);
    // Frozen: nothing the borrower changes lifts it; the route that remains is support.
    await choosePersona(page, 'frozen');
    p = await plan();
    assert.deepEqual(p.steps, []);
    assert.deepEqual(p.fixed, ['account_frozen']);
    assert.ok(await page.$('#verdict .path .fixed a.chip[href^="tel:"]'), 'the route names the support phone');
    // In Chinese too.
    await page.click('#lang');
    await choosePersona(page, 'overdue');
    p = await plan();
    assert.deepEqual(p.steps.map((s) => s[1]), ['还款¥1,234.50（逾期金额）', '等到2026年12月29日 00:00']);
    // Eligible: no path is shown.
    await choosePersona(page, 'healthy');
    assert.equal(await page.$('#verdict .path'), null);
  });
});

test('missing facts are listed by their labels', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    await choosePersona(page, 'missing_capacity');
    const labels = await page.$$eval('#verdict .missing li', (l) => l.map((e) => e.textContent));
    assert.deepEqual(labels, ['Income verified', 'Monthly debt payments', 'Monthly income']);
    // Filling them in re-evaluates at once.
    await page.selectOption('[name="capacity.income_verified"]', 'true');
    await page.fill('[name="capacity.monthly_income"]', '9000');
    await page.fill('[name="capacity.monthly_debt_payments"]', '1000.5');
    const v = await readVerdict(page);
    assert.equal(v.status, 'eligible');
    assert.equal(v.available, '¥10,000.00');
  });
});

test('the form is built from the pack: groups, types, labels', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    const groups = await page.$$eval('fieldset.group legend', (l) => l.map((e) => e.textContent));
    assert.deepEqual(groups, ['Account', 'Credit record', 'Sign-in and device', 'Repayment capacity', 'This drawdown']);
    const kinds = await page.$$eval('fieldset.group [name]', (els) =>
      Object.fromEntries(els.map((e) => [e.name, e.tagName === 'SELECT' ? 'select' : `${e.type}/${e.inputMode}`])),
    );
    assert.equal(Object.keys(kinds).length, 24, 'every fact of the default pack has a control');
    assert.equal(kinds['account.status'], 'select');
    assert.equal(kinds['account.kyc_verified'], 'select');
    assert.equal(kinds['account.credit_limit'], 'text/decimal');
    assert.equal(kinds['account.age'], 'number/numeric');
    assert.equal(kinds['account.id_expiry'], 'date/');
    assert.equal(kinds['behavior.last_login_failure_at'], 'datetime-local/');
    assert.equal(kinds['account.region'], 'text/text');
    const bool = await page.$$eval('[name="credit.bureau_blacklisted"] option', (o) => o.map((e) => [e.value, e.textContent]));
    assert.deepEqual(bool, [['', '— not given —'], ['true', 'Yes'], ['false', 'No']]);
    // Every control has a label that names it.
    const unlabelled = await page.$$eval('input, select', (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id));
    assert.deepEqual(unlabelled, []);
    // as_of is filled from the device clock (zone Asia/Shanghai here), and "Now" refills it.
    const asOf = await page.inputValue('#f-as_of');
    assert.match(asOf, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    await page.fill('#f-as_of', '2026-12-06T02:30:00+08:00');
    await page.click('#now');
    assert.match(await page.inputValue('#f-as_of'), /\+08:00$/);
    assert.notEqual(await page.inputValue('#f-as_of'), '2026-12-06T02:30:00+08:00');
  });
});

test('a datetime field takes the zone of as_of; empty means never', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    await choosePersona(page, 'login_lock');
    assert.equal(await page.inputValue('[name="behavior.last_login_failure_at"]'), '2026-11-29T08:47:12');
    await page.fill('[name="behavior.last_login_failure_at"]', '2026-11-29T09:30:00');
    assert.deepEqual((await readVerdict(page)).until, ['Ends in 23 h 30 min, at Nov 30, 2026, 09:30']);
    await page.fill('[name="behavior.last_login_failure_at"]', '');
    // `never` failed: the lock has no end, so the pause is open-ended (no until line).
    const v = await readVerdict(page);
    assert.equal(v.status, 'paused');
    assert.deepEqual(v.until, []);
  });
});

test('switching language changes every visible text, and is remembered', async () => {
  const han = /\p{Script=Han}/u;
  const latin = /[A-Za-z]/;
  await withPage({ locale: 'zh-CN' }, async (page, log) => {
    for (const persona of ['several_reasons', 'missing_capacity', 'maintenance_night']) {
      await choosePersona(page, persona);
      if (await page.$('#verdict details.more')) await page.click('#verdict details.more summary');
      assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
      const zh = await visibleLines(page);
      await page.click('#lang');
      assert.equal(await page.getAttribute('html', 'lang'), 'en');
      assert.equal(await page.title(), 'Drawdown self-check');
      const en = await visibleLines(page);
      assert.equal(await page.textContent('#lang [lang]'), '中文');
      // No Chinese left in English.
      assert.deepEqual(en.filter((l) => han.test(l)), [], `${persona}: Chinese left in English`);
      // Every line with words in zh-CN is Chinese (a Latin word inside, like "App版本", is fine).
      assert.deepEqual(zh.filter((l) => latin.test(l) && !han.test(l)), [], `${persona}: English left in zh-CN`);
      // Every line with words changed.
      const same = zh.filter((l) => /\p{L}/u.test(l) && en.includes(l));
      assert.deepEqual(same, [], `${persona}: unchanged lines`);
      await page.click('#lang');
    }
    await page.click('#lang');
    log.loaded = false;
    await page.reload();
    await firstVerdict(page, log);
    await page.waitForLoadState('networkidle');
    log.loaded = true;
    assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the choice is remembered');
    const stored = await page.evaluate(() => Object.keys(localStorage));
    assert.deepEqual(stored, ['drawcheck.lang'], 'the language is all that is stored; the profile never is');
  });
  await withPage({ locale: 'en-GB' }, async (page) => {
    assert.equal(await page.getAttribute('html', 'lang'), 'en', "the default is the browser's language");
  });
});

/**
 * The page's visible text, line by line, with the selected option of each select, but without the
 * language switch (which names the other language in that language).
 */
function visibleLines(page) {
  return page.evaluate(() => {
    const lang = document.getElementById('lang');
    const text = document.body.innerText.replace(lang.innerText, '');
    const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const s of document.querySelectorAll('select')) lines.push(s.selectedOptions[0]?.textContent ?? '');
    return lines;
  });
}

test('keyboard only: focus order, persona, edit, show all, language', async () => {
  await withPage({ locale: 'en', width: 1280 }, async (page) => {
    await choosePersona(page, 'several_reasons');
    // Start the sequential focus navigation at the top of the page.
    await page.evaluate(() => document.activeElement?.blur());
    await page.mouse.click(2, 2);
    // The focus order follows the page: language, the verdict's controls (the support phone in the
    // path back to drawing, "show all"), the picker, as_of, now, fields.
    // (A date control takes one Tab per part: consecutive stops on one control count once.)
    const order = [];
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press('Tab');
      const stop = await page.evaluate(() => {
        const e = document.activeElement;
        return e.getAttribute('name') || e.id || e.tagName.toLowerCase();
      });
      if (order.at(-1) !== stop) order.push(stop);
    }
    assert.deepEqual(order.slice(0, 7), ['lang', 'a', 'summary', 'persona', 'as_of', 'now', 'account.status']);
    const fieldOrder = await page.$$eval('fieldset.group [name]', (els) => els.map((e) => e.name));
    assert.deepEqual(order.slice(6, 6 + fieldOrder.length), fieldOrder);
    // The focus is visible.
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none');

    // Pick a persona with the keyboard.
    await page.focus('#persona');
    await page.keyboard.press('Home');
    assert.equal((await readVerdict(page)).status, 'eligible', 'Home picks the first persona (healthy)');
    await page.keyboard.press('ArrowDown');
    assert.equal((await readVerdict(page)).status, 'blocked', 'ArrowDown picks the next (overdue)');

    // Edit a field by typing.
    await page.focus('[name="credit.overdue_days"]');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('0');
    assert.equal((await readVerdict(page)).status, 'eligible', 'no days overdue: the block lifts as you type');

    // Show all, by keyboard.
    await page.focus('#persona');
    await page.keyboard.press('End');
    await page.keyboard.press('ArrowUp');
    assert.equal((await readVerdict(page)).rules.length, 7);
    await page.focus('#verdict summary');
    await page.keyboard.press('Enter');
    assert.equal(await page.$eval('#verdict details.more', (d) => d.open), true);

    // Switch the language by keyboard: the focus stays on the switch.
    await page.focus('#lang');
    await page.keyboard.press('Enter');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lang');
    await page.keyboard.press('Space');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
  });
});

test('re-evaluates on every change; a profile error shows next to the form, not as a crash', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    await choosePersona(page, 'healthy');
    await page.fill('[name="account.credit_limit"]', '20000.123');
    const err = await page.textContent('#form-error');
    assert.match(err, /^A detail can't be read \(Credit limit\): `account\.credit_limit` is "20000\.123", which has more than 2 decimals/);
    assert.equal(await page.isVisible('#form-error'), true);
    assert.equal(await page.getAttribute('[name="account.credit_limit"]', 'aria-invalid'), 'true');
    assert.equal(await page.$eval('#verdict .card', (c) => c.classList.contains('st-error')), true);
    await page.fill('[name="account.credit_limit"]', '20000.12');
    assert.equal(await page.isVisible('#form-error'), false);
    assert.equal(await page.getAttribute('[name="account.credit_limit"]', 'aria-invalid'), null);
    const v = await readVerdict(page);
    assert.equal(v.status, 'eligible');
    assert.equal(v.available, '¥16,500.12');
    await page.fill('#f-as_of', 'tomorrow');
    assert.match(await page.textContent('#form-error'), /^A detail can't be read \(Evaluation time\): `as_of` is "tomorrow"/);
    await page.click('#lang');
    assert.match(await page.textContent('#form-error'), /^资料有误（评估时间）：`as_of` is "tomorrow"/);
    assert.equal(await page.getAttribute('#f-as_of', 'aria-invalid'), 'true');
  });
});

test('hostile text in a profile is shown as text, never run', async () => {
  const hostile = '<img src=x onerror=alert(1)>';
  await withPage({ locale: 'en' }, async (page, log) => {
    await choosePersona(page, 'healthy');
    // Free text (region) that a rule could quote.
    await page.fill('[name="account.region"]', hostile);
    assert.equal(await page.inputValue('[name="account.region"]'), hostile);
    assert.equal((await readVerdict(page)).status, 'eligible');
    // A value that the profile reader quotes in its error message.
    await page.fill('[name="account.app_version"]', hostile);
    const err = await page.textContent('#form-error');
    assert.ok(err.includes(hostile), err);
    assert.ok((await page.textContent('#verdict')).includes(hostile));
    const html = await page.$eval('#verdict', (v) => v.innerHTML);
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'escaped in the DOM');
    assert.equal(await page.$$eval('img', (i) => i.length), 0, 'no element was made from it');
    await page.waitForTimeout(200);
    assert.deepEqual(log.dialogs, []);
  });
});

test('no request leaves the page after it has loaded; every load is same-origin', async () => {
  await withPage({ locale: 'zh-CN' }, async (page, log) => {
    for (const name of Object.keys(PERSONAS)) await choosePersona(page, name);
    await page.fill('[name="request.amount"]', '123.45');
    await page.fill('[name="account.region"]', '<img src=x onerror=alert(1)>');
    await page.click('#now');
    await page.click('#lang');
    await page.click('#lang');
    await page.waitForTimeout(300);
    const origin = new URL(server.url).origin;
    const loads = log.requests.map((r) => r.url);
    assert.deepEqual(loads.filter((u) => !u.startsWith(origin)), []);
    assert.deepEqual(
      loads.map((u) => new URL(u).pathname).sort(),
      ['/', '/icon.svg', '/pkg/drawcheck_bg.wasm'],
    );
    // The promise is on the page.
    assert.match(await page.textContent('#privacy'), /您的数据不会离开这台设备/);
  });
});

test('the verdict region is a polite live region, and times are recorded', async () => {
  await withPage({ locale: 'en' }, async (page) => {
    assert.equal(await page.getAttribute('#verdict', 'aria-live'), 'polite');
    const first = await page.evaluate(() => Number(document.body.dataset.firstVerdictMs));
    assert.ok(first > 0 && first < 5000, `first verdict at ${first} ms`);
    await page.fill('[name="request.amount"]', '99999');
    const ms = await page.evaluate(() => Number(document.body.dataset.evalMs));
    assert.ok(ms >= 0 && ms < 50, `re-evaluation ${ms} ms`);
  });
});
