//! The side-by-side view: the profile on screen under the shipped pack and under the edited pack,
//! what changed (in words: status, amounts, reasons added, removed or changed), and below, how each
//! pack's rules were decided (the core's trace: each comparison and the figures it read).

use crate::app::State;
use crate::dom::{self, attr, attrs, el};
use crate::profile;
use crate::strings::{self, Ui};
use drawcheck::money::Fen;
use drawcheck::verdict::RuleTrace;
use drawcheck::{i18n, Options, Pack, ProfileError, Reason, Verdict};
use web_sys::{Document, Element};

pub const GO_FIRST_ID: &str = "go-first";

/// What one column shows.
enum Column {
    Verdict(Box<Verdict>),
    /// The profile cannot be read against this pack's schema.
    Unreadable(ProfileError),
    /// The edited pack does not compile: how many errors.
    Broken(usize),
}

/// How a reason of the edited column differs from the shipped one.
#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Added,
    Removed,
    Changed,
}

impl Mark {
    fn name(self) -> &'static str {
        match self {
            Mark::Added => "added",
            Mark::Removed => "removed",
            Mark::Changed => "changed",
        }
    }

    fn word(self, ui: &Ui) -> &'static str {
        let i = match self {
            Mark::Added => 0,
            Mark::Removed => 1,
            Mark::Changed => 2,
        };
        ui.mark.get(i).copied().unwrap_or("")
    }
}

/// Builds the empty view (`render` fills it).
pub fn build(s: &State, doc: &Document, parent: &Element) {
    let ui = s.ui();
    let panel = el(doc, parent, "section", "panel compare", "");
    attrs(&panel, &[("id", "compare"), ("aria-labelledby", "compare-h")]);
    let h = el(doc, &panel, "h2", "", ui.compare_h);
    attr(&h, "id", "compare-h");
    let changes = el(doc, &panel, "div", "changes", "");
    attrs(&changes, &[("id", "changes"), ("aria-live", "polite"), ("aria-labelledby", "changes-h")]);
    let cols = el(doc, &panel, "div", "columns", "");
    for (id, title) in [("col-shipped", ui.shipped), ("col-edited", ui.edited_col)] {
        let col = el(doc, &cols, "section", "col", "");
        let mut hid = String::from(id);
        hid.push_str("-h");
        attrs(&col, &[("aria-labelledby", &hid)]);
        let h = el(doc, &col, "h3", "col-h", title);
        attr(&h, "id", &hid);
        let body = el(doc, &col, "div", "col-body", "");
        attrs(&body, &[("id", id), ("aria-live", "polite")]);
    }
    let trace = el(doc, &panel, "section", "trace", "");
    attr(&trace, "aria-labelledby", "trace-h");
    let h = el(doc, &trace, "h3", "", ui.trace_h);
    attr(&h, "id", "trace-h");
    el(doc, &trace, "p", "hint", ui.trace_help);
    let cols = el(doc, &trace, "div", "columns", "");
    for (id, title) in [("trace-shipped", ui.shipped), ("trace-edited", ui.edited_col)] {
        let col = el(doc, &cols, "div", "col", "");
        el(doc, &col, "h4", "col-h", title);
        let body = el(doc, &col, "div", "col-body", "");
        attr(&body, "id", id);
    }
}

fn evaluate(pack: &Pack, json: &str, s: &State) -> Column {
    let opts = Options { locale: Some(s.locale), trace: true, recourse: true };
    match drawcheck::read_profile(pack, json) {
        Ok(p) => Column::Verdict(Box::new(drawcheck::check(pack, &p, opts))),
        Err(e) => Column::Unreadable(e),
    }
}

/// Evaluates the profile under both packs and shows both verdicts, what changed and the traces.
pub fn render(s: &mut State) {
    let shipped = match &s.shipped {
        Some(p) => evaluate(p, &s.profile_text, s),
        None => Column::Broken(0),
    };
    let edited = match &s.edited {
        Ok(p) => evaluate(p, &s.profile_text, s),
        Err(d) => Column::Broken(d.iter().filter(|d| d.severity == drawcheck::Severity::Error).count()),
    };
    profile::show_error(s, if let Column::Unreadable(e) = &shipped { Some(e) } else { None });
    let base = if let Column::Verdict(v) = &shipped { Some(v.as_ref()) } else { None };
    column(s, "col-shipped", &shipped, None);
    column(s, "col-edited", &edited, base);
    changes(s, &shipped, &edited);
    let other = |c: &Column| if let Column::Verdict(v) = c { v.trace.clone() } else { None };
    traces(s, "trace-shipped", &shipped, other(&edited).as_deref(), 1);
    traces(s, "trace-edited", &edited, other(&shipped).as_deref(), 0);
}

fn money(f: Fen) -> String {
    i18n::money(f.to_dec())
}

/// One column: the verdict, marked against `base` (the shipped verdict) when given.
fn column(s: &State, id: &str, c: &Column, base: Option<&Verdict>) {
    let Some(body) = s.by_id(id) else { return };
    dom::clear(&body);
    let ui = s.ui();
    let doc = &s.doc;
    let v = match c {
        Column::Verdict(v) => v,
        Column::Unreadable(e) => {
            let card = el(doc, &body, "div", "card st-error", "");
            attr(&card, "data-status", "error");
            let mut m = String::from(ui.unreadable);
            m.push_str(&e.message);
            el(doc, &card, "p", "", &m);
            return;
        }
        Column::Broken(n) => {
            let card = el(doc, &body, "div", "card st-broken", "");
            attr(&card, "data-status", "broken");
            let mut m = String::from(ui.broken[0]);
            m.push_str(&dom::num(*n));
            m.push_str(ui.broken[1]);
            el(doc, &card, "p", "", &m);
            let b = el(doc, &card, "button", "", ui.go_first);
            attrs(&b, &[("type", "button"), ("id", GO_FIRST_ID)]);
            return;
        }
    };
    let mut class = String::from("card st-");
    class.push_str(v.status.name());
    let card = el(doc, &body, "div", &class, "");
    attr(&card, "data-status", v.status.name());
    let (_, glyph) = strings::status(v.status);
    let row = el(doc, &card, "p", "status", "");
    let icon = el(doc, &row, "span", "icon", glyph);
    attr(&icon, "aria-hidden", "true");
    el(doc, &row, "strong", "word", strings::status_word(ui, v.status));
    if base.is_some_and(|b| b.status != v.status) {
        attr(&row, "class", "status differs");
        el(doc, &row, "span", "mark-label", changed_word(ui));
    }

    let figures = el(doc, &card, "dl", "figures", "");
    for (name, amount, key, was) in [
        (ui.available, v.available, "available", base.map(|b| b.available)),
        (ui.limit, v.effective_limit, "limit", base.map(|b| b.effective_limit)),
    ] {
        let fig = el(doc, &figures, "div", "fig", "");
        let dt = el(doc, &fig, "dt", "", name);
        if was.is_some_and(|w| w != amount) {
            attr(&fig, "class", "fig differs");
            el(doc, &dt, "span", "mark-label after", changed_word(ui));
        }
        let dd = el(doc, &fig, "dd", "", &money(amount));
        attr(&dd, "data-figure", key);
    }

    if !v.missing.is_empty() {
        let mut t = String::from(ui.missing);
        t.push_str(": ");
        t.push_str(&v.missing.join(", "));
        el(doc, &card, "p", "missing", &t);
    }
    let removed: Vec<&Reason> = match base {
        Some(b) => b.reasons.iter().filter(|r| !v.reasons.iter().any(|x| x.rule == r.rule)).collect(),
        None => Vec::new(),
    };
    if v.reasons.is_empty() && removed.is_empty() {
        el(doc, &card, "p", "nothing", ui.nothing);
    } else {
        el(doc, &card, "h4", "", ui.reasons);
        let list = el(doc, &card, "ol", "reasons", "");
        for r in &v.reasons {
            let mark = base.and_then(|b| match b.reasons.iter().find(|x| x.rule == r.rule) {
                None => Some(Mark::Added),
                Some(was) if !same_reason(was, r) => Some(Mark::Changed),
                Some(_) => None,
            });
            reason(doc, &list, r, mark, ui, v);
        }
        for r in removed {
            reason(doc, &list, r, Some(Mark::Removed), ui, v);
        }
    }
    path(doc, &card, v, ui);
}

fn changed_word(ui: &Ui) -> &'static str {
    Mark::Changed.word(ui)
}

/// Whether a reason reads the same under both packs (its rank may differ).
fn same_reason(a: &Reason, b: &Reason) -> bool {
    a.effect == b.effect
        && a.title == b.title
        && a.detail == b.detail
        && a.amount == b.amount
        && a.until == b.until
        && a.steps == b.steps
}

fn reason(doc: &Document, list: &Element, r: &Reason, mark: Option<Mark>, ui: &Ui, v: &Verdict) {
    let mut class = String::from("reason");
    if let Some(m) = mark {
        class.push(' ');
        class.push_str(m.name());
    }
    let li = el(doc, list, "li", &class, "");
    attr(&li, "data-rule", &r.rule);
    if let Some(m) = mark {
        attr(&li, "data-change", m.name());
        el(doc, &li, "span", "mark-label", m.word(ui));
    }
    el(doc, &li, "strong", "title", &r.title);
    let line = el(doc, &li, "p", "badges", "");
    el(doc, &line, "code", "rule-id", &r.rule);
    let mut b = String::from(strings::effect_word(ui, r.effect));
    if let Some(a) = r.amount {
        b.push_str(" · ");
        b.push_str(&money(a));
    }
    el(doc, &line, "span", "badge", &b);
    if mark == Some(Mark::Removed) {
        return; // a removed reason's words are the shipped pack's; its title and id say enough
    }
    el(doc, &li, "p", "detail", &r.detail);
    if let Some(until) = &r.until {
        let mut t = String::from(ui.until);
        t.push_str(&when(until, v));
        el(doc, &li, "p", "until", &t);
    }
    if !r.steps.is_empty() {
        let steps = el(doc, &li, "ol", "steps", "");
        attr(&steps, "aria-label", ui.steps);
        for st in &r.steps {
            let item = el(doc, &steps, "li", "", &st.text);
            attr(&item, "data-action", st.action.name());
        }
    }
}

/// An RFC 3339 instant in the verdict's language and the profile's zone.
fn when(rfc3339: &str, v: &Verdict) -> String {
    let locale = drawcheck::Locale::parse(v.locale).unwrap_or(drawcheck::Locale::En);
    let zone = drawcheck::calendar::parse_datetime(&v.as_of).map(|t| t.offset());
    match (drawcheck::calendar::parse_datetime(rfc3339), zone) {
        (Some(t), Some(z)) => i18n::datetime(t, z, locale),
        _ => rfc3339.to_string(),
    }
}

/// The recourse summary: what status the borrower can reach, with what, by when, in how many steps.
fn path(doc: &Document, card: &Element, v: &Verdict, ui: &Ui) {
    let Some(plan) = &v.recourse else { return };
    if plan.steps.is_empty() {
        return;
    }
    let mut t = String::new();
    for part in [
        ui.path[0],
        strings::status_word(ui, plan.reachable),
        ui.path[1],
        &money(plan.available_after),
        ui.path[2],
        &when(&plan.earliest, v),
        ui.path[3],
        &dom::num(plan.steps.len()),
        if plan.steps.len() == 1 { ui.path_one } else { ui.path[4] },
    ] {
        t.push_str(part);
    }
    let p = el(doc, card, "p", "path", &t);
    attr(&p, "data-reachable", plan.reachable.name());
}

/// "What changed", in words, above the columns.
fn changes(s: &State, shipped: &Column, edited: &Column) {
    let Some(box_) = s.by_id("changes") else { return };
    dom::clear(&box_);
    let ui = s.ui();
    let doc = &s.doc;
    let h = el(doc, &box_, "h3", "", ui.changes_h);
    attr(&h, "id", "changes-h");
    let (Column::Verdict(a), Column::Verdict(b)) = (shipped, edited) else {
        if let Column::Broken(n) = edited {
            let mut m = String::from(ui.broken[0]);
            m.push_str(&dom::num(*n));
            m.push_str(ui.broken[1]);
            let p = el(doc, &box_, "p", "broken", &m);
            attr(&p, "data-change", "broken");
        }
        return;
    };
    let list = el(doc, &box_, "ul", "change-list", "");
    let item = |kind: &str, label: &str, from: &str, to: &str| {
        let li = el(doc, &list, "li", "", "");
        attr(&li, "data-change", kind);
        el(doc, &li, "strong", "", label);
        let mut t = String::from(ui.colon);
        t.push_str(from);
        t.push_str(" → ");
        t.push_str(to);
        el(doc, &li, "span", "", &t);
    };
    if a.status != b.status {
        item("status", ui.change[0], strings::status_word(ui, a.status), strings::status_word(ui, b.status));
    }
    if a.available != b.available {
        item("available", ui.change[1], &money(a.available), &money(b.available));
    }
    if a.effective_limit != b.effective_limit {
        item("limit", ui.change[2], &money(a.effective_limit), &money(b.effective_limit));
    }
    let reason_item = |kind: &str, label: &str, r: &Reason| {
        let li = el(doc, &list, "li", "", "");
        attrs(&li, &[("data-change", kind), ("data-rule", &r.rule)]);
        el(doc, &li, "strong", "", label);
        el(doc, &li, "span", "", ui.colon);
        el(doc, &li, "code", "rule-id", &r.rule);
        let mut t = String::from(" — ");
        t.push_str(&r.title);
        el(doc, &li, "span", "", &t);
    };
    for r in &b.reasons {
        match a.reasons.iter().find(|x| x.rule == r.rule) {
            None => reason_item("added", ui.change[3], r),
            Some(was) if !same_reason(was, r) => reason_item("changed", ui.change[5], r),
            Some(_) => {}
        }
    }
    for r in a.reasons.iter().filter(|r| !b.reasons.iter().any(|x| x.rule == r.rule)) {
        reason_item("removed", ui.change[4], r);
    }
    if list.child_element_count() == 0 {
        list.remove();
        let p = el(doc, &box_, "p", "same", ui.no_change);
        attr(&p, "data-change", "none");
    }
}

/// How each rule was decided under one pack: the rules that fired (or could not be decided) with
/// their condition tree, then the others, folded. `only` is the label index for a rule whose
/// result differs under the other pack.
fn traces(s: &State, id: &str, c: &Column, other: Option<&[RuleTrace]>, only: usize) {
    let Some(body) = s.by_id(id) else { return };
    dom::clear(&body);
    let Column::Verdict(v) = c else { return };
    let Some(rules) = &v.trace else { return };
    let ui = s.ui();
    let doc = &s.doc;
    let differs =
        |t: &RuleTrace| other.is_some_and(|o| o.iter().find(|x| x.rule == t.rule).map(|x| x.result) != Some(t.result));
    if rules.iter().all(|t| t.result == "not fired") {
        el(doc, &body, "p", "none-fired", ui.none_fired);
    }
    // Shown open: what fired or could not be decided, and what the other pack decided otherwise
    // (a rule that stopped firing matters as much as one that started).
    let open = |t: &RuleTrace| t.result != "not fired" || differs(t);
    let list = el(doc, &body, "ul", "rules", "");
    for t in rules.iter().filter(|t| open(t)) {
        let label = if !differs(t) {
            None
        } else if t.result == "fired" {
            ui.only.get(only).copied()
        } else {
            ui.only.get(1 - only).copied()
        };
        rule_trace(doc, &list, t, label, ui, t.result != "not fired");
    }
    let rest: Vec<&RuleTrace> = rules.iter().filter(|t| !open(t)).collect();
    if rest.is_empty() {
        return;
    }
    let more = el(doc, &body, "details", "not-fired", "");
    let mut t = String::from(ui.not_fired_n[0]);
    t.push_str(&dom::num(rest.len()));
    t.push_str(ui.not_fired_n[1]);
    el(doc, &more, "summary", "", &t);
    let list = el(doc, &more, "ul", "rules", "");
    for t in rest {
        rule_trace(doc, &list, t, None, ui, false);
    }
}

fn rule_trace(doc: &Document, list: &Element, t: &RuleTrace, only: Option<&str>, ui: &Ui, full: bool) {
    let li = el(doc, list, "li", "rule", "");
    attrs(&li, &[("data-rule", &t.rule), ("data-result", t.result)]);
    if only.is_some() {
        attr(&li, "class", "rule differs");
    }
    let head = el(doc, &li, "p", "rule-head", "");
    el(doc, &head, "code", "rule-id", &t.rule);
    let word = match t.result {
        "fired" => ui.result[0],
        "not fired" => ui.result[1],
        _ => ui.result[2],
    };
    let mut class = String::from("result r-");
    class.push_str(if t.result == "not fired" {
        "no"
    } else if t.result == "fired" {
        "yes"
    } else {
        "undet"
    });
    el(doc, &head, "span", &class, word);
    if let Some(o) = only {
        el(doc, &head, "span", "mark-label", o);
    }
    // The condition tree: each node is `source = value`, indented by depth. A rule that did not
    // fire shows its top comparison and the figures it read.
    let tree = el(doc, &li, "ul", "tree", "");
    for n in t.nodes.iter().filter(|n| full || n.depth <= 1) {
        let mut class = String::from("node d");
        class.push_str(&dom::num(n.depth.min(6)));
        let item = el(doc, &tree, "li", &class, "");
        el(doc, &item, "code", "src", &n.text);
        el(doc, &item, "span", "eq", " = ");
        let value_class = match n.value.as_str() {
            "true" => "val v-true",
            "false" => "val v-false",
            _ => "val",
        };
        el(doc, &item, "code", value_class, &n.value);
    }
}
