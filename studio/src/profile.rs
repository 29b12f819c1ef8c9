//! The profile on screen: a persona picker, the profile as editable JSON (its errors with line and
//! column) and its `as_of`, which has a field of its own. The JSON text is the one source of truth:
//! the `as_of` field writes into it and is read back from it.

use crate::app::State;
use crate::dom::{self, attr, attrs, el};
use crate::editor::{self, Place};
use crate::strings::PERSONAS;
use drawcheck::ProfileError;
use web_sys::{Document, Element};

pub const TEXT_ID: &str = "profile-text";
pub const AS_OF_ID: &str = "as-of";
pub const PERSONA_ID: &str = "persona";
const ERROR_ID: &str = "profile-error";
/// The picker's value for a profile that is none of the personas.
const CUSTOM: &str = "custom";

/// Builds the profile panel (empty of state: `fill` fills it).
pub fn build(s: &State, doc: &Document, parent: &Element) {
    let ui = s.ui();
    let panel = el(doc, parent, "section", "panel profile", "");
    attr(&panel, "aria-labelledby", "profile-h");
    let h = el(doc, &panel, "h2", "", ui.profile_h);
    attr(&h, "id", "profile-h");

    let row = el(doc, &panel, "div", "field", "");
    let l = el(doc, &row, "label", "", ui.persona);
    attr(&l, "for", PERSONA_ID);
    let select = el(doc, &row, "select", "", "");
    attr(&select, "id", PERSONA_ID);
    for (i, (stem, _)) in PERSONAS.iter().enumerate() {
        let o = el(doc, &select, "option", "", ui.personas.get(i).copied().unwrap_or(stem));
        attrs(&o, &[("value", &dom::num(i)), ("data-persona", stem)]);
    }
    let o = el(doc, &select, "option", "", ui.custom);
    attrs(&o, &[("value", CUSTOM), ("disabled", "")]);

    let row = el(doc, &panel, "div", "field", "");
    let l = el(doc, &row, "label", "", ui.as_of);
    attr(&l, "for", AS_OF_ID);
    let input = el(doc, &row, "input", "mono", "");
    attrs(
        &input,
        &[
            ("id", AS_OF_ID),
            ("type", "text"),
            ("autocomplete", "off"),
            ("spellcheck", "false"),
            ("aria-describedby", "as-of-hint"),
        ],
    );
    let hint = el(doc, &row, "small", "hint", ui.as_of_hint);
    attr(&hint, "id", "as-of-hint");

    let row = el(doc, &panel, "div", "field", "");
    let l = el(doc, &row, "label", "", ui.profile_json);
    attr(&l, "for", TEXT_ID);
    let ta = el(doc, &row, "textarea", "code json", "");
    attrs(&ta, &[("id", TEXT_ID), ("wrap", "off"), ("spellcheck", "false"), ("autocomplete", "off"), ("rows", "18")]);
    let err = el(doc, &panel, "div", "perror", "");
    attrs(&err, &[("id", ERROR_ID), ("aria-live", "polite")]);
}

/// Puts the state's profile in the panel: picker, `as_of`, JSON.
pub fn fill(s: &State) {
    show_persona(s);
    if let Some(ta) = s.by_id(TEXT_ID) {
        dom::set_value(&ta, &s.profile_text);
    }
    if let Some(i) = s.by_id(AS_OF_ID) {
        dom::set_value(&i, as_of_range(&s.profile_text).and_then(|r| s.profile_text.get(r)).unwrap_or(""));
    }
}

/// The picker shows the persona the text is, or "custom".
pub fn show_persona(s: &State) {
    if let Some(sel) = s.by_id(PERSONA_ID) {
        dom::set_value(&sel, &s.persona.map(dom::num).unwrap_or_else(|| CUSTOM.to_string()));
    }
}

/// After the JSON changed: the `as_of` field follows (unless it is being typed in).
pub fn sync_as_of(s: &State) {
    let Some(i) = s.by_id(AS_OF_ID) else { return };
    let focused = s.doc.active_element().is_some_and(|a| a == i);
    if !focused {
        dom::set_value(&i, as_of_range(&s.profile_text).and_then(|r| s.profile_text.get(r)).unwrap_or(""));
    }
}

/// The `as_of` field was typed in: it is written into the JSON.
pub fn as_of_typed(s: &mut State, value: &str) {
    s.profile_text = set_as_of(&s.profile_text, value);
    s.persona = PERSONAS.iter().position(|(_, t)| *t == s.profile_text);
    show_persona(s);
    if let Some(ta) = s.by_id(TEXT_ID) {
        dom::set_value(&ta, &s.profile_text);
    }
}

/// Shows the profile's error (from the shipped pack's reading), or none.
pub fn show_error(s: &State, error: Option<&ProfileError>) {
    let Some(box_) = s.by_id(ERROR_ID) else { return };
    dom::clear(&box_);
    let ta = s.by_id(TEXT_ID);
    if let Some(ta) = &ta {
        dom::flag(ta, "aria-invalid", false);
        let _ = ta.remove_attribute("aria-describedby");
    }
    let Some(e) = error else { return };
    if let Some(ta) = &ta {
        attrs(ta, &[("aria-invalid", "true"), ("aria-describedby", ERROR_ID)]);
    }
    let ui = s.ui();
    let doc = &s.doc;
    let p = el(doc, &box_, "p", "", "");
    el(doc, &p, "span", "", ui.profile_error);
    el(doc, &p, "span", "msg", &e.message);
    if e.line > 0 {
        let mut at = String::from(ui.line_col[0]);
        at.push_str(&dom::num(e.line));
        at.push_str(ui.line_col[1]);
        at.push_str(&dom::num(e.column));
        let b = el(doc, &box_, "button", "perr small", &at);
        attrs(&b, &[("type", "button"), ("data-line", &dom::num(e.line)), ("data-col", &dom::num(e.column))]);
    }
}

impl Place {
    /// The place a profile-error button points to.
    pub fn of_profile(button: &Element) -> Option<Place> {
        if !button.class_list().contains("perr") {
            return None;
        }
        let n = |k: &str| button.get_attribute(k).and_then(|v| v.parse::<usize>().ok());
        let (line, col) = (n("data-line")?, n("data-col")?);
        Some(Place { line, col, end_line: line, end_col: col })
    }
}

/// Puts the caret at the profile error.
pub fn go_to(s: &State, at: Place) {
    if let Some(ta) = s.by_id(TEXT_ID) {
        editor::select(&ta, &s.profile_text, at);
    }
}

/// The byte range of the `as_of` string's contents in profile JSON text (the first `"as_of"` key
/// followed by a string value).
pub fn as_of_range(text: &str) -> Option<std::ops::Range<usize>> {
    let key = text.find("\"as_of\"")? + "\"as_of\"".len();
    let rest = text.get(key..)?;
    let colon = rest.find(|c: char| !c.is_whitespace())?;
    if !rest.get(colon..)?.starts_with(':') {
        return None;
    }
    let after = rest.get(colon + 1..)?;
    let quote = after.find(|c: char| !c.is_whitespace())?;
    if !after.get(quote..)?.starts_with('"') {
        return None;
    }
    let start = key + colon + 1 + quote + 1;
    let len = text.get(start..)?.find(['"', '\n'])?;
    Some(start..start + len)
}

/// The JSON text with its `as_of` set to `value` (added first if it has none). Characters that
/// would end the JSON string are left out: an instant never needs them.
pub fn set_as_of(text: &str, value: &str) -> String {
    let clean: String = value.chars().filter(|c| *c != '"' && *c != '\\' && !c.is_control()).collect();
    if let Some(r) = as_of_range(text) {
        let mut out = String::with_capacity(text.len() + clean.len());
        out.push_str(text.get(..r.start).unwrap_or(""));
        out.push_str(&clean);
        out.push_str(text.get(r.end..).unwrap_or(""));
        return out;
    }
    match text.find('{') {
        Some(brace) => {
            let mut out = String::from(text.get(..=brace).unwrap_or("{"));
            out.push_str("\n  \"as_of\": \"");
            out.push_str(&clean);
            out.push('"');
            let rest = text.get(brace + 1..).unwrap_or("");
            if !rest.trim_start().starts_with('}') {
                out.push(',');
            }
            out.push_str(rest);
            out
        }
        None => text.to_string(),
    }
}
