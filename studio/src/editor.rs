//! The rule pack editor: the pack as text with line numbers, its diagnostics at their line and
//! column (marked in the text, in the gutter and listed), its id, version and hash, and reset /
//! load / download.
//!
//! The text area is a plain `<textarea>` (native editing, undo, selection, screen readers). Behind
//! it, a `<pre>` holds the same text, transparent, with `<mark>`s around each problem's span; the
//! gutter beside it holds the line numbers. Both scroll with the text area (`on_scroll`); the
//! stylesheet gives all three the same font, line height and padding, and no wrapping.

use crate::app::{self, App, State};
use crate::dom::{self, attr, attrs, el};
use crate::strings;
use drawcheck::{Diagnostic, Severity};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event, HtmlTextAreaElement};

pub const TEXT_ID: &str = "pack-text";
pub const FILE_ID: &str = "pack-file";
pub const LOAD_ID: &str = "load";
pub const RESET_ID: &str = "reset";
pub const DOWNLOAD_ID: &str = "download";
pub const COPY_ID: &str = "copy-sha";
const GUTTER_ID: &str = "pack-gutter";
const MARKS_ID: &str = "pack-marks";
const STATE_ID: &str = "pack-state";
const NOTE_ID: &str = "pack-note";
const COUNT_ID: &str = "diag-count";
const LIST_ID: &str = "diag-list";
/// The line height of the code (studio.css: `.code { line-height: 20px }`), to scroll to a line.
const LINE_PX: i32 = 20;

/// Builds the editor panel (empty of state: `refresh` fills it).
pub fn build(s: &State, doc: &Document, parent: &Element) {
    let ui = s.ui();
    let panel = el(doc, parent, "section", "panel editor", "");
    attr(&panel, "aria-labelledby", "pack-h");
    let head = el(doc, &panel, "div", "panel-head", "");
    let h = el(doc, &head, "h2", "", ui.pack_h);
    attr(&h, "id", "pack-h");
    let state = el(doc, &head, "span", "badge", "");
    attr(&state, "id", STATE_ID);

    let meta = el(doc, &panel, "dl", "meta", "");
    for (label, id) in [(ui.id, "pack-id"), (ui.version, "pack-version"), (ui.sha, "pack-sha")] {
        let row = el(doc, &meta, "div", "", "");
        el(doc, &row, "dt", "", label);
        let dd = el(doc, &row, "dd", "", "");
        let code = el(doc, &dd, "code", if id == "pack-sha" { "sha" } else { "" }, "");
        attr(&code, "id", id);
        if id == "pack-sha" {
            // The whole hash is in the text (the stylesheet shows its start, the title all of it),
            // so selecting and copying it copies all 64 digits; the button copies it too.
            let copy = el(doc, &dd, "button", "small", ui.copy);
            attrs(&copy, &[("type", "button"), ("id", COPY_ID), ("aria-describedby", "pack-sha")]);
        }
    }

    let bar = el(doc, &panel, "div", "toolbar", "");
    for (id, text) in [(RESET_ID, ui.reset), (LOAD_ID, ui.load), (DOWNLOAD_ID, ui.download)] {
        let b = el(doc, &bar, "button", "", text);
        attrs(&b, &[("type", "button"), ("id", id)]);
    }
    let file = el(doc, &bar, "input", "vh", "");
    attrs(&file, &[("type", "file"), ("id", FILE_ID), ("accept", ".toml,text/plain"), ("tabindex", "-1")]);
    attr(&file, "aria-hidden", "true");
    let note = el(doc, &panel, "p", "note", "");
    attrs(&note, &[("id", NOTE_ID), ("aria-live", "polite")]);

    let label = el(doc, &panel, "label", "vh", ui.pack_text);
    attr(&label, "for", TEXT_ID);
    let wrap = el(doc, &panel, "div", "code-wrap", "");
    let gutter = el(doc, &wrap, "div", "gutter", "");
    attrs(&gutter, &[("id", GUTTER_ID), ("aria-hidden", "true")]);
    let stack = el(doc, &wrap, "div", "code-stack", "");
    let marks = el(doc, &stack, "pre", "code marks", "");
    attrs(&marks, &[("id", MARKS_ID), ("aria-hidden", "true")]);
    let ta = el(doc, &stack, "textarea", "code", "");
    attrs(
        &ta,
        &[
            ("id", TEXT_ID),
            ("wrap", "off"),
            ("spellcheck", "false"),
            ("autocomplete", "off"),
            ("autocapitalize", "off"),
            ("aria-describedby", "pack-help diag-count"),
        ],
    );
    dom::set_value(&ta, &s.text);
    let help = el(doc, &panel, "p", "hint", ui.pack_help);
    attr(&help, "id", "pack-help");

    let problems = el(doc, &panel, "div", "problems", "");
    let h = el(doc, &problems, "h3", "", ui.problems);
    attr(&h, "id", "problems-h");
    let count = el(doc, &problems, "p", "count", "");
    attrs(&count, &[("id", COUNT_ID), ("aria-live", "polite"), ("aria-atomic", "true")]);
    let list = el(doc, &problems, "ul", "diags", "");
    attrs(&list, &[("id", LIST_ID), ("aria-labelledby", "problems-h")]);
}

/// Shows everything the editor derives from the state.
pub fn refresh(s: &State) {
    gutter(s);
    marks(s);
    problems(s);
    meta(s);
    edited_badge(s);
}

/// After a keystroke: what must follow the text at once (line numbers, the edited badge). The
/// marks would no longer sit on their text: they go until typing pauses and the pack is compiled.
pub fn typed(s: &State) {
    gutter(s);
    if let Some(m) = s.by_id(MARKS_ID) {
        dom::clear(&m);
    }
    edited_badge(s);
}

/// Compiles the edited text and shows the outcome.
pub fn recompile(s: &mut State) {
    s.edited = drawcheck::compile_pack(&s.text);
    refresh(s);
}

fn edited_badge(s: &State) {
    let Some(b) = s.by_id(STATE_ID) else { return };
    let ui = s.ui();
    let edited = s.text != drawcheck::DEFAULT_PACK;
    b.set_text_content(Some(if edited { ui.edited } else { ui.same }));
    attr(&b, "class", if edited { "badge edited" } else { "badge same" });
    attr(&b, "data-edited", if edited { "true" } else { "false" });
}

fn meta(s: &State) {
    let ui = s.ui();
    let (id, version, sha) = match &s.edited {
        Ok(p) => (p.id.as_str(), p.version.as_str(), p.sha256.as_str()),
        Err(_) => (ui.not_compiled_meta, "—", "—"),
    };
    for (el_id, text) in [("pack-id", id), ("pack-version", version), ("pack-sha", sha)] {
        if let Some(e) = s.by_id(el_id) {
            e.set_text_content(Some(text));
        }
    }
    if let Some(e) = s.by_id("pack-sha") {
        let mut title = String::from(ui.sha_full);
        title.push_str(sha);
        attr(&e, "title", &title);
    }
    if let Some(b) = s.by_id(COPY_ID) {
        attr(&b, "data-sha", sha);
        dom::flag(&b, "disabled", s.edited.is_err());
    }
}

/// Line numbers, with the lines that have a problem marked.
fn gutter(s: &State) {
    let Some(g) = s.by_id(GUTTER_ID) else { return };
    let lines = s.text.split('\n').count();
    let diags = s.diagnostics();
    let mut classes: Vec<&str> = vec!["ln"; lines];
    for d in diags.iter().rev() {
        if let Some(c) = classes.get_mut(d.line.max(1) - 1) {
            if *c != "ln err" {
                *c = if d.severity == Severity::Error { "ln err" } else { "ln warn" };
            }
        }
    }
    // Rebuilt only when it changes: a keystroke that adds no line leaves it alone.
    let mut key = dom::num(lines);
    for (i, c) in classes.iter().enumerate() {
        if *c != "ln" {
            key.push(' ');
            key.push_str(&dom::num(i));
            key.push_str(c);
        }
    }
    if g.get_attribute("data-key").as_deref() == Some(key.as_str()) {
        return;
    }
    attr(&g, "data-key", &key);
    // Read before the gutter changes: reading it after would lay the page out at once.
    let top = s.by_id(TEXT_ID).map(|ta| ta.scroll_top()).unwrap_or(0);
    dom::clear(&g);
    let doc = &s.doc;
    let Ok(frag) = doc.create_element("div") else { return };
    for (i, c) in classes.iter().enumerate() {
        el(doc, &frag, "span", c, &dom::num(i + 1));
    }
    el(doc, &frag, "span", "ln", " ");
    while let Some(child) = frag.first_child() {
        let _ = g.append_child(&child);
    }
    g.set_scroll_top(top);
}

/// The text behind the text area, with each problem's span in a `<mark>`. Only the text up to the
/// last mark is laid out (a pack of 600 lines costs tens of milliseconds to lay out again); the
/// rest is as many empty lines, and one line as wide as its widest, so that the marks can scroll
/// as far as the text area does.
fn marks(s: &State) {
    let Some(m) = s.by_id(MARKS_ID) else { return };
    let text = &s.text;
    // Read before the marks change: reading it after would lay the page out at once.
    let (top, left) = s.by_id(TEXT_ID).map(|ta| (ta.scroll_top(), ta.scroll_left())).unwrap_or((0, 0));
    let mut spans: Vec<(usize, usize, bool)> = s
        .diagnostics()
        .iter()
        .map(|d| {
            let start = byte_at(text, d.line, d.column);
            let end = byte_at(text, d.end_line, d.end_column).max(start);
            (start, end, d.severity == Severity::Error)
        })
        .collect();
    spans.sort_by_key(|(start, _, _)| *start);
    dom::clear(&m);
    let doc = &s.doc;
    let mut at = 0;
    let mut marked = false;
    for (start, end, error) in spans {
        if start < at {
            continue; // overlaps the previous mark
        }
        append_text(doc, &m, text.get(at..start).unwrap_or(""));
        let class = match (error, end > start) {
            (true, true) => "err",
            (true, false) => "err point",
            (false, true) => "warn",
            (false, false) => "warn point",
        };
        el(doc, &m, "mark", class, text.get(start..end).unwrap_or(""));
        at = end;
        marked = true;
    }
    if !marked {
        return; // no mark: nothing to lay out
    }
    let rest = text.get(at..).unwrap_or("");
    let (first, others) = rest.split_once('\n').unwrap_or((rest, ""));
    append_text(doc, &m, first);
    let widest = others.split('\n').map(|l| l.chars().count()).max().unwrap_or(0);
    let mut filler = "\n".repeat(others.matches('\n').count() + 1);
    // CJK characters are two columns wide: twice the characters is wide enough.
    filler.push_str(&" ".repeat(widest * 2));
    filler.push_str("\n ");
    append_text(doc, &m, &filler);
    m.set_scroll_top(top);
    m.set_scroll_left(left);
}

fn append_text(doc: &Document, parent: &Element, text: &str) {
    if !text.is_empty() {
        let _ = parent.append_child(&doc.create_text_node(text));
    }
}

/// The problems' count and list; each problem is a button that puts the caret there.
fn problems(s: &State) {
    let ui = s.ui();
    let diags = s.diagnostics();
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = diags.len() - errors;
    if let Some(c) = s.by_id(COUNT_ID) {
        let text =
            if diags.is_empty() { ui.no_problems.to_string() } else { strings::counts(s.locale, errors, warnings) };
        c.set_text_content(Some(&text));
        attr(&c, "data-errors", &dom::num(errors));
        attr(&c, "data-warnings", &dom::num(warnings));
        attr(&c, "class", if errors > 0 { "count bad" } else { "count" });
    }
    if let Some(ta) = s.by_id(TEXT_ID) {
        dom::flag(&ta, "aria-invalid", false);
        if errors > 0 {
            attr(&ta, "aria-invalid", "true");
        }
    }
    let Some(list) = s.by_id(LIST_ID) else { return };
    dom::clear(&list);
    let doc = &s.doc;
    for d in diags {
        let li = el(doc, &list, "li", "", "");
        diagnostic(doc, &li, d, ui);
    }
}

fn diagnostic(doc: &Document, li: &Element, d: &Diagnostic, ui: &strings::Ui) {
    let error = d.severity == Severity::Error;
    let b = el(doc, li, "button", if error { "diag err" } else { "diag warn" }, "");
    attrs(
        &b,
        &[
            ("type", "button"),
            ("data-line", &dom::num(d.line)),
            ("data-col", &dom::num(d.column)),
            ("data-end-line", &dom::num(d.end_line)),
            ("data-end-col", &dom::num(d.end_column)),
        ],
    );
    let mut at = dom::num(d.line);
    at.push(':');
    at.push_str(&dom::num(d.column));
    el(doc, &b, "span", "loc", &at);
    el(doc, &b, "span", "sev", ui.severity.get(usize::from(!error)).copied().unwrap_or(""));
    let msg = el(doc, &b, "span", "msg", &d.message);
    if let Some(rule) = &d.rule {
        let mut r = String::from(" (");
        r.push_str(rule);
        r.push(')');
        el(doc, &msg, "span", "rule", &r);
    }
    if let Some(hint) = &d.hint {
        let mut h = String::from(ui.hint);
        h.push_str(hint);
        el(doc, &b, "span", "dhint", &h);
    }
}

/// A place in a text: 1-based line and column (in characters), start and end.
#[derive(Clone, Copy)]
pub struct Place {
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
}

impl Place {
    /// The place a problem button points to.
    pub fn of(button: &Element) -> Option<Place> {
        if !button.class_list().contains("diag") {
            return None;
        }
        let n = |k: &str| button.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
        Some(Place {
            line: n("data-line")?,
            col: n("data-col")?,
            end_line: n("data-end-line")?,
            end_col: n("data-end-col")?,
        })
    }
}

/// Puts the caret on the pack's place (its span selected) and scrolls it into view.
pub fn go_to(s: &State, at: Place) {
    if let Some(ta) = s.by_id(TEXT_ID) {
        select(&ta, &s.text, at);
    }
}

/// The first problem (the "go to" of the edited column).
pub fn go_to_first(s: &mut State) {
    let first = s.diagnostics().first().map(|d| Place {
        line: d.line,
        col: d.column,
        end_line: d.end_line,
        end_col: d.end_column,
    });
    if let Some(at) = first {
        go_to(s, at);
    }
}

/// Focuses a text area, selects `at` in it and scrolls that line to a third of its height.
pub fn select(ta: &Element, text: &str, at: Place) {
    let start = byte_at(text, at.line, at.col);
    let end = byte_at(text, at.end_line, at.end_col).max(start);
    let utf16 = |b: usize| text.get(..b).map(|p| p.encode_utf16().count()).unwrap_or(0) as u32;
    dom::focus(ta);
    if let Some(t) = ta.dyn_ref::<HtmlTextAreaElement>() {
        let _ = t.set_selection_range(utf16(start), utf16(end));
    }
    let line = i32::try_from(at.line.max(1) - 1).unwrap_or(0);
    ta.set_scroll_top((line * LINE_PX - ta.client_height() / 3).max(0));
}

/// The byte offset of a 1-based line and column (in characters), clamped to the line's end
/// (line 0 or column 0, as a pack-level diagnostic has, is the start).
pub fn byte_at(text: &str, line: usize, col: usize) -> usize {
    let mut start = 0;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(i) => start += i + 1,
            None => return text.len(),
        }
    }
    let rest = text.get(start..).unwrap_or("");
    let line_text = rest.split('\n').next().unwrap_or("");
    let within = line_text.char_indices().nth(col.saturating_sub(1)).map(|(i, _)| i).unwrap_or(line_text.len());
    start + within
}

/// Keeps the gutter and the marks where the text area has scrolled to.
pub fn on_scroll(s: &State, e: &Event) {
    let Some(t) = dom::target(e) else { return };
    if t.get_attribute("id").as_deref() != Some(TEXT_ID) {
        return;
    }
    if let Some(g) = s.by_id(GUTTER_ID) {
        g.set_scroll_top(t.scroll_top());
    }
    if let Some(m) = s.by_id(MARKS_ID) {
        m.set_scroll_top(t.scroll_top());
        m.set_scroll_left(t.scroll_left());
    }
}

/// A short message under the toolbar (a file loaded, or not).
pub fn note(s: &State, text: &str) {
    if let Some(n) = s.by_id(NOTE_ID) {
        n.set_text_content(Some(text));
    }
}

/// Reads the chosen file and makes it the edited pack.
pub fn load_file(app: &App, input: &Element) {
    let Some(input) = input.dyn_ref::<web_sys::HtmlInputElement>() else { return };
    let Some(file) = input.files().and_then(|list| list.get(0)) else { return };
    // The same file can be chosen again after a reset.
    input.set_value("");
    let name = file.name();
    let app = app.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let file = gloo_file::File::from(file);
        let text = gloo_file::futures::read_as_text(&file).await.map_err(|_| ());
        app::pack_loaded(&app, name, text);
    });
}

/// Shows that a file was loaded (after `set_pack_text`).
pub fn loaded_note(s: &State) {
    let text = match &s.loaded_from {
        Some(name) => {
            let mut t = String::from(s.ui().loaded);
            t.push_str(name);
            t
        }
        None => String::new(),
    };
    note(s, &text);
}

/// Downloads the edited text as `<id>-<version>.toml` (a Blob behind an object URL; no request).
pub fn download(s: &mut State) {
    let name = match &s.edited {
        Ok(p) => file_name(&p.id, &p.version),
        Err(_) => String::from("pack-edited.toml"),
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(&s.text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("application/toml");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return };
    let Some(body) = s.doc.body() else { return };
    let a = el(&s.doc, &body, "a", "vh", "");
    attrs(&a, &[("href", &url), ("download", &name)]);
    if let Some(a) = a.dyn_ref::<web_sys::HtmlElement>() {
        a.click();
    }
    a.remove();
    // Revoked a little later: revoking at once can cancel the download in some browsers.
    gloo_timers::callback::Timeout::new(2000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}

/// A file name from the pack's id and version, keeping only characters safe in any file system.
fn file_name(id: &str, version: &str) -> String {
    let mut out = String::new();
    for part in [id, "-", version] {
        out.extend(part.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' }));
    }
    out.push_str(".toml");
    out
}

/// Copies the edited pack's full hash to the clipboard (if the browser lets the page).
pub fn copy_sha(s: &State) {
    let Some(b) = s.by_id(COPY_ID) else { return };
    let Some(sha) = b.get_attribute("data-sha") else { return };
    let Some(window) = web_sys::window() else { return };
    let clipboard = js_sys::Reflect::get(&window.navigator(), &JsValue::from_str("clipboard")).ok();
    let write = clipboard.as_ref().and_then(|c| js_sys::Reflect::get(c, &JsValue::from_str("writeText")).ok());
    let (Some(clipboard), Some(write)) = (clipboard, write) else { return };
    let Some(write) = write.dyn_ref::<js_sys::Function>() else { return };
    if let Ok(promise) = write.call1(&clipboard, &JsValue::from_str(&sha)) {
        if let Ok(promise) = promise.dyn_into::<js_sys::Promise>() {
            // A refusal (no permission) is not an error worth showing: the hash is selectable.
            wasm_bindgen_futures::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
    }
}
