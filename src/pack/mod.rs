//! Rule packs: TOML text → a compiled [`Pack`] (schema, params, rules with checked expressions and
//! parsed templates), or diagnostics that each carry a line, a column and, where we can, a hint.
//!
//! Compilation goes in passes over the raw TOML: metadata, schema, params, then rules (whose
//! expressions need the schema and params). It collects every error it can rather than stopping
//! at the first, so a rule author fixes a pack in one round.

use crate::expr::{self, Expr, ExprError, Names, Usage};
use crate::i18n::Locale;
use crate::schema::{suggest, Action, FactId, FactKind, Schema};
use crate::value::{ParamValue, Type};
use raw::{RawFact, RawFacts, RawMeta, RawPack, RawRule, RawStep, Text, TextMap};
use sha2::{Digest, Sha256};
use toml::de::DeValue;
use toml::Spanned;

mod params;
mod raw;

/// The largest pack text accepted.
pub const MAX_PACK_BYTES: usize = 1024 * 1024;
/// The most rules a pack may hold.
pub const MAX_RULES: usize = 500;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The pack does not compile.
    Error,
    /// The pack compiles, but something is likely wrong.
    Warning,
}

/// A message about a place in the pack.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it, where we can tell.
    pub hint: Option<String>,
    /// 1-based line of the start.
    pub line: usize,
    /// 1-based column (in characters) of the start.
    pub column: usize,
    /// 1-based line of the end.
    pub end_line: usize,
    /// 1-based column of the end (exclusive).
    pub end_column: usize,
    /// The rule it is about, if any.
    pub rule: Option<String>,
}

impl core::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}:{}: {sev}: {}", self.line, self.column, self.message)?;
        if let Some(rule) = &self.rule {
            write!(f, " (rule `{rule}`)")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// What a fired rule does to drawing. Ordered strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    /// Frozen; nothing can be drawn; needs a review.
    Freeze,
    /// Blocked until the borrower acts.
    Block,
    /// Paused until a time.
    Pause,
    /// The line is reduced.
    Limit,
    /// One drawdown is capped.
    Cap,
}

impl Effect {
    fn parse(s: &str) -> Option<Effect> {
        Some(match s {
            "freeze" => Effect::Freeze,
            "block" => Effect::Block,
            "pause" => Effect::Pause,
            "limit" => Effect::Limit,
            "cap" => Effect::Cap,
            _ => return None,
        })
    }
}

/// Whether a rule is about this borrower or a whole class of accounts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleScope {
    /// About this borrower.
    Individual,
    /// A change for a whole class of accounts (regulation, product, maintenance).
    Segment,
}

/// An expression with the source it was written as.
#[derive(Clone, Debug, PartialEq)]
pub struct Compiled {
    /// As written in the pack.
    pub source: String,
    /// Checked tree.
    pub expr: Expr,
}

/// A piece of a text template.
#[derive(Clone, Debug, PartialEq)]
pub enum Piece {
    /// Literal text.
    Text(String),
    /// `{expr}`.
    Value(Expr),
}

/// A text in each locale (absent where the pack does not give it).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Texts {
    /// Indexed like [`Locale::ALL`].
    pub by_locale: [Option<Vec<Piece>>; 2],
}

impl Texts {
    /// The template for `locale`, falling back to any other.
    pub fn pick(&self, locale: Locale) -> Option<&[Piece]> {
        let idx = |l: Locale| Locale::ALL.iter().position(|x| *x == l).unwrap_or(0);
        self.by_locale
            .get(idx(locale))
            .and_then(Option::as_deref)
            .or_else(|| self.by_locale.get(idx(locale.other())).and_then(Option::as_deref))
    }
}

/// The figures a step may carry, in local-slot order after the rule's own.
pub const STEP_FIELDS: [&str; 4] = ["amount", "to", "until", "phone"];

/// One remediation step.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    /// What kind of thing the borrower does.
    pub action: Action,
    /// Figures, by [`STEP_FIELDS`] position.
    pub fields: [Option<Compiled>; 4],
    /// What to do, in words.
    pub text: Texts,
}

/// A compiled rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// Public id.
    pub id: String,
    /// When it fires.
    pub when: Compiled,
    /// What it does.
    pub effect: Effect,
    /// About the borrower or a segment.
    pub scope: RuleScope,
    /// Free grouping label.
    pub category: String,
    /// The reduced line (limit) or the largest drawdown (cap).
    pub amount: Option<Compiled>,
    /// When the restriction ends by itself.
    pub until: Option<Compiled>,
    /// Named values for texts and steps, by slot after `amount` and `until`.
    pub lets: Vec<(String, Compiled)>,
    /// Short title.
    pub title: Texts,
    /// Plain-words detail.
    pub detail: Texts,
    /// What to do, in order.
    pub steps: Vec<Step>,
    /// Reads `available` or `status`: evaluated after all other rules.
    pub last: bool,
}

/// Which way the borrower can move a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Lower it (repay, reduce debt).
    Down,
    /// Raise it (verify a higher income, update the app, renew an ID).
    Up,
    /// Make it true (verify).
    ToTrue,
    /// Make it false (verify the device).
    ToFalse,
}

/// A fact the borrower can change, and how (recourse reads these; see docs/rule-pack.md).
#[derive(Clone, Debug, PartialEq)]
pub struct Lever {
    /// The fact.
    pub fact: FactId,
    /// The kind of step that changes it.
    pub action: Action,
    /// Which way it can move.
    pub direction: Direction,
    /// The value the action gives it, where it is all or nothing (repaying clears the overdue in
    /// full); otherwise the planner moves it just past the threshold.
    pub to: Option<Compiled>,
    /// Other facts that change with it, and their new values (evaluated before the change).
    pub also: Vec<(FactId, Compiled)>,
}

/// A fact that lapses by itself at a time (a count over the last 24 hours, say).
#[derive(Clone, Debug, PartialEq)]
pub struct Reset {
    /// The fact.
    pub fact: FactId,
    /// Its value once lapsed.
    pub to: Compiled,
    /// When it lapses.
    pub at: Compiled,
}

/// Default cost of each action kind (by `Action::ALL` position) for the recourse planner:
/// repay, wait, verify_identity, verify_device, upload_document, update_app, contact_support,
/// credit_report, reduce_debt, none. Waiting also costs a unit per day (see `recourse`).
pub const DEFAULT_COSTS: [u32; 10] = [10, 1, 2, 2, 5, 2, 20, 20, 30, 0];

/// A compiled rule pack.
#[derive(Clone, Debug, PartialEq)]
pub struct Pack {
    /// `[pack] id`.
    pub id: String,
    /// `[pack] version`.
    pub version: String,
    /// Hex SHA-256 of the pack text.
    pub sha256: String,
    /// Locales the pack writes, default first.
    pub locales: Vec<Locale>,
    /// The fact schema.
    pub schema: Schema,
    /// Param names, by id.
    pub param_names: Vec<String>,
    /// Param values, by id.
    pub params: Vec<ParamValue>,
    /// `[line] credit_limit`.
    pub credit_limit: Compiled,
    /// `[line] used`.
    pub used: Compiled,
    /// Rules in policy order.
    pub rules: Vec<Rule>,
    /// Facts the borrower can change.
    pub levers: Vec<Lever>,
    /// Facts that lapse by themselves.
    pub resets: Vec<Reset>,
    /// Cost of each action kind, by `Action::ALL` position.
    pub costs: [u32; 10],
    /// Which rules read which fact (for deciding again only what a change touches).
    pub readers: Readers,
    /// Warnings from compilation.
    pub warnings: Vec<Diagnostic>,
}

/// Which rules read what, by rule index, from their conditions and amounts: a profile that
/// differs from another only in some facts (or in `as_of`) can change only the decisions of
/// the rules that read them. The recourse planner re-decides just those for each step.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readers {
    /// By fact id: the rules that read the fact.
    pub by_fact: Vec<Vec<usize>>,
    /// The rules that read `as_of`.
    pub as_of: Vec<usize>,
    /// Rules whose reads are not known from their tree alone (a rule-local value, or the
    /// verdict's `available` or `status`): their decision may change with anything.
    pub always: Vec<usize>,
}

impl Readers {
    fn of(facts: usize, rules: &[Rule]) -> Readers {
        let mut r = Readers { by_fact: vec![Vec::new(); facts], as_of: Vec::new(), always: Vec::new() };
        for (i, rule) in rules.iter().enumerate() {
            for c in core::iter::once(&rule.when).chain(rule.amount.as_ref()) {
                r.note(i, &c.expr);
            }
        }
        r
    }

    /// Notes that rule `index` reads what `e` and the nodes under it read.
    fn note(&mut self, index: usize, e: &Expr) {
        let list = match e.kind {
            expr::Kind::Fact(id) => self.by_fact.get_mut(usize::from(id)),
            expr::Kind::AsOf => Some(&mut self.as_of),
            expr::Kind::Local(_) | expr::Kind::Verdict(_) => Some(&mut self.always),
            _ => None,
        };
        // Rules are noted in order, so a rule already noted is the list's last.
        if let Some(list) = list.filter(|l| l.last() != Some(&index)) {
            list.push(index);
        }
        // Not `Expr::children`, which allocates: compiling the pack has a budget.
        match &e.kind {
            expr::Kind::List(items) | expr::Kind::Call(_, items) => items.iter().for_each(|c| self.note(index, c)),
            expr::Kind::Unary(_, a) => self.note(index, a),
            expr::Kind::Binary(_, a, b) | expr::Kind::Index(a, b) => {
                self.note(index, a);
                self.note(index, b);
            }
            _ => {}
        }
    }
}

/// Compiles pack text. On success the pack carries its warnings; on failure every error and warning found.
pub fn compile(text: &str) -> Result<Pack, Vec<Diagnostic>> {
    compile_known(text, None)
}

/// [`compile`], given the text's sha256 where it is already known (the embedded default pack's,
/// from build.rs), so it is not computed again.
pub(crate) fn compile_known(text: &str, sha256: Option<&'static str>) -> Result<Pack, Vec<Diagnostic>> {
    let mut cx = Compiler { src: text, sha256, diags: Vec::new(), rule: None };
    if text.len() > MAX_PACK_BYTES {
        cx.error(0..0, format!("the pack is {} bytes; at most {MAX_PACK_BYTES} are accepted", text.len()), None);
        return Err(cx.diags);
    }
    let mut shape_errors = Vec::new();
    let raw = match raw::read(text, &mut shape_errors) {
        Ok(raw) => raw,
        Err(e) => {
            cx.error(e.span, e.message, e.hint);
            return Err(cx.diags);
        }
    };
    for e in shape_errors {
        cx.error(e.span, e.message, e.hint);
    }
    let pack = cx.pack(raw);
    // In the order of the text, so a rule author reads them top to bottom.
    let mut diags: Vec<(usize, Diagnostic)> = cx.diags.into_iter().enumerate().collect();
    diags.sort_unstable_by_key(|(i, d)| (d.line, d.column, *i));
    let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
        diags.into_iter().map(|(_, d)| d).partition(|d| d.severity == Severity::Error);
    match pack {
        Some(mut pack) if errors.is_empty() => {
            pack.warnings = warnings;
            Ok(pack)
        }
        _ => Err(errors.into_iter().chain(warnings).collect()),
    }
}

struct Compiler<'s> {
    src: &'s str,
    /// The sha256 of `src`, where the caller knows it.
    sha256: Option<&'static str>,
    diags: Vec<Diagnostic>,
    rule: Option<String>,
}

/// Where the content of a TOML string starts in the source, if offsets inside it map one to one.
fn string_content_start(src: &str, span: &core::ops::Range<usize>, value: &str) -> Option<usize> {
    let raw = src.get(span.clone())?;
    for delim in ["\"\"\"", "'''", "\"", "'"] {
        if raw.starts_with(delim) && raw.ends_with(delim) && raw.len() >= 2 * delim.len() {
            let mut start = span.start + delim.len();
            let mut inner = raw.get(delim.len()..raw.len() - delim.len())?;
            if delim.len() == 3 && inner.starts_with('\n') {
                start += 1;
                inner = inner.get(1..)?;
            }
            return (inner == value).then_some(start);
        }
    }
    None
}

impl Compiler<'_> {
    fn position(&self, offset: usize) -> (usize, usize) {
        let before = self.src.get(..offset.min(self.src.len())).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = before.rsplit('\n').next().map(|l| l.chars().count()).unwrap_or(0) + 1;
        (line, col)
    }

    fn push(&mut self, severity: Severity, span: core::ops::Range<usize>, message: String, hint: Option<String>) {
        let (line, column) = self.position(span.start);
        let (end_line, end_column) = self.position(span.end.max(span.start));
        self.diags.push(Diagnostic {
            severity,
            message,
            hint,
            line,
            column,
            end_line,
            end_column,
            rule: self.rule.clone(),
        });
    }

    fn error(&mut self, span: core::ops::Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.push(Severity::Error, span, message.into(), hint);
    }

    fn warn(&mut self, span: core::ops::Range<usize>, message: impl Into<String>, hint: Option<String>) {
        self.push(Severity::Warning, span, message.into(), hint);
    }

    /// Reports an expression error at its place inside the TOML string that holds the expression.
    fn expr_error(&mut self, holder: &Text, e: ExprError) {
        let span = self.inner_span(holder, e.span.start as usize, e.span.end as usize);
        self.error(span, e.message, e.hint);
    }

    fn inner_span(&self, holder: &Text, start: usize, end: usize) -> core::ops::Range<usize> {
        match string_content_start(self.src, &holder.span(), holder.get_ref()) {
            Some(base) => base + start..base + end.max(start),
            None => holder.span(),
        }
    }

    fn pack(&mut self, raw: RawPack<'_>) -> Option<Pack> {
        let meta = raw.pack;
        let locales = self.locales(&meta);
        for (field, value) in [("id", &meta.id), ("version", &meta.version)] {
            if value.get_ref().trim().is_empty() {
                self.error(value.span(), format!("[pack] {field} is empty"), None);
            }
        }
        let schema = self.schema(&raw.facts);
        let (param_names, params, param_types) = self.params(&raw.params);
        let names = Names { schema: &schema, params: &param_types, locals: &[] };
        let line = raw.line;
        let credit_limit =
            self.expression(&line.credit_limit, &Type::Money, "[line] credit_limit", &names, &mut Usage::default());
        let used = self.expression(&line.used, &Type::Money, "[line] used", &names, &mut Usage::default());
        if raw.rules.len() > MAX_RULES {
            self.error(0..0, format!("the pack has {} rules; at most {MAX_RULES} are accepted", raw.rules.len()), None);
            return None;
        }
        if raw.rules.is_empty() {
            self.warn(
                0..0,
                "the pack has no rules: every profile will be eligible",
                Some("add rules as [[rules]] tables".into()),
            );
        }
        let mut rules = Vec::with_capacity(raw.rules.len());
        let mut seen: Vec<String> = Vec::new();
        for raw_rule in raw.rules {
            let span = raw_rule.span();
            let raw_rule = raw_rule.into_inner();
            let id = raw_rule.id.get_ref().clone();
            self.rule = Some(id.clone());
            if !is_snake(&id) {
                self.error(
                    raw_rule.id.span(),
                    format!("rule id `{id}` should be lower_snake_case"),
                    Some("like `overdue_now`: letters, digits and _".into()),
                );
            } else if seen.contains(&id) {
                self.error(
                    raw_rule.id.span(),
                    format!("rule id `{id}` is used twice"),
                    Some("rule ids are part of the public contract and must be unique".into()),
                );
            }
            seen.push(id);
            if let Some(rule) = self.rule_def(raw_rule, span, &schema, &param_types, &locales) {
                rules.push(rule);
            }
            self.rule = None;
        }
        self.unused_params(&raw.params, &rules, &param_names);
        let (levers, resets) = self.levers(&raw.facts, &schema, &param_types);
        let costs = self.costs(&raw.costs);
        let sha256 = match self.sha256 {
            Some(known) => known.to_owned(),
            None => Sha256::digest(self.src.as_bytes()).iter().map(|b| format!("{b:02x}")).collect(),
        };
        let readers = Readers::of(schema.facts().len(), &rules);
        Some(Pack {
            id: meta.id.into_inner(),
            version: meta.version.into_inner(),
            sha256,
            locales,
            schema,
            param_names,
            params,
            credit_limit: credit_limit?,
            used: used?,
            rules,
            levers,
            resets,
            costs,
            readers,
            warnings: Vec::new(),
        })
    }

    fn locales(&mut self, meta: &RawMeta) -> Vec<Locale> {
        let Some(list) = &meta.locales else { return Locale::ALL.to_vec() };
        let mut out = Vec::new();
        for tag in list.get_ref() {
            match Locale::parse(tag) {
                Some(l) if !out.contains(&l) => out.push(l),
                Some(_) => {}
                None => self.error(
                    list.span(),
                    format!("locale \"{tag}\" is not supported"),
                    Some("drawcheck speaks \"zh-CN\" and \"en\"".into()),
                ),
            }
        }
        if out.is_empty() {
            out = Locale::ALL.to_vec();
        }
        out
    }

    fn schema(&mut self, facts: &RawFacts) -> Schema {
        let mut schema = Schema::new();
        for (group, fields) in facts {
            if !is_snake(group.get_ref()) || ["as_of", "locale", "params"].contains(&group.get_ref().as_str()) {
                self.error(
                    group.span(),
                    format!("`{}` cannot be a fact group", group.get_ref()),
                    Some("group names are lower_snake_case and not as_of, locale or params".into()),
                );
                continue;
            }
            for (field, spec) in fields {
                let span = spec.span();
                let spec = spec.get_ref();
                if !is_snake(field.get_ref()) {
                    self.error(
                        field.span(),
                        format!("fact name `{}` should be lower_snake_case", field.get_ref()),
                        None,
                    );
                    continue;
                }
                let Some(kind) = self.fact_kind(spec, &mut schema) else { continue };
                let null_is_never = match &spec.null {
                    None => false,
                    Some(n) if n.get_ref() == "never" && matches!(kind, FactKind::Date | FactKind::DateTime) => true,
                    Some(n) if n.get_ref() == "never" => {
                        self.error(n.span(), "only a date or datetime fact can take null = \"never\"", None);
                        false
                    }
                    Some(n) => {
                        self.error(
                            n.span(),
                            format!("null = \"{}\" is not a choice", n.get_ref()),
                            Some("the only choice is null = \"never\"; leave it out for null = absent".into()),
                        );
                        false
                    }
                };
                let action = spec.action.as_ref().and_then(|a| {
                    let parsed = Action::parse(a.get_ref());
                    if parsed.is_none() {
                        let names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
                        self.error(
                            a.span(),
                            format!("unknown action \"{}\"", a.get_ref()),
                            Some(format!("the actions are {}", names.join(", "))),
                        );
                    }
                    parsed
                });
                let mut labels: [Option<String>; 2] = [None, None];
                for (tag, text) in &spec.label {
                    match Locale::parse(tag.get_ref()).and_then(|l| Locale::ALL.iter().position(|x| *x == l)) {
                        Some(i) => {
                            if let Some(slot) = labels.get_mut(i) {
                                *slot = Some(text.get_ref().clone());
                            }
                        }
                        None => self.error(tag.span(), format!("locale \"{}\" is not supported", tag.get_ref()), None),
                    }
                }
                match schema.add_fact(group.get_ref(), field.get_ref(), kind, null_is_never, action) {
                    Some(id) => schema.set_labels(id, labels),
                    None => self.error(
                        span,
                        format!("fact `{}.{}` is declared twice", group.get_ref(), field.get_ref()),
                        None,
                    ),
                }
            }
        }
        schema
    }

    fn fact_kind(&mut self, spec: &RawFact, schema: &mut Schema) -> Option<FactKind> {
        let ty = spec.ty.get_ref().as_str();
        let kind = match ty {
            "money" => FactKind::Money,
            "int" => {
                let (min, max) = (spec.min.unwrap_or(0), spec.max.unwrap_or(1_000_000_000));
                if min > max {
                    self.error(spec.ty.span(), format!("min {min} is above max {max}"), None);
                    return None;
                }
                FactKind::Int { min, max }
            }
            "decimal" => FactKind::Dec,
            "bool" => FactKind::Bool,
            "date" => FactKind::Date,
            "datetime" => FactKind::DateTime,
            "string" => FactKind::Str { max_len: spec.max_len.unwrap_or(64).min(4096) },
            "version" => FactKind::Version,
            "enum" => match &spec.values {
                Some(values) if !values.is_empty() => FactKind::Enum(schema.add_enum(values.clone())),
                _ => {
                    self.error(
                        spec.ty.span(),
                        "an enum fact needs its values",
                        Some("like values = [\"active\", \"frozen\", \"closed\"]".into()),
                    );
                    return None;
                }
            },
            other => {
                let types = ["money", "int", "decimal", "bool", "date", "datetime", "string", "enum", "version"];
                let hint = suggest(other, types)
                    .map(|s| format!("did you mean \"{s}\"?"))
                    .unwrap_or_else(|| format!("the types are {}", types.join(", ")));
                self.error(spec.ty.span(), format!("unknown fact type \"{other}\""), Some(hint));
                return None;
            }
        };
        Some(kind)
    }

    #[allow(clippy::type_complexity)]
    fn params(&mut self, raw: &[(Text, Spanned<DeValue<'_>>)]) -> (Vec<String>, Vec<ParamValue>, Vec<(String, Type)>) {
        let (mut names, mut values, mut types) = (Vec::new(), Vec::new(), Vec::new());
        for (name, value) in raw {
            if !is_snake(name.get_ref()) {
                self.error(name.span(), format!("param name `{}` should be lower_snake_case", name.get_ref()), None);
                continue;
            }
            match params::param_value(value.get_ref()) {
                Ok((v, t)) => {
                    names.push(name.get_ref().clone());
                    values.push(v);
                    types.push((name.get_ref().clone(), t));
                }
                Err((msg, hint)) => {
                    self.error(value.span(), format!("param `{}`: {msg}", name.get_ref()), hint.map(str::to_string))
                }
            }
        }
        (names, values, types)
    }

    fn expression(
        &mut self,
        src: &Text,
        want: &Type,
        what: &str,
        names: &Names<'_>,
        usage: &mut Usage,
    ) -> Option<Compiled> {
        let mut e = match expr::parse(src.get_ref()) {
            Ok(e) => e,
            Err(err) => {
                self.expr_error(src, err);
                return None;
            }
        };
        let mut errors = Vec::new();
        let ty = if *want == Type::Error {
            expr::check(&mut e, names, usage, &mut errors)
        } else {
            expr::check_as(&mut e, want, what, names, usage, &mut errors)
        };
        let failed = !errors.is_empty() || ty == Type::Error;
        for err in errors {
            self.expr_error(src, err);
        }
        (!failed).then(|| Compiled { source: src.get_ref().clone(), expr: e })
    }

    fn rule_def(
        &mut self,
        raw: RawRule,
        span: core::ops::Range<usize>,
        schema: &Schema,
        params: &[(String, Type)],
        locales: &[Locale],
    ) -> Option<Rule> {
        let effect = Effect::parse(raw.effect.get_ref());
        if effect.is_none() {
            let hint = suggest(raw.effect.get_ref(), ["freeze", "block", "pause", "limit", "cap"])
                .map(|s| format!("did you mean \"{s}\"?"));
            self.error(
                raw.effect.span(),
                format!("unknown effect \"{}\"", raw.effect.get_ref()),
                hint.or(Some("the effects are freeze, block, pause, limit, cap".into())),
            );
        }
        let scope = match raw.scope.get_ref().as_str() {
            "individual" => Some(RuleScope::Individual),
            "segment" => Some(RuleScope::Segment),
            other => {
                self.error(raw.scope.span(), format!("unknown scope \"{other}\""), Some("the scopes are individual (about this borrower) and segment (a change for a class of accounts)".into()));
                None
            }
        };
        let mut usage = Usage::default();
        let base = Names { schema, params, locals: &[] };
        let when = self.expression(&raw.when, &Type::Bool, "the condition", &base, &mut usage);
        if let Some(effect) = effect {
            self.effect_fields(effect, &raw);
        }
        let amount =
            raw.amount.as_ref().and_then(|a| self.expression(a, &Type::Money, "the amount", &base, &mut usage));
        let until = raw.until.as_ref().and_then(|u| self.expression(u, &Type::DateTime, "until", &base, &mut usage));
        let mut lets = Vec::new();
        // Local slots, in the order `verdict` fills them: amount, until (each if given), then lets.
        let mut locals: Vec<(String, Type)> = Vec::new();
        if amount.is_some() {
            locals.push(("amount".into(), Type::Money));
        }
        if until.is_some() {
            locals.push(("until".into(), Type::DateTime));
        }
        for (name, src) in &raw.lets {
            if !is_snake(name.get_ref()) || STEP_FIELDS.contains(&name.get_ref().as_str()) {
                self.error(
                    name.span(),
                    format!("`{}` cannot be a let name", name.get_ref()),
                    Some("use a lower_snake_case name other than amount, to, until, phone".into()),
                );
                continue;
            }
            if let Some(c) = self.expression(src, &Type::Error, "a let value", &base, &mut usage) {
                locals.push((name.get_ref().clone(), c.expr.ty.clone()));
                lets.push((name.get_ref().clone(), c));
            }
        }
        let rule_names = Names { schema, params, locals: &locals };
        let title = self.texts(&raw.title, "title", &rule_names, locales, span.clone());
        let detail = self.texts(&raw.detail, "detail", &rule_names, locales, span.clone());
        let mut steps = Vec::new();
        for raw_step in &raw.steps {
            if let Some(step) = self.step(raw_step, &rule_names, locales) {
                steps.push(step);
            }
        }
        // A rule that reads `available` or `status` runs after the status and amounts are settled
        // and cannot change them: any effect but `cap` would be listed yet not applied.
        if usage.reads_verdict && effect.is_some_and(|e| e != Effect::Cap) {
            self.error(
                raw.effect.span(),
                format!("a {} rule cannot read `available` or `status`", raw.effect.get_ref()),
                Some("a rule that reads them is evaluated after all the others and changes neither the status nor the amounts, so only a cap rule may (like amount_over_available)".into()),
            );
        }
        if raw.steps.is_empty() {
            self.warn(raw.id.span(), "the rule has no steps", Some("say what the borrower can do, or add a step with action = \"none\" that says plainly that nothing can".into()));
        }
        Some(Rule {
            id: raw.id.into_inner(),
            when: when?,
            effect: effect?,
            scope: scope?,
            category: raw.category.unwrap_or_default(),
            amount,
            until,
            lets,
            title,
            detail,
            steps,
            last: usage.reads_verdict,
        })
    }

    /// Which of `amount` and `until` an effect needs or forbids.
    fn effect_fields(&mut self, effect: Effect, raw: &RawRule) {
        let needs_amount = matches!(effect, Effect::Limit | Effect::Cap);
        match (&raw.amount, needs_amount) {
            (None, true) => self.error(
                raw.effect.span(),
                format!("a {} rule needs an amount", raw.effect.get_ref()),
                Some("like amount = \"0.5 * account.credit_limit\"".into()),
            ),
            (Some(a), false) => self.error(
                a.span(),
                format!("a {} rule takes no amount", raw.effect.get_ref()),
                Some("only limit and cap rules have an amount".into()),
            ),
            _ => {}
        }
        if effect == Effect::Pause && raw.until.is_none() {
            self.error(
                raw.effect.span(),
                "a pause rule needs `until`: when it ends by itself",
                Some("like until = \"as_of + 1h\"".into()),
            );
        }
    }

    fn step(&mut self, raw: &Spanned<RawStep>, names: &Names<'_>, locales: &[Locale]) -> Option<Step> {
        let span = raw.span();
        let raw = raw.get_ref();
        let action = Action::parse(raw.action.get_ref());
        if action.is_none() {
            let all: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
            let hint = suggest(raw.action.get_ref(), all.iter().copied())
                .map(|s| format!("did you mean \"{s}\"?"))
                .unwrap_or_else(|| format!("the actions are {}", all.join(", ")));
            self.error(raw.action.span(), format!("unknown action \"{}\"", raw.action.get_ref()), Some(hint));
        }
        let wants = [Type::Money, Type::Money, Type::DateTime, Type::Str];
        // Step fields become locals after the rule's, in STEP_FIELDS order, each if given.
        let sources = [&raw.amount, &raw.to, &raw.until, &raw.phone];
        let mut fields: [Option<Compiled>; 4] = Default::default();
        let mut locals: Vec<(String, Type)> = names.locals.to_vec();
        for (i, ((src, want), name)) in sources.iter().zip(wants.iter()).zip(STEP_FIELDS).enumerate() {
            if let Some(src) = src {
                let what = format!("the step's {name}");
                let compiled = self.expression(src, want, &what, names, &mut Usage::default());
                if let (Some(slot), Some(c)) = (fields.get_mut(i), compiled) {
                    locals.push((name.to_string(), want.clone()));
                    *slot = Some(c);
                }
            }
        }
        let step_names = Names { schema: names.schema, params: names.params, locals: &locals };
        let text = self.texts(&raw.text, "step text", &step_names, locales, span);
        Some(Step { action: action?, fields, text })
    }

    fn texts(
        &mut self,
        raw: &TextMap,
        what: &str,
        names: &Names<'_>,
        locales: &[Locale],
        owner: core::ops::Range<usize>,
    ) -> Texts {
        let mut texts = Texts::default();
        for (tag, text) in raw {
            let Some(locale) = Locale::parse(tag.get_ref()) else {
                self.error(
                    tag.span(),
                    format!("locale \"{}\" is not supported", tag.get_ref()),
                    Some("write zh-CN and en texts".into()),
                );
                continue;
            };
            if let Some(pieces) = self.template(text, names) {
                let idx = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
                if let Some(slot) = texts.by_locale.get_mut(idx) {
                    *slot = Some(pieces);
                }
            }
        }
        let given: Vec<Locale> =
            Locale::ALL.iter().zip(texts.by_locale.iter()).filter(|(_, t)| t.is_some()).map(|(l, _)| *l).collect();
        for locale in locales {
            if !given.contains(locale) && raw.iter().all(|(k, _)| Locale::parse(k.get_ref()) != Some(*locale)) {
                let msg = format!("the {what} has no {} text", locale.tag());
                let hint = if given.is_empty() {
                    "a borrower would see no words here".to_string()
                } else {
                    format!("borrowers reading {} will see the {} text", locale.tag(), locale.other().tag())
                };
                if given.is_empty() && what != "step text" {
                    self.error(owner.start..owner.start, msg, Some(hint));
                } else {
                    self.warn(owner.start..owner.start, msg, Some(hint));
                }
            }
        }
        texts
    }

    /// Splits `text` into literal pieces and checked `{expr}` placeholders.
    fn template(&mut self, text: &Text, names: &Names<'_>) -> Option<Vec<Piece>> {
        let s = text.get_ref();
        let mut pieces = Vec::new();
        let mut lit = String::new();
        let mut ok = true;
        let mut i = 0;
        while i < s.len() {
            // The literal run up to the next brace goes in whole: char by char, this scan was ~35%
            // of compiling the default pack (by callgrind). Braces are ASCII, so a byte search
            // stops on a char boundary.
            let rest = s.get(i..).unwrap_or("");
            let run = rest.bytes().position(|b| b == b'{' || b == b'}').unwrap_or(rest.len());
            lit.push_str(rest.get(..run).unwrap_or(""));
            i += run;
            let rest = rest.get(run..).unwrap_or("");
            if rest.is_empty() {
                break;
            }
            if rest.starts_with("{{") || rest.starts_with("}}") {
                lit.push_str(rest.get(..1).unwrap_or(""));
                i += 2;
            } else if rest.starts_with('{') {
                let Some(close) = rest.find('}') else {
                    let span = self.inner_span(text, i, s.len());
                    self.error(
                        span,
                        "this `{` is not closed",
                        Some("close the placeholder with `}`, or write `{{` for a literal brace".into()),
                    );
                    return None;
                };
                let inner = rest.get(1..close).unwrap_or("");
                if !lit.is_empty() {
                    pieces.push(Piece::Text(core::mem::take(&mut lit)));
                }
                match self.placeholder(text, inner, i + 1, names) {
                    Some(e) => pieces.push(Piece::Value(e)),
                    None => ok = false,
                }
                i += close + 1;
            } else {
                // A `}` with no `{` before it.
                let span = self.inner_span(text, i, i + 1);
                self.error(span, "a `}` with no `{` before it", Some("write `}}` for a literal brace".into()));
                return None;
            }
        }
        if !lit.is_empty() {
            pieces.push(Piece::Text(lit));
        }
        ok.then_some(pieces)
    }

    fn placeholder(&mut self, text: &Text, inner: &str, offset: usize, names: &Names<'_>) -> Option<Expr> {
        let shift = |mut err: ExprError| {
            err.span.start += offset as u32;
            err.span.end += offset as u32;
            err
        };
        let mut e = match expr::parse(inner) {
            Ok(e) => e,
            Err(err) => {
                self.expr_error(text, shift(err));
                return None;
            }
        };
        let mut errors = Vec::new();
        let ty = expr::check(&mut e, names, &mut Usage::default(), &mut errors);
        if matches!(ty, Type::List(_) | Type::Map(_) | Type::Windows) {
            errors.push(ExprError::new(e.span, format!("a {ty} cannot be shown in a text")));
        }
        let failed = !errors.is_empty();
        for err in errors {
            self.expr_error(text, shift(err));
        }
        (!failed).then_some(e)
    }

    /// Levers and resets from the fact specs (after params, since their expressions may read them).
    fn levers(&mut self, facts: &RawFacts, schema: &Schema, params: &[(String, Type)]) -> (Vec<Lever>, Vec<Reset>) {
        let names = Names { schema, params, locals: &[] };
        let (mut levers, mut resets) = (Vec::new(), Vec::new());
        for (group, fields) in facts {
            for (field, spec) in fields {
                let path = format!("{}.{}", group.get_ref(), field.get_ref());
                let Some(id) = schema.lookup(&path) else { continue };
                let Some(fact) = schema.fact(id) else { continue };
                let spec = spec.get_ref();
                let ty = fact.kind.ty();
                if let Some((to, at)) = &spec.resets {
                    let to = self.expression(to, &ty, "resets.to", &names, &mut Usage::default());
                    let at = self.expression(at, &Type::DateTime, "resets.at", &names, &mut Usage::default());
                    if let (Some(to), Some(at)) = (to, at) {
                        resets.push(Reset { fact: id, to, at });
                    }
                }
                let Some(action) = fact.action else {
                    if let Some(d) = &spec.direction {
                        self.error(
                            d.span(),
                            format!("`{path}` has a direction but no action"),
                            Some("say which action moves it, like action = \"repay\"".into()),
                        );
                    }
                    continue;
                };
                let direction = match spec.direction.as_ref().map(|d| (d, d.get_ref().as_str())) {
                    Some((_, "down")) if ty != Type::Bool => Direction::Down,
                    Some((_, "up")) if ty != Type::Bool => Direction::Up,
                    Some((_, "true")) if ty == Type::Bool => Direction::ToTrue,
                    Some((_, "false")) if ty == Type::Bool => Direction::ToFalse,
                    Some((d, other)) => {
                        let want = if ty == Type::Bool { "\"true\" or \"false\"" } else { "\"down\" or \"up\"" };
                        self.error(
                            d.span(),
                            format!("direction \"{other}\" does not fit a {ty} fact"),
                            Some(format!("use {want}")),
                        );
                        continue;
                    }
                    None => {
                        let span = spec.action.as_ref().map(|a| a.span()).unwrap_or_else(|| field.span());
                        let hint = if ty == Type::Bool {
                            "add direction = \"true\" or \"false\": the value the borrower can give it"
                        } else {
                            "add direction = \"down\" or \"up\""
                        };
                        self.error(
                            span,
                            format!("`{path}` can be changed by the borrower, but in which direction?"),
                            Some(hint.into()),
                        );
                        continue;
                    }
                };
                let mut also = Vec::new();
                for (other, src) in &spec.also {
                    let Some(other_id) = schema.lookup(other.get_ref()) else {
                        let hint = suggest(other.get_ref(), schema.paths()).map(|s| format!("did you mean `{s}`?"));
                        self.error(other.span(), format!("unknown fact `{}`", other.get_ref()), hint);
                        continue;
                    };
                    let other_ty = schema.fact(other_id).map(|f| f.kind.ty()).unwrap_or(Type::Error);
                    if let Some(c) = self.expression(src, &other_ty, "the new value", &names, &mut Usage::default()) {
                        also.push((other_id, c));
                    }
                }
                let to = spec
                    .to
                    .as_ref()
                    .and_then(|t| self.expression(t, &ty, "the lever's `to`", &names, &mut Usage::default()));
                levers.push(Lever { fact: id, action, direction, to, also });
            }
        }
        (levers, resets)
    }

    fn costs(&mut self, raw: &[(Text, Spanned<i64>)]) -> [u32; 10] {
        let mut costs = DEFAULT_COSTS;
        for (name, cost) in raw {
            match Action::ALL.iter().position(|a| a.name() == name.get_ref()) {
                Some(i) => {
                    if let Some(slot) = costs.get_mut(i) {
                        *slot = u32::try_from(*cost.get_ref()).unwrap_or(u32::MAX);
                    }
                }
                None => {
                    let hint = suggest(name.get_ref(), Action::ALL.iter().map(|a| a.name()))
                        .map(|s| format!("did you mean `{s}`?"));
                    self.error(name.span(), format!("unknown action `{}`", name.get_ref()), hint);
                }
            }
        }
        costs
    }

    fn unused_params(&mut self, raw: &[(Text, Spanned<DeValue<'_>>)], rules: &[Rule], names: &[String]) {
        let mut used = vec![false; names.len()];
        let mut mark = |e: &Expr| mark_params(e, &mut used);
        for rule in rules {
            mark(&rule.when.expr);
            for c in rule.amount.iter().chain(rule.until.iter()).chain(rule.lets.iter().map(|(_, c)| c)) {
                mark(&c.expr);
            }
            for texts in [&rule.title, &rule.detail].into_iter().chain(rule.steps.iter().map(|s| &s.text)) {
                for piece in texts.by_locale.iter().flatten().flatten() {
                    if let Piece::Value(e) = piece {
                        mark(e);
                    }
                }
            }
            for c in rule.steps.iter().flat_map(|s| s.fields.iter().flatten()) {
                mark(&c.expr);
            }
        }
        for (name, value) in raw {
            let idx = names.iter().position(|n| n == name.get_ref());
            if idx.and_then(|i| used.get(i)).is_some_and(|u| !u) {
                self.rule = None;
                self.warn(value.span(), format!("param `{}` is not used by any rule", name.get_ref()), None);
            }
        }
    }
}

fn mark_params(e: &Expr, used: &mut [bool]) {
    if let expr::Kind::Param(i) = e.kind {
        if let Some(u) = used.get_mut(usize::from(i)) {
            *u = true;
        }
    }
    for child in e.children() {
        mark_params(child, used);
    }
}

fn is_snake(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    /// A one-rule pack whose title in zh-CN is `title`.
    fn pack_titled(title: &str) -> String {
        format!(
            r#"[pack]
id = "t"
version = "1"
locales = ["zh-CN"]
[line]
credit_limit = "account.credit_limit"
used = "account.used"
[facts.account]
credit_limit = {{ type = "money" }}
used = {{ type = "money" }}
[params]
days = 3
[[rules]]
id = "r"
when = "account.used > account.credit_limit"
effect = "block"
scope = "individual"
title.zh-CN = "{title}"
detail.zh-CN = "d"
[[rules.steps]]
action = "none"
text.zh-CN = "s"
"#
        )
    }

    #[test]
    fn a_template_keeps_literal_runs_escaped_braces_and_placeholders() {
        let pack = compile(&pack_titled("已逾期{{天}} {params.days}天}}。")).unwrap();
        let pieces = pack.rules[0].title.pick(Locale::ZhCn).unwrap();
        assert_eq!(pieces.len(), 3, "{pieces:?}");
        assert_eq!(pieces[0], Piece::Text("已逾期{天} ".into()));
        assert!(matches!(&pieces[1], Piece::Value(e) if matches!(e.kind, expr::Kind::Param(0))), "{pieces:?}");
        assert_eq!(pieces[2], Piece::Text("天}。".into()));
    }

    #[test]
    fn a_brace_out_of_place_is_located_in_characters() {
        let text = pack_titled("中文{params.days");
        let errors = compile(&text).unwrap_err();
        let e = errors.iter().find(|d| d.message.contains("not closed")).unwrap();
        let line = text.lines().position(|l| l.starts_with("title.zh-CN")).unwrap() + 1;
        assert_eq!((e.line, e.column), (line, "title.zh-CN = \"中文".chars().count() + 1));

        let errors = compile(&pack_titled("中文}")).unwrap_err();
        let e = errors.iter().find(|d| d.message.contains("no `{` before")).unwrap();
        assert_eq!((e.line, e.column), (line, "title.zh-CN = \"中文".chars().count() + 1));
    }
}
