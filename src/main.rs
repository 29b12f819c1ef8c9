//! The `drawcheck` command line (CONTRACT.md, "Command line"): the native face of the core.
//! It reads files, prints, and picks exit codes; every decision is the library's.

use drawcheck::verdict::Verdict;
use drawcheck::{Diagnostic, Locale, Options, Pack, Severity};
use std::io::{Read, Write};
use std::process::ExitCode;

#[path = "cli/simulate.rs"]
mod simulate;

const USAGE: &str = "\
drawcheck — why a micro-loan drawdown is restricted, and what the borrower can do

Usage:
  drawcheck check   --profile FILE [--rules PACK] [--locale L] [--trace]
  drawcheck explain --profile FILE [--rules PACK] [--locale L]
  drawcheck recourse --profile FILE [--rules PACK] [--locale L]
  drawcheck lint    PACK
  drawcheck default-pack
  drawcheck simulate (--population FILE | --generate N [--seed S]) [--rules NEW] [--baseline OLD]
                     [--format table|json|csv] [--sample K] [--as-of T] [--threads T]
  drawcheck generate N [--seed S] [--as-of T] [--format jsonl|csv]

  check    prints the verdict as JSON (exit 0 whatever the status)
  explain  prints the verdict and each rule's evaluation as readable text
  recourse prints the cheapest path back to drawing (also in check's JSON, as `recourse`)
  lint     validates a rule pack; prints its errors and warnings with line and column
  default-pack  prints the embedded default pack (a starting point for your own)
  simulate prints what a rule change does to a population (`drawcheck simulate --help`)
  generate writes a synthetic population as JSON Lines or CSV

  FILE or PACK may be `-` for standard input. Without --rules the embedded default pack is used.
  --locale zh-CN|en overrides the profile's locale.
  Bad input prints one clear error on stderr and exits 2.";

/// Profiles and packs larger than this are refused before parsing.
const MAX_INPUT_BYTES: u64 = 2 * 1024 * 1024;

struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(Failure(msg)) => {
            let _ = writeln!(std::io::stderr(), "drawcheck: {msg}");
            ExitCode::from(2)
        }
    }
}

#[derive(Default)]
struct Args {
    command: String,
    profile: Option<String>,
    rules: Option<String>,
    locale: Option<Locale>,
    trace: bool,
    positional: Vec<String>,
}

fn parse_args() -> Result<Args, Failure> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_env();
    let mut args = Args::default();
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            Short('V') | Long("version") => {
                println!("drawcheck {}", env!("CARGO_PKG_VERSION"));
                std::process::exit(0);
            }
            Long("profile") | Short('p') => args.profile = Some(parser.value()?.string()?),
            Long("rules") | Short('r') => args.rules = Some(parser.value()?.string()?),
            Long("locale") => {
                let tag = parser.value()?.string()?;
                args.locale = Some(
                    Locale::parse(&tag)
                        .ok_or_else(|| Failure(format!("--locale {tag:?}: drawcheck speaks zh-CN and en")))?,
                );
            }
            Long("trace") => args.trace = true,
            Value(v) if args.command.is_empty() => args.command = v.string()?,
            Value(v) => args.positional.push(v.string()?),
            _ => return Err(Failure(format!("{}\n\n{USAGE}", arg.unexpected()))),
        }
    }
    Ok(args)
}

fn run() -> Result<ExitCode, Failure> {
    if let Some(result) = simulate::dispatch() {
        return result;
    }
    let args = parse_args()?;
    match args.command.as_str() {
        "check" => {
            let (pack, verdict) = verdict_for(&args, args.trace)?;
            let _ = pack;
            let json = serde_json::to_string_pretty(&verdict)?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        "explain" => {
            let (pack, verdict) = verdict_for(&args, true)?;
            print!("{}", drawcheck::explain::text(&pack, &verdict));
            Ok(ExitCode::SUCCESS)
        }
        "recourse" => {
            let (_, verdict) = verdict_for(&args, false)?;
            let locale = drawcheck::Locale::parse(verdict.locale).unwrap_or(Locale::ZhCn);
            print!("{}", drawcheck::explain::plan_text(&verdict, locale));
            Ok(ExitCode::SUCCESS)
        }
        "lint" => {
            let [path] = args.positional.as_slice() else {
                return Err(Failure(format!("lint takes one PACK file\n\n{USAGE}")));
            };
            lint(path)
        }
        "default-pack" => {
            print!("{}", drawcheck::DEFAULT_PACK);
            Ok(ExitCode::SUCCESS)
        }
        "" => Err(Failure(format!("no command given\n\n{USAGE}"))),
        other => Err(Failure(format!("unknown command `{other}`\n\n{USAGE}"))),
    }
}

/// Reads a file (or standard input for `-`), refusing anything larger than [`MAX_INPUT_BYTES`].
fn read_input(path: &str) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let reader: Box<dyn Read> = if path == "-" {
        Box::new(std::io::stdin())
    } else {
        Box::new(std::fs::File::open(path).map_err(|e| Failure(format!("{path}: {e}")))?)
    };
    reader.take(MAX_INPUT_BYTES + 1).read_to_end(&mut bytes).map_err(|e| Failure(format!("{path}: {e}")))?;
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(Failure(format!(
            "{path}: larger than {MAX_INPUT_BYTES} bytes; this is not a profile or a rule pack"
        )));
    }
    String::from_utf8(bytes)
        .map_err(|e| Failure(format!("{path}: not UTF-8 text (byte {})", e.utf8_error().valid_up_to())))
}

fn load_pack(path: Option<&str>) -> Result<Pack, Failure> {
    let (name, text) = match path {
        Some(p) => (p, read_input(p)?),
        None => ("(default pack)", drawcheck::DEFAULT_PACK.to_string()),
    };
    drawcheck::compile_pack(&text).map_err(|diags| Failure(render_diagnostics(name, &diags)))
}

fn render_diagnostics(name: &str, diags: &[Diagnostic]) -> String {
    let errors = diags.iter().filter(|d| d.severity == Severity::Error).count();
    let lines: Vec<String> = diags.iter().map(|d| format!("{name}:{d}")).collect();
    let summary = match errors {
        0 => String::new(),
        1 => "\n1 error: the pack does not compile".to_string(),
        n => format!("\n{n} errors: the pack does not compile"),
    };
    format!("{}{summary}", lines.join("\n"))
}

fn verdict_for(args: &Args, trace: bool) -> Result<(Pack, Verdict), Failure> {
    let Some(profile_path) = args.profile.as_deref() else {
        return Err(Failure(format!("{} needs --profile FILE\n\n{USAGE}", args.command)));
    };
    let pack = load_pack(args.rules.as_deref())?;
    let text = read_input(profile_path)?;
    let profile = drawcheck::read_profile(&pack, &text).map_err(|e| match e.line {
        0 => Failure(format!("{profile_path}: {}", e.message)),
        _ => Failure(format!("{profile_path}:{}:{}: {}", e.line, e.column, e.message)),
    })?;
    let verdict = drawcheck::check(&pack, &profile, Options { locale: args.locale, trace, recourse: true });
    Ok((pack, verdict))
}

fn lint(path: &str) -> Result<ExitCode, Failure> {
    let text = read_input(path)?;
    match drawcheck::compile_pack(&text) {
        Ok(pack) => {
            if !pack.warnings.is_empty() {
                eprintln!("{}", render_diagnostics(path, &pack.warnings));
            }
            println!(
                "{path}: ok — pack {} {}, {} facts, {} params, {} rules, {} warning{}, sha256 {}",
                pack.id,
                pack.version,
                pack.schema.facts().len(),
                pack.params.len(),
                pack.rules.len(),
                pack.warnings.len(),
                if pack.warnings.len() == 1 { "" } else { "s" },
                pack.sha256
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(diags) => Err(Failure(render_diagnostics(path, &diags))),
    }
}
