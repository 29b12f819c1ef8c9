// The studio editor's benchmark: how long the studio takes to show its first comparison, and how
// long one pause in typing takes to show (compile the edited pack, evaluate the profile under both
// packs with trace and recourse, redraw the problems, the two columns and the traces), in
// Debian's Chromium. Needs www/studio/pkg/ (bash scripts/build-web).
//
//   node www/tests/bench-studio-editor.mjs [--runs N] [--persona STEM]
//
// Prints the median and p90 of each. The debounce (150 ms) is not counted: it is a choice, not work.
import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serve, launch, openPage, WWW } from './harness.mjs';

const { values: args } = parseArgs({
  options: { runs: { type: 'string', default: '30' }, persona: { type: 'string', default: 'several_reasons' } },
});
const RUNS = Number(args.runs);
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))];
};

const shipped = await readFile(join(WWW, '..', 'rules', 'default.toml'), 'utf8');
const server = await serve();
const browser = await launch();
try {
  const loads = [];
  for (let i = 0; i < 5; i++) {
    const { page } = await openPage(browser, `${server.url}studio.html`, { locale: 'en', width: 1280, height: 900 });
    loads.push(Number(await page.evaluate(() => document.body.dataset.firstVerdictMs)));
    await page.context().close();
  }
  const { page } = await openPage(browser, `${server.url}studio.html`, { locale: 'en', width: 1280, height: 900 });
  const persona = await page.$eval('#persona', (s, stem) =>
    [...s.options].find((o) => o.dataset.persona === stem)?.value ?? null, args.persona);
  if (persona === null) throw new Error(`no persona ${args.persona}`);
  await page.selectOption('#persona', persona);
  const times = [];
  const compiles = [];
  for (let i = 0; i < RUNS; i++) {
    const text = shipped.replace('dti_max = 0.5', `dti_max = 0.${20 + i}`);
    await page.evaluate(() => { delete document.body.dataset.recompileMs; });
    await page.fill('#pack-text', text);
    await page.waitForFunction(() => document.body.dataset.recompileMs !== undefined);
    const d = await page.evaluate(() => ({ ...document.body.dataset }));
    times.push(Number(d.recompileMs));
    compiles.push(Number(d.compileMs));
  }
  await page.context().close();
  const f = (x) => `${x.toFixed(1)} ms`;
  console.log(`studio: navigation → first comparison on screen: median ${f(pct(loads, 0.5))} (of ${loads.length} loads)`);
  console.log(`studio: compiling the edited pack and showing its problems: median ${f(pct(compiles, 0.5))}, p90 ${f(pct(compiles, 0.9))}`);
  console.log(`studio: one recompile + both verdicts + redraw (${args.persona}): median ${f(pct(times, 0.5))}, p90 ${f(pct(times, 0.9))} (of ${RUNS})`);
} finally {
  await browser.close();
  await server.close();
}
