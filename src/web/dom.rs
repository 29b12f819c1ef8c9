//! A tiny element builder for the page and the studio (which adds its own few to it), free of
//! generics so that it costs one copy in the module. Every text is
//! set with `textContent`, never parsed as HTML; nothing here sets a `style` attribute (the page's
//! Content-Security-Policy allows only the stylesheet). Nothing here panics: a failed DOM call is
//! ignored, and a failed `createElement` (which takes only the literal tag names below) appends to
//! the parent itself.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Document, Element, HtmlElement};

/// Appends `<tag class="class">text</tag>` to `parent` and returns it (empty class or text: none).
pub fn el(doc: &Document, parent: &Element, tag: &str, class: &str, text: &str) -> Element {
    let Ok(e) = doc.create_element(tag) else { return parent.clone() };
    if !class.is_empty() {
        attr(&e, "class", class);
    }
    if !text.is_empty() {
        e.set_text_content(Some(text));
    }
    let _ = parent.append_child(&e);
    e
}

/// A new `<tag class="class">`, not yet in the document (to be attached once, when built).
pub fn detached(doc: &Document, tag: &str, class: &str) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    attr(&e, "class", class);
    Some(e)
}

/// Sets an attribute (failures, such as an invalid name, are ignored).
pub fn attr(e: &Element, name: &str, value: &str) {
    let _ = e.set_attribute(name, value);
}

/// Removes every child.
pub fn clear(e: &Element) {
    e.set_text_content(None);
}

/// A form control's `value` property (`""` if it has none).
pub fn value(e: &Element) -> String {
    js_sys::Reflect::get(e, &JsValue::from_str("value")).ok().and_then(|v| v.as_string()).unwrap_or_default()
}

/// Sets a form control's `value` property.
pub fn set_value(e: &Element, v: &str) {
    let _ = js_sys::Reflect::set(e, &JsValue::from_str("value"), &JsValue::from_str(v));
}

/// Moves the keyboard focus to `e`.
pub fn focus(e: &Element) {
    if let Some(h) = e.dyn_ref::<HtmlElement>() {
        let _ = h.focus();
    }
}

/// Sets `document.body.dataset[key] = value` (a number, for the benchmark and the tests).
pub fn body_data(doc: &Document, key: &str, value: f64) {
    if let Some(body) = doc.body() {
        if let Ok(set) = js_sys::Reflect::get(&body, &JsValue::from_str("dataset")) {
            let _ = js_sys::Reflect::set(&set, &JsValue::from_str(key), &JsValue::from_f64(value));
        }
    }
}
