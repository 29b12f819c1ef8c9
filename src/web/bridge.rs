//! The host bridge's one entry into the page (protocol version 1, docs/embedding.md).
//!
//! The bridge itself (messages, their origin, type and version, the global `drawcheck.show`, the URL
//! fragment, the reply channels, the pack pin) is `www/bridge.js`, which the page loads only when it
//! is embedded. It was first written here, in Rust, and measured with `twiggy diff`: the whole bridge
//! added 6.2 KB gzipped (module and glue) to what every borrower downloads, with 1 KB left in the
//! page's 200 KB budget; this entry adds about 0.6 KB (docs/embedding.md, "Size"). What has to be
//! in Rust is what only the page holds: its state and its rule pack.

use super::page;
use wasm_bindgen::prelude::*;

// A profile (JSON text) shown as if the borrower had typed it, with the rule pack `pack` (TOML
// text; `""`: the page's own), in the profile's `locale` (else the page's). www/bridge.js calls it
// once the profile has passed: it has checked the profile against the same pack through `Engine`
// (whose answer is the host's reply), refused a pack that does not compile or whose sha256 is not
// the pinned one, and put the host's `locale` into the profile. A profile that does not read leaves
// the page as it was. (A `//` comment: wasm-bindgen copies `///` docs into the glue every borrower
// downloads.)
#[allow(missing_docs)]
#[wasm_bindgen(js_name = showProfile)]
pub fn show_profile(profile: &str, pack: &str) {
    let pack = if pack.is_empty() { None } else { crate::compile_pack(pack).ok() };
    page::show(profile, pack);
}
