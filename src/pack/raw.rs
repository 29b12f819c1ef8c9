//! The pack's TOML, read into plain structs that keep every span. toml's spanned document tree
//! (`DeTable`) is walked by hand rather than through serde: every key and value keeps its
//! position for diagnostics, an unknown key gets a "did you mean", numbers keep the text they were
//! written with (so `0.7` is exact), and the wasm module does not carry a serde deserializer per
//! struct (which was most of its size).

use crate::schema::suggest;
use toml::de::{DeTable, DeValue};
use toml::Spanned;

type Span = core::ops::Range<usize>;
/// A string with its span.
pub type Text = Spanned<String>;
/// Texts by key (locale tags, let names), each with its span, in key order. (Pairs in a Vec:
/// these maps hold a handful of entries, and a BTreeMap per value type costs the wasm module kilobytes.)
pub type TextMap = Vec<(Text, Text)>;

/// A problem found while reading the TOML's shape.
pub struct RawError {
    pub span: Span,
    pub message: String,
    pub hint: Option<String>,
}

/// Fact groups in key order: group name → (field name → spec).
pub type RawFacts = Vec<(Text, Vec<(Text, Spanned<RawFact>)>)>;

pub struct RawPack<'i> {
    pub pack: RawMeta,
    pub line: RawLine,
    /// Group → field → spec.
    pub facts: RawFacts,
    pub params: Vec<(Text, Spanned<DeValue<'i>>)>,
    pub rules: Vec<Spanned<RawRule>>,
    /// `[recourse] costs = { repay = 10, … }`: cost of each action kind, for the planner.
    pub costs: Vec<(Text, Spanned<i64>)>,
}

pub struct RawMeta {
    pub id: Text,
    pub version: Text,
    pub locales: Option<Spanned<Vec<String>>>,
}

pub struct RawLine {
    pub credit_limit: Text,
    pub used: Text,
}

pub struct RawFact {
    pub ty: Text,
    pub values: Option<Vec<String>>,
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub max_len: Option<usize>,
    pub null: Option<Text>,
    pub action: Option<Text>,
    pub direction: Option<Text>,
    /// The value the action gives the fact, where it is all or nothing.
    pub to: Option<Text>,
    /// Other facts that change with this one: path → expression of the new value.
    pub also: TextMap,
    /// The fact lapses by itself: `resets = { to = "0", at = "behavior.last_login_failure_at + 24h" }`.
    pub resets: Option<(Text, Text)>,
    pub label: TextMap,
}

pub struct RawRule {
    pub id: Text,
    pub when: Text,
    pub effect: Text,
    pub scope: Text,
    pub category: Option<String>,
    pub amount: Option<Text>,
    pub until: Option<Text>,
    pub title: TextMap,
    pub detail: TextMap,
    pub lets: TextMap,
    pub steps: Vec<Spanned<RawStep>>,
}

pub struct RawStep {
    pub action: Text,
    pub amount: Option<Text>,
    pub to: Option<Text>,
    pub until: Option<Text>,
    pub phone: Option<Text>,
    pub text: TextMap,
}

/// Parses the TOML and reads its shape. `Err` only when the text is not TOML at all; shape
/// problems are pushed to `errors` and the offending part is left out.
pub fn read<'i>(text: &'i str, errors: &mut Vec<RawError>) -> Result<RawPack<'i>, RawError> {
    let doc = DeTable::parse(text).map_err(|e| {
        let message = e.message().lines().next().unwrap_or("the pack is not valid TOML").trim().to_string();
        RawError { span: e.span().unwrap_or(0..0), message, hint: None }
    })?;
    let whole = doc.span();
    let doc = doc.into_inner();
    let mut r = Reader { errors };
    r.only(&doc, &["pack", "line", "facts", "params", "rules", "recourse"], "the pack", None);
    let pack = r.table(&doc, "pack", "the pack", whole.clone());
    let line = r.table(&doc, "line", "the pack", whole.clone());
    let meta = RawMeta {
        id: r.string(pack.1, "id", "[pack]", pack.0.clone()),
        version: r.string(pack.1, "version", "[pack]", pack.0.clone()),
        locales: r.string_list(pack.1, "locales"),
    };
    r.only(pack.1, &["id", "version", "locales", "title", "description"], "[pack]", None);
    let line_def = RawLine {
        credit_limit: r.string(line.1, "credit_limit", "[line]", line.0.clone()),
        used: r.string(line.1, "used", "[line]", line.0.clone()),
    };
    r.only(line.1, &["credit_limit", "used"], "[line]", None);
    let facts = r.facts(&doc);
    let params = match doc.get("params").map(|v| (v.span(), v.get_ref())) {
        Some((_, DeValue::Table(t))) => t.iter().map(|(k, v)| (owned(k), v.clone())).collect(),
        Some((span, _)) => {
            r.error(span, "`params` should be a table", Some("write [params] and then name = value lines"));
            Vec::new()
        }
        None => Vec::new(),
    };
    let rules = r.rules(&doc);
    let costs = r.costs(&doc);
    Ok(RawPack { pack: meta, line: line_def, facts, params, rules, costs })
}

fn owned(k: &Spanned<std::borrow::Cow<'_, str>>) -> Text {
    Spanned::new(k.span(), k.get_ref().to_string())
}

static EMPTY: std::sync::OnceLock<DeTable<'static>> = std::sync::OnceLock::new();

fn empty() -> &'static DeTable<'static> {
    EMPTY.get_or_init(DeTable::new)
}

struct Reader<'e> {
    errors: &'e mut Vec<RawError>,
}

impl Reader<'_> {
    fn error(&mut self, span: Span, message: impl Into<String>, hint: Option<&str>) {
        self.errors.push(RawError { span, message: message.into(), hint: hint.map(str::to_string) });
    }

    /// Reports every key of `t` that is not in `allowed`, with the likely intended one.
    fn only(&mut self, t: &DeTable<'_>, allowed: &[&str], place: &str, extra_hint: Option<&str>) {
        for (k, _) in t.iter() {
            let key = k.get_ref().as_ref();
            if allowed.contains(&key) {
                continue;
            }
            let hint = match suggest(key, allowed.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => match extra_hint {
                    Some(h) => h.to_string(),
                    None => format!("{place} takes {}", allowed.join(", ")),
                },
            };
            self.errors.push(RawError {
                span: k.span(),
                message: format!("unknown key `{key}` in {place}"),
                hint: Some(hint),
            });
        }
    }

    /// A required sub-table; an empty one (after an error) if absent or of another type.
    fn table<'t, 'i>(&mut self, t: &'t DeTable<'i>, key: &str, place: &str, owner: Span) -> (Span, &'t DeTable<'i>) {
        match t.get(key).map(|v| (v.span(), v.get_ref())) {
            Some((span, DeValue::Table(inner))) => (span, inner),
            Some((span, other)) => {
                self.error(span.clone(), format!("`{key}` should be a table, not {}", other.type_str()), None);
                (span, empty())
            }
            None => {
                self.error(owner.start..owner.start, format!("{place} has no [{key}] table"), None);
                (owner, empty())
            }
        }
    }

    /// A required string; an empty one (after an error) if absent or of another type.
    fn string(&mut self, t: &DeTable<'_>, key: &str, place: &str, owner: Span) -> Text {
        match self.opt_string(t, key) {
            Some(s) => s,
            None if t.get(key).is_some() => Spanned::new(owner, String::new()),
            None => {
                self.error(owner.start..owner.start, format!("{place} needs `{key}`"), None);
                Spanned::new(owner, String::new())
            }
        }
    }

    fn opt_string(&mut self, t: &DeTable<'_>, key: &str) -> Option<Text> {
        let v = t.get(key)?;
        match v.get_ref() {
            DeValue::String(s) => Some(Spanned::new(v.span(), s.to_string())),
            other => {
                self.error(
                    v.span(),
                    format!("`{key}` should be a string, not {}", other.type_str()),
                    Some("put expressions and texts in quotes"),
                );
                None
            }
        }
    }

    fn opt_int(&mut self, t: &DeTable<'_>, key: &str) -> Option<i64> {
        let v = t.get(key)?;
        let parsed = match v.get_ref() {
            DeValue::Integer(i) if i.radix() == 10 => i.as_str().parse::<i64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.error(v.span(), format!("`{key}` should be a whole number"), None);
        }
        parsed
    }

    fn string_list(&mut self, t: &DeTable<'_>, key: &str) -> Option<Spanned<Vec<String>>> {
        let v = t.get(key)?;
        let DeValue::Array(items) = v.get_ref() else {
            self.error(v.span(), format!("`{key}` should be a list of strings"), None);
            return None;
        };
        let mut out = Vec::new();
        for item in items {
            match item.get_ref() {
                DeValue::String(s) => out.push(s.to_string()),
                _ => self.error(item.span(), format!("`{key}` should hold only strings"), None),
            }
        }
        Some(Spanned::new(v.span(), out))
    }

    /// A table of strings (`title.zh-CN = "…"`), absent meaning empty.
    fn text_map(&mut self, t: &DeTable<'_>, key: &str) -> TextMap {
        let mut out = TextMap::new();
        let Some(v) = t.get(key) else { return out };
        let DeValue::Table(inner) = v.get_ref() else {
            let hint = if key == "let" {
                "write [rules.let] and name = \"expression\" lines"
            } else {
                "write one per locale, like title.zh-CN = \"…\" and title.en = \"…\""
            };
            self.error(v.span(), format!("`{key}` should be a table of strings"), Some(hint));
            return out;
        };
        for (k, val) in inner.iter() {
            match val.get_ref() {
                DeValue::String(s) => {
                    out.push((owned(k), Spanned::new(val.span(), s.to_string())));
                }
                other => self.error(
                    val.span(),
                    format!("`{key}.{}` should be a string, not {}", k.get_ref(), other.type_str()),
                    None,
                ),
            }
        }
        out
    }

    fn facts(&mut self, doc: &DeTable<'_>) -> RawFacts {
        let mut out = Vec::new();
        let Some(v) = doc.get("facts") else { return out };
        let DeValue::Table(groups) = v.get_ref() else {
            self.error(v.span(), "`facts` should be a table of groups", Some("like [facts.account]"));
            return out;
        };
        for (group, fields) in groups.iter() {
            let DeValue::Table(fields_t) = fields.get_ref() else {
                self.error(
                    fields.span(),
                    format!("fact group `{}` should be a table", group.get_ref()),
                    Some("like [facts.account] and then one line per fact"),
                );
                continue;
            };
            let mut specs = Vec::new();
            for (field, spec) in fields_t.iter() {
                let DeValue::Table(t) = spec.get_ref() else {
                    let hint = "like credit_limit = { type = \"money\" }";
                    self.error(
                        spec.span(),
                        format!("fact `{}.{}` should be a table", group.get_ref(), field.get_ref()),
                        Some(hint),
                    );
                    continue;
                };
                let place = format!("fact `{}.{}`", group.get_ref(), field.get_ref());
                let keys = [
                    "type",
                    "values",
                    "min",
                    "max",
                    "max_len",
                    "null",
                    "action",
                    "direction",
                    "to",
                    "also",
                    "resets",
                    "label",
                ];
                self.only(t, &keys, &place, None);
                let fact = RawFact {
                    ty: self.string(t, "type", &place, spec.span()),
                    values: self.string_list(t, "values").map(Spanned::into_inner),
                    min: self.opt_int(t, "min"),
                    max: self.opt_int(t, "max"),
                    max_len: self.opt_int(t, "max_len").and_then(|n| usize::try_from(n).ok()),
                    null: self.opt_string(t, "null"),
                    action: self.opt_string(t, "action"),
                    direction: self.opt_string(t, "direction"),
                    to: self.opt_string(t, "to"),
                    also: self.text_map(t, "also"),
                    resets: self.resets(t, &place),
                    label: self.text_map(t, "label"),
                };
                specs.push((owned(field), Spanned::new(spec.span(), fact)));
            }
            out.push((owned(group), specs));
        }
        out
    }

    fn resets(&mut self, t: &DeTable<'_>, place: &str) -> Option<(Text, Text)> {
        let v = t.get("resets")?;
        let DeValue::Table(inner) = v.get_ref() else {
            self.error(
                v.span(),
                format!("`resets` of {place} should be a table"),
                Some("like resets = { to = \"0\", at = \"as_of + 1h\" }"),
            );
            return None;
        };
        self.only(inner, &["to", "at"], "`resets`", None);
        let to = self.string(inner, "to", "`resets`", v.span());
        let at = self.string(inner, "at", "`resets`", v.span());
        Some((to, at))
    }

    fn costs(&mut self, doc: &DeTable<'_>) -> Vec<(Text, Spanned<i64>)> {
        let Some(v) = doc.get("recourse") else { return Vec::new() };
        let DeValue::Table(t) = v.get_ref() else {
            self.error(v.span(), "`recourse` should be a table", Some("write [recourse] and then costs = { … }"));
            return Vec::new();
        };
        self.only(t, &["costs"], "[recourse]", None);
        let Some(costs) = t.get("costs") else { return Vec::new() };
        let DeValue::Table(costs) = costs.get_ref() else {
            self.error(costs.span(), "`costs` should be a table of action = whole number", None);
            return Vec::new();
        };
        let mut out = Vec::new();
        for (k, val) in costs.iter() {
            match val.get_ref() {
                DeValue::Integer(i) if i.radix() == 10 => match i.as_str().parse::<i64>() {
                    Ok(n) if (0..=1_000_000).contains(&n) => out.push((owned(k), Spanned::new(val.span(), n))),
                    _ => self.error(val.span(), "a cost is a whole number from 0 to 1000000", None),
                },
                _ => self.error(val.span(), "a cost is a whole number", None),
            }
        }
        out
    }

    fn rules(&mut self, doc: &DeTable<'_>) -> Vec<Spanned<RawRule>> {
        let Some(v) = doc.get("rules") else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.error(v.span(), "`rules` should be a list of tables", Some("write each rule as a [[rules]] table"));
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let DeValue::Table(t) = item.get_ref() else {
                self.error(item.span(), "each rule should be a table", Some("write each rule as a [[rules]] table"));
                continue;
            };
            let span = item.span();
            let allowed =
                ["id", "when", "effect", "scope", "category", "amount", "until", "title", "detail", "let", "steps"];
            self.only(t, &allowed, "a rule", None);
            let rule = RawRule {
                id: self.string(t, "id", "a rule", span.clone()),
                when: self.string(t, "when", "a rule", span.clone()),
                effect: self.string(t, "effect", "a rule", span.clone()),
                scope: self.string(t, "scope", "a rule", span.clone()),
                category: self.opt_string(t, "category").map(Spanned::into_inner),
                amount: self.opt_string(t, "amount"),
                until: self.opt_string(t, "until"),
                title: self.text_map(t, "title"),
                detail: self.text_map(t, "detail"),
                lets: self.text_map(t, "let"),
                steps: self.steps(t),
            };
            out.push(Spanned::new(span, rule));
        }
        out
    }

    fn steps(&mut self, rule: &DeTable<'_>) -> Vec<Spanned<RawStep>> {
        let Some(v) = rule.get("steps") else { return Vec::new() };
        let DeValue::Array(items) = v.get_ref() else {
            self.error(
                v.span(),
                "`steps` should be a list of tables",
                Some("write each step as a [[rules.steps]] table"),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in items {
            let DeValue::Table(t) = item.get_ref() else {
                self.error(
                    item.span(),
                    "each step should be a table",
                    Some("write each step as a [[rules.steps]] table"),
                );
                continue;
            };
            let span = item.span();
            self.only(t, &["action", "amount", "to", "until", "phone", "text"], "a step", None);
            let step = RawStep {
                action: self.string(t, "action", "a step", span.clone()),
                amount: self.opt_string(t, "amount"),
                to: self.opt_string(t, "to"),
                until: self.opt_string(t, "until"),
                phone: self.opt_string(t, "phone"),
                text: self.text_map(t, "text"),
            };
            out.push(Spanned::new(span, step));
        }
        out
    }
}
