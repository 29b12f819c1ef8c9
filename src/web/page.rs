//! The borrower's self-check page (www/index.html mounts it with `mountPage`): a profile form built
//! from the rule pack's schema, and a verdict card that is re-evaluated on every input, on the
//! device. Nothing here makes a request; the language choice is the only thing stored.
//!
//! The verdict is built first and the form after the verdict has been painted (`after_paint`): the
//! borrower's first look is the answer, and the form's ~30 controls do not delay it.
//!
//! One state (`App`) lives in a thread-local; two delegated listeners on the root (`input`,
//! `click`) update it, so a full re-render (on a language switch) needs no listener bookkeeping.
//! Every text is set as text (`dom::el`), never as HTML; no inline style is ever set.

mod strings;

use self::strings::{Ui, ACCOUNT_STATUS, GROUPS, PERSONAS};
use super::dom::{self, attr, clear, el};
use crate::calendar::{date_in, format_rfc3339, in_zone, parse_datetime};
use crate::i18n::{self, Locale};
use crate::money::Fen;
use crate::pack::{Pack, RuleScope};
use crate::profile::{self, Profile, ProfileError};
use crate::schema::{Fact, FactId, FactKind, Schema};
use crate::value::Scalar;
use crate::verdict::{Options, Reason, StepOut, Verdict};
use std::cell::RefCell;
use std::rc::Rc;
use time::{OffsetDateTime, UtcOffset};
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

/// Where the language choice is remembered (the profile is never stored).
const LANG_KEY: &str = "drawcheck.lang";
/// The profile error next to the form; an invalid control points to it with `aria-describedby`.
const ERROR_ID: &str = "form-error";
/// The reasons beyond the principal four ("show all").
const MORE_ID: &str = "more";

/// What the verdict region shows, to skip re-rendering when an input changes nothing.
#[derive(PartialEq)]
enum Shown {
    Verdict(Box<Verdict>, OffsetDateTime),
    Error(ProfileError),
}

struct App {
    pack: Rc<Pack>,
    doc: Document,
    root: Element,
    locale: Locale,
    /// Groups in the contract's order, each with its facts in display order.
    groups: Vec<(String, Vec<FactId>)>,
    /// The form's text for each fact, by fact id (empty: not given).
    values: Vec<String>,
    as_of: String,
    /// The example the form started from; `None` for a profile the host app sent.
    persona: Option<usize>,
    verdict_box: Option<Element>,
    /// The page's `main` while the form's column is still to be built (render_form takes it).
    main: Option<Element>,
    /// The profile error next to the form (none until the form is built).
    error_box: Option<Element>,
    /// The control marked invalid, with its own `aria-describedby`.
    invalid: Option<(Element, Option<String>)>,
    shown: Option<Shown>,
    rendered_once: bool,
}

thread_local! {
    static APP: RefCell<Option<App>> = const { RefCell::new(None) };
}

fn with_app(f: impl FnOnce(&mut App)) {
    APP.with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            if let Some(app) = guard.as_mut() {
                f(app);
            }
        }
    });
}

/// Builds the page inside `root` and keeps it up to date. Never throws.
#[wasm_bindgen(js_name = mountPage)]
pub fn mount_page(root: Element) {
    let Some(doc) = root.owner_document() else { return };
    let start = now();
    let pack = match super::default_pack() {
        Some(pack) => pack,
        None => {
            el(&doc, &root, "p", "form-error", "规则包无法编译。The rule pack does not compile.");
            return;
        }
    };
    dom::body_data(&doc, "packMs", now() - start);
    let groups = layout(&pack.schema);
    let n = pack.schema.facts().len();
    let mut app = App {
        pack,
        doc,
        root: root.clone(),
        locale: initial_locale(),
        groups,
        values: vec![String::new(); n],
        as_of: String::new(),
        persona: None,
        verdict_box: None,
        main: None,
        error_box: None,
        invalid: None,
        shown: None,
        rendered_once: false,
    };
    load_persona(&mut app, 0);
    app.as_of = device_now();
    // The verdict first, the form after it has been painted: building ~30 controls (the first date
    // control sets up the browser's date formats) would otherwise delay the verdict's first paint.
    let page = render_shell(&mut app);
    if page != root {
        let _ = root.append_child(&page);
    }
    update(&mut app);
    APP.with(|cell| {
        if let Ok(mut guard) = cell.try_borrow_mut() {
            *guard = Some(app);
        }
    });
    listen(&root, "input", on_input);
    listen(&root, "click", on_click);
    after_paint(render_form_later);
}

/// A listener for the page's lifetime. The callback takes the event by value: wasm-bindgen 0.2.130
/// shims a borrowed `&Event` (as gloo-events' callbacks take it) with `table.fill`, which Debian's
/// wasm-opt 108 cannot read.
fn listen(root: &Element, kind: &str, handler: fn(&mut App, &Event)) {
    let callback = Closure::<dyn FnMut(Event)>::new(move |e: Event| with_app(|app| handler(app, &e)));
    let _ = root.add_event_listener_with_callback(kind, callback.as_ref().unchecked_ref());
    callback.forget();
}

/// The remembered language, else the browser's language if drawcheck speaks it, else zh-CN.
fn initial_locale() -> Locale {
    let stored =
        storage().and_then(|s| s.get_item(LANG_KEY).ok().flatten()).and_then(|t| Locale::parse(t.trim_matches('"')));
    let browser = || web_sys::window().and_then(|w| w.navigator().language()).and_then(|t| Locale::parse(&t));
    stored.or_else(browser).unwrap_or(Locale::ZhCn)
}

/// The page's localStorage, where the browser gives one: a third-party iframe (blocked storage) or
/// a webview may not, and gloo-storage's `LocalStorage` then threw and the page never mounted.
fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The device clock as RFC 3339 with its local offset, to the second.
fn device_now() -> String {
    let d = js_sys::Date::new_0();
    let secs = (d.get_time() / 1000.0).floor() as i64;
    let offset = UtcOffset::from_whole_seconds((-d.get_timezone_offset() * 60.0) as i32).unwrap_or(UtcOffset::UTC);
    OffsetDateTime::from_unix_timestamp(secs).map(|t| format_rfc3339(in_zone(t, offset))).unwrap_or_default()
}

/// The contract's groups first (account, credit, behavior, capacity, request), then any other the
/// pack declares; within a group, the contract's order, then the pack's other facts. (No sort: a
/// stable sort's code is kilobytes of wasm.)
fn layout(schema: &Schema) -> Vec<(String, Vec<FactId>)> {
    let mut names: Vec<&str> = GROUPS.to_vec();
    names.extend(schema.group_names().filter(|g| !GROUPS.contains(g)));
    names
        .into_iter()
        .filter_map(|g| {
            let fields = schema.group(g)?;
            let mut ids: Vec<FactId> = crate::schema::CONTRACT_PATHS.iter().filter_map(|p| schema.lookup(p)).collect();
            ids.retain(|id| fields.iter().any(|(_, f)| f == id));
            ids.extend(fields.iter().map(|(_, id)| *id).filter(|id| !ids.contains(id)).collect::<Vec<_>>());
            Some((g.to_string(), ids))
        })
        .collect()
}

/// Fills the state from a persona (its facts and its own `as_of`).
fn load_persona(app: &mut App, index: usize) {
    let Some((_, text)) = PERSONAS.get(index) else { return };
    let Ok(p) = profile::from_json(&app.pack.schema, text) else { return };
    app.persona = Some(index);
    fill(app, &p);
}

/// Puts a profile's `as_of` and facts into the state, as the form's texts.
fn fill(app: &mut App, p: &Profile) {
    app.as_of = format_rfc3339(p.as_of);
    let zone = p.as_of.offset();
    for (i, slot) in app.values.iter_mut().enumerate() {
        let value = FactId::try_from(i).ok().and_then(|id| p.get(id));
        *slot = value.map(|v| form_text(v, zone)).unwrap_or_default();
    }
}

/// A fact's value as its form control holds it.
fn form_text(v: &Scalar, zone: UtcOffset) -> String {
    match v {
        Scalar::Bool(true) => "true".into(),
        Scalar::Bool(false) => "false".into(),
        Scalar::Int(i) => num(*i),
        Scalar::Dec(d) | Scalar::Money(d) => d.to_string(),
        Scalar::Str(s) => s.clone(),
        Scalar::Date(d) => d.to_string(),
        // datetime-local holds the wall time in the borrower's zone, without the offset.
        Scalar::DateTime(t) => {
            let text = format_rfc3339(in_zone(*t, zone));
            text.get(..19).unwrap_or(&text).to_string()
        }
        Scalar::Version(v) => v.to_string(),
        Scalar::Never => String::new(),
    }
}

fn field_id(path: &str) -> String {
    let mut id = String::from("f-");
    id.extend(path.chars().map(|c| if c == '.' { '-' } else { c }));
    id
}

/// Decimal text of an integer (one small function instead of a `Display` per integer type).
fn num(n: i64) -> String {
    let mut digits = Vec::new();
    let mut m = n.unsigned_abs();
    loop {
        digits.push(char::from(b'0' + (m % 10) as u8));
        m /= 10;
        if m == 0 {
            break;
        }
    }
    if n < 0 {
        digits.push('-');
    }
    digits.iter().rev().collect()
}

/// An integer written in plain decimal digits (an optional `-`), if it fits an i64.
fn int(text: &str) -> Option<i64> {
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut n: i64 = 0;
    for b in digits.bytes() {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
    }
    Some(if neg { -n } else { n })
}

fn index(text: &str) -> Option<usize> {
    int(text).and_then(|n| usize::try_from(n).ok())
}

fn locale_index(locale: Locale) -> usize {
    Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0)
}

/// What a borrower calls a fact: its label in `locale`, else in the other language, else its path.
fn label(fact: &Fact, locale: Locale) -> &str {
    let own = fact.labels.get(locale_index(locale)).and_then(Option::as_deref);
    let other = fact.labels.get(locale_index(locale.other())).and_then(Option::as_deref);
    own.or(other).unwrap_or(&fact.path)
}

// ---------------------------------------------------------------------------------------------
// The host bridge's hooks (src/web/bridge.rs)
// ---------------------------------------------------------------------------------------------

/// Shows a host's profile as if the borrower had typed it, with the host's rule pack (else the
/// page's), in the profile's language (else the page's). A profile the pack's schema refuses
/// leaves the page as it was.
pub(crate) fn show(text: &str, pack: Option<Pack>) {
    with_app(|app| {
        let Ok(p) = profile::from_json(&pack.as_ref().unwrap_or(&app.pack).schema, text) else { return };
        if let Some(pack) = pack {
            app.groups = layout(&pack.schema);
            app.values = vec![String::new(); pack.schema.facts().len()];
            app.pack = Rc::new(pack);
        }
        fill(app, &p);
        app.persona = None;
        app.locale = p.locale.unwrap_or(app.locale);
        render_all(app);
    });
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// Builds the whole page in the current language, then the verdict.
fn render_all(app: &mut App) {
    let page = render_shell(app);
    render_form(app);
    if page != app.root {
        let _ = app.root.append_child(&page);
    }
    app.shown = None;
    update(app);
}

/// Builds the page around the form, detached: the header, the verdict's column (empty), the form's
/// column's place, and the footer. Returns it for the caller to attach once (faster than growing
/// the live tree node by node); the root itself if no element could be made.
fn render_shell(app: &mut App) -> Element {
    let doc = app.doc.clone();
    let root = app.root.clone();
    let s = strings::ui(app.locale);
    if let Some(html) = doc.document_element() {
        attr(&html, "lang", s.tag);
    }
    let _ = js_sys::Reflect::set(&doc, &JsValue::from_str("title"), &JsValue::from_str(s.title));
    clear(&root);
    let page = dom::detached(&doc, "div", "page").unwrap_or(root);

    let header = el(&doc, &page, "header", "top", "");
    let bar = el(&doc, &header, "div", "bar", "");
    el(&doc, &bar, "h1", "", s.title);
    let switch = el(&doc, &bar, "button", "lang", "");
    attr(&switch, "type", "button");
    attr(&switch, "id", "lang");
    el(&doc, &switch, "span", "vh", s.switch_hint);
    let name = el(&doc, &switch, "span", "", s.switch_to);
    attr(&name, "lang", s.switch_tag);
    el(&doc, &header, "p", "tagline", s.tagline);
    let privacy = el(&doc, &header, "p", "privacy", s.privacy);
    attr(&privacy, "id", "privacy");

    let main = el(&doc, &page, "main", "layout", "");
    let col = el(&doc, &main, "section", "verdict-col", "");
    attr(&col, "aria-labelledby", "verdict-h");
    let h = el(&doc, &col, "h2", "", s.verdict);
    attr(&h, "id", "verdict-h");
    let vbox = el(&doc, &col, "div", "verdict", "");
    attr(&vbox, "id", "verdict");
    attr(&vbox, "aria-live", "polite");
    app.verdict_box = Some(vbox);
    // The form's column goes last in `main` (render_form); until then there is no error box.
    app.main = Some(main);
    app.error_box = None;
    app.invalid = None;

    let mut foot = String::from(s.pack);
    for part in [app.pack.id.as_str(), " ", app.pack.version.as_str(), " · sha256 "] {
        foot.push_str(part);
    }
    foot.push_str(app.pack.sha256.get(..12).unwrap_or(&app.pack.sha256));
    el(&doc, &page, "footer", "foot", &foot);
    page
}

/// Builds the form's column (the persona picker, the profile error, `as_of`, a fieldset per group)
/// from the state, detached, and puts it last in `main`. Once per shell.
fn render_form(app: &mut App) {
    let Some(main) = app.main.take() else { return };
    let doc = app.doc.clone();
    let s = strings::ui(app.locale);
    let col = dom::detached(&doc, "section", "form-col").unwrap_or_else(|| main.clone());
    attr(&col, "aria-labelledby", "form-h");
    let h = el(&doc, &col, "h2", "", s.details);
    attr(&h, "id", "form-h");
    persona_picker(app, &doc, &col, s);
    let err = el(&doc, &col, "p", "form-error", "");
    attr(&err, "id", ERROR_ID);
    attr(&err, "hidden", "");
    app.error_box = Some(err);
    as_of_field(app, &doc, &col, s);
    for (g, ids) in &app.groups {
        let set = el(&doc, &col, "fieldset", "group", "");
        let legend = GROUPS.iter().position(|x| x == g).and_then(|i| s.groups.get(i).copied()).unwrap_or(g);
        el(&doc, &set, "legend", "", legend);
        let grid = el(&doc, &set, "div", "fields", "");
        for id in ids {
            if let Some(fact) = app.pack.schema.fact(*id) {
                let value = app.values.get(usize::from(*id)).map(String::as_str).unwrap_or("");
                field(&doc, &grid, &app.pack.schema, fact, *id, value, app.locale, s);
            }
        }
    }
    if col != main {
        let _ = main.append_child(&col);
    }
}

/// The form, after the first verdict has been painted (mount_page): a profile error shown before
/// the form was there is shown again, now next to the field it names.
fn render_form_later(app: &mut App) {
    if app.main.is_none() {
        return; // a full render (a language switch, a host's profile) came first
    }
    render_form(app);
    if matches!(app.shown, Some(Shown::Error(_))) {
        app.shown = None;
        update(app);
    }
}

/// Runs `f` on the page's state once the browser has painted what the page shows now: a frame
/// callback runs just before a frame's layout and paint, the next frame's callback once that frame
/// has been handed on to be drawn, and a timer set there after it. (One frame sooner, the form's
/// ~30 controls were built while the verdict's frame was still being drawn, and delayed it by
/// ~20 ms: www/tests/bench.mjs, "on screen". A hidden document gets no frames: it then runs when
/// the page is first shown.)
fn after_paint(f: fn(&mut App)) {
    let Some(window) = web_sys::window() else { return with_app(f) };
    // Each is called once and forgotten, like the listeners: `Closure::once_into_js` cost 0.6 KB
    // gzipped more module and glue.
    let w = window.clone();
    let drawn = Closure::<dyn FnMut()>::new(move || {
        let later = Closure::<dyn FnMut()>::new(move || with_app(f));
        let _ = w.set_timeout_with_callback(later.as_ref().unchecked_ref());
        later.forget();
    });
    let w = window.clone();
    let in_frame = Closure::<dyn FnMut()>::new(move || {
        let _ = w.request_animation_frame(drawn.as_ref().unchecked_ref());
    });
    let _ = window.request_animation_frame(in_frame.as_ref().unchecked_ref());
    in_frame.forget();
}

fn persona_picker(app: &App, doc: &Document, parent: &Element, s: &Ui) {
    let row = el(doc, parent, "div", "field persona", "");
    let l = el(doc, &row, "label", "", s.persona);
    attr(&l, "for", "persona");
    let select = el(doc, &row, "select", "", "");
    attr(&select, "id", "persona");
    if app.persona.is_none() {
        attr(&el(doc, &select, "option", "", s.from_host), "value", "");
    }
    for (i, (stem, _)) in PERSONAS.iter().enumerate() {
        let o = el(doc, &select, "option", "", s.personas.get(i).copied().unwrap_or(stem));
        attr(&o, "value", &num(i as i64));
        attr(&o, "data-persona", stem);
    }
    dom::set_value(&select, &app.persona.map(|i| num(i as i64)).unwrap_or_default());
}

fn as_of_field(app: &App, doc: &Document, parent: &Element, s: &Ui) {
    let row = el(doc, parent, "div", "field as-of", "");
    let l = el(doc, &row, "label", "", s.as_of);
    attr(&l, "for", "f-as_of");
    let wrap = el(doc, &row, "div", "with-button", "");
    let input = el(doc, &wrap, "input", "", "");
    for (k, v) in [
        ("id", "f-as_of"),
        ("type", "text"),
        ("name", "as_of"),
        ("autocomplete", "off"),
        ("spellcheck", "false"),
        ("aria-describedby", "h-as_of"),
    ] {
        attr(&input, k, v);
    }
    dom::set_value(&input, &app.as_of);
    let now = el(doc, &wrap, "button", "", s.now);
    attr(&now, "type", "button");
    attr(&now, "id", "now");
    let hint = el(doc, &row, "small", "hint", s.as_of_hint);
    attr(&hint, "id", "h-as_of");
}

/// One form control, chosen by the fact's type.
#[allow(clippy::too_many_arguments)]
fn field(
    doc: &Document,
    parent: &Element,
    schema: &Schema,
    fact: &Fact,
    fid: FactId,
    value: &str,
    locale: Locale,
    s: &Ui,
) {
    let row = el(doc, parent, "div", "field", "");
    let id = field_id(&fact.path);
    let l = el(doc, &row, "label", "", label(fact, locale));
    attr(&l, "for", &id);
    let select = matches!(fact.kind, FactKind::Bool | FactKind::Enum(_));
    let c = el(doc, &row, if select { "select" } else { "input" }, "", "");
    attr(&c, "id", &id);
    attr(&c, "name", &fact.path);
    attr(&c, "data-i", &num(i64::from(fid)));
    let option = |v: &str, text: &str| {
        let o = el(doc, &c, "option", "", text);
        attr(&o, "value", v);
    };
    let text_input = |mode: &str| {
        for (k, v) in [("type", "text"), ("inputmode", mode), ("autocomplete", "off"), ("spellcheck", "false")] {
            attr(&c, k, v);
        }
    };
    let mut hint = "";
    match &fact.kind {
        FactKind::Bool => {
            option("", s.not_given);
            option("true", s.yes);
            option("false", s.no);
        }
        FactKind::Enum(e) => {
            option("", s.not_given);
            for v in schema.enum_values(*e) {
                let word = match ACCOUNT_STATUS.iter().position(|x| x == v) {
                    Some(i) if fact.path == "account.status" => s.account_status.get(i).copied().unwrap_or(v),
                    _ => v,
                };
                option(v, word);
            }
        }
        FactKind::Int { min, max } => {
            for (k, v) in [("type", "number"), ("inputmode", "numeric"), ("step", "1")] {
                attr(&c, k, v);
            }
            attr(&c, "min", &num(*min));
            attr(&c, "max", &num(*max));
        }
        FactKind::Money | FactKind::Dec => {
            text_input("decimal");
            attr(&c, "placeholder", "0.00");
        }
        FactKind::Date => {
            attr(&c, "type", "date");
            if fact.null_is_never {
                hint = s.empty_is_never;
            }
        }
        FactKind::DateTime => {
            attr(&c, "type", "datetime-local");
            attr(&c, "step", "1");
            hint = if fact.null_is_never { s.empty_is_never } else { s.zone_hint };
        }
        FactKind::Str { max_len } => {
            text_input("text");
            attr(&c, "maxlength", &num(*max_len as i64));
        }
        FactKind::Version => {
            text_input("text");
            attr(&c, "placeholder", "8.2.1");
        }
    }
    if !hint.is_empty() {
        let mut hid = String::from("h-");
        hid.push_str(&id);
        let h = el(doc, &row, "small", "hint", hint);
        attr(&h, "id", &hid);
        attr(&c, "aria-describedby", &hid);
    }
    dom::set_value(&c, value);
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// Reads the state as a profile, evaluates it, and shows the verdict (or the profile's error).
/// Records the time it took in `body.dataset.evalMs`, and the first verdict's time from navigation
/// in `body.dataset.firstVerdictMs` (and `mount_page` the pack's compile time in `packMs`), for
/// www/tests/bench.mjs.
fn update(app: &mut App) {
    let start = now();
    let text = profile_json(app);
    let outcome = match profile::from_json(&app.pack.schema, &text) {
        Ok(p) => {
            let v =
                crate::check(&app.pack, &p, Options { locale: Some(app.locale), recourse: true, ..Options::default() });
            Shown::Verdict(Box::new(v), p.as_of)
        }
        Err(e) => Shown::Error(e),
    };
    if app.shown.as_ref() != Some(&outcome) {
        render_outcome(app, &outcome);
        app.shown = Some(outcome);
    }
    let end = now();
    dom::body_data(&app.doc, "evalMs", end - start);
    if !app.rendered_once {
        app.rendered_once = true;
        dom::body_data(&app.doc, "firstVerdictMs", end);
    }
}

/// `performance.now()`, or 0 where there is none.
fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The profile JSON text of the form: absent fields left out; an empty `null = "never"` fact is
/// `null` (never); a datetime gets the offset of `as_of` (the borrower's zone).
fn profile_json(app: &App) -> String {
    let mut out = String::with_capacity(1024);
    out.push_str("{\"as_of\":");
    json_str(&mut out, app.as_of.trim());
    let zone = zone_of(&app.as_of);
    for (group, ids) in &app.groups {
        let mut opened = false;
        for id in ids {
            let Some(fact) = app.pack.schema.fact(*id) else { continue };
            let v = app.values.get(usize::from(*id)).map(|s| s.trim()).unwrap_or("");
            if v.is_empty() && !fact.null_is_never {
                continue;
            }
            out.push(',');
            if !opened {
                opened = true;
                json_str(&mut out, group);
                out.push_str(":{");
            }
            json_str(&mut out, fact.path.split_once('.').map(|(_, f)| f).unwrap_or(&fact.path));
            out.push(':');
            match &fact.kind {
                _ if v.is_empty() => out.push_str("null"),
                FactKind::Int { .. } => match int(v) {
                    Some(i) => out.push_str(&num(i)),
                    None => json_str(&mut out, v),
                },
                FactKind::Bool if v == "true" || v == "false" => out.push_str(v),
                FactKind::DateTime => {
                    let mut t = v.to_string();
                    if t.len() == 16 {
                        t.push_str(":00");
                    }
                    t.push_str(zone);
                    json_str(&mut out, &t);
                }
                _ => json_str(&mut out, v),
            }
        }
        if opened {
            out.push('}');
        }
    }
    out.push('}');
    out
}

/// The offset `as_of` is written with (`Z`, `+08:00`, …); `+08:00` if it has none.
fn zone_of(as_of: &str) -> &str {
    let t = as_of.trim();
    if t.ends_with(['Z', 'z']) {
        return "Z";
    }
    match t.len().checked_sub(6).and_then(|i| t.get(i..)) {
        Some(z) if z.starts_with(['+', '-']) && z.as_bytes().get(3) == Some(&b':') => z,
        _ => "+08:00",
    }
}

/// Appends `s` as a JSON string.
fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => {
                out.push_str("\\u00");
                out.push(char::from_digit(u32::from(c) >> 4, 16).unwrap_or('0'));
                out.push(char::from_digit(u32::from(c) & 15, 16).unwrap_or('0'));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

// ---------------------------------------------------------------------------------------------
// The verdict card
// ---------------------------------------------------------------------------------------------

fn render_outcome(app: &mut App, outcome: &Shown) {
    let Some(vbox) = app.verdict_box.clone() else { return };
    let doc = app.doc.clone();
    let s = strings::ui(app.locale);
    let more_open = app.doc.get_element_by_id(MORE_ID).is_some_and(|d| d.get_attribute("open").is_some());
    clear(&vbox);
    if let Some((prev, hint)) = app.invalid.take() {
        let _ = prev.remove_attribute("aria-invalid");
        match hint {
            Some(hint) => attr(&prev, "aria-describedby", &hint),
            None => {
                let _ = prev.remove_attribute("aria-describedby");
            }
        }
    }
    let err_box = app.error_box.clone();
    match outcome {
        Shown::Error(e) => {
            let card = el(&doc, &vbox, "div", "card st-error", "");
            status_row(&doc, &card, "!", s.error_title);
            // The reader's message is in English and names the field by its path; the field's label
            // goes before it, in the page's language.
            let [words, open, close, colon] = s.error_prefix;
            let mut m = String::from(words);
            if let Some(label) = mark_invalid(app, &e.message) {
                for part in [open, label.as_str(), close] {
                    m.push_str(part);
                }
            }
            m.push_str(colon);
            m.push_str(&e.message);
            el(&doc, &card, "p", "detail", &m);
            if let Some(b) = err_box {
                b.set_text_content(Some(&m));
                let _ = b.remove_attribute("hidden");
            }
        }
        Shown::Verdict(v, as_of) => {
            if let Some(b) = err_box {
                clear(&b);
                attr(&b, "hidden", "");
            }
            card(&doc, &vbox, &app.pack.schema, v, *as_of, app.locale, s, more_open);
        }
    }
}

/// Marks the control of the field a profile error names first (`` `account.age` ``) as invalid,
/// points it to the error, and returns the field's label.
fn mark_invalid(app: &mut App, message: &str) -> Option<String> {
    let named = message.split('`').nth(1)?;
    let (id, label) = if named == "as_of" {
        (String::from("f-as_of"), strings::ui(app.locale).as_of)
    } else {
        let f = app.pack.schema.facts().iter().find(|f| f.path == named)?;
        (field_id(&f.path), label(f, app.locale))
    };
    let label = label.to_string();
    let e = app.doc.get_element_by_id(&id)?;
    attr(&e, "aria-invalid", "true");
    let hint = e.get_attribute("aria-describedby");
    let mut by = String::from(ERROR_ID);
    if let Some(h) = &hint {
        by.push(' ');
        by.push_str(h);
    }
    attr(&e, "aria-describedby", &by);
    app.invalid = Some((e, hint));
    Some(label)
}

fn status_row(doc: &Document, card: &Element, glyph: &str, word: &str) {
    let row = el(doc, card, "p", "status", "");
    let icon = el(doc, &row, "span", "icon", glyph);
    attr(&icon, "aria-hidden", "true");
    let w = el(doc, &row, "strong", "word", word);
    attr(&w, "elementtiming", "verdict");
}

fn money(f: Fen) -> String {
    i18n::money(f.to_dec())
}

#[allow(clippy::too_many_arguments)]
fn card(
    doc: &Document,
    parent: &Element,
    schema: &Schema,
    v: &Verdict,
    as_of: OffsetDateTime,
    locale: Locale,
    s: &Ui,
    more_open: bool,
) {
    let (si, glyph) = strings::status(v.status);
    let mut class = String::from("card st-");
    class.push_str(v.status.name());
    let card = el(doc, parent, "div", &class, "");
    attr(&card, "data-status", v.status.name());
    status_row(doc, &card, glyph, s.status.get(si).copied().unwrap_or(""));

    let figures = el(doc, &card, "dl", "figures", "");
    for (name, amount, key) in [(s.available, v.available, "available"), (s.limit, v.effective_limit, "limit")] {
        let fig = el(doc, &figures, "div", "fig", "");
        el(doc, &fig, "dt", "", name);
        let dd = el(doc, &fig, "dd", "", &money(amount));
        attr(&dd, "data-figure", key);
    }
    let mut when = String::from(s.as_of_prefix);
    when.push_str(&i18n::datetime(as_of, as_of.offset(), locale));
    el(doc, &card, "p", "when", &when);

    if !v.missing.is_empty() {
        el(doc, &card, "h3", "", s.missing);
        let list = el(doc, &card, "ul", "missing", "");
        for path in &v.missing {
            let text = schema.lookup(path).and_then(|id| schema.fact(id)).map(|f| label(f, locale)).unwrap_or(path);
            let li = el(doc, &list, "li", "", text);
            attr(&li, "data-path", path);
        }
        el(doc, &card, "p", "hint", s.missing_hint);
    }
    if v.reasons.is_empty() {
        if v.missing.is_empty() {
            el(doc, &card, "p", "nothing", s.nothing);
        }
        return;
    }
    path(doc, &card, v, as_of, locale, s);
    el(doc, &card, "h3", "", s.why);
    let list = el(doc, &card, "ol", "reasons", "");
    let mut n = 0;
    for r in v.reasons.iter().filter(|r| r.principal) {
        n += 1;
        reason(doc, &list, r, n, as_of, locale, s);
    }
    let rest = v.reasons.len() - n;
    if rest > 0 {
        let more = el(doc, &card, "details", "more", "");
        attr(&more, "id", MORE_ID);
        if more_open {
            attr(&more, "open", "");
        }
        let mut t = String::from(s.show_all[0]);
        t.push_str(&num(v.reasons.len() as i64));
        t.push_str(s.show_all[1]);
        el(doc, &more, "summary", "", &t);
        let list = el(doc, &more, "ol", "reasons", "");
        attr(&list, "start", &num(n as i64 + 1));
        for r in v.reasons.iter().filter(|r| !r.principal) {
            n += 1;
            reason(doc, &list, r, n, as_of, locale, s);
        }
    }
}

/// "Path to drawing again": the plan's steps with what each one gets to, and the reasons nothing
/// the borrower changes will lift, with the route that remains.
fn path(doc: &Document, card: &Element, v: &Verdict, as_of: OffsetDateTime, locale: Locale, s: &Ui) {
    let Some(plan) = &v.recourse else { return };
    if plan.steps.is_empty() && plan.fixed.is_empty() {
        return;
    }
    let zone = as_of.offset();
    let section = el(doc, card, "section", "path", "");
    attr(&section, "aria-label", s.path);
    el(doc, &section, "h3", "", s.path);
    let status_word = |st: crate::Status| s.status.get(strings::status(st).0).copied().unwrap_or("");
    if !plan.steps.is_empty() {
        let when = parse_datetime(&plan.earliest).map(|t| i18n::datetime(t, zone, locale)).unwrap_or_default();
        let mut reach = String::new();
        for part in [
            s.path_reach[0],
            status_word(plan.reachable),
            s.path_reach[1],
            &money(plan.available_after),
            s.path_reach[2],
            &when,
            s.path_reach[3],
        ] {
            reach.push_str(part);
        }
        let p = el(doc, &section, "p", "reach", &reach);
        attr(&p, "data-reachable", plan.reachable.name());
        let list = el(doc, &section, "ol", "steps plan", "");
        for st in &plan.steps {
            let li = el(doc, &list, "li", "step", "");
            attr(&li, "data-action", st.action.name());
            el(doc, &li, "span", "step-text", if locale == Locale::ZhCn { &st.text.zh_cn } else { &st.text.en });
            let mut then = String::new();
            for part in [
                s.path_then[0],
                status_word(st.status_after),
                s.path_then[1],
                &money(st.available_after),
                s.path_then[2],
            ] {
                then.push_str(part);
            }
            el(doc, &li, "span", "chips", "").set_text_content(Some(&then));
        }
    }
    if !plan.fixed.is_empty() {
        el(doc, &section, "p", "fixed-label", s.path_fixed);
        let list = el(doc, &section, "ul", "fixed", "");
        for f in &plan.fixed {
            let li = el(doc, &list, "li", "", "");
            attr(&li, "data-rule", &f.rule);
            let title = v.reasons.iter().find(|r| r.rule == f.rule).map(|r| r.title.as_str()).unwrap_or(&f.rule);
            el(doc, &li, "strong", "", title);
            let steps = el(doc, &li, "ol", "steps", "");
            for st in &f.route {
                step(doc, &steps, st, as_of, locale, s);
            }
        }
    }
}

fn reason(doc: &Document, list: &Element, r: &Reason, n: usize, as_of: OffsetDateTime, locale: Locale, s: &Ui) {
    let li = el(doc, list, "li", "reason", "");
    attr(&li, "data-rule", &r.rule);
    el(doc, &li, "h4", "title", &r.title);
    let badges = el(doc, &li, "p", "badges", "");
    let mut b = String::from(s.effect.get(strings::effect(r.effect)).copied().unwrap_or(""));
    if let Some(a) = r.amount {
        b.push_str(" · ");
        b.push_str(&money(a));
    }
    el(doc, &badges, "span", "badge", &b);
    if r.scope == RuleScope::Segment {
        el(doc, &badges, "span", "badge seg", s.segment);
    }
    el(doc, &li, "p", "detail", &r.detail);
    if let Some(t) = r.until.as_deref().and_then(|u| until_text(u, as_of, locale, s)) {
        el(doc, &li, "p", "until", &t);
    }
    if r.steps.is_empty() {
        return;
    }
    let mut id = String::from("steps-");
    id.push_str(&num(n as i64));
    let h = el(doc, &li, "p", "steps-label", s.steps);
    attr(&h, "id", &id);
    let steps = el(doc, &li, "ol", "steps", "");
    attr(&steps, "aria-labelledby", &id);
    for st in &r.steps {
        step(doc, &steps, st, as_of, locale, s);
    }
}

fn step(doc: &Document, list: &Element, st: &StepOut, as_of: OffsetDateTime, locale: Locale, s: &Ui) {
    let li = el(doc, list, "li", "step", "");
    attr(&li, "data-action", st.action.name());
    el(doc, &li, "span", "step-text", &st.text);
    let zone = as_of.offset();
    let until = st.until.as_deref().and_then(parse_datetime).map(|t| i18n::datetime(t, zone, locale));
    let figures = [st.amount.map(money), st.to.map(money), until, st.phone.clone()];
    if figures.iter().all(Option::is_none) {
        return;
    }
    let chips = el(doc, &li, "span", "chips", "");
    for (i, (name, value)) in s.figures.iter().zip(figures).enumerate() {
        let Some(value) = value else { continue };
        let mut text = String::from(*name);
        text.push(' ');
        text.push_str(&value);
        let chip = el(doc, &chips, if i == 3 { "a" } else { "span" }, "chip", &text);
        if i == 3 {
            let mut href = String::from("tel:");
            href.extend(value.chars().filter(|c| c.is_ascii_digit() || *c == '+' || *c == '-'));
            attr(&chip, "href", &href);
        }
    }
}

/// "Ends in 3 h 20 min, at 05:00" (the clock time alone when it is the same day as `as_of`).
fn until_text(until: &str, as_of: OffsetDateTime, locale: Locale, s: &Ui) -> Option<String> {
    let t = parse_datetime(until)?;
    let zone = as_of.offset();
    let full = i18n::datetime(t, zone, locale);
    let same_day = date_in(t, zone) == date_in(as_of, zone);
    let clock = if same_day { full.get(full.len().saturating_sub(5)..).unwrap_or(&full) } else { &full };
    let mut out = String::new();
    match i18n::time_left(as_of, t, locale) {
        Some(left) => {
            for part in [s.ends[0], &left, s.ends[1], clock, s.ends[2]] {
                out.push_str(part);
            }
        }
        None => {
            for part in [s.ended[0], clock, s.ended[1]] {
                out.push_str(part);
            }
        }
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

fn target(e: &Event) -> Option<Element> {
    e.target().and_then(|t| t.dyn_into::<Element>().ok())
}

fn on_input(app: &mut App, e: &Event) {
    let Some(t) = target(e) else { return };
    let id = t.get_attribute("id").unwrap_or_default();
    if id == "persona" {
        let Some(i) = index(&dom::value(&t)) else { return };
        load_persona(app, i);
        fill_form(app);
        // The host's profile is gone from the form: so is its choice in the picker.
        if let Ok(Some(o)) = t.query_selector("option[value='']") {
            o.remove();
        }
    } else if id == "f-as_of" {
        app.as_of = dom::value(&t);
    } else if let Some(i) = t.get_attribute("data-i").as_deref().and_then(index) {
        let Some(slot) = app.values.get_mut(i) else { return };
        *slot = dom::value(&t);
    } else {
        return;
    }
    update(app);
}

/// Puts the state's values into the form's controls (after a persona is chosen).
fn fill_form(app: &App) {
    if let Some(e) = app.doc.get_element_by_id("f-as_of") {
        dom::set_value(&e, &app.as_of);
    }
    for (fact, value) in app.pack.schema.facts().iter().zip(&app.values) {
        if let Some(e) = app.doc.get_element_by_id(&field_id(&fact.path)) {
            dom::set_value(&e, value);
        }
    }
}

/// A click on one of the page's buttons (their children take no pointer events: style.css).
fn on_click(app: &mut App, e: &Event) {
    let Some(button) = target(e) else { return };
    match button.get_attribute("id").as_deref().unwrap_or("") {
        "lang" => {
            app.locale = app.locale.other();
            if let Some(s) = storage() {
                // JSON text, as gloo-storage wrote it before.
                let _ = s.set_item(LANG_KEY, &["\"", app.locale.tag(), "\""].concat());
            }
            render_all(app);
            if let Some(b) = app.doc.get_element_by_id("lang") {
                dom::focus(&b);
            }
        }
        "now" => {
            app.as_of = device_now();
            if let Some(i) = app.doc.get_element_by_id("f-as_of") {
                dom::set_value(&i, &app.as_of);
            }
            update(app);
        }
        _ => {}
    }
}
