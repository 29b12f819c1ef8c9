//! The population worker (gloo-worker), what it is asked, and the partial result it returns.
//!
//! The main thread (`population.rs`) drives each worker with small jobs — a range of generated
//! borrowers, or a block of whole lines of a file — keeping two in flight per worker, so a worker
//! is never busy for more than a few tens of milliseconds: progress arrives as each job ends, and
//! a cancel (dropping the bridge; gloo then closes the worker) takes effect at once.
//!
//! Each worker counts into its own [`Impact`] (the core's accumulator, exactly as the CLI's
//! threads do) and at the end sends it whole (serde, gloo-worker's bincode): the main thread
//! [`Impact::merge`]s the workers' accumulators and [`Impact::finish`]es them into the [`Report`]
//! the CLI prints for the same population — the same code as the CLI, from accumulator to report.
//!
//! [`Report`]: drawcheck::population::Report

use drawcheck::population::generate::DEFAULT_AS_OF;
use drawcheck::population::{csv as pcsv, profile_json, Config, FactIds, Generator, Impact};
use drawcheck::verdict::{outline_pair, Comparison, Scratch};
use drawcheck::{Pack, Profile};
use gloo_worker::{HandlerId, Registrable, Worker, WorkerScope};
use serde::{Deserialize, Serialize};

/// How many affected borrowers the report shows (the CLI's default `--sample`).
pub const SAMPLE: usize = 20;

/// Where the rows of a run come from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Source {
    /// The core's synthetic population of this seed (borrower `i` is the same on every worker).
    Generated { seed: u64 },
    /// JSON Lines: one profile per line.
    JsonLines,
    /// CSV whose headers (given here) are the contract's dotted paths.
    Csv { header: Vec<String> },
}

/// A job for a worker. `run` tells answers of a cancelled run from the current one's.
#[derive(Debug, Serialize, Deserialize)]
pub enum Job {
    /// Compile both packs and start an empty accumulator.
    Start { run: u32, baseline: String, new: String, source: Source },
    /// Count generated borrowers `start..end`.
    Generate { run: u32, start: u64, end: u64 },
    /// Count a block of whole lines (JSON Lines) or whole records (CSV) whose first is `first_line`.
    Lines { run: u32, first_line: u64, bytes: Vec<u8> },
    /// Send the accumulated [`Impact`].
    Finish { run: u32 },
}

/// A worker's answer.
#[derive(Debug, Serialize, Deserialize)]
pub enum Answer {
    /// The run cannot go on (a pack that does not compile, CSV headers that are not paths).
    Failed { run: u32, message: String },
    /// A job is done: `rows` profiles counted (bad rows included).
    Done { run: u32, rows: u64 },
    /// The worker's share of the run: its accumulator.
    Part { run: u32, part: Shipped },
}

/// A worker's accumulator as the main thread reads it: the core checks an `Impact` as it is read,
/// and a message that fails the check is kept here as the reason, so it fails the run (gloo-worker's
/// codec would panic on a decoding error, and a panic would kill the studio's module).
#[derive(Debug)]
pub struct Shipped(pub Result<Box<Impact>, String>);

impl Serialize for Shipped {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Ok(impact) => impact.serialize(s),
            Err(message) => Err(serde::ser::Error::custom(message)),
        }
    }
}

impl<'de> Deserialize<'de> for Shipped {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Shipped, D::Error> {
        Ok(Shipped(Impact::deserialize(d).map(Box::new).map_err(|e| e.to_string())))
    }
}

/// Both packs of a run, compiled once per pair of texts and kept between runs.
struct Packs {
    texts: (String, String),
    base: Pack,
    new: Pack,
    comparison: Comparison,
    same_schema: bool,
}

/// What a generated run reuses between borrowers: the generator and one profile per pack.
struct Generated {
    gen: Generator,
    new_ids: FactIds,
    base_ids: FactIds,
    new_profile: Profile,
    base_profile: Profile,
}

/// What a CSV run reuses between records: where each column goes in each pack's profiles.
struct CsvColumns {
    new: pcsv::Columns,
    base: Option<pcsv::Columns>,
}

/// One run's accumulators.
struct Run {
    id: u32,
    impact: Impact,
    before: Scratch,
    after: Scratch,
    generated: Option<Generated>,
    csv: Option<CsvColumns>,
    /// Rows that could not be read (the accumulator counts them, but does not say how many).
    bad_rows: u64,
}

/// The worker: the packs of the last run and the current run's accumulators.
pub struct PopulationWorker {
    packs: Option<Packs>,
    run: Option<Run>,
}

impl Worker for PopulationWorker {
    type Message = ();
    type Input = Job;
    type Output = Answer;

    fn create(_scope: &WorkerScope<Self>) -> Self {
        PopulationWorker { packs: None, run: None }
    }

    fn update(&mut self, _scope: &WorkerScope<Self>, _msg: ()) {}

    fn received(&mut self, scope: &WorkerScope<Self>, job: Job, id: HandlerId) {
        if let Some(answer) = self.handle(job) {
            scope.respond(id, answer);
        }
    }
}

/// Registers this module as the worker's handler (called in the worker's global scope).
pub fn register() {
    PopulationWorker::registrar().register();
}

impl PopulationWorker {
    fn handle(&mut self, job: Job) -> Option<Answer> {
        match job {
            Job::Start { run, baseline, new, source } => {
                self.start(run, baseline, new, source).err().map(|message| Answer::Failed { run, message })
            }
            Job::Generate { run, start, end } => {
                self.generate(run, start, end);
                Some(Answer::Done { run, rows: end.saturating_sub(start) })
            }
            Job::Lines { run, first_line, bytes } => {
                Some(Answer::Done { run, rows: self.lines(run, first_line, &bytes) })
            }
            Job::Finish { run } => {
                let part = self.finish(run)?;
                Some(Answer::Part { run, part: Shipped(Ok(Box::new(part))) })
            }
        }
    }

    fn start(&mut self, id: u32, baseline: String, new: String, source: Source) -> Result<(), String> {
        self.run = None;
        if self.packs.as_ref().is_none_or(|p| p.texts.0 != baseline || p.texts.1 != new) {
            self.packs = None;
            let base =
                drawcheck::compile_pack(&baseline).map_err(|_| "the shipped pack does not compile".to_string())?;
            let new_pack = drawcheck::compile_pack(&new).map_err(|_| "the edited pack does not compile".to_string())?;
            let comparison = Comparison::new(&base, &new_pack);
            let same_schema = base.schema == new_pack.schema;
            self.packs = Some(Packs { texts: (baseline, new), base, new: new_pack, comparison, same_schema });
        }
        let packs = self.packs.as_ref().ok_or("no packs")?;
        let mut run = Run {
            id,
            impact: Impact::new(&packs.base, &packs.new, SAMPLE),
            before: Scratch::default(),
            after: Scratch::default(),
            generated: None,
            csv: None,
            bad_rows: 0,
        };
        match source {
            Source::Generated { seed } => {
                let config = generated_config(seed, &packs.base);
                run.generated = Some(Generated {
                    gen: Generator::new(config),
                    new_ids: FactIds::resolve(&packs.new.schema),
                    base_ids: FactIds::resolve(&packs.base.schema),
                    new_profile: Profile::empty(&packs.new.schema, config.as_of),
                    base_profile: Profile::empty(&packs.base.schema, config.as_of),
                });
            }
            Source::JsonLines => {}
            Source::Csv { header } => run.csv = Some(csv_columns(packs, &header)?),
        }
        self.run = Some(run);
        Ok(())
    }

    fn generate(&mut self, id: u32, start: u64, end: u64) {
        let (Some(packs), Some(run)) = (self.packs.as_ref(), self.run.as_mut()) else { return };
        if run.id != id {
            return;
        }
        let Some(mut g) = run.generated.take() else { return };
        for i in start..end {
            let borrower = g.gen.borrower(i);
            g.new_ids.fill(&borrower, &mut g.new_profile);
            if packs.same_schema {
                run.count(packs, i, &g.new_profile, &g.new_profile);
            } else {
                g.base_ids.fill(&borrower, &mut g.base_profile);
                run.count(packs, i, &g.new_profile, &g.base_profile);
            }
        }
        run.generated = Some(g);
    }

    /// Counts a block of a file; returns how many rows it held (bad rows included).
    fn lines(&mut self, id: u32, first_line: u64, bytes: &[u8]) -> u64 {
        let (Some(packs), Some(run)) = (self.packs.as_ref(), self.run.as_mut()) else { return 0 };
        if run.id != id {
            return 0;
        }
        let before = run.impact.population() + run.bad_total();
        if run.csv.is_some() {
            run.csv_block(packs, first_line, bytes);
        } else {
            for (k, line) in bytes.split(|b| *b == b'\n').enumerate() {
                run.json_line(packs, first_line + k as u64, line);
            }
        }
        (run.impact.population() + run.bad_total()).saturating_sub(before)
    }

    fn finish(&mut self, id: u32) -> Option<Impact> {
        self.run.take_if(|r| r.id == id).map(|r| r.impact)
    }
}

/// The config of a generated population: the CLI's (`simulate --generate N --seed S`).
pub fn generated_config(seed: u64, baseline: &Pack) -> Config {
    Config::new(seed, DEFAULT_AS_OF).with_window_of(baseline)
}

fn csv_columns(packs: &Packs, header: &[String]) -> Result<CsvColumns, String> {
    let cells = || header.iter().map(String::as_str);
    let new = pcsv::Columns::new(&packs.new.schema, cells()).map_err(|e| format!("line 1: {e}"))?;
    let base = if packs.same_schema {
        None
    } else {
        Some(pcsv::Columns::new(&packs.base.schema, cells()).map_err(|e| format!("line 1 (baseline pack): {e}"))?)
    };
    Ok(CsvColumns { new, base })
}

impl Run {
    fn bad_total(&self) -> u64 {
        self.bad_rows
    }

    /// Counts one borrower, given their profile for the new pack and for the baseline.
    fn count(&mut self, packs: &Packs, row: u64, new_profile: &Profile, base_profile: &Profile) {
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

    fn bad_row(&mut self, line: u64, message: String) {
        self.bad_rows += 1;
        self.impact.bad_row(line, message);
    }

    /// One JSON Lines line, as the CLI reads it (blank lines are skipped, not bad).
    fn json_line(&mut self, packs: &Packs, line_no: u64, bytes: &[u8]) {
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return;
        }
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => return self.bad_row(line_no, format!("not UTF-8 text (byte {})", e.valid_up_to() + 1)),
        };
        let new_profile = match drawcheck::read_profile(&packs.new, text) {
            Ok(p) => p,
            Err(e) => return self.bad_row(line_no, located(&e)),
        };
        if packs.same_schema {
            self.count(packs, line_no, &new_profile, &new_profile);
        } else {
            match drawcheck::read_profile(&packs.base, text) {
                Ok(base_profile) => self.count(packs, line_no, &new_profile, &base_profile),
                Err(e) => self.bad_row(line_no, format!("baseline pack: {}", located(&e))),
            }
        }
    }

    /// A block of whole CSV records (no header), as the CLI reads them.
    fn csv_block(&mut self, packs: &Packs, first_line: u64, bytes: &[u8]) {
        let Some(columns) = self.csv.take() else { return };
        let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(false).from_reader(bytes);
        let mut record = csv::ByteRecord::new();
        let at = |line: u64| first_line + line.saturating_sub(1);
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = at(e.position().map_or(1, |p| p.line()));
                    self.bad_row(line, e.to_string());
                    continue;
                }
            }
            let line = at(record.position().map_or(1, |p| p.line()));
            let mut cells: Vec<&str> = Vec::with_capacity(record.len());
            if let Err(message) = drawcheck::population::csv::text_cells(record.iter(), &mut cells) {
                self.bad_row(line, message);
                continue;
            }
            let new_profile = match columns.new.profile(&packs.new.schema, cells.iter().copied()) {
                Ok(p) => p,
                Err(e) => {
                    self.bad_row(line, e);
                    continue;
                }
            };
            match &columns.base {
                None => self.count(packs, line, &new_profile, &new_profile),
                Some(cols) => match cols.profile(&packs.base.schema, cells.iter().copied()) {
                    Ok(base_profile) => self.count(packs, line, &new_profile, &base_profile),
                    Err(e) => self.bad_row(line, format!("baseline pack: {e}")),
                },
            }
        }
        self.csv = Some(columns);
    }
}

fn located(e: &drawcheck::ProfileError) -> String {
    if e.column > 0 {
        format!("column {}: {}", e.column, e.message)
    } else {
        e.message.clone()
    }
}
