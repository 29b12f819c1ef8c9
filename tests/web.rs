//! The exported JS API, run inside headless Chromium by wasm-bindgen-test
//! (`cargo test --target wasm32-unknown-unknown --test web`; scripts/test sets it up).
#![cfg(target_arch = "wasm32")]

use drawcheck::web::api::{default_pack_text, Engine};
use serde_json::Value;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const HEALTHY: &str = include_str!("personas/healthy.json");
const OVERDUE: &str = include_str!("personas/overdue.json");

fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

#[wasm_bindgen_test]
fn the_default_pack_compiles_and_reports_itself() {
    let engine = Engine::with_default_pack();
    let report = parse(&engine.report());
    assert_eq!(report["type"], "success");
    assert_eq!(report["pack"]["id"], "default");
    assert_eq!(report["pack"]["rules"].as_array().map(Vec::len), Some(24));
    assert_eq!(report["pack"]["sha256"].as_str().map(str::len), Some(64));
    assert!(default_pack_text().contains("[[rules]]"));
}

#[wasm_bindgen_test]
fn the_shared_default_pack_answers_as_a_fresh_compile_of_its_text_does() {
    // withDefaultPack() hands out the instance's one compiled default pack (the page's own).
    let shared = Engine::with_default_pack();
    let fresh = Engine::new(&default_pack_text());
    assert_eq!(shared.report(), fresh.report());
    assert_eq!(shared.explain(OVERDUE, "{}"), fresh.explain(OVERDUE, "{}"));
    assert_eq!(Engine::with_default_pack().check(HEALTHY, "{}"), fresh.check(HEALTHY, "{}"));
}

#[wasm_bindgen_test]
fn a_healthy_profile_is_eligible_with_its_figures() {
    let answer = parse(&Engine::with_default_pack().check(HEALTHY, "{}"));
    assert_eq!(answer["type"], "success");
    assert_eq!(answer["verdict"]["status"], "eligible");
    assert_eq!(answer["verdict"]["reasons"].as_array().map(Vec::len), Some(0));
}

#[wasm_bindgen_test]
fn an_overdue_profile_is_blocked_and_says_how_much_to_repay_in_the_asked_language() {
    let answer = parse(&Engine::with_default_pack().check(OVERDUE, r#"{"locale":"en"}"#));
    let verdict = &answer["verdict"];
    assert_eq!(verdict["status"], "blocked");
    assert_eq!(verdict["available"], "0.00");
    assert_eq!(verdict["locale"], "en");
    let reason = &verdict["reasons"][0];
    assert_eq!(reason["rule"], "overdue_now");
    assert_eq!(reason["steps"][0]["action"], "repay");
    let amount = reason["steps"][0]["amount"].as_str().unwrap_or("");
    assert!(!amount.is_empty() && reason["steps"][0]["text"].as_str().unwrap_or("").contains('¥'));
}

#[wasm_bindgen_test]
fn bad_input_is_a_tagged_failure_with_position_not_an_exception() {
    let engine = Engine::with_default_pack();
    let answer = parse(&engine.check("{\"as_of\": \"2026-11-29T10:00:00+08:00\",\n \"acount\": {}}", "{}"));
    assert_eq!(answer["type"], "failure");
    assert_eq!(answer["error"]["line"], 2);
    assert!(answer["error"]["message"].as_str().unwrap_or("").contains("did you mean `account`"));
    let answer = parse(&engine.check("{", "{}"));
    assert_eq!(answer["type"], "failure");
    let answer = parse(&engine.check(HEALTHY, r#"{"locale":"fr"}"#));
    assert_eq!(answer["type"], "failure");
}

#[wasm_bindgen_test]
fn a_broken_pack_gives_diagnostics_with_line_and_column() {
    let engine =
        Engine::new("[pack]\nid = \"x\"\nversion = \"1\"\n[line]\ncredit_limit = \"account.limit\"\nused = \"0\"\n");
    let report = parse(&engine.report());
    assert_eq!(report["type"], "failure");
    let first = &report["errors"][0];
    assert_eq!(first["line"], 5);
    assert_eq!(first["column"], 17);
    let answer = parse(&engine.check(HEALTHY, "{}"));
    assert_eq!(answer["type"], "failure");
}

#[wasm_bindgen_test]
fn explain_carries_the_trace_and_text() {
    let answer = parse(&Engine::with_default_pack().explain(OVERDUE, "{}"));
    assert_eq!(answer["type"], "success");
    assert!(answer["text"].as_str().unwrap_or("").contains("overdue_now"));
    assert_eq!(answer["verdict"]["trace"].as_array().map(Vec::len), Some(24));
}
