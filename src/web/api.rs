//! The JS API: the only place that knows JS names and shapes. Answers cross the boundary as
//! tagged values (`{ type: "success", … } | { type: "failure", … }`), never as exceptions.

use crate::explain;
use crate::pack::{Diagnostic, Pack};
use crate::profile::{self, ProfileError, ProfileSeed};
use crate::verdict::{self, Options, Verdict};
use crate::Locale;
use serde::de::DeserializeSeed;
use serde::{Deserialize, Serialize};
use std::cell::OnceCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
/** A borrower's facts (CONTRACT.md). Every group and field is optional except `as_of`. */
export interface Profile {
  as_of: string;
  locale?: "zh-CN" | "en" | string | null;
  account?: { status?: "active" | "frozen" | "closed" | null; credit_limit?: Money | null; used?: Money | null;
    kyc_verified?: boolean | null; id_expiry?: string | null; age?: number | null; region?: string | null;
    app_version?: string | null; segment?: string | null } | null;
  credit?: { overdue_days?: number | null; overdue_amount?: Money | null; overdue_episodes_12m?: number | null;
    last_overdue_cleared_at?: string | null; court_enforcement_listed?: boolean | null;
    bureau_blacklisted?: boolean | null; multi_lender_count_3m?: number | null } | null;
  behavior?: { login_failures_24h?: number | null; last_login_failure_at?: string | null;
    new_device_unverified?: boolean | null; requests_last_hour?: number | null } | null;
  capacity?: { monthly_income?: Money | null; income_verified?: boolean | null;
    monthly_debt_payments?: Money | null } | null;
  request?: { amount?: Money | null } | null;
  [group: string]: unknown;
}
/** An amount: a decimal string or number with at most 2 decimals, e.g. "320.50". */
export type Money = string | number;
export type Status = "eligible" | "limited" | "paused" | "blocked" | "frozen" | "incomplete";
export type Effect = "freeze" | "block" | "pause" | "limit" | "cap";
export type Action = "repay" | "wait" | "verify_identity" | "verify_device" | "upload_document" | "update_app"
  | "contact_support" | "credit_report" | "reduce_debt" | "none";
export interface Step { action: Action; text: string; amount?: string; to?: string; until?: string; phone?: string }
export interface Reason {
  rule: string; effect: Effect; scope: "individual" | "segment"; category: string; principal: boolean;
  title: string; detail: string; amount?: string; until: string | null; steps: Step[];
}
export interface TraceNode { depth: number; text: string; value: string }
export interface RuleTrace { rule: string; result: "fired" | "not fired" | "undetermined"; when: string; nodes: TraceNode[] }
export interface Verdict {
  status: Status; available: string; effective_limit: string; reasons: Reason[]; missing: string[];
  undetermined: { rule: string; why: string }[]; as_of: string; locale: "zh-CN" | "en";
  pack: { id: string; version: string; sha256: string }; trace?: RuleTrace[];
}
export interface Diagnostic {
  severity: "error" | "warning"; message: string; hint: string | null; line: number; column: number;
  end_line: number; end_column: number; rule: string | null;
}
export interface ProfileError { message: string; line: number; column: number }
export interface FactInfo { path: string; type: string; values?: string[]; action?: Action; label: { "zh-CN"?: string; en?: string } }
export interface PackInfo { id: string; version: string; sha256: string; locales: string[]; rules: string[]; facts: FactInfo[] }
export interface CheckOptions { locale?: "zh-CN" | "en" | string; trace?: boolean }
export type CompileAnswer =
  | { type: "success"; engine: Engine; pack: PackInfo; warnings: Diagnostic[] }
  | { type: "failure"; errors: Diagnostic[] };
export type CheckAnswer = { type: "success"; verdict: Verdict } | { type: "failure"; error: ProfileError };
export type ExplainAnswer = { type: "success"; verdict: Verdict; text: string } | { type: "failure"; error: ProfileError };
"#;

/// A compiled pack, ready to check profiles.
#[wasm_bindgen]
pub struct Engine {
    pack: Pack,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum CompileAnswer<'a> {
    Success { pack: PackInfo<'a>, warnings: &'a [Diagnostic] },
    Failure { errors: Vec<Diagnostic> },
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
    label: std::collections::BTreeMap<&'static str, &'a str>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct CheckOptions {
    #[serde(default)]
    locale: Option<String>,
    #[serde(default)]
    trace: bool,
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    let ser = serde_wasm_bindgen::Serializer::json_compatible();
    value.serialize(&ser).unwrap_or_else(|e| JsValue::from_str(&format!("drawcheck: could not build the answer: {e}")))
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
            label: Locale::ALL
                .iter()
                .zip(f.labels.iter())
                .filter_map(|(l, t)| t.as_deref().map(|t| (l.tag(), t)))
                .collect(),
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

/// Compiles a rule pack. On success the answer carries an `engine` that checks profiles with it.
#[wasm_bindgen(js_name = compilePack, unchecked_return_type = "CompileAnswer")]
pub fn compile_pack(text: &str) -> JsValue {
    match crate::compile_pack(text) {
        Ok(pack) => {
            let answer = to_js(&CompileAnswer::Success { pack: info(&pack), warnings: &pack.warnings });
            // The engine is a JS class instance, so it joins the answer after serde built the rest.
            let _ = js_sys::Reflect::set(&answer, &JsValue::from_str("engine"), &JsValue::from(Engine { pack }));
            answer
        }
        Err(errors) => to_js(&CompileAnswer::Failure { errors }),
    }
}

/// The embedded default pack's text (POLICY.md v1).
#[wasm_bindgen(js_name = defaultPackText)]
pub fn default_pack_text() -> String {
    crate::DEFAULT_PACK.to_string()
}

thread_local! {
    static DEFAULT_ENGINE: OnceCell<Option<Engine>> = const { OnceCell::new() };
}

/// Checks a profile against the embedded default pack.
#[wasm_bindgen(
    unchecked_return_type = "CheckAnswer",
    js_name = check
)]
pub fn check_default(
    #[wasm_bindgen(unchecked_param_type = "Profile | string")] profile: JsValue,
    #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
) -> JsValue {
    DEFAULT_ENGINE.with(|cell| {
        let engine = cell.get_or_init(|| crate::compile_pack(crate::DEFAULT_PACK).ok().map(|pack| Engine { pack }));
        match engine {
            Some(engine) => engine.check(profile, options),
            None => to_js(&CheckAnswer::Failure {
                error: ProfileError { message: "the embedded default pack does not compile".into(), line: 0, column: 0 },
            }),
        }
    })
}

#[wasm_bindgen]
impl Engine {
    /// Checks a profile (an object, or JSON text for line and column in errors).
    #[wasm_bindgen(unchecked_return_type = "CheckAnswer")]
    pub fn check(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Profile | string")] profile: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> JsValue {
        to_js(&self.answer(profile, options, false))
    }

    /// Like `check`, with each rule's trace and the whole as readable text.
    #[wasm_bindgen(unchecked_return_type = "ExplainAnswer")]
    pub fn explain(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Profile | string")] profile: JsValue,
        #[wasm_bindgen(unchecked_param_type = "CheckOptions | undefined")] options: JsValue,
    ) -> JsValue {
        to_js(&self.answer(profile, options, true))
    }

    /// The pack's id, version, hash, rules and facts.
    #[wasm_bindgen(unchecked_return_type = "PackInfo")]
    pub fn info(&self) -> JsValue {
        to_js(&info(&self.pack))
    }
}

impl Engine {
    pub(crate) fn from_pack(pack: Pack) -> Engine {
        Engine { pack }
    }

    pub(crate) fn pack(&self) -> &Pack {
        &self.pack
    }

    fn answer(&self, profile: JsValue, options: JsValue, explain: bool) -> CheckAnswer {
        match self.verdict(profile, options, explain) {
            Ok(verdict) => {
                let text = explain.then(|| explain::text(&self.pack, &verdict));
                CheckAnswer::Success { verdict: Box::new(verdict), text }
            }
            Err(error) => CheckAnswer::Failure { error },
        }
    }

    /// Reads the profile and options, then evaluates.
    pub(crate) fn verdict(&self, profile: JsValue, options: JsValue, trace: bool) -> Result<Verdict, ProfileError> {
        let no_position = |message: String| ProfileError { message, line: 0, column: 0 };
        let opts: CheckOptions = if options.is_undefined() || options.is_null() {
            CheckOptions::default()
        } else {
            serde_wasm_bindgen::from_value(options).map_err(|e| no_position(format!("options: {e}")))?
        };
        let locale = match opts.locale.as_deref() {
            None => None,
            Some(tag) => Some(
                Locale::parse(tag)
                    .ok_or_else(|| no_position(format!("options.locale {tag:?}: drawcheck speaks \"zh-CN\" and \"en\"")))?,
            ),
        };
        let profile = match profile.as_string() {
            Some(text) => profile::from_json(&self.pack.schema, &text)?,
            None => ProfileSeed(&self.pack.schema)
                .deserialize(serde_wasm_bindgen::Deserializer::from(profile))
                .map_err(|e| no_position(e.to_string()))?,
        };
        Ok(verdict::evaluate(&self.pack, &profile, Options { locale, trace: trace || opts.trace }))
    }
}
