//! Recourse: the planner's answers checked by hand and by the engine.
//!
//! - Every persona (tests/personas/*.json) gets the plan worked out by hand from POLICY.md and the
//!   default pack's `[recourse] costs` (repay 10, wait 1 + 1 a started day, verify_* 2,
//!   update_app 2, upload_document 5, reduce_debt 30, none 0): what it reaches, by when, at what
//!   cost, each step's action, fact, figures and the rules it lifts, and the rules nothing lifts.
//! - Thresholds are exact to the fen, rounded in the borrower's favour, and each is checked with the
//!   engine on both sides (the plan's figure lifts the rule; one fen the wrong way does not).
//! - Rules written only in a pack get recourse without code.
//! - Every plan is replayed: its `changes` (and, for a wait, `until` as the new `as_of`) are written
//!   into the profile JSON, which is read back and checked by the engine after every step. Only
//!   what a step is allowed to change changes (see [`Allowed`]). A property runs this on generated
//!   profiles spread across every rule's threshold.
//!
//! `PROPTEST_CASES=N` runs the property on more profiles.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use drawcheck::money::Dec;
use drawcheck::pack::Direction;
use drawcheck::recourse::{self, Plan, PlanStep};
use drawcheck::schema::{Action, FactId};
use drawcheck::value::Scalar;
use drawcheck::{Options, Pack, Profile, Status, Verdict};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::sync::OnceLock;
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime, UtcOffset};

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| compile(drawcheck::DEFAULT_PACK))
}

fn compile(text: &str) -> Pack {
    drawcheck::compile_pack(text).unwrap_or_else(|d| panic!("the pack does not compile: {d:#?}"))
}

/// The default pack with `from` replaced by `to` (which must be in it).
fn pack_with(from: &str, to: &str) -> Pack {
    assert!(drawcheck::DEFAULT_PACK.contains(from), "the default pack has no `{from}`");
    compile(&drawcheck::DEFAULT_PACK.replace(from, to))
}

fn persona(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/personas").join(format!("{name}.json"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn read(pack: &Pack, json: &Value) -> Profile {
    drawcheck::read_profile(pack, &json.to_string()).unwrap_or_else(|e| panic!("{e}: {json:#}"))
}

fn verdict(pack: &Pack, json: &Value) -> Verdict {
    drawcheck::check(pack, &read(pack, json), Options::default())
}

/// The plan `check` gives (with `recourse: true`), after checking it against a direct
/// `recourse::plan` and replaying it (see [`replay`]).
fn plan_of(pack: &Pack, json: &Value) -> Option<Plan> {
    let profile = read(pack, json);
    let v = drawcheck::check(pack, &profile, Options { recourse: true, ..Options::default() });
    let direct = recourse::plan(pack, &profile, &drawcheck::check(pack, &profile, Options::default()));
    assert_eq!(v.recourse, direct, "check and recourse::plan agree");
    assert_eq!(v.recourse.is_none(), v.status == Status::Eligible, "a plan exactly when not eligible");
    if let Some(plan) = &v.recourse {
        if let Err(e) = replay(pack, json, plan) {
            panic!("{e}\nprofile: {json:#}\nplan: {plan:#?}");
        }
    }
    v.recourse
}

/// `json` with each `group.field` set (a `null` group is created as needed).
fn with(json: &Value, edits: &[(&str, Value)]) -> Value {
    let mut out = json.clone();
    for (path, v) in edits {
        set(&mut out, path, v.clone());
    }
    out
}

fn set(json: &mut Value, path: &str, v: Value) {
    let (group, field) = path.split_once('.').unwrap();
    let g = &mut json[group];
    if !g.is_object() {
        *g = json!({});
    }
    g[field] = v;
}

fn fires(pack: &Pack, json: &Value, rule: &str) -> bool {
    verdict(pack, json).reasons.iter().any(|r| r.rule == rule)
}

fn instant(s: &str) -> OffsetDateTime {
    OffsetDateTime::parse(s, &Rfc3339).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// Lower is better (the planner's order): eligible, limited, incomplete, paused, blocked, frozen —
/// the reverse of `Status`'s own order, which is strongest first.
fn rank(s: Status) -> core::cmp::Reverse<Status> {
    core::cmp::Reverse(s)
}

fn ids(v: &Verdict) -> Vec<String> {
    v.reasons.iter().map(|r| r.rule.clone()).collect()
}

// ---------------------------------------------------------------------------------------------
// What a step may change, and the replay
// ---------------------------------------------------------------------------------------------

/// What one step may change. A step the borrower takes (`repay`, `verify_*`, `upload_document`,
/// `update_app`, `reduce_debt`, `none`) changes the fact it names, which must have that `action` in
/// the schema and move the way its `direction` says, plus that lever's `also` facts (the joint
/// effects the pack declares: repaying clears the overdue amount and dates the clearing). A wait
/// moves `as_of` forward and changes nothing but facts declared with `resets` (counts over a recent
/// window that lapse by themselves), each to its lapsed value. Anything else — a fact with no
/// `action` that is no lever's `also` and has no `resets` (status, age, region, segment, limit,
/// overdue episodes, lender count, court and bureau lists, …) — never changes.
enum Allowed {
    Act { lever: FactId, direction: Direction, also: Vec<FactId> },
    Wait { resets: Vec<(FactId, Option<Value>)> },
}

fn allowed(pack: &Pack, step: &PlanStep) -> Result<Allowed, String> {
    if step.action == Action::Wait {
        if step.fact.is_some() || step.until.is_none() {
            return Err(format!("a wait names no fact and has an end: {step:#?}"));
        }
        // Each lapse to the value its `resets.to` gives (a literal in the packs tested here).
        let resets = pack.resets.iter().map(|r| (r.fact, serde_json::from_str(&r.to.source).ok())).collect();
        return Ok(Allowed::Wait { resets });
    }
    let path = step.fact.as_deref().ok_or_else(|| format!("a {:?} step names its fact", step.action))?;
    let id = pack.schema.lookup(path).ok_or_else(|| format!("`{path}` is in the schema"))?;
    let fact = pack.schema.fact(id).unwrap();
    if fact.action != Some(step.action) {
        return Err(format!("`{path}` has action {:?} in the schema, the step {:?}", fact.action, step.action));
    }
    let lever = pack.levers.iter().find(|l| l.fact == id).ok_or_else(|| format!("`{path}` is a lever"))?;
    if lever.action != step.action || step.until.is_some() {
        return Err(format!("the step acts as its lever does, at once: {step:#?}"));
    }
    Ok(Allowed::Act { lever: id, direction: lever.direction, also: lever.also.iter().map(|(f, _)| *f).collect() })
}

fn moved_right_way(direction: Direction, before: Option<&Scalar>, after: Option<&Scalar>) -> bool {
    use core::cmp::Ordering::{Greater, Less};
    let order = match (before, after) {
        (Some(Scalar::Money(a) | Scalar::Dec(a)), Some(Scalar::Money(b) | Scalar::Dec(b))) => b.cmp(a),
        (Some(Scalar::Int(a)), Some(Scalar::Int(b))) => b.cmp(a),
        (Some(Scalar::Date(a)), Some(Scalar::Date(b))) => b.cmp(a),
        (Some(Scalar::DateTime(a)), Some(Scalar::DateTime(b))) => b.cmp(a),
        (Some(Scalar::Version(a)), Some(Scalar::Version(b))) => b.cmp(a),
        // A yes/no fact the profile lacked is given by the step that sets it (verifying the device).
        (Some(Scalar::Bool(_)) | None, Some(Scalar::Bool(b))) => {
            return matches!((direction, b), (Direction::ToTrue, true) | (Direction::ToFalse, false))
        }
        _ => return false,
    };
    matches!((direction, order), (Direction::Down, Less) | (Direction::Up, Greater))
}

/// Writes each step into the profile JSON and has the engine check it: after each step, the
/// status and available amount the step promised, the rules it says it lifts (exactly the reasons
/// that went away), only allowed facts changed; after the last, what the plan promised, at
/// `earliest`. No step leaves the borrower worse off, and the plan reaches no worse than the start.
fn replay(pack: &Pack, start: &Value, plan: &Plan) -> Result<(), String> {
    let mut json = start.clone();
    let mut profile = read(pack, &json);
    let mut v = drawcheck::check(pack, &profile, Options::default());
    let (start_status, start_available) = (v.status, v.available);
    for (n, step) in plan.steps.iter().enumerate() {
        let n = n + 1;
        let allowed = allowed(pack, step).map_err(|e| format!("step {n}: {e}"))?;
        for c in &step.changes {
            set(&mut json, &c.fact, serde_json::to_value(&c.to).unwrap());
        }
        if let Some(until) = &step.until {
            json["as_of"] = Value::String(until.clone());
        }
        let next = drawcheck::read_profile(pack, &json.to_string())
            .map_err(|e| format!("step {n}: the changed profile reads back: {e}"))?;
        let after = drawcheck::check(pack, &next, Options::default());
        if (after.status, after.available) != (step.status_after, step.available_after) {
            return Err(format!(
                "step {n}: promised {:?} {}, the engine says {:?} {} ({:?})",
                step.status_after,
                step.available_after.plain(),
                after.status,
                after.available.plain(),
                ids(&after)
            ));
        }
        let mut went: Vec<String> = ids(&v).into_iter().filter(|r| !ids(&after).contains(r)).collect();
        let mut lifts = step.lifts.clone();
        went.sort();
        lifts.sort();
        if went != lifts {
            return Err(format!("step {n}: says it lifts {lifts:?}, the reasons that went are {went:?}"));
        }
        if rank(after.status) > rank(v.status) {
            return Err(format!("step {n}: leaves the borrower worse off: {:?} → {:?}", v.status, after.status));
        }
        // What changed, fact by fact.
        for id in 0..pack.schema.facts().len() {
            let id = FactId::try_from(id).unwrap();
            let (was, now) = (profile.get(id), next.get(id));
            let path = &pack.schema.fact(id).unwrap().path;
            let ok = match &allowed {
                _ if was == now => true,
                Allowed::Act { lever, direction, .. } if *lever == id => moved_right_way(*direction, was, now),
                Allowed::Act { also, .. } => also.contains(&id),
                Allowed::Wait { resets } => resets.iter().any(|(f, to)| {
                    *f == id
                        && to.as_ref().is_none_or(|to| {
                            step.changes
                                .iter()
                                .any(|c| c.fact == *path && serde_json::to_value(&c.to).ok().as_ref() == Some(to))
                        })
                }),
            };
            if !ok {
                return Err(format!(
                    "step {n} ({:?}) changes `{path}` from {was:?} to {now:?}, which it may not",
                    step.action
                ));
            }
        }
        match &allowed {
            Allowed::Act { lever, .. } => {
                if next.as_of != profile.as_of
                    || !step.changes.iter().any(|c| pack.schema.lookup(&c.fact) == Some(*lever))
                {
                    return Err(format!("step {n}: an act changes its own fact and not the time"));
                }
            }
            Allowed::Wait { .. } => {
                if next.as_of <= profile.as_of {
                    return Err(format!("step {n}: a wait moves time forward"));
                }
            }
        }
        (profile, v) = (next, after);
    }
    if (v.status, v.available, v.effective_limit) != (plan.reachable, plan.available_after, plan.effective_limit_after)
    {
        return Err(format!(
            "the plan promised {:?} {} (line {}), the engine says {:?} {} (line {})",
            plan.reachable,
            plan.available_after.plain(),
            plan.effective_limit_after.plain(),
            v.status,
            v.available.plain(),
            v.effective_limit.plain()
        ));
    }
    if instant(&plan.earliest) != profile.as_of {
        return Err(format!("earliest {} is not the plan's last as_of {}", plan.earliest, profile.as_of));
    }
    for f in &plan.fixed {
        if !ids(&v).contains(&f.rule) {
            return Err(format!("fixed `{}` still restricts drawing at the end", f.rule));
        }
    }
    if (rank(plan.reachable), core::cmp::Reverse(plan.available_after))
        > (rank(start_status), core::cmp::Reverse(start_available))
    {
        return Err(format!(
            "the plan ends worse than it starts: {start_status:?} {} → {:?}",
            start_available.plain(),
            plan.reachable
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Expected plans, by hand
// ---------------------------------------------------------------------------------------------

struct Want {
    reachable: Status,
    available: &'static str,
    effective_limit: &'static str,
    earliest: &'static str,
    cost: u32,
    steps: Vec<StepWant>,
    fixed: &'static [&'static str],
}

/// One expected step: its action, fact and figures, what it lifts, and the status and amount after.
#[derive(Default)]
struct StepWant {
    action: &'static str,
    fact: Option<&'static str>,
    to: Option<&'static str>,
    amount: Option<&'static str>,
    until: Option<&'static str>,
    lifts: &'static [&'static str],
    after: (&'static str, &'static str),
}

fn step(action: &'static str) -> StepWant {
    StepWant { action, ..StepWant::default() }
}

impl StepWant {
    fn fact(self, fact: &'static str, to: &'static str) -> Self {
        StepWant { fact: Some(fact), to: Some(to), ..self }
    }
    fn amount(self, amount: &'static str) -> Self {
        StepWant { amount: Some(amount), ..self }
    }
    fn until(self, until: &'static str) -> Self {
        StepWant { until: Some(until), ..self }
    }
    fn lifts(self, lifts: &'static [&'static str]) -> Self {
        StepWant { lifts, ..self }
    }
    fn after(self, status: &'static str, available: &'static str) -> Self {
        StepWant { after: (status, available), ..self }
    }
}

fn assert_plan(name: &str, plan: &Plan, want: &Want) {
    assert_eq!(plan.reachable, want.reachable, "{name}: reachable");
    assert_eq!(plan.available_after.plain(), want.available, "{name}: available after");
    assert_eq!(plan.effective_limit_after.plain(), want.effective_limit, "{name}: line after");
    assert_eq!(plan.earliest, want.earliest, "{name}: earliest");
    assert_eq!(plan.cost, want.cost, "{name}: cost");
    let actions: Vec<&str> = plan.steps.iter().map(|s| s.action.name()).collect();
    let wanted: Vec<&str> = want.steps.iter().map(|s| s.action).collect();
    assert_eq!(actions, wanted, "{name}: step actions in order\n{plan:#?}");
    for (i, (s, w)) in plan.steps.iter().zip(&want.steps).enumerate() {
        let at = format!("{name}: step {}", i + 1);
        assert_eq!(s.fact.as_deref(), w.fact, "{at}: fact");
        assert_eq!(s.to.as_deref(), w.to, "{at}: to");
        assert_eq!(s.amount.map(|a| a.plain()).as_deref(), w.amount, "{at}: amount");
        assert_eq!(s.until.as_deref(), w.until, "{at}: until");
        assert_eq!(s.lifts, w.lifts, "{at}: lifts");
        assert_eq!(
            (s.status_after.name(), s.available_after.plain().as_str()),
            w.after,
            "{at}: status and available after"
        );
        // The figures are in the words too, in both languages: the amount repaid or cut, and an
        // amount to reach.
        let money_to =
            s.to.as_deref().and_then(Dec::parse).filter(|_| s.to.as_deref().is_some_and(|t| t.contains('.')));
        for text in [&s.text.en, &s.text.zh_cn] {
            assert!(!text.is_empty() && !text.contains('{'), "{at}: text {text:?}");
            if let Some(a) = s.amount.filter(|_| matches!(s.action, Action::Repay | Action::ReduceDebt)) {
                assert!(text.contains(&drawcheck::i18n::money(a.to_dec())), "{at}: {text:?} names {}", a.plain());
            }
            if let Some(to) = money_to.filter(|_| s.action != Action::Repay) {
                assert!(text.contains(&drawcheck::i18n::money(to)), "{at}: {text:?} names {to}");
            }
        }
    }
    let fixed: Vec<&str> = plan.fixed.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(fixed, want.fixed, "{name}: fixed");
    for f in &plan.fixed {
        assert!(!f.route.is_empty(), "{name}: fixed `{}` names the route that remains", f.rule);
    }
}

fn check_persona(name: &str, want: &Want) {
    let json = persona(name);
    let plan = plan_of(pack(), &json).unwrap_or_else(|| panic!("{name}: has a plan"));
    assert_plan(name, &plan, want);
}

const NOW: &str = "2026-11-29T10:00:00+08:00";

// ---------------------------------------------------------------------------------------------
// Personas
// ---------------------------------------------------------------------------------------------

#[test]
fn healthy_needs_no_plan() {
    assert_eq!(plan_of(pack(), &persona("healthy")), None);
}

#[test]
fn frozen_nothing_lifts_the_freeze() {
    // `account.status` has no action: account_frozen is fixed; the route is support. The line is
    // untouched (no limit fires): ¥20,000.00.
    let want = Want {
        reachable: Status::Frozen,
        available: "0.00",
        effective_limit: "20000.00",
        earliest: NOW,
        cost: 0,
        steps: vec![],
        fixed: &["account_frozen"],
    };
    check_persona("frozen", &want);
    let plan = plan_of(pack(), &persona("frozen")).unwrap();
    assert_eq!(plan.fixed[0].route[0].action, Action::ContactSupport);
    assert_eq!(plan.fixed[0].route[0].phone.as_deref(), Some("400-000-0000"));
}

#[test]
fn high_dti_verifies_the_smallest_income_that_lifts_it() {
    // 5200.00 > 0.5 × 8000.00 = 4000.00: line 0.5 × 30000.00. Two ways: lower debt to 4000.00
    // (reduce_debt, cost 30) or verify income of 5200.00 / 0.5 = 10400.00 (upload_document, cost 5,
    // also marks income verified, which it already is). The cheaper: upload. Then eligible:
    // 30000.00 − 6000.00 = 24000.00, and the 5000.00 request fits.
    let want = Want {
        reachable: Status::Eligible,
        available: "24000.00",
        effective_limit: "30000.00",
        earliest: NOW,
        cost: 5,
        steps: vec![step("upload_document")
            .fact("capacity.monthly_income", "10400.00")
            .amount("2400.00") // 10400.00 − 8000.00
            .lifts(&["high_dti"])
            .after("eligible", "24000.00")],
        fixed: &[],
    };
    check_persona("high_dti", &want);
}

#[test]
fn income_unverified_uploads_proof_of_income() {
    // Cap 3000.00 while income is unverified; the 5000.00 request is over it (rule 24). Uploading
    // proof (cost 5) lifts both: 12000.00 − 1000.00 = 11000.00, and 5000.00 fits.
    let want = Want {
        reachable: Status::Eligible,
        available: "11000.00",
        effective_limit: "12000.00",
        earliest: NOW,
        cost: 5,
        steps: vec![step("upload_document")
            .fact("capacity.income_verified", "true")
            .lifts(&["income_unverified", "amount_over_available"])
            .after("eligible", "11000.00")],
        fixed: &[],
    };
    check_persona("income_unverified", &want);
}

#[test]
fn login_lock_verifies_identity_rather_than_waiting() {
    // Paused until 08:47:12 tomorrow. A face check costs 2 and ends it now; waiting costs 1 + 1
    // started day = 2 too, but ends tomorrow: equal cost, the plan done sooner wins.
    // 18000.00 − 2400.00 = 15600.00.
    let want = Want {
        reachable: Status::Eligible,
        available: "15600.00",
        effective_limit: "18000.00",
        earliest: NOW,
        cost: 2,
        steps: vec![step("verify_identity")
            .fact("behavior.login_failures_24h", "0")
            .lifts(&["login_lock"])
            .after("eligible", "15600.00")],
        fixed: &[],
    };
    check_persona("login_lock", &want);
}

#[test]
fn maintenance_night_waits_for_the_window_to_end() {
    // 02:30 is inside [01:00, 05:00): wait until 05:00, cost 1 + 1 started day = 2. By then the
    // requests of the last hour (as of 02:30) have lapsed. 8000.00 − 0.00 = 8000.00.
    let want = Want {
        reachable: Status::Eligible,
        available: "8000.00",
        effective_limit: "8000.00",
        earliest: "2026-12-06T05:00:00+08:00",
        cost: 2,
        steps: vec![step("wait")
            .until("2026-12-06T05:00:00+08:00")
            .lifts(&["maintenance"])
            .after("eligible", "8000.00")],
        fixed: &[],
    };
    check_persona("maintenance_night", &want);
    let plan = plan_of(pack(), &persona("maintenance_night")).unwrap();
    let changes: Vec<(&str, Value)> =
        plan.steps[0].changes.iter().map(|c| (c.fact.as_str(), serde_json::to_value(&c.to).unwrap())).collect();
    assert_eq!(changes, [("behavior.requests_last_hour", json!(0))]);
}

#[test]
fn missing_capacity_has_nothing_to_plan() {
    // Incomplete: no rule fires. Verifying income would give `capacity.income_verified` (5), but
    // the income and the debt stay unknown (no step gives them a value known beforehand), so
    // high_dti stays undetermined: still incomplete, at a cost, and the best is to do nothing.
    let want = Want {
        reachable: Status::Incomplete,
        available: "0.00",
        effective_limit: "10000.00",
        earliest: NOW,
        cost: 0,
        steps: vec![],
        fixed: &[],
    };
    check_persona("missing_capacity", &want);
}

#[test]
fn a_missing_fact_that_a_step_sets_is_given_by_that_step() {
    // Healthy, but the profile does not say whether the device is verified: unverified_device is
    // undetermined, so the verdict is incomplete. Verifying the device (2) gives the fact a value
    // known beforehand (false), whatever it was: then eligible, 20000.00 − 3500.00 = 16500.00.
    let json = with(&persona("healthy"), &[("behavior.new_device_unverified", Value::Null)]);
    assert_eq!(verdict(pack(), &json).status, Status::Incomplete);
    let want = Want {
        reachable: Status::Eligible,
        available: "16500.00",
        effective_limit: "20000.00",
        earliest: NOW,
        cost: 2,
        steps: vec![step("verify_device")
            .fact("behavior.new_device_unverified", "false")
            .lifts(&[])
            .after("eligible", "16500.00")],
        fixed: &[],
    };
    let plan = plan_of(pack(), &json).unwrap();
    assert_plan("device not said", &plan, &want);
    assert_eq!(plan.steps[0].from, None, "the fact was missing");
    // A missing income has no such step (what it will be is not known before the proof is
    // uploaded): nothing to plan, still incomplete.
    let json = with(&persona("healthy"), &[("capacity.monthly_income", Value::Null)]);
    let plan = plan_of(pack(), &json).unwrap();
    assert_eq!((plan.reachable, plan.steps.len()), (Status::Incomplete, 0), "{plan:#?}");
    // Blocked by an overdue and missing the income: repaying lifts the block (10) and the plan
    // ends there, at incomplete (the 30-day cap repaying starts is waited out for nothing while
    // the income is missing: nothing can be drawn either way).
    let json = with(&persona("overdue"), &[("capacity.monthly_income", Value::Null)]);
    let plan = plan_of(pack(), &json).unwrap();
    let actions: Vec<&str> = plan.steps.iter().map(|s| s.action.name()).collect();
    assert_eq!((plan.reachable, actions, plan.cost), (Status::Incomplete, vec!["repay"], 10), "{plan:#?}");
}

#[test]
fn new_device_verifies_the_device() {
    // Blocked by the new device; verify_device (cost 2). 25000.00 − 6000.00 = 19000.00.
    let want = Want {
        reachable: Status::Eligible,
        available: "19000.00",
        effective_limit: "25000.00",
        earliest: NOW,
        cost: 2,
        steps: vec![step("verify_device")
            .fact("behavior.new_device_unverified", "false")
            .lifts(&["unverified_device"])
            .after("eligible", "19000.00")],
        fixed: &[],
    };
    check_persona("new_device", &want);
}

#[test]
fn overdue_repays_then_waits_out_the_recent_overdue_cap() {
    // The two-step plan. Repaying (cost 10) clears the 12 days and the ¥1,234.50 and dates the
    // clearing today, 2026-11-29: overdue_now lifts, and recent_overdue now caps one drawdown at
    // 2000.00 until 2026-11-29 + 30 days = 2026-12-29 00:00 → limited, min(15000.00 − 8600.00,
    // 2000.00) = 2000.00. Waiting until then: 1 + 30 started days (29 days 14 hours) = 31. Total
    // 41, eligible with 6400.00. By then the requests of the last hour have lapsed too.
    let want = Want {
        reachable: Status::Eligible,
        available: "6400.00",
        effective_limit: "15000.00",
        earliest: "2026-12-29T00:00:00+08:00",
        cost: 41,
        steps: vec![
            step("repay")
                .fact("credit.overdue_days", "0")
                .amount("1234.50")
                .lifts(&["overdue_now"])
                .after("limited", "2000.00"),
            step("wait").until("2026-12-29T00:00:00+08:00").lifts(&["recent_overdue"]).after("eligible", "6400.00"),
        ],
        fixed: &[],
    };
    check_persona("overdue", &want);
    let plan = plan_of(pack(), &persona("overdue")).unwrap();
    let mut changes: Vec<(&str, Value)> =
        plan.steps[0].changes.iter().map(|c| (c.fact.as_str(), serde_json::to_value(&c.to).unwrap())).collect();
    changes.sort_by_key(|c| c.0);
    assert_eq!(
        changes,
        [
            ("credit.last_overdue_cleared_at", json!("2026-11-29")),
            ("credit.overdue_amount", json!("0.00")),
            ("credit.overdue_days", json!(0)),
        ]
    );
    assert!(plan.steps[0].text.en.contains("¥1,234.50"), "{}", plan.steps[0].text.en);
    assert!(plan.steps[1].text.en.contains("Dec 29, 2026"), "{}", plan.steps[1].text.en);
}

#[test]
fn regulatory_cap_nothing_to_do() {
    // 250000.00 is capped at 200000.00 (segment, no action on the limit): fixed.
    // 200000.00 − 30000.00 = 170000.00, and the 150000.00 request fits.
    let want = Want {
        reachable: Status::Limited,
        available: "170000.00",
        effective_limit: "200000.00",
        earliest: NOW,
        cost: 0,
        steps: vec![],
        fixed: &["regulatory_cap"],
    };
    check_persona("regulatory_cap", &want);
}

#[test]
fn segment_c_keeps_the_reduction_and_asks_for_less() {
    // 0.7 × 15000.00 = 10500.00 (fixed: a product change); 10500.00 − 2000.00 = 8500.00. The
    // 9000.00 request is over it: asking for at most 8500.00 (a `none` step, cost 0, 500.00 less)
    // lifts rule 24 without changing what can be drawn.
    let want = Want {
        reachable: Status::Limited,
        available: "8500.00",
        effective_limit: "10500.00",
        earliest: NOW,
        cost: 0,
        steps: vec![step("none")
            .fact("request.amount", "8500.00")
            .amount("500.00")
            .lifts(&["amount_over_available"])
            .after("limited", "8500.00")],
        fixed: &["segment_reduction"],
    };
    check_persona("segment_c", &want);
}

#[test]
fn several_reasons_waits_first_then_renews_the_id() {
    // Blocked (ID expired 2026-10-31; app 7.6.0 < 8.0.0), paused (5 failed logins, until
    // 2026-11-30 07:05), limited to min(0.5 × 16000.00 for 3 episodes, 0.7 × 16000.00 for
    // segment C) = 8000.00, capped at 2000.00 (cleared 2026-11-12, until 2026-12-12) and at
    // 3000.00 (income unverified). Nothing lifts the episodes or the segment: fixed. The best
    // reachable is limited with 8000.00 − 4200.00 = 3800.00, which needs the recent-overdue cap
    // gone: a wait until 2026-12-12 00:00 (1 + 13 started days = 14), which also ends the login
    // lock (so no face check). The ID must be valid on the plan's date, so it is renewed after the
    // wait, to 2026-12-12 or later (5); then the app (2): limited, min(3800.00, 3000.00); then
    // proof of income (5): 3800.00. Total 14 + 5 + 2 + 5 = 26. Renewing first (to 2026-11-29) would
    // expire again by 2026-12-12 and cost 5 more.
    let want = Want {
        reachable: Status::Limited,
        available: "3800.00",
        effective_limit: "8000.00",
        earliest: "2026-12-12T00:00:00+08:00",
        cost: 26,
        steps: vec![
            step("wait")
                .until("2026-12-12T00:00:00+08:00")
                .lifts(&["login_lock", "recent_overdue"])
                .after("blocked", "0.00"),
            step("upload_document")
                .fact("account.id_expiry", "2026-12-12")
                .lifts(&["id_expired"])
                .after("blocked", "0.00"),
            step("update_app")
                .fact("account.app_version", "8.0.0")
                .lifts(&["app_outdated"])
                .after("limited", "3000.00"),
            step("upload_document")
                .fact("capacity.income_verified", "true")
                .lifts(&["income_unverified"])
                .after("limited", "3800.00"),
        ],
        fixed: &["repeated_overdue", "segment_reduction"],
    };
    check_persona("several_reasons", &want);
}

#[test]
fn severe_overdue_repays_and_stops_there() {
    // Frozen (97 days) and blocked. Repaying ¥4,862.30 (cost 10) lifts both; the line is then
    // 0.5 × 10000.00 = 5000.00 (4 episodes: fixed) of which 9650.00 is used: limited, 0.00. The
    // 30-day recent-overdue cap that repaying starts changes nothing (nothing is left to draw), so
    // waiting it out (31 more) is no part of the best plan.
    let want = Want {
        reachable: Status::Limited,
        available: "0.00",
        effective_limit: "5000.00",
        earliest: NOW,
        cost: 10,
        steps: vec![step("repay")
            .fact("credit.overdue_days", "0")
            .amount("4862.30")
            .lifts(&["overdue_severe", "overdue_now"])
            .after("limited", "0.00")],
        fixed: &["repeated_overdue"],
    };
    check_persona("severe_overdue", &want);
}

#[test]
fn every_persona_has_a_test_here() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/personas");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path().file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let tested = [
        "frozen",
        "healthy",
        "high_dti",
        "income_unverified",
        "login_lock",
        "maintenance_night",
        "missing_capacity",
        "new_device",
        "overdue",
        "regulatory_cap",
        "segment_c",
        "several_reasons",
        "severe_overdue",
    ];
    assert_eq!(names, tested, "a persona was added or removed: give it a hand-worked plan above");
}

// ---------------------------------------------------------------------------------------------
// Thresholds, exact to the fen
// ---------------------------------------------------------------------------------------------

/// High DTI with odd figures: income 10000.01, debt 6000.01 > 0.5 × 10000.01 = 5000.005.
fn high_dti_odd() -> Value {
    with(
        &persona("high_dti"),
        &[("capacity.monthly_income", json!("10000.01")), ("capacity.monthly_debt_payments", json!("6000.01"))],
    )
}

/// The only lever on high_dti left is the debt: the income fact has no action in this pack.
const INCOME_LEVER: &str = r#"monthly_income = { type = "money", action = "upload_document", direction = "up", also."capacity.income_verified" = "true", "#;

#[test]
fn reducing_debt_goes_to_the_largest_figure_that_lifts_it() {
    let pack = pack_with(INCOME_LEVER, r#"monthly_income = { type = "money", "#);
    let json = high_dti_odd();
    assert!(fires(&pack, &json, "high_dti"));
    // debt ≤ 0.5 × 10000.01 = 5000.005 → at most floor_fen(5000.005) = 5000.00, by
    // 6000.01 − 5000.00 = 1000.01. Cost 30; then eligible: 30000.00 − 6000.00 = 24000.00.
    let plan = plan_of(&pack, &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "24000.00",
        effective_limit: "30000.00",
        earliest: NOW,
        cost: 30,
        steps: vec![step("reduce_debt")
            .fact("capacity.monthly_debt_payments", "5000.00")
            .amount("1000.01")
            .lifts(&["high_dti"])
            .after("eligible", "24000.00")],
        fixed: &[],
    };
    assert_plan("reduce debt", &plan, &want);
    let text = &plan.steps[0].text;
    assert!(text.en.contains("¥5,000.00 or less") && text.en.contains("by ¥1,000.01"), "{}", text.en);
    assert!(text.zh_cn.contains("¥5,000.00") && text.zh_cn.contains("¥1,000.01"), "{}", text.zh_cn);
    // Both sides of the threshold, by the engine.
    let debt = |d: &str| with(&json, &[("capacity.monthly_debt_payments", json!(d))]);
    assert!(!fires(&pack, &debt("5000.00"), "high_dti"), "5000.00 ≤ 5000.005");
    assert!(fires(&pack, &debt("5000.01"), "high_dti"), "5000.01 > 5000.005");
}

#[test]
fn reducing_debt_is_chosen_when_it_is_the_cheaper_step() {
    // Same profile, the default levers, but reduce_debt costs 1 (< upload_document 5).
    let pack = pack_with("reduce_debt = 30", "reduce_debt = 1");
    let plan = plan_of(&pack, &high_dti_odd()).unwrap();
    assert_eq!(plan.cost, 1);
    assert_eq!(plan.steps.len(), 1);
    let s = &plan.steps[0];
    assert_eq!(
        (s.action, s.to.as_deref(), s.amount.map(|a| a.plain())),
        (Action::ReduceDebt, Some("5000.00"), Some("1000.01".into()))
    );
}

#[test]
fn verifying_income_goes_to_the_smallest_figure_that_lifts_it() {
    // income ≥ 6000.01 / 0.5 = 12000.02 (exact), raised by 2000.01; upload_document, cost 5.
    let json = high_dti_odd();
    let plan = plan_of(pack(), &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "24000.00",
        effective_limit: "30000.00",
        earliest: NOW,
        cost: 5,
        steps: vec![step("upload_document")
            .fact("capacity.monthly_income", "12000.02")
            .amount("2000.01")
            .lifts(&["high_dti"])
            .after("eligible", "24000.00")],
        fixed: &[],
    };
    assert_plan("verify income", &plan, &want);
    assert!(plan.steps[0].text.en.contains("¥12,000.02 or more"), "{}", plan.steps[0].text.en);
    let income = |i: &str| with(&json, &[("capacity.monthly_income", json!(i))]);
    assert!(!fires(pack(), &income("12000.02"), "high_dti"), "6000.01 ≤ 0.5 × 12000.02 = 6000.01");
    assert!(fires(pack(), &income("12000.01"), "high_dti"), "6000.01 > 0.5 × 12000.01 = 6000.005");
}

#[test]
fn a_ratio_that_does_not_divide_evenly_rounds_in_the_borrowers_favour() {
    // dti_max 0.3; income 10000.01, debt 3100.00 > 0.3 × 10000.01 = 3000.003.
    let json = with(
        &persona("high_dti"),
        &[("capacity.monthly_income", json!("10000.01")), ("capacity.monthly_debt_payments", json!("3100.00"))],
    );
    // Income: ≥ 3100.00 / 0.3 = 10333.333… → rounded UP to 10333.34 (10333.33 would fall short).
    let pack = pack_with("dti_max = 0.5", "dti_max = 0.3");
    let plan = plan_of(&pack, &json).unwrap();
    assert_eq!(plan.steps.len(), 1);
    let s = &plan.steps[0];
    assert_eq!((s.action, s.to.as_deref()), (Action::UploadDocument, Some("10333.34")));
    assert_eq!(s.amount.map(|a| a.plain()).as_deref(), Some("333.33")); // 10333.34 − 10000.01
    let income = |i: &str| with(&json, &[("capacity.monthly_income", json!(i))]);
    assert!(!fires(&pack, &income("10333.34"), "high_dti"), "0.3 × 10333.34 = 3100.002 ≥ 3100.00");
    assert!(fires(&pack, &income("10333.33"), "high_dti"), "0.3 × 10333.33 = 3099.999 < 3100.00");
    // Debt: ≤ 3000.003 → rounded DOWN to 3000.00, by 100.00.
    let text = drawcheck::DEFAULT_PACK
        .replace("dti_max = 0.5", "dti_max = 0.3")
        .replace(INCOME_LEVER, r#"monthly_income = { type = "money", "#);
    let pack = compile(&text);
    let plan = plan_of(&pack, &json).unwrap();
    let s = &plan.steps[0];
    assert_eq!(
        (s.action, s.to.as_deref(), s.amount.map(|a| a.plain())),
        (Action::ReduceDebt, Some("3000.00"), Some("100.00".into()))
    );
    let debt = |d: &str| with(&json, &[("capacity.monthly_debt_payments", json!(d))]);
    assert!(!fires(&pack, &debt("3000.00"), "high_dti"));
    assert!(fires(&pack, &debt("3000.01"), "high_dti"));
}

#[test]
fn verifying_income_also_lifts_the_unverified_income_cap() {
    // Income 8000.00 not verified, debt 5200.00: high_dti (line 15000.00), the 3000.00 cap, and
    // the 5000.00 request over that cap (rule 24). Raising income to 10400.00 by uploading proof
    // also marks it verified (the lever's `also`): one step of cost 5 lifts all three;
    // 30000.00 − 6000.00 = 24000.00, and 5000.00 fits.
    let json = with(&persona("high_dti"), &[("capacity.income_verified", json!(false))]);
    let plan = plan_of(pack(), &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "24000.00",
        effective_limit: "30000.00",
        earliest: NOW,
        cost: 5,
        steps: vec![step("upload_document")
            .fact("capacity.monthly_income", "10400.00")
            .amount("2400.00")
            .lifts(&["high_dti", "income_unverified", "amount_over_available"])
            .after("eligible", "24000.00")],
        fixed: &[],
    };
    assert_plan("income and verification", &plan, &want);
    let facts: Vec<&str> = plan.steps[0].changes.iter().map(|c| c.fact.as_str()).collect();
    assert_eq!(facts, ["capacity.monthly_income", "capacity.income_verified"]);
}

#[test]
fn a_wait_ends_exactly_when_the_restriction_does() {
    // Overdue: after repaying today, the cap runs to 2026-11-29 + 30d = 2026-12-29 00:00: it still
    // holds one second before, and not at the plan's `until`.
    let json = persona("overdue");
    let plan = plan_of(pack(), &json).unwrap();
    let mut repaid = json.clone();
    for c in &plan.steps[0].changes {
        set(&mut repaid, &c.fact, serde_json::to_value(&c.to).unwrap());
    }
    let at = |j: &Value, t: &str| {
        let mut j = j.clone();
        j["as_of"] = json!(t);
        j
    };
    assert_eq!(plan.steps[1].until.as_deref(), Some("2026-12-29T00:00:00+08:00"));
    assert!(fires(pack(), &at(&repaid, "2026-12-28T23:59:59+08:00"), "recent_overdue"));
    assert!(!fires(pack(), &at(&repaid, "2026-12-29T00:00:00+08:00"), "recent_overdue"));
    // Maintenance: the window is [01:00, 05:00).
    let json = persona("maintenance_night");
    assert!(fires(pack(), &at(&json, "2026-12-06T04:59:59+08:00"), "maintenance"));
    assert!(!fires(pack(), &at(&json, "2026-12-06T05:00:00+08:00"), "maintenance"));
    // Login lock with no way but waiting (a face check costs 100 here): until the last failure
    // + 24h = 2026-11-30 08:47:12, to the second, when the failed sign-ins lapse. Cost 1 + 1
    // started day (22 h 47 min 12 s) = 2.
    let pack = pack_with("verify_identity = 2", "verify_identity = 100");
    let plan = plan_of(&pack, &persona("login_lock")).unwrap();
    assert_eq!(plan.cost, 2);
    assert_eq!(plan.steps.len(), 1);
    let s = &plan.steps[0];
    assert_eq!(s.until.as_deref(), Some("2026-11-30T08:47:12+08:00"));
    let changes: Vec<(&str, Value)> =
        s.changes.iter().map(|c| (c.fact.as_str(), serde_json::to_value(&c.to).unwrap())).collect();
    assert_eq!(changes, [("behavior.login_failures_24h", json!(0)), ("behavior.requests_last_hour", json!(0))]);
}

#[test]
fn an_id_that_would_expire_during_a_wait_is_renewed_before_it() {
    // Healthy but for an overdue cleared on 2026-11-20 (one drawdown capped at 2000.00 until
    // 2026-12-20 00:00; the 3000.00 request is over it) and an ID valid until 2026-12-10. Waiting
    // the cap out alone would leave the borrower blocked (the ID expires on the way), so it is no
    // step; but id_expired, solved at the wait's end, asks for an ID valid on 2026-12-20: renewed
    // first (5, lifting nothing yet), then the wait (1 + 21 started days = 22) lifts the cap and
    // the request fits: eligible with 20000.00 − 3500.00 = 16500.00, cost 27. Without this the
    // best was asking for 2000.00 (limited, the cap "fixed").
    let json = with(
        &persona("healthy"),
        &[("account.id_expiry", json!("2026-12-10")), ("credit.last_overdue_cleared_at", json!("2026-11-20"))],
    );
    let want = Want {
        reachable: Status::Eligible,
        available: "16500.00",
        effective_limit: "20000.00",
        earliest: "2026-12-20T00:00:00+08:00",
        cost: 27,
        steps: vec![
            step("upload_document").fact("account.id_expiry", "2026-12-20").lifts(&[]).after("limited", "2000.00"),
            step("wait")
                .until("2026-12-20T00:00:00+08:00")
                .lifts(&["recent_overdue", "amount_over_available"])
                .after("eligible", "16500.00"),
        ],
        fixed: &[],
    };
    assert_plan("id expiring during the wait", &plan_of(pack(), &json).unwrap(), &want);
    // The same rule, written only in a pack (a document that must be valid a week ahead), gets the
    // same treatment: renewed to the wait's end + 7 days.
    let pack = pack_with("account.id_expiry < date(as_of)", "account.id_expiry < date(as_of) + 7d");
    let plan = plan_of(&pack, &json).unwrap();
    let steps: Vec<(&str, Option<&str>)> = plan.steps.iter().map(|s| (s.action.name(), s.to.as_deref())).collect();
    assert_eq!(steps, [("upload_document", Some("2026-12-27")), ("wait", None)], "{plan:#?}");
    assert_eq!(plan.reachable, Status::Eligible);
}

/// The default pack with high_dti written as a ratio, `debt / income > max`: the income is in the
/// divisor.
fn ratio_pack(max: &str) -> Pack {
    pack_with(
        r#"when = "capacity.monthly_debt_payments > params.dti_max * capacity.monthly_income""#,
        &format!(r#"when = "capacity.monthly_debt_payments / capacity.monthly_income > {max}""#),
    )
}

#[test]
fn a_ratio_with_the_income_in_the_divisor_is_solved_for_the_income() {
    // 5200.00 / 8000.00 = 0.65 > 0.3. Income: 5200.00 / income ≤ 0.3 ⇔ income ≥ 5200.00 / 0.3 =
    // 17333.333…, so 17333.34 (rounded up: the smallest figure that lifts it), raised by 9333.34;
    // upload_document, cost 5 (reducing debt to 0.3 × 8000.00 = 2400.00 costs 30). Then
    // eligible: 30000.00 − 6000.00 = 24000.00.
    let pack = ratio_pack("0.3");
    let json = persona("high_dti");
    let plan = plan_of(&pack, &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "24000.00",
        effective_limit: "30000.00",
        earliest: NOW,
        cost: 5,
        steps: vec![step("upload_document")
            .fact("capacity.monthly_income", "17333.34")
            .amount("9333.34")
            .lifts(&["high_dti"])
            .after("eligible", "24000.00")],
        fixed: &[],
    };
    assert_plan("ratio", &plan, &want);
    let income = |i: &str| with(&json, &[("capacity.monthly_income", json!(i))]);
    assert!(!fires(&pack, &income("17333.34"), "high_dti"), "5200.00 / 17333.34 = 0.29999… ≤ 0.3");
    assert!(fires(&pack, &income("17333.33"), "high_dti"), "5200.00 / 17333.33 = 0.30000005… > 0.3");
}

#[test]
fn a_ratio_threshold_that_division_leaves_a_fen_short_is_raised_by_a_fen() {
    // 30.00 / 50.00 > c for c = 0.29999999999999997: income ≥ 30.00 / c = 100.00000000000001…,
    // which a division (12 decimals) gives as 100.000000000000, a fen figure, but 100.00 still
    // fires (30.00 / 100.00 = 0.3 > c): the smallest income that lifts it is 100.01.
    let pack = ratio_pack("0.29999999999999997");
    let json = with(
        &persona("high_dti"),
        &[("capacity.monthly_income", json!("50.00")), ("capacity.monthly_debt_payments", json!("30.00"))],
    );
    let plan = plan_of(&pack, &json).unwrap();
    let s = &plan.steps[0];
    assert_eq!(
        (s.action, s.fact.as_deref(), s.to.as_deref()),
        (Action::UploadDocument, Some("capacity.monthly_income"), Some("100.01")),
        "{plan:#?}"
    );
    let income = |i: &str| with(&json, &[("capacity.monthly_income", json!(i))]);
    assert!(!fires(&pack, &income("100.01"), "high_dti"));
    assert!(fires(&pack, &income("100.00"), "high_dti"));
}

// ---------------------------------------------------------------------------------------------
// Rules written only in a pack
// ---------------------------------------------------------------------------------------------

/// The default pack with one more rule appended (no code knows its id).
fn pack_plus(rule: &str) -> Pack {
    compile(&format!("{}\n{rule}", drawcheck::DEFAULT_PACK))
}

#[test]
fn a_block_on_debt_written_in_the_pack_gets_a_reduce_debt_step() {
    let pack = pack_plus(
        r#"
[[rules]]
id = "debt_ceiling"
when = "capacity.monthly_debt_payments > 8000"
effect = "block"
scope = "individual"
category = "capacity"
title.zh-CN = "每月还债过多"
title.en = "Monthly debt payments too high"
detail.zh-CN = "每月还债{capacity.monthly_debt_payments}。"
detail.en = "Monthly debt payments of {capacity.monthly_debt_payments}."
[[rules.steps]]
action = "reduce_debt"
text.zh-CN = "减少每月还债。"
text.en = "Lower your monthly debt payments."
"#,
    );
    // Income 30000.00 keeps high_dti out of it (9000.01 ≤ 15000.00). Debt ≤ 8000 → 8000.00, by
    // 1000.01; reduce_debt costs 30. Then eligible with 20000.00 − 3500.00 = 16500.00.
    let json = with(
        &persona("healthy"),
        &[("capacity.monthly_income", json!("30000.00")), ("capacity.monthly_debt_payments", json!("9000.01"))],
    );
    let plan = plan_of(&pack, &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "16500.00",
        effective_limit: "20000.00",
        earliest: NOW,
        cost: 30,
        steps: vec![step("reduce_debt")
            .fact("capacity.monthly_debt_payments", "8000.00")
            .amount("1000.01")
            .lifts(&["debt_ceiling"])
            .after("eligible", "16500.00")],
        fixed: &[],
    };
    assert_plan("debt_ceiling", &plan, &want);
    let debt = |d: &str| with(&json, &[("capacity.monthly_debt_payments", json!(d))]);
    assert!(!fires(&pack, &debt("8000.00"), "debt_ceiling"));
    assert!(fires(&pack, &debt("8000.01"), "debt_ceiling"));
}

#[test]
fn a_cap_on_a_nearly_used_line_written_in_the_pack_gets_a_repayment() {
    let pack = pack_plus(
        r#"
[[rules]]
id = "near_limit"
when = "account.used > 0.9 * account.credit_limit"
effect = "cap"
scope = "individual"
category = "account"
amount = 'money("500.00")'
title.zh-CN = "额度快用完了"
title.en = "Your line is nearly used"
detail.zh-CN = "每笔最多{amount}。"
detail.en = "Each drawdown can be at most {amount}."
[[rules.steps]]
action = "repay"
text.zh-CN = "先还一部分。"
text.en = "Repay part of it first."
"#,
    );
    // Line 10000.05, used 9500.00 > 0.9 × 10000.05 = 9000.045: capped at 500.00 →
    // min(10000.05 − 9500.00 = 500.05, 500.00) = 500.00. Repay until used ≤ 9000.045, i.e.
    // floor_fen → 9000.04: ¥499.96 (cost 10). Then eligible: 10000.05 − 9000.04 = 1000.01.
    let json = with(
        &persona("healthy"),
        &[
            ("account.credit_limit", json!("10000.05")),
            ("account.used", json!("9500.00")),
            ("request.amount", json!("100.00")),
        ],
    );
    assert_eq!(verdict(&pack, &json).available.plain(), "500.00");
    let plan = plan_of(&pack, &json).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "1000.01",
        effective_limit: "10000.05",
        earliest: NOW,
        cost: 10,
        steps: vec![step("repay")
            .fact("account.used", "9000.04")
            .amount("499.96")
            .lifts(&["near_limit"])
            .after("eligible", "1000.01")],
        fixed: &[],
    };
    assert_plan("near_limit", &plan, &want);
    let used = |u: &str| with(&json, &[("account.used", json!(u))]);
    assert!(!fires(&pack, &used("9000.04"), "near_limit"));
    assert!(fires(&pack, &used("9000.05"), "near_limit"));
}

#[test]
fn a_pause_with_an_end_written_in_the_pack_is_waited_out() {
    let pack = pack_plus(
        r#"
[[rules]]
id = "cooling_off"
when = "credit.overdue_days == 0 && credit.last_overdue_cleared_at + 7d > date(as_of)"
effect = "pause"
scope = "individual"
category = "credit"
until = "credit.last_overdue_cleared_at + 7d"
title.zh-CN = "还清逾期后冷静期"
title.en = "A short pause after a late payment"
detail.zh-CN = "{until}之后再试。"
detail.en = "Try again after {until}."
[[rules.steps]]
action = "wait"
until = "credit.last_overdue_cleared_at + 7d"
text.zh-CN = "等到{until}。"
text.en = "Wait until {until}."
"#,
    );
    // The overdue persona: repaying (10) now also pauses until 2026-11-29 + 7d = 2026-12-06 00:00.
    // Waiting to 12-06 (1 + 7 = 8) and then to 12-29 (1 + 23 = 24) costs 32; waiting straight to
    // 12-29 (1 + 30 = 31) lifts both the pause and the 30-day cap: 10 + 31 = 41, eligible 6400.00.
    let plan = plan_of(&pack, &persona("overdue")).unwrap();
    let want = Want {
        reachable: Status::Eligible,
        available: "6400.00",
        effective_limit: "15000.00",
        earliest: "2026-12-29T00:00:00+08:00",
        cost: 41,
        steps: vec![
            step("repay")
                .fact("credit.overdue_days", "0")
                .amount("1234.50")
                .lifts(&["overdue_now"])
                .after("paused", "0.00"),
            step("wait")
                .until("2026-12-29T00:00:00+08:00")
                .lifts(&["recent_overdue", "cooling_off"]) // in pack order: the new rule is last
                .after("eligible", "6400.00"),
        ],
        fixed: &[],
    };
    assert_plan("cooling_off", &plan, &want);
}

// ---------------------------------------------------------------------------------------------
// The property: every plan replays, on generated profiles
// ---------------------------------------------------------------------------------------------

fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

fn fen(f: i64) -> Value {
    Value::String(format!("{}.{:02}", f / 100, f % 100))
}

/// Amounts in fen, mostly near the figures the rules turn on (± 2 fen), sometimes anywhere.
fn money(points: &'static [i64]) -> BoxedStrategy<i64> {
    prop_oneof![
        3 => select(points).prop_flat_map(|p| (-2i64..=2).prop_map(move |d| (p + d).max(0))),
        1 => 0i64..5_000_000,
    ]
    .boxed()
}

/// `base × num / den ± delta` fen: an amount around a fraction of another (used of the line,
/// debt of income), where the rules' thresholds are.
fn share(base: i64, (num, den): (i64, i64), delta: i64) -> i64 {
    (base * num / den + delta).max(0)
}

fn shares() -> BoxedStrategy<((i64, i64), i64)> {
    (select(vec![(0, 1), (1, 10), (3, 10), (1, 2), (9, 10), (1, 1), (6, 5)]), -2i64..=2).boxed()
}

/// A profile (as JSON) spread across every rule's threshold, mostly complete and mostly active.
fn profile() -> impl Strategy<Value = Value> {
    let instants = vec![
        "2026-11-29T10:00:00+08:00",
        "2026-11-14T23:30:00+08:00",
        "2026-12-06T00:30:00+08:00",
        "2026-12-06T02:30:00+08:00",
        "2026-12-06T04:59:59+08:00",
        "2026-12-31T23:00:00+08:00",
    ];
    let when =
        (select(instants), prop_oneof![3 => Just(0i64), 1 => -90_000i64..90_000], select(vec![480, 480, 0, -300]));
    let account = (
        prop_oneof![12 => Just("active"), 1 => Just("frozen"), 1 => Just("closed")],
        money(&[1_000_000, 2_000_000, 1_500_000, 20_000_000, 20_000_001, 25_000_000]),
        shares(),
        proptest::bool::weighted(0.9),
        select(vec![-400i64, -1, 0, 1, 5, 20, 40, 400]),
        select(vec![17i64, 18, 34, 55, 56]),
        prop_oneof![8 => Just("CN-GD"), 1 => Just("CN-HI")],
        select(vec!["8.2.1", "8.2.1", "8.0.0", "7.9.9", "7.6.0"]),
        select(vec!["A", "A", "C"]),
    );
    let credit = (
        select(vec![0i64, 0, 0, 0, 1, 12, 89, 90, 120]),
        money(&[0, 123_450, 486_230]),
        select(vec![0i64, 0, 2, 3, 5]),
        prop_oneof![2 => Just(None), 3 => select(vec![-31i64, -30, -29, -17, -1, 0]).prop_map(Some)],
        proptest::bool::weighted(0.05),
        proptest::bool::weighted(0.05),
        select(vec![0i64, 1, 5, 6, 9]),
    );
    let behavior = (
        select(vec![0i64, 0, 1, 4, 5, 6]),
        prop_oneof![1 => Just(None), 3 => select(vec![-86_401i64, -86_400, -86_399, -3600, -60, 0]).prop_map(Some)],
        proptest::bool::weighted(0.15),
        select(vec![0i64, 3, 60, 61, 300]),
    );
    let capacity = (
        money(&[800_000, 1_000_001, 1_200_000, 650_000]),
        proptest::bool::weighted(0.75),
        shares(),
        prop_oneof![1 => Just(None), 2 => money(&[100_000, 300_000, 500_000, 1_000_000]).prop_map(Some)],
        // Sometimes a group is left out, so that rules are undetermined.
        prop_oneof![12 => Just(None), 1 => select(vec!["capacity", "behavior", "request"]).prop_map(Some)],
    );
    (when, account, credit, behavior, capacity).prop_map(|(when, a, c, b, k)| {
        let (instant, jitter, offset) = when;
        let zone = UtcOffset::from_whole_seconds(offset * 60).unwrap();
        let as_of = (OffsetDateTime::parse(instant, &Rfc3339).unwrap() + Duration::seconds(jitter)).to_offset(zone);
        let day = |n: i64| Value::String((as_of.date() + Duration::days(n)).to_string());
        let (limit, used) = (a.1, share(a.1, a.2 .0, a.2 .1));
        let (income, debt) = (k.0, share(k.0, k.2 .0, k.2 .1));
        let mut json = json!({
            "as_of": as_of.format(&Rfc3339).unwrap(),
            "account": { "status": a.0, "credit_limit": fen(limit), "used": fen(used), "kyc_verified": a.3,
                         "id_expiry": day(a.4), "age": a.5, "region": a.6, "app_version": a.7, "segment": a.8 },
            "credit": { "overdue_days": c.0, "overdue_amount": fen(if c.0 > 0 { c.1.max(1) } else { 0 }),
                        "overdue_episodes_12m": c.2, "last_overdue_cleared_at": c.3.map_or(Value::Null, day),
                        "court_enforcement_listed": c.4, "bureau_blacklisted": c.5, "multi_lender_count_3m": c.6 },
            "behavior": { "login_failures_24h": b.0,
                          "last_login_failure_at": b.1.map_or(Value::Null, |s| Value::String((as_of + Duration::seconds(s)).format(&Rfc3339).unwrap())),
                          "new_device_unverified": b.2, "requests_last_hour": b.3 },
            "capacity": { "monthly_income": fen(income), "income_verified": k.1, "monthly_debt_payments": fen(debt) },
        });
        if let Some(r) = k.3 {
            json["request"] = json!({ "amount": fen(r) });
        }
        if let Some(group) = k.4 {
            json.as_object_mut().unwrap().remove(group);
        }
        json
    })
}

/// For every generated profile: a plan exactly when not eligible; applying each step's changes
/// (and moving `as_of` to a wait's `until`) gives the status and amount the step promised, and
/// after the last step those of the plan, at `earliest`; no step changes what it may not (in
/// particular no fact without an `action`, except a joint effect of an action or a lapse in a
/// wait); no step leaves the borrower worse off.
#[test]
fn every_plan_replays_on_the_engine() {
    let config = Config { cases: cases(192), failure_persistence: None, ..Config::default() };
    let mut runner = TestRunner::new(config);
    let stats = std::cell::RefCell::new([0usize; 6]);
    let pack = pack();
    let result = runner.run(&profile(), |json| {
        let profile = drawcheck::read_profile(pack, &json.to_string())
            .map_err(|e| TestCaseError::fail(format!("{e}: {json:#}")))?;
        let v = drawcheck::check(pack, &profile, Options::default());
        let plan = recourse::plan(pack, &profile, &v);
        prop_assert_eq!(plan.is_none(), v.status == Status::Eligible);
        if let Some(plan) = plan {
            replay(pack, &json, &plan)
                .map_err(|e| TestCaseError::fail(format!("{e}\nprofile: {json:#}\nplan: {plan:#?}")))?;
            stats.borrow_mut()[plan.steps.len().min(5)] += 1;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    // The generator reaches plans of several steps, not only trivial ones.
    let stats = stats.into_inner();
    assert!(stats[1] > 0 && stats[2] > 0, "plans by step count: {stats:?}");
}
