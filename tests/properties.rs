//! Property tests: no input makes the core panic or hang, and every verdict keeps the invariants
//! POLICY.md and CONTRACT.md give it.
//!
//! - (a) profiles: arbitrary text, arbitrary JSON trees, and profile-shaped JSON with wild values,
//!   read against the default pack;
//! - (b) packs: arbitrary text, mutations of the default pack, and packs whose rules are generated
//!   typed expressions; whatever compiles is then evaluated;
//! - (c) expressions: arbitrary text and token soup to `expr::parse`; exact arithmetic on edge values;
//! - (d) verdicts: contract-shaped profiles with values spread across every rule's threshold →
//!   determinism, amounts, ordering, `missing`, "a missing fact never counts as passing".
//!
//! Every verdict any of these produces is also checked with the trace, in both locales and with a
//! recourse plan (`check_all_ways`).
//!
//! Each property runs its cases on a worker thread under a deadline ([`property`]), and each case
//! under a time limit, so a hang fails the test in bounded time instead of stalling CI. Panics are
//! caught by proptest and reported as failures with the shrunk input. `PROPTEST_CASES=N` runs more.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use drawcheck::expr;
use drawcheck::money::Dec;
use drawcheck::pack::Effect;
use drawcheck::{Locale, Options, Pack, Status, Verdict};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config, TestCaseError, TestError, TestRunner};
use serde_json::{json, Map, Value};
use std::fmt::Debug;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

// ------------------------------------------------------------------------------------------------
// Harness: cases on a worker thread, a deadline for the whole property, a limit for each case.
// ------------------------------------------------------------------------------------------------

/// One case taking longer than this (in a debug build) counts as a hang.
const CASE_LIMIT: Duration = Duration::from_secs(3);
/// A whole property (all its cases, plus shrinking a failure) must end within this.
const PROPERTY_LIMIT: Duration = Duration::from_secs(90);

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// Runs `test` on `cases(default_cases)` values of the strategy `make()` builds. The runner works
/// on its own thread; if it has not finished by the deadline this test fails, naming the input
/// that was running, while the stuck thread is left behind (the test binary exits without it).
fn property<S, F>(name: &'static str, default_cases: u32, make: impl FnOnce() -> S + Send + 'static, test: F)
where
    S: Strategy,
    S::Value: Clone + Debug + Send + 'static,
    F: Fn(S::Value) -> Result<(), TestCaseError> + Send + 'static,
{
    let cases = cases(default_cases);
    // The input being tried, kept (not formatted: that would cost every case) for a hang report.
    let current: Arc<Mutex<Option<Box<dyn Debug + Send>>>> = Arc::default();
    let seen = Arc::clone(&current);
    let (tx, rx) = mpsc::channel();
    let worker = std::thread::Builder::new()
        .name(name.to_string())
        .stack_size(8 * 1024 * 1024)
        .spawn(move || {
            let config = Config {
                cases,
                failure_persistence: None,
                max_shrink_time: 20_000,
                max_shrink_iters: 2_000,
                ..Config::default()
            };
            let mut runner = TestRunner::new(config);
            let result = runner.run(&make(), |value| {
                if let Ok(mut slot) = seen.lock() {
                    *slot = Some(Box::new(value.clone()));
                }
                let start = Instant::now();
                test(value)?;
                let took = start.elapsed();
                if took > CASE_LIMIT {
                    return Err(TestCaseError::fail(format!("one case took {took:?} (limit {CASE_LIMIT:?})")));
                }
                Ok(())
            });
            let _ = tx.send(result.map_err(|e| match e {
                TestError::Fail(why, value) => format!("{why}\nminimal failing input: {value:#?}"),
                TestError::Abort(why) => format!("aborted: {why}"),
            }));
        })
        .unwrap();
    let limit = PROPERTY_LIMIT * (cases / default_cases.max(1)).max(1);
    match rx.recv_timeout(limit) {
        Ok(Ok(())) => {
            let _ = worker.join();
        }
        Ok(Err(msg)) => panic!("property `{name}` failed: {msg}"),
        Err(_) => {
            let input = current.lock().map(|s| format!("{:#?}", s.as_ref())).unwrap_or_default();
            panic!("property `{name}` did not finish within {limit:?} (a hang?); the input running was:\n{input}");
        }
    }
}

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| drawcheck::compile_pack(drawcheck::DEFAULT_PACK).unwrap())
}

/// The schema's groups and fact paths (so generators follow the pack, not a copy of it).
fn group_names() -> Vec<String> {
    pack().schema.group_names().map(str::to_string).collect()
}

fn fact_paths() -> Vec<String> {
    pack().schema.facts().iter().map(|f| f.path.clone()).collect()
}

// ------------------------------------------------------------------------------------------------
// Invariants every verdict keeps, whatever the pack.
// ------------------------------------------------------------------------------------------------

fn effect_status(e: Effect) -> Option<Status> {
    match e {
        Effect::Freeze => Some(Status::Frozen),
        Effect::Block => Some(Status::Blocked),
        Effect::Pause => Some(Status::Paused),
        Effect::Limit | Effect::Cap => None,
    }
}

fn is_fen_text(s: &str) -> bool {
    let Some((int, frac)) = s.split_once('.') else { return false };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() == 2
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// Which invariants apply to a pack's verdicts.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Strictness {
    /// The default pack itself: everything POLICY.md says.
    Default,
    /// Another pack whose `[line]` is the default one (credit_limit and used are facts, never
    /// negative), so `available <= effective_limit` still holds.
    StandardLine,
    /// Any pack.
    Any,
}

impl Strictness {
    fn of(pack: &Pack) -> Strictness {
        if pack.sha256 == self::pack().sha256 {
            Strictness::Default
        } else if pack.credit_limit.source == "account.credit_limit" && pack.used.source == "account.used" {
            Strictness::StandardLine
        } else {
            Strictness::Any
        }
    }
}

/// Checks what holds for a verdict of `pack`.
fn verdict_invariants(pack: &Pack, v: &Verdict, strictness: Strictness) -> Result<(), TestCaseError> {
    let line_is_standard = strictness != Strictness::Any;
    // Amounts.
    prop_assert!(v.available.0 >= 0, "available {} < 0", v.available.plain());
    prop_assert!(v.effective_limit.0 >= 0, "effective_limit {} < 0", v.effective_limit.plain());
    if line_is_standard {
        prop_assert!(
            v.available <= v.effective_limit,
            "available {} > effective_limit {}",
            v.available.plain(),
            v.effective_limit.plain()
        );
    }
    if v.status.stops_drawing() {
        prop_assert_eq!(v.available.0, 0, "status {} but available {}", v.status.name(), v.available.plain());
    }
    let json = serde_json::to_value(v).unwrap();
    for key in ["available", "effective_limit"] {
        let text = json[key].as_str().unwrap_or("");
        prop_assert!(is_fen_text(text), "{key} is {text:?}, not a decimal with exactly 2 places");
    }
    prop_assert_eq!(json["status"].as_str(), Some(v.status.name()));

    // Reasons: known rules, each once, strongest effect first then pack order, first four principal.
    let mut last: Option<(Effect, usize)> = None;
    for (rank, r) in v.reasons.iter().enumerate() {
        let index = pack.rules.iter().position(|rule| rule.id == r.rule);
        prop_assert!(index.is_some(), "reason names rule `{}`, which the pack does not have", r.rule);
        let index = index.unwrap_or(0);
        prop_assert_eq!(pack.rules[index].effect, r.effect, "reason `{}` has the wrong effect", r.rule);
        let key = (r.effect, index);
        if let Some(prev) = last {
            prop_assert!(prev < key, "reasons out of order: {:?} then {:?} (`{}`)", prev, key, r.rule);
        }
        last = Some(key);
        prop_assert_eq!(r.principal, rank < drawcheck::verdict::PRINCIPAL_REASONS, "principal flag of `{}`", r.rule);
        if let Some(a) = r.amount {
            prop_assert!(a.0 >= 0, "reason `{}` has amount {}", r.rule, a.plain());
        }
        for t in r.until.iter().chain(r.steps.iter().filter_map(|s| s.until.as_ref())) {
            prop_assert!(OffsetDateTime::parse(t, &Rfc3339).is_ok(), "until {t:?} of `{}` is not RFC 3339", r.rule);
        }
    }

    // Status agrees with the reasons.
    let strongest = v.reasons.first().map(|r| r.effect);
    match strongest.and_then(effect_status) {
        Some(s) => prop_assert_eq!(v.status, s, "strongest reason is {:?}", strongest),
        None => {
            prop_assert!(
                matches!(v.status, Status::Incomplete | Status::Limited | Status::Eligible),
                "status {} with reasons {:?}",
                v.status.name(),
                v.reasons.iter().map(|r| &r.rule).collect::<Vec<_>>()
            );
        }
    }
    // Only rules evaluated last (they read `available` or `status`) may stay undetermined without
    // making the status incomplete; the default pack's one of them never does.
    let is_last = |id: &str| pack.rules.iter().any(|r| r.id == id && r.last);
    match v.status {
        Status::Eligible | Status::Limited => {
            prop_assert_eq!(
                v.reasons.is_empty(),
                v.status == Status::Eligible,
                "{} with reasons {:?}",
                v.status.name(),
                v.reasons
            );
            prop_assert!(v.undetermined.iter().all(|u| is_last(&u.rule)), "{}: {:?}", v.status.name(), v.undetermined);
            if strictness == Strictness::Default {
                prop_assert!(v.undetermined.is_empty() && v.missing.is_empty(), "{}: {v:#?}", v.status.name());
            }
        }
        Status::Incomplete => {
            prop_assert!(!v.undetermined.is_empty() || !v.missing.is_empty(), "incomplete with nothing missing")
        }
        _ => {}
    }

    // `missing`: sorted, no duplicates, each a fact the pack declares.
    prop_assert!(v.missing.windows(2).all(|w| w[0] < w[1]), "missing is not sorted and deduplicated: {:?}", v.missing);
    for path in &v.missing {
        prop_assert!(pack.schema.lookup(path).is_some(), "missing names `{path}`, which is not a fact");
    }
    for u in &v.undetermined {
        prop_assert!(pack.rules.iter().any(|r| r.id == u.rule), "undetermined names unknown rule `{}`", u.rule);
    }
    Ok(())
}

/// Evaluates `profile` twice per option set and checks determinism, that the trace and the locale
/// change only what they should, and the invariants. Returns the plain verdict.
fn check_all_ways(pack: &Pack, profile: &drawcheck::Profile) -> Result<Verdict, TestCaseError> {
    let plain = drawcheck::check(pack, profile, Options::default());
    let again = drawcheck::check(pack, profile, Options::default());
    prop_assert_eq!(serde_json::to_string(&plain).unwrap(), serde_json::to_string(&again).unwrap(), "two runs differ");
    verdict_invariants(pack, &plain, Strictness::of(pack))?;

    let traced = drawcheck::check(pack, profile, Options { trace: true, ..Options::default() });
    let traced_again = drawcheck::check(pack, profile, Options { trace: true, ..Options::default() });
    prop_assert_eq!(serde_json::to_string(&traced).unwrap(), serde_json::to_string(&traced_again).unwrap());
    prop_assert!(traced.trace.is_some());
    prop_assert_eq!(&Verdict { trace: None, ..traced }, &plain, "the trace changed the verdict");

    for locale in Locale::ALL {
        let v = drawcheck::check(pack, profile, Options { locale: Some(locale), ..Options::default() });
        prop_assert_eq!(v.locale, locale.tag());
        prop_assert_eq!(
            (v.status, v.available, v.effective_limit),
            (plain.status, plain.available, plain.effective_limit)
        );
        prop_assert_eq!(&v.missing, &plain.missing);
        let ids = |v: &Verdict| v.reasons.iter().map(|r| r.rule.clone()).collect::<Vec<_>>();
        prop_assert_eq!(ids(&v), ids(&plain), "the locale changed the reasons");
        for r in &v.reasons {
            prop_assert!(!r.title.is_empty() && !r.detail.is_empty(), "reason `{}` has an empty text", r.rule);
        }
    }

    // Recourse (a bounded search that re-decides changed profiles): deterministic, leaves the
    // verdict as it was, and never plans the borrower into a worse place than doing nothing.
    let planned = drawcheck::check(pack, profile, Options { recourse: true, ..Options::default() });
    let planned_again = drawcheck::check(pack, profile, Options { recourse: true, ..Options::default() });
    prop_assert_eq!(
        serde_json::to_string(&planned).unwrap(),
        serde_json::to_string(&planned_again).unwrap(),
        "two recourse runs differ"
    );
    prop_assert_eq!(&Verdict { recourse: None, ..planned.clone() }, &plain, "asking for recourse changed the verdict");
    match &planned.recourse {
        None => prop_assert_eq!(plain.status, Status::Eligible, "no plan for a {} verdict", plain.status.name()),
        Some(plan) => {
            prop_assert!(plain.status != Status::Eligible, "a plan for an eligible verdict");
            prop_assert!(
                plan.reachable >= plain.status,
                "the plan reaches {:?} from {:?}",
                plan.reachable,
                plain.status
            );
            prop_assert!(plan.available_after.0 >= 0 && plan.effective_limit_after.0 >= 0);
            if plan.reachable.stops_drawing() {
                prop_assert_eq!(plan.available_after.0, 0, "a plan reaching {:?} draws", plan.reachable);
            }
            prop_assert!(OffsetDateTime::parse(&plan.earliest, &Rfc3339).is_ok(), "earliest {:?}", plan.earliest);
        }
    }
    Ok(plain)
}

// ------------------------------------------------------------------------------------------------
// (a) Profiles: anything at all → `read_profile` returns, Ok or Err, without panicking.
// ------------------------------------------------------------------------------------------------

fn read_any(text: &str) -> Result<(), TestCaseError> {
    match drawcheck::read_profile(pack(), text) {
        Ok(profile) => {
            // Whatever is accepted can be evaluated.
            check_all_ways(pack(), &profile)?;
        }
        Err(e) => {
            prop_assert!(!e.message.is_empty(), "an error without a message");
            prop_assert!(e.line >= 1 && e.column >= 1 || text.is_empty(), "an error without a position: {e:?}");
        }
    }
    Ok(())
}

#[test]
fn profile_from_arbitrary_text() {
    property(
        "profile_from_arbitrary_text",
        256,
        || {
            prop_oneof![
                any::<String>(),
                ".{0,300}",
                // Near-JSON: a valid start, then anything.
                (".{0,80}").prop_map(|tail| format!("{{\"as_of\": \"2026-11-29T10:00:00+08:00\", {tail}")),
                proptest::collection::vec(any::<u8>(), 0..300).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
            ]
        },
        |text| read_any(&text),
    );
}

/// A JSON number from its text (kept digit for digit: serde_json has `arbitrary_precision`).
fn number(text: &str) -> Value {
    text.parse::<serde_json::Number>().map(Value::Number).unwrap_or(Value::Null)
}

fn json_leaf() -> BoxedStrategy<Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        select(vec![0i64, -1, 1, i64::MIN, i64::MAX, 17, 18, 55, 56, 90, 150, 36500, 36501]).prop_map(Value::from),
        any::<f64>().prop_map(|x| serde_json::Number::from_f64(x).map(Value::Number).unwrap_or(Value::Null)),
        // Huge, tiny, exponent and long numbers, written as JSON numbers.
        "-?[0-9]{1,60}(\\.[0-9]{1,30})?([eE][-+]?[0-9]{1,4})?".prop_map(|t| number(&t)),
        // Strings shaped like what the schema wants, and not quite.
        "-?[0-9]{0,16}(\\.[0-9]{0,4})?".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(Value::String),
        "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,12})?(Z|[-+][0-9]{2}:[0-9]{2})?"
            .prop_map(Value::String),
        "[0-9]{1,12}(\\.[0-9]{0,12}){0,6}".prop_map(Value::String),
        select(vec!["active", "frozen", "closed", "Active", "", "NaN", "Infinity", "-0", "1e3", "zh-CN", "en", "fr"])
            .prop_map(|s| Value::String(s.to_string())),
        any::<String>().prop_map(Value::String),
    ]
    .boxed()
}

/// A leaf, now and then a string long enough to pass a field's limit or the profile's.
fn json_leaf_or_long() -> BoxedStrategy<Value> {
    prop_oneof![
        20 => json_leaf(),
        1 => prop_oneof![0usize..100, 4090usize..4100, 60_000usize..70_000].prop_map(|n| Value::String("a".repeat(n))),
    ]
    .boxed()
}

fn json_key() -> BoxedStrategy<String> {
    let mut known = group_names();
    known.extend(fact_paths().iter().filter_map(|p| p.split_once('.').map(|(_, f)| f.to_string())));
    known.extend(["as_of", "locale", "$serde_json::private::Number"].map(str::to_string));
    prop_oneof![3 => select(known), 1 => "[a-z_]{0,12}", 1 => any::<String>()].boxed()
}

fn json_tree() -> impl Strategy<Value = Value> {
    json_leaf_or_long().prop_recursive(6, 96, 8, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            proptest::collection::vec((json_key(), inner), 0..8)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

#[test]
fn profile_from_arbitrary_json() {
    property(
        "profile_from_arbitrary_json",
        256,
        || (json_tree(), any::<bool>()),
        |(value, pretty)| {
            let text = if pretty { serde_json::to_string_pretty(&value) } else { serde_json::to_string(&value) };
            read_any(&text.unwrap())
        },
    );
}

/// A profile-shaped object: every group, most known fields and some unknown ones, with values of
/// any type and size.
fn wild_profile() -> impl Strategy<Value = Value> {
    let groups = group_names();
    let fields: Vec<(String, String)> =
        fact_paths().iter().filter_map(|p| p.split_once('.').map(|(g, f)| (g.to_string(), f.to_string()))).collect();
    let n = fields.len();
    (
        prop_oneof![Just(Value::String("2026-11-29T10:00:00+08:00".into())), Just(Value::Null), json_leaf(),],
        proptest::option::of(json_leaf()),
        proptest::collection::vec(
            proptest::option::weighted(0.8, prop_oneof![8 => json_leaf_or_long(), 1 => json_tree().boxed()]),
            n,
        ),
        proptest::collection::vec((select(groups), json_key(), json_leaf()), 0..3),
        proptest::collection::vec(any::<bool>(), n),
    )
        .prop_map(move |(as_of, locale, values, extra, nulls)| {
            let mut root = Map::new();
            root.insert("as_of".into(), as_of);
            if let Some(l) = locale {
                root.insert("locale".into(), l);
            }
            for (((group, field), value), null_group) in fields.iter().zip(values).zip(nulls) {
                let entry = root.entry(group.clone()).or_insert_with(|| json!({}));
                if null_group && field.len() % 7 == 0 {
                    *entry = Value::Null;
                }
                if let (Some(obj), Some(v)) = (entry.as_object_mut(), value) {
                    obj.insert(field.clone(), v);
                }
            }
            for (group, key, value) in extra {
                if let Some(obj) = root.entry(group).or_insert_with(|| json!({})).as_object_mut() {
                    obj.insert(key, value);
                }
            }
            Value::Object(root)
        })
}

#[test]
fn profile_shaped_json_with_wild_values() {
    property("profile_shaped_json_with_wild_values", 128, wild_profile, |value| {
        read_any(&serde_json::to_string(&value).unwrap())
    });
}

#[test]
fn deeply_nested_profiles_are_refused_not_overflowed() {
    property(
        "deeply_nested_profiles_are_refused_not_overflowed",
        24,
        || {
            let shapes = vec![("[", "]"), ("{\"a\":", "}"), ("{\"account\":", "}"), ("[{\"x\":", "}]")];
            (1usize..20_000, select(shapes), any::<bool>())
        },
        |(depth, (open, close), in_fact)| {
            let body = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let text = if in_fact {
                format!("{{\"as_of\":\"2026-11-29T10:00:00+08:00\",\"account\":{{\"age\":{body}}}}}")
            } else {
                body
            };
            read_any(&text)
        },
    );
}

// ------------------------------------------------------------------------------------------------
// (b) Packs: arbitrary text and mutated default packs → `compile_pack` returns; what compiles runs.
// ------------------------------------------------------------------------------------------------

/// Profiles every compiled pack is evaluated on.
fn probe_profiles(pack: &Pack) -> Vec<drawcheck::Profile> {
    let texts = [
        include_str!("profiles/contract-example.json").to_string(),
        r#"{"as_of": "2026-11-29T10:00:00+08:00"}"#.to_string(),
        // Many reasons at once.
        r#"{"as_of": "2026-12-06T02:00:00+08:00", "locale": "en",
            "account": {"status": "active", "credit_limit": "300000.00", "used": "300000.00", "kyc_verified": false,
                        "id_expiry": "2020-01-01", "age": 17, "region": "CN-HI", "app_version": "7.9", "segment": "C"},
            "credit": {"overdue_days": 95, "overdue_amount": "1234.56", "overdue_episodes_12m": 4,
                       "last_overdue_cleared_at": "2026-11-20", "court_enforcement_listed": true,
                       "bureau_blacklisted": true, "multi_lender_count_3m": 9},
            "behavior": {"login_failures_24h": 7, "last_login_failure_at": "2026-12-06T01:30:00+08:00",
                         "new_device_unverified": true, "requests_last_hour": 99},
            "capacity": {"monthly_income": "0.00", "income_verified": false, "monthly_debt_payments": "10.00"},
            "request": {"amount": "999999999999.99"}}"#
            .to_string(),
    ];
    texts.iter().filter_map(|t| drawcheck::read_profile(pack, t).ok()).collect()
}

fn compile_any(text: &str) -> Result<(), TestCaseError> {
    match drawcheck::compile_pack(text) {
        Ok(pack) => {
            for w in &pack.warnings {
                prop_assert!(w.line >= 1 && w.column >= 1, "a warning without a position: {w:?}");
            }
            for profile in probe_profiles(&pack) {
                check_all_ways(&pack, &profile)?;
            }
        }
        Err(diags) => {
            prop_assert!(!diags.is_empty(), "a pack refused without a diagnostic");
            prop_assert!(diags.iter().any(|d| d.severity == drawcheck::Severity::Error), "refused without an error");
            for d in &diags {
                prop_assert!(!d.message.is_empty(), "a diagnostic without a message");
                prop_assert!(d.line >= 1 && d.column >= 1, "a diagnostic without a position: {d:?}");
                prop_assert!(
                    (d.line, d.column) <= (d.end_line, d.end_column),
                    "a diagnostic ends before it starts: {d:?}"
                );
                prop_assert!(d.line <= text.lines().count() + 1, "a diagnostic past the end: {d:?}");
            }
        }
    }
    Ok(())
}

#[test]
fn pack_from_arbitrary_text() {
    property(
        "pack_from_arbitrary_text",
        256,
        || {
            prop_oneof![
                any::<String>(),
                "(\\[\\[?[a-z.]{0,10}\\]\\]?|[a-z_.]{0,8} ?= ?[\"'\\[{0-9a-z., }\\]]{0,20}|#.{0,10}|)(\n(\\[\\[?[a-z.]{0,10}\\]\\]?|[a-z_.]{0,8} ?= ?[\"'\\[{0-9a-z., }\\]]{0,20}|#.{0,10}|)){0,20}",
            ]
        },
        |text| compile_any(&text),
    );
}

/// Interesting replacements for a number in the pack.
const NUMBERS: [&str; 16] = [
    "0",
    "-1",
    "1",
    "0.0",
    "-0.5",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "99999999999999999999999999999999999999999",
    "1e400",
    "0.0000000000000000000001",
    "nan",
    "inf",
    "1_000",
    "0x10",
    "999999999999.999",
];

/// Characters that break TOML, templates and expressions.
const NASTY: [&str; 24] = [
    "\"", "'", "{", "}", "[", "]", "=", ".", "#", "\n", "\\", " ", "0", "9", "-", "_", "a", "é", "“", "{{", "}}",
    "'''", "\"\"\"", "\u{0}",
];

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(Index),
    DuplicateLine(Index),
    SwapLines(Index, Index),
    ReplaceLine(Index, String),
    CopyLineOver(Index, Index),
    DeleteChar(Index),
    InsertChar(Index, &'static str),
    ReplaceNumber(Index, &'static str),
    BreakQuote(Index),
    Truncate(Index),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let any_line = ".{0,40}";
    prop_oneof![
        3 => any::<Index>().prop_map(Mutation::DeleteLine),
        2 => any::<Index>().prop_map(Mutation::DuplicateLine),
        1 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<Index>(), any_line).prop_map(|(a, s)| Mutation::ReplaceLine(a, s)),
        2 => (any::<Index>(), any::<Index>()).prop_map(|(a, b)| Mutation::CopyLineOver(a, b)),
        3 => any::<Index>().prop_map(Mutation::DeleteChar),
        3 => (any::<Index>(), select(NASTY.to_vec())).prop_map(|(a, s)| Mutation::InsertChar(a, s)),
        4 => (any::<Index>(), select(NUMBERS.to_vec())).prop_map(|(a, s)| Mutation::ReplaceNumber(a, s)),
        3 => any::<Index>().prop_map(Mutation::BreakQuote),
        1 => any::<Index>().prop_map(Mutation::Truncate),
    ]
}

/// Byte offsets of char boundaries, for character-level mutations.
fn boundaries(s: &str) -> Vec<usize> {
    s.char_indices().map(|(i, _)| i).chain([s.len()]).collect()
}

fn apply(text: &str, m: &Mutation) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let joined = |lines: &[String]| lines.join("\n");
    match m {
        Mutation::DeleteLine(i) if !lines.is_empty() => {
            lines.remove(i.index(lines.len()));
            joined(&lines)
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let at = i.index(lines.len());
            lines.insert(at, lines[at].clone());
            joined(&lines)
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines.swap(a, b);
            joined(&lines)
        }
        Mutation::ReplaceLine(i, s) if !lines.is_empty() => {
            let at = i.index(lines.len());
            lines[at] = s.clone();
            joined(&lines)
        }
        Mutation::CopyLineOver(a, b) if !lines.is_empty() => {
            let (a, b) = (a.index(lines.len()), b.index(lines.len()));
            lines[b] = lines[a].clone();
            joined(&lines)
        }
        Mutation::DeleteChar(i) if !text.is_empty() => {
            let b = boundaries(text);
            let at = i.index(b.len() - 1);
            format!("{}{}", &text[..b[at]], &text[b[at + 1]..])
        }
        Mutation::InsertChar(i, s) => {
            let b = boundaries(text);
            let at = b[i.index(b.len())];
            format!("{}{s}{}", &text[..at], &text[at..])
        }
        Mutation::ReplaceNumber(i, s) => {
            let spans = number_spans(text);
            if spans.is_empty() {
                return text.to_string();
            }
            let (start, end) = spans[i.index(spans.len())];
            format!("{}{s}{}", &text[..start], &text[end..])
        }
        Mutation::BreakQuote(i) => {
            let quotes: Vec<usize> = text.match_indices(['"', '\'']).map(|(p, _)| p).collect();
            if quotes.is_empty() {
                return text.to_string();
            }
            let at = quotes[i.index(quotes.len())];
            format!("{}{}", &text[..at], &text[at + 1..])
        }
        Mutation::Truncate(i) => {
            let b = boundaries(text);
            text[..b[i.index(b.len())]].to_string()
        }
        _ => text.to_string(),
    }
}

/// Byte ranges of the digit runs (with their decimals) in `text`.
fn number_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'.') {
                i += 1;
            }
            out.push((start, i));
        } else {
            i += 1;
        }
    }
    out
}

#[test]
fn mutated_default_pack() {
    property(
        "mutated_default_pack",
        64,
        || proptest::collection::vec(mutation(), 1..5),
        |mutations| {
            let mut text = drawcheck::DEFAULT_PACK.to_string();
            for m in &mutations {
                text = apply(&text, m);
            }
            compile_any(&text)
        },
    );
}

// ---- Packs whose rules are generated, well-typed-ish expressions: these reach the evaluator. ----

#[derive(Clone, Copy, Debug)]
enum Ty {
    Bool,
    Num,
    Money,
    Date,
    DateTime,
    Dur,
    Str,
    Ver,
}

fn leaf(ty: Ty) -> BoxedStrategy<String> {
    let pick = |xs: &[&'static str]| select(xs.to_vec()).prop_map(str::to_string).boxed();
    match ty {
        Ty::Bool => prop_oneof![
            pick(&[
                "true",
                "false",
                "account.kyc_verified",
                "capacity.income_verified",
                "credit.court_enforcement_listed",
                "credit.bureau_blacklisted",
                "behavior.new_device_unverified",
            ]),
            select(fact_paths()).prop_map(|p| format!("has({p})")),
        ]
        .boxed(),
        Ty::Num => prop_oneof![
            pick(&[
                "credit.overdue_days",
                "account.age",
                "credit.overdue_episodes_12m",
                "credit.multi_lender_count_3m",
                "behavior.login_failures_24h",
                "behavior.requests_last_hour",
                "params.multi_lender_max",
                "params.dti_max",
                "params.repeated_overdue_factor",
                "params.segment_factors[account.segment]",
                "params.segment_factors[\"C\"]",
                "params.segment_factors[\"Z\"]",
            ]),
            pick(&[
                "0",
                "1",
                "-1",
                "0.5",
                "9223372036854775807",
                "922337.2036854775808",
                "18446744073709551616.0",
                "0.000000000000000001",
                "99999999999999999999.999999999999999999",
                "170141183460469231731687303715884105727.0",
            ]),
            any::<i64>().prop_map(|n| n.unsigned_abs().to_string()),
            "[0-9]{1,38}\\.[0-9]{1,18}",
        ]
        .boxed(),
        Ty::Money => pick(&[
            "account.credit_limit",
            "account.used",
            "credit.overdue_amount",
            "capacity.monthly_income",
            "capacity.monthly_debt_payments",
            "request.amount",
            "params.regulatory_max",
            "params.recent_overdue_cap",
            "money(\"0.00\")",
            "money(\"999999999999.99\")",
            "available",
        ]),
        Ty::Date => pick(&[
            "account.id_expiry",
            "credit.last_overdue_cleared_at",
            "date(as_of)",
            "date(\"9999-12-31\")",
            "date(\"0000-01-01\")",
            "date(params.segment_effective)",
            "never",
        ]),
        Ty::DateTime => pick(&[
            "as_of",
            "behavior.last_login_failure_at",
            "params.segment_effective",
            "datetime(\"9999-12-31T23:59:59+14:00\")",
            "datetime(\"0000-01-01T00:00:00-12:00\")",
            "window_end(params.maintenance_windows, as_of)",
        ]),
        Ty::Dur => prop_oneof![
            pick(&["1s", "24h", "30d", "999999999d", "999999999s", "0d"]),
            (0u32..1_000_000_000, select(vec!["d", "h", "m", "s"])).prop_map(|(n, u)| format!("{n}{u}")),
        ]
        .boxed(),
        Ty::Str => {
            pick(&["account.region", "account.segment", "\"CN-HI\"", "\"C\"", "\"\"", "status", "account.status"])
        }
        Ty::Ver => pick(&[
            "account.app_version",
            "params.min_app_version",
            "version(\"8.0.0\")",
            "version(\"999999999.999999999.999999999.999999999\")",
        ]),
    }
}

fn gen(ty: Ty, depth: u32) -> BoxedStrategy<String> {
    if depth == 0 {
        return leaf(ty);
    }
    let d = depth - 1;
    let bin = |a: BoxedStrategy<String>, ops: &[&'static str], b: BoxedStrategy<String>| {
        (a, select(ops.to_vec()), b).prop_map(|(a, op, b)| format!("({a} {op} {b})")).boxed()
    };
    let cmp = ["==", "!=", "<", "<=", ">", ">="];
    let call2 = |f: &'static [&'static str], a: BoxedStrategy<String>, b: BoxedStrategy<String>| {
        (select(f.to_vec()), a, b).prop_map(|(f, a, b)| format!("{f}({a}, {b})")).boxed()
    };
    let composite: BoxedStrategy<String> = match ty {
        Ty::Bool => prop_oneof![
            bin(gen(Ty::Bool, d), &["&&", "||"], gen(Ty::Bool, d)),
            gen(Ty::Bool, d).prop_map(|a| format!("!{a}")),
            bin(gen(Ty::Num, d), &cmp, gen(Ty::Num, d)),
            bin(gen(Ty::Money, d), &cmp, gen(Ty::Money, d)),
            bin(gen(Ty::Money, d), &cmp, gen(Ty::Num, d)),
            bin(gen(Ty::Date, d), &cmp, gen(Ty::Date, d)),
            bin(gen(Ty::DateTime, d), &cmp, gen(Ty::DateTime, d)),
            bin(gen(Ty::Ver, d), &cmp, gen(Ty::Ver, d)),
            bin(gen(Ty::Dur, d), &cmp, gen(Ty::Dur, d)),
            bin(gen(Ty::Str, d), &["==", "!="], gen(Ty::Str, d)),
            gen(Ty::Str, d).prop_map(|s| format!("{s} in params.paused_regions")),
            gen(Ty::Str, d).prop_map(|s| format!("{s} in params.segment_factors")),
            gen(Ty::Str, d).prop_map(|s| format!("{s} in [\"CN-HI\", \"C\", account.region]")),
            gen(Ty::Num, d).prop_map(|s| format!("{s} in [0, 1.5, credit.overdue_days]")),
            gen(Ty::DateTime, d).prop_map(|s| format!("{s} in params.maintenance_windows")),
        ]
        .boxed(),
        Ty::Num => prop_oneof![
            bin(gen(Ty::Num, d), &["+", "-", "*", "/"], gen(Ty::Num, d)),
            gen(Ty::Num, d).prop_map(|a| format!("-{a}")),
            call2(&["min", "max"], gen(Ty::Num, d), gen(Ty::Num, d)),
            bin(gen(Ty::Money, d), &["/"], gen(Ty::Money, d)),
        ]
        .boxed(),
        Ty::Money => prop_oneof![
            bin(gen(Ty::Money, d), &["+", "-"], gen(Ty::Money, d)),
            bin(gen(Ty::Money, d), &["*", "/"], gen(Ty::Num, d)),
            bin(gen(Ty::Num, d), &["*"], gen(Ty::Money, d)),
            call2(&["min", "max"], gen(Ty::Money, d), gen(Ty::Money, d)),
            (select(vec!["floor_fen", "ceil_fen"]), gen(Ty::Money, d)).prop_map(|(f, a)| format!("{f}({a})")),
            gen(Ty::Money, d).prop_map(|a| format!("-{a}")),
        ]
        .boxed(),
        Ty::Date => prop_oneof![
            bin(gen(Ty::Date, d), &["+", "-"], gen(Ty::Dur, d)),
            call2(&["min", "max"], gen(Ty::Date, d), gen(Ty::Date, d)),
            gen(Ty::DateTime, d).prop_map(|t| format!("date({t})")),
        ]
        .boxed(),
        Ty::DateTime => prop_oneof![
            bin(gen(Ty::DateTime, d), &["+", "-"], gen(Ty::Dur, d)),
            call2(&["min", "max"], gen(Ty::DateTime, d), gen(Ty::DateTime, d)),
        ]
        .boxed(),
        Ty::Dur => prop_oneof![
            bin(gen(Ty::Dur, d), &["+", "-"], gen(Ty::Dur, d)),
            gen(Ty::Dur, d).prop_map(|a| format!("-{a}")),
        ]
        .boxed(),
        Ty::Str | Ty::Ver => leaf(ty),
    };
    prop_oneof![1 => leaf(ty), 2 => composite].boxed()
}

fn any_ty() -> impl Strategy<Value = Ty> {
    select(vec![Ty::Bool, Ty::Num, Ty::Money, Ty::Date, Ty::DateTime, Ty::Dur, Ty::Str, Ty::Ver])
}

#[derive(Clone, Debug)]
struct GenRule {
    effect: &'static str,
    when: String,
    amount: String,
    until: String,
    shown: String,
    step_amount: String,
    step_until: String,
}

fn gen_rule() -> impl Strategy<Value = GenRule> {
    (
        select(vec!["freeze", "block", "pause", "limit", "cap"]),
        gen(Ty::Bool, 3),
        gen(Ty::Money, 3),
        prop_oneof![gen(Ty::DateTime, 2), gen(Ty::Date, 2)],
        any_ty().prop_flat_map(|t| gen(t, 2)),
        gen(Ty::Money, 2),
        gen(Ty::Date, 2),
    )
        .prop_map(|(effect, when, amount, until, shown, step_amount, step_until)| GenRule {
            effect,
            when,
            amount,
            until,
            shown,
            step_amount,
            step_until,
        })
}

/// The default pack's header, facts and params, with generated rules after them.
fn pack_with(rules: &[GenRule]) -> String {
    let start = drawcheck::DEFAULT_PACK.find("\n[[rules]]").map_or(0, |i| i + 1);
    let head = &drawcheck::DEFAULT_PACK[..start];
    let mut text = head.to_string();
    for (i, r) in rules.iter().enumerate() {
        let amount =
            if matches!(r.effect, "limit" | "cap") { format!("amount = '''{}'''\n", r.amount) } else { String::new() };
        text.push_str(&format!(
            "[[rules]]\nid = \"gen_{i}\"\nwhen = '''{when}'''\neffect = \"{effect}\"\nscope = \"individual\"\n{amount}\
             until = '''{until}'''\ntitle.en = 't {{{shown}}}'\ntitle.zh-CN = \"t\"\ndetail.en = \"d {{until}}\"\n\
             detail.zh-CN = \"d\"\n[rules.let]\nshown = '''{shown}'''\n[[rules.steps]]\naction = \"wait\"\n\
             amount = '''{step_amount}'''\nuntil = '''{step_until}'''\ntext.en = \"{{shown}} {{amount}} {{until}}\"\n\
             text.zh-CN = \"{{amount}}\"\n\n",
            when = r.when,
            effect = r.effect,
            until = r.until,
            shown = r.shown,
            step_amount = r.step_amount,
            step_until = r.step_until,
        ));
    }
    text
}

#[test]
fn packs_with_generated_expressions() {
    use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
    static TRIED: AtomicU32 = AtomicU32::new(0);
    static COMPILED: AtomicU32 = AtomicU32::new(0);
    static FIRED: AtomicU32 = AtomicU32::new(0);
    assert!(drawcheck::compile_pack(&pack_with(&[])).is_ok(), "the generated packs' header does not compile");
    property(
        "packs_with_generated_expressions",
        96,
        || (proptest::collection::vec(gen_rule(), 1..4), proptest::collection::vec(valid_profile(), 1..3)),
        |(rules, profiles)| {
            let text = pack_with(&rules);
            TRIED.fetch_add(1, Relaxed);
            let Ok(p) = drawcheck::compile_pack(&text) else { return compile_any(&text) };
            COMPILED.fetch_add(1, Relaxed);
            for spec in &profiles {
                let profile = read(&spec.json())?;
                let v = check_all_ways(&p, &profile)?;
                if !v.reasons.is_empty() {
                    FIRED.fetch_add(1, Relaxed);
                }
            }
            Ok(())
        },
    );
    // The generator is only worth its time if its packs reach the evaluator.
    let (tried, compiled, fired) = (TRIED.load(Relaxed), COMPILED.load(Relaxed), FIRED.load(Relaxed));
    eprintln!("generated packs: {tried} tried, {compiled} compiled, {fired} verdicts with reasons");
    assert!(compiled * 4 >= tried, "only {compiled} of {tried} generated packs compiled");
}

// ------------------------------------------------------------------------------------------------
// (c) Expressions and exact arithmetic.
// ------------------------------------------------------------------------------------------------

fn parse_any(src: &str) -> Result<(), TestCaseError> {
    match expr::parse(src) {
        Ok(e) => {
            // Node ids are unique (the trace keys values by them); spans lie inside the source and
            // each child's inside its parent's.
            let mut ids = Vec::new();
            let mut stack = vec![&e];
            while let Some(node) = stack.pop() {
                ids.push(node.id);
                let (s, t) = (node.span.start as usize, node.span.end as usize);
                prop_assert!(s <= t && t <= src.len(), "span {s}..{t} outside a source of {} bytes", src.len());
                prop_assert!(src.is_char_boundary(s) && src.is_char_boundary(t), "span {s}..{t} splits a character");
                for child in node.children() {
                    prop_assert!(
                        node.span.start <= child.span.start && child.span.end <= node.span.end,
                        "child span {:?} outside parent span {:?}",
                        child.span,
                        node.span
                    );
                    stack.push(child);
                }
            }
            let n = ids.len();
            ids.sort_unstable();
            ids.dedup();
            prop_assert_eq!(ids.len(), n, "node ids repeat");
        }
        Err(err) => {
            let (s, t) = (err.span.start as usize, err.span.end as usize);
            prop_assert!(s <= t && t <= src.len(), "error span {s}..{t} outside a source of {} bytes", src.len());
            prop_assert!(src.is_char_boundary(s) && src.is_char_boundary(t), "error span {s}..{t} splits a character");
            prop_assert!(!err.message.is_empty());
        }
    }
    Ok(())
}

const TOKENS: [&str; 48] = [
    "a",
    "credit.overdue_days",
    "params.x",
    "as_of",
    "available",
    "status",
    "never",
    "true",
    "false",
    "in",
    "has",
    "date",
    "min",
    "window_end",
    "(",
    ")",
    "[",
    "]",
    ",",
    ".",
    "!",
    "-",
    "+",
    "*",
    "/",
    "&&",
    "||",
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "=",
    "&",
    "|",
    "0",
    "18",
    "0.5",
    "30d",
    "24h",
    "1.5h",
    "\"x\"",
    "'y'",
    "\"",
    "\\",
    "é",
    " ",
];

#[test]
fn expression_parse_arbitrary() {
    property(
        "expression_parse_arbitrary",
        512,
        || {
            prop_oneof![
                any::<String>(),
                proptest::collection::vec(select(TOKENS.to_vec()), 0..60).prop_map(|t| t.join(" ")),
                proptest::collection::vec(select(TOKENS.to_vec()), 0..60).prop_map(|t| t.concat()),
                any_ty().prop_flat_map(|t| gen(t, 4)),
                // Long and deep.
                (1usize..3000, select(vec!["(", "!", "-", "[", "a[", "f(", "- -"]))
                    .prop_map(|(n, open)| format!("{}1", open.repeat(n))),
                (1usize..1200).prop_map(|n| "a || ".repeat(n) + "a"),
                (1usize..1200).prop_map(|n| "1 + ".repeat(n) + "1"),
            ]
        },
        |src| parse_any(&src),
    );
}

/// Mantissas at the edges of what an i128 holds, and plain ones.
fn edge_dec() -> impl Strategy<Value = Dec> {
    let mantissa = prop_oneof![
        select(vec![0i128, 1, -1, 2, -2, 10, i128::MAX, i128::MIN, i128::MAX / 10, i128::MIN / 10, i128::MIN + 1]),
        (0u32..127, any::<bool>()).prop_map(|(k, neg)| if neg { -(1i128 << k) } else { 1i128 << k }),
        (0u32..38).prop_map(|k| 10i128.pow(k)),
        any::<i128>(),
        any::<i64>().prop_map(i128::from),
    ];
    // Scales a checked expression can reach: literals have at most 18 decimals, products at most 36.
    (mantissa, 0u32..=36).prop_map(|(m, s)| Dec::new(m, s))
}

#[test]
fn exact_arithmetic_never_panics() {
    property(
        "exact_arithmetic_never_panics",
        1024,
        || (edge_dec(), edge_dec()),
        |(a, b)| {
            let _ = (a.checked_add(b), a.checked_sub(b), a.checked_mul(b), a.checked_div(b), a.checked_neg());
            let _ = (a.cmp_exact(b), a.floor_to(2), a.ceil_to(2), a.to_fen_floor(), a.to_string());
            if let Ok(q) = a.checked_div(b) {
                prop_assert!(q.scale() <= 36 || q.is_zero(), "a quotient at scale {}", q.scale());
            }
            let _ = drawcheck::i18n::money(a);
            Ok(())
        },
    );
}

/// Regression: `x / -1` where x's mantissa is i128::MIN overflowed the division and panicked
/// (found by `exact_arithmetic_never_panics`); reachable from a pack's expressions.
#[test]
fn division_overflow_is_a_fault_not_a_panic() {
    let min_at_scale_13 = Dec::new(i128::MIN, 13);
    assert!(min_at_scale_13.checked_div(Dec::new(-1, 0)).is_err());
    let text = pack_with(&[GenRule {
        effect: "block",
        when: "922337.2036854775808 * -18446744073709551616.0 / -1 > 0".into(),
        amount: String::new(),
        until: "as_of".into(),
        shown: "1".into(),
        step_amount: "account.used".into(),
        step_until: "date(as_of)".into(),
    }]);
    let pack = drawcheck::compile_pack(&text).unwrap_or_else(|d| panic!("{d:#?}\n{text}"));
    let profile = drawcheck::read_profile(&pack, include_str!("profiles/contract-example.json")).unwrap();
    let v = drawcheck::check(&pack, &profile, Options::default());
    assert_eq!(v.status, Status::Incomplete);
    assert_eq!(v.undetermined.len(), 1, "{:?}", v.undetermined);
}

/// Regression: showing an amount too large for its fen to fit (the fen saturate at i128::MIN)
/// negated i128::MIN and panicked (found by `exact_arithmetic_never_panics`); a template could do it.
#[test]
fn an_enormous_negative_amount_in_a_text_is_shown_not_panicked() {
    assert!(drawcheck::i18n::money(Dec::new(i128::MIN, 0)).starts_with("-¥"));
    assert_eq!(drawcheck::i18n::money(Dec::new(-500, 2)), "-¥5.00");
    let text = pack_with(&[GenRule {
        effect: "block",
        when: "true".into(),
        amount: String::new(),
        until: "as_of".into(),
        shown: "money(\"1.00\") * -10000000000000000000000000000000000000.0".into(),
        step_amount: "account.used".into(),
        step_until: "date(as_of)".into(),
    }]);
    let pack = drawcheck::compile_pack(&text).unwrap_or_else(|d| panic!("{d:#?}\n{text}"));
    let profile = drawcheck::read_profile(&pack, include_str!("profiles/contract-example.json")).unwrap();
    let v = drawcheck::check(&pack, &profile, Options { locale: Some(Locale::En), trace: true, ..Options::default() });
    assert!(v.reasons[0].title.starts_with("t -¥"), "{}", v.reasons[0].title);
}

/// Regression (found by `packs_with_generated_expressions`): a limit rule whose amount divides by
/// `behavior.login_failures_24h`; waiting lets that count lapse to 0, the rule becomes undetermined
/// (division by zero) and so "stops firing", and the planner offered that wait as the plan, from
/// `limited` to `incomplete`. A plan never leaves the borrower worse off than doing nothing.
#[test]
fn a_plan_never_leaves_the_borrower_worse_off() {
    let text = pack_with(&[GenRule {
        effect: "limit",
        when: "has(account.credit_limit)".into(),
        amount: "(account.credit_limit / behavior.login_failures_24h)".into(),
        until: "date(datetime(\"9999-12-31T23:59:59+14:00\"))".into(),
        shown: "true".into(),
        step_amount: "account.credit_limit".into(),
        step_until: "account.id_expiry".into(),
    }]);
    let pack = drawcheck::compile_pack(&text).unwrap_or_else(|d| panic!("{d:#?}"));
    let spec = Spec {
        as_of: (1794672000, 480),
        locale: Slot::Absent,
        status: Slot::Absent,
        credit_limit: Slot::Given(Money { fen: 0, style: 0 }),
        used: Slot::Given(Rel::Of { num: 0, den: 1, delta: 0 }),
        kyc_verified: Slot::Absent,
        id_expiry: Slot::Absent,
        age: Slot::Absent,
        region: Slot::Absent,
        app_version: Slot::Absent,
        segment: Slot::Absent,
        overdue_days: Slot::Absent,
        overdue_amount: Slot::Absent,
        overdue_episodes_12m: Slot::Absent,
        last_overdue_cleared_at: Slot::Given(Day::Rel(-7)),
        court_enforcement_listed: Slot::Given(false),
        bureau_blacklisted: Slot::Given(false),
        multi_lender_count_3m: Slot::Given(6),
        login_failures_24h: Slot::Given(12696),
        last_login_failure_at: Slot::Given(152140),
        new_device_unverified: Slot::Given(false),
        requests_last_hour: Slot::Absent,
        monthly_income: Slot::Given(Money { fen: 75161194783697, style: 1 }),
        income_verified: Slot::Given(true),
        monthly_debt_payments: Slot::Null,
        amount: Slot::Given(Money { fen: 500001, style: 1 }),
    };
    let profile = drawcheck::read_profile(&pack, &spec.json().to_string()).unwrap();
    let v = drawcheck::check(&pack, &profile, Options { recourse: true, ..Options::default() });
    assert_eq!(v.status, Status::Limited);
    let plan = v.recourse.unwrap();
    assert_eq!(plan.reachable, Status::Limited, "{plan:#?}");
    assert!(plan.steps.is_empty(), "{plan:#?}");
}

/// Regression (found by `packs_with_generated_expressions`): a freeze rule whose `let` read
/// `available` was evaluated last, after the status was settled, so it was listed as the strongest
/// reason of a `limited` verdict with money available. Only a cap rule may read the verdict.
#[test]
fn only_a_cap_rule_may_read_the_verdict() {
    for effect in ["freeze", "block", "pause", "limit"] {
        let text = pack_with(&[GenRule {
            effect,
            when: "account.kyc_verified".into(),
            amount: "account.credit_limit".into(),
            until: "date(as_of)".into(),
            shown: "--available".into(),
            step_amount: "account.used".into(),
            step_until: "date(as_of)".into(),
        }]);
        let diags = drawcheck::compile_pack(&text).err().unwrap_or_else(|| panic!("a {effect} rule read `available`"));
        assert!(diags.iter().any(|d| d.message.contains("cannot read `available` or `status`")), "{diags:#?}");
    }
    let cap = pack_with(&[GenRule {
        effect: "cap",
        when: "account.kyc_verified".into(),
        amount: "available".into(),
        until: "date(as_of)".into(),
        shown: "--available".into(),
        step_amount: "account.used".into(),
        step_until: "date(as_of)".into(),
    }]);
    drawcheck::compile_pack(&cap).unwrap_or_else(|d| panic!("{d:#?}"));
}

// ------------------------------------------------------------------------------------------------
// (d) Verdicts of valid, contract-shaped profiles.
// ------------------------------------------------------------------------------------------------

/// A field that may be left out or given as null.
#[derive(Clone, Debug)]
enum Slot<T> {
    Absent,
    Null,
    Given(T),
}

fn slot<T: Clone + Debug + 'static>(s: impl Strategy<Value = T> + 'static) -> BoxedStrategy<Slot<T>> {
    prop_oneof![1 => Just(Slot::Absent), 1 => Just(Slot::Null), 12 => s.prop_map(Slot::Given)].boxed()
}

/// An amount in fen, written as a string (`"12.30"`, `"12.3"`, `"12"`) or a JSON number.
#[derive(Clone, Copy, Debug)]
struct Money {
    fen: i64,
    style: u8,
}

impl Money {
    fn json(self) -> Value {
        let (int, frac) = (self.fen / 100, self.fen % 100);
        let text = match self.style % 4 {
            0 => format!("{int}.{frac:02}"),
            1 if frac % 10 == 0 => format!("{int}.{}", frac / 10),
            2 if frac == 0 => format!("{int}"),
            _ => format!("{int}.{frac:02}"),
        };
        if self.style >= 4 {
            number(&text)
        } else {
            Value::String(text)
        }
    }
}

const MAX_FEN: i64 = 99_999_999_999_999;

fn money_near(points: &'static [i64]) -> impl Strategy<Value = Money> {
    let fen = prop_oneof![
        3 => select(points.to_vec()).prop_flat_map(|p| (-2i64..=2).prop_map(move |d| (p + d).clamp(0, MAX_FEN))),
        2 => 0i64..50_000_000,
        1 => Just(MAX_FEN),
        1 => 0..=MAX_FEN,
    ];
    (fen, 0u8..8).prop_map(|(fen, style)| Money { fen, style })
}

/// An amount relative to another one of the profile (used vs limit, debt vs income).
#[derive(Clone, Copy, Debug)]
enum Rel {
    /// `base × num / den + delta` fen.
    Of {
        num: i64,
        den: i64,
        delta: i64,
    },
    Abs(Money),
}

fn rel() -> impl Strategy<Value = Rel> {
    prop_oneof![
        3 => (select(vec![(0, 1), (1, 2), (1, 1), (2, 1), (1, 3)]), -2i64..=2)
            .prop_map(|((num, den), delta)| Rel::Of { num, den, delta }),
        1 => money_near(&[0, 100_000, 2_000_000]).prop_map(Rel::Abs),
    ]
}

impl Rel {
    fn resolve(self, base: Option<Money>) -> Money {
        match self {
            Rel::Abs(m) => m,
            Rel::Of { num, den, delta } => {
                let b = base.map_or(0, |m| m.fen);
                let fen =
                    (i128::from(b) * i128::from(num) / i128::from(den) + i128::from(delta)).clamp(0, MAX_FEN.into());
                Money { fen: fen as i64, style: base.map_or(0, |m| m.style) }
            }
        }
    }
}

/// Days relative to `date(as_of)`, or a date at the ends of the calendar.
#[derive(Clone, Copy, Debug)]
enum Day {
    Rel(i64),
    Fixed(&'static str),
}

fn day(near: &'static [i64]) -> impl Strategy<Value = Day> {
    prop_oneof![
        4 => select(near.to_vec()).prop_map(Day::Rel),
        2 => (-4000i64..4000).prop_map(Day::Rel),
        1 => select(vec!["0000-01-01", "9999-12-31", "2028-02-29"]).prop_map(Day::Fixed),
    ]
}

/// Instants that matter to the default pack's rules (segment_effective, the maintenance window).
fn as_of_instants() -> Vec<i64> {
    let t = |s: &str| OffsetDateTime::parse(s, &Rfc3339).unwrap().unix_timestamp();
    vec![
        t("2026-11-15T00:00:00+08:00"),
        t("2026-11-29T10:00:00+08:00"),
        t("2026-12-06T01:00:00+08:00"),
        t("2026-12-06T05:00:00+08:00"),
        t("2026-12-31T23:59:59+08:00"),
    ]
}

#[derive(Clone, Debug)]
struct Spec {
    /// Unix time and offset (minutes) of `as_of`.
    as_of: (i64, i32),
    locale: Slot<&'static str>,
    status: Slot<&'static str>,
    credit_limit: Slot<Money>,
    used: Slot<Rel>,
    kyc_verified: Slot<bool>,
    id_expiry: Slot<Day>,
    age: Slot<i64>,
    region: Slot<String>,
    app_version: Slot<&'static str>,
    segment: Slot<&'static str>,
    overdue_days: Slot<i64>,
    overdue_amount: Slot<Money>,
    overdue_episodes_12m: Slot<i64>,
    last_overdue_cleared_at: Slot<Day>,
    court_enforcement_listed: Slot<bool>,
    bureau_blacklisted: Slot<bool>,
    multi_lender_count_3m: Slot<i64>,
    login_failures_24h: Slot<i64>,
    /// Seconds relative to `as_of`.
    last_login_failure_at: Slot<i64>,
    new_device_unverified: Slot<bool>,
    requests_last_hour: Slot<i64>,
    monthly_income: Slot<Money>,
    income_verified: Slot<bool>,
    monthly_debt_payments: Slot<Rel>,
    amount: Slot<Money>,
}

fn near_int(points: &'static [i64], lo: i64, hi: i64) -> BoxedStrategy<i64> {
    prop_oneof![3 => select(points.to_vec()), 1 => lo..=hi].boxed()
}

/// Mostly false: a freeze on every other profile would hide the other rules.
fn rarely() -> BoxedStrategy<bool> {
    proptest::bool::weighted(0.15).boxed()
}

fn valid_profile() -> impl Strategy<Value = Spec> {
    let instants = as_of_instants();
    let as_of = (
        prop_oneof![
            3 => select(instants).prop_flat_map(|t| prop_oneof![Just(t), Just(t - 1), Just(t + 1), (t - 90_000)..(t + 90_000)]),
            1 => 1_700_000_000i64..1_900_000_000,
        ],
        select(vec![480, 0, -300, 840, -720, 330, 345]),
    );
    let account = (
        slot(prop_oneof![6 => Just("active"), 1 => Just("frozen"), 1 => Just("closed")]),
        slot(money_near(&[0, 1, 2_000_000, 19_999_999, 20_000_000, 20_000_001, 5_000_000])),
        slot(rel()),
        slot(proptest::bool::weighted(0.85)),
        slot(day(&[-1, 0, 1, 365])),
        slot(near_int(&[0, 17, 18, 34, 55, 56, 150], 0, 150)),
        slot(prop_oneof![
            select(vec!["CN-HI", "CN-GD", "", "cn-hi", "CN-HI "]).prop_map(str::to_string),
            "[A-Z]{2}-[A-Z]{2}",
            "\\PC{0,32}",
        ]),
        slot(select(vec![
            "8.0.0",
            "7.99.99",
            "8",
            "8.0",
            "10.0.0",
            "8.0.0.1",
            "0",
            "999999999.999999999.999999999.999999999",
        ])),
        slot(select(vec!["A", "C", "D", "", "c"])),
    );
    let credit = (
        slot(near_int(&[0, 1, 89, 90, 91, 36500], 0, 36500)),
        slot(money_near(&[0, 1, 123_456])),
        slot(near_int(&[0, 2, 3, 4, 366], 0, 366)),
        slot(day(&[0, -1, -29, -30, -31, 1])),
        slot(rarely()),
        slot(rarely()),
        slot(near_int(&[0, 5, 6, 7, 10_000], 0, 10_000)),
    );
    let behavior = (
        slot(near_int(&[0, 4, 5, 6, 100_000], 0, 100_000)),
        slot(prop_oneof![select(vec![-86_401i64, -86_400, -86_399, -1, 0, 3600]), -200_000i64..200_000]),
        slot(rarely()),
        slot(near_int(&[0, 60, 61, 1_000_000], 0, 1_000_000)),
    );
    let capacity = (
        slot(money_near(&[0, 1, 1_000_001, 1_200_000])),
        slot(proptest::bool::weighted(0.8)),
        slot(rel()),
        slot(money_near(&[0, 1, 200_000, 300_000, 500_000])),
    );
    let locale = slot(select(vec!["zh-CN", "en", "en-US", "zh"]));
    (as_of, locale, account, credit, behavior, capacity).prop_map(
        |(as_of, locale, account, credit, behavior, capacity)| Spec {
            as_of,
            locale,
            status: account.0,
            credit_limit: account.1,
            used: account.2,
            kyc_verified: account.3,
            id_expiry: account.4,
            age: account.5,
            region: account.6,
            app_version: account.7,
            segment: account.8,
            overdue_days: credit.0,
            overdue_amount: credit.1,
            overdue_episodes_12m: credit.2,
            last_overdue_cleared_at: credit.3,
            court_enforcement_listed: credit.4,
            bureau_blacklisted: credit.5,
            multi_lender_count_3m: credit.6,
            login_failures_24h: behavior.0,
            last_login_failure_at: behavior.1,
            new_device_unverified: behavior.2,
            requests_last_hour: behavior.3,
            monthly_income: capacity.0,
            income_verified: capacity.1,
            monthly_debt_payments: capacity.2,
            amount: capacity.3,
        },
    )
}

fn given<T: Copy>(s: &Slot<T>) -> Option<T> {
    match s {
        Slot::Given(v) => Some(*v),
        _ => None,
    }
}

impl Spec {
    fn as_of(&self) -> OffsetDateTime {
        let offset = UtcOffset::from_whole_seconds(self.as_of.1 * 60).unwrap();
        OffsetDateTime::from_unix_timestamp(self.as_of.0).unwrap().to_offset(offset)
    }

    fn used(&self) -> Option<Money> {
        given(&self.used).map(|r| r.resolve(given(&self.credit_limit)))
    }

    fn json(&self) -> Value {
        let as_of = self.as_of();
        let day = |d: Day| match d {
            Day::Fixed(s) => s.to_string(),
            Day::Rel(n) => (as_of.date() + time::Duration::days(n)).to_string(),
        };
        let mut root = Map::new();
        root.insert("as_of".into(), Value::String(as_of.format(&Rfc3339).unwrap()));
        let mut put = |group: &str, field: &str, v: Slot<Value>| {
            let g = root.entry(group.to_string()).or_insert_with(|| json!({}));
            match v {
                Slot::Absent => {}
                Slot::Null => {
                    g.as_object_mut().unwrap().insert(field.into(), Value::Null);
                }
                Slot::Given(v) => {
                    g.as_object_mut().unwrap().insert(field.into(), v);
                }
            }
        };
        fn map<T: Clone>(s: &Slot<T>, f: impl FnOnce(T) -> Value) -> Slot<Value> {
            match s {
                Slot::Absent => Slot::Absent,
                Slot::Null => Slot::Null,
                Slot::Given(v) => Slot::Given(f(v.clone())),
            }
        }
        let s = |x: &'static str| Value::String(x.into());
        put("account", "status", map(&self.status, s));
        put("account", "credit_limit", map(&self.credit_limit, Money::json));
        let used = self.used();
        put("account", "used", map(&self.used, |_| used.map_or(Value::Null, Money::json)));
        put("account", "kyc_verified", map(&self.kyc_verified, Value::Bool));
        put("account", "id_expiry", map(&self.id_expiry, |d| Value::String(day(d))));
        put("account", "age", map(&self.age, Value::from));
        put("account", "region", map(&self.region, Value::String));
        put("account", "app_version", map(&self.app_version, s));
        put("account", "segment", map(&self.segment, s));
        put("credit", "overdue_days", map(&self.overdue_days, Value::from));
        put("credit", "overdue_amount", map(&self.overdue_amount, Money::json));
        put("credit", "overdue_episodes_12m", map(&self.overdue_episodes_12m, Value::from));
        put("credit", "last_overdue_cleared_at", map(&self.last_overdue_cleared_at, |d| Value::String(day(d))));
        put("credit", "court_enforcement_listed", map(&self.court_enforcement_listed, Value::Bool));
        put("credit", "bureau_blacklisted", map(&self.bureau_blacklisted, Value::Bool));
        put("credit", "multi_lender_count_3m", map(&self.multi_lender_count_3m, Value::from));
        put("behavior", "login_failures_24h", map(&self.login_failures_24h, Value::from));
        put(
            "behavior",
            "last_login_failure_at",
            map(&self.last_login_failure_at, |secs| {
                Value::String((as_of + time::Duration::seconds(secs)).format(&Rfc3339).unwrap())
            }),
        );
        put("behavior", "new_device_unverified", map(&self.new_device_unverified, Value::Bool));
        put("behavior", "requests_last_hour", map(&self.requests_last_hour, Value::from));
        put("capacity", "monthly_income", map(&self.monthly_income, Money::json));
        put("capacity", "income_verified", map(&self.income_verified, Value::Bool));
        let debt = given(&self.monthly_debt_payments).map(|r| r.resolve(given(&self.monthly_income)));
        put(
            "capacity",
            "monthly_debt_payments",
            map(&self.monthly_debt_payments, |_| debt.map_or(Value::Null, Money::json)),
        );
        put("request", "amount", map(&self.amount, Money::json));
        match self.locale {
            Slot::Absent => {}
            Slot::Null => {
                root.insert("locale".into(), Value::Null);
            }
            Slot::Given(l) => {
                root.insert("locale".into(), s(l));
            }
        }
        Value::Object(root)
    }
}

/// Every (group, field) the JSON gives, with its value.
fn given_facts(json: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (group, fields) in json.as_object().into_iter().flatten() {
        for (field, value) in fields.as_object().into_iter().flatten() {
            out.push((group.clone(), field.clone(), value.clone()));
        }
    }
    out
}

fn without(json: &Value, group: &str, field: &str) -> Value {
    let mut out = json.clone();
    if let Some(g) = out.get_mut(group).and_then(Value::as_object_mut) {
        g.remove(field);
    }
    out
}

fn read(json: &Value) -> Result<drawcheck::Profile, TestCaseError> {
    let text = json.to_string();
    drawcheck::read_profile(pack(), &text)
        .map_err(|e| TestCaseError::fail(format!("a contract-shaped profile was refused: {e}\n{text}")))
}

#[test]
fn verdicts_of_valid_profiles() {
    property("verdicts_of_valid_profiles", 256, valid_profile, |spec| {
        let pack = pack();
        let json = spec.json();
        let profile = read(&json)?;
        prop_assert_eq!(&read(&json)?, &profile, "reading the same text twice differs");
        let v = check_all_ways(pack, &profile)?;

        // The policy's arithmetic (POLICY.md, "Effects and status"), recomputed from the reasons.
        let limit_fen = given(&spec.credit_limit).map(|m| i128::from(m.fen));
        let used_fen = spec.used().map(|m| i128::from(m.fen));
        match limit_fen {
            Some(l) => {
                let reduced = v.reasons.iter().filter(|r| r.effect == Effect::Limit).filter_map(|r| r.amount);
                let expected = reduced.map(|a| a.0).fold(l, i128::min).max(0);
                prop_assert_eq!(v.effective_limit.0, expected, "effective_limit");
            }
            None => prop_assert_eq!(v.effective_limit.0, 0),
        }
        if !v.status.stops_drawing() {
            let used = used_fen.unwrap_or(0);
            let caps = v.reasons.iter().filter(|r| r.effect == Effect::Cap).filter_map(|r| r.amount);
            let expected = caps.map(|a| a.0).fold(v.effective_limit.0 - used, i128::min).max(0);
            prop_assert_eq!(v.available.0, expected, "available ≠ max(0, min(effective_limit − used, caps))");
        }
        Ok(())
    });
}

#[test]
fn a_missing_fact_never_counts_as_passing() {
    property("a_missing_fact_never_counts_as_passing", 64, valid_profile, |spec| {
        let pack = pack();
        let json = spec.json();
        let full = drawcheck::check(pack, &read(&json)?, Options::default());
        for (group, field, value) in given_facts(&json) {
            if value.is_null() {
                continue;
            }
            let fewer = without(&json, &group, &field);
            let v = drawcheck::check(pack, &read(&fewer)?, Options::default());
            prop_assert!(
                v.available <= full.available,
                "leaving out {group}.{field} raised available from {} to {}",
                full.available.plain(),
                v.available.plain()
            );
            // null is the same as absent, except where null means "never".
            let never = pack
                .schema
                .lookup(&format!("{group}.{field}"))
                .and_then(|id| pack.schema.fact(id))
                .is_some_and(|f| f.null_is_never);
            if !never {
                let mut nulled = json.clone();
                nulled[group.as_str()][field.as_str()] = Value::Null;
                let w = drawcheck::check(pack, &read(&nulled)?, Options::default());
                prop_assert_eq!(&w, &v, "{}.{} = null differs from leaving it out", group, field);
            }
            // The requested amount only ever adds a reason: it never changes what can be drawn.
            if (group.as_str(), field.as_str()) == ("request", "amount") {
                prop_assert_eq!((v.available, v.effective_limit), (full.available, full.effective_limit));
                let relaxed = |s: Status| if s == Status::Limited { Status::Eligible } else { s };
                prop_assert_eq!(relaxed(v.status), relaxed(full.status));
            }
        }
        Ok(())
    });
}
