//! `drawcheck simulate` and `drawcheck generate`: what a rule change does to a whole book of
//! borrowers, and synthetic books to try it on. The figures are the library's
//! (`drawcheck::population`); this file reads files, spreads the work over every core, shows
//! progress on a terminal and prints.
//!
//! Streaming: input is read in blocks of about [`BLOCK_BYTES`] cut at line ends (CSV: batches of
//! [`BATCH_ROWS`] records), handed to one worker per core over a bounded channel, so memory stays
//! flat whatever the file's size (apart from two amounts per borrower kept for the exact medians).

use super::{load_pack, Failure};
use drawcheck::calendar::parse_datetime;
use drawcheck::population::generate::DEFAULT_AS_OF;
use drawcheck::population::{csv as pcsv, profile_json, Config, FactIds, Generator, Impact, LineReader, Report};
use drawcheck::verdict::{outline_pair, Comparison, Scratch};
use drawcheck::{Pack, Profile};
use std::io::{BufWriter, IsTerminal, Read, Write};
use std::ops::Range;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const USAGE: &str = "  drawcheck simulate (--population FILE | --generate N [--seed S] [--as-of T])
                     [--rules NEW] [--baseline OLD] [--format table|json|csv] [--sample K] [--threads T]
  drawcheck generate N [--seed S] [--as-of T] [--rules PACK] [--format jsonl|csv]";

pub const HELP: &str = "  simulate  evaluates a population under the baseline pack (default: the embedded one) and the
            new one (--rules), and prints the impact: statuses, transitions, rules that fire more
            or less often, available amounts, a sample of affected borrowers, unreadable rows.
            --population FILE: JSON Lines (.jsonl, or `-` for standard input) or CSV (.csv, headers
            are the contract's dotted paths). --generate N: a synthetic population (seed 1 unless
            --seed). Bad rows are counted and listed by line; they never stop the run.
  generate  writes N synthetic profiles as JSON Lines (or CSV) on standard output.";

/// Input is handed to the workers in blocks of about this many bytes.
const BLOCK_BYTES: usize = 1 << 20;
/// A JSON Lines line longer than this is a bad row (a real profile is under 2 KB).
const MAX_LINE_BYTES: usize = 1 << 20;
/// CSV records per batch.
const BATCH_ROWS: usize = 4096;
/// Generated borrowers a worker takes at a time.
const GEN_CHUNK: u64 = 4096;
/// Default size of the sample of affected borrowers.
const DEFAULT_SAMPLE: usize = 20;
/// The largest population `simulate --generate` makes.
const MAX_SIMULATED: u64 = 10_000_000;
/// Default seed of `--generate`.
const DEFAULT_SEED: u64 = 1;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Table,
    Json,
    Csv,
    Jsonl,
}

struct SimArgs {
    command: String,
    population: Option<String>,
    generate: Option<u64>,
    seed: u64,
    as_of: Option<time::OffsetDateTime>,
    rules: Option<String>,
    baseline: Option<String>,
    format: Option<Format>,
    sample: usize,
    threads: Option<usize>,
}

/// Runs `simulate` or `generate` if that is the command; `None` for any other command.
pub fn dispatch() -> Option<Result<ExitCode, Failure>> {
    let mut argv = std::env::args_os().skip(1);
    let command = argv.next()?.into_string().ok()?;
    if command != "simulate" && command != "generate" {
        return None;
    }
    Some(parse(command, argv.collect()).and_then(|args| match args.command.as_str() {
        "generate" => generate(&args),
        _ => simulate(&args),
    }))
}

fn parse(command: String, rest: Vec<std::ffi::OsString>) -> Result<SimArgs, Failure> {
    use lexopt::prelude::*;
    let mut parser = lexopt::Parser::from_args(rest);
    let mut args = SimArgs {
        command,
        population: None,
        generate: None,
        seed: DEFAULT_SEED,
        as_of: None,
        rules: None,
        baseline: None,
        format: None,
        sample: DEFAULT_SAMPLE,
        threads: None,
    };
    let usage = || format!("Usage:\n{USAGE}\n\n{HELP}");
    while let Some(arg) = parser.next()? {
        match arg {
            Short('h') | Long("help") => {
                println!("{}", usage());
                std::process::exit(0);
            }
            Long("population") => args.population = Some(parser.value()?.string()?),
            Long("generate") => args.generate = Some(count_arg("--generate", &parser.value()?.string()?)?),
            Value(v) if args.command == "generate" && args.generate.is_none() => {
                args.generate = Some(count_arg("N", &v.string()?)?)
            }
            Long("seed") => {
                let s = parser.value()?.string()?;
                args.seed = s.parse().map_err(|_| Failure(format!("--seed {s:?}: expected a whole number")))?;
            }
            Long("as-of") => {
                let s = parser.value()?.string()?;
                args.as_of = Some(parse_datetime(&s).ok_or_else(|| {
                    Failure(format!("--as-of {s:?}: expected an RFC 3339 datetime like 2026-11-29T10:00:00+08:00"))
                })?);
            }
            Long("rules") | Short('r') => args.rules = Some(parser.value()?.string()?),
            Long("baseline") => args.baseline = Some(parser.value()?.string()?),
            Long("format") => {
                let f = parser.value()?.string()?;
                args.format = Some(match f.as_str() {
                    "table" => Format::Table,
                    "json" => Format::Json,
                    "csv" => Format::Csv,
                    "jsonl" => Format::Jsonl,
                    _ => {
                        return Err(Failure(format!(
                            "--format {f:?}: expected table, json or csv (generate: jsonl or csv)"
                        )))
                    }
                });
            }
            Long("sample") => {
                let s = parser.value()?.string()?;
                args.sample = s.parse().map_err(|_| Failure(format!("--sample {s:?}: expected a whole number")))?;
            }
            Long("threads") => {
                let s = parser.value()?.string()?;
                args.threads = Some(
                    s.parse()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| Failure(format!("--threads {s:?}: expected a whole number above 0")))?,
                );
            }
            _ => return Err(Failure(format!("{}\n\n{}", arg.unexpected(), usage()))),
        }
    }
    Ok(args)
}

fn count_arg(name: &str, s: &str) -> Result<u64, Failure> {
    let digits: String = s.chars().filter(|c| *c != '_' && *c != ',').collect();
    digits
        .parse()
        .ok()
        .filter(|n| (1..=1_000_000_000).contains(n))
        .ok_or_else(|| Failure(format!("{name} {s:?}: expected a whole number from 1 to 1,000,000,000")))
}

fn threads(args: &SimArgs) -> usize {
    args.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

// ------------------------------------------------------------------------------------------------
// generate
// ------------------------------------------------------------------------------------------------

fn generate(args: &SimArgs) -> Result<ExitCode, Failure> {
    let Some(n) = args.generate else {
        return Err(Failure(format!("generate needs a size N\n\nUsage:\n{USAGE}")));
    };
    let pack = load_pack(args.rules.as_deref())?;
    let gen = Generator::new(Config::new(args.seed, args.as_of.unwrap_or(DEFAULT_AS_OF)).with_window_of(&pack));
    let ids = FactIds::resolve(&pack.schema);
    let mut profile = Profile::empty(&pack.schema, gen.config().as_of);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let csv = match args.format {
        None | Some(Format::Jsonl) => false,
        Some(Format::Csv) => true,
        Some(_) => return Err(Failure("generate writes --format jsonl or csv".to_string())),
    };
    let write_row = |out: &mut BufWriter<_>, cells: Vec<String>| -> std::io::Result<()> {
        let mut line = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i > 0 {
                line.push(',');
            }
            drawcheck::population::report::push_csv_cell(&mut line, c);
        }
        line.push('\n');
        out.write_all(line.as_bytes())
    };
    let result = (|| -> std::io::Result<()> {
        if csv {
            write_row(&mut out, pcsv::header(&pack.schema))?;
        }
        for i in 0..n {
            ids.fill(&gen.borrower(i), &mut profile);
            if csv {
                write_row(&mut out, pcsv::row(&pack.schema, &profile))?;
            } else {
                serde_json::to_writer(&mut out, &profile_json(&pack.schema, &profile))?;
                out.write_all(b"\n")?;
            }
        }
        out.flush()
    })();
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is a normal end.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Failure(format!("writing: {e}"))),
    }
}

// ------------------------------------------------------------------------------------------------
// simulate
// ------------------------------------------------------------------------------------------------

/// Both packs, and whether a profile read for one is a profile for the other.
struct Packs {
    base: Pack,
    new: Pack,
    same_schema: bool,
    /// Which of the new pack's rules decide like the baseline's (evaluated once for both).
    comparison: Comparison,
    sample: usize,
}

/// One thread's state: its own accumulator, the buffers an evaluation works in, and one profile
/// per pack, refilled for each borrower (no allocation per borrower once warmed up).
struct Worker<'p> {
    packs: &'p Packs,
    before: Scratch,
    after: Scratch,
    impact: Impact,
    /// The borrower's profile for the new pack.
    new_profile: Profile,
    /// For the baseline (used only when the packs' schemas differ).
    base_profile: Profile,
    /// JSON Lines readers for the new pack and (when the schemas differ) the baseline: one per
    /// worker, as each remembers the last `as_of` it read.
    new_reader: LineReader<'p>,
    base_reader: Option<LineReader<'p>>,
}

impl<'p> Worker<'p> {
    fn new(packs: &'p Packs) -> Worker<'p> {
        Worker {
            packs,
            before: Scratch::default(),
            after: Scratch::default(),
            impact: Impact::new(&packs.base, &packs.new, packs.sample),
            new_profile: Profile::empty(&packs.new.schema, DEFAULT_AS_OF),
            base_profile: Profile::empty(&packs.base.schema, DEFAULT_AS_OF),
            new_reader: LineReader::new(&packs.new.schema),
            base_reader: (!packs.same_schema).then(|| LineReader::new(&packs.base.schema)),
        }
    }

    /// Counts the borrower the worker's profiles hold now (when both packs have the same
    /// schema, only `new_profile` is read, and decided once for the rules the packs share).
    fn count(&mut self, row: u64) {
        let packs = self.packs;
        let new_profile = &self.new_profile;
        let base_profile = if packs.same_schema { new_profile } else { &self.base_profile };
        let (before, after) = outline_pair(
            &packs.base,
            &packs.new,
            &packs.comparison,
            base_profile,
            new_profile,
            &mut self.before,
            &mut self.after,
        );
        self.impact.add(row, &before, &after, || profile_json(&packs.new.schema, new_profile));
    }

    /// Makes generated borrowers `rows` and counts them.
    fn generated(&mut self, gen: &Generated, rows: Range<u64>) -> u64 {
        let n = rows.end - rows.start;
        for i in rows {
            let borrower = gen.gen.borrower(i);
            gen.new_ids.fill(&borrower, &mut self.new_profile);
            if !self.packs.same_schema {
                gen.base_ids.fill(&borrower, &mut self.base_profile);
            }
            self.count(i);
        }
        n
    }

    /// Reads and counts the lines of a block of JSON Lines.
    fn block(&mut self, block: Block) -> u64 {
        let mut rest = block.bytes.as_slice();
        let mut line_no = block.first_line;
        loop {
            let (line, next) = match find_newline(rest) {
                Some(end) => (rest.get(..end).unwrap_or(&[]), rest.get(end + 1..)),
                None => (rest, None),
            };
            self.line(line_no, line);
            line_no += 1;
            match next {
                Some(next) => rest = next,
                None => break,
            }
        }
        line_no - block.first_line
    }

    /// Reads one JSON Lines line and counts it (or its error).
    fn line(&mut self, line_no: u64, bytes: &[u8]) {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => return self.impact.bad_row(line_no, format!("not UTF-8 text (byte {})", e.valid_up_to() + 1)),
        };
        if let Err(e) = self.new_reader.read(text, &mut self.new_profile) {
            return self.impact.bad_row(line_no, located(&e));
        }
        if let Some(base) = &mut self.base_reader {
            if let Err(e) = base.read(text, &mut self.base_profile) {
                return self.impact.bad_row(line_no, format!("baseline pack: {}", located(&e)));
            }
        }
        self.count(line_no);
    }

    /// Reads and counts a batch of CSV records.
    fn batch(&mut self, columns: &CsvColumns, batch: Batch) -> u64 {
        let mut cells: Vec<&str> = Vec::new();
        for (line, record) in &batch {
            if let Err(message) = pcsv::text_cells(record.iter(), &mut cells) {
                self.impact.bad_row(*line, message);
                continue;
            }
            match columns.new.profile(&self.packs.new.schema, cells.iter().copied()) {
                Ok(p) => self.new_profile = p,
                Err(e) => {
                    self.impact.bad_row(*line, e);
                    continue;
                }
            }
            if let Some(cols) = &columns.base {
                match cols.profile(&self.packs.base.schema, cells.iter().copied()) {
                    Ok(p) => self.base_profile = p,
                    Err(e) => {
                        self.impact.bad_row(*line, format!("baseline pack: {e}"));
                        continue;
                    }
                }
            }
            self.count(*line);
        }
        batch.len() as u64
    }
}

fn located(e: &drawcheck::ProfileError) -> String {
    if e.column > 0 {
        format!("column {}: {}", e.column, e.message)
    } else {
        e.message.clone()
    }
}

fn simulate(args: &SimArgs) -> Result<ExitCode, Failure> {
    let new = load_pack(args.rules.as_deref())?;
    let base = load_pack(args.baseline.as_deref())?;
    let same_schema = base.schema == new.schema;
    let comparison = Comparison::new(&base, &new);
    let packs = Packs { base, new, same_schema, comparison, sample: args.sample };
    let threads = threads(args);
    let progress = Progress::new(std::io::stderr().is_terminal());
    let started = Instant::now();

    if args.generate.is_some_and(|n| n > MAX_SIMULATED) {
        return Err(Failure(format!(
            "--generate: at most {MAX_SIMULATED} borrowers (the exact medians keep 16 bytes per borrower)"
        )));
    }
    let (impact, source) = match (&args.population, args.generate) {
        (Some(_), Some(_)) => return Err(Failure("give --population FILE or --generate N, not both".to_string())),
        (None, None) => {
            return Err(Failure(format!("simulate needs --population FILE or --generate N\n\nUsage:\n{USAGE}")))
        }
        (None, Some(n)) => {
            let config = Config::new(args.seed, args.as_of.unwrap_or(DEFAULT_AS_OF)).with_window_of(&packs.base);
            let source =
                format!("generated, seed {}, as of {}", args.seed, drawcheck::calendar::format_rfc3339(config.as_of));
            (run_generated(&packs, config, n, threads, &progress).map_err(Failure)?, source)
        }
        (Some(path), None) => {
            let is_csv = std::path::Path::new(path).extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            let (reader, size): (Box<dyn Read + Send>, Option<u64>) = if path == "-" {
                (Box::new(std::io::stdin()), None)
            } else {
                let file = std::fs::File::open(path).map_err(|e| Failure(format!("{path}: {e}")))?;
                let size = file.metadata().ok().map(|m| m.len());
                (Box::new(file), size)
            };
            let impact = if is_csv {
                run_csv(&packs, reader, size, threads, &progress)
            } else {
                run_jsonl(&packs, reader, size, threads, &progress)
            };
            (impact.map_err(|e| Failure(format!("{path}: {e}")))?, format!("file: {path}"))
        }
    };
    progress.clear();
    let elapsed = started.elapsed();
    let report = impact.finish(&source, &packs.base, &packs.new);
    if progress.on {
        eprintln!(
            "drawcheck simulate: {} profiles in {:.2} s ({:.0} profiles/s, {threads} threads)",
            report.population + report.bad_rows_total,
            elapsed.as_secs_f64(),
            (report.population + report.bad_rows_total) as f64 / elapsed.as_secs_f64().max(1e-9)
        );
    }
    print_report(&report, args.format.unwrap_or(Format::Table))?;
    Ok(ExitCode::SUCCESS)
}

fn print_report(report: &Report, format: Format) -> Result<(), Failure> {
    let text = match format {
        Format::Table => report.table(),
        Format::Json => serde_json::to_string_pretty(report)? + "\n",
        Format::Csv => report.csv(),
        Format::Jsonl => return Err(Failure("simulate prints --format table, json or csv".to_string())),
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(Failure(format!("writing: {e}"))),
        _ => Ok(()),
    }
}

// ------------------------------------------------------------------------------------------------
// The worker pool: the same for every input
// ------------------------------------------------------------------------------------------------

/// Runs one [`Worker`] per thread. Each takes jobs from `next` until it returns `None` and does
/// them with `work` (which returns how many rows the job held, for the progress line).
/// Meanwhile this thread runs `feed`, which reads the input and hands out the jobs (closing the
/// queue when it returns) and gives back its own accumulator, of the rows it could not even cut
/// out of the input; then it shows progress until the workers are done. Returns every
/// accumulator merged, or `feed`'s error.
fn pool<J: Send>(
    packs: &Packs,
    threads: usize,
    progress: &Progress,
    total: Option<u64>,
    next: impl Fn() -> Option<J> + Sync,
    work: impl Fn(&mut Worker<'_>, J) -> u64 + Sync,
    feed: impl FnOnce(&AtomicU64) -> Result<Impact, String>,
) -> Result<Impact, String> {
    let done = AtomicU64::new(0);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut worker = Worker::new(packs);
                    while let Some(job) = next() {
                        done.fetch_add(work(&mut worker, job), Ordering::Relaxed);
                    }
                    worker.impact
                })
            })
            .collect();
        let own = feed(&done);
        let mut merged = gather(handles, progress, &done, total)?;
        merged.merge(own?);
        Ok(merged)
    })
}

/// Joins the workers (showing progress meanwhile) and merges their accumulators.
fn gather<'s>(
    handles: Vec<std::thread::ScopedJoinHandle<'s, Impact>>,
    progress: &Progress,
    done: &AtomicU64,
    total: Option<u64>,
) -> Result<Impact, String> {
    while !handles.iter().all(|h| h.is_finished()) {
        progress.show(done.load(Ordering::Relaxed), total, None);
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut merged: Option<Impact> = None;
    for h in handles {
        let part = h.join().map_err(|_| "a worker thread failed".to_string())?;
        match merged.as_mut() {
            Some(m) => m.merge(part),
            None => merged = Some(part),
        }
    }
    merged.ok_or_else(|| "no worker thread ran".to_string())
}

fn receive<T>(rx: &Mutex<Receiver<T>>) -> Option<T> {
    rx.lock().ok()?.recv().ok()
}

// ------------------------------------------------------------------------------------------------
// Generated populations
// ------------------------------------------------------------------------------------------------

/// What every worker shares in a generated run: the generator and where its facts go in each pack.
struct Generated {
    gen: Generator,
    new_ids: FactIds,
    base_ids: FactIds,
}

fn run_generated(packs: &Packs, config: Config, n: u64, threads: usize, progress: &Progress) -> Result<Impact, String> {
    let shared = Generated {
        gen: Generator::new(config),
        new_ids: FactIds::resolve(&packs.new.schema),
        base_ids: FactIds::resolve(&packs.base.schema),
    };
    // Each job is the next GEN_CHUNK borrowers: no queue, a counter.
    let next_start = AtomicU64::new(0);
    let next = || {
        let start = next_start.fetch_add(GEN_CHUNK, Ordering::Relaxed);
        (start < n).then(|| start..(start + GEN_CHUNK).min(n))
    };
    let nothing_to_read = |_: &AtomicU64| Ok(Impact::new(&packs.base, &packs.new, packs.sample));
    pool(packs, threads, progress, Some(n), next, |w, rows| w.generated(&shared, rows), nothing_to_read)
}

// ------------------------------------------------------------------------------------------------
// JSON Lines
// ------------------------------------------------------------------------------------------------

/// A block of whole lines, and the line number of its first.
struct Block {
    first_line: u64,
    bytes: Vec<u8>,
}

fn run_jsonl(
    packs: &Packs,
    reader: Box<dyn Read + Send>,
    size: Option<u64>,
    threads: usize,
    progress: &Progress,
) -> Result<Impact, String> {
    let (tx, rx) = sync_channel::<Block>(threads * 2);
    let rx = Mutex::new(rx);
    let feed = |done: &AtomicU64| cut_lines(packs, reader, size, progress, done, tx);
    pool(packs, threads, progress, None, || receive(&rx), |w, block| w.block(block), feed)
}

/// Reads the input, cuts it into blocks of whole lines and sends them to the workers; an
/// over-long line is a bad row of its own. Returns those bad rows, or the read error.
fn cut_lines(
    packs: &Packs,
    mut reader: Box<dyn Read + Send>,
    size: Option<u64>,
    progress: &Progress,
    done: &AtomicU64,
    tx: SyncSender<Block>,
) -> Result<Impact, String> {
    let mut own = Impact::new(&packs.base, &packs.new, packs.sample);
    let mut carry: Vec<u8> = Vec::new();
    let mut line_no: u64 = 1;
    let mut skipping = false;
    let mut bytes_read: u64 = 0;
    loop {
        let mut buf = std::mem::take(&mut carry);
        buf.reserve(BLOCK_BYTES);
        let before = buf.len();
        reader.by_ref().take(BLOCK_BYTES as u64).read_to_end(&mut buf).map_err(|e| e.to_string())?;
        let got = buf.len() - before;
        bytes_read += got as u64;
        progress.show(done.load(Ordering::Relaxed), None, Some((bytes_read, size)));
        let eof = got == 0;
        if skipping {
            // The rest of an over-long line: drop it up to its end.
            match buf.iter().position(|b| *b == b'\n') {
                Some(end) => {
                    buf.drain(..=end);
                    skipping = false;
                    line_no += 1;
                }
                None if eof => break,
                None => continue,
            }
        }
        if !eof {
            match buf.iter().rposition(|b| *b == b'\n') {
                Some(last) => carry = buf.split_off(last + 1),
                None if buf.len() > MAX_LINE_BYTES => {
                    own.bad_row(line_no, format!("the line is longer than {MAX_LINE_BYTES} bytes"));
                    skipping = true;
                    continue;
                }
                None => {
                    carry = buf;
                    continue;
                }
            }
        }
        if buf.is_empty() {
            if eof {
                break;
            }
            continue;
        }
        // A block ends with the newline of its last line; drop it so `split` makes no empty tail.
        let lines = count_newlines(&buf);
        let ends_with_newline = buf.last() == Some(&b'\n');
        if ends_with_newline {
            buf.pop();
        }
        let block = Block { first_line: line_no, bytes: buf };
        line_no += if ends_with_newline { lines } else { lines + 1 };
        if tx.send(block).is_err() || eof {
            break;
        }
    }
    Ok(own)
}

/// Eight bytes at a time: `0x01` in every byte, `0x80` in every byte, `\n` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const NEWLINES: u64 = ONES * b'\n' as u64;

/// The high bit of each byte of `w` that is zero (exactly: no borrow between bytes).
fn zero_bytes(w: u64) -> u64 {
    !(((w & !HIGHS).wrapping_add(!HIGHS)) | w | !HIGHS)
}

/// The position of the first `\n`, reading a word of 8 bytes at a time.
fn find_newline(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (k, chunk) in words.by_ref().enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hits = zero_bytes(word ^ NEWLINES);
        if hits != 0 {
            return Some(k * 8 + hits.trailing_zeros() as usize / 8);
        }
    }
    let tail = words.remainder();
    tail.iter().position(|b| *b == b'\n').map(|i| bytes.len() - tail.len() + i)
}

/// How many `\n` there are, a word of 8 bytes at a time.
fn count_newlines(bytes: &[u8]) -> u64 {
    let mut words = bytes.chunks_exact(8);
    let mut n: u64 = 0;
    for chunk in words.by_ref() {
        let word = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        n += u64::from(zero_bytes(word ^ NEWLINES).count_ones());
    }
    n + words.remainder().iter().filter(|b| **b == b'\n').count() as u64
}

// ------------------------------------------------------------------------------------------------
// CSV
// ------------------------------------------------------------------------------------------------

/// A batch of CSV records: (line, cells as bytes).
type Batch = Vec<(u64, csv::ByteRecord)>;

/// Where each column goes in each pack's profiles (the baseline's only when its schema differs).
struct CsvColumns {
    new: pcsv::Columns,
    base: Option<pcsv::Columns>,
}

fn run_csv(
    packs: &Packs,
    reader: Box<dyn Read + Send>,
    size: Option<u64>,
    threads: usize,
    progress: &Progress,
) -> Result<Impact, String> {
    let mut csv_reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(reader);
    let headers = csv_reader.byte_headers().map_err(|e| e.to_string())?.clone();
    let header_text: Vec<&str> = headers.iter().map(|h| std::str::from_utf8(h).unwrap_or("\u{fffd}")).collect();
    let new = pcsv::Columns::new(&packs.new.schema, header_text.iter().copied()).map_err(|e| format!("line 1: {e}"))?;
    let base = if packs.same_schema {
        None
    } else {
        Some(
            pcsv::Columns::new(&packs.base.schema, header_text.iter().copied())
                .map_err(|e| format!("line 1 (baseline pack): {e}"))?,
        )
    };
    let columns = CsvColumns { new, base };
    let (tx, rx) = sync_channel::<Batch>(threads * 2);
    let rx = Mutex::new(rx);
    let feed = |done: &AtomicU64| cut_records(packs, csv_reader, size, progress, done, tx);
    pool(packs, threads, progress, None, || receive(&rx), |w, batch| w.batch(&columns, batch), feed)
}

/// Reads the records and sends them to the workers in batches; a record the CSV reader cannot
/// split is a bad row of its own. Returns those bad rows, or the read error.
fn cut_records(
    packs: &Packs,
    mut csv_reader: csv::Reader<Box<dyn Read + Send>>,
    size: Option<u64>,
    progress: &Progress,
    done: &AtomicU64,
    tx: SyncSender<Batch>,
) -> Result<Impact, String> {
    let mut own = Impact::new(&packs.base, &packs.new, packs.sample);
    let mut batch: Batch = Vec::with_capacity(BATCH_ROWS);
    loop {
        let mut record = csv::ByteRecord::new();
        match csv_reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(0, |p| p.line());
                batch.push((line, record));
            }
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                match e.kind() {
                    csv::ErrorKind::Io(_) => return Err(e.to_string()),
                    _ => own.bad_row(line, e.to_string()),
                }
            }
        }
        if batch.len() >= BATCH_ROWS {
            progress.show(done.load(Ordering::Relaxed), None, Some((csv_reader.position().byte(), size)));
            if tx.send(std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS))).is_err() {
                break;
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(batch);
    }
    Ok(own)
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}

// ------------------------------------------------------------------------------------------------
// Progress: one line on standard error, redrawn at most ten times a second, only on a terminal.
// ------------------------------------------------------------------------------------------------

struct Progress {
    on: bool,
    started: Instant,
    last: Mutex<Option<Instant>>,
}

impl Progress {
    fn new(on: bool) -> Progress {
        Progress { on, started: Instant::now(), last: Mutex::new(None) }
    }

    /// Shows `done` profiles of `total` (if known), or, while a file is read, `bytes` read of its
    /// size (if known). Redrawn at most ten times a second.
    fn show(&self, done: u64, total: Option<u64>, bytes: Option<(u64, Option<u64>)>) {
        if !self.on {
            return;
        }
        let now = Instant::now();
        let Ok(mut last) = self.last.lock() else { return };
        if last.is_some_and(|t| now.duration_since(t) < Duration::from_millis(100)) {
            return;
        }
        *last = Some(now);
        let line = progress_line(done, total, bytes, now.duration_since(self.started).as_secs_f64());
        let _ = write!(std::io::stderr(), "\r\x1b[2K{line}");
    }

    fn clear(&self) {
        if self.on {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }
}

/// The progress line: a bar and a percentage when the end is known (the file's size, or the
/// population's), the megabytes read, the profiles done, the rate and the time so far.
fn progress_line(done: u64, total: Option<u64>, bytes: Option<(u64, Option<u64>)>, secs: f64) -> String {
    const WIDTH: u64 = 24;
    let (part, whole) = match (bytes, total) {
        (Some((read, Some(size))), _) => (read, Some(size)),
        (None, Some(t)) => (done, Some(t)),
        _ => (0, None),
    };
    let bar = match whole {
        Some(whole) => {
            let (part, whole) = (part.min(whole), whole.max(1));
            let filled = (part * WIDTH / whole) as usize;
            let empty = WIDTH as usize - filled;
            format!("[{}{}] {:>3}% · ", "#".repeat(filled), "-".repeat(empty), part * 100 / whole)
        }
        None => String::new(),
    };
    let read = match bytes {
        Some((read, Some(size))) => format!("{:.1} of {:.1} MB · ", mb(read), mb(size)),
        Some((read, None)) => format!("{:.1} MB · ", mb(read)),
        None => String::new(),
    };
    let rate = done as f64 / secs.max(1e-3) / 1e3;
    format!("drawcheck simulate: {bar}{read}{done} profiles · {rate:.0} k/s · {secs:.1} s")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::{count_newlines, find_newline, progress_line};

    #[test]
    fn the_progress_line_shows_a_bar_when_the_end_is_known() {
        assert_eq!(
            progress_line(250_000, Some(1_000_000), None, 0.5),
            "drawcheck simulate: [######------------------]  25% · 250000 profiles · 500 k/s · 0.5 s"
        );
        // A file of known size: the bar follows the bytes read.
        assert_eq!(
            progress_line(1_000, None, Some((3_000_000, Some(4_000_000))), 2.0),
            "drawcheck simulate: [##################------]  75% · 3.0 of 4.0 MB · 1000 profiles · 0 k/s · 2.0 s"
        );
        // Standard input: no end, so no bar.
        assert_eq!(
            progress_line(0, None, Some((1_500_000, None)), 1.0),
            "drawcheck simulate: 1.5 MB · 0 profiles · 0 k/s · 1.0 s"
        );
        let done = progress_line(7, Some(7), None, 1.0);
        assert!(done.contains("[########################] 100%"), "{done}");
    }

    #[test]
    fn newlines_are_found_and_counted_as_a_byte_scan_would() {
        let mut text: Vec<u8> = Vec::new();
        for i in 0..300u32 {
            // Every byte value, newlines at irregular places, and bytes just around '\n' (9, 11).
            text.push((i * 7 % 256) as u8);
            if i % 13 == 0 || i % 29 == 0 {
                text.push(b'\n');
            }
            text.push(if i % 2 == 0 { 9 } else { 11 });
        }
        for start in 0..40 {
            for end in (start..text.len()).step_by(17) {
                let s = &text[start..end];
                assert_eq!(find_newline(s), s.iter().position(|b| *b == b'\n'), "{start}..{end}");
                assert_eq!(count_newlines(s), s.iter().filter(|b| **b == b'\n').count() as u64);
            }
        }
    }
}
