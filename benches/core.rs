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

fn profile(which: &str) -> Profile {
    let json = match which {
        "healthy" => HEALTHY,
        "multi_reason" => MULTI_REASON,
        other => panic!("no profile {other}"),
    };
    drawcheck::read_profile(pack(), json).unwrap()
}

#[divan::bench]
fn compile_default_pack() -> Pack {
    drawcheck::compile_pack(black_box(drawcheck::DEFAULT_PACK)).unwrap()
}

#[divan::bench(args = ["healthy", "multi_reason"])]
fn read_profile(bencher: Bencher, which: &str) {
    let json = if which == "healthy" { HEALTHY } else { MULTI_REASON };
    let pack = pack();
    bencher.bench(|| drawcheck::read_profile(pack, black_box(json)).unwrap());
}

fn evaluate(bencher: Bencher, which: &str, trace: bool) {
    let pack = pack();
    let profile = profile(which);
    let expected = if which == "healthy" { Status::Eligible } else { Status::Frozen };
    let check = drawcheck::check(pack, &profile, Options { trace, ..Options::default() });
    assert_eq!(check.status, expected, "{which}: {check:#?}");
    if which == "multi_reason" {
        assert!(check.reasons.len() >= 15, "{} reasons", check.reasons.len());
    }
    bencher.bench(|| drawcheck::check(pack, black_box(&profile), Options { trace, ..Options::default() }));
}

#[divan::bench(args = ["healthy", "multi_reason"])]
fn evaluate_plain(bencher: Bencher, which: &str) {
    evaluate(bencher, which, false);
}

#[divan::bench(args = ["healthy", "multi_reason"])]
fn evaluate_traced(bencher: Bencher, which: &str) {
    evaluate(bencher, which, true);
}

/// What the page does per keystroke: read the JSON, evaluate, serialize the verdict.
#[divan::bench(args = ["healthy", "multi_reason"])]
fn read_check_serialize(bencher: Bencher, which: &str) {
    let json = if which == "healthy" { HEALTHY } else { MULTI_REASON };
    let pack = pack();
    bencher.bench(|| {
        let profile = drawcheck::read_profile(pack, black_box(json)).unwrap();
        serde_json::to_string(&drawcheck::check(pack, &profile, Options::default())).unwrap()
    });
}
