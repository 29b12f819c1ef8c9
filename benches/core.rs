//! Native benchmarks of the core: `cargo bench --bench core`.
//!
//! Targets (the performance issue): evaluating one profile under 2 µs, compiling the default pack
//! under 1 ms. `read_profile` and the traced evaluation are measured too, for the page's budget.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use divan::{black_box, Bencher};
use drawcheck::{Options, Pack, Profile, Status};
use std::sync::OnceLock;

fn main() {
    divan::main();
}

/// The contract's example, less what makes it limited: eligible, no reason fires.
const HEALTHY: &str = r#"{
  "as_of": "2026-11-29T10:00:00+08:00",
  "locale": "zh-CN",
  "account":  { "status": "active", "credit_limit": "20000.00", "used": "3500.00",
                "kyc_verified": true, "id_expiry": "2030-05-01", "age": 34,
                "region": "CN-GD", "app_version": "8.2.1", "segment": "A" },
  "credit":   { "overdue_days": 0, "overdue_amount": "0.00", "overdue_episodes_12m": 0,
                "last_overdue_cleared_at": null, "court_enforcement_listed": false,
                "bureau_blacklisted": false, "multi_lender_count_3m": 1 },
  "behavior": { "login_failures_24h": 0, "last_login_failure_at": null,
                "new_device_unverified": false, "requests_last_hour": 3 },
  "capacity": { "monthly_income": "12000.00", "income_verified": true,
                "monthly_debt_payments": "2500.00" },
  "request":  { "amount": "5000.00" }
}"#;

/// Nearly every rule fires: frozen, with 20 reasons to rank and word.
const MULTI_REASON: &str = r#"{
  "as_of": "2026-12-06T02:00:00+08:00",
  "locale": "en",
  "account":  { "status": "frozen", "credit_limit": "300000.00", "used": "300000.00",
                "kyc_verified": false, "id_expiry": "2020-01-01", "age": 17,
                "region": "CN-HI", "app_version": "7.9", "segment": "C" },
  "credit":   { "overdue_days": 95, "overdue_amount": "1234.56", "overdue_episodes_12m": 4,
                "last_overdue_cleared_at": "2026-11-20", "court_enforcement_listed": true,
                "bureau_blacklisted": true, "multi_lender_count_3m": 9 },
  "behavior": { "login_failures_24h": 7, "last_login_failure_at": "2026-12-06T01:30:00+08:00",
                "new_device_unverified": true, "requests_last_hour": 99 },
  "capacity": { "monthly_income": "8000.00", "income_verified": false,
                "monthly_debt_payments": "6000.00" },
  "request":  { "amount": "5000.00" }
}"#;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| drawcheck::compile_pack(drawcheck::DEFAULT_PACK).unwrap())
}

/// CONTRACT.md's example: limited, with 2 reasons (a cap, and the request over it).
const TYPICAL: &str = include_str!("../tests/profiles/contract-example.json");

const PROFILES: [&str; 3] = ["healthy", "typical", "multi_reason"];

fn json(which: &str) -> &'static str {
    match which {
        "healthy" => HEALTHY,
        "typical" => TYPICAL,
        "multi_reason" => MULTI_REASON,
        other => panic!("no profile {other}"),
    }
}

fn profile(which: &str) -> Profile {
    drawcheck::read_profile(pack(), json(which)).unwrap()
}

#[divan::bench]
fn compile_default_pack() -> Pack {
    drawcheck::compile_pack(black_box(drawcheck::DEFAULT_PACK)).unwrap()
}

#[divan::bench(args = PROFILES)]
fn read_profile(bencher: Bencher, which: &str) {
    let json = json(which);
    let pack = pack();
    bencher.bench(|| drawcheck::read_profile(pack, black_box(json)).unwrap());
}

fn evaluate(bencher: Bencher, which: &str, trace: bool) {
    let pack = pack();
    let profile = profile(which);
    let (status, reasons) = match which {
        "healthy" => (Status::Eligible, 0..=0),
        "typical" => (Status::Limited, 2..=2),
        _ => (Status::Frozen, 15..=24),
    };
    let check = drawcheck::check(pack, &profile, Options { trace, ..Options::default() });
    assert_eq!(check.status, status, "{which}: {check:#?}");
    assert!(reasons.contains(&check.reasons.len()), "{which}: {} reasons", check.reasons.len());
    bencher.bench(|| drawcheck::check(pack, black_box(&profile), Options { trace, ..Options::default() }));
}

#[divan::bench(args = PROFILES)]
fn evaluate_plain(bencher: Bencher, which: &str) {
    evaluate(bencher, which, false);
}

#[divan::bench(args = PROFILES)]
fn evaluate_traced(bencher: Bencher, which: &str) {
    evaluate(bencher, which, true);
}

/// What the page does per keystroke: read the JSON, evaluate, serialize the verdict.
#[divan::bench(args = PROFILES)]
fn read_check_serialize(bencher: Bencher, which: &str) {
    let json = json(which);
    let pack = pack();
    bencher.bench(|| {
        let profile = drawcheck::read_profile(pack, black_box(json)).unwrap();
        serde_json::to_string(&drawcheck::check(pack, &profile, Options::default())).unwrap()
    });
}

/// Personas whose plans take the most search (tests/personas/): several reasons at once (21
/// profiles decided: a wait that must come before the ID is renewed, two limits nothing lifts),
/// a freeze lifted by repaying, and the two-step repay-then-wait plan.
///
/// Instructions per plan, independent of load: `valgrind --tool=callgrind target/release/deps/core-<hash>
/// --bench plan::several_reasons --skip check_and_plan --sample-count N --sample-size 10` for
/// N = 20 and N = 120, then the difference of the two I refs / 1000 (the extra timed plans; the
/// rest of the run, compiling the pack and reading the persona, is the same in both). LTO inlines
/// `plan_from` into the bench, so `--toggle-collect` on it no longer sees the timed plans.
const PLAN_PERSONAS: [&str; 3] = ["several_reasons", "severe_overdue", "overdue"];

/// The profile JSON of one of [`PLAN_PERSONAS`].
fn plan_persona(which: &str) -> &'static str {
    match which {
        "several_reasons" => include_str!("../tests/personas/several_reasons.json"),
        "severe_overdue" => include_str!("../tests/personas/severe_overdue.json"),
        "overdue" => include_str!("../tests/personas/overdue.json"),
        other => panic!("no persona {other}"),
    }
}

/// Recourse planning alone (target: under 50 µs natively for the worst persona); the profile and
/// its verdict are made outside the timed closure.
#[divan::bench(args = PLAN_PERSONAS)]
fn plan(bencher: Bencher, which: &str) {
    let json = plan_persona(which);
    let pack = pack();
    let profile = drawcheck::read_profile(pack, json).unwrap();
    let verdict = drawcheck::check(pack, &profile, Options::default());
    let plan = drawcheck::recourse::plan(pack, &profile, &verdict).unwrap();
    assert!(!plan.steps.is_empty(), "{which}: {plan:#?}");
    bencher.bench(|| drawcheck::recourse::plan(pack, black_box(&profile), black_box(&verdict)));
}

/// What the page and the CLI do: the verdict with its plan (`check` with `recourse`), which plans
/// from the verdict's own decisions instead of deciding the profile again.
#[divan::bench(args = PLAN_PERSONAS)]
fn check_and_plan(bencher: Bencher, which: &str) {
    let json = plan_persona(which);
    let pack = pack();
    let profile = drawcheck::read_profile(pack, json).unwrap();
    let opts = Options { recourse: true, ..Options::default() };
    assert!(drawcheck::check(pack, &profile, opts).recourse.is_some());
    bencher.bench(|| drawcheck::check(pack, black_box(&profile), opts));
}
