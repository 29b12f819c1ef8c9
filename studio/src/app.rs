//! The studio's layout and shared state: the shipped pack, the edited pack (text and compilation),
//! the profile on screen and the language. Every panel reads and changes it through [`App`].
//!
//! Interface the other panels rely on:
//! - `App` is a cheap, clonable handle (`Rc` inside);
//! - `App::shipped_pack_text()` — the shipped (baseline) pack's text;
//! - `App::edited_pack_text()` — the edited pack's text, or `None` while it has errors;
//! - `App::open_profile(json)` — show this profile (contract JSON text) in the side-by-side view;
//! - `App::locale()` and `App::on_change(f)` — the language, and a callback run after the language
//!   or the edited pack changed.
//!
//! Events: three listeners on the studio's own part of the page (`input`, `click`, `change`) and
//! one capturing `scroll` listener, delegated by element id, so a re-render (language switch) needs
//! no listener bookkeeping. The population panel (population.rs) is mounted once, beside that part,
//! and keeps its own listeners.

use crate::dom::{self, attr, attrs, el};
use crate::strings::{self, Ui, PERSONAS};
use crate::{compare, editor, profile};
use drawcheck::{Diagnostic, Locale, Pack};
use gloo_timers::callback::Timeout;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, Event};

/// Where the language choice is remembered (nothing else is stored).
const LANG_KEY: &str = "drawcheck.studio.lang";
/// How long typing must pause before the pack is compiled or the profile read again.
const DEBOUNCE_MS: u32 = 150;

/// Everything the studio shows.
pub struct State {
    pub doc: Document,
    /// The studio's own part of the page (rebuilt on a language switch).
    pub shell: Element,
    pub locale: Locale,
    /// The shipped pack, compiled once (`None` only if the embedded pack failed to compile).
    pub shipped: Option<Pack>,
    /// The edited pack's text and what it compiles to.
    pub text: String,
    pub edited: Result<Pack, Vec<Diagnostic>>,
    /// The name of the file the edited text came from, if it was loaded.
    pub loaded_from: Option<String>,
    /// The profile on screen (contract JSON) and the persona it came from (`None`: custom).
    pub profile_text: String,
    pub persona: Option<usize>,
    /// The pending debounced work, one slot per text area (dropping a timer cancels it).
    timers: [Option<Timeout>; 2],
    /// Set once the first comparison is on screen (the tests wait for it).
    pub shown_once: bool,
}

impl State {
    pub fn ui(&self) -> &'static Ui {
        strings::ui(self.locale)
    }

    pub fn by_id(&self, id: &str) -> Option<Element> {
        self.doc.get_element_by_id(id)
    }

    /// The edited pack's diagnostics, errors first as the compiler gave them.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match &self.edited {
            Ok(pack) => &pack.warnings,
            Err(diags) => diags,
        }
    }
}

struct Shared {
    state: RefCell<State>,
    /// Run after the language or the edited pack changed (outside any borrow of `state`).
    watchers: RefCell<Vec<Rc<dyn Fn()>>>,
}

/// A handle on the studio's state.
#[derive(Clone)]
pub struct App {
    inner: Rc<Shared>,
}

impl App {
    /// The shipped pack's text (the baseline of every comparison).
    pub fn shipped_pack_text(&self) -> String {
        drawcheck::DEFAULT_PACK.to_string()
    }

    /// The edited pack's text, or `None` while it does not compile.
    pub fn edited_pack_text(&self) -> Option<String> {
        let s = self.inner.state.try_borrow().ok()?;
        s.edited.is_ok().then(|| s.text.clone())
    }

    /// The studio's language (for the population panel's own words).
    pub fn locale(&self) -> Locale {
        self.inner.state.try_borrow().map(|s| s.locale).unwrap_or(Locale::En)
    }

    /// Calls `f` after the language or the edited pack changed (the population panel can mark its
    /// report as out of date, or switch its words).
    pub fn on_change(&self, f: impl Fn() + 'static) {
        if let Ok(mut w) = self.inner.watchers.try_borrow_mut() {
            w.push(Rc::new(f));
        }
    }

    /// Shows this profile (contract JSON text) in the side-by-side view, and scrolls to it.
    pub fn open_profile(&self, json: &str) {
        self.with(|s| {
            s.profile_text = json.to_string();
            s.persona = persona_of(json);
            profile::fill(s);
            compare::render(s);
            if let Some(c) = s.by_id("compare") {
                c.scroll_into_view();
            }
        });
    }

    /// Runs `f` on the state, unless it is already borrowed (a re-entrant event: ignored).
    pub(crate) fn with(&self, f: impl FnOnce(&mut State)) {
        if let Ok(mut s) = self.inner.state.try_borrow_mut() {
            f(&mut s);
        }
    }

    fn notify(&self) {
        let watchers: Vec<Rc<dyn Fn()>> = self.inner.watchers.try_borrow().map(|w| w.clone()).unwrap_or_default();
        for w in watchers {
            w();
        }
    }

    /// Runs `work` once typing in text area `slot` has paused for `DEBOUNCE_MS` (a newer call for
    /// the same slot cancels the older one).
    fn debounce(&self, slot: usize, work: fn(&App)) {
        let app = self.clone();
        let timer = Timeout::new(DEBOUNCE_MS, move || work(&app));
        // The replaced timer is never the one running: a timer's own callback does not come here.
        self.with(|s| {
            if let Some(t) = s.timers.get_mut(slot) {
                *t = Some(timer);
            }
        });
    }
}

/// The persona whose JSON is exactly this text.
fn persona_of(json: &str) -> Option<usize> {
    PERSONAS.iter().position(|(_, text)| *text == json)
}

/// Builds the studio inside `root`.
pub fn mount(root: Element) {
    let Some(doc) = root.owner_document() else { return };
    let shipped = drawcheck::compile_pack(drawcheck::DEFAULT_PACK).ok();
    let text = drawcheck::DEFAULT_PACK.to_string();
    // The edited pack starts as the shipped one: compiled once.
    let edited = match &shipped {
        Some(pack) => Ok(pack.clone()),
        None => drawcheck::compile_pack(&text),
    };
    let shell = el(&doc, &root, "div", "shell", "");
    attr(&shell, "id", "studio-shell");
    let profile_text = PERSONAS.first().map(|(_, t)| t.to_string()).unwrap_or_default();
    let state = State {
        doc: doc.clone(),
        shell: shell.clone(),
        locale: initial_locale(),
        shipped,
        text,
        edited,
        loaded_from: None,
        profile_text,
        persona: Some(0),
        timers: [None, None],
        shown_once: false,
    };
    let app = App { inner: Rc::new(Shared { state: RefCell::new(state), watchers: RefCell::new(Vec::new()) }) };
    app.with(render_all);

    // The population panel: mounted once, below the studio's own part; it keeps its own state.
    let section = el(&doc, &root, "section", "panel population-host", "");
    attr(&section, "id", "population");
    crate::population::mount(&section, app.clone());

    let a = app.clone();
    dom::listen(&shell, "input", move |e| on_input(&a, &e));
    let a = app.clone();
    dom::listen(&shell, "change", move |e| on_change_event(&a, &e));
    let a = app.clone();
    dom::listen(&shell, "click", move |e| on_click(&a, &e));
    let a = app.clone();
    dom::listen(&shell, "keydown", move |e| on_keydown(&a, &e));
    // `scroll` does not bubble: caught on the way down instead.
    let a = app;
    let callback = Closure::<dyn FnMut(Event)>::new(move |e: Event| a.with(|s| editor::on_scroll(s, &e)));
    let _ = shell.add_event_listener_with_callback_and_bool("scroll", callback.as_ref().unchecked_ref(), true);
    callback.forget();
}

/// The remembered language, else the browser's if the studio speaks it, else zh-CN.
fn initial_locale() -> Locale {
    let storage = web_sys::window().and_then(|w| w.local_storage().ok().flatten());
    let stored = storage.and_then(|st| st.get_item(LANG_KEY).ok().flatten()).and_then(|t| Locale::parse(&t));
    let browser = || web_sys::window().and_then(|w| w.navigator().language()).and_then(|t| Locale::parse(&t));
    stored.or_else(browser).unwrap_or(Locale::ZhCn)
}

/// (Re)builds the studio's own part in the current language.
fn render_all(s: &mut State) {
    let doc = s.doc.clone();
    let ui = s.ui();
    if let Some(html) = doc.document_element() {
        attr(&html, "lang", ui.tag);
    }
    doc.set_title(ui.title);
    dom::clear(&s.shell);
    // Built detached, attached once.
    let Ok(page) = doc.create_element("div") else { return };
    attr(&page, "class", "studio");

    let header = el(&doc, &page, "header", "top", "");
    let bar = el(&doc, &header, "div", "bar", "");
    el(&doc, &bar, "h1", "", ui.title);
    let switch = el(&doc, &bar, "button", "lang", "");
    attrs(&switch, &[("type", "button"), ("id", "lang")]);
    el(&doc, &switch, "span", "vh", ui.switch_hint);
    let name = el(&doc, &switch, "span", "", ui.switch_to);
    attr(&name, "lang", ui.switch_tag);
    el(&doc, &header, "p", "tagline", ui.tagline);

    let main = el(&doc, &page, "main", "work", "");
    editor::build(s, &doc, &main);
    profile::build(s, &doc, &main);
    compare::build(s, &doc, &main);
    let _ = s.shell.append_child(&page);

    editor::refresh(s);
    profile::fill(s);
    compare::render(s);
    if !s.shown_once {
        s.shown_once = true;
        // Milliseconds from navigation to the first comparison on screen (the tests wait for it).
        dom::body_data(&s.doc, "firstVerdictMs", &dom::now().to_string());
    }
}

fn on_input(app: &App, e: &Event) {
    let Some(t) = dom::target(e) else { return };
    let id = t.get_attribute("id").unwrap_or_default();
    match id.as_str() {
        editor::TEXT_ID => {
            app.with(|s| {
                s.text = dom::value(&t);
                editor::typed(s);
            });
            app.debounce(0, |app| {
                app.with(|s| {
                    // How long a pause in typing takes to show, and the compilation's part of it
                    // (read by bench-studio-editor.mjs).
                    let start = dom::now();
                    editor::recompile(s);
                    let compiled = dom::now();
                    compare::render(s);
                    dom::body_data(&s.doc, "compileMs", &(compiled - start).to_string());
                    dom::body_data(&s.doc, "recompileMs", &(dom::now() - start).to_string());
                });
                app.notify();
            });
        }
        profile::TEXT_ID => {
            app.with(|s| {
                s.profile_text = dom::value(&t);
                s.persona = persona_of(&s.profile_text);
                profile::show_persona(s);
            });
            app.debounce(1, |app| {
                app.with(|s| {
                    profile::sync_as_of(s);
                    compare::render(s);
                })
            });
        }
        profile::AS_OF_ID => app.with(|s| {
            profile::as_of_typed(s, &dom::value(&t));
            compare::render(s);
        }),
        profile::PERSONA_ID => app.with(|s| {
            let Ok(i) = dom::value(&t).parse::<usize>() else { return };
            let Some((_, text)) = PERSONAS.get(i) else { return };
            s.profile_text = text.to_string();
            s.persona = Some(i);
            profile::fill(s);
            compare::render(s);
        }),
        _ => {}
    }
}

fn on_change_event(app: &App, e: &Event) {
    let Some(t) = dom::target(e) else { return };
    if t.get_attribute("id").as_deref() == Some(editor::FILE_ID) {
        editor::load_file(app, &t);
    }
}

fn on_click(app: &App, e: &Event) {
    let Some(t) = dom::target(e) else { return };
    // The clicked button, even when the click landed on a span inside it.
    let Some(button) = t.closest("button").ok().flatten() else { return };
    let id = button.get_attribute("id").unwrap_or_default();
    let mut changed = false;
    app.with(|s| match id.as_str() {
        "lang" => {
            s.locale = s.locale.other();
            if let Some(st) = web_sys::window().and_then(|w| w.local_storage().ok().flatten()) {
                let _ = st.set_item(LANG_KEY, s.locale.tag());
            }
            render_all(s);
            if let Some(b) = s.by_id("lang") {
                dom::focus(&b);
            }
            changed = true;
        }
        editor::RESET_ID => {
            set_pack_text(s, drawcheck::DEFAULT_PACK.to_string(), None);
            changed = true;
        }
        editor::LOAD_ID => {
            if let Some(input) = s.by_id(editor::FILE_ID) {
                if let Some(h) = input.dyn_ref::<web_sys::HtmlElement>() {
                    h.click();
                }
            }
        }
        editor::DOWNLOAD_ID => editor::download(s),
        editor::COPY_ID => editor::copy_sha(s),
        compare::GO_FIRST_ID => editor::go_to_first(s),
        _ => {
            if let Some(at) = editor::Place::of(&button) {
                editor::go_to(s, at);
            } else if let Some(at) = editor::Place::of_profile(&button) {
                profile::go_to(s, at);
            }
        }
    });
    if changed {
        app.notify();
    }
}

/// Ctrl/Cmd+S in the studio downloads the edited pack instead of saving the page.
fn on_keydown(app: &App, e: &Event) {
    let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
    if (k.ctrl_key() || k.meta_key()) && k.key().eq_ignore_ascii_case("s") {
        e.prevent_default();
        app.with(editor::download);
    }
}

/// Replaces the edited pack's text (reset, a loaded file) and shows what it gives, at once.
pub fn set_pack_text(s: &mut State, text: String, from: Option<String>) {
    s.text = text;
    s.loaded_from = from;
    if let Some(ta) = s.by_id(editor::TEXT_ID) {
        dom::replace_text(&s.doc, &ta, &s.text);
        ta.set_scroll_top(0);
    }
    editor::typed(s);
    editor::recompile(s);
    editor::loaded_note(s);
    compare::render(s);
}

/// After a pack file is read: shows it (called from the reading task).
pub fn pack_loaded(app: &App, name: String, text: Result<String, ()>) {
    app.with(|s| match text {
        Ok(text) => set_pack_text(s, text, Some(name)),
        Err(()) => editor::note(s, s.ui().load_failed),
    });
    app.notify();
}
