//! The borrower page's element builder (`drawcheck::web::dom`), plus what the studio needs.
//! Every text is set with `textContent`, never parsed as HTML; nothing here sets a `style`
//! attribute (the Content-Security-Policy allows only the stylesheet). Nothing here panics: a
//! failed DOM call is ignored.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Event, HtmlDocument, HtmlElement, HtmlTextAreaElement};

pub use drawcheck::web::dom::{attr, clear, el, focus, set_value, value};

/// Sets several attributes.
pub fn attrs(e: &Element, pairs: &[(&str, &str)]) {
    for (k, v) in pairs {
        attr(e, k, v);
    }
}

/// Sets or removes a boolean attribute (`hidden`, `disabled`).
pub fn flag(e: &Element, name: &str, on: bool) {
    if on {
        attr(e, name, "");
    } else {
        let _ = e.remove_attribute(name);
    }
}

/// Replaces a text area's whole text as one edit that Ctrl+Z takes back. Setting `value` would
/// clear the browser's undo history, and a reset or a loaded file is exactly what an author may
/// want to undo; `execCommand("insertText")` is the one way to add to that history. Where it is
/// not supported, `value` is set. The keyboard focus goes back to where it was.
pub fn replace_text(doc: &Document, ta: &Element, text: &str) {
    let before = doc.active_element();
    if let (Some(t), Some(d)) = (ta.dyn_ref::<HtmlTextAreaElement>(), doc.dyn_ref::<HtmlDocument>()) {
        let _ = t.focus();
        t.select();
        let _ = d.exec_command_with_show_ui_and_value("insertText", false, text);
    }
    // Not supported, or the text area normalised the text's line ends: `value` is the text.
    if value(ta) != text {
        set_value(ta, text);
    }
    if let Some(b) = before.and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
        let _ = b.focus();
    }
}

/// Sets `document.body.dataset[key] = value` (read by the tests).
pub fn body_data(doc: &Document, key: &str, value: &str) {
    if let Some(body) = doc.body() {
        if let Ok(set) = js_sys::Reflect::get(&body, &JsValue::from_str("dataset")) {
            let _ = js_sys::Reflect::set(&set, &JsValue::from_str(key), &JsValue::from_str(value));
        }
    }
}

/// The element an event happened on.
pub fn target(e: &Event) -> Option<Element> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok())
}

/// A listener for the page's lifetime. The callback takes the event by value: wasm-bindgen 0.2.130
/// shims a borrowed `&Event` with `table.fill`, which Debian's wasm-opt 108 cannot read (see the
/// borrower page).
pub fn listen(on: &Element, kind: &str, handler: impl FnMut(Event) + 'static) {
    let callback = Closure::<dyn FnMut(Event)>::new(handler);
    let _ = on.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
    callback.forget();
}

/// Milliseconds on the page's clock (only for the figures the benchmark reads).
pub fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// Decimal text of a count.
pub fn num(n: usize) -> String {
    n.to_string()
}
