//! The raw JS API. Answers cross the boundary as JSON text of tagged values
//! (`{"type":"success",…}` / `{"type":"failure",…}`), never as exceptions; `www/api.js` is the
//! typed wrapper that host apps import (it parses and stringifies).
//!
//! Why JSON text rather than serde-wasm-bindgen objects: the profile is then read by exactly the
//! code that reads it in the CLI (with line and column in errors, and money read from its digits),
//! and the module carries one serde path instead of two (measured in the README, "Size").

use crate::explain;
use crate::pack::{Diagnostic, Pack};
use crate::profile::{self, ProfileError};
use crate::verdict::{Options, Verdict};
use crate::Locale;
use serde::{Deserialize, Serialize};
use std::rc::Rc;
use wasm_bindgen::prelude::*;

/// A rule pack, compiled (or the diagnostics that say why it did not compile).
#[wasm_bindgen]
pub struct Engine {
    pack: Option<Rc<Pack>>,
    report: String,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum CompileAnswer<'a> {
    Success { pack: PackInfo<'a>, warnings: &'a [Diagnostic] },
    Failure { errors: &'a [Diagnostic] },
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum CheckAnswer {
    Success {
        verdict: Box<Verdict>,
        #[serde(skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    Failure {
        error: ProfileError,
    },
}

#[derive(Serialize)]
struct PackInfo<'a> {
    id: &'a str,
    version: &'a str,
    sha256: &'a str,
    locales: Vec<&'static str>,
    rules: Vec<&'a str>,
    facts: Vec<FactInfo<'a>>,
}

#[derive(Serialize)]
struct FactInfo<'a> {
    path: &'a str,
    #[serde(rename = "type")]
    ty: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    values: Option<&'a [String]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    action: Option<&'static str>,
    label: Labels<'a>,
}

#[derive(Serialize)]
struct Labels<'a> {
    #[serde(rename = "zh-CN", skip_serializing_if = "Option::is_none")]
    zh_cn: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    en: Option<&'a str>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CheckOptions {
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    trace: bool,
}

/// JSON text of an answer. Serializing these types cannot fail (no maps with non-string keys,
/// no floats); should it ever, the caller still gets a failure answer, not an exception.
fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| {
        format!(r#"{{"type":"failure","error":{{"message":"could not write the answer: {e}","line":0,"column":0}}}}"#)
    })
}

fn info(pack: &Pack) -> PackInfo<'_> {
    let facts = pack
        .schema
        .facts()
        .iter()
        .map(|f| FactInfo {
            path: &f.path,
            ty: f.kind.ty().to_string(),
            values: match f.kind {
                crate::schema::FactKind::Enum(id) => Some(pack.schema.enum_values(id)),
                _ => None,
            },
            action: f.action.map(|a| a.name()),
            label: match &f.labels {
                [zh, en] => Labels { zh_cn: zh.as_deref(), en: en.as_deref() },
            },
        })
        .collect();
    PackInfo {
        id: &pack.id,
        version: &pack.version,
        sha256: &pack.sha256,
        locales: pack.locales.iter().map(|l| l.tag()).collect(),
        rules: pack.rules.iter().map(|r| r.id.as_str()).collect(),
        facts,
    }
}

/// The embedded default pack's text (POLICY.md v1).
#[wasm_bindgen(js_name = defaultPackText)]
pub fn default_pack_text() -> String {
    crate::DEFAULT_PACK.to_string()
}

#[wasm_bindgen]
impl Engine {
    /// Compiles pack text. Never throws: `report()` says whether it compiled.
    #[wasm_bindgen(constructor)]
    pub fn new(pack_text: &str) -> Engine {
        match crate::compile_pack(pack_text) {
            Ok(pack) => {
                let report = json(&CompileAnswer::Success { pack: info(&pack), warnings: &pack.warnings });
                Engine { pack: Some(Rc::new(pack)), report }
            }
            Err(errors) => Engine { pack: None, report: json(&CompileAnswer::Failure { errors: &errors }) },
        }
    }

    /// The embedded default pack, compiled (once per instance: the page's own, when it has one).
    #[wasm_bindgen(js_name = withDefaultPack)]
    pub fn with_default_pack() -> Engine {
        match super::default_pack() {
            Some(pack) => {
                let report = json(&CompileAnswer::Success { pack: info(&pack), warnings: &pack.warnings });
                Engine { pack: Some(pack), report }
            }
            None => Engine::new(crate::DEFAULT_PACK),
        }
    }

    /// JSON: `{"type":"success","pack":{…},"warnings":[…]}` or `{"type":"failure","errors":[…]}`.
    pub fn report(&self) -> String {
        self.report.clone()
    }

    /// JSON `CheckAnswer` for a profile given as JSON text, with options as JSON text (`{}` for none).
    pub fn check(&self, profile_json: &str, options_json: &str) -> String {
        json(&self.answer(profile_json, options_json, false))
    }

    /// Like `check`, with each rule's trace and the verdict as readable text.
    pub fn explain(&self, profile_json: &str, options_json: &str) -> String {
        json(&self.answer(profile_json, options_json, true))
    }
}

impl Engine {
    fn answer(&self, profile_json: &str, options_json: &str, explain: bool) -> CheckAnswer {
        match self.verdict(profile_json, options_json, explain) {
            Ok((pack, verdict)) => {
                let text = explain.then(|| explain::text(pack, &verdict));
                CheckAnswer::Success { verdict: Box::new(verdict), text }
            }
            Err(error) => CheckAnswer::Failure { error },
        }
    }

    fn verdict(&self, profile_json: &str, options_json: &str, trace: bool) -> Result<(&Pack, Verdict), ProfileError> {
        let no_position = |message: String| ProfileError { message, line: 0, column: 0 };
        let Some(pack) = &self.pack else {
            return Err(no_position("the rule pack did not compile; see report()".into()));
        };
        let opts: CheckOptions = match options_json.trim() {
            "" | "null" | "undefined" => CheckOptions::default(),
            text => serde_json::from_str(text).map_err(|e| no_position(format!("options: {e}")))?,
        };
        let locale = match opts.locale.as_deref() {
            None => None,
            Some(tag) => Some(Locale::parse(tag).ok_or_else(|| {
                no_position(format!(
                    "options.locale {}: drawcheck speaks \"zh-CN\" and \"en\"",
                    crate::value::quoted(tag)
                ))
            })?),
        };
        let profile = profile::from_json(&pack.schema, profile_json)?;
        Ok((pack, crate::check(pack, &profile, Options { locale, trace: trace || opts.trace, recourse: true })))
    }
}
