// The borrower's page: loads the wasm module and lets it build the page (src/web/page.rs).
// Nothing else runs here, and nothing is sent anywhere. The marks are for www/tests/bench.mjs.
import init, { mountPage } from './pkg/drawcheck.js';

await init();
performance.mark('drawcheck:wasm-ready');
mountPage(document.getElementById('app'));
performance.mark('drawcheck:mounted');
// The host bridge (docs/embedding.md), only when embedded: framed, a fragment, or a native channel.
if (parent !== window || location.hash || window.DrawcheckHost || window.webkit?.messageHandlers?.drawcheck) await import('./bridge.js');
