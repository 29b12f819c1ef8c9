//! The product team's studio (www/studio.html): edit the rule pack live, compare the verdict under
//! the shipped pack and the edited one side by side, and see what the change does to a whole
//! population — all on the device. A wasm module of its own, so the borrower's page stays small.
//!
//! Code map:
//! - [`app`]: the studio's layout and shared state (shipped pack, edited pack, the profile on
//!   screen), and the handle the panels talk through.
//! - [`editor`]: the rule pack as text with line numbers, diagnostics as you type, hash and version,
//!   reset / load / download.
//! - [`profile`]: the profile on screen: persona picker, JSON text, `as_of`.
//! - [`compare`]: the verdict under both packs side by side, what changed, and the trace.
//! - [`population`]: the what-if panel: a generated or loaded population, run in a worker with
//!   progress and cancel, the impact report, its charts and exports.
//! - [`charts`]: small SVG charts (no framework).
//! - [`worker`]: the Web Worker (gloo-worker) that evaluates a population under two packs.
//! - [`strings`]: the studio's own words in zh-CN and en; [`dom`]: a tiny element builder.
//!
//! Like the borrower's page, it sets every text as text and makes no request.
#![cfg(target_arch = "wasm32")]

mod app;
mod charts;
mod compare;
mod dom;
mod editor;
mod population;
mod profile;
mod strings;
mod worker;

use wasm_bindgen::prelude::*;

/// Builds the studio inside `root`. Never throws.
#[wasm_bindgen(js_name = mountStudio)]
pub fn mount_studio(root: web_sys::Element) {
    app::mount(root);
}

/// The worker's entry point: www/studio/worker.js calls it once the module is loaded.
#[wasm_bindgen(js_name = startWorker)]
pub fn start_worker() {
    worker::register();
}
