// The offline single file's benchmark: its size (raw, and gzipped as an app's asset bundle or a
// server would compress it) and the time from opening it (file://, every request blocked) to the
// first verdict, median of several fresh loads. Build it first: scripts/build-single.
//
//   node www/tests/bench-single.mjs [--loads N]
//
// Two times per load, both from navigation start (performance.now() in the page):
//   - the first verdict in the DOM (the page's own, body.dataset.firstVerdictMs);
//   - the host's profile answered: opened with #p=<profile>, the `drawcheck:verdict` reply received
//     by an iOS-like message handler (the bridge compiles the pack once more for its replies).
import { gzipSync } from 'node:zlib';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import os from 'node:os';
import { launch, quietGoto, WWW } from './harness.mjs';

const { values: args } = parseArgs({ options: { loads: { type: 'string', default: '9' } } });
const LOADS = Number(args.loads);
const FILE = join(WWW, '..', 'dist', 'drawcheck.html');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ms = (x) => `${x.toFixed(1)} ms`;

const body = await readFile(FILE).catch(() => {
  console.error(`bench-single: ${FILE} is missing; run scripts/build-single first`);
  process.exit(2);
});
console.log(`dist/drawcheck.html: ${body.length} bytes raw, ${gzipSync(body, { level: 9 }).length} gzipped (zlib 9)`);

const profile = JSON.parse(await readFile(join(WWW, '..', 'tests', 'personas', 'overdue.json'), 'utf8'));
const url = `${pathToFileURL(FILE).href}#p=${Buffer.from(JSON.stringify(profile)).toString('base64url')}`;
const browser = await launch();
const firsts = [];
const replies = [];
let requests = 0;
try {
  for (let i = 0; i < LOADS; i++) {
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    await context.route('**', (r) => (r.request().isNavigationRequest() ? r.continue() : r.abort()));
    context.on('request', (r) => r.isNavigationRequest() || requests++);
    await context.addInitScript(() => {
      window.webkit = {
        messageHandlers: {
          drawcheck: {
            postMessage: (m) => {
              if (m.type === 'drawcheck:verdict') window.__replyMs ??= performance.now();
            },
          },
        },
      };
    });
    const page = await context.newPage();
    await quietGoto(page, url, 1500);
    const t = await page.waitForFunction(() => window.__replyMs !== undefined && document.body.dataset.firstVerdictMs !== undefined &&
      { first: Number(document.body.dataset.firstVerdictMs), reply: window.__replyMs }, null, { timeout: 15000 });
    const { first, reply } = await t.jsonValue();
    firsts.push(first);
    replies.push(reply);
    await context.close();
  }
} finally {
  await browser.close();
}
console.log(`\nOpening it (file://, every request blocked; ${LOADS} fresh loads) to:`);
console.log(`  the first verdict in the DOM     median ${ms(median(firsts))}  (min ${ms(Math.min(...firsts))}, max ${ms(Math.max(...firsts))})`);
console.log(`  the host's profile answered      median ${ms(median(replies))}  (min ${ms(Math.min(...replies))}, max ${ms(Math.max(...replies))})`);
console.log(`  requests attempted besides the document: ${requests}`);
console.log(`  (load average while measuring: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.cpus().length} cores)`);
process.exit(requests === 0 ? 0 : 1);
