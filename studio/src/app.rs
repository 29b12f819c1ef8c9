//! The studio's layout and shared state. (Skeleton: helper A fills it in.)
//!
//! Interface the other panels rely on:
//! - `App` is a cheap, clonable handle (`Rc` inside);
//! - `App::shipped_pack_text()` — the shipped (baseline) pack's text;
//! - `App::edited_pack_text()` — the edited pack's text, or `None` while it has errors;
//! - `App::open_profile(json)` — show this profile (contract JSON text) in the side-by-side view.

use std::rc::Rc;
use web_sys::Element;

/// A handle on the studio's state.
#[derive(Clone)]
pub struct App {
    inner: Rc<()>,
}

impl App {
    /// The shipped pack's text (the baseline of every comparison).
    pub fn shipped_pack_text(&self) -> String {
        let _ = &self.inner;
        drawcheck::DEFAULT_PACK.to_string()
    }

    /// The edited pack's text, or `None` while it does not compile.
    pub fn edited_pack_text(&self) -> Option<String> {
        None
    }

    /// Shows this profile (contract JSON text) in the side-by-side view.
    pub fn open_profile(&self, _json: &str) {}
}

/// Builds the studio inside `root`.
pub fn mount(root: Element) {
    let app = App { inner: Rc::new(()) };
    let Some(doc) = root.owner_document() else { return };
    if let Ok(section) = doc.create_element("section") {
        let _ = root.append_child(&section);
        crate::population::mount(&section, app);
    }
    let _ = (crate::editor::NAME, crate::compare::NAME, crate::charts::NAME);
}
