// The borrower's page starts here: the wasm module, then the page it builds (src/web/page.rs), then
// the host bridge when embedded. Nothing else runs here, and nothing is sent anywhere. The marks are
// for www/tests/bench.mjs.
//
// scripts/pages.py inlines this module, after the module's glue (www/pkg/drawcheck.js), into the
// page's one HTML file, and calls `start`: the page then needs one request besides the wasm module,
// which starts compiling as its bytes arrive instead of after three more files.

/**
 * `glue`: the exports of www/pkg/drawcheck.js. `wasm`: the module's URL, or its bytes (the offline
 * single file). `bridge`: loads www/bridge.js. `hosted`: start the bridge whatever the page sees
 * (the single file, which only an app opens).
 */
export async function start(glue, { wasm, bridge, hosted }) {
  await glue.default({ module_or_path: wasm });
  performance.mark('drawcheck:wasm-ready');
  glue.mountPage(document.getElementById('app'));
  performance.mark('drawcheck:mounted');
  // The host bridge (docs/embedding.md), only when embedded: framed, a fragment, or a native channel.
  const embedded = parent !== window || location.hash || window.DrawcheckHost || window.webkit?.messageHandlers?.drawcheck;
  if (hosted || embedded) (await bridge()).start(glue);
}
