// The population worker (a module worker spawned by studio/src/worker.rs through gloo-worker):
// loads the studio's wasm module and registers the worker's handler.
import init, { startWorker } from './pkg/studio.js';

await init();
startWorker();
