//! The web face, compiled only for wasm32: the JS API (`api`), the borrower's page (`page`) and
//! the host bridge (`bridge`).
//! Nothing below this module knows it exists.

pub mod api;
pub mod bridge;
pub mod dom;
pub mod page;
pub mod shown;

use crate::pack::Pack;
use std::cell::OnceCell;
use std::rc::Rc;

thread_local! {
    static DEFAULT_PACK: OnceCell<Option<Rc<Pack>>> = const { OnceCell::new() };
}

/// The embedded default pack, compiled once per wasm instance: the page shows it and the bridge's
/// `Engine.withDefaultPack()` answers with the same one. (Compiling it takes ~40 ms in fresh wasm;
/// a second compile delayed an embedded page's first reply to its host by as much.) `None` only
/// if it does not compile, which a test rules out.
pub(crate) fn default_pack() -> Option<Rc<Pack>> {
    DEFAULT_PACK.with(|cell| cell.get_or_init(|| crate::compile_pack(crate::DEFAULT_PACK).ok().map(Rc::new)).clone())
}
