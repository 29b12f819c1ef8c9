//! Throughput of `drawcheck simulate`, end to end, as a user runs it: `cargo bench --bench simulate`.
//!
//! Prints profiles per second for a generated population (`--generate N`) and for the same
//! population read from a JSON Lines file (written first with `drawcheck generate`), each under a
//! what-if that changes one param (`dti_max` 0.5 → 0.45) and under one that changes every rule's
//! condition text (so nothing is shared between the packs: the worst case). The binary is built
//! with the bench profile (opt-level 3). Targets (the population issue), on 2 cores: ≥ 1,000,000
//! profiles/s generated, ≥ 300,000/s from JSON Lines.
//!
//! Each line gives the wall-clock rate (best of three) and the CPU time the run took per profile
//! (user + system, of all its threads): on a machine other work is loading, the wall clock
//! undercounts, while the CPU time per profile stays put; `cores / CPU time` is then what the run
//! would reach with every core free (printed as "if idle").
//!
//! `SIMULATE_N` sets the size (default 1,000,000). Under `cargo test --benches` (no `--bench`
//! argument) it runs once on 20,000 profiles, as a smoke test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

fn main() {
    let benching = std::env::args().any(|a| a == "--bench");
    let n: u64 = std::env::var("SIMULATE_N").ok().and_then(|s| s.parse().ok()).unwrap_or(if benching {
        1_000_000
    } else {
        20_000
    });
    let runs = if benching { 3 } else { 1 };
    let exe = env!("CARGO_BIN_EXE_drawcheck");
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bench-simulate");
    std::fs::create_dir_all(&dir).unwrap();

    let pack = drawcheck::DEFAULT_PACK;
    let dti = write(&dir, "dti45.toml", &pack.replace("dti_max = 0.5", "dti_max = 0.45"));
    // The same rules with every condition written differently: no rule's decision is shared.
    let all = write(
        &dir,
        "all-rules.toml",
        &pack.replace("\nwhen = \"", "\nwhen = \" ").replace("\nwhen = '", "\nwhen = ' "),
    );

    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("drawcheck simulate — {n} profiles, {cpus} cores, best of {runs}; load average {}", load());

    let jsonl = dir.join("population.jsonl");
    let t = Instant::now();
    let file = std::fs::File::create(&jsonl).unwrap();
    let status = Command::new(exe).args(["generate", &n.to_string(), "--seed", "1"]).stdout(file).status().unwrap();
    assert!(status.success());
    let secs = t.elapsed().as_secs_f64();
    let size = std::fs::metadata(&jsonl).unwrap().len();
    println!(
        "{:<70} {:>10.0} profiles/s  ({:.2} s, {:.0} MB)",
        "generate N → JSON Lines file",
        n as f64 / secs,
        secs,
        size as f64 / 1e6
    );

    for (what, rules) in [("one param changed (dti_max)", &dti), ("every rule changed (nothing shared)", &all)] {
        let generated = best(runs, || {
            run(
                exe,
                &["simulate", "--generate", &n.to_string(), "--seed", "1", "--rules", path(rules), "--format", "json"],
            )
        });
        report(&format!("simulate --generate, {what}"), n, cpus, generated);
        let file = best(runs, || {
            run(exe, &["simulate", "--population", path(&jsonl), "--rules", path(rules), "--format", "json"])
        });
        report(&format!("simulate --population FILE.jsonl, {what}"), n, cpus, file);
    }
    println!("load average after: {}", load());
    let _ = std::fs::remove_file(&jsonl);
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// One line: the wall-clock rate and seconds of the best run, and the CPU time per profile.
fn report(what: &str, n: u64, cpus: usize, (wall, cpu): (f64, f64)) {
    let micros = cpu * 1e6 / n as f64;
    println!(
        "{what:<70} {:>10.0} profiles/s  ({wall:.2} s; CPU {micros:.2} µs/profile → {:.0}/s if idle)",
        n as f64 / wall,
        cpus as f64 * 1e6 / micros.max(1e-9)
    );
}

/// Runs the CLI (output discarded): the wall-clock seconds, and the CPU seconds it used.
fn run(exe: &str, args: &[&str]) -> (f64, f64) {
    let (t, cpu) = (Instant::now(), children_cpu());
    let out = Command::new(exe).args(args).stdout(Stdio::null()).stderr(Stdio::piped()).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    (t.elapsed().as_secs_f64(), children_cpu() - cpu)
}

/// The run with the best wall-clock time (and its CPU time).
fn best(runs: usize, mut f: impl FnMut() -> (f64, f64)) -> (f64, f64) {
    (0..runs).map(|_| f()).fold((f64::INFINITY, 0.0), |a, b| if b.0 < a.0 { b } else { a })
}

/// User + system seconds of this process's waited-for children (`cutime` + `cstime` of
/// /proc/self/stat, in clock ticks of 1/100 s); 0 where there is no /proc.
fn children_cpu() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // What follows starts with field 3 (the state); cutime and cstime are fields 16 and 17.
    let ticks = |field: usize| fields.get(field - 3).and_then(|f| f.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(16) + ticks(17)) / 100.0
}

/// The 1-minute load average (other work on the machine slows every figure here).
fn load() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(String::from))
        .unwrap_or_else(|| "?".into())
}
