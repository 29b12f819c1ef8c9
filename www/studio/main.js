// The studio: loads its own wasm module (www/studio/pkg/, built by scripts/build-web) and lets it
// build the page (studio/src/). Nothing is sent anywhere.
import init, { mountStudio } from './pkg/studio.js';

await init();
mountStudio(document.getElementById('studio'));
