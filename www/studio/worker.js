// The population worker (studio/src/worker.rs). gloo-worker 0.5 spawns it as a classic worker
// (`new Worker("studio/worker.js")`: its spawner has no module option), so the studio's ES module
// is loaded with a dynamic import(), which classic workers allow; same origin, no blob: URL, so
// the page's CSP (script-src 'self') holds. Messages sent before the module is ready wait in
// gloo's queue until startWorker() says the worker is loaded.
import('./pkg/studio.js').then(async ({ default: init, startWorker }) => {
  await init();
  startWorker();
});
