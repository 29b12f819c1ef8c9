//! The rules core against POLICY.md, rule by rule, at and around each threshold, with the default
//! pack. Every test starts from a healthy borrower and changes one or two facts ("healthy, except
//! X"), then checks what the borrower would see: the status, the amounts, which reasons fire in
//! which order, their effect and scope, `until`, the steps, and the figures in the texts.
//!
//! Expected figures are worked out by hand from POLICY.md in the comments next to them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use drawcheck::{Locale, Options, Pack};
use serde_json::{json, Value};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| drawcheck::compile_pack(drawcheck::DEFAULT_PACK).expect("the default pack compiles"))
}

/// A borrower nothing restricts: line ¥20,000.00 of which ¥3,500.00 used, so ¥16,500.00 available.
/// No drawdown request (so rule 24 cannot fire unless a test adds one).
fn healthy() -> Value {
    json!({
        "as_of": "2026-11-29T10:00:00+08:00",
        "account": { "status": "active", "credit_limit": "20000.00", "used": "3500.00",
                     "kyc_verified": true, "id_expiry": "2030-05-01", "age": 34,
                     "region": "CN-GD", "app_version": "8.2.1", "segment": "A" },
        "credit": { "overdue_days": 0, "overdue_amount": "0.00", "overdue_episodes_12m": 0,
                    "last_overdue_cleared_at": null, "court_enforcement_listed": false,
                    "bureau_blacklisted": false, "multi_lender_count_3m": 1 },
        "behavior": { "login_failures_24h": 0, "last_login_failure_at": null,
                      "new_device_unverified": false, "requests_last_hour": 3 },
        "capacity": { "monthly_income": "12000.00", "income_verified": true,
                      "monthly_debt_payments": "2500.00" }
    })
}

/// Sets a dotted path (`"account.used"`, `"as_of"`), creating the group if needed.
fn set(p: &mut Value, path: &str, v: Value) {
    match path.split_once('.') {
        None => {
            p[path] = v;
        }
        Some((group, field)) => {
            if !p[group].is_object() {
                p[group] = json!({});
            }
            p[group][field] = v;
        }
    }
}

/// Removes a dotted path from the profile (the fact becomes absent).
fn unset(p: &mut Value, path: &str) {
    match path.split_once('.') {
        None => {
            p.as_object_mut().unwrap().remove(path);
        }
        Some((group, field)) => {
            p[group].as_object_mut().unwrap().remove(field);
        }
    }
}

/// Healthy, except the given facts.
fn healthy_except(edits: &[(&str, Value)]) -> Value {
    let mut p = healthy();
    for (path, v) in edits {
        set(&mut p, path, v.clone());
    }
    p
}

/// The verdict exactly as the contract's JSON shows it.
struct Verdict(Value);

fn check(p: &Value) -> Verdict {
    check_with(p, None)
}

fn check_with(p: &Value, locale: Option<Locale>) -> Verdict {
    let text = serde_json::to_string(p).unwrap();
    let profile = drawcheck::read_profile(pack(), &text).unwrap_or_else(|e| panic!("profile rejected: {e}\n{text}"));
    let v = drawcheck::check(pack(), &profile, Options { locale, ..Options::default() });
    Verdict(serde_json::to_value(&v).unwrap())
}

impl Verdict {
    fn status(&self) -> &str {
        self.0["status"].as_str().unwrap()
    }
    fn available(&self) -> &str {
        self.0["available"].as_str().unwrap()
    }
    fn effective_limit(&self) -> &str {
        self.0["effective_limit"].as_str().unwrap()
    }
    fn rules(&self) -> Vec<&str> {
        self.0["reasons"].as_array().unwrap().iter().map(|r| r["rule"].as_str().unwrap()).collect()
    }
    fn fired(&self, id: &str) -> bool {
        self.rules().contains(&id)
    }
    fn reason(&self, id: &str) -> &Value {
        self.0["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["rule"] == id)
            .unwrap_or_else(|| panic!("rule {id} did not fire; reasons: {:?}", self.rules()))
    }
    fn missing(&self) -> Vec<&str> {
        self.0["missing"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect()
    }
    fn actions(&self, id: &str) -> Vec<&str> {
        self.reason(id)["steps"].as_array().unwrap().iter().map(|s| s["action"].as_str().unwrap()).collect()
    }
    /// Title, detail and every step text of a reason, joined.
    fn words(&self, id: &str) -> String {
        let r = self.reason(id);
        let mut out = format!("{}\n{}", r["title"].as_str().unwrap(), r["detail"].as_str().unwrap());
        for s in r["steps"].as_array().unwrap() {
            out.push('\n');
            out.push_str(s["text"].as_str().unwrap());
        }
        out
    }
}

fn zh(p: &Value) -> Verdict {
    check_with(p, Some(Locale::ZhCn))
}

fn en(p: &Value) -> Verdict {
    check_with(p, Some(Locale::En))
}

// ---------------------------------------------------------------------------------------------
// The baseline
// ---------------------------------------------------------------------------------------------

#[test]
fn a_healthy_borrower_is_eligible_for_the_whole_unused_line() {
    let v = check(&healthy());
    assert_eq!(v.status(), "eligible");
    // 20000.00 − 3500.00
    assert_eq!(v.available(), "16500.00");
    assert_eq!(v.effective_limit(), "20000.00");
    assert!(v.rules().is_empty(), "{:?}", v.rules());
    assert!(v.missing().is_empty(), "{:?}", v.missing());
}

/// (rule id, edits, effect, scope, status, step actions)
type OneRuleCase =
    (&'static str, Vec<(&'static str, Value)>, &'static str, &'static str, &'static str, Vec<&'static str>);

/// One profile per rule that makes exactly that rule fire from a healthy borrower, with POLICY's
/// effect, scope, the status that effect gives, and the remediation steps (by action) in POLICY's
/// order. Rule 24 needs a request; rule 5 always comes with rule 6.
fn one_rule_cases() -> Vec<OneRuleCase> {
    vec![
        (
            "account_frozen",
            vec![("account.status", json!("frozen"))],
            "freeze",
            "individual",
            "frozen",
            vec!["contact_support"],
        ),
        (
            "account_closed",
            vec![("account.status", json!("closed"))],
            "block",
            "individual",
            "blocked",
            vec!["contact_support"],
        ),
        (
            "court_enforcement",
            vec![("credit.court_enforcement_listed", json!(true))],
            "freeze",
            "individual",
            "frozen",
            vec!["repay", "contact_support"],
        ),
        (
            "bureau_blacklist",
            vec![("credit.bureau_blacklisted", json!(true))],
            "freeze",
            "individual",
            "frozen",
            vec!["credit_report", "credit_report"],
        ),
        (
            "overdue_now",
            vec![("credit.overdue_days", json!(3)), ("credit.overdue_amount", json!("800.00"))],
            "block",
            "individual",
            "blocked",
            vec!["repay"],
        ),
        (
            "multi_lender",
            vec![("credit.multi_lender_count_3m", json!(6))],
            "block",
            "individual",
            "blocked",
            vec!["wait"],
        ),
        (
            "login_lock",
            vec![
                ("behavior.login_failures_24h", json!(5)),
                ("behavior.last_login_failure_at", json!("2026-11-29T09:00:00+08:00")),
            ],
            "pause",
            "individual",
            "paused",
            vec!["verify_identity", "wait"],
        ),
        (
            "request_burst",
            vec![("behavior.requests_last_hour", json!(61))],
            "pause",
            "individual",
            "paused",
            vec!["wait"],
        ),
        (
            "unverified_device",
            vec![("behavior.new_device_unverified", json!(true))],
            "block",
            "individual",
            "blocked",
            vec!["verify_device"],
        ),
        (
            "kyc_incomplete",
            vec![("account.kyc_verified", json!(false))],
            "block",
            "individual",
            "blocked",
            vec!["verify_identity"],
        ),
        (
            "id_expired",
            vec![("account.id_expiry", json!("2026-11-28"))],
            "block",
            "individual",
            "blocked",
            vec!["upload_document"],
        ),
        (
            "age_ineligible",
            vec![("account.age", json!(17))],
            "block",
            "individual",
            "blocked",
            vec!["none", "contact_support"],
        ),
        (
            "region_paused",
            vec![("account.region", json!("CN-HI"))],
            "block",
            "segment",
            "blocked",
            vec!["none", "contact_support"],
        ),
        (
            "app_outdated",
            vec![("account.app_version", json!("7.9.9"))],
            "block",
            "segment",
            "blocked",
            vec!["update_app"],
        ),
        (
            "maintenance",
            vec![("as_of", json!("2026-12-06T02:30:00+08:00"))],
            "pause",
            "segment",
            "paused",
            vec!["wait"],
        ),
        (
            "regulatory_cap",
            vec![("account.credit_limit", json!("250000.00"))],
            "limit",
            "segment",
            "limited",
            vec!["none"],
        ),
        (
            "repeated_overdue",
            vec![("credit.overdue_episodes_12m", json!(3))],
            "limit",
            "individual",
            "limited",
            vec!["wait"],
        ),
        (
            "high_dti",
            vec![("capacity.monthly_debt_payments", json!("6500.00"))],
            "limit",
            "individual",
            "limited",
            vec!["reduce_debt", "upload_document"],
        ),
        (
            "segment_reduction",
            vec![("account.segment", json!("C"))],
            "limit",
            "segment",
            "limited",
            vec!["none", "contact_support"],
        ),
        (
            "recent_overdue",
            vec![("credit.last_overdue_cleared_at", json!("2026-11-20"))],
            "cap",
            "individual",
            "limited",
            vec!["wait"],
        ),
        (
            "income_unverified",
            vec![("capacity.income_verified", json!(false))],
            "cap",
            "individual",
            "limited",
            vec!["upload_document"],
        ),
        ("limit_used_up", vec![("account.used", json!("20000.00"))], "cap", "individual", "limited", vec!["repay"]),
    ]
}

#[test]
fn each_rule_alone_has_its_policy_effect_scope_status_and_steps() {
    for (id, edits, effect, scope, status, actions) in one_rule_cases() {
        let v = check(&healthy_except(&edits));
        assert_eq!(v.rules(), vec![id], "{id}: exactly this rule fires");
        let r = v.reason(id);
        assert_eq!(r["effect"], effect, "{id}: effect");
        assert_eq!(r["scope"], scope, "{id}: scope");
        assert_eq!(v.status(), status, "{id}: status");
        assert_eq!(v.actions(id), actions, "{id}: steps");
        assert!(v.missing().is_empty(), "{id}: nothing missing");
        assert!(!r["title"].as_str().unwrap().is_empty(), "{id}: has a title");
        assert!(!r["detail"].as_str().unwrap().is_empty(), "{id}: has a detail");
        if ["frozen", "blocked", "paused"].contains(&status) {
            assert_eq!(v.available(), "0.00", "{id}: nothing can be drawn when {status}");
        }
    }
}

/// `1234.50` → `¥1,234.50`, written out independently of the engine.
fn yuan(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap();
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("¥{grouped}.{frac}")
}

/// CONTRACT.md: steps carry the figures they name as fields as well as in their text.
#[test]
fn every_step_carries_the_figures_its_text_names() {
    let mut profiles: Vec<Value> = one_rule_cases().into_iter().map(|c| healthy_except(&c.1)).collect();
    profiles.push(healthy_except(&[("credit.overdue_days", json!(90)), ("credit.overdue_amount", json!("2345.60"))]));
    profiles.push(healthy_except(&[("request.amount", json!("17000.00"))]));
    let mut seen = 0;
    for p in &profiles {
        for v in [zh(p), en(p)] {
            for r in v.0["reasons"].as_array().unwrap() {
                for s in r["steps"].as_array().unwrap() {
                    seen += 1;
                    let text = s["text"].as_str().unwrap();
                    let mut figures: Vec<String> = Vec::new();
                    for key in ["amount", "to"] {
                        if let Some(a) = s[key].as_str() {
                            assert!(text.contains(&yuan(a)), "{}: step {key} {a} is not in {text:?}", r["rule"]);
                            figures.push(yuan(a));
                        }
                    }
                    // Every ¥ figure in the text is one of the step's own.
                    for (i, _) in text.match_indices('¥') {
                        let shown: String = text[i..]
                            .chars()
                            .take_while(|c| *c == '¥' || c.is_ascii_digit() || *c == ',' || *c == '.')
                            .collect();
                        let shown = shown.trim_end_matches(['.', ',']).to_string();
                        assert!(
                            figures.contains(&shown),
                            "{}: {shown} in {text:?} is not a field of the step",
                            r["rule"]
                        );
                    }
                    if text.contains("400-000-0000") {
                        assert_eq!(s["phone"], "400-000-0000", "{}: {text:?}", r["rule"]);
                    }
                    if text.contains("2026") {
                        assert!(s["until"].is_string(), "{}: a date in {text:?} but no until", r["rule"]);
                    }
                }
            }
        }
    }
    assert!(seen > 50);
}

// ---------------------------------------------------------------------------------------------
// Rules 1–4: account status and lists
// ---------------------------------------------------------------------------------------------

#[test]
fn r01_frozen_account_sends_the_borrower_to_support() {
    let v = en(&healthy_except(&[("account.status", json!("frozen"))]));
    assert_eq!(v.status(), "frozen");
    assert_eq!(v.available(), "0.00");
    assert_eq!(v.actions("account_frozen"), vec!["contact_support"]);
    let step = &v.reason("account_frozen")["steps"][0];
    assert_eq!(step["phone"], "400-000-0000");
    assert!(step["text"].as_str().unwrap().contains("400-000-0000"));
    assert_eq!(v.reason("account_frozen")["until"], Value::Null, "a freeze does not end by itself");
}

#[test]
fn r02_closed_account_blocks_and_active_does_not() {
    let v = check(&healthy_except(&[("account.status", json!("closed"))]));
    assert_eq!((v.status(), v.available()), ("blocked", "0.00"));
    assert_eq!(v.rules(), vec!["account_closed"]);
    let v = check(&healthy_except(&[("account.status", json!("active"))]));
    assert_eq!(v.status(), "eligible");
}

#[test]
fn r03_court_enforcement_freezes_only_when_listed() {
    let v = check(&healthy_except(&[("credit.court_enforcement_listed", json!(true))]));
    assert_eq!(v.status(), "frozen");
    assert_eq!(v.actions("court_enforcement"), vec!["repay", "contact_support"]);
    let v = check(&healthy_except(&[("credit.court_enforcement_listed", json!(false))]));
    assert_eq!(v.status(), "eligible");
}

#[test]
fn r04_bureau_blacklist_points_to_the_free_report_and_objection() {
    let p = healthy_except(&[("credit.bureau_blacklisted", json!(true))]);
    let v = en(&p);
    assert_eq!(v.status(), "frozen");
    assert_eq!(v.actions("bureau_blacklist"), vec!["credit_report", "credit_report"]);
    let words = v.words("bureau_blacklist");
    assert!(words.contains("2 free reports a year"), "{words}");
    assert!(words.contains("within 20 days"), "{words}");
    let words = zh(&p).words("bureau_blacklist");
    assert!(words.contains("免费查询2次") && words.contains("20天"), "{words}");
}

// ---------------------------------------------------------------------------------------------
// Rules 5–6: overdue
// ---------------------------------------------------------------------------------------------

fn overdue(days: i64) -> Value {
    healthy_except(&[("credit.overdue_days", json!(days)), ("credit.overdue_amount", json!("1234.50"))])
}

#[test]
fn r05_r06_overdue_days_0_1_89_90() {
    let v = check(&overdue(0));
    assert_eq!((v.status(), v.rules()), ("eligible", vec![]));

    let v = check(&overdue(1));
    assert_eq!((v.status(), v.rules()), ("blocked", vec!["overdue_now"]));
    assert_eq!(v.available(), "0.00");

    let v = check(&overdue(89));
    assert_eq!((v.status(), v.rules()), ("blocked", vec!["overdue_now"]));

    // 90 days: both fire, the freeze listed first.
    let v = check(&overdue(90));
    assert_eq!((v.status(), v.rules()), ("frozen", vec!["overdue_severe", "overdue_now"]));
    assert_eq!(v.available(), "0.00");
}

#[test]
fn r05_r06_overdue_texts_carry_the_amount_and_days_in_both_languages() {
    let p = overdue(12);
    let v = zh(&p);
    let detail = v.reason("overdue_now")["detail"].as_str().unwrap();
    assert!(detail.contains("¥1,234.50") && detail.contains("12天"), "{detail}");
    let step = &v.reason("overdue_now")["steps"][0];
    assert_eq!(step["action"], "repay");
    assert_eq!(step["amount"], "1234.50");
    assert!(step["text"].as_str().unwrap().contains("¥1,234.50"));

    let v = en(&p);
    let detail = v.reason("overdue_now")["detail"].as_str().unwrap();
    assert!(detail.contains("¥1,234.50") && detail.contains("12"), "{detail}");
    assert!(v.reason("overdue_now")["steps"][0]["text"].as_str().unwrap().contains("¥1,234.50"));

    let v = en(&overdue(120));
    assert_eq!(v.actions("overdue_severe"), vec!["repay", "contact_support"]);
    assert_eq!(v.reason("overdue_severe")["steps"][0]["amount"], "1234.50");
    let detail = v.reason("overdue_severe")["detail"].as_str().unwrap();
    assert!(detail.contains("¥1,234.50") && detail.contains("120 days"), "{detail}");
}

// ---------------------------------------------------------------------------------------------
// Rule 7: multi_lender
// ---------------------------------------------------------------------------------------------

#[test]
fn r07_multi_lender_5_passes_6_blocks() {
    let v = check(&healthy_except(&[("credit.multi_lender_count_3m", json!(5))]));
    assert_eq!(v.status(), "eligible");
    let v = en(&healthy_except(&[("credit.multi_lender_count_3m", json!(6))]));
    assert_eq!((v.status(), v.rules()), ("blocked", vec!["multi_lender"]));
    assert_eq!(v.reason("multi_lender")["until"], Value::Null);
    // No immediate action: the only step is to let applications age out.
    assert_eq!(v.actions("multi_lender"), vec!["wait"]);
    assert!(v.words("multi_lender").contains("3 months"));
    assert!(v.reason("multi_lender")["detail"].as_str().unwrap().contains('6'));
}

// ---------------------------------------------------------------------------------------------
// Rules 8–9: behaviour pauses
// ---------------------------------------------------------------------------------------------

#[test]
fn r08_login_lock_at_5_failures_until_last_failure_plus_24h() {
    let at = ("behavior.last_login_failure_at", json!("2026-11-29T09:12:30+08:00"));
    let v = check(&healthy_except(&[("behavior.login_failures_24h", json!(4)), at.clone()]));
    assert_eq!(v.status(), "eligible");

    let p = healthy_except(&[("behavior.login_failures_24h", json!(5)), at]);
    let v = zh(&p);
    assert_eq!((v.status(), v.available()), ("paused", "0.00"));
    let r = v.reason("login_lock");
    assert_eq!(r["until"], "2026-11-30T09:12:30+08:00");
    // A face check lifts it now, or wait until `until`.
    assert_eq!(v.actions("login_lock"), vec!["verify_identity", "wait"]);
    assert_eq!(r["steps"][1]["until"], "2026-11-30T09:12:30+08:00");
    // Texts round the end up to the minute, so "until 09:13" never sends the borrower back early.
    assert!(r["detail"].as_str().unwrap().contains("2026年11月30日 09:13"));
    assert!(en(&p).reason("login_lock")["detail"].as_str().unwrap().contains("Nov 30, 2026, 09:13"));
}

#[test]
fn r08_login_lock_until_is_shown_in_the_borrowers_zone() {
    // The last failure was recorded in UTC: 01:12:30Z is 09:12:30 at +08:00, the zone of as_of.
    let v = check(&healthy_except(&[
        ("behavior.login_failures_24h", json!(9)),
        ("behavior.last_login_failure_at", json!("2026-11-29T01:12:30Z")),
    ]));
    assert_eq!(v.reason("login_lock")["until"], "2026-11-30T09:12:30+08:00");
}

#[test]
fn r09_request_burst_60_passes_61_pauses_for_an_hour() {
    let v = check(&healthy_except(&[("behavior.requests_last_hour", json!(60))]));
    assert_eq!(v.status(), "eligible");
    let p = healthy_except(&[("behavior.requests_last_hour", json!(61))]);
    let v = zh(&p);
    assert_eq!((v.status(), v.available()), ("paused", "0.00"));
    // as_of 10:00 + 1h
    assert_eq!(v.reason("request_burst")["until"], "2026-11-29T11:00:00+08:00");
    assert_eq!(v.actions("request_burst"), vec!["wait"]);
    assert_eq!(v.reason("request_burst")["steps"][0]["until"], "2026-11-29T11:00:00+08:00");
    assert!(v.reason("request_burst")["detail"].as_str().unwrap().contains("2026年11月29日 11:00"));
    assert!(en(&p).reason("request_burst")["detail"].as_str().unwrap().contains("Nov 29, 2026, 11:00"));
}

// ---------------------------------------------------------------------------------------------
// Rules 10–13: device, identity, age
// ---------------------------------------------------------------------------------------------

#[test]
fn r10_unverified_device_blocks_until_verified() {
    let v = check(&healthy_except(&[("behavior.new_device_unverified", json!(true))]));
    assert_eq!(v.status(), "blocked");
    assert_eq!(v.actions("unverified_device"), vec!["verify_device"]);
    let v = check(&healthy_except(&[("behavior.new_device_unverified", json!(false))]));
    assert_eq!(v.status(), "eligible");
}

#[test]
fn r11_kyc_incomplete_blocks_until_verified() {
    let v = check(&healthy_except(&[("account.kyc_verified", json!(false))]));
    assert_eq!(v.status(), "blocked");
    assert_eq!(v.actions("kyc_incomplete"), vec!["verify_identity"]);
}

#[test]
fn r12_id_expired_yesterday_blocks_today_does_not() {
    let v = check(&healthy_except(&[("account.id_expiry", json!("2026-11-28"))]));
    assert_eq!((v.status(), v.rules()), ("blocked", vec!["id_expired"]));
    assert_eq!(v.actions("id_expired"), vec!["upload_document"]);
    assert!(zh(&healthy_except(&[("account.id_expiry", json!("2026-11-28"))])).reason("id_expired")["detail"]
        .as_str()
        .unwrap()
        .contains("2026年11月28日"));
    let v = check(&healthy_except(&[("account.id_expiry", json!("2026-11-29"))]));
    assert_eq!(v.status(), "eligible", "an ID valid through today is not expired");
}

#[test]
fn r12_today_is_the_date_in_the_borrowers_zone() {
    // 2026-11-28T20:00-05:00 is already Nov 29 in Beijing, but the borrower's zone (the offset of
    // as_of) says it is still Nov 28: an ID valid through Nov 28 has not expired for them.
    let v = check(&healthy_except(&[
        ("as_of", json!("2026-11-28T20:00:00-05:00")),
        ("account.id_expiry", json!("2026-11-28")),
    ]));
    assert_eq!(v.status(), "eligible");
    let v = check(&healthy_except(&[
        ("as_of", json!("2026-11-29T00:00:00+08:00")),
        ("account.id_expiry", json!("2026-11-28")),
    ]));
    assert_eq!(v.status(), "blocked", "at midnight the day after expiry it has expired");
}

#[test]
fn r13_age_17_18_55_56() {
    for (age, blocked) in [(17, true), (18, false), (55, false), (56, true)] {
        let v = check(&healthy_except(&[("account.age", json!(age))]));
        assert_eq!(v.fired("age_ineligible"), blocked, "age {age}");
        assert_eq!(v.status(), if blocked { "blocked" } else { "eligible" }, "age {age}");
    }
    // Nothing the borrower does changes it; the text says so and names the range.
    let v = en(&healthy_except(&[("account.age", json!(56))]));
    assert_eq!(v.actions("age_ineligible")[0], "none");
    let detail = v.reason("age_ineligible")["detail"].as_str().unwrap();
    assert!(detail.contains("18") && detail.contains("55") && detail.contains("56"), "{detail}");
}

// ---------------------------------------------------------------------------------------------
// Rules 14–16: segment-wide blocks and pauses
// ---------------------------------------------------------------------------------------------

#[test]
fn r14_region_cn_hi_is_paused_for_everyone_there() {
    let p = healthy_except(&[("account.region", json!("CN-HI"))]);
    let v = en(&p);
    assert_eq!((v.status(), v.rules()), ("blocked", vec!["region_paused"]));
    assert_eq!(v.reason("region_paused")["scope"], "segment");
    assert_eq!(v.actions("region_paused")[0], "none");
    let detail = v.reason("region_paused")["detail"].as_str().unwrap();
    assert!(detail.contains("CN-HI"), "{detail}");
    assert!(detail.contains("existing loans are not affected"), "{detail}");
    assert_eq!(check(&healthy_except(&[("account.region", json!("CN-GD"))])).status(), "eligible");
}

#[test]
fn r15_app_versions_compare_as_versions() {
    for (version, outdated) in [("10.0.0", false), ("8.0.0", false), ("8.0", false), ("7.9.9", true), ("7.10.0", true)]
    {
        let v = check(&healthy_except(&[("account.app_version", json!(version))]));
        assert_eq!(v.fired("app_outdated"), outdated, "app {version}");
    }
    let v = en(&healthy_except(&[("account.app_version", json!("7.9.9"))]));
    assert_eq!(v.actions("app_outdated"), vec!["update_app"]);
    let detail = v.reason("app_outdated")["detail"].as_str().unwrap();
    assert!(detail.contains("7.9.9") && detail.contains("8.0.0"), "{detail}");
}

#[test]
fn r16_maintenance_window_is_half_open() {
    for (as_of, paused) in [
        ("2026-12-06T00:59:59+08:00", false),
        ("2026-12-06T01:00:00+08:00", true),
        ("2026-12-06T04:59:59+08:00", true),
        ("2026-12-06T05:00:00+08:00", false),
        // The same instants written in UTC.
        ("2026-12-05T17:00:00Z", true),
        ("2026-12-05T21:00:00Z", false),
    ] {
        let v = check(&healthy_except(&[("as_of", json!(as_of))]));
        assert_eq!(v.fired("maintenance"), paused, "as_of {as_of}");
        assert_eq!(v.status(), if paused { "paused" } else { "eligible" }, "as_of {as_of}");
    }
}

#[test]
fn r16_maintenance_ends_at_the_window_end() {
    let p = healthy_except(&[("as_of", json!("2026-12-06T02:30:00+08:00"))]);
    let v = zh(&p);
    assert_eq!(v.available(), "0.00");
    let r = v.reason("maintenance");
    assert_eq!(r["until"], "2026-12-06T05:00:00+08:00");
    assert_eq!(r["steps"][0]["action"], "wait");
    assert_eq!(r["steps"][0]["until"], "2026-12-06T05:00:00+08:00");
    assert!(r["detail"].as_str().unwrap().contains("2026年12月6日 05:00"));
    let v = en(&p);
    assert!(v.reason("maintenance")["detail"].as_str().unwrap().contains("Dec 6, 2026, 05:00"));
    assert!(v.reason("maintenance")["steps"][0]["text"].as_str().unwrap().contains("Dec 6, 2026, 05:00"));
}

// ---------------------------------------------------------------------------------------------
// Rules 17–20: limits (the line is reduced)
// ---------------------------------------------------------------------------------------------

#[test]
fn r17_regulatory_cap_200000_00_vs_200000_01() {
    let v = check(&healthy_except(&[("account.credit_limit", json!("200000.00"))]));
    assert_eq!(v.status(), "eligible");
    // 200000.00 − 3500.00
    assert_eq!((v.effective_limit(), v.available()), ("200000.00", "196500.00"));

    let p = healthy_except(&[("account.credit_limit", json!("200000.01"))]);
    let v = en(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["regulatory_cap"]));
    assert_eq!(v.effective_limit(), "200000.00");
    assert_eq!(v.available(), "196500.00");
    assert_eq!(v.reason("regulatory_cap")["amount"], "200000.00");
    assert_eq!(v.reason("regulatory_cap")["scope"], "segment");
    assert_eq!(v.actions("regulatory_cap"), vec!["none"]);
    let detail = v.reason("regulatory_cap")["detail"].as_str().unwrap();
    assert!(detail.contains("¥200,000.00") && detail.contains("¥200,000.01"), "{detail}");
}

#[test]
fn r18_repeated_overdue_halves_the_line_rounded_down_to_the_fen() {
    let v = check(&healthy_except(&[("credit.overdue_episodes_12m", json!(2))]));
    assert_eq!(v.status(), "eligible");

    // 0.5 × 10000.01 = 5000.005 → 5000.00 (down, never up to 5000.01).
    let p = healthy_except(&[
        ("credit.overdue_episodes_12m", json!(3)),
        ("account.credit_limit", json!("10000.01")),
        ("account.used", json!("0.00")),
    ]);
    let v = zh(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["repeated_overdue"]));
    assert_eq!(v.effective_limit(), "5000.00");
    assert_eq!(v.available(), "5000.00");
    assert_eq!(v.reason("repeated_overdue")["amount"], "5000.00");
    assert!(v.reason("repeated_overdue")["detail"].as_str().unwrap().contains("¥5,000.00"));
    assert_eq!(v.actions("repeated_overdue"), vec!["wait"]);

    // With ¥1,234.56 used: 5000.005 − 1234.56 = 3765.445 → 3765.44.
    let v = check(&healthy_except(&[
        ("credit.overdue_episodes_12m", json!(3)),
        ("account.credit_limit", json!("10000.01")),
        ("account.used", json!("1234.56")),
    ]));
    assert_eq!(v.available(), "3765.44");
}

#[test]
fn r19_high_dti_exactly_half_does_not_fire_a_fen_more_does() {
    // income 12000.00: half is 6000.00.
    let v = check(&healthy_except(&[("capacity.monthly_debt_payments", json!("6000.00"))]));
    assert_eq!(v.status(), "eligible");
    let v = check(&healthy_except(&[("capacity.monthly_debt_payments", json!("6000.01"))]));
    assert_eq!((v.status(), v.rules()), ("limited", vec!["high_dti"]));
    // 0.5 × 20000.00 = 10000.00; minus 3500.00 used.
    assert_eq!((v.effective_limit(), v.available()), ("10000.00", "6500.00"));
    // Reduce by 6000.01 − 6000.00 = 0.01 to 6000.00, or verify income of 6000.01 / 0.5 = 12000.02.
    let r = v.reason("high_dti");
    assert_eq!(v.actions("high_dti"), vec!["reduce_debt", "upload_document"]);
    assert_eq!(r["steps"][0]["amount"], "0.01");
    assert_eq!(r["steps"][0]["to"], "6000.00");
    assert_eq!(r["steps"][1]["to"], "12000.02");
}

#[test]
fn r19_high_dti_says_by_how_much_and_to_how_much() {
    // income 9000.00, debt 5000.00: half of income is 4500.00, so lower debt by 500.00 to 4500.00,
    // or verify an income of at least 5000.00 / 0.5 = 10000.00.
    let p = healthy_except(&[
        ("capacity.monthly_income", json!("9000.00")),
        ("capacity.monthly_debt_payments", json!("5000.00")),
    ]);
    for v in [zh(&p), en(&p)] {
        let r = v.reason("high_dti");
        assert_eq!(r["steps"][0]["amount"], "500.00");
        assert_eq!(r["steps"][0]["to"], "4500.00");
        assert_eq!(r["steps"][1]["to"], "10000.00");
        let s0 = r["steps"][0]["text"].as_str().unwrap();
        assert!(s0.contains("¥500.00") && s0.contains("¥4,500.00"), "{s0}");
        assert!(r["steps"][1]["text"].as_str().unwrap().contains("¥10,000.00"));
        let detail = r["detail"].as_str().unwrap();
        assert!(detail.contains("¥5,000.00") && detail.contains("¥9,000.00"), "{detail}");
    }
}

#[test]
fn r19_high_dti_targets_are_enough_when_half_the_income_has_a_third_decimal() {
    // income 7777.77: half is 3888.885. Debt 3888.88 is within it; 3888.89 is not.
    let base = [("capacity.monthly_income", json!("7777.77"))];
    let at = |debt: &str| {
        let mut p = healthy_except(&base);
        set(&mut p, "capacity.monthly_debt_payments", json!(debt));
        check(&p)
    };
    assert!(!at("3888.88").fired("high_dti"));
    let v = at("4000.00");
    assert!(v.fired("high_dti"));
    // Reaching the target in whole fen must be enough: debt 3888.88 (floor of 3888.885), so reduce
    // by 4000.00 − 3888.88 = 111.12; income 4000.00 / 0.5 = 8000.00.
    assert_eq!(v.reason("high_dti")["steps"][0]["amount"], "111.12");
    assert_eq!(v.reason("high_dti")["steps"][0]["to"], "3888.88");
    assert_eq!(v.reason("high_dti")["steps"][1]["to"], "8000.00");
    // And the targets really lift it.
    assert!(!at("3888.88").fired("high_dti"));
    let mut p = healthy_except(&[("capacity.monthly_income", json!("8000.00"))]);
    set(&mut p, "capacity.monthly_debt_payments", json!("4000.00"));
    assert!(!check(&p).fired("high_dti"));
}

#[test]
fn r19_high_dti_with_no_income() {
    let v = check(&healthy_except(&[
        ("capacity.monthly_income", json!("0.00")),
        ("capacity.monthly_debt_payments", json!("0.01")),
    ]));
    assert!(v.fired("high_dti"), "income 0 and debt > 0 fires");
    let v = check(&healthy_except(&[
        ("capacity.monthly_income", json!("0")),
        ("capacity.monthly_debt_payments", json!("0")),
    ]));
    assert!(!v.fired("high_dti"), "income 0 and debt 0 does not");
    assert_eq!(v.status(), "eligible");
}

#[test]
fn r20_segment_c_takes_70_percent_rounded_down() {
    // 0.7 × 333.33 = 233.331 → 233.33.
    let p = healthy_except(&[
        ("account.segment", json!("C")),
        ("account.credit_limit", json!("333.33")),
        ("account.used", json!("0.00")),
    ]);
    let v = en(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["segment_reduction"]));
    assert_eq!((v.effective_limit(), v.available()), ("233.33", "233.33"));
    assert_eq!(v.reason("segment_reduction")["amount"], "233.33");
    let detail = v.reason("segment_reduction")["detail"].as_str().unwrap();
    assert!(detail.contains("70%") && detail.contains("¥333.33") && detail.contains("¥233.33"), "{detail}");
    assert!(detail.contains("Nov 15, 2026"), "{detail}");
    assert_eq!(v.actions("segment_reduction")[0], "none");

    // Segment A is not in params.segment_factors.
    assert_eq!(check(&healthy_except(&[("account.segment", json!("A"))])).status(), "eligible");
}

#[test]
fn r20_segment_reduction_starts_at_segment_effective() {
    for (as_of, fires) in [
        ("2026-11-14T23:59:59+08:00", false),
        ("2026-11-15T00:00:00+08:00", true),
        // The same instant in UTC.
        ("2026-11-14T16:00:00Z", true),
        ("2026-11-14T15:59:59Z", false),
    ] {
        let v = check(&healthy_except(&[("account.segment", json!("C")), ("as_of", json!(as_of))]));
        assert_eq!(v.fired("segment_reduction"), fires, "as_of {as_of}");
    }
    // 0.7 × 20000.00 = 14000.00; 14000.00 − 3500.00 = 10500.00.
    let v = check(&healthy_except(&[("account.segment", json!("C"))]));
    assert_eq!((v.effective_limit(), v.available()), ("14000.00", "10500.00"));
}

// ---------------------------------------------------------------------------------------------
// Rules 21–23: caps (one drawdown is limited)
// ---------------------------------------------------------------------------------------------

#[test]
fn r21_recent_overdue_29_days_before_fires_30_does_not() {
    // as_of date 2026-11-29. 29 days before is 2026-10-31; 30 days before is 2026-10-30.
    let p = healthy_except(&[("credit.last_overdue_cleared_at", json!("2026-10-31"))]);
    let v = zh(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["recent_overdue"]));
    // min(20000.00 − 3500.00, 2000.00); the line itself is not reduced.
    assert_eq!((v.available(), v.effective_limit()), ("2000.00", "20000.00"));
    let r = v.reason("recent_overdue");
    assert_eq!(r["amount"], "2000.00");
    // until = cleared + 30 days = 2026-11-30, at 00:00 in the borrower's zone.
    assert_eq!(r["until"], "2026-11-30T00:00:00+08:00");
    assert_eq!(r["steps"][0]["action"], "wait");
    assert_eq!(r["steps"][0]["until"], "2026-11-30T00:00:00+08:00");
    let detail = r["detail"].as_str().unwrap();
    assert!(detail.contains("2026年10月31日") && detail.contains("¥2,000.00"), "{detail}");
    assert!(detail.contains("2026年11月30日"), "{detail}");
    let detail = en(&p).reason("recent_overdue")["detail"].as_str().unwrap().to_string();
    assert!(detail.contains("Oct 31, 2026") && detail.contains("Nov 30, 2026"), "{detail}");

    let v = check(&healthy_except(&[("credit.last_overdue_cleared_at", json!("2026-10-30"))]));
    assert_eq!(v.status(), "eligible");
    assert_eq!(v.available(), "16500.00");
}

#[test]
fn r21_recent_overdue_late_in_the_day_uses_the_date_of_as_of() {
    // At 23:59 on Nov 29 it is still Nov 29: cleared Oct 31 still fires.
    let v = check(&healthy_except(&[
        ("as_of", json!("2026-11-29T23:59:59+08:00")),
        ("credit.last_overdue_cleared_at", json!("2026-10-31")),
    ]));
    assert!(v.fired("recent_overdue"));
    // At 00:00 on Nov 30 (its until), it no longer does.
    let v = check(&healthy_except(&[
        ("as_of", json!("2026-11-30T00:00:00+08:00")),
        ("credit.last_overdue_cleared_at", json!("2026-10-31")),
    ]));
    assert!(!v.fired("recent_overdue"));
}

#[test]
fn r21_recent_overdue_needs_no_current_overdue_and_never_means_never() {
    // Still overdue: the block applies, not the cap.
    let v = check(&healthy_except(&[
        ("credit.last_overdue_cleared_at", json!("2026-11-20")),
        ("credit.overdue_days", json!(2)),
        ("credit.overdue_amount", json!("300.00")),
    ]));
    assert_eq!(v.rules(), vec!["overdue_now"]);
    // null = never cleared an overdue: does not fire, and nothing is missing.
    let v = check(&healthy_except(&[("credit.last_overdue_cleared_at", Value::Null)]));
    assert_eq!(v.status(), "eligible");
    assert!(v.missing().is_empty());
    // Cleared today: fires until 30 days from today.
    let v = check(&healthy_except(&[("credit.last_overdue_cleared_at", json!("2026-11-29"))]));
    assert_eq!(v.reason("recent_overdue")["until"], "2026-12-29T00:00:00+08:00");
}

#[test]
fn r22_income_unverified_caps_one_drawdown_at_3000() {
    let p = healthy_except(&[("capacity.income_verified", json!(false))]);
    let v = zh(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["income_unverified"]));
    assert_eq!((v.available(), v.effective_limit()), ("3000.00", "20000.00"));
    assert_eq!(v.reason("income_unverified")["amount"], "3000.00");
    assert_eq!(v.reason("income_unverified")["until"], Value::Null);
    assert_eq!(v.actions("income_unverified"), vec!["upload_document"]);
    assert!(v.reason("income_unverified")["detail"].as_str().unwrap().contains("¥3,000.00"));
    // The cap is a ceiling, not a floor: with only ¥1,200.00 of line left, ¥1,200.00 is available.
    let v = check(&healthy_except(&[("capacity.income_verified", json!(false)), ("account.used", json!("18800.00"))]));
    assert_eq!(v.available(), "1200.00");
}

#[test]
fn r23_limit_used_up_at_the_line_not_a_fen_before() {
    let v = check(&healthy_except(&[("account.used", json!("19999.99"))]));
    assert_eq!((v.status(), v.available()), ("eligible", "0.01"));

    let p = healthy_except(&[("account.used", json!("20000.00"))]);
    let v = en(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["limit_used_up"]));
    assert_eq!(v.available(), "0.00");
    assert_eq!(v.reason("limit_used_up")["amount"], "0.00");
    assert_eq!(v.actions("limit_used_up"), vec!["repay"]);
    let detail = v.reason("limit_used_up")["detail"].as_str().unwrap();
    assert!(detail.contains("¥20,000.00"), "{detail}");

    // Used beyond the line: available is never negative.
    let v = check(&healthy_except(&[("account.used", json!("20500.00"))]));
    assert_eq!((v.status(), v.available()), ("limited", "0.00"));
}

// ---------------------------------------------------------------------------------------------
// Rule 24: amount_over_available
// ---------------------------------------------------------------------------------------------

#[test]
fn r24_request_equal_to_available_passes_a_fen_more_is_capped() {
    let v = check(&healthy_except(&[("request.amount", json!("16500.00"))]));
    assert_eq!((v.status(), v.available()), ("eligible", "16500.00"));
    assert!(v.rules().is_empty());

    let p = healthy_except(&[("request.amount", json!("16500.01"))]);
    let v = zh(&p);
    assert_eq!((v.status(), v.rules()), ("limited", vec!["amount_over_available"]));
    // It never changes available or the line.
    assert_eq!((v.available(), v.effective_limit()), ("16500.00", "20000.00"));
    let r = v.reason("amount_over_available");
    assert_eq!(r["effect"], "cap");
    assert_eq!(r["amount"], "16500.00");
    assert_eq!(r["steps"][0]["amount"], "16500.00");
    let detail = r["detail"].as_str().unwrap();
    assert!(detail.contains("¥16,500.01") && detail.contains("¥16,500.00"), "{detail}");
}

#[test]
fn r24_is_evaluated_after_the_caps_and_does_not_lower_available() {
    // Income unverified caps at 3000.00; asking 5000.00 adds rule 24 after rule 22, available stays 3000.00.
    let v = check(&healthy_except(&[("capacity.income_verified", json!(false)), ("request.amount", json!("5000.00"))]));
    assert_eq!(v.status(), "limited");
    assert_eq!(v.rules(), vec!["income_unverified", "amount_over_available"]);
    assert_eq!(v.available(), "3000.00");
    assert_eq!(v.reason("amount_over_available")["amount"], "3000.00");
    // Asking within the cap: nothing more.
    let v = check(&healthy_except(&[("capacity.income_verified", json!(false)), ("request.amount", json!("3000.00"))]));
    assert_eq!(v.rules(), vec!["income_unverified"]);
}

#[test]
fn r24_does_not_fire_when_nothing_can_be_drawn_anyway() {
    let ask = ("request.amount", json!("5000.00"));
    for (what, edit) in [
        ("frozen", ("account.status", json!("frozen"))),
        ("blocked", ("account.kyc_verified", json!(false))),
        ("paused", ("behavior.requests_last_hour", json!(100))),
    ] {
        let v = check(&healthy_except(&[edit, ask.clone()]));
        assert_eq!(v.status(), what);
        assert!(!v.fired("amount_over_available"), "{what}: {:?}", v.rules());
    }
    // Incomplete: a missing fact leaves the status undetermined; no rule-24 reason either.
    let mut p = healthy_except(&[ask]);
    unset(&mut p, "account.age");
    let v = check(&p);
    assert_eq!(v.status(), "incomplete");
    assert!(!v.fired("amount_over_available"));
    // No request, or a null request amount: does not fire and is not "missing".
    for p in
        [healthy(), healthy_except(&[("request.amount", Value::Null)]), healthy_except(&[("request", Value::Null)])]
    {
        let v = check(&p);
        assert_eq!(v.status(), "eligible");
        assert!(v.missing().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// Status semantics
// ---------------------------------------------------------------------------------------------

#[test]
fn strongest_effect_wins() {
    let freeze = ("credit.bureau_blacklisted", json!(true));
    let block = ("account.kyc_verified", json!(false));
    let pause = ("behavior.requests_last_hour", json!(61));
    let limit = ("credit.overdue_episodes_12m", json!(4));
    let cap = ("capacity.income_verified", json!(false));
    let all = [freeze, block, pause, limit, cap];
    for (n, status) in ["frozen", "blocked", "paused", "limited", "limited"].iter().enumerate() {
        // Effects from the n-th strongest down.
        let v = check(&healthy_except(&all[n..]));
        assert_eq!(v.status(), *status, "strongest is #{n}: {:?}", v.rules());
        assert_eq!(v.rules().len(), all.len() - n);
    }
}

#[test]
fn nothing_is_available_when_frozen_blocked_or_paused() {
    // With a reducing limit and a cap also fired, available would otherwise be min(10000.00 − 3500.00, 3000.00).
    let reduce = [("credit.overdue_episodes_12m", json!(3)), ("capacity.income_verified", json!(false))];
    let v = check(&healthy_except(&reduce));
    assert_eq!((v.status(), v.available()), ("limited", "3000.00"));
    for stop in [
        ("account.status", json!("frozen")),
        ("behavior.new_device_unverified", json!(true)),
        ("behavior.requests_last_hour", json!(61)),
    ] {
        let mut edits = reduce.to_vec();
        edits.push(stop.clone());
        let v = check(&healthy_except(&edits));
        assert_eq!(v.available(), "0.00", "{stop:?} → {}", v.status());
    }
}

#[test]
fn the_smallest_limit_wins_and_caps_apply_on_top() {
    // credit_limit 300000.00: regulatory 200000.00, segment C 0.7 × 300000 = 210000.00,
    // repeated overdue 0.5 × 300000 = 150000.00 → effective 150000.00.
    let mut p = healthy_except(&[
        ("account.credit_limit", json!("300000.00")),
        ("account.used", json!("100000.00")),
        ("account.segment", json!("C")),
    ]);
    let v = check(&p);
    assert_eq!(v.rules(), vec!["regulatory_cap", "segment_reduction"]);
    assert_eq!((v.effective_limit(), v.available()), ("200000.00", "100000.00"));
    set(&mut p, "credit.overdue_episodes_12m", json!(3));
    let v = check(&p);
    assert_eq!(v.rules(), vec!["regulatory_cap", "repeated_overdue", "segment_reduction"]);
    // 150000.00 − 100000.00
    assert_eq!((v.effective_limit(), v.available()), ("150000.00", "50000.00"));
    // Two caps: the smaller (recent overdue 2000.00 < income 3000.00) applies.
    set(&mut p, "capacity.income_verified", json!(false));
    set(&mut p, "credit.last_overdue_cleared_at", json!("2026-11-20"));
    let v = check(&p);
    assert_eq!(v.available(), "2000.00");
    assert_eq!(v.effective_limit(), "150000.00");
    // A limit below what is used: nothing available, never negative.
    set(&mut p, "account.used", json!("160000.00"));
    assert_eq!(check(&p).available(), "0.00");
}

#[test]
fn reasons_are_ordered_by_effect_then_policy_order_and_only_four_are_principal() {
    let v = check(&healthy_except(&[
        ("capacity.income_verified", json!(false)),       // 22 cap
        ("account.app_version", json!("7.0.0")),          // 15 block
        ("behavior.requests_last_hour", json!(200)),      // 9 pause
        ("account.kyc_verified", json!(false)),           // 11 block
        ("credit.court_enforcement_listed", json!(true)), // 3 freeze
        ("account.credit_limit", json!("260000.00")),     // 17 limit
        ("credit.overdue_episodes_12m", json!(5)),        // 18 limit
        ("account.status", json!("closed")),              // 2 block
    ]));
    assert_eq!(
        v.rules(),
        vec![
            "court_enforcement",
            "account_closed",
            "kyc_incomplete",
            "app_outdated",
            "request_burst",
            "regulatory_cap",
            "repeated_overdue",
            "income_unverified",
        ]
    );
    let principal: Vec<bool> =
        v.0["reasons"].as_array().unwrap().iter().map(|r| r["principal"].as_bool().unwrap()).collect();
    assert_eq!(principal, vec![true, true, true, true, false, false, false, false]);
    assert_eq!(v.status(), "frozen");
}

#[test]
fn a_freeze_later_in_policy_order_still_comes_before_an_earlier_block() {
    // account_closed is rule 2 (block); overdue_severe is rule 5 (freeze).
    let v = check(&healthy_except(&[
        ("account.status", json!("closed")),
        ("credit.overdue_days", json!(95)),
        ("credit.overdue_amount", json!("5000.00")),
    ]));
    assert_eq!(v.rules(), vec!["overdue_severe", "account_closed", "overdue_now"]);
}

#[test]
fn segment_reasons_say_they_are_not_about_the_borrower() {
    let v = en(&healthy_except(&[
        ("account.region", json!("CN-HI")),
        ("account.app_version", json!("7.9.9")),
        ("as_of", json!("2026-12-06T03:00:00+08:00")),
        ("account.credit_limit", json!("210000.00")),
        ("account.segment", json!("C")),
    ]));
    let segment: Vec<&str> = v.rules();
    assert_eq!(segment, vec!["region_paused", "app_outdated", "maintenance", "regulatory_cap", "segment_reduction"]);
    for id in segment {
        assert_eq!(v.reason(id)["scope"], "segment", "{id}");
        let detail = v.reason(id)["detail"].as_str().unwrap();
        let says_so = ["not a judgment", "nothing to do with", "says nothing about"].iter().any(|s| detail.contains(s));
        assert!(says_so, "{id}: {detail}");
    }
}

// ---------------------------------------------------------------------------------------------
// Missing facts: incomplete
// ---------------------------------------------------------------------------------------------

#[test]
fn a_missing_fact_makes_the_verdict_incomplete_not_eligible() {
    let mut p = healthy();
    unset(&mut p, "account.kyc_verified");
    let v = check(&p);
    assert_eq!((v.status(), v.available()), ("incomplete", "0.00"));
    assert_eq!(v.missing(), vec!["account.kyc_verified"]);
    assert!(v.rules().is_empty());
}

#[test]
fn null_is_absent_except_for_the_never_facts() {
    // null kyc_verified is the same as absent.
    let v = check(&healthy_except(&[("account.kyc_verified", Value::Null)]));
    assert_eq!(v.status(), "incomplete");
    assert_eq!(v.missing(), vec!["account.kyc_verified"]);
    // null last_overdue_cleared_at means never; absent means unknown.
    let v = check(&healthy_except(&[("credit.last_overdue_cleared_at", Value::Null)]));
    assert_eq!(v.status(), "eligible");
    let mut p = healthy();
    unset(&mut p, "credit.last_overdue_cleared_at");
    let v = check(&p);
    assert_eq!(v.status(), "incomplete");
    assert_eq!(v.missing(), vec!["credit.last_overdue_cleared_at"]);
    // null last_login_failure_at means never; the login lock does not need it below 5 failures.
    let mut p = healthy();
    unset(&mut p, "behavior.last_login_failure_at");
    assert_eq!(check(&p).status(), "eligible");
}

#[test]
fn missing_lists_every_needed_path_sorted() {
    let mut p = healthy();
    for path in
        ["capacity.monthly_income", "behavior.requests_last_hour", "account.age", "credit.multi_lender_count_3m"]
    {
        unset(&mut p, path);
    }
    let v = check(&p);
    assert_eq!(v.status(), "incomplete");
    assert_eq!(
        v.missing(),
        vec!["account.age", "behavior.requests_last_hour", "capacity.monthly_income", "credit.multi_lender_count_3m"]
    );
}

#[test]
fn a_profile_with_only_as_of_lists_every_fact_a_condition_needs() {
    let v = check(&json!({ "as_of": "2026-11-29T10:00:00+08:00" }));
    assert_eq!((v.status(), v.available()), ("incomplete", "0.00"));
    // Every fact some rule's condition reads, sorted. Not overdue_amount or last_login_failure_at
    // (only texts and `until` read them), nor request.amount (read through has()).
    assert_eq!(
        v.missing(),
        vec![
            "account.age",
            "account.app_version",
            "account.credit_limit",
            "account.id_expiry",
            "account.kyc_verified",
            "account.region",
            "account.segment",
            "account.status",
            "account.used",
            "behavior.login_failures_24h",
            "behavior.new_device_unverified",
            "behavior.requests_last_hour",
            "capacity.income_verified",
            "capacity.monthly_debt_payments",
            "capacity.monthly_income",
            "credit.bureau_blacklisted",
            "credit.court_enforcement_listed",
            "credit.last_overdue_cleared_at",
            "credit.multi_lender_count_3m",
            "credit.overdue_days",
            "credit.overdue_episodes_12m",
        ]
    );
}

#[test]
fn a_determined_stop_beats_incomplete_but_the_gap_is_still_listed() {
    for (edit, status) in [
        (("account.status", json!("frozen")), "frozen"),
        (("account.kyc_verified", json!(false)), "blocked"),
        (("behavior.requests_last_hour", json!(61)), "paused"),
    ] {
        let mut p = healthy_except(&[edit]);
        unset(&mut p, "capacity.income_verified");
        let v = check(&p);
        assert_eq!(v.status(), status);
        assert_eq!(v.available(), "0.00");
        assert_eq!(v.missing(), vec!["capacity.income_verified"]);
    }
}

#[test]
fn a_limit_or_cap_does_not_beat_incomplete() {
    let mut p =
        healthy_except(&[("credit.overdue_episodes_12m", json!(3)), ("capacity.income_verified", json!(false))]);
    unset(&mut p, "account.region");
    let v = check(&p);
    assert_eq!((v.status(), v.available()), ("incomplete", "0.00"));
    assert_eq!(v.missing(), vec!["account.region"]);
    // The reasons that did fire are still explained.
    assert_eq!(v.rules(), vec!["repeated_overdue", "income_unverified"]);
}

#[test]
fn a_fact_read_by_several_rules_is_listed_once() {
    // overdue_days is read by rules 5, 6 and 21. With a never-cleared history rule 21 is decided
    // (false) without it; rules 5 and 6 are not. The path is listed once.
    let mut p = healthy();
    unset(&mut p, "credit.overdue_days");
    let v = check(&p);
    assert_eq!(v.status(), "incomplete");
    assert_eq!(v.missing(), vec!["credit.overdue_days"]);
}

#[test]
fn a_missing_line_is_incomplete() {
    let mut p = healthy();
    unset(&mut p, "account.used");
    let v = check(&p);
    assert_eq!((v.status(), v.available()), ("incomplete", "0.00"));
    assert_eq!(v.missing(), vec!["account.used"]);
}

// ---------------------------------------------------------------------------------------------
// Languages
// ---------------------------------------------------------------------------------------------

#[test]
fn locale_defaults_to_zh_cn_follows_the_profile_and_can_be_overridden() {
    let p = healthy_except(&[("account.kyc_verified", json!(false))]);
    let v = check(&p);
    assert_eq!(v.0["locale"], "zh-CN");
    assert_eq!(v.reason("kyc_incomplete")["title"], "还没有完成实名认证");

    let p = healthy_except(&[("account.kyc_verified", json!(false)), ("locale", json!("en"))]);
    let v = check(&p);
    assert_eq!(v.0["locale"], "en");
    assert_eq!(v.reason("kyc_incomplete")["title"], "Identity verification isn't complete");

    let v = zh(&p);
    assert_eq!(v.0["locale"], "zh-CN");
    assert_eq!(v.reason("kyc_incomplete")["title"], "还没有完成实名认证");
}

#[test]
fn a_text_missing_in_one_language_falls_back_to_the_other_never_to_a_key() {
    let line = "title.en = \"Your account is frozen\"\n";
    assert!(drawcheck::DEFAULT_PACK.contains(line));
    let text = drawcheck::DEFAULT_PACK.replacen(line, "", 1);
    let pack = drawcheck::compile_pack(&text).expect("a missing translation is a warning, not an error");
    assert!(pack.warnings.iter().any(|w| w.message.contains("no en text")), "{:?}", pack.warnings);
    let json = serde_json::to_string(&healthy_except(&[("account.status", json!("frozen"))])).unwrap();
    let profile = drawcheck::read_profile(&pack, &json).unwrap();
    let v = drawcheck::check(&pack, &profile, Options { locale: Some(Locale::En), ..Options::default() });
    assert_eq!(v.reasons[0].title, "账户已冻结");
    assert!(v.reasons[0].detail.contains("frozen"), "the detail is still English");
}

#[test]
fn money_is_grouped_and_has_two_decimals_in_every_text() {
    let p = healthy_except(&[("credit.overdue_days", json!(7)), ("credit.overdue_amount", json!("1234567.5"))]);
    for v in [zh(&p), en(&p)] {
        let r = v.reason("overdue_now");
        assert!(r["detail"].as_str().unwrap().contains("¥1,234,567.50"), "{}", r["detail"]);
        assert_eq!(r["steps"][0]["amount"], "1234567.50");
    }
}

// ---------------------------------------------------------------------------------------------
// Profile reading, as a rule sees it
// ---------------------------------------------------------------------------------------------

#[test]
fn an_unknown_profile_field_is_rejected_by_name() {
    let mut p = healthy();
    p["account"]["credti_limit"] = json!("1000.00");
    let err = drawcheck::read_profile(pack(), &serde_json::to_string(&p).unwrap()).unwrap_err();
    assert!(err.message.contains("account.credti_limit"), "{err}");
    assert!(err.message.contains("account.credit_limit"), "hint: {err}");

    let mut p = healthy();
    p["acount"] = json!({});
    let err = drawcheck::read_profile(pack(), &serde_json::to_string(&p).unwrap()).unwrap_err();
    assert!(err.message.contains("acount"), "{err}");
}

#[test]
fn money_given_as_a_json_number_reads_the_same_as_a_string() {
    let v = check(&healthy_except(&[
        ("account.credit_limit", json!(10000.01)),
        ("account.used", json!(0)),
        ("credit.overdue_episodes_12m", json!(3)),
    ]));
    assert_eq!(v.effective_limit(), "5000.00");
}
