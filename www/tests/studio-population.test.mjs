// End-to-end tests of the studio's population what-if (studio/src/population.rs, worker.rs,
// charts.rs) in Debian's Chromium: a generated population run in the workers with the default pack
// against an edited one (a lowered threshold) gives the report `drawcheck simulate` prints for the
// same seed, size and packs — figure for figure, in both exports; cancel; bad rows of a JSON Lines
// and a CSV file by line; a sample borrower opens in the side-by-side view; no CSP violation and no
// request after load. Screenshots (360 and 1280 px) land in www/tests/artifacts/studio-population-*.png.
//
// The native figures come from the CLI itself: `cargo build --profile cli --bin drawcheck` (a no-op
// when it is fresh; DRAWCHECK_BIN=PATH uses that binary instead), then `drawcheck simulate`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdir, mkdtemp, readFile, writeFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, launch, openPage, ARTIFACTS, WWW } from './harness.mjs';

const ROOT = join(WWW, '..'); // the repository
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server;
let browser;
let SHIPPED;
let EDITED;
let TMP;
let DRAWCHECK;

before(async () => {
  server = await serve();
  browser = await launch();
  SHIPPED = await readFile(join(ROOT, 'rules', 'default.toml'), 'utf8');
  // The example: lower the debt-to-income threshold from 50% to 45%.
  assert.ok(SHIPPED.includes('\ndti_max = 0.5\n'), 'the default pack has dti_max = 0.5');
  EDITED = SHIPPED.replace('\ndti_max = 0.5\n', '\ndti_max = 0.45\n');
  TMP = await mkdtemp(join(tmpdir(), 'drawcheck-pop-'));
  await writeFile(join(TMP, 'edited.toml'), EDITED);
  await mkdir(ARTIFACTS, { recursive: true });
  DRAWCHECK = process.env.DRAWCHECK_BIN ?? buildCli();
});
after(async () => {
  await browser?.close();
  await server?.close();
  if (TMP) await rm(TMP, { recursive: true, force: true });
});

function buildCli() {
  execFileSync('cargo', ['build', '--quiet', '--profile', 'cli', '--bin', 'drawcheck'], { cwd: ROOT, stdio: 'inherit' });
  return join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'cli', 'drawcheck');
}

/** `drawcheck ARGS…` → its standard output. */
function cli(...args) {
  return execFileSync(DRAWCHECK, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** Opens the studio, runs `body`, then checks that nothing went wrong on the way. */
async function withStudio(opts, body, { allowAfterLoad = () => false } = {}) {
  // English unless asked (the assertions read the panel's English words; one test switches to Chinese).
  const { page, log } = await openPage(browser, `${server.url}studio.html`, { width: 1280, height: 900, locale: 'en', ...opts });
  await page.evaluate(() => {
    window.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  try {
    await body(page, log);
    assert.deepEqual(await page.evaluate(() => window.cspViolations), [], 'no CSP violation');
    assert.deepEqual(log.errors, [], 'no console error (a CSP violation is one) and no exception');
    // A download's blob: URL is the page's own memory, not the network.
    const after = log.requests
      .filter((r) => r.afterLoad && !r.url.startsWith('blob:') && !allowAfterLoad(r.url))
      .map((r) => r.url);
    assert.deepEqual(after, [], 'no request after load');
  } finally {
    await page.context().close();
  }
}

/** Types the edited pack and waits until the panel may run it. */
async function editPack(page, text) {
  await page.fill('#pack-text', text);
  await page.waitForFunction(() => !document.querySelector('#pop-run').disabled, null, { timeout: 5000 });
}

const panelState = (page) => page.$eval('#pop-panel', (p) => p.dataset.state);

/** Clicks Run and waits for the report (or a failure, which fails the test with its message). */
async function run(page) {
  const before = await page.$eval('#pop-panel', (p) => Number(p.dataset.run ?? 0));
  await page.click('#pop-run');
  await page.waitForFunction(
    (n) => {
      const p = document.querySelector('#pop-panel');
      return p.dataset.state === 'failed' || (p.dataset.state === 'done' && Number(p.dataset.run) > n);
    },
    before,
    { timeout: 60000 },
  );
  assert.equal(await panelState(page), 'done', await page.$eval('#pop-why', (w) => w.textContent));
}

/** What the report shows: status table, matrix, transitions, bad rows, sample rows. */
async function readReport(page) {
  return page.$eval('#pop-panel', (p) => {
    const num = (s) => Number(s.replace(/[,+]/g, '').replace('−', '-'));
    const statuses = Object.fromEntries(
      [...p.querySelectorAll('#pop-status-table tbody tr')].map((tr) => {
        const c = [...tr.children].map((x) => x.textContent);
        return [c[0], { before: num(c[1]), after: num(c[2]), change: num(c[3]) }];
      }),
    );
    const matrix = {};
    for (const td of p.querySelectorAll('#pop-matrix td[data-from]')) {
      (matrix[td.dataset.from] ??= {})[td.dataset.to] = num(td.textContent);
    }
    return {
      population: Number(p.dataset.population),
      statuses,
      matrix,
      transitions: [...p.querySelectorAll('.pop-transitions li')].map((li) => li.textContent),
      badLines: [...p.querySelectorAll('#pop-bad-rows li')].map((li) => Number(li.dataset.line)),
      badMessages: [...p.querySelectorAll('#pop-bad-rows .pop-message')].map((m) => m.textContent),
      sampleRows: [...p.querySelectorAll('.pop-borrower')].map((b) => Number(b.dataset.row)),
      charts: [...p.querySelectorAll('svg.pop-chart')].map((s) => s.getAttribute('aria-label')),
      summary: p.querySelector('#pop-summary')?.textContent ?? '',
    };
  });
}

/** axe-core's serious and critical findings in the panel (its report included). */
async function axe(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run('#pop-panel', { resultTypes: ['violations'] });
    return r.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
  });
}

/** Clicks an export button and returns the downloaded file's name and text. */
async function download(page, id) {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`#${id}`)]);
  const path = join(TMP, `${Date.now()}-${dl.suggestedFilename()}`);
  await dl.saveAs(path);
  return { name: dl.suggestedFilename(), text: await readFile(path, 'utf8') };
}

const group = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

test('a generated population: the report adds up and is the one `drawcheck simulate` prints', async () => {
  const size = 20000;
  const seed = 7;
  const native = JSON.parse(
    cli('simulate', '--generate', String(size), '--seed', String(seed), '--rules', join(TMP, 'edited.toml'), '--format', 'json'),
  );
  const nativeCsv = cli(
    'simulate', '--generate', String(size), '--seed', String(seed), '--rules', join(TMP, 'edited.toml'), '--format', 'csv',
  );
  await withStudio({}, async (page) => {
    await editPack(page, EDITED);
    await page.fill('#pop-size', String(size));
    await page.fill('#pop-seed', String(seed));
    await run(page);
    const shown = await readReport(page);

    // The counts add up: every borrower is in one cell of the matrix, the rows are the statuses
    // under the shipped pack and the columns those under the edited pack.
    assert.equal(shown.population, size);
    const cells = Object.values(shown.matrix).flatMap((row) => Object.values(row));
    assert.equal(cells.reduce((a, b) => a + b, 0), size, 'the matrix adds up to the population');
    for (const [status, { before, after }] of Object.entries(shown.statuses)) {
      assert.equal(Object.values(shown.matrix[status]).reduce((a, b) => a + b, 0), before, `row ${status}`);
      assert.equal(Object.values(shown.matrix).reduce((a, row) => a + row[status], 0), after, `column ${status}`);
    }
    // Lowering the threshold moves borrowers from eligible to limited, and only that way.
    assert.ok(shown.matrix.eligible.limited > 0, 'someone moves from eligible to limited');

    // …and they are the CLI's figures for the same seed, size and packs.
    for (const row of native.statuses) {
      assert.deepEqual(shown.statuses[row.status], { before: row.before, after: row.after, change: row.change });
    }
    native.matrix.order.forEach((from, i) =>
      native.matrix.order.forEach((to, j) => assert.equal(shown.matrix[from][to], native.matrix.counts[i][j], `${from}→${to}`)),
    );
    assert.deepEqual(shown.transitions, native.transitions.map((t) => `${t.from} → ${t.to}: ${group(t.count)}`));
    assert.deepEqual(shown.sampleRows, native.sample.map((s) => s.row));
    assert.ok(shown.summary.includes(`${group(native.affected)} affected`), shown.summary);
    // Every chart says its figures.
    assert.ok(shown.charts.length >= 3);
    assert.ok(shown.charts[0].includes(`eligible: shipped ${group(native.statuses[0].before)}, edited ${group(native.statuses[0].after)}`));

    // The exports are the CLI's `--format json` and `--format csv`, byte for byte.
    const json = await download(page, 'pop-export-json');
    assert.equal(json.name, 'drawcheck-impact.json');
    assert.deepEqual(JSON.parse(json.text), native);
    const csv = await download(page, 'pop-export-csv');
    assert.equal(csv.name, 'drawcheck-impact.csv');
    assert.equal(csv.text, nativeCsv);

    await page.screenshot({ path: join(ARTIFACTS, 'studio-population-1280-en.png'), fullPage: true });
    assert.deepEqual(await axe(page), [], 'axe: no serious or critical violation in the panel (1280 px, en)');
    // The studio's language switch redraws the panel and its report in Chinese.
    await page.click('#lang');
    await page.waitForFunction(() => document.querySelector('#pop-title').textContent === '人群影响模拟');
    const zh = await readReport(page);
    assert.ok(zh.summary.includes(`${group(native.affected)} 位受影响`), zh.summary);
    assert.deepEqual(zh.statuses, shown.statuses);
    await page.setViewportSize({ width: 360, height: 780 });
    await page.screenshot({ path: join(ARTIFACTS, 'studio-population-360-zh.png'), fullPage: true });
    assert.deepEqual(await axe(page), [], 'axe: no serious or critical violation in the panel (360 px, zh-CN)');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at 360 px (${overflow} px too wide)`);

    // A sample borrower opens in the side-by-side view: the profile on screen is theirs.
    const first = native.sample[0];
    await page.click(`.pop-borrower[data-row="${first.row}"]`);
    await page.waitForFunction(
      (want) => {
        try {
          return JSON.stringify(JSON.parse(document.querySelector('#profile-text').value)) === want;
        } catch {
          return false;
        }
      },
      JSON.stringify(first.profile),
      { timeout: 5000 },
    );
    const after = await page.$eval('#compare', (c) => c.textContent);
    assert.ok(after.length > 0, 'the side-by-side view shows the borrower');

    // Editing the pack again marks the report as out of date.
    await page.fill('#pack-text', EDITED.replace('\ndti_max = 0.45\n', '\ndti_max = 0.4\n'));
    await page.waitForSelector('#pop-stale:not([hidden])', { timeout: 5000 });
  });
});

test('the edited pack has errors: Run is disabled and says why', async () => {
  await withStudio({}, async (page) => {
    await page.fill('#pack-text', SHIPPED.replace('\ndti_max = 0.5\n', '\ndti_max = \n'));
    await page.waitForFunction(() => document.querySelector('#pop-run').disabled, null, { timeout: 5000 });
    assert.match(await page.$eval('#pop-why', (w) => w.textContent), /edited pack has errors/);
    await editPack(page, EDITED);
    assert.equal(await page.$eval('#pop-why', (w) => w.textContent), '');
  });
});

test('cancel stops a run of a million and the panel is ready again', async () => {
  // Cancel closes the workers; the next run starts fresh ones, which load the studio's own code
  // again from the same origin (nothing else).
  const own = (url) => url.startsWith(server.url) && /\/studio\/(worker\.js|pkg\/studio(\.js|_bg\.wasm))$/.test(url);
  await withStudio({}, async (page) => {
    await editPack(page, EDITED);
    await page.fill('#pop-size', '1000000');
    await page.click('#pop-run');
    // Progress: a count and a rate, while the page stays responsive.
    await page.waitForFunction(() => /profiles\/s/.test(document.querySelector('#pop-count').textContent), null, {
      timeout: 20000,
    });
    assert.equal(await panelState(page), 'running');
    assert.equal(await page.$eval('#pop-run', (b) => b.disabled), true);
    const t0 = Date.now();
    assert.equal(await page.evaluate(() => 1 + 1), 2, 'the page answers during a run');
    assert.ok(Date.now() - t0 < 500, 'the page answers at once during a run');
    await page.click('#pop-cancel');
    assert.equal(await panelState(page), 'cancelled');
    assert.match(await page.$eval('#pop-why', (w) => w.textContent), /^Cancelled after [\d,]+ profiles\.$/);
    assert.equal(await page.$eval('#pop-run', (b) => b.disabled), false);
    assert.equal(await page.$eval('#pop-cancel', (b) => b.hidden), true);
    assert.equal(await page.$eval('.pop-progress', (p) => p.hidden), true);
    // No report of the cancelled run shows up later.
    await page.waitForTimeout(500);
    assert.equal(await panelState(page), 'cancelled');
    assert.equal(await page.$$eval('#pop-report > *', (e) => e.length), 0);
    // And the next run works.
    await page.fill('#pop-size', '1000');
    await run(page);
    assert.equal((await readReport(page)).population, 1000);
  }, { allowAfterLoad: own });
});

/** Chooses a file for the panel and runs it. */
async function runFile(page, name, text) {
  await page.setInputFiles('#pop-file', { name, mimeType: 'text/plain', buffer: Buffer.from(text) });
  await page.waitForFunction(() => !document.querySelector('#pop-run').disabled, null, { timeout: 5000 });
  await run(page);
}

test('a JSON Lines file with malformed rows: they are counted and listed by line, the run goes on', async () => {
  const lines = cli('generate', '8', '--seed', '3').trimEnd().split('\n');
  lines.splice(2, 0, '{"as_of": "2026-11-29T10:00:00+08:00", "account": {"status": "active"'); // line 3: cut short
  lines.splice(5, 0, ''); // line 6: blank (skipped, not bad)
  lines.splice(6, 0, '{"as_of": "2026-11-29T10:00:00+08:00", "acount": {}}'); // line 7: unknown field
  const path = join(TMP, 'book.jsonl');
  await writeFile(path, lines.join('\n') + '\n');
  const native = JSON.parse(cli('simulate', '--population', path, '--rules', join(TMP, 'edited.toml'), '--format', 'json'));
  assert.deepEqual(native.bad_rows.map((b) => b.line), [3, 7]);
  await withStudio({}, async (page) => {
    await editPack(page, EDITED);
    await runFile(page, 'book.jsonl', lines.join('\n') + '\n');
    const shown = await readReport(page);
    assert.equal(shown.population, 8);
    assert.deepEqual(shown.badLines, [3, 7]);
    assert.deepEqual(shown.badMessages, native.bad_rows.map((b) => b.message));
    const json = JSON.parse((await download(page, 'pop-export-json')).text);
    assert.equal(json.source, 'file: book.jsonl');
    assert.deepEqual({ ...json, source: native.source }, native);
  });
});

test('a CSV file with dotted-path headers and a bad row', async () => {
  const rows = cli('generate', '6', '--seed', '4', '--format', 'csv').trimEnd().split('\n');
  // Line 4: an age that is not a number.
  const header = rows[0].split(',');
  const age = header.indexOf('account.age');
  assert.ok(age >= 0, 'the CSV has account.age');
  const cells = rows[3].split(',');
  assert.equal(cells.length, header.length, 'row 3 has no quoted comma');
  cells[age] = 'thirty';
  rows[3] = cells.join(',');
  const text = rows.join('\n') + '\n';
  const path = join(TMP, 'book.csv');
  await writeFile(path, text);
  const native = JSON.parse(cli('simulate', '--population', path, '--rules', join(TMP, 'edited.toml'), '--format', 'json'));
  await withStudio({}, async (page) => {
    await editPack(page, EDITED);
    await runFile(page, 'book.csv', text);
    const shown = await readReport(page);
    assert.equal(shown.population, 5);
    assert.deepEqual(shown.badLines, [4]);
    const json = JSON.parse((await download(page, 'pop-export-json')).text);
    assert.deepEqual({ ...json, source: native.source }, native);
  });
});

test('a file larger than one read slice (8 MB) streams through: lines across slices keep their numbers', async () => {
  const lines = cli('generate', '40000', '--seed', '9').trimEnd().split('\n');
  // Spoil the line that holds the first slice's last byte, and one far into the third slice.
  const SLICE = 8 << 20;
  let at = 0;
  let cut = -1;
  for (let i = 0; i < lines.length; i++) {
    at += Buffer.byteLength(lines[i]) + 1;
    if (at > SLICE) { cut = i; break; }
  }
  assert.ok(cut > 0, 'the file is larger than one slice');
  lines[cut] = lines[cut].slice(0, 40);
  lines[cut + 20000] = '{"as_of": 7}';
  const text = lines.join('\n') + '\n';
  assert.ok(Buffer.byteLength(text) > 3 * SLICE, 'four slices');
  const path = join(TMP, 'big.jsonl');
  await writeFile(path, text);
  const native = JSON.parse(cli('simulate', '--population', path, '--rules', join(TMP, 'edited.toml'), '--format', 'json'));
  assert.deepEqual(native.bad_rows.map((b) => b.line), [cut + 1, cut + 20001]);
  await withStudio({}, async (page) => {
    await editPack(page, EDITED);
    await runFile(page, 'big.jsonl', text);
    const shown = await readReport(page);
    assert.equal(shown.population, 39998);
    assert.deepEqual(shown.badLines, [cut + 1, cut + 20001]);
    const json = JSON.parse((await download(page, 'pop-export-json')).text);
    assert.deepEqual({ ...json, source: native.source }, native);
  });
});
