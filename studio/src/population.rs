//! The population what-if panel: what the edited pack does to a whole book of borrowers, against
//! the shipped pack as the baseline.
//!
//! - The source: the core's generated population (size and seed, like `drawcheck simulate
//!   --generate N --seed S`), or a local file of JSON Lines or CSV, read with gloo-file slice by
//!   slice ([`READ_BYTES`]) as the workers need its lines, so a file larger than memory still runs.
//! - The run: a pool of workers (`worker.rs`; one per core, at most [`MAX_WORKERS`]) fed small jobs
//!   from here — ranges of generated borrowers, or blocks of whole lines cut at record ends — two
//!   in flight per worker. Each job's answer moves the progress bar; Cancel drops the workers
//!   (gloo closes them) and the panel is ready again at once. The page never waits on a worker.
//! - The report: the workers' accumulators (the core's `Impact`), merged and finished here into the
//!   core's `Report` (the CLI's, figure for figure),
//!   drawn as tables and small SVG charts (`charts.rs`), with a sample of affected borrowers that
//!   open in the side-by-side view, and CSV / JSON exports.

use crate::app::App;
use crate::charts::{self, Change, Pair};
use crate::worker::{Answer, Job, PopulationWorker, Shipped, Source, SAMPLE};
use drawcheck::money::Fen;
use drawcheck::population::report::count;
use drawcheck::population::{Impact, Report};
use drawcheck::{Locale, Pack};
use gloo_events::EventListener;
use gloo_worker::{Spawnable, WorkerBridge};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlButtonElement, HtmlInputElement};

/// The smallest and largest generated population.
const MIN_SIZE: u64 = 1_000;
const MAX_SIZE: u64 = 1_000_000;
/// Generated borrowers per job (a few tens of milliseconds of work).
const GEN_CHUNK: u64 = 16_384;
/// Bytes of a file per job (cut at the end of a line or record).
const BLOCK_BYTES: usize = 1 << 19;
/// Bytes of a file read at a time (a `Blob` slice): the next slice is read while the workers
/// evaluate the lines of this one.
const READ_BYTES: usize = 8 << 20;
/// The longest line (or CSV record) a file may have: a longer one is not a profile, and reading
/// on for its end could fill the memory.
const MAX_LINE_BYTES: usize = 64 << 20;
/// Jobs kept queued at each worker, so it never waits for the next one.
const IN_FLIGHT: usize = 2;
/// The most workers a run uses, whatever the number of cores.
const MAX_WORKERS: usize = 4;
/// The worker's script (relative to the page).
const WORKER_JS: &str = "studio/worker.js";

thread_local! {
    /// The panel lives as long as the page.
    static PANEL: RefCell<Option<Rc<RefCell<Panel>>>> = const { RefCell::new(None) };
}

/// The panel's elements.
struct Ui {
    doc: Document,
    root: Element,
    generated: HtmlInputElement,
    from_file: HtmlInputElement,
    size: HtmlInputElement,
    seed: HtmlInputElement,
    file: HtmlInputElement,
    run: HtmlButtonElement,
    cancel: HtmlButtonElement,
    why: Element,
    progress: Element,
    bar: Element,
    count: Element,
    report: Element,
}

/// Where the next jobs come from.
enum Feed {
    Generated { next: u64, total: u64 },
    File(FileFeed),
}

/// A local file, read slice by slice as its lines are handed out.
struct FileFeed {
    file: web_sys::File,
    /// The file's size, in bytes (the run's progress units).
    size: u64,
    /// Bytes read from the file so far.
    read: u64,
    /// Bytes read and not yet handed out: `buf[start..]`, which begins at a line (or record) start.
    buf: Vec<u8>,
    start: usize,
    /// The file's line number where `buf[start..]` begins.
    line: u64,
    csv: bool,
    /// A slice is being read.
    reading: bool,
}

/// What a feed has for a worker.
enum Next {
    Job(Job, u64),
    /// Nothing until the next slice of the file is read.
    Wait,
    /// Everything was handed out.
    Done,
    /// The run cannot go on (a line longer than [`MAX_LINE_BYTES`]).
    Fail(String),
}

/// A run in progress.
struct Running {
    id: u32,
    started: f64,
    source: String,
    base: Pack,
    new: Pack,
    new_text: String,
    feed: Feed,
    /// Per worker: the size (rows or bytes) of each job sent and not yet answered.
    in_flight: Vec<VecDeque<u64>>,
    rows: u64,
    /// Progress: units done of units in all (borrowers when generated, bytes for a file).
    done_units: u64,
    total_units: u64,
    /// The workers' accumulators merged so far.
    part: Option<Impact>,
    /// Parts still awaited (`Some` once every worker was asked to finish).
    parts_missing: Option<usize>,
    /// When the workers were asked for their parts (what follows is the merge and the report).
    finishing_at: f64,
}

/// What a click on Run found ready to start.
struct Plan {
    base_text: String,
    new_text: String,
    base: Pack,
    new: Pack,
    source: PlanSource,
}

enum PlanSource {
    Generated { size: u64, seed: u64 },
    File(web_sys::File),
}

struct Panel {
    app: App,
    ui: Ui,
    me: Weak<RefCell<Panel>>,
    workers: Vec<WorkerBridge<PopulationWorker>>,
    run: Option<Running>,
    next_id: u32,
    /// A file is being read (the run starts when it is).
    reading: bool,
    report: Option<Report>,
    /// The edited pack's text the report on screen was made with (to say when it is out of date).
    report_pack: Option<String>,
    listeners: Vec<EventListener>,
    report_listeners: Vec<EventListener>,
    /// The language the panel's words are in (`None` before the first time they are set).
    locale: Option<Locale>,
    /// The rows counted and the milliseconds taken by the run of the report on screen.
    timing: Option<(u64, f64)>,
}

/// Builds the panel inside `parent`.
pub fn mount(parent: &Element, app: App) {
    let Some(ui) = build(parent) else { return };
    let panel = Rc::new_cyclic(|me| {
        RefCell::new(Panel {
            app,
            ui,
            me: me.clone(),
            workers: Vec::new(),
            run: None,
            next_id: 1,
            reading: false,
            report: None,
            report_pack: None,
            listeners: Vec::new(),
            report_listeners: Vec::new(),
            locale: None,
            timing: None,
        })
    });
    {
        let mut p = panel.borrow_mut();
        p.listen();
        // Started now, so that a run does not wait for the workers to load (and they load with the page).
        p.spawn_workers();
        let me = p.me.clone();
        p.app.on_change(move || {
            with(&me, |p| {
                p.apply_words();
                p.refresh();
            })
        });
        p.apply_words();
        p.refresh();
    }
    PANEL.with(|slot| *slot.borrow_mut() = Some(panel));
}

/// Runs `f` on the panel if it is still there and not already borrowed.
fn with(me: &Weak<RefCell<Panel>>, f: impl FnOnce(&mut Panel)) {
    if let Some(rc) = me.upgrade() {
        if let Ok(mut p) = rc.try_borrow_mut() {
            f(&mut p);
        }
    }
}

// ------------------------------------------------------------------------------------------------
// The form
// ------------------------------------------------------------------------------------------------

fn build(parent: &Element) -> Option<Ui> {
    let doc = parent.owner_document()?;
    let root = add(&doc, parent, "div", "pop")?;
    root.set_id("pop-panel");
    root.set_attribute("aria-labelledby", "pop-title").ok()?;
    root.set_attribute("data-state", "idle").ok()?;
    let h = add(&doc, &root, "h2", "pop-title")?;
    h.set_id("pop-title");
    words_key(&h, "title")?;
    words_key(&add(&doc, &root, "p", "pop-intro")?, "intro")?;

    let fieldset = add(&doc, &root, "fieldset", "pop-source")?;
    words_key(&add(&doc, &fieldset, "legend", "")?, "borrowers")?;
    let gen_row = add(&doc, &fieldset, "div", "pop-choice")?;
    let generated = radio(&doc, &gen_row, "pop-src-generated", "generated", true)?;
    let gen_fields = add(&doc, &fieldset, "div", "pop-fields")?;
    let size = number(&doc, &gen_fields, "pop-size", "size", MIN_SIZE, MAX_SIZE, 1_000, 100_000)?;
    let seed = number(&doc, &gen_fields, "pop-seed", "seed", 0, u64::from(u32::MAX), 1, 1)?;
    let file_row = add(&doc, &fieldset, "div", "pop-choice")?;
    let from_file = radio(&doc, &file_row, "pop-src-file", "from_file", false)?;
    let file_fields = add(&doc, &fieldset, "div", "pop-fields")?;
    let file: HtmlInputElement = add(&doc, &file_fields, "input", "pop-file")?.dyn_into().ok()?;
    file.set_type("file");
    file.set_id("pop-file");
    file.set_accept(".jsonl,.ndjson,.json,.csv,.txt");
    file.set_attribute("data-w-aria", "file_aria").ok()?;

    let actions = add(&doc, &root, "div", "pop-actions")?;
    let run: HtmlButtonElement = add(&doc, &actions, "button", "pop-run")?.dyn_into().ok()?;
    run.set_type("button");
    run.set_id("pop-run");
    words_key(&run, "run")?;
    let cancel: HtmlButtonElement = add(&doc, &actions, "button", "pop-cancel")?.dyn_into().ok()?;
    cancel.set_type("button");
    cancel.set_id("pop-cancel");
    words_key(&cancel, "cancel")?;
    cancel.set_hidden(true);
    let why = add(&doc, &actions, "p", "pop-why")?;
    why.set_id("pop-why");
    why.set_attribute("role", "status").ok()?;
    run.set_attribute("aria-describedby", "pop-why").ok()?;

    let progress = add(&doc, &root, "div", "pop-progress")?;
    progress.set_attribute("hidden", "").ok()?;
    let bar = add(&doc, &progress, "progress", "pop-bar")?;
    bar.set_id("pop-bar");
    bar.set_attribute("data-w-aria", "progress_aria").ok()?;
    let count = add(&doc, &progress, "p", "pop-count")?;
    count.set_id("pop-count");
    count.set_attribute("aria-live", "polite").ok()?;

    let report = add(&doc, &root, "div", "pop-report")?;
    report.set_id("pop-report");
    Some(Ui { doc, root, generated, from_file, size, seed, file, run, cancel, why, progress, bar, count, report })
}

/// Marks an element whose text is the words' `key` (set, and set again on a language switch, by
/// [`Panel::apply_words`]).
fn words_key(e: &Element, key: &str) -> Option<()> {
    e.set_attribute("data-w", key).ok()
}

fn add(doc: &Document, parent: &Element, tag: &str, class: &str) -> Option<Element> {
    let e = doc.create_element(tag).ok()?;
    if !class.is_empty() {
        e.set_class_name(class);
    }
    parent.append_child(&e).ok()?;
    Some(e)
}

fn radio(doc: &Document, parent: &Element, id: &str, key: &str, checked: bool) -> Option<HtmlInputElement> {
    let input: HtmlInputElement = add(doc, parent, "input", "")?.dyn_into().ok()?;
    input.set_type("radio");
    input.set_name("pop-source");
    input.set_id(id);
    input.set_checked(checked);
    let l = add(doc, parent, "label", "")?;
    l.set_attribute("for", id).ok()?;
    words_key(&l, key)?;
    Some(input)
}

#[allow(clippy::too_many_arguments)]
fn number(
    doc: &Document,
    parent: &Element,
    id: &str,
    key: &str,
    min: u64,
    max: u64,
    step: u64,
    value: u64,
) -> Option<HtmlInputElement> {
    // A label and its input wrap together.
    let pair = add(doc, parent, "span", "pop-pair")?;
    let l = add(doc, &pair, "label", "pop-field")?;
    l.set_attribute("for", id).ok()?;
    words_key(&l, key)?;
    let input: HtmlInputElement = add(doc, &pair, "input", "pop-number")?.dyn_into().ok()?;
    input.set_type("number");
    input.set_id(id);
    input.set_min(&min.to_string());
    input.set_max(&max.to_string());
    input.set_step(&step.to_string());
    input.set_value(&value.to_string());
    input.set_attribute("inputmode", "numeric").ok()?;
    Some(input)
}

impl Panel {
    fn listen(&mut self) {
        let ui = &self.ui;
        let on = |target: &web_sys::EventTarget, event: &'static str, f: fn(&mut Panel)| {
            let me = self.me.clone();
            EventListener::new(target, event, move |_| with(&me, f))
        };
        self.listeners = vec![
            on(&ui.run, "click", Panel::start),
            on(&ui.cancel, "click", Panel::cancel),
            on(&ui.generated, "change", Panel::refresh),
            on(&ui.from_file, "change", Panel::refresh),
            on(&ui.file, "change", |p| {
                p.ui.from_file.set_checked(true);
                p.refresh();
            }),
            on(&ui.size, "input", |p| {
                p.ui.generated.set_checked(true);
                p.refresh();
            }),
            on(&ui.seed, "input", |p| {
                p.ui.generated.set_checked(true);
                p.refresh();
            }),
        ];
    }

    /// The Run button's state, and why it is disabled.
    fn refresh(&mut self) {
        let busy = self.run.is_some() || self.reading;
        let edited = self.app.edited_pack_text();
        if let (Some(made_with), Some(note)) = (&self.report_pack, self.ui.doc.get_element_by_id("pop-stale")) {
            let stale = edited.as_deref() != Some(made_with.as_str());
            // Shown when stale, hidden when not: change it only when it is the other way round.
            if stale == note.has_attribute("hidden") {
                let _ = if stale { note.remove_attribute("hidden") } else { note.set_attribute("hidden", "") };
            }
        }
        let why = if busy {
            None
        } else if edited.is_none() {
            Some(self.words().pack_errors.to_string())
        } else if self.ui.from_file.checked() && self.chosen_file().is_none() {
            Some(self.words().choose_file.to_string())
        } else if self.ui.generated.checked() {
            self.size_and_seed().err()
        } else {
            None
        };
        let disabled = busy || why.is_some();
        if self.ui.run.disabled() != disabled {
            self.ui.run.set_disabled(disabled);
        }
        let text = why.unwrap_or_default();
        if !busy && self.ui.why.text_content().unwrap_or_default() != text && !self.showing_outcome(&text) {
            self.ui.why.set_text_content(Some(&text));
        }
    }

    /// Keeps a run's outcome ("Cancelled…", an error) on screen until the next reason replaces it.
    fn showing_outcome(&self, next: &str) -> bool {
        next.is_empty() && self.ui.why.get_attribute("data-outcome").is_some()
    }

    fn chosen_file(&self) -> Option<web_sys::File> {
        self.ui.file.files()?.get(0)
    }

    fn size_and_seed(&self) -> Result<(u64, u64), String> {
        let size = parse_count(&self.ui.size.value())
            .filter(|n| (MIN_SIZE..=MAX_SIZE).contains(n))
            .ok_or_else(|| self.words().size_range.to_string())?;
        let seed = parse_count(&self.ui.seed.value()).ok_or_else(|| self.words().seed_whole.to_string())?;
        Ok((size, seed))
    }

    fn words(&self) -> &'static Words {
        words(self.app.locale())
    }

    /// Sets the panel's words in the studio's language (again after a language switch, when the
    /// report on screen is drawn again in the new one).
    fn apply_words(&mut self) {
        let locale = self.app.locale();
        if self.locale == Some(locale) {
            return;
        }
        self.locale = Some(locale);
        let w = words(locale);
        let _ = self.ui.root.set_attribute("lang", w.tag);
        for (selector, attr) in [("[data-w]", "data-w"), ("[data-w-aria]", "data-w-aria")] {
            let Ok(list) = self.ui.root.query_selector_all(selector) else { continue };
            for i in 0..list.length() {
                let Some(e) = list.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
                let text = w.text(&e.get_attribute(attr).unwrap_or_default());
                let _ = if attr == "data-w" {
                    e.set_text_content(Some(text));
                    Ok(())
                } else {
                    e.set_attribute("aria-label", text)
                };
            }
        }
        // An outcome said in the other language gives way to the current reason.
        if self.ui.why.has_attribute("data-outcome") {
            let _ = self.ui.why.remove_attribute("data-outcome");
            self.ui.why.set_text_content(Some(""));
        }
        if let (Some(report), Some(timing)) = (self.report.take(), self.timing) {
            self.render(&report, timing);
            self.report = Some(report);
        }
    }

    fn say(&self, text: &str) {
        self.ui.why.set_text_content(Some(text));
        let _ = self.ui.why.set_attribute("data-outcome", "");
    }

    fn set_state(&self, state: &str) {
        let _ = self.ui.root.set_attribute("data-state", state);
    }

    // --------------------------------------------------------------------------------------------
    // Running
    // --------------------------------------------------------------------------------------------

    fn plan(&self) -> Result<Plan, String> {
        let w = self.words();
        let new_text = self.app.edited_pack_text().ok_or(w.pack_errors)?;
        let base_text = self.app.shipped_pack_text();
        let base = drawcheck::compile_pack(&base_text).map_err(|_| w.shipped_broken)?;
        let new = drawcheck::compile_pack(&new_text).map_err(|_| w.pack_errors)?;
        let source = if self.ui.from_file.checked() {
            PlanSource::File(self.chosen_file().ok_or(w.choose_file)?)
        } else {
            let (size, seed) = self.size_and_seed()?;
            PlanSource::Generated { size, seed }
        };
        Ok(Plan { base_text, new_text, base, new, source })
    }

    fn start(&mut self) {
        if self.run.is_some() || self.reading {
            return;
        }
        let _ = self.ui.why.remove_attribute("data-outcome");
        let Plan { base_text, new_text, base, new, source } = match self.plan() {
            Ok(plan) => plan,
            Err(e) => return self.say(&e),
        };
        match source {
            PlanSource::Generated { size, seed } => {
                let as_of = crate::worker::generated_config(seed, &base).as_of;
                let label = format!("generated, seed {seed}, as of {}", drawcheck::calendar::format_rfc3339(as_of));
                let feed = Feed::Generated { next: 0, total: size };
                self.begin(base_text, new_text, base, new, Source::Generated { seed }, feed, label, size);
            }
            PlanSource::File(file) => {
                self.reading = true;
                self.set_state("reading");
                self.ui.why.set_text_content(Some(&fill(self.words().reading, &[("name", &file.name())])));
                self.refresh();
                let me = self.me.clone();
                let to = file.size().min(READ_BYTES as f64);
                wasm_bindgen_futures::spawn_local(async move {
                    let read = read_slice(&file, 0.0, to).await;
                    with(&me, |p| {
                        p.reading = false;
                        match read {
                            Ok(bytes) => p.begin_file(base_text, new_text, base, new, file, bytes),
                            Err(e) => {
                                p.set_state("failed");
                                p.say(&format!("{}: {e}", file.name()));
                            }
                        }
                        p.refresh();
                    });
                });
            }
        }
    }

    /// Starts a run on a file, given its first slice.
    fn begin_file(
        &mut self,
        base_text: String,
        new_text: String,
        base: Pack,
        new: Pack,
        file: web_sys::File,
        first: Vec<u8>,
    ) {
        let name = file.name();
        // `File.size` is a whole number of bytes.
        let size = file.size() as u64;
        let csv = name.to_ascii_lowercase().ends_with(".csv");
        let whole = first.len() as u64 >= size;
        let (source, start, line) = if csv {
            match csv_header(&base, &new, &first, whole) {
                Ok((header, start, line)) => (Source::Csv { header }, start, line),
                Err(e) => {
                    self.set_state("failed");
                    return self.say(&format!("{name}: {e}"));
                }
            }
        } else {
            (Source::JsonLines, 0, 1)
        };
        let read = first.len() as u64;
        let feed = Feed::File(FileFeed { file, size, read, buf: first, start, line, csv, reading: false });
        let label = format!("file: {name}");
        self.begin(base_text, new_text, base, new, source, feed, label, size);
    }

    #[allow(clippy::too_many_arguments)]
    fn begin(
        &mut self,
        base_text: String,
        new_text: String,
        base: Pack,
        new: Pack,
        source: Source,
        feed: Feed,
        label: String,
        total_units: u64,
    ) {
        if self.workers.is_empty() {
            self.spawn_workers();
        }
        let id = self.next_id;
        self.next_id += 1;
        for w in &self.workers {
            w.send(Job::Start { run: id, baseline: base_text.clone(), new: new_text.clone(), source: source.clone() });
        }
        self.run = Some(Running {
            id,
            started: now(),
            source: label,
            base,
            new,
            new_text,
            feed,
            in_flight: vec![VecDeque::new(); self.workers.len()],
            rows: 0,
            done_units: 0,
            total_units,
            part: None,
            parts_missing: None,
            finishing_at: 0.0,
        });
        self.set_state("running");
        self.ui.run.set_disabled(true);
        self.ui.cancel.set_hidden(false);
        let _ = self.ui.progress.remove_attribute("hidden");
        let _ = self.ui.bar.set_attribute("max", &total_units.max(1).to_string());
        let _ = self.ui.bar.set_attribute("value", "0");
        self.ui.count.set_text_content(Some(self.words().starting));
        self.ui.why.set_text_content(Some(""));
        for w in 0..self.workers.len() {
            self.feed(w);
        }
    }

    /// One worker per core (as the browser counts them), at most [`MAX_WORKERS`].
    fn spawn_workers(&mut self) {
        let cores = web_sys::window().map_or(2.0, |w| w.navigator().hardware_concurrency());
        let n = if cores.is_finite() && cores >= 1.0 { (cores as usize).min(MAX_WORKERS) } else { 2 };
        self.workers = (0..n)
            .map(|i| {
                let me = self.me.clone();
                let mut spawner = PopulationWorker::spawner();
                spawner.callback(move |answer| with(&me, |p| p.answer(i, answer)));
                spawner.spawn_with_loader(WORKER_JS)
            })
            .collect();
        let _ = self.ui.root.set_attribute("data-workers", &n.to_string());
    }

    /// Tops up worker `w`'s queue, asks for the file's next slice when its read lines run low, and
    /// once every job is handed out and answered, asks every worker for its part.
    fn feed(&mut self, w: usize) {
        let Some(run) = self.run.as_mut() else { return };
        let Some(bridge) = self.workers.get(w) else { return };
        let mut done = false;
        while run.in_flight.get(w).is_some_and(|q| q.len() < IN_FLIGHT) {
            let (job, units) = match run.feed.next(run.id) {
                Next::Job(job, units) => (job, units),
                Next::Wait => break,
                Next::Done => {
                    done = true;
                    break;
                }
                Next::Fail(message) => {
                    self.stop();
                    self.set_state("failed");
                    return self.say(&message);
                }
            };
            bridge.send(job);
            if let Some(q) = run.in_flight.get_mut(w) {
                q.push_back(units);
            }
        }
        if let Feed::File(f) = &mut run.feed {
            if let Some((from, to)) = f.slice_to_read() {
                let (me, id, file) = (self.me.clone(), run.id, f.file.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    let read = read_slice(&file, from, to).await;
                    with(&me, |p| p.slice_read(id, read));
                });
            }
        }
        if done && run.parts_missing.is_none() && run.in_flight.iter().all(VecDeque::is_empty) {
            for b in &self.workers {
                b.send(Job::Finish { run: run.id });
            }
            run.parts_missing = Some(self.workers.len());
            run.finishing_at = now();
            let text = fill(words(self.locale.unwrap_or(Locale::En)).merging, &[("n", &count(run.rows))]);
            self.ui.count.set_text_content(Some(&text));
        }
    }

    /// The file's next slice arrived: its lines go to every worker that has room.
    fn slice_read(&mut self, run: u32, read: Result<Vec<u8>, String>) {
        let Some(r) = self.run.as_mut().filter(|r| r.id == run) else { return };
        let Feed::File(f) = &mut r.feed else { return };
        match read {
            Ok(bytes) => f.append(bytes),
            Err(message) => {
                let name = f.file.name();
                self.stop();
                self.set_state("failed");
                return self.say(&format!("{name}: {message}"));
            }
        }
        for w in 0..self.workers.len() {
            self.feed(w);
        }
    }

    fn answer(&mut self, w: usize, answer: Answer) {
        let current = self.run.as_ref().map(|r| r.id);
        match answer {
            Answer::Done { run, rows } if Some(run) == current => {
                if let Some(r) = self.run.as_mut() {
                    r.rows += rows;
                    r.done_units += r.in_flight.get_mut(w).and_then(VecDeque::pop_front).unwrap_or(0);
                }
                self.feed(w);
                self.show_progress();
            }
            Answer::Part { run, part: Shipped(Err(message)) } if Some(run) == current => {
                self.stop();
                self.set_state("failed");
                self.say(&message);
            }
            Answer::Part { run, part: Shipped(Ok(part)) } if Some(run) == current => {
                let done = self.run.as_mut().is_some_and(|r| {
                    match r.part.as_mut() {
                        Some(p) => p.merge(*part),
                        None => r.part = Some(*part),
                    }
                    r.parts_missing = r.parts_missing.map(|n| n.saturating_sub(1));
                    r.parts_missing == Some(0)
                });
                if done {
                    self.complete();
                }
            }
            Answer::Failed { run, message } if Some(run) == current => {
                self.stop();
                self.set_state("failed");
                self.say(&message);
            }
            // An answer of a run that was cancelled.
            _ => {}
        }
    }

    fn show_progress(&self) {
        let Some(r) = self.run.as_ref() else { return };
        let _ = self.ui.bar.set_attribute("value", &r.done_units.to_string());
        let secs = (now() - r.started) / 1000.0;
        let rate = if secs > 0.0 { (r.rows as f64 / secs) as u64 } else { 0 };
        let w = self.words();
        let text = match r.feed {
            Feed::Generated { total, .. } => {
                fill(w.progress_generated, &[("n", &count(r.rows)), ("total", &count(total)), ("rate", &count(rate))])
            }
            Feed::File(_) => {
                let pct = (r.done_units * 100 / r.total_units.max(1)).to_string();
                fill(w.progress_file, &[("n", &count(r.rows)), ("pct", &pct), ("rate", &count(rate))])
            }
        };
        self.ui.count.set_text_content(Some(&text));
    }

    fn complete(&mut self) {
        let Some(run) = self.run.take() else { return };
        let impact = run.part.unwrap_or_else(|| Impact::new(&run.base, &run.new, SAMPLE));
        let report = impact.finish(&run.source, &run.base, &run.new);
        // The time the report says: from the click on Run to the merged report.
        let elapsed = now() - run.started;
        self.end_ui();
        let timing = (report.population + report.bad_rows_total, elapsed);
        self.render(&report, timing);
        // For tests and the benchmark: the time from the click on Run to the report on screen.
        let _ = self.ui.root.set_attribute("data-elapsed-ms", &format!("{:.0}", now() - run.started));
        let _ = self.ui.root.set_attribute("data-population", &report.population.to_string());
        let _ = self.ui.root.set_attribute("data-run", &run.id.to_string());
        self.set_state("done");
        self.report = Some(report);
        self.timing = Some(timing);
        // For the benchmark: how long the parts took to come back, merge and show.
        let _ = self.ui.root.set_attribute("data-finish-ms", &format!("{:.0}", now() - run.finishing_at));
        self.report_pack = Some(run.new_text);
        self.refresh();
    }

    /// Cancel: drops the workers (gloo closes each one as soon as it reads the message, within a
    /// job) and forgets the run; fresh workers are spawned by the next run.
    fn cancel(&mut self) {
        let Some(rows) = self.run.as_ref().map(|r| r.rows) else { return };
        self.stop();
        self.workers.clear();
        self.set_state("cancelled");
        self.say(&fill(self.words().cancelled, &[("n", &count(rows))]));
        self.refresh();
    }

    fn stop(&mut self) {
        self.run = None;
        self.end_ui();
    }

    fn end_ui(&self) {
        self.ui.cancel.set_hidden(true);
        let _ = self.ui.progress.set_attribute("hidden", "");
    }

    // --------------------------------------------------------------------------------------------
    // The report
    // --------------------------------------------------------------------------------------------

    fn render(&mut self, report: &Report, (rows, elapsed): (u64, f64)) {
        let w = self.words();
        let doc = self.ui.doc.clone();
        let out = &self.ui.report.clone();
        out.set_text_content(None);
        self.report_listeners.clear();
        let _ = (|| -> Option<()> {
            let head = add(&doc, out, "div", "pop-head")?;
            add(&doc, &head, "h3", "")?.set_text_content(Some(w.impact));
            let summary = add(&doc, &head, "p", "pop-summary")?;
            summary.set_id("pop-summary");
            summary.set_text_content(Some(&fill(
                w.summary,
                &[
                    ("n", &count(report.population)),
                    ("source", &report.source),
                    ("affected", &count(report.affected)),
                    ("pct", &percent(report.affected, report.population)),
                    ("bad", &count(report.bad_rows_total)),
                ],
            )));
            let rate = if elapsed > 0.0 { (rows as f64 * 1000.0 / elapsed) as u64 } else { 0 };
            let secs = format!("{:.2}", elapsed / 1000.0);
            let timing = fill(w.timing, &[("n", &count(rows)), ("s", &secs), ("rate", &count(rate))]);
            add(&doc, &head, "p", "pop-timing")?.set_text_content(Some(&timing));
            let stale = add(&doc, &head, "p", "pop-stale")?;
            stale.set_id("pop-stale");
            stale.set_attribute("hidden", "").ok()?;
            stale.set_text_content(Some(w.stale));
            let exports = add(&doc, &head, "div", "pop-exports")?;
            for (label, id, f) in [
                (w.csv, "pop-export-csv", Panel::export_csv as fn(&mut Panel)),
                (w.json, "pop-export-json", Panel::export_json),
            ] {
                let b = add(&doc, &exports, "button", "pop-export")?;
                b.set_id(id);
                b.set_attribute("type", "button").ok()?;
                b.set_text_content(Some(label));
                let me = self.me.clone();
                self.report_listeners.push(EventListener::new(&b, "click", move |_| with(&me, f)));
            }

            let grid = add(&doc, out, "div", "pop-grid")?;
            statuses(&doc, &grid, report, w)?;
            matrix(&doc, &grid, report, w)?;
            rules(&doc, &grid, report, w)?;
            amounts(&doc, &grid, report, w)?;
            self.sample(&doc, out, report, w)?;
            bad_rows(&doc, out, report, w)?;
            Some(())
        })();
    }

    fn sample(&mut self, doc: &Document, out: &Element, report: &Report, w: &Words) -> Option<()> {
        let section = card(doc, out, "pop-sample", w.sample_title)?;
        if report.sample.is_empty() {
            add(doc, &section, "p", "")?.set_text_content(Some(w.sample_none));
            return Some(());
        }
        add(doc, &section, "p", "pop-note")?.set_text_content(Some(&fill(
            w.sample_note,
            &[("k", &report.sample.len().to_string()), ("n", &count(report.affected))],
        )));
        let list = add(doc, &section, "ul", "pop-sample-list")?;
        for s in &report.sample {
            let li = add(doc, &list, "li", "")?;
            let b = add(doc, &li, "button", "pop-borrower")?;
            b.set_attribute("type", "button").ok()?;
            b.set_attribute("data-row", &s.row.to_string()).ok()?;
            b.set_attribute("data-before", s.before.name()).ok()?;
            b.set_attribute("data-after", s.after.name()).ok()?;
            let row = add(doc, &b, "span", "pop-row")?;
            row.set_text_content(Some(&fill(w.row, &[("n", &s.row.to_string())])));
            let moved = add(doc, &b, "span", "pop-move")?;
            moved.set_text_content(Some(&format!(
                "{} → {} · {} → {}",
                s.before.name(),
                s.after.name(),
                yuan(s.available_before),
                yuan(s.available_after)
            )));
            let mut changes: Vec<String> = s.rules_added.iter().map(|r| format!("+{r}")).collect();
            changes.extend(s.rules_removed.iter().map(|r| format!("−{r}")));
            if !changes.is_empty() {
                add(doc, &b, "span", "pop-rules")?.set_text_content(Some(&changes.join(" ")));
            }
            let json = s.profile.to_string();
            let app = self.app.clone();
            self.report_listeners.push(EventListener::new(&b, "click", move |_| app.open_profile(&json)));
        }
        Some(())
    }

    fn export_csv(&mut self) {
        if let Some(r) = &self.report {
            download(&self.ui.doc, "drawcheck-impact.csv", "text/csv;charset=utf-8", &r.csv());
        }
    }

    fn export_json(&mut self) {
        if let Some(r) = &self.report {
            let text = serde_json::to_string_pretty(r).unwrap_or_default() + "\n";
            download(&self.ui.doc, "drawcheck-impact.json", "application/json", &text);
        }
    }
}

impl Feed {
    /// The next job and its size in progress units.
    fn next(&mut self, run: u32) -> Next {
        match self {
            Feed::Generated { next, total } => {
                if *next >= *total {
                    return Next::Done;
                }
                let start = *next;
                let end = (start + GEN_CHUNK).min(*total);
                *next = end;
                Next::Job(Job::Generate { run, start, end }, end - start)
            }
            Feed::File(f) => f.next(run),
        }
    }
}

impl FileFeed {
    fn all_read(&self) -> bool {
        self.read >= self.size
    }

    fn rest(&self) -> &[u8] {
        self.buf.get(self.start..).unwrap_or_default()
    }

    /// The next block of whole lines. A block ends at a line end: while the file is still being
    /// read, a block waits until about [`BLOCK_BYTES`] have been read (or a whole line has, for a
    /// longer line); the file's last line needs no line end.
    fn next(&mut self, run: u32) -> Next {
        let all_read = self.all_read();
        let rest = self.rest();
        if rest.is_empty() {
            return if all_read { Next::Done } else { Next::Wait };
        }
        let len = match block_len(rest, self.csv) {
            Some(len) if all_read || rest.len() >= BLOCK_BYTES => len,
            None if all_read => rest.len(),
            None if rest.len() > MAX_LINE_BYTES => {
                return Next::Fail(format!("line {}: longer than {} MB", self.line, MAX_LINE_BYTES >> 20));
            }
            _ => return Next::Wait,
        };
        let Some(block) = rest.get(..len).map(<[u8]>::to_vec) else { return Next::Wait };
        let first_line = self.line;
        self.line += block.iter().filter(|b| **b == b'\n').count() as u64;
        self.start += len;
        Next::Job(Job::Lines { run, first_line, bytes: block }, len as u64)
    }

    /// The byte range of the file to read next, if one should be: when fewer than [`READ_BYTES`]
    /// read bytes are left to hand out (or they end inside a line), and no read is under way.
    fn slice_to_read(&mut self) -> Option<(f64, f64)> {
        let low = self.rest().len() < READ_BYTES || block_len(self.rest(), self.csv).is_none();
        if self.reading || self.all_read() || !low {
            return None;
        }
        self.reading = true;
        let to = self.size.min(self.read + READ_BYTES as u64);
        Some((self.read as f64, to as f64))
    }

    /// Adds a slice that was read after the bytes already read.
    fn append(&mut self, bytes: Vec<u8>) {
        self.reading = false;
        if bytes.is_empty() {
            // The file shrank while it was read: what was read is all there is.
            self.size = self.read;
            return;
        }
        self.buf.drain(..self.start.min(self.buf.len()));
        self.start = 0;
        self.read += bytes.len() as u64;
        self.buf.extend_from_slice(&bytes);
    }
}

/// Reads bytes `from..to` of a file.
async fn read_slice(file: &web_sys::File, from: f64, to: f64) -> Result<Vec<u8>, String> {
    let blob = file.slice_with_f64_and_f64(from, to).map_err(|_| format!("cannot read bytes {from}–{to}"))?;
    gloo_file::futures::read_as_bytes(&gloo_file::Blob::from(blob)).await.map_err(|e| e.to_string())
}

/// How many bytes of `rest` the next block takes: about [`BLOCK_BYTES`], ending just after a line
/// end (for CSV, one outside quotes: a quoted cell may hold a line break); `None` if `rest` holds
/// no line end.
fn block_len(rest: &[u8], csv: bool) -> Option<usize> {
    let mut quoted = false;
    let mut last_end = None;
    for (i, b) in rest.iter().enumerate() {
        match b {
            b'"' if csv => quoted = !quoted,
            b'\n' if !quoted => {
                last_end = Some(i + 1);
                if i + 1 >= BLOCK_BYTES {
                    break;
                }
            }
            _ => {}
        }
        if i + 1 >= BLOCK_BYTES && last_end.is_some() {
            break;
        }
    }
    last_end
}

/// A CSV file's header (checked against both packs' schemas, as the CLI does), the byte offset of
/// its first record and that record's line, from the file's first slice (`whole`: the whole file).
fn csv_header(base: &Pack, new: &Pack, bytes: &[u8], whole: bool) -> Result<(Vec<String>, usize, u64), String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).has_headers(true).from_reader(bytes);
    let header: Vec<String> = reader
        .byte_headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(|h| String::from_utf8_lossy(h).into_owned())
        .collect();
    let cells = || header.iter().map(String::as_str);
    drawcheck::population::csv::Columns::new(&new.schema, cells()).map_err(|e| format!("line 1: {e}"))?;
    if base.schema != new.schema {
        drawcheck::population::csv::Columns::new(&base.schema, cells())
            .map_err(|e| format!("line 1 (baseline pack): {e}"))?;
    }
    let at = reader.position();
    let start = usize::try_from(at.byte()).unwrap_or(bytes.len());
    // A header cut by the end of the slice would be read as a shorter one.
    if !whole && !bytes.get(..start).is_some_and(|h| h.ends_with(b"\n")) {
        return Err(format!("line 1: the header is longer than {} MB", READ_BYTES >> 20));
    }
    Ok((header, start, at.line()))
}

// ------------------------------------------------------------------------------------------------
// Report sections
// ------------------------------------------------------------------------------------------------

fn card(doc: &Document, parent: &Element, class: &str, title: &str) -> Option<Element> {
    let section = add(doc, parent, "section", &format!("pop-card {class}"))?;
    add(doc, &section, "h4", "")?.set_text_content(Some(title));
    Some(section)
}

/// A box that scrolls sideways when a table is wider than a phone: a named region that takes the
/// keyboard's focus, so that it can be scrolled without a pointer.
fn scroll_box(doc: &Document, parent: &Element, name: &str) -> Option<Element> {
    let scroll = add(doc, parent, "div", "pop-scroll")?;
    scroll.set_attribute("tabindex", "0").ok()?;
    scroll.set_attribute("role", "region").ok()?;
    scroll.set_attribute("aria-label", name).ok()?;
    Some(scroll)
}

/// A table with a caption, a header row and text rows (the first cell of each a row header), in a
/// box that scrolls sideways rather than widen the page on a phone.
fn table(doc: &Document, parent: &Element, caption: &str, head: &[&str], rows: &[Vec<String>]) -> Option<Element> {
    let scroll = scroll_box(doc, parent, caption)?;
    let t = add(doc, &scroll, "table", "pop-table")?;
    add(doc, &t, "caption", "")?.set_text_content(Some(caption));
    let tr = add(doc, &add(doc, &t, "thead", "")?, "tr", "")?;
    for h in head {
        let th = add(doc, &tr, "th", "")?;
        th.set_attribute("scope", "col").ok()?;
        th.set_text_content(Some(h));
    }
    let body = add(doc, &t, "tbody", "")?;
    for row in rows {
        let tr = add(doc, &body, "tr", "")?;
        for (i, cell) in row.iter().enumerate() {
            let td = add(doc, &tr, if i == 0 { "th" } else { "td" }, "")?;
            if i == 0 {
                td.set_attribute("scope", "row").ok()?;
            }
            td.set_text_content(Some(cell));
        }
    }
    Some(t)
}

fn statuses(doc: &Document, parent: &Element, report: &Report, w: &Words) -> Option<()> {
    let section = card(doc, parent, "pop-statuses", w.statuses_title)?;
    let pairs: Vec<Pair> = report
        .statuses
        .iter()
        .map(|s| Pair {
            label: s.status.name().to_string(),
            before: s.before as f64,
            after: s.after as f64,
            before_text: count(s.before),
            after_text: count(s.after),
        })
        .collect();
    let chart = charts::paired_bars(doc, w.statuses_chart, &pairs, &w.chart)?;
    section.append_child(&chart).ok()?;
    let rows: Vec<Vec<String>> = report
        .statuses
        .iter()
        .map(|s| vec![s.status.name().to_string(), count(s.before), count(s.after), signed(s.change)])
        .collect();
    table(doc, &section, w.statuses_title, &[w.col_status, w.col_shipped, w.col_edited, w.col_change], &rows)?
        .set_id("pop-status-table");
    Some(())
}

fn matrix(doc: &Document, parent: &Element, report: &Report, w: &Words) -> Option<()> {
    let section = card(doc, parent, "pop-matrix", w.matrix_title)?;
    let scroll = scroll_box(doc, &section, w.matrix_title)?;
    let t = add(doc, &scroll, "table", "pop-table pop-matrix-table")?;
    t.set_id("pop-matrix");
    add(doc, &t, "caption", "")?.set_text_content(Some(w.matrix_caption));
    let tr = add(doc, &add(doc, &t, "thead", "")?, "tr", "")?;
    add(doc, &tr, "td", "")?;
    for s in &report.matrix.order {
        let th = add(doc, &tr, "th", "")?;
        th.set_attribute("scope", "col").ok()?;
        th.set_text_content(Some(s.name()));
    }
    let body = add(doc, &t, "tbody", "")?;
    let max_moved = report.transitions.iter().map(|t| t.count).max().unwrap_or(0);
    for (from, counts) in report.matrix.order.iter().zip(&report.matrix.counts) {
        let tr = add(doc, &body, "tr", "")?;
        let th = add(doc, &tr, "th", "")?;
        th.set_attribute("scope", "row").ok()?;
        th.set_text_content(Some(from.name()));
        for (to, c) in report.matrix.order.iter().zip(counts) {
            // Moved cells are shaded by size (five steps, as classes: no inline style under the CSP).
            let class = if from == to {
                "pop-same".to_string()
            } else if *c == 0 {
                "pop-zero".to_string()
            } else {
                format!("pop-moved pop-heat-{}", (c * 4).div_ceil(max_moved.max(1)))
            };
            let td = add(doc, &tr, "td", &class)?;
            td.set_attribute("data-from", from.name()).ok()?;
            td.set_attribute("data-to", to.name()).ok()?;
            td.set_text_content(Some(&count(*c)));
        }
    }
    if report.transitions.is_empty() {
        add(doc, &section, "p", "pop-note")?.set_text_content(Some(w.matrix_none));
    } else {
        let list = add(doc, &section, "ul", "pop-transitions")?;
        for t in &report.transitions {
            add(doc, &list, "li", "")?.set_text_content(Some(&format!(
                "{} → {}: {}",
                t.from.name(),
                t.to.name(),
                count(t.count)
            )));
        }
    }
    Some(())
}

fn rules(doc: &Document, parent: &Element, report: &Report, w: &Words) -> Option<()> {
    let section = card(doc, parent, "pop-rules-card", w.rules_title)?;
    let changed: Vec<Change> = report
        .rules
        .iter()
        .filter(|r| r.change != 0)
        .take(12)
        .map(|r| Change { label: r.rule.clone(), value: r.change as f64, text: signed(r.change) })
        .collect();
    if changed.is_empty() {
        add(doc, &section, "p", "pop-note")?.set_text_content(Some(w.rules_none));
    } else {
        let chart = charts::change_bars(doc, w.rules_chart, &changed)?;
        section.append_child(&chart).ok()?;
    }
    // Rules whose count changed, then (folded) the ones that fire as often as before.
    let row = |r: &drawcheck::population::report::RuleRow| {
        vec![r.rule.clone(), count(r.before), count(r.after), signed(r.change)]
    };
    let head = [w.col_rule, w.col_shipped, w.col_edited, w.col_change];
    let moved: Vec<Vec<String>> = report.rules.iter().filter(|r| r.change != 0).map(row).collect();
    let same: Vec<Vec<String>> = report.rules.iter().filter(|r| r.change == 0).map(row).collect();
    if !moved.is_empty() {
        table(doc, &section, w.rules_moved, &head, &moved)?.set_id("pop-rule-table");
    }
    if !same.is_empty() {
        let details = add(doc, &section, "details", "pop-same-rules")?;
        add(doc, &details, "summary", "")?
            .set_text_content(Some(&fill(w.rules_same, &[("n", &same.len().to_string())])));
        table(doc, &details, w.rules_same_caption, &head, &same)?;
    }
    Some(())
}

fn amounts(doc: &Document, parent: &Element, report: &Report, w: &Words) -> Option<()> {
    let section = card(doc, parent, "pop-amounts", w.amounts_title)?;
    let a = &report.available;
    let charts = [
        (w.total, w.total_chart, a.total_before, a.total_after),
        (w.median, w.median_chart, a.median_before, a.median_after),
    ];
    for (i, (label, title, before, after)) in charts.into_iter().enumerate() {
        let pair = Pair {
            label: label.to_string(),
            before: before.0 as f64,
            after: after.0 as f64,
            before_text: yuan(before),
            after_text: yuan(after),
        };
        // One legend for both.
        let words = charts::Words { legend: i == 0, ..w.chart };
        let chart = charts::paired_bars(doc, title, &[pair], &words)?;
        section.append_child(&chart).ok()?;
    }
    // Three columns (not four) so that amounts in the hundreds of millions fit a phone's width.
    let rows = vec![
        vec![w.col_shipped.to_string(), yuan(a.total_before), yuan(a.median_before)],
        vec![w.col_edited.to_string(), yuan(a.total_after), yuan(a.median_after)],
        vec![w.col_change.to_string(), yuan_change(a.total_change), yuan_change(a.median_change)],
    ];
    table(doc, &section, w.amounts_title, &[w.col_pack, w.total, w.median], &rows)?.set_id("pop-amount-table");
    add(doc, &section, "p", "pop-note")?
        .set_text_content(Some(&fill(w.raised, &[("more", &count(a.raised)), ("less", &count(a.lowered))])));
    Some(())
}

fn bad_rows(doc: &Document, out: &Element, report: &Report, w: &Words) -> Option<()> {
    if report.bad_rows_total == 0 {
        return Some(());
    }
    let section = card(doc, out, "pop-bad", w.bad_title)?;
    let note = if report.bad_rows_total > report.bad_rows.len() as u64 { w.bad_note_first } else { w.bad_note };
    add(doc, &section, "p", "pop-note")?.set_text_content(Some(&fill(
        note,
        &[("n", &count(report.bad_rows_total)), ("k", &report.bad_rows.len().to_string())],
    )));
    let list = add(doc, &section, "ul", "pop-bad-list")?;
    list.set_id("pop-bad-rows");
    for b in &report.bad_rows {
        let li = add(doc, &list, "li", "")?;
        li.set_attribute("data-line", &b.line.to_string()).ok()?;
        add(doc, &li, "span", "pop-line")?.set_text_content(Some(&fill(w.line, &[("n", &b.line.to_string())])));
        add(doc, &li, "span", "pop-message")?.set_text_content(Some(&b.message));
    }
    Some(())
}

// ------------------------------------------------------------------------------------------------
// Small helpers
// ------------------------------------------------------------------------------------------------

/// Saves `text` as a file: a Blob, an object URL, a click on a download link.
fn download(doc: &Document, name: &str, mime: &str, text: &str) {
    let _ = (|| -> Option<()> {
        let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
        let opts = web_sys::BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts).ok()?;
        let url = web_sys::Url::create_object_url_with_blob(&blob).ok()?;
        let a: web_sys::HtmlAnchorElement = doc.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        // The download has its own reference to the blob; the URL is no longer needed.
        gloo_timers::callback::Timeout::new(10_000, move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        })
        .forget();
        Some(())
    })();
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// `100000`, `100,000` or `100_000` → 100000.
fn parse_count(s: &str) -> Option<u64> {
    let digits: String = s.trim().chars().filter(|c| *c != ',' && *c != '_').collect();
    digits.parse().ok()
}

fn signed(n: i64) -> String {
    match n.cmp(&0) {
        core::cmp::Ordering::Greater => format!("+{}", count(n.unsigned_abs())),
        core::cmp::Ordering::Less => format!("−{}", count(n.unsigned_abs())),
        core::cmp::Ordering::Equal => "0".to_string(),
    }
}

fn yuan(f: Fen) -> String {
    if f.0 < 0 {
        format!("−¥{}", Fen(-f.0).grouped())
    } else {
        format!("¥{}", f.grouped())
    }
}

fn yuan_change(f: Fen) -> String {
    if f.0 > 0 {
        format!("+{}", yuan(f))
    } else {
        yuan(f)
    }
}

/// `part / whole` as a percentage with one decimal, in integers.
fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0.0%".to_string();
    }
    let tenths = u128::from(part) * 1000 / u128::from(whole);
    format!("{}.{}%", tenths / 10, tenths % 10)
}

// ------------------------------------------------------------------------------------------------
// Words, in the studio's two languages ({name} marks a figure filled in by `fill`)
// ------------------------------------------------------------------------------------------------

/// `template` with each `{key}` replaced by its value.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (key, value) in values {
        out = out.replace(&format!("{{{key}}}"), value);
    }
    out
}

fn words(locale: Locale) -> &'static Words {
    match locale {
        Locale::ZhCn => &ZH,
        Locale::En => &EN,
    }
}

struct Words {
    tag: &'static str,
    title: &'static str,
    intro: &'static str,
    borrowers: &'static str,
    generated: &'static str,
    size: &'static str,
    seed: &'static str,
    from_file: &'static str,
    file_aria: &'static str,
    run: &'static str,
    cancel: &'static str,
    progress_aria: &'static str,
    pack_errors: &'static str,
    shipped_broken: &'static str,
    choose_file: &'static str,
    size_range: &'static str,
    seed_whole: &'static str,
    reading: &'static str,
    starting: &'static str,
    merging: &'static str,
    progress_generated: &'static str,
    progress_file: &'static str,
    cancelled: &'static str,
    impact: &'static str,
    summary: &'static str,
    timing: &'static str,
    stale: &'static str,
    csv: &'static str,
    json: &'static str,
    statuses_title: &'static str,
    statuses_chart: &'static str,
    col_status: &'static str,
    col_shipped: &'static str,
    col_edited: &'static str,
    col_change: &'static str,
    col_rule: &'static str,
    col_pack: &'static str,
    matrix_title: &'static str,
    matrix_caption: &'static str,
    matrix_none: &'static str,
    rules_title: &'static str,
    rules_chart: &'static str,
    rules_none: &'static str,
    rules_moved: &'static str,
    rules_same: &'static str,
    rules_same_caption: &'static str,
    amounts_title: &'static str,
    total: &'static str,
    median: &'static str,
    total_chart: &'static str,
    median_chart: &'static str,
    raised: &'static str,
    sample_title: &'static str,
    sample_none: &'static str,
    sample_note: &'static str,
    row: &'static str,
    bad_title: &'static str,
    bad_note: &'static str,
    bad_note_first: &'static str,
    line: &'static str,
    chart: charts::Words,
}

impl Words {
    /// The words of the form's fixed texts, by the key its elements carry (`data-w`).
    fn text(&self, key: &str) -> &'static str {
        match key {
            "title" => self.title,
            "intro" => self.intro,
            "borrowers" => self.borrowers,
            "generated" => self.generated,
            "size" => self.size,
            "seed" => self.seed,
            "from_file" => self.from_file,
            "file_aria" => self.file_aria,
            "run" => self.run,
            "cancel" => self.cancel,
            "progress_aria" => self.progress_aria,
            _ => "",
        }
    }
}

const EN: Words = Words {
    tag: "en",
    title: "Population what-if",
    intro: "What the edited pack changes for a whole book of borrowers, with the shipped pack as the baseline. \
            Everything runs on this device.",
    borrowers: "Borrowers",
    generated: "Generated",
    size: "Size",
    seed: "Seed",
    from_file: "From a file (JSON Lines or CSV)",
    file_aria: "Population file (JSON Lines of profiles, or CSV with dotted-path headers)",
    run: "Run what-if",
    cancel: "Cancel",
    progress_aria: "Progress of the run",
    pack_errors: "The edited pack has errors: fix them in the editor to run the what-if.",
    shipped_broken: "The shipped pack does not compile.",
    choose_file: "Choose a JSON Lines or CSV file of profiles.",
    size_range: "The size is a whole number from 1,000 to 1,000,000.",
    seed_whole: "The seed is a whole number.",
    reading: "Reading {name}…",
    starting: "Starting…",
    merging: "{n} profiles counted · merging…",
    progress_generated: "{n} of {total} profiles · {rate} profiles/s",
    progress_file: "{n} profiles · {pct}% of the file · {rate} profiles/s",
    cancelled: "Cancelled after {n} profiles.",
    impact: "Impact of the edited pack",
    summary: "{n} borrowers ({source}) · {affected} affected ({pct}) · {bad} bad rows",
    timing: "{n} profiles in {s} s ({rate} profiles/s)",
    stale: "The edited pack has changed since this report: run it again to update it.",
    csv: "Download CSV",
    json: "Download JSON",
    statuses_title: "Borrowers by status",
    statuses_chart: "Borrowers by status under the shipped and the edited pack",
    col_status: "status",
    col_shipped: "shipped",
    col_edited: "edited",
    col_change: "change",
    col_rule: "rule",
    col_pack: "pack",
    matrix_title: "Transitions (shipped → edited)",
    matrix_caption: "Rows: status under the shipped pack; columns: under the edited pack",
    matrix_none: "No borrower changes status.",
    rules_title: "Reasons that fire more or less often",
    rules_chart: "Change in how many borrowers each rule fires for",
    rules_none: "Every rule fires as often as before.",
    rules_moved: "Rules whose count changed",
    rules_same: "{n} rules fire as often as before",
    rules_same_caption: "Rules whose count did not change",
    amounts_title: "Available amounts",
    total: "total",
    median: "median",
    total_chart: "The total available amount",
    median_chart: "The median available amount",
    raised: "Can draw more: {more} · can draw less: {less}",
    sample_title: "Affected borrowers (a sample)",
    sample_none: "No borrower is affected.",
    sample_note: "{k} of {n} affected borrowers. Open one to compare its verdicts side by side.",
    row: "Row {n}",
    bad_title: "Rows that could not be read",
    bad_note: "{n} rows were skipped (the run went on).",
    bad_note_first: "{n} rows were skipped (the run went on); the first {k} by line:",
    line: "line {n}",
    chart: charts::Words {
        legend: true,
        shipped_pack: "shipped pack",
        edited_pack: "edited pack",
        shipped: "shipped",
        edited: "edited",
    },
};

const ZH: Words = Words {
    tag: "zh-CN",
    title: "人群影响模拟",
    intro: "编辑版规则包对一整批借款人的影响，以发布版规则包为基准。全部在本设备上计算。",
    borrowers: "借款人",
    generated: "生成",
    size: "人数",
    seed: "种子",
    from_file: "来自文件（JSON Lines 或 CSV）",
    file_aria: "人群文件（每行一个资料的 JSON Lines，或以点分路径为表头的 CSV）",
    run: "运行模拟",
    cancel: "取消",
    progress_aria: "运行进度",
    pack_errors: "编辑版规则包有错误：请先在编辑器中修正，再运行模拟。",
    shipped_broken: "发布版规则包无法编译。",
    choose_file: "请选择一个 JSON Lines 或 CSV 资料文件。",
    size_range: "人数须为 1,000 到 1,000,000 之间的整数。",
    seed_whole: "种子须为整数。",
    reading: "正在读取 {name}…",
    starting: "正在开始…",
    merging: "已计算 {n} 份资料 · 正在合并…",
    progress_generated: "{n} / {total} 份资料 · 每秒 {rate} 份",
    progress_file: "{n} 份资料 · 文件的 {pct}% · 每秒 {rate} 份",
    cancelled: "已取消，共计算了 {n} 份资料。",
    impact: "编辑版规则包的影响",
    summary: "{n} 位借款人（{source}）· {affected} 位受影响（{pct}）· {bad} 行无法读取",
    timing: "{n} 份资料，用时 {s} 秒（每秒 {rate} 份）",
    stale: "此报告生成后编辑版规则包已改动：请再次运行以更新。",
    csv: "下载 CSV",
    json: "下载 JSON",
    statuses_title: "各状态的借款人数",
    statuses_chart: "发布版与编辑版规则包下各状态的借款人数",
    col_status: "状态",
    col_shipped: "发布版",
    col_edited: "编辑版",
    col_change: "变化",
    col_rule: "规则",
    col_pack: "规则包",
    matrix_title: "状态转移（发布版 → 编辑版）",
    matrix_caption: "行：发布版下的状态；列：编辑版下的状态",
    matrix_none: "没有借款人的状态改变。",
    rules_title: "触发更多或更少的原因",
    rules_chart: "每条规则触发人数的变化",
    rules_none: "每条规则的触发人数都没有变化。",
    rules_moved: "触发人数有变化的规则",
    rules_same: "{n} 条规则触发人数不变",
    rules_same_caption: "触发人数不变的规则",
    amounts_title: "可借金额",
    total: "合计",
    median: "中位数",
    total_chart: "可借金额合计",
    median_chart: "可借金额中位数",
    raised: "可借更多：{more} · 可借更少：{less}",
    sample_title: "受影响的借款人（抽样）",
    sample_none: "没有借款人受影响。",
    sample_note: "{n} 位受影响借款人中的 {k} 位。点开一位，并排对比两个规则包的结论。",
    row: "第 {n} 行",
    bad_title: "无法读取的行",
    bad_note: "跳过了 {n} 行（模拟照常进行）。",
    bad_note_first: "跳过了 {n} 行（模拟照常进行）；按行号列出前 {k} 行：",
    line: "第 {n} 行",
    chart: charts::Words {
        legend: true,
        shipped_pack: "发布版",
        edited_pack: "编辑版",
        shipped: "发布版",
        edited: "编辑版",
    },
};
