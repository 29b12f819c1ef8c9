//! Diagnostics: a broken rule pack is reported at the right line and column with a hint; a broken
//! profile is rejected naming the field, with its line and column; and the command line keeps its
//! contract (CONTRACT.md, "Command line"): `check` exits 0 whatever the status, bad input exits 2
//! with one clear error on stderr, `-` reads standard input.
//!
//! Expected positions are computed from the text the test wrote (by finding the offending
//! substring), never copied from the compiler's output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use drawcheck::{Diagnostic, Pack, ProfileError, Severity};
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

// ---------------------------------------------------------------------------------------------
// A small pack that compiles; each test breaks one thing in it.
// ---------------------------------------------------------------------------------------------

const MINI: &str = r#"# A small pack for diagnostics tests.
[pack]
id = "mini"
version = "0.1.0"
locales = ["zh-CN", "en"]

[line]
credit_limit = "account.credit_limit"
used = "account.used"

[facts.account]
status = { type = "enum", values = ["active", "frozen", "closed"] }
credit_limit = { type = "money" }
used = { type = "money", action = "repay", direction = "down" }
id_expiry = { type = "date", action = "upload_document", direction = "up" }

[facts.credit]
overdue_days = { type = "int", min = 0, max = 36500, action = "repay", direction = "down" }
overdue_amount = { type = "money", action = "repay", direction = "down" }

[facts.behavior]
requests_last_hour = { type = "int", min = 0, max = 1000000 }

[params]
request_burst_max = 60
support_phone = "400-000-0000"

[[rules]]
id = "account_frozen"
when = 'account.status == "frozen"'
effect = "freeze"
scope = "individual"
title.zh-CN = "账户已冻结"
title.en = "Your account is frozen"
detail.zh-CN = "请拨打客服电话{params.support_phone}。"
detail.en = "Call us on {params.support_phone}."

[[rules.steps]]
action = "contact_support"
phone = "params.support_phone"
text.zh-CN = "拨打{phone}。"
text.en = "Call {phone}."

[[rules]]
id = "overdue_now"
when = "credit.overdue_days > 0"
effect = "block"
scope = "individual"
title.zh-CN = "有一笔还款已逾期"
title.en = "A repayment is overdue"
detail.zh-CN = "您有{credit.overdue_amount}已经逾期{credit.overdue_days}天。"
detail.en = "{credit.overdue_amount} is {credit.overdue_days} days overdue."

[[rules.steps]]
action = "repay"
amount = "credit.overdue_amount"
text.zh-CN = "还清{amount}。"
text.en = "Repay {amount}."

[[rules]]
id = "request_burst"
when = "behavior.requests_last_hour > params.request_burst_max"
effect = "pause"
scope = "individual"
until = "as_of + 1h"
title.zh-CN = "操作过于频繁"
title.en = "Too many requests"
detail.zh-CN = "借款暂停到{until}。"
detail.en = "Borrowing is paused until {until}."

[[rules.steps]]
action = "wait"
until = "as_of + 1h"
text.zh-CN = "请在{until}之后再试。"
text.en = "Try again after {until}."
"#;

/// 1-based line and column (in characters) where `needle` starts, searching from the first
/// occurrence of `after` (so a needle can be pinned to one rule). The needle must be there.
fn position_of(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).unwrap_or_else(|| panic!("`{after}` is not in the text"));
    let at = from + text[from..].find(needle).unwrap_or_else(|| panic!("`{needle}` is not after `{after}`"));
    position_at(text, at)
}

/// 1-based line and column (in characters) of a byte offset.
fn position_at(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    (before.matches('\n').count() + 1, before.rsplit('\n').next().unwrap().chars().count() + 1)
}

/// `MINI` with `old` (which must occur exactly once) replaced by `new`.
fn mini_with(old: &str, new: &str) -> String {
    assert_eq!(MINI.matches(old).count(), 1, "`{old}` must occur once in MINI");
    MINI.replacen(old, new, 1)
}

fn errors_of(text: &str) -> Vec<Diagnostic> {
    match drawcheck::compile_pack(text) {
        Ok(_) => panic!("the pack compiled, but it is broken"),
        Err(diags) => diags.into_iter().filter(|d| d.severity == Severity::Error).collect(),
    }
}

/// The one error whose message contains `what`.
fn error_about<'d>(diags: &'d [Diagnostic], what: &str) -> &'d Diagnostic {
    let found: Vec<&Diagnostic> = diags.iter().filter(|d| d.message.contains(what)).collect();
    assert_eq!(found.len(), 1, "one error about `{what}` expected; got {diags:#?}");
    found[0]
}

fn at(d: &Diagnostic) -> (usize, usize) {
    (d.line, d.column)
}

fn hint(d: &Diagnostic) -> &str {
    d.hint.as_deref().unwrap_or_else(|| panic!("no hint for {d:?}"))
}

#[test]
fn the_mini_pack_compiles_cleanly() {
    let pack = drawcheck::compile_pack(MINI).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(pack.warnings.is_empty(), "{:#?}", pack.warnings);
    assert_eq!(pack.rules.len(), 3);
}

#[test]
fn the_default_pack_compiles_without_warnings() {
    let pack = drawcheck::compile_pack(drawcheck::DEFAULT_PACK).unwrap_or_else(|d| panic!("{d:#?}"));
    assert!(pack.warnings.is_empty(), "{:#?}", pack.warnings);
    let ids: Vec<&str> = pack.rules.iter().map(|r| r.id.as_str()).collect();
    // The 24 ids of POLICY.md, in its order: part of the public contract.
    assert_eq!(
        ids,
        [
            "account_frozen",
            "account_closed",
            "court_enforcement",
            "bureau_blacklist",
            "overdue_severe",
            "overdue_now",
            "multi_lender",
            "login_lock",
            "request_burst",
            "unverified_device",
            "kyc_incomplete",
            "id_expired",
            "age_ineligible",
            "region_paused",
            "app_outdated",
            "maintenance",
            "regulatory_cap",
            "repeated_overdue",
            "high_dti",
            "segment_reduction",
            "recent_overdue",
            "income_unverified",
            "limit_used_up",
            "amount_over_available",
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// Broken packs
// ---------------------------------------------------------------------------------------------

#[test]
fn a_misspelt_fact_is_pointed_at_with_the_right_spelling() {
    let text = mini_with("when = \"credit.overdue_days > 0\"", "when = \"credit.overdue_dayz > 0\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "credit.overdue_dayz");
    assert_eq!(at(d), position_of(&text, "id = \"overdue_now\"", "credit.overdue_dayz"));
    assert!(hint(d).contains("credit.overdue_days"), "{d:?}");
    assert_eq!(d.rule.as_deref(), Some("overdue_now"));
}

#[test]
fn a_misspelt_fact_inside_a_chinese_text_is_located_in_characters() {
    // The placeholder follows CJK characters (3 bytes each in UTF-8): the column counts characters.
    let text = mini_with("逾期{credit.overdue_days}天", "逾期{credit.overdue_dais}天");
    let diags = errors_of(&text);
    let d = error_about(&diags, "credit.overdue_dais");
    assert_eq!(at(d), position_of(&text, "id = \"overdue_now\"", "credit.overdue_dais"));
    assert!(hint(d).contains("credit.overdue_days"), "{d:?}");
}

#[test]
fn comparing_money_with_a_date_is_a_type_error() {
    let text = mini_with("when = \"credit.overdue_days > 0\"", "when = \"credit.overdue_amount > account.id_expiry\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "cannot compare");
    assert!(d.message.contains("money") && d.message.contains("date"), "{d:?}");
    // The comparison starts at its left side.
    assert_eq!(at(d), position_of(&text, "id = \"overdue_now\"", "credit.overdue_amount > "));
    // …and ends after the right side.
    let (line, col) = position_of(&text, "id = \"overdue_now\"", "account.id_expiry");
    assert_eq!((d.end_line, d.end_column), (line, col + "account.id_expiry".len()));
    assert!(hint(d).contains("money"), "{d:?}");
}

#[test]
fn an_unknown_param_is_pointed_at_with_the_right_spelling() {
    let text = mini_with("> params.request_burst_max\"", "> params.request_burst_maximum\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "params.request_burst_maximum");
    assert_eq!(at(d), position_of(&text, "id = \"request_burst\"", "params.request_burst_maximum"));
    assert!(hint(d).contains("params.request_burst_max"), "{d:?}");
}

#[test]
fn an_enum_literal_outside_its_values_is_pointed_at() {
    let text = mini_with("account.status == \"frozen\"", "account.status == \"frozzen\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "frozzen");
    assert_eq!(at(d), position_of(&text, "id = \"account_frozen\"", "\"frozzen\""));
    assert!(hint(d).contains("\"frozen\""), "{d:?}");
}

#[test]
fn a_pause_rule_without_until_is_an_error_at_its_effect() {
    let text = mini_with("scope = \"individual\"\nuntil = \"as_of + 1h\"\n", "scope = \"individual\"\n");
    // The step still names {until} as its own field, so only the rule's own until is gone; the
    // detail's {until} is then unknown too, which is fine: we look for the pause error.
    let diags = errors_of(&text);
    let d = error_about(&diags, "needs `until`");
    assert_eq!(at(d), position_of(&text, "id = \"request_burst\"", "\"pause\""));
    assert!(hint(d).contains("until"), "{d:?}");
    assert_eq!(d.rule.as_deref(), Some("request_burst"));
}

#[test]
fn malformed_toml_is_reported_where_it_breaks() {
    // An unclosed string on the `version` line.
    let text = mini_with("version = \"0.1.0\"\n", "version = \"0.1.0\nlocales_x = 1\n");
    let diags = errors_of(&text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let (line, _) = position_of(&text, "[pack]", "version = ");
    assert_eq!(diags[0].line, line, "{:?}", diags[0]);

    // A table header that is never closed.
    let text = mini_with("[params]\n", "[params\n");
    let diags = errors_of(&text);
    assert_eq!(diags.len(), 1, "{diags:#?}");
    let (line, _) = position_of(&text, "", "[params\n");
    assert_eq!(diags[0].line, line, "{:?}", diags[0]);
}

#[test]
fn an_unknown_key_in_a_rule_is_named_and_located() {
    let text = mini_with("effect = \"block\"\n", "effect = \"block\"\neffekt = \"block\"\n");
    let diags = errors_of(&text);
    let d = error_about(&diags, "effekt");
    // On the line of the unknown key (or, at worst, the rule it sits in).
    let (line, col) = position_of(&text, "id = \"overdue_now\"", "effekt");
    assert_eq!(at(d), (line, col), "{d:?}");
    assert!(d.hint.is_some(), "{d:?}");
}

#[test]
fn a_duplicate_rule_id_points_at_the_second_one() {
    let text = mini_with("id = \"request_burst\"", "id = \"overdue_now\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "used twice");
    // The second `id = "overdue_now"` (the first is in the real overdue_now rule).
    let second_at = text.match_indices("id = \"overdue_now\"").nth(1).unwrap().0 + "id = ".len();
    assert_eq!(at(d), position_at(&text, second_at), "{d:?}");
    assert!(hint(d).contains("unique"), "{d:?}");
}

#[test]
fn an_unknown_placeholder_name_in_a_template_is_located() {
    let text =
        mini_with("detail.en = \"Call us on {params.support_phone}.\"", "detail.en = \"Call us on {phone_number}.\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "phone_number");
    assert_eq!(at(d), position_of(&text, "id = \"account_frozen\"", "phone_number"));
    assert_eq!(d.rule.as_deref(), Some("account_frozen"));
}

#[test]
fn a_step_placeholder_the_step_does_not_have_is_an_error() {
    // The repay step has an amount but no `until`.
    let text = mini_with("text.en = \"Repay {amount}.\"", "text.en = \"Repay {amount} by {until}.\"");
    let diags = errors_of(&text);
    let d = error_about(&diags, "until");
    assert_eq!(at(d), position_of(&text, "text.en = \"Repay", "until}"));
}

#[test]
fn several_errors_are_reported_in_one_round() {
    let text = mini_with("account.status == \"frozen\"", "account.status == \"frozzen\"").replacen(
        "> params.request_burst_max\"",
        "> params.request_burst_maximum\"",
        1,
    );
    let diags = errors_of(&text);
    error_about(&diags, "frozzen");
    error_about(&diags, "params.request_burst_maximum");
}

// ---------------------------------------------------------------------------------------------
// Broken profiles
// ---------------------------------------------------------------------------------------------

fn default_pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| drawcheck::compile_pack(drawcheck::DEFAULT_PACK).expect("the default pack compiles"))
}

/// A valid profile, laid out one field per line, with `FIELD` standing for one extra line.
const PROFILE: &str = r#"{
  "as_of": "2026-11-29T10:00:00+08:00",
  "account": {
    "status": "active",
    "credit_limit": "20000.00",
    "used": "3500.00",
    "kyc_verified": true,
    "id_expiry": "2030-05-01",
    "age": 34,
    "region": "CN-GD",
    "app_version": "8.2.1",
    "segment": "A"
  },
  "credit": {
    "overdue_days": 0,
    "overdue_amount": "0.00",
    "overdue_episodes_12m": 0,
    "last_overdue_cleared_at": null,
    "court_enforcement_listed": false,
    "bureau_blacklisted": false,
    "multi_lender_count_3m": 1
  },
  "behavior": {
    "login_failures_24h": 0,
    "last_login_failure_at": null,
    "new_device_unverified": false,
    "requests_last_hour": 3
  },
  "capacity": {
    "monthly_income": "12000.00",
    "income_verified": true,
    "monthly_debt_payments": "2500.00"
  }
}
"#;

fn profile_with(old: &str, new: &str) -> String {
    assert_eq!(PROFILE.matches(old).count(), 1, "`{old}` must occur once in PROFILE");
    PROFILE.replacen(old, new, 1)
}

fn read(text: &str) -> Result<drawcheck::Profile, ProfileError> {
    drawcheck::read_profile(default_pack(), text)
}

fn rejected(text: &str) -> ProfileError {
    match read(text) {
        Ok(_) => panic!("accepted a broken profile:\n{text}"),
        Err(e) => e,
    }
}

/// The error is on the line of `needle`, at a column inside or just after it.
fn assert_points_at(e: &ProfileError, text: &str, needle: &str) {
    let (line, col) = position_of(text, "", needle);
    assert_eq!(e.line, line, "line of `{needle}`: {e}");
    let end = col + needle.chars().count();
    assert!(e.column >= col && e.column <= end + 1, "column {} not within `{needle}` ({col}..{end}): {e}", e.column);
}

#[test]
fn the_test_profile_is_valid() {
    read(PROFILE).unwrap();
}

#[test]
fn an_unknown_field_is_named_with_its_line_and_column() {
    let text = profile_with("\"used\": \"3500.00\",", "\"used\": \"3500.00\",\n    \"credti_limit\": \"100.00\",");
    let e = rejected(&text);
    assert!(e.message.contains("account.credti_limit"), "{e}");
    assert!(e.message.contains("account.credit_limit"), "a hint with the right spelling: {e}");
    assert_points_at(&e, &text, "\"credti_limit\":");

    let text = profile_with("  \"credit\": {", "  \"credits\": {");
    let e = rejected(&text);
    assert!(e.message.contains("credits"), "{e}");
    assert_points_at(&e, &text, "\"credits\":");
}

#[test]
fn malformed_json_is_located() {
    // A missing comma after "used".
    let text = profile_with("\"used\": \"3500.00\",", "\"used\": \"3500.00\"");
    let e = rejected(&text);
    let (line, _) = position_of(&text, "", "\"kyc_verified\"");
    assert_eq!(e.line, line, "{e}");
    // Not JSON at all, and trailing garbage.
    assert!(read("as_of: today").is_err());
    let e = rejected(&format!("{PROFILE}]"));
    assert_eq!(e.line, PROFILE.lines().count() + 1, "{e}");
}

#[test]
fn money_must_be_exact_to_the_fen_and_in_range() {
    for (value, why) in [
        ("\"320.505\"", "more than 2 decimals"),
        ("320.505", "more than 2 decimals"),
        ("\"-1.00\"", "negative"),
        ("-1", "negative"),
        ("1e3", "exponent as a JSON number"),
        ("1E3", "exponent as a JSON number"),
        ("\"1e3\"", "exponent in a string"),
        ("\"NaN\"", "NaN"),
        ("\"Infinity\"", "Infinity"),
        ("\"inf\"", "inf"),
        ("\"1,000.00\"", "thousands separator"),
        ("\" 100\"", "space"),
        ("\"+100\"", "plus sign"),
        ("\"\"", "empty"),
        ("\"1000000000000.00\"", "above 999,999,999,999.99"),
        ("1000000000000", "above 999,999,999,999.99 as a number"),
        ("\"999999999999.991\"", "3 decimals at the top"),
    ] {
        let text = profile_with("\"credit_limit\": \"20000.00\"", &format!("\"credit_limit\": {value}"));
        let e = rejected(&text);
        assert!(e.message.contains("account.credit_limit"), "{why}: {e}");
        assert_points_at(&e, &text, &format!("\"credit_limit\": {value}"));
    }
    for ok in ["\"999999999999.99\"", "999999999999.99", "\"0\"", "0", "320.5", "\"320.5\"", "\"0.01\""] {
        let text = profile_with("\"credit_limit\": \"20000.00\"", &format!("\"credit_limit\": {ok}"));
        read(&text).unwrap_or_else(|e| panic!("{ok} should be accepted: {e}"));
    }
}

#[test]
fn dates_and_datetimes_must_exist() {
    for bad in ["2030-02-30", "2030-13-01", "2030-5-1", "2030/05/01", "20300501", "2029-02-29"] {
        let text = profile_with("\"id_expiry\": \"2030-05-01\"", &format!("\"id_expiry\": \"{bad}\""));
        let e = rejected(&text);
        assert!(e.message.contains("account.id_expiry"), "{bad}: {e}");
        assert_points_at(&e, &text, &format!("\"id_expiry\": \"{bad}\""));
    }
    let text = profile_with("\"id_expiry\": \"2030-05-01\"", "\"id_expiry\": \"2028-02-29\"");
    read(&text).expect("a leap day exists");

    for bad in ["2026-02-30T10:00:00+08:00", "2026-11-29T25:00:00+08:00", "2026-11-29T10:00:00", "2026-11-29"] {
        let text = profile_with("\"last_login_failure_at\": null", &format!("\"last_login_failure_at\": \"{bad}\""));
        let e = rejected(&text);
        assert!(e.message.contains("behavior.last_login_failure_at"), "{bad}: {e}");
    }
}

#[test]
fn integers_must_be_whole_and_in_range() {
    for bad in ["151", "-1", "34.5", "3.4e1", "99999999999999999999999"] {
        let text = profile_with("\"age\": 34", &format!("\"age\": {bad}"));
        let e = rejected(&text);
        assert!(e.message.contains("account.age"), "{bad}: {e}");
        assert_points_at(&e, &text, &format!("\"age\": {bad}"));
    }
    for ok in ["0", "150"] {
        read(&profile_with("\"age\": 34", &format!("\"age\": {ok}"))).unwrap();
    }
    let e = rejected(&profile_with("\"overdue_days\": 0", "\"overdue_days\": 36501"));
    assert!(e.message.contains("credit.overdue_days"), "{e}");
}

#[test]
fn wrong_types_are_rejected_naming_the_field() {
    for (old, new, field) in [
        ("\"kyc_verified\": true", "\"kyc_verified\": \"true\"", "account.kyc_verified"),
        ("\"kyc_verified\": true", "\"kyc_verified\": 1", "account.kyc_verified"),
        ("\"age\": 34", "\"age\": \"34\"", "account.age"),
        ("\"credit_limit\": \"20000.00\"", "\"credit_limit\": true", "account.credit_limit"),
        ("\"credit_limit\": \"20000.00\"", "\"credit_limit\": [\"20000.00\"]", "account.credit_limit"),
        ("\"credit_limit\": \"20000.00\"", "\"credit_limit\": {\"amount\": \"1\"}", "account.credit_limit"),
        ("\"status\": \"active\"", "\"status\": \"suspended\"", "account.status"),
        ("\"app_version\": \"8.2.1\"", "\"app_version\": \"v8.2\"", "account.app_version"),
        ("\"app_version\": \"8.2.1\"", "\"app_version\": 8.2", "account.app_version"),
        ("\"region\": \"CN-GD\"", "\"region\": 44", "account.region"),
    ] {
        let e = rejected(&profile_with(old, new));
        assert!(e.message.contains(field), "{new}: {e}");
        assert!(e.line > 0, "{new}: has a position");
    }
    // A group that is not an object.
    let e = rejected(&profile_with("  \"capacity\": {\n", "  \"capacity\": [],\n  \"x\": {\n"));
    assert!(e.message.contains("capacity"), "{e}");
}

#[test]
fn as_of_is_required_and_must_have_an_offset() {
    let without = PROFILE.replacen("  \"as_of\": \"2026-11-29T10:00:00+08:00\",\n", "", 1);
    assert_ne!(without, PROFILE);
    let e = rejected(&without);
    assert!(e.message.contains("as_of") && e.message.contains("required"), "{e}");

    let e = rejected(&profile_with("\"as_of\": \"2026-11-29T10:00:00+08:00\"", "\"as_of\": null"));
    assert!(e.message.contains("as_of"), "{e}");
    let e = rejected(&profile_with("\"as_of\": \"2026-11-29T10:00:00+08:00\"", "\"as_of\": \"2026-11-29T10:00:00\""));
    assert!(e.message.contains("as_of"), "{e}");
    assert_eq!(e.line, 2, "{e}");
    let e =
        rejected(&profile_with("\"as_of\": \"2026-11-29T10:00:00+08:00\"", "\"as_of\": \"2026-02-30T10:00:00+08:00\""));
    assert!(e.message.contains("as_of"), "{e}");
    let e = rejected("{}");
    assert!(e.message.contains("as_of"), "{e}");
}

#[test]
fn a_field_given_twice_is_an_error() {
    let e = rejected(&profile_with("\"age\": 34,", "\"age\": 34,\n    \"age\": 35,"));
    assert!(e.message.contains("account.age"), "{e}");
}

#[test]
fn an_unsupported_locale_is_an_error() {
    let e = rejected(&profile_with(
        "\"as_of\": \"2026-11-29T10:00:00+08:00\",",
        "\"as_of\": \"2026-11-29T10:00:00+08:00\",\n  \"locale\": \"fr\",",
    ));
    assert!(e.message.contains("locale"), "{e}");
}

#[test]
fn null_means_absent_or_never_and_is_never_an_error() {
    // null for an ordinary fact is accepted (and means absent); for a group too.
    read(&profile_with("\"kyc_verified\": true", "\"kyc_verified\": null")).unwrap();
    read(&profile_with("\"last_overdue_cleared_at\": null", "\"last_overdue_cleared_at\": \"2026-11-01\"")).unwrap();
    read(&profile_with("  \"capacity\": {\n", "  \"request\": null,\n  \"capacity\": {\n")).unwrap();
}

// ---------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------

fn drawcheck(args: &[&str], stdin: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drawcheck"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    cmd.env("NO_COLOR", "1");
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Writes `text` to a file of this test's own, returning its path.
fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("diagnostics");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn persona(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/personas").join(format!("{name}.json")).display().to_string()
}

#[test]
fn cli_check_exits_0_and_prints_the_verdict_whatever_the_status() {
    for (name, status) in [
        ("healthy", "eligible"),
        ("frozen", "frozen"),
        ("overdue", "blocked"),
        ("login_lock", "paused"),
        ("high_dti", "limited"),
        ("missing_capacity", "incomplete"),
    ] {
        let out = drawcheck(&["check", "--profile", &persona(name)], None);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", stderr(&out));
        let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
        assert_eq!(v["status"], status, "{name}");
        assert!(stderr(&out).is_empty(), "{name}: {}", stderr(&out));
    }
}

#[test]
fn cli_check_reads_stdin_for_dash_and_takes_a_locale() {
    let out = drawcheck(&["check", "--profile", "-", "--locale", "en"], Some(PROFILE));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["status"], "eligible");
    assert_eq!(v["available"], "16500.00");
    assert_eq!(v["locale"], "en");
}

#[test]
fn cli_bad_profile_exits_2_with_one_error_naming_file_line_and_column() {
    let text = profile_with("\"used\": \"3500.00\",", "\"used\": \"3500.00\",\n    \"credti_limit\": \"100.00\",");
    let path = temp_file("unknown-field.json", &text);
    let path_s = path.display().to_string();
    let out = drawcheck(&["check", "--profile", &path_s], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty(), "nothing on stdout: {}", stdout(&out));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one error: {err}");
    let (line, _) = position_of(&text, "", "\"credti_limit\"");
    assert!(err.contains(&format!("{path_s}:{line}:")), "file:line:column: {err}");
    assert!(err.contains("account.credti_limit"), "{err}");

    // Malformed JSON through stdin: the file is `-`.
    let out = drawcheck(&["check", "--profile", "-"], Some("{\n  \"as_of\": \n}"));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(err.trim_end().lines().count(), 1, "one error: {err}");
    assert!(err.contains("-:3:"), "{err}");
}

#[test]
fn cli_bad_input_never_panics() {
    for (name, text) in [
        ("empty.json", ""),
        ("array.json", "[1, 2, 3]"),
        ("deep.json", &"[".repeat(10_000)),
        ("nul.json", "\u{0}\u{1}\u{2}"),
        ("huge-number.json", "{\"as_of\": \"2026-11-29T10:00:00+08:00\", \"account\": {\"used\": 1e999999}}"),
    ] {
        let path = temp_file(name, text);
        let out = drawcheck(&["check", "--profile", &path.display().to_string()], None);
        assert_eq!(out.status.code(), Some(2), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).contains("panicked"), "{name}: {}", stderr(&out));
        assert!(!stderr(&out).is_empty(), "{name}: says what is wrong");
    }
    let out = drawcheck(&["check", "--profile", "/nonexistent/drawcheck/profile.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("/nonexistent/drawcheck/profile.json"), "{}", stderr(&out));
}

#[test]
fn cli_lint_of_the_default_pack_exits_0() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules/default.toml");
    let out = drawcheck(&["lint", &path.display().to_string()], None);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"), "{}", stdout(&out));
    // The same through stdin.
    let out = drawcheck(&["lint", "-"], Some(drawcheck::DEFAULT_PACK));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn cli_lint_of_a_broken_pack_exits_2_with_file_line_column_and_hint() {
    let text = mini_with("when = \"credit.overdue_days > 0\"", "when = \"credit.overdue_dayz > 0\"");
    let path = temp_file("typo.toml", &text);
    let path_s = path.display().to_string();
    let (line, col) = position_of(&text, "id = \"overdue_now\"", "credit.overdue_dayz");
    let out = drawcheck(&["lint", &path_s], None);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains(&format!("{path_s}:{line}:{col}: error")), "{err}");
    assert!(err.contains("credit.overdue_days"), "the hint: {err}");

    // A pack that does not compile stops `check` too, before any verdict.
    let profile = temp_file("for-typo.json", PROFILE);
    let out = drawcheck(&["check", "--rules", &path_s, "--profile", &profile.display().to_string()], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(stdout(&out).is_empty());
    assert!(stderr(&out).contains(&format!("{path_s}:{line}:{col}")), "{}", stderr(&out));
}

#[test]
fn cli_check_with_a_custom_pack_uses_it() {
    let pack = temp_file("mini.toml", MINI);
    let profile = r#"{"as_of": "2026-11-29T10:00:00+08:00",
        "account": {"status": "active", "credit_limit": "100.00", "used": "0.00"},
        "credit": {"overdue_days": 2, "overdue_amount": "40.00"},
        "behavior": {"requests_last_hour": 1}}"#;
    let out = drawcheck(&["check", "--rules", &pack.display().to_string(), "--profile", "-"], Some(profile));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["status"], "blocked");
    assert_eq!(v["pack"]["id"], "mini");
    assert_eq!(v["reasons"][0]["detail"], "您有¥40.00已经逾期2天。");
}
