//! Any bytes as an expression. It is parsed on its own; when it parses, it is also compiled as a
//! rule's condition and as a text placeholder in a pack with the default pack's facts and params,
//! and evaluated on a profile, so the checker and the evaluator see it too. Nothing may panic.
#![no_main]

use drawcheck::Options;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

/// The default pack up to its first rule: header, facts, params.
fn head() -> &'static str {
    static HEAD: OnceLock<&'static str> = OnceLock::new();
    HEAD.get_or_init(|| {
        let text = drawcheck::DEFAULT_PACK;
        let end = text.find("\n[[rules]]").map_or(text.len(), |i| i + 1);
        text.get(..end).unwrap_or(text)
    })
}

const PROFILE: &str = r#"{"as_of": "2026-12-06T02:00:00+08:00",
    "account": {"status": "active", "credit_limit": "20000.00", "used": "3500.00", "kyc_verified": true,
                "id_expiry": "2030-05-01", "age": 34, "region": "CN-HI", "app_version": "8.2.1", "segment": "C"},
    "credit": {"overdue_days": 3, "overdue_amount": "10.01", "last_overdue_cleared_at": null},
    "behavior": {"last_login_failure_at": "2026-12-06T01:30:00+08:00"},
    "capacity": {"monthly_income": "0.00", "monthly_debt_payments": "10.00"}}"#;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Err(e) = drawcheck::expr::parse(src) {
        assert!(e.span.start <= e.span.end && e.span.end as usize <= src.len());
        return;
    }
    // A multi-line literal TOML string cannot hold three quotes in a row.
    if src.contains("'''") {
        return;
    }
    let pack_text = format!(
        "{head}[[rules]]\nid = \"fuzzed\"\nwhen = '''{src}'''\neffect = \"cap\"\nscope = \"individual\"\n\
         amount = '''account.credit_limit'''\ntitle.en = '''t'''\ntitle.zh-CN = '''t'''\n\
         detail.en = '''d'''\ndetail.zh-CN = '''d'''\n\n[[rules]]\nid = \"shown\"\nwhen = \"true\"\n\
         effect = \"cap\"\nscope = \"individual\"\namount = '''account.used'''\n\
         title.en = '''{{{src}}}'''\ntitle.zh-CN = '''t'''\ndetail.en = '''d'''\ndetail.zh-CN = '''d'''\n",
        head = head(),
    );
    let Ok(pack) = drawcheck::compile_pack(&pack_text) else { return };
    if let Ok(profile) = drawcheck::read_profile(&pack, PROFILE) {
        let _ = drawcheck::check(&pack, &profile, Options { trace: true, ..Options::default() });
    }
});
