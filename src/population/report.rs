//! The impact report: what moving a book of borrowers from one pack (the baseline) to another
//! (the new pack) does — counts by status under each, the transition matrix, the rules that fire
//! more or less often, total and median available amounts, a sample of affected borrowers, and
//! the rows that could not be read.
//!
//! [`Impact`] is a pure accumulator: feed it one (before, after) pair of
//! [`Outline`]s per borrower, keep one per thread, [`merge`](Impact::merge) them, and
//! [`finish`](Impact::finish) into a [`Report`]. Every part of the result is independent of how
//! the rows were split across threads and in which order the parts were merged: counts and sums
//! commute, medians are taken from every amount, the sample is the `k` affected rows with the
//! smallest hash of their row number, and the bad rows kept are the first 100 by line.
//!
//! An `Impact` is serde-serializable, so a part can cross a thread, process or Web Worker boundary
//! (the studio's workers send theirs in gloo-worker's bincode) and be merged on the other side.
//! Deserializing checks that the parts fit together (lengths, indices, counts that must add up),
//! so a truncated or made-up message is an error, never a wrong report or a panic.

use super::mix;
use crate::money::Fen;
use crate::pack::Pack;
use crate::verdict::{Outline, PackRef, Status};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value as Json;

/// The statuses in the contract's order: the rows and columns of the transition matrix.
pub const STATUSES: [Status; 6] =
    [Status::Eligible, Status::Limited, Status::Paused, Status::Blocked, Status::Frozen, Status::Incomplete];

/// How many unreadable rows are kept with their message (all are counted).
pub const MAX_BAD_ROWS: usize = 100;

/// Salt of the sample's row hash (any fixed number: it only has to be the same every run).
const SAMPLE_SALT: u64 = 0x5EED_0FD4_A3C8_EC11;

fn slot(s: Status) -> usize {
    match s {
        Status::Eligible => 0,
        Status::Limited => 1,
        Status::Paused => 2,
        Status::Blocked => 3,
        Status::Frozen => 4,
        Status::Incomplete => 5,
    }
}

/// A row that could not be read: where, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BadRow {
    /// 1-based line in the input (for CSV, the line the record starts on).
    pub line: u64,
    /// What is wrong, naming the field.
    pub message: String,
}

/// An affected borrower, as the sample shows them.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Affected {
    /// The borrower's line in the input file, or their index in a generated population (from 0).
    pub row: u64,
    /// Status under the baseline pack.
    pub before: Status,
    /// Status under the new pack.
    pub after: Status,
    /// Available under the baseline pack.
    pub available_before: Fen,
    /// Available under the new pack.
    pub available_after: Fen,
    /// Rules that fire under the new pack only, in the new pack's order.
    pub rules_added: Vec<String>,
    /// Rules that fire under the baseline only, in the baseline's order.
    pub rules_removed: Vec<String>,
    /// The borrower's profile, as contract JSON.
    pub profile: Json,
    #[serde(skip)]
    key: u64,
}

/// The accumulator. See the module documentation. Serde writes its fields in this order (the
/// sample's profiles as JSON text); reading them back checks that they fit together.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(try_from = "ImpactWire")]
pub struct Impact {
    /// Rule ids of both packs: the baseline's in its order, then the new pack's other rules.
    rules: Vec<String>,
    in_before: Vec<bool>,
    in_after: Vec<bool>,
    /// Baseline rule index → `rules` index, and the same for the new pack.
    before_map: Vec<usize>,
    after_map: Vec<usize>,
    /// Baseline rule index → new-pack rule index of the same id.
    before_to_after: Vec<Option<usize>>,
    /// Both packs have the same rule ids in the same order (then fired sets compare directly).
    same_rules: bool,
    sample_size: usize,
    population: u64,
    before: [u64; 6],
    after: [u64; 6],
    matrix: [[u64; 6]; 6],
    fired_before: Vec<u64>,
    fired_after: Vec<u64>,
    total_before: i128,
    total_after: i128,
    amounts_before: Vec<i64>,
    amounts_after: Vec<i64>,
    affected: u64,
    raised: u64,
    lowered: u64,
    #[serde(serialize_with = "sample_out")]
    sample: Vec<Affected>,
    bad_total: u64,
    bad: Vec<BadRow>,
}

impl Impact {
    /// An empty accumulator for moving from `baseline` to `new`, keeping a sample of up to
    /// `sample_size` affected borrowers.
    pub fn new(baseline: &Pack, new: &Pack, sample_size: usize) -> Impact {
        let mut rules: Vec<String> = baseline.rules.iter().map(|r| r.id.clone()).collect();
        let before_map: Vec<usize> = (0..rules.len()).collect();
        let mut after_map = Vec::with_capacity(new.rules.len());
        for r in &new.rules {
            match rules.iter().position(|id| *id == r.id) {
                Some(i) => after_map.push(i),
                None => {
                    rules.push(r.id.clone());
                    after_map.push(rules.len() - 1);
                }
            }
        }
        let before_to_after =
            before_map.iter().map(|u| after_map.iter().position(|a| a == u)).collect::<Vec<Option<usize>>>();
        let same_rules =
            baseline.rules.len() == new.rules.len() && baseline.rules.iter().zip(&new.rules).all(|(a, b)| a.id == b.id);
        let n = rules.len();
        let mut in_before = vec![false; n];
        let mut in_after = vec![false; n];
        for &u in &before_map {
            if let Some(x) = in_before.get_mut(u) {
                *x = true;
            }
        }
        for &u in &after_map {
            if let Some(x) = in_after.get_mut(u) {
                *x = true;
            }
        }
        Impact {
            rules,
            in_before,
            in_after,
            before_map,
            after_map,
            before_to_after,
            same_rules,
            sample_size,
            population: 0,
            before: [0; 6],
            after: [0; 6],
            matrix: [[0; 6]; 6],
            fired_before: vec![0; n],
            fired_after: vec![0; n],
            total_before: 0,
            total_after: 0,
            amounts_before: Vec::new(),
            amounts_after: Vec::new(),
            affected: 0,
            raised: 0,
            lowered: 0,
            sample: Vec::new(),
            bad_total: 0,
            bad: Vec::new(),
        }
    }

    /// Counts one borrower: their outline under the baseline and under the new pack. `row` is
    /// their line in the input, or their index in a generated population; `profile` is asked
    /// for only if the borrower is affected and enters the sample.
    pub fn add(&mut self, row: u64, before: &Outline, after: &Outline, profile: impl FnOnce() -> Json) {
        self.population += 1;
        let (b, a) = (slot(before.status), slot(after.status));
        if let Some(x) = self.before.get_mut(b) {
            *x += 1;
        }
        if let Some(x) = self.after.get_mut(a) {
            *x += 1;
        }
        if let Some(x) = self.matrix.get_mut(b).and_then(|r| r.get_mut(a)) {
            *x += 1;
        }
        for i in before.fired.iter() {
            if let Some(x) = self.before_map.get(i).and_then(|u| self.fired_before.get_mut(*u)) {
                *x += 1;
            }
        }
        for i in after.fired.iter() {
            if let Some(x) = self.after_map.get(i).and_then(|u| self.fired_after.get_mut(*u)) {
                *x += 1;
            }
        }
        self.total_before += before.available.0;
        self.total_after += after.available.0;
        // Amounts are at most 999,999,999,999.99 (10¹⁴ fen), well inside an i64.
        self.amounts_before.push(i64::try_from(before.available.0).unwrap_or(i64::MAX));
        self.amounts_after.push(i64::try_from(after.available.0).unwrap_or(i64::MAX));
        match after.available.cmp(&before.available) {
            core::cmp::Ordering::Greater => self.raised += 1,
            core::cmp::Ordering::Less => self.lowered += 1,
            core::cmp::Ordering::Equal => {}
        }
        let affected =
            before.status != after.status || before.available != after.available || !self.same_fired(before, after);
        if !affected {
            return;
        }
        self.affected += 1;
        let key = mix(row ^ SAMPLE_SALT);
        if self.sample_size == 0 || (self.sample.len() >= self.sample_size && !self.beats_sample(key, row)) {
            return;
        }
        let entry = Affected {
            row,
            before: before.status,
            after: after.status,
            available_before: before.available,
            available_after: after.available,
            rules_added: self.only_in(after, before, false),
            rules_removed: self.only_in(before, after, true),
            profile: profile(),
            key,
        };
        self.offer(entry);
    }

    /// Counts a row that could not be read.
    pub fn bad_row(&mut self, line: u64, message: impl Into<String>) {
        self.bad_total += 1;
        if self.bad.len() < MAX_BAD_ROWS || self.bad.last().is_some_and(|b| b.line > line) {
            self.bad.push(BadRow { line, message: message.into() });
            self.bad.sort_by_key(|b| b.line);
            self.bad.truncate(MAX_BAD_ROWS);
        }
    }

    /// Adds another accumulator's counts (from another thread) to this one. Both must have been
    /// made from the same packs and sample size.
    pub fn merge(&mut self, other: Impact) {
        self.population += other.population;
        for (x, y) in self.before.iter_mut().zip(other.before) {
            *x += y;
        }
        for (x, y) in self.after.iter_mut().zip(other.after) {
            *x += y;
        }
        for (row, other_row) in self.matrix.iter_mut().zip(other.matrix) {
            for (x, y) in row.iter_mut().zip(other_row) {
                *x += y;
            }
        }
        for (x, y) in self.fired_before.iter_mut().zip(other.fired_before) {
            *x += y;
        }
        for (x, y) in self.fired_after.iter_mut().zip(other.fired_after) {
            *x += y;
        }
        self.total_before += other.total_before;
        self.total_after += other.total_after;
        self.amounts_before.extend(other.amounts_before);
        self.amounts_after.extend(other.amounts_after);
        self.affected += other.affected;
        self.raised += other.raised;
        self.lowered += other.lowered;
        for entry in other.sample {
            if self.sample.len() < self.sample_size || self.beats_sample(entry.key, entry.row) {
                self.offer(entry);
            }
        }
        self.bad_total += other.bad_total;
        self.bad.extend(other.bad);
        self.bad.sort_by_key(|b| b.line);
        self.bad.truncate(MAX_BAD_ROWS);
    }

    /// How many borrowers have been counted so far.
    pub fn population(&self) -> u64 {
        self.population
    }

    /// The report. `source` says where the population came from (a file name, or the generator's
    /// size and seed).
    pub fn finish(mut self, source: &str, baseline: &Pack, new: &Pack) -> Report {
        let statuses = STATUSES
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let before = self.before.get(i).copied().unwrap_or(0);
                let after = self.after.get(i).copied().unwrap_or(0);
                StatusRow { status: *s, before, after, change: signed(after) - signed(before) }
            })
            .collect();
        let mut transitions = Vec::new();
        for (i, row) in self.matrix.iter().enumerate() {
            for (j, count) in row.iter().enumerate() {
                if i != j && *count > 0 {
                    if let (Some(from), Some(to)) = (STATUSES.get(i), STATUSES.get(j)) {
                        transitions.push(Transition { from: *from, to: *to, count: *count });
                    }
                }
            }
        }
        transitions.sort_by(|a, b| b.count.cmp(&a.count).then(slot(a.from).cmp(&slot(b.from))));
        let mut rules: Vec<RuleRow> = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let before = self.fired_before.get(i).copied().unwrap_or(0);
                let after = self.fired_after.get(i).copied().unwrap_or(0);
                let in_before = self.in_before.get(i).copied().unwrap_or(false);
                let in_after = self.in_after.get(i).copied().unwrap_or(false);
                RuleRow {
                    rule: id.clone(),
                    before,
                    after,
                    change: signed(after) - signed(before),
                    pack: match (in_before, in_after) {
                        (true, true) => "both",
                        (true, false) => "baseline",
                        _ => "new",
                    },
                }
            })
            .collect();
        // Largest change first; ties in pack order (the sort is stable).
        rules.sort_by_key(|r| core::cmp::Reverse(r.change.unsigned_abs()));
        let median_before = median(&mut self.amounts_before);
        let median_after = median(&mut self.amounts_after);
        let mut sample = self.sample;
        sample.sort_by_key(|a| a.row);
        let mut bad_rows = self.bad;
        bad_rows.sort_by_key(|b| b.line);
        Report {
            source: source.to_string(),
            baseline: pack_ref(baseline),
            new: pack_ref(new),
            population: self.population,
            statuses,
            matrix: MatrixOut { order: STATUSES, counts: self.matrix },
            transitions,
            rules,
            available: Amounts {
                total_before: Fen(self.total_before),
                total_after: Fen(self.total_after),
                total_change: Fen(self.total_after - self.total_before),
                median_before,
                median_after,
                median_change: Fen(median_after.0 - median_before.0),
                raised: self.raised,
                lowered: self.lowered,
            },
            affected: self.affected,
            sample,
            bad_rows_total: self.bad_total,
            bad_rows,
        }
    }

    fn same_fired(&self, before: &Outline, after: &Outline) -> bool {
        if self.same_rules {
            return before.fired == after.fired;
        }
        before.fired.len() == after.fired.len()
            && before
                .fired
                .iter()
                .all(|i| self.before_to_after.get(i).copied().flatten().is_some_and(|j| after.fired.contains(j)))
    }

    /// Ids of the rules that fired in `a` and not in `b` (`a` is the baseline's when `a_is_before`).
    fn only_in(&self, a: &Outline, b: &Outline, a_is_before: bool) -> Vec<String> {
        let (a_map, b_map) =
            if a_is_before { (&self.before_map, &self.after_map) } else { (&self.after_map, &self.before_map) };
        let b_union: Vec<usize> = b.fired.iter().filter_map(|i| b_map.get(i).copied()).collect();
        a.fired
            .iter()
            .filter_map(|i| a_map.get(i).copied())
            .filter(|u| !b_union.contains(u))
            .filter_map(|u| self.rules.get(u).cloned())
            .collect()
    }

    /// Whether a row with this key would displace the sample's largest.
    fn beats_sample(&self, key: u64, row: u64) -> bool {
        self.sample.iter().map(|a| (a.key, a.row)).max().is_some_and(|worst| (key, row) < worst)
    }

    /// Keeps the `sample_size` entries with the smallest (key, row).
    fn offer(&mut self, entry: Affected) {
        if self.sample.iter().any(|a| a.row == entry.row) {
            return;
        }
        self.sample.push(entry);
        if self.sample.len() > self.sample_size {
            if let Some(worst) = self.sample.iter().enumerate().max_by_key(|(_, a)| (a.key, a.row)).map(|(i, _)| i) {
                self.sample.swap_remove(worst);
            }
        }
    }
}

/// A sample entry as it crosses a boundary: statuses as their place in [`STATUSES`], the profile
/// as JSON text (a `serde_json::Value` can only be read back by a self-describing format; bincode
/// is not one), the key left out (it is the row's hash, recomputed on the way in).
#[derive(Serialize, Deserialize)]
struct AffectedWire {
    row: u64,
    before: usize,
    after: usize,
    available_before: i128,
    available_after: i128,
    rules_added: Vec<String>,
    rules_removed: Vec<String>,
    profile: String,
}

fn sample_out<S: Serializer>(sample: &[Affected], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(sample.iter().map(|a| AffectedWire {
        row: a.row,
        before: slot(a.before),
        after: slot(a.after),
        available_before: a.available_before.0,
        available_after: a.available_after.0,
        rules_added: a.rules_added.clone(),
        rules_removed: a.rules_removed.clone(),
        profile: a.profile.to_string(),
    }))
}

/// [`Impact`] as it is read, before it is checked: the same fields in the same order.
#[derive(Deserialize)]
#[serde(rename = "Impact")]
struct ImpactWire {
    rules: Vec<String>,
    in_before: Vec<bool>,
    in_after: Vec<bool>,
    before_map: Vec<usize>,
    after_map: Vec<usize>,
    before_to_after: Vec<Option<usize>>,
    same_rules: bool,
    sample_size: usize,
    population: u64,
    before: [u64; 6],
    after: [u64; 6],
    matrix: [[u64; 6]; 6],
    fired_before: Vec<u64>,
    fired_after: Vec<u64>,
    total_before: i128,
    total_after: i128,
    amounts_before: Vec<i64>,
    amounts_after: Vec<i64>,
    affected: u64,
    raised: u64,
    lowered: u64,
    sample: Vec<AffectedWire>,
    bad_total: u64,
    bad: Vec<BadRow>,
}

impl TryFrom<ImpactWire> for Impact {
    type Error = String;

    /// Checks what `add`, `merge` and `finish` rely on: one entry per rule in every per-rule list,
    /// rule indices in range, one amount per borrower, statuses, matrix and totals that add up,
    /// counts no larger than the population, a sample and bad rows no longer than their limits.
    fn try_from(w: ImpactWire) -> Result<Impact, String> {
        let n = w.rules.len();
        let population = w.population;
        let len = |l: usize| u64::try_from(l).unwrap_or(u64::MAX);
        let fail = |what: &str| Err(format!("not an impact accumulator: {what}"));
        if [w.in_before.len(), w.in_after.len(), w.fired_before.len(), w.fired_after.len()].iter().any(|l| *l != n) {
            return fail("per-rule lists of different lengths");
        }
        if w.before_map.len() != w.in_before.iter().filter(|x| **x).count()
            || w.after_map.len() != w.in_after.iter().filter(|x| **x).count()
            || w.before_map.iter().chain(&w.after_map).any(|u| *u >= n)
            || w.before_to_after.len() != w.before_map.len()
            || w.before_to_after.iter().flatten().any(|j| *j >= w.after_map.len())
        {
            return fail("rule indices out of range");
        }
        if len(w.amounts_before.len()) != population || len(w.amounts_after.len()) != population {
            return fail("not one amount per borrower");
        }
        let total = |a: &[i64]| a.iter().map(|x| i128::from(*x)).sum::<i128>();
        if total(&w.amounts_before) != w.total_before || total(&w.amounts_after) != w.total_after {
            return fail("totals that are not the sums of the amounts");
        }
        // Every borrower is in one status before and one after: in one row and one column.
        let (mut rows, mut columns) = ([0u64; 6], [0u64; 6]);
        for (row, sum) in w.matrix.iter().zip(&mut rows) {
            for (x, column) in row.iter().zip(&mut columns) {
                *sum = sum.saturating_add(*x);
                *column = column.saturating_add(*x);
            }
        }
        if rows != w.before || columns != w.after || rows.iter().fold(0u64, |a, x| a.saturating_add(*x)) != population {
            return fail("status counts that do not add up to the population");
        }
        let at_most = |x: &u64| *x <= population;
        if !w.fired_before.iter().chain(&w.fired_after).all(at_most)
            || !at_most(&w.affected)
            || w.raised.saturating_add(w.lowered) > w.affected
        {
            return fail("counts larger than the population");
        }
        if w.sample.len() > w.sample_size || len(w.sample.len()) > w.affected {
            return fail("a sample larger than its size");
        }
        if w.bad.len() > MAX_BAD_ROWS || len(w.bad.len()) > w.bad_total {
            return fail("more bad rows than counted");
        }
        let mut sample = Vec::with_capacity(w.sample.len());
        for a in w.sample {
            let Ok(profile) = serde_json::from_str(&a.profile) else {
                return fail("a sample profile that is not JSON");
            };
            let status = |i: usize| STATUSES.get(i).copied();
            let (Some(before), Some(after)) = (status(a.before), status(a.after)) else {
                return fail("a sample status that is not one");
            };
            if sample.iter().any(|s: &Affected| s.row == a.row) {
                return fail("a sample row twice");
            }
            sample.push(Affected {
                row: a.row,
                before,
                after,
                available_before: Fen(a.available_before),
                available_after: Fen(a.available_after),
                rules_added: a.rules_added,
                rules_removed: a.rules_removed,
                profile,
                key: mix(a.row ^ SAMPLE_SALT),
            });
        }
        Ok(Impact {
            rules: w.rules,
            in_before: w.in_before,
            in_after: w.in_after,
            before_map: w.before_map,
            after_map: w.after_map,
            before_to_after: w.before_to_after,
            same_rules: w.same_rules,
            sample_size: w.sample_size,
            population,
            before: w.before,
            after: w.after,
            matrix: w.matrix,
            fired_before: w.fired_before,
            fired_after: w.fired_after,
            total_before: w.total_before,
            total_after: w.total_after,
            amounts_before: w.amounts_before,
            amounts_after: w.amounts_after,
            affected: w.affected,
            raised: w.raised,
            lowered: w.lowered,
            sample,
            bad_total: w.bad_total,
            bad: w.bad,
        })
    }
}

fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// The median amount (the mean of the two middle ones for an even count, rounded down to the
/// fen); zero for no amounts.
fn median(amounts: &mut [i64]) -> Fen {
    let n = amounts.len();
    if n == 0 {
        return Fen::ZERO;
    }
    let (_, upper, _) = amounts.select_nth_unstable(n / 2);
    let upper = i128::from(*upper);
    if n % 2 == 1 {
        return Fen(upper);
    }
    // The lower middle is the largest of the half below the upper middle.
    let lower = amounts.get(..n / 2).and_then(|low| low.iter().max()).map_or(upper, |l| i128::from(*l));
    Fen((lower + upper).div_euclid(2))
}

fn pack_ref(p: &Pack) -> PackRef {
    PackRef { id: p.id.clone(), version: p.version.clone(), sha256: p.sha256.clone() }
}

/// One status, counted under both packs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusRow {
    /// The status.
    pub status: Status,
    /// Borrowers with it under the baseline.
    pub before: u64,
    /// Borrowers with it under the new pack.
    pub after: u64,
    /// `after - before`.
    pub change: i64,
}

/// Borrowers whose status went from one to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    /// Status under the baseline.
    pub from: Status,
    /// Status under the new pack.
    pub to: Status,
    /// How many borrowers.
    pub count: u64,
}

/// The whole transition matrix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MatrixOut {
    /// The statuses of the rows (before) and columns (after).
    pub order: [Status; 6],
    /// `counts[i][j]`: borrowers with status `order[i]` before and `order[j]` after.
    pub counts: [[u64; 6]; 6],
}

/// How often one rule fired under each pack.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleRow {
    /// Rule id.
    pub rule: String,
    /// Borrowers it fired for under the baseline.
    pub before: u64,
    /// Borrowers it fired for under the new pack.
    pub after: u64,
    /// `after - before`.
    pub change: i64,
    /// Which packs have the rule: `both`, `baseline` or `new`.
    pub pack: &'static str,
}

/// Available amounts over the population, exact to the fen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Amounts {
    /// Sum under the baseline.
    pub total_before: Fen,
    /// Sum under the new pack.
    pub total_after: Fen,
    /// `total_after - total_before`.
    pub total_change: Fen,
    /// Median under the baseline.
    pub median_before: Fen,
    /// Median under the new pack.
    pub median_after: Fen,
    /// `median_after - median_before`.
    pub median_change: Fen,
    /// Borrowers who can draw more under the new pack.
    pub raised: u64,
    /// Borrowers who can draw less under the new pack.
    pub lowered: u64,
}

/// The finished report (its JSON is the `--format json` output).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Where the population came from.
    pub source: String,
    /// The pack before the change.
    pub baseline: PackRef,
    /// The pack after the change.
    pub new: PackRef,
    /// Borrowers counted (bad rows are not).
    pub population: u64,
    /// Each status under both packs, in the contract's order.
    pub statuses: Vec<StatusRow>,
    /// The full transition matrix.
    pub matrix: MatrixOut,
    /// The off-diagonal cells of the matrix that are not zero, largest first.
    pub transitions: Vec<Transition>,
    /// Every rule of either pack, the largest change in how often it fires first.
    pub rules: Vec<RuleRow>,
    /// Available amounts.
    pub available: Amounts,
    /// Borrowers whose status, available amount or fired rules changed.
    pub affected: u64,
    /// Some affected borrowers (a deterministic sample), by row.
    pub sample: Vec<Affected>,
    /// Rows that could not be read.
    pub bad_rows_total: u64,
    /// The first of them (at most [`MAX_BAD_ROWS`]), by line.
    pub bad_rows: Vec<BadRow>,
}

impl Report {
    /// The report as readable text, for a terminal.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let line = |out: &mut String, s: &str| {
            out.push_str(s);
            out.push('\n');
        };
        line(&mut out, &format!("Population: {} borrowers ({})", count(self.population), self.source));
        if self.bad_rows_total > 0 {
            line(&mut out, &format!("Bad rows:   {} (not counted; listed below)", count(self.bad_rows_total)));
        }
        line(
            &mut out,
            &format!(
                "Baseline:   {} {} (sha256 {})",
                self.baseline.id,
                self.baseline.version,
                short(&self.baseline.sha256)
            ),
        );
        line(
            &mut out,
            &format!("New pack:   {} {} (sha256 {})", self.new.id, self.new.version, short(&self.new.sha256)),
        );
        line(&mut out, "");

        line(&mut out, &format!("{:<12} {:>12} {:>12} {:>12}", "Status", "before", "after", "change"));
        for s in &self.statuses {
            line(
                &mut out,
                &format!(
                    "{:<12} {:>12} {:>12} {:>12}",
                    s.status.name(),
                    count(s.before),
                    count(s.after),
                    change(s.change)
                ),
            );
        }
        line(&mut out, "");

        line(&mut out, "Transitions (rows: before, columns: after)");
        let mut header = format!("{:<12}", "");
        for s in &self.matrix.order {
            header.push_str(&format!(" {:>11}", s.name()));
        }
        line(&mut out, &header);
        for (s, row) in self.matrix.order.iter().zip(&self.matrix.counts) {
            let mut text = format!("{:<12}", s.name());
            for c in row {
                text.push_str(&format!(" {:>11}", count(*c)));
            }
            line(&mut out, &text);
        }
        if self.transitions.is_empty() {
            line(&mut out, "No borrower changes status.");
        }
        for t in self.transitions.iter().take(8) {
            line(&mut out, &format!("  {} → {}: {}", t.from.name(), t.to.name(), count(t.count)));
        }
        line(&mut out, "");

        let moved: Vec<&RuleRow> = self.rules.iter().filter(|r| r.change != 0).collect();
        if moved.is_empty() {
            line(&mut out, "Every rule fires as often as before.");
        } else {
            line(&mut out, "Rules that fire more or less often");
            line(&mut out, &format!("{:<24} {:>12} {:>12} {:>12}", "rule", "before", "after", "change"));
            for r in &moved {
                let tag = match r.pack {
                    "baseline" => "  (baseline only)",
                    "new" => "  (new pack only)",
                    _ => "",
                };
                line(
                    &mut out,
                    &format!(
                        "{:<24} {:>12} {:>12} {:>12}{tag}",
                        r.rule,
                        count(r.before),
                        count(r.after),
                        change(r.change)
                    ),
                );
            }
            let same = self.rules.len() - moved.len();
            if same > 0 {
                line(&mut out, &format!("({same} other rules fire as often as before)"));
            }
        }
        line(&mut out, "");

        let a = &self.available;
        line(&mut out, &format!("{:<12} {:>22} {:>22} {:>22}", "Available", "before", "after", "change"));
        line(
            &mut out,
            &format!(
                "{:<12} {:>22} {:>22} {:>22}",
                "total",
                yuan(a.total_before),
                yuan(a.total_after),
                yuan_change(a.total_change)
            ),
        );
        line(
            &mut out,
            &format!(
                "{:<12} {:>22} {:>22} {:>22}",
                "median",
                yuan(a.median_before),
                yuan(a.median_after),
                yuan_change(a.median_change)
            ),
        );
        line(&mut out, &format!("Can draw more: {}; can draw less: {}", count(a.raised), count(a.lowered)));
        line(&mut out, "");

        line(
            &mut out,
            &format!(
                "Affected borrowers: {} ({}) — status, available amount or reasons changed",
                count(self.affected),
                percent(self.affected, self.population)
            ),
        );
        for s in &self.sample {
            let mut rules = Vec::new();
            rules.extend(s.rules_added.iter().map(|r| format!("+{r}")));
            rules.extend(s.rules_removed.iter().map(|r| format!("-{r}")));
            line(
                &mut out,
                &format!(
                    "  row {:>9}: {:<10} → {:<10} {:>14} → {:<14} {}",
                    s.row,
                    s.before.name(),
                    s.after.name(),
                    yuan(s.available_before),
                    yuan(s.available_after),
                    rules.join(" ")
                ),
            );
        }
        if !self.bad_rows.is_empty() {
            line(&mut out, "");
            line(
                &mut out,
                &format!("Bad rows ({} in all; first {} shown)", count(self.bad_rows_total), self.bad_rows.len()),
            );
            for b in &self.bad_rows {
                line(&mut out, &format!("  line {}: {}", b.line, b.message));
            }
        }
        out
    }

    /// The report as one long CSV table, `section,key,field,value`, that a spreadsheet can pivot.
    pub fn csv(&self) -> String {
        let mut out = String::from("section,key,field,value\n");
        let mut row = |section: &str, key: &str, field: &str, value: &str| {
            for (i, cell) in [section, key, field, value].iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                push_csv_cell(&mut out, cell);
            }
            out.push('\n');
        };
        row("meta", "source", "", &self.source);
        row("meta", "population", "", &self.population.to_string());
        row("meta", "bad_rows", "", &self.bad_rows_total.to_string());
        row("meta", "affected", "", &self.affected.to_string());
        for (name, p) in [("baseline", &self.baseline), ("new", &self.new)] {
            row("pack", name, "id", &p.id);
            row("pack", name, "version", &p.version);
            row("pack", name, "sha256", &p.sha256);
        }
        for s in &self.statuses {
            row("status", s.status.name(), "before", &s.before.to_string());
            row("status", s.status.name(), "after", &s.after.to_string());
            row("status", s.status.name(), "change", &s.change.to_string());
        }
        for (from, counts) in self.matrix.order.iter().zip(&self.matrix.counts) {
            for (to, c) in self.matrix.order.iter().zip(counts) {
                row("transition", from.name(), to.name(), &c.to_string());
            }
        }
        for r in &self.rules {
            row("rule", &r.rule, "before", &r.before.to_string());
            row("rule", &r.rule, "after", &r.after.to_string());
            row("rule", &r.rule, "change", &r.change.to_string());
            row("rule", &r.rule, "pack", r.pack);
        }
        let a = &self.available;
        for (key, before, after, delta) in [
            ("total", a.total_before, a.total_after, a.total_change),
            ("median", a.median_before, a.median_after, a.median_change),
        ] {
            row("available", key, "before", &before.plain());
            row("available", key, "after", &after.plain());
            row("available", key, "change", &delta.plain());
        }
        row("available", "raised", "", &a.raised.to_string());
        row("available", "lowered", "", &a.lowered.to_string());
        for s in &self.sample {
            let key = s.row.to_string();
            row("sample", &key, "before", s.before.name());
            row("sample", &key, "after", s.after.name());
            row("sample", &key, "available_before", &s.available_before.plain());
            row("sample", &key, "available_after", &s.available_after.plain());
            row("sample", &key, "rules_added", &s.rules_added.join(" "));
            row("sample", &key, "rules_removed", &s.rules_removed.join(" "));
            row("sample", &key, "profile", &s.profile.to_string());
        }
        for b in &self.bad_rows {
            row("bad_row", &b.line.to_string(), "message", &b.message);
        }
        out
    }
}

/// Writes one CSV cell, quoted when it holds a comma, a quote or a line break (RFC 4180).
pub fn push_csv_cell(out: &mut String, cell: &str) {
    if cell.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&cell.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

fn short(sha: &str) -> &str {
    sha.get(..12).unwrap_or(sha)
}

/// `1234567` → `1,234,567` (the report's tables; the studio's figures too).
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn change(n: i64) -> String {
    match n.cmp(&0) {
        core::cmp::Ordering::Greater => format!("+{}", count(n.unsigned_abs())),
        core::cmp::Ordering::Less => format!("-{}", count(n.unsigned_abs())),
        core::cmp::Ordering::Equal => "0".to_string(),
    }
}

fn yuan(f: Fen) -> String {
    format!("¥{}", f.grouped())
}

fn yuan_change(f: Fen) -> String {
    match f.0.cmp(&0) {
        core::cmp::Ordering::Greater => format!("+¥{}", f.grouped()),
        core::cmp::Ordering::Less => format!("-¥{}", Fen(-f.0).grouped()),
        core::cmp::Ordering::Equal => "¥0.00".to_string(),
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
