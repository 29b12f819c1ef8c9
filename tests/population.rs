//! Populations: the generator (deterministic, realistic, every default rule covered), the impact
//! report (its counts add up; a param change shows), the fast outline (it decides as `check`
//! does), and `drawcheck simulate` / `drawcheck generate` on files with bad rows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use drawcheck::population::csv::{header, row, Columns};
use drawcheck::population::generate::DEFAULT_AS_OF;
use drawcheck::population::report::STATUSES;
use drawcheck::population::{profile_json, Config, FactIds, Generator, Impact, LineReader, Report};
use drawcheck::verdict::{outline, outline_pair, Comparison, Outline, Scratch};
use drawcheck::{Options, Pack, Status};
use serde_json::Value;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn default_pack() -> Pack {
    drawcheck::compile_pack(drawcheck::DEFAULT_PACK).unwrap()
}

/// The default pack with one text replaced (the replaced text must be there).
fn changed_pack(from: &str, to: &str) -> Pack {
    assert!(drawcheck::DEFAULT_PACK.contains(from), "{from}");
    drawcheck::compile_pack(&drawcheck::DEFAULT_PACK.replace(from, to)).unwrap()
}

fn generator(pack: &Pack, seed: u64) -> Generator {
    Generator::new(Config::new(seed, DEFAULT_AS_OF).with_window_of(pack))
}

/// The impact of moving `n` generated borrowers (seed 7) from `base` to `new`, in `parts`
/// accumulators merged at the end (as threads do).
fn impact(base: &Pack, new: &Pack, n: u64, parts: u64) -> Report {
    merged(accumulators(base, new, n, parts)).finish("test", base, new)
}

/// The accumulators of `impact`, before they are merged: borrower `i` counted in part `i % parts`.
fn accumulators(base: &Pack, new: &Pack, n: u64, parts: u64) -> Vec<Impact> {
    let gen = generator(base, 7);
    let ids = FactIds::resolve(&new.schema);
    let cmp = Comparison::new(base, new);
    (0..parts)
        .map(|part| {
            let mut acc = Impact::new(base, new, 10);
            let (mut before, mut after) = (Scratch::default(), Scratch::default());
            for i in (0..n).filter(|i| i % parts == part) {
                let p = ids.profile(&new.schema, &gen.borrower(i));
                let (b, a) = outline_pair(base, new, &cmp, &p, &p, &mut before, &mut after);
                acc.add(i, &b, &a, || profile_json(&new.schema, &p));
            }
            acc
        })
        .collect()
}

fn merged(parts: Vec<Impact>) -> Impact {
    let mut parts = parts.into_iter();
    let mut first = parts.next().unwrap();
    for p in parts {
        first.merge(p);
    }
    first
}

// ------------------------------------------------------------------------------------------------
// The generator
// ------------------------------------------------------------------------------------------------

#[test]
fn the_generator_is_deterministic_per_seed() {
    let pack = default_pack();
    let ids = FactIds::resolve(&pack.schema);
    let json = |gen: &Generator, i: u64| profile_json(&pack.schema, &ids.profile(&pack.schema, &gen.borrower(i)));
    let (a, b, c) = (generator(&pack, 42), generator(&pack, 42), generator(&pack, 43));
    let first: Vec<Value> = (0..2_000).map(|i| json(&a, i)).collect();
    let again: Vec<Value> = (0..2_000).map(|i| json(&b, i)).collect();
    assert_eq!(first, again, "the same seed makes the same population");
    // Borrower i does not depend on which others were made, or in which order.
    for i in [1_999, 7, 1_000, 0] {
        assert_eq!(json(&b, i), first[i as usize]);
    }
    let other: Vec<Value> = (0..2_000).map(|i| json(&c, i)).collect();
    let same = first.iter().zip(&other).filter(|(x, y)| x == y).count();
    assert!(same < 20, "another seed makes another population ({same} of 2000 equal)");
    // A reused profile (as the CLI fills it) is the same as a fresh one.
    let mut reused = drawcheck::Profile::empty(&pack.schema, DEFAULT_AS_OF);
    for i in 0..500 {
        ids.fill(&a.borrower(i), &mut reused);
        assert_eq!(profile_json(&pack.schema, &reused), first[i as usize], "borrower {i}");
    }
}

#[test]
fn every_default_rule_fires_in_ten_thousand_and_most_are_eligible() {
    let pack = default_pack();
    let report = impact(&pack, &pack, 10_000, 1);
    let never: Vec<&str> = report.rules.iter().filter(|r| r.before == 0).map(|r| r.rule.as_str()).collect();
    assert_eq!(report.rules.len(), 24);
    assert!(never.is_empty(), "rules that never fire in 10,000 generated borrowers: {never:?}");
    let count = |s: Status| report.statuses.iter().find(|r| r.status == s).unwrap().before;
    assert!(count(Status::Eligible) > 6_000, "most borrowers are healthy: {:?}", report.statuses);
    for s in STATUSES {
        assert!(count(s) > 0, "some borrowers are {}", s.name());
    }
    // Plausible rates, not a caricature.
    assert!(count(Status::Frozen) < 400 && count(Status::Blocked) < 1_500 && count(Status::Incomplete) < 300);
}

#[test]
fn generated_profiles_are_valid_contract_json_and_csv() {
    let pack = default_pack();
    let gen = generator(&pack, 3);
    let ids = FactIds::resolve(&pack.schema);
    assert_eq!(ids.resolved(), 24, "every fact of the default pack is generated");
    let columns = Columns::new(&pack.schema, header(&pack.schema).iter().map(String::as_str)).unwrap();
    for i in 0..2_000 {
        let p = ids.profile(&pack.schema, &gen.borrower(i));
        let text = profile_json(&pack.schema, &p).to_string();
        let read = drawcheck::read_profile(&pack, &text).unwrap_or_else(|e| panic!("{i}: {e}\n{text}"));
        assert_eq!(read, p, "JSON round trip of borrower {i}");
        let cells = row(&pack.schema, &p);
        let from_csv = columns.profile(&pack.schema, cells.iter().map(String::as_str)).unwrap();
        assert_eq!(from_csv, p, "CSV round trip of borrower {i}");
    }
}

#[test]
fn a_pack_without_some_facts_gets_profiles_without_them() {
    // A pack whose schema lacks `request.amount`: the generator leaves it out (and the pack's
    // own rules are what they are).
    let text = drawcheck::DEFAULT_PACK
        .replace("[facts.request]\namount = ", "[facts.request]\nwanted = ")
        .replace("request.amount", "request.wanted");
    let pack = drawcheck::compile_pack(&text).unwrap();
    let ids = FactIds::resolve(&pack.schema);
    let gen = generator(&pack, 1);
    let p = ids.profile(&pack.schema, &gen.borrower(0));
    let json = profile_json(&pack.schema, &p);
    assert!(json["request"].is_null(), "{json}");
    assert!(json["account"]["credit_limit"].is_string());
}

// ------------------------------------------------------------------------------------------------
// The fast outline decides as the full verdict does
// ------------------------------------------------------------------------------------------------

fn fired_ids(pack: &Pack, o: &Outline) -> Vec<String> {
    let mut ids: Vec<String> = o.fired.iter().map(|i| pack.rules[i].id.clone()).collect();
    ids.sort();
    ids
}

#[test]
fn outline_agrees_with_check_and_outline_pair_with_two_outlines() {
    let base = default_pack();
    let news = [
        changed_pack("dti_max = 0.5", "dti_max = 0.45"),
        changed_pack("multi_lender_max = 6", "multi_lender_max = 5"),
        changed_pack("paused_regions = [\"CN-HI\"]", "paused_regions = [\"CN-HI\", \"CN-XZ\"]"),
        changed_pack(
            "when = \"!capacity.income_verified\"",
            "when = \"!capacity.income_verified && account.used > money(\\\"0\\\")\"",
        ),
        default_pack(),
    ];
    let gen = generator(&base, 11);
    let ids = FactIds::resolve(&base.schema);
    let mut scratch = Scratch::default();
    for i in 0..1_500 {
        let p = ids.profile(&base.schema, &gen.borrower(i));
        let o = outline(&base, &p, &mut scratch);
        let v = drawcheck::check(&base, &p, Options::default());
        assert_eq!((o.status, o.available, o.effective_limit), (v.status, v.available, v.effective_limit), "{i}");
        let mut reasons: Vec<String> = v.reasons.iter().map(|r| r.rule.clone()).collect();
        reasons.sort();
        assert_eq!(fired_ids(&base, &o), reasons, "borrower {i}");
    }
    for new in &news {
        let cmp = Comparison::new(&base, new);
        assert!(cmp.shared() >= 20 || new.sha256 != base.sha256, "unchanged rules are shared");
        let (mut b1, mut a1, mut b2, mut a2) =
            (Scratch::default(), Scratch::default(), Scratch::default(), Scratch::default());
        for i in 0..5_000 {
            let p = ids.profile(&base.schema, &gen.borrower(i));
            let pair = outline_pair(&base, new, &cmp, &p, &p, &mut b1, &mut a1);
            let alone = (outline(&base, &p, &mut b2), outline(new, &p, &mut a2));
            assert_eq!(pair, alone, "borrower {i}");
        }
    }
    assert_eq!(Comparison::new(&base, &news[0]).shared(), 22, "all but high_dti and the rule evaluated last");
}

// ------------------------------------------------------------------------------------------------
// The impact report
// ------------------------------------------------------------------------------------------------

fn assert_adds_up(r: &Report) {
    let before: u64 = r.statuses.iter().map(|s| s.before).sum();
    let after: u64 = r.statuses.iter().map(|s| s.after).sum();
    assert_eq!((before, after), (r.population, r.population), "statuses sum to the population");
    for (i, s) in r.statuses.iter().enumerate() {
        assert_eq!(s.status, r.matrix.order[i]);
        let row: u64 = r.matrix.counts[i].iter().sum();
        let col: u64 = r.matrix.counts.iter().map(|row| row[i]).sum();
        assert_eq!((row, col), (s.before, s.after), "matrix row and column of {}", s.status.name());
        assert_eq!(s.change, s.after as i64 - s.before as i64);
    }
    let moved: u64 = r.transitions.iter().map(|t| t.count).sum();
    let diagonal: u64 = (0..6).map(|i| r.matrix.counts[i][i]).sum();
    assert_eq!(moved + diagonal, r.population, "transitions are the off-diagonal cells");
    assert!(r.rules.iter().all(|x| x.before <= r.population && x.after <= r.population));
    assert!(r.affected <= r.population && r.sample.len() as u64 <= r.affected.min(10));
    assert_eq!(r.available.total_change.0, r.available.total_after.0 - r.available.total_before.0);
}

#[test]
fn the_reports_counts_add_up_and_do_not_depend_on_how_the_work_was_split() {
    let base = default_pack();
    let new = changed_pack("dti_max = 0.5", "dti_max = 0.45");
    let whole = impact(&base, &new, 6_000, 1);
    assert_adds_up(&whole);
    for parts in [2, 3, 7] {
        let split = impact(&base, &new, 6_000, parts);
        assert_eq!(split, whole, "{parts} accumulators merged give the same report");
    }
    // Totals are exact sums of the outlines' amounts.
    let gen = generator(&base, 7);
    let ids = FactIds::resolve(&base.schema);
    let mut s = Scratch::default();
    let total: i128 =
        (0..6_000).map(|i| outline(&base, &ids.profile(&base.schema, &gen.borrower(i)), &mut s).available.0).sum();
    assert_eq!(whole.available.total_before.0, total);
}

#[test]
fn a_tighter_dti_limit_moves_borrowers_from_eligible_to_limited() {
    let base = default_pack();
    let new = changed_pack("dti_max = 0.5", "dti_max = 0.45");
    let r = impact(&base, &new, 10_000, 2);
    assert_adds_up(&r);
    let cell = |from: Status, to: Status| {
        let (i, j) =
            (STATUSES.iter().position(|s| *s == from).unwrap(), STATUSES.iter().position(|s| *s == to).unwrap());
        r.matrix.counts[i][j]
    };
    assert!(cell(Status::Eligible, Status::Limited) > 200, "{:?}", r.transitions);
    assert_eq!(r.transitions.len(), 1, "only eligible → limited: {:?}", r.transitions);
    let high_dti = r.rules.iter().find(|x| x.rule == "high_dti").unwrap();
    assert!(high_dti.after > high_dti.before && high_dti.change > 0);
    assert_eq!(r.rules[0].rule, "high_dti", "the largest change comes first");
    assert!(r.available.total_after < r.available.total_before);
    assert!(r.available.lowered > 0 && r.available.raised == 0);
    assert!(!r.sample.is_empty() && r.sample.iter().all(|s| s.rules_added.contains(&"high_dti".to_string())));
    // The forms a person reads or a spreadsheet takes say the same.
    let table = r.table();
    assert!(table.contains("eligible → limited"), "{table}");
    assert!(table.contains("high_dti"), "{table}");
    let csv = r.csv();
    assert!(csv.starts_with("section,key,field,value\n"));
    assert!(
        csv.contains(&format!("transition,eligible,limited,{}\n", cell(Status::Eligible, Status::Limited))),
        "{csv}"
    );
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["statuses"][0]["status"], "eligible");
    assert_eq!(json["matrix"]["order"][1], "limited");
}

#[test]
fn the_same_pack_changes_nothing() {
    let pack = default_pack();
    let r = impact(&pack, &pack, 3_000, 1);
    assert_adds_up(&r);
    assert_eq!((r.affected, r.transitions.len()), (0, 0));
    assert!(r.rules.iter().all(|x| x.change == 0));
    assert_eq!(r.available.total_before, r.available.total_after);
}

#[test]
fn bad_rows_are_counted_all_and_the_first_hundred_kept_by_line() {
    let pack = default_pack();
    let mut parts = vec![Impact::new(&pack, &pack, 5), Impact::new(&pack, &pack, 5)];
    for line in (1..=300u64).rev() {
        parts[(line % 2) as usize].bad_row(line, format!("bad {line}"));
    }
    let mut a = parts.remove(0);
    a.merge(parts.remove(0));
    let r = a.finish("test", &pack, &pack);
    assert_eq!(r.bad_rows_total, 300);
    assert_eq!(r.bad_rows.len(), 100);
    assert_eq!(r.bad_rows.first().unwrap().line, 1);
    assert_eq!(r.bad_rows.last().unwrap().line, 100);
}

/// Parts of a run where the packs differ in a threshold and a rule id (so the rule lists and
/// maps are not the identity), with bad rows in some parts: as the studio's workers make them.
fn shipped_parts() -> (Pack, Pack, Vec<Impact>) {
    let base = default_pack();
    let edited = drawcheck::DEFAULT_PACK
        .replace("dti_max = 0.5\n", "dti_max = 0.45\n")
        .replace("id = \"high_dti\"", "id = \"high_dti_2\"");
    let new = drawcheck::compile_pack(&edited).unwrap();
    let mut parts = accumulators(&base, &new, 4_000, 3);
    for line in [17u64, 3, 250] {
        parts[(line % 2) as usize].bad_row(line, format!("column 1: bad, \"quoted\" {line}"));
    }
    (base, new, parts)
}

#[test]
fn an_impact_survives_serde_and_merges_to_the_report_of_the_original() {
    let (base, new, parts) = shipped_parts();
    let direct = merged(parts.clone()).finish("test", &base, &new);
    assert!(!direct.sample.is_empty() && direct.bad_rows.len() == 3);
    assert!(direct.rules.iter().any(|r| r.pack == "new") && direct.rules.iter().any(|r| r.pack == "baseline"));
    let json: Vec<Impact> =
        parts.iter().map(|p| serde_json::from_str(&serde_json::to_string(p).unwrap()).unwrap()).collect();
    // gloo-worker's codec: bincode 1 with its default options (field order, not names).
    let bin: Vec<Impact> =
        parts.iter().map(|p| bincode::deserialize(&bincode::serialize(p).unwrap()).unwrap()).collect();
    for shipped in [json, bin] {
        let report = merged(shipped).finish("test", &base, &new);
        assert_eq!(report, direct);
        assert_eq!(serde_json::to_string(&report).unwrap(), serde_json::to_string(&direct).unwrap());
        assert_eq!(report.csv(), direct.csv());
    }
    // Merged with an unshipped part, in either order: the same report.
    let mut mixed = parts.clone();
    mixed[1] = bincode::deserialize(&bincode::serialize(&parts[1]).unwrap()).unwrap();
    mixed.reverse();
    assert_eq!(merged(mixed).finish("test", &base, &new), direct);
}

#[test]
fn a_made_up_or_cut_impact_is_an_error_not_a_panic() {
    let (_, _, parts) = shipped_parts();
    let part = &parts[0];
    let good = serde_json::to_value(part).unwrap();
    assert!(serde_json::from_value::<Impact>(good.clone()).is_ok());
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 12] = [
        ("an amount less", |v| drop(v["amounts_before"].as_array_mut().unwrap().pop())),
        ("a total off by a fen", |v| v["total_after"] = (v["total_after"].as_i64().unwrap() + 1).into()),
        ("a matrix cell more", |v| v["matrix"][1][2] = (v["matrix"][1][2].as_u64().unwrap() + 1).into()),
        ("a status count more", |v| v["before"][0] = (v["before"][0].as_u64().unwrap() + 1).into()),
        ("a matrix row short", |v| drop(v["matrix"][3].as_array_mut().unwrap().pop())),
        ("a rule index out of range", |v| v["after_map"][0] = 999.into()),
        ("a rule list short", |v| drop(v["fired_before"].as_array_mut().unwrap().pop())),
        ("a map too long", |v| v["before_to_after"].as_array_mut().unwrap().push(0.into())),
        ("a rule fired more than the population", |v| v["fired_after"][0] = u64::MAX.into()),
        ("a sample larger than its size", |v| v["sample_size"] = 0.into()),
        ("a sample profile that is not JSON", |v| v["sample"][0]["profile"] = "{".into()),
        ("more bad rows than counted", |v| v["bad_total"] = 0.into()),
    ];
    for (what, edit) in edits {
        let mut v = good.clone();
        edit(&mut v);
        assert!(serde_json::from_value::<Impact>(v).is_err(), "{what}");
    }
    // Every cut of the binary form, and every byte changed, is an error or a consistent accumulator.
    let bytes = bincode::serialize(part).unwrap();
    for cut in 0..bytes.len() {
        assert!(bincode::deserialize::<Impact>(&bytes[..cut]).is_err(), "cut at {cut}");
    }
    for at in (0..bytes.len()).step_by(7) {
        let mut b = bytes.clone();
        b[at] ^= 0x5A;
        if let Ok(i) = bincode::deserialize::<Impact>(&b) {
            // Whatever got through still merges and finishes.
            let mut m = parts[1].clone();
            m.merge(i);
            let _ = m.population();
        }
    }
}

#[test]
fn a_shipped_impact_is_sixteen_bytes_a_borrower_and_a_bounded_rest() {
    let (_, _, parts) = shipped_parts();
    let sizes: Vec<(u64, usize)> = [1_000u64, 4_000]
        .into_iter()
        .map(|n| {
            let base = default_pack();
            let part = merged(accumulators(&base, &base, n, 1));
            (n, bincode::serialize(&part).unwrap().len())
        })
        .collect();
    let per = (sizes[1].1 - sizes[0].1) as u64 / (sizes[1].0 - sizes[0].0);
    assert_eq!(per, 16, "two i64 amounts a borrower: {sizes:?}");
    let rest: Vec<usize> =
        parts.iter().map(|p| bincode::serialize(p).unwrap().len() - 16 * p.population() as usize).collect();
    eprintln!("bincode Impact: 16 bytes/borrower + {rest:?} bytes (rules, counts, sample of 10, bad rows)");
    assert!(rest.iter().all(|r| *r < 64 * 1024), "{rest:?}");
}

#[test]
fn csv_columns_are_checked_and_cells_read_by_type() {
    let pack = default_pack();
    let err = Columns::new(&pack.schema, ["as_of", "account.credti_limit"]).unwrap_err();
    assert!(err.contains("did you mean `account.credit_limit`"), "{err}");
    assert!(Columns::new(&pack.schema, ["account.age"]).unwrap_err().contains("as_of"));
    assert!(Columns::new(&pack.schema, ["as_of", "account.age", "account.age"]).unwrap_err().contains("twice"));
    let cols =
        Columns::new(&pack.schema, ["as_of", "account.age", "credit.last_overdue_cleared_at", "account.kyc_verified"])
            .unwrap();
    let p = cols.profile(&pack.schema, ["2026-11-29T10:00:00+08:00", "34", "null", "true"]).unwrap();
    let json = profile_json(&pack.schema, &p);
    assert_eq!(
        (json["account"]["age"].as_i64(), json["credit"]["last_overdue_cleared_at"].is_null()),
        (Some(34), true)
    );
    let e = cols.profile(&pack.schema, ["2026-11-29T10:00:00+08:00", "thirty", "", ""]).unwrap_err();
    assert!(e.contains("account.age"), "{e}");
    let e = cols.profile(&pack.schema, ["2026-11-29T10:00:00+08:00", "34"]).unwrap_err();
    assert!(e.contains("2 fields; the header has 4"), "{e}");
}

// ------------------------------------------------------------------------------------------------
// JSON Lines, read fast: the same profile or the same error as `read_profile`
// ------------------------------------------------------------------------------------------------

/// Reads `lines` one after another into one reused profile, as the CLI does, and checks each
/// against `read_profile`. Returns how many the fast path took, and how many `read_profile` reads.
fn read_like_read_profile(pack: &Pack, lines: &[String]) -> (usize, usize) {
    let mut reader = LineReader::new(&pack.schema);
    let mut reused = drawcheck::Profile::empty(&pack.schema, DEFAULT_AS_OF);
    let mut scratch = drawcheck::Profile::empty(&pack.schema, DEFAULT_AS_OF);
    let (mut fast, mut ok) = (0, 0);
    for (i, line) in lines.iter().enumerate() {
        let expected = drawcheck::read_profile(pack, line);
        ok += usize::from(expected.is_ok());
        // The fast path alone, on a profile that held another borrower before.
        if reader.read_fast(line, &mut scratch) {
            fast += 1;
            assert_eq!(Ok(&scratch), expected.as_ref(), "line {i}, taken by the fast path: {line}");
            // Equal, and written the same (an amount's decimals are kept: `20000.50`, not `20000.5`).
            let written = |p: &drawcheck::Profile| profile_json(&pack.schema, p).to_string();
            assert_eq!(written(&scratch), expected.as_ref().map(written).unwrap(), "line {i}");
        }
        let got = reader.read(line, &mut reused).map(|()| reused.clone());
        assert_eq!(got, expected, "line {i}: {line}");
    }
    (fast, ok)
}

#[test]
fn jsonl_lines_read_fast_to_the_profile_read_profile_gives() {
    let pack = default_pack();
    let gen = generator(&pack, 11);
    let ids = FactIds::resolve(&pack.schema);
    let mut lines: Vec<String> = (0..3_000)
        .map(|i| profile_json(&pack.schema, &ids.profile(&pack.schema, &gen.borrower(i))).to_string())
        .collect();
    // The same profiles as other writers lay them out: spaced, and pretty-printed over lines.
    let pretty: Vec<String> = lines[..200]
        .iter()
        .map(|l| serde_json::to_string_pretty(&serde_json::from_str::<Value>(l).unwrap()).unwrap())
        .collect();
    let spaced: Vec<String> = lines[..200].iter().map(|l| l.replace(",\"", " , \"").replace("\":", "\" : ")).collect();
    lines.extend(pretty.into_iter().chain(spaced));
    let n = lines.len();
    assert_eq!(read_like_read_profile(&pack, &lines), (n, n), "every written profile takes the fast path");
    // Keys in another order, groups left out, null groups, numbers for amounts, every `null`.
    let hand = [
        r#"{"account":{"age":30,"status":"frozen"},"as_of":"2026-11-29T10:00:00+08:00"}"#,
        r#"{"as_of":"2026-11-29T10:00:00+08:00","capacity":null,"locale":null,"request":{}}"#,
        r#"{"as_of":"2026-11-29T10:00:00+08:00","account":{"credit_limit":20000.5,"used":0,"age":-0}}"#,
        r#"{"as_of":"2026-11-29T10:00:00+08:00","credit":{"last_overdue_cleared_at":null,"overdue_days":null}}"#,
        r#"{"as_of":"2026-11-29T10:00:00+08:00","account":{"region":"广东","segment":"B"},"locale":"zh-CN"}"#,
    ]
    .map(String::from);
    assert_eq!(read_like_read_profile(&pack, &hand), (hand.len(), hand.len()));
}

#[test]
fn jsonl_lines_the_fast_path_cannot_read_get_read_profiles_answer() {
    let pack = default_pack();
    // Escapes, exponents, repeated keys, unknown keys, wrong types, bad values, trailing text,
    // a key that only starts like a known one: each gives what `read_profile` gives.
    let base = r#"{"as_of":"2026-11-29T10:00:00+08:00","account":{"status":"active","age":30,"used":"10.00"}}"#;
    let variants = [
        base.replace("active", "act\\u0069ve"),
        base.replace("30", "3e1"),
        base.replace("30", "30.0"),
        base.replace("30", "030"),
        base.replace("30", "-"),
        base.replace("\"10.00\"", "10.001"),
        base.replace("\"10.00\"", "1E1"),
        base.replace("\"age\":30", "\"age\":30,\"age\":31"),
        base.replace("\"account\"", "\"as_of\":\"2026-11-29T10:00:00+08:00\",\"account\""),
        base.replace("\"account\"", "\"accounts\""),
        base.replace("\"status\"", "\"statu\""),
        base.replace("\"status\"", "\"status2\""),
        base.replace("\"active\"", "\"paused\""),
        base.replace("\"active\"", "true"),
        base.replace("30", "\"30\""),
        base.replace("30", "null"),
        base.replace("30", "nul"),
        base.replace("30", "[30]"),
        base.replace("30", "{}"),
        base.to_string() + " x",
        base.to_string() + "}",
        "  ".to_string() + base + "\t ",
        base.replace("2026-11-29T10:00:00+08:00", "2026-11-29"),
        base.replace("\"2026-11-29T10:00:00+08:00\"", "null"),
        base.replace(",\"account\"", ",\"locale\":\"fr\",\"account\""),
        base.replace("\"account\":{", "\"account\":{\"status\":\"frozen\",").replacen("\"status\":\"active\",", "", 1),
        r#"{"account":{"age":30}}"#.to_string(),
        "[]".to_string(),
        "{}".to_string(),
        "{".to_string(),
    ];
    // read_profile reads four: the escape (left to it), the blanks around, `"age":null`, the
    // status given after `age`; the fast path the last three.
    assert_eq!(read_like_read_profile(&pack, &variants), (3, 4));
}

#[test]
fn jsonl_mutated_lines_read_as_read_profile_reads_them() {
    // Thousands of generated lines with a byte changed, removed, inserted or a piece repeated:
    // whatever the fast path accepts, `read_profile` accepts as the same profile.
    let pack = default_pack();
    let gen = generator(&pack, 5);
    let ids = FactIds::resolve(&pack.schema);
    let mut rng = drawcheck::population::Rng::new(99);
    const BYTES: &[u8] = b"{}[],:\"\\ \t0123456789.-+eEnulltruefalsx";
    let mut lines = Vec::new();
    for i in 0..4_000 {
        let mut bytes =
            profile_json(&pack.schema, &ids.profile(&pack.schema, &gen.borrower(i))).to_string().into_bytes();
        for _ in 0..=rng.below(2) {
            let at = rng.below(bytes.len() as u64) as usize;
            let b = BYTES[rng.below(BYTES.len() as u64) as usize];
            match rng.below(8) {
                // A digit for a digit: often still a valid profile, with another value.
                0..=3 if bytes[at].is_ascii_digit() => bytes[at] = b'0' + rng.below(10) as u8,
                0..=4 => bytes[at] = b,
                5 => {
                    bytes.remove(at);
                }
                6 => bytes.insert(at, b),
                _ => {
                    let end = (at + 1 + rng.below(12) as usize).min(bytes.len());
                    let piece = bytes[at..end].to_vec();
                    bytes.splice(at..at, piece);
                }
            }
        }
        lines.push(String::from_utf8(bytes).unwrap());
    }
    let (fast, ok) = read_like_read_profile(&pack, &lines);
    // Some mutations still make a valid profile (a digit for a digit), most do not; the fast
    // path reads nearly all of the valid ones (not those with an escape or an exponent).
    assert!(ok > 100 && ok < 3_500, "read_profile reads {ok} of 4000");
    assert!(fast * 10 >= ok * 9, "the fast path takes {fast} of the {ok} valid lines");
}

// ------------------------------------------------------------------------------------------------
// The command line
// ------------------------------------------------------------------------------------------------

fn drawcheck(args: &[&str], stdin: Option<String>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_drawcheck"));
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() });
    let mut child = cmd.spawn().unwrap();
    let writer = stdin.map(|input| {
        let mut pipe = child.stdin.take().unwrap();
        std::thread::spawn(move || pipe.write_all(input.as_bytes()).unwrap())
    });
    let out = child.wait_with_output().unwrap();
    if let Some(w) = writer {
        w.join().unwrap();
    }
    out
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("population");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn json_of(out: &Output) -> Value {
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

const GOOD: &str = r#"{"as_of": "2026-11-29T10:00:00+08:00", "account": {"status": "active", "credit_limit": "20000.00", "used": "3500.00", "kyc_verified": true, "id_expiry": "2031-01-01", "age": 34, "region": "CN-GD", "app_version": "8.2.1", "segment": "A"}, "credit": {"overdue_days": 0, "overdue_amount": "0.00", "overdue_episodes_12m": 0, "last_overdue_cleared_at": null, "court_enforcement_listed": false, "bureau_blacklisted": false, "multi_lender_count_3m": 1}, "behavior": {"login_failures_24h": 0, "last_login_failure_at": null, "new_device_unverified": false, "requests_last_hour": 3}, "capacity": {"monthly_income": "12000.00", "income_verified": true, "monthly_debt_payments": "5800.00"}}"#;

#[test]
fn cli_a_malformed_jsonl_line_is_reported_by_line_and_the_run_goes_on() {
    let lines = [
        GOOD.to_string(),
        GOOD.to_string(),
        "{\"as_of\": \"2026-11-29T10:00:00+08:00\", \"account\": {".to_string(),
        GOOD.replace("\"age\": 34", "\"agee\": 34"),
        String::new(),
        GOOD.replace("\"5800.00\"", "\"5800.005\""),
        GOOD.to_string(),
    ];
    let path = temp_file("bad.jsonl", &(lines.join("\n") + "\n"));
    let dti45 = temp_file("dti45.toml", &drawcheck::DEFAULT_PACK.replace("dti_max = 0.5", "dti_max = 0.45"));
    let out = drawcheck(
        &["simulate", "--population", path.to_str().unwrap(), "--rules", dti45.to_str().unwrap(), "--format", "json"],
        None,
    );
    let r = json_of(&out);
    assert_eq!(r["population"], 3, "{r:#}");
    assert_eq!(r["bad_rows_total"], 3);
    let bad: Vec<(u64, String)> = r["bad_rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["line"].as_u64().unwrap(), b["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(bad.iter().map(|b| b.0).collect::<Vec<_>>(), [3, 4, 6], "{bad:?}");
    assert!(bad[1].1.contains("account.agee") && bad[1].1.contains("did you mean `account.age`"), "{bad:?}");
    assert!(bad[2].1.contains("capacity.monthly_debt_payments"), "{bad:?}");
    // 5800 of 12000 is above 45%: every good row moves from eligible to limited.
    assert_eq!(r["statuses"][0]["before"], 3);
    assert_eq!(r["statuses"][0]["after"], 0);
    assert_eq!(r["sample"][0]["row"], 1);
    // The table lists them too.
    let out = drawcheck(&["simulate", "--population", path.to_str().unwrap()], None);
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(table.contains("line 3:") && table.contains("line 6:"), "{table}");
}

#[test]
fn cli_a_malformed_csv_row_is_reported_by_line_and_quoted_fields_are_read() {
    let csv = "as_of,account.status,account.credit_limit,account.used,account.region,capacity.monthly_income\n\
2026-11-29T10:00:00+08:00,active,20000.00,3500.00,\"CN-GD\",12000\n\
2026-11-29T10:00:00+08:00,active,20000.00,3500.00,\"CN,\"\"GD\"\"\",12000\n\
2026-11-29T10:00:00+08:00,active,lots,3500.00,CN-GD,12000\n\
2026-11-29T10:00:00+08:00,active,20000.00,\"3500.00\n\",CN-GD,12000\n\
2026-11-29T10:00:00+08:00,active,20000.00\n\
2026-11-29T10:00:00+08:00,frozen,20000.00,3500.00,CN-GD,12000\n";
    let path = temp_file("rows.csv", csv);
    let r = json_of(&drawcheck(&["simulate", "--population", path.to_str().unwrap(), "--format", "json"], None));
    let bad: Vec<u64> = r["bad_rows"].as_array().unwrap().iter().map(|b| b["line"].as_u64().unwrap()).collect();
    // Line 4: not an amount. Line 5: a line break inside quotes is part of the field (and the
    // amount "3500.00\n" is then not an amount); the record after it starts on line 7.
    assert_eq!(bad, [4, 5, 7], "{r:#}");
    assert_eq!(r["bad_rows_total"], 3);
    assert_eq!(r["population"], 3);
    let messages = r["bad_rows"].to_string();
    assert!(messages.contains("account.credit_limit") && messages.contains("3 fields; the header has 6"), "{messages}");
    // A frozen account is frozen before and after; the others lack facts, so are incomplete.
    assert_eq!(r["statuses"][4]["before"], 1);
    assert_eq!(r["statuses"][5]["before"], 2);
}

#[test]
fn cli_an_unknown_csv_column_stops_the_run_with_a_hint() {
    let path = temp_file("typo.csv", "as_of,account.credti_limit\n2026-11-29T10:00:00+08:00,1\n");
    let out = drawcheck(&["simulate", "--population", path.to_str().unwrap()], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("line 1") && err.contains("did you mean `account.credit_limit`"), "{err}");
}

#[test]
fn cli_generate_then_simulate_matches_simulate_generate_whatever_the_threads() {
    let generated = drawcheck(&["generate", "3000", "--seed", "9"], None);
    assert!(generated.status.success());
    let jsonl = String::from_utf8(generated.stdout).unwrap();
    assert_eq!(jsonl.lines().count(), 3_000);
    let dti45 = temp_file("dti45b.toml", &drawcheck::DEFAULT_PACK.replace("dti_max = 0.5", "dti_max = 0.45"));
    let rules = dti45.to_str().unwrap();
    let direct: Vec<Value> = ["1", "3"]
        .iter()
        .map(|t| {
            json_of(&drawcheck(
                &[
                    "simulate",
                    "--generate",
                    "3000",
                    "--seed",
                    "9",
                    "--rules",
                    rules,
                    "--threads",
                    t,
                    "--format",
                    "json",
                ],
                None,
            ))
        })
        .collect();
    assert_eq!(direct[0], direct[1], "the report does not depend on the number of threads");
    let from_stdin = json_of(&drawcheck(
        &["simulate", "--population", "-", "--rules", rules, "--format", "json"],
        Some(jsonl.clone()),
    ));
    for key in ["population", "statuses", "matrix", "transitions", "rules", "available", "affected"] {
        assert_eq!(from_stdin[key], direct[0][key], "{key}");
    }
    assert!(direct[0]["transitions"][0]["count"].as_u64().unwrap() > 0);
    // CSV export of the same population reads back to the same report.
    let csv =
        String::from_utf8(drawcheck(&["generate", "3000", "--seed", "9", "--format", "csv"], None).stdout).unwrap();
    let path = temp_file("gen.csv", &csv);
    let from_csv = json_of(&drawcheck(
        &["simulate", "--population", path.to_str().unwrap(), "--rules", rules, "--format", "json"],
        None,
    ));
    for key in ["population", "statuses", "matrix", "rules", "available", "affected"] {
        assert_eq!(from_csv[key], direct[0][key], "{key}");
    }
    // And the report exports as CSV.
    let out = drawcheck(&["simulate", "--generate", "1000", "--rules", rules, "--format", "csv"], None);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("section,key,field,value\n") && text.contains("status,eligible,before,"), "{text}");
}

#[test]
fn cli_simulate_needs_a_population_and_refuses_bad_flags() {
    for args in [
        vec!["simulate"],
        vec!["simulate", "--generate", "0"],
        vec!["simulate", "--generate", "10", "--population", "x.jsonl"],
        vec!["simulate", "--generate", "10", "--format", "yaml"],
        vec!["simulate", "--population", "/no/such/file.jsonl"],
        vec!["generate"],
    ] {
        let out = drawcheck(&args, None);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8(out.stderr).unwrap();
        assert!(err.starts_with("drawcheck: ") && !err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn cli_progress_shows_on_a_terminal_only() {
    // Not a terminal (a pipe): standard error stays empty, the report is on standard output.
    let piped = drawcheck(&["simulate", "--generate", "20000"], None);
    assert!(piped.status.success());
    assert!(piped.stderr.is_empty(), "{}", String::from_utf8_lossy(&piped.stderr));
    assert!(String::from_utf8_lossy(&piped.stdout).starts_with("Population: 20,000 borrowers"));
    // A terminal: `script` (util-linux) runs the command on a pseudo-terminal.
    let exe = env!("CARGO_BIN_EXE_drawcheck");
    let on_tty = Command::new("script")
        .args(["-qec", &format!("'{exe}' simulate --generate 200000 --threads 2"), "/dev/null"])
        .stdin(Stdio::null())
        .output();
    let Ok(out) = on_tty else {
        eprintln!("`script` is not installed: the terminal half of this test did not run");
        return;
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    // The progress line: redrawn in place, with a bar and a percentage of the population.
    assert!(text.contains("\r\x1b[2Kdrawcheck simulate: ["), "{text}");
    assert!(text.contains("% · ") && text.contains(" profiles · "), "{text}");
    // Then the summary, and the report.
    assert!(text.contains("drawcheck simulate: 200000 profiles in "), "{text}");
    assert!(text.contains("Population: 200,000 borrowers"), "{text}");
}
