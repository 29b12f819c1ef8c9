//! Any bytes as rule-pack TOML. Whatever compiles is evaluated on a few fixed profiles.
//! Nothing may panic. Seed the corpus with rules/default.toml (see README.md).
#![no_main]

use drawcheck::Options;
use libfuzzer_sys::fuzz_target;

const PROFILES: [&str; 3] = [
    r#"{"as_of": "2026-11-29T10:00:00+08:00"}"#,
    r#"{"as_of": "2026-11-29T10:00:00+08:00",
        "account": {"status": "active", "credit_limit": "20000.00", "used": "3500.00", "kyc_verified": true,
                    "id_expiry": "2030-05-01", "age": 34, "region": "CN-GD", "app_version": "8.2.1", "segment": "A"},
        "credit": {"overdue_days": 0, "overdue_amount": "0.00", "overdue_episodes_12m": 0,
                   "last_overdue_cleared_at": "2026-11-12", "court_enforcement_listed": false,
                   "bureau_blacklisted": false, "multi_lender_count_3m": 1},
        "behavior": {"login_failures_24h": 0, "last_login_failure_at": null, "new_device_unverified": false,
                     "requests_last_hour": 3},
        "capacity": {"monthly_income": "12000.00", "income_verified": true, "monthly_debt_payments": "2500.00"},
        "request": {"amount": "5000.00"}}"#,
    r#"{"as_of": "2026-12-06T02:00:00+08:00", "locale": "en",
        "account": {"status": "frozen", "credit_limit": "300000.00", "used": "300000.00", "kyc_verified": false,
                    "id_expiry": "2020-01-01", "age": 17, "region": "CN-HI", "app_version": "7.9", "segment": "C"},
        "credit": {"overdue_days": 95, "overdue_amount": "1234.56", "overdue_episodes_12m": 4,
                   "last_overdue_cleared_at": "2026-11-20", "court_enforcement_listed": true,
                   "bureau_blacklisted": true, "multi_lender_count_3m": 9},
        "behavior": {"login_failures_24h": 7, "last_login_failure_at": "2026-12-06T01:30:00+08:00",
                     "new_device_unverified": true, "requests_last_hour": 99},
        "capacity": {"monthly_income": "0.00", "income_verified": false, "monthly_debt_payments": "10.00"},
        "request": {"amount": "999999999999.99"}}"#,
];

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let pack = match drawcheck::compile_pack(text) {
        Ok(pack) => pack,
        Err(diags) => {
            assert!(!diags.is_empty());
            for d in &diags {
                let _ = d.to_string();
            }
            return;
        }
    };
    for json in PROFILES {
        // A mutated pack may have another schema; a profile it refuses is fine.
        let Ok(profile) = drawcheck::read_profile(&pack, json) else { continue };
        let v = drawcheck::check(&pack, &profile, Options { trace: true, ..Options::default() });
        if v.status.stops_drawing() {
            assert_eq!(v.available.0, 0);
        }
        assert!(v.missing.windows(2).all(|w| w[0] < w[1]));
        let _ = drawcheck::explain::text(&pack, &v);
    }
});
