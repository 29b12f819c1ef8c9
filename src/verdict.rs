//! Verdicts: a compiled pack and a profile → status, amounts, ranked reasons with their texts and
//! steps, and the facts whose absence left a rule undetermined. POLICY.md's "Effects and status"
//! section is implemented here and only here.

use crate::calendar::{format_rfc3339, in_zone, start_of_day};
use crate::expr::{eval, Expr, Kind, NoTrace, Outcome, Scope, TextTrace, Undet};
use crate::i18n::{self, Locale};
use crate::money::{Dec, Fen};
use crate::pack::{Compiled, Effect, Pack, Piece, Rule, RuleScope, Step, Texts};
use crate::profile::Profile;
use crate::schema::{Action, FactId, Schema};
use crate::value::Value;
use serde::Serialize;
use time::OffsetDateTime;

/// How many reasons are principal (Regulation B: more than four is not helpful).
pub const PRINCIPAL_REASONS: usize = 4;

/// The overall status, strongest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Frozen: nothing can be drawn; needs a review.
    Frozen,
    /// Blocked until the borrower acts.
    Blocked,
    /// Paused until a time.
    Paused,
    /// A needed fact is missing, and nothing determined blocks.
    Incomplete,
    /// Drawing is possible, but reduced or capped.
    Limited,
    /// Drawing is possible up to the line.
    Eligible,
}

impl Status {
    /// The contract's name.
    pub fn name(self) -> &'static str {
        match self {
            Status::Eligible => "eligible",
            Status::Limited => "limited",
            Status::Paused => "paused",
            Status::Blocked => "blocked",
            Status::Frozen => "frozen",
            Status::Incomplete => "incomplete",
        }
    }

    /// Whether nothing at all can be drawn.
    pub fn stops_drawing(self) -> bool {
        matches!(self, Status::Frozen | Status::Blocked | Status::Paused | Status::Incomplete)
    }
}

/// Options for one evaluation.
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Overrides the profile's locale.
    pub locale: Option<Locale>,
    /// Keep a trace of every rule's condition.
    pub trace: bool,
    /// Plan the path back to drawing (`crate::check` fills `Verdict::recourse`).
    pub recourse: bool,
}

/// The verdict, shaped as CONTRACT.md gives it (plus fields the contract allows adding).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Verdict {
    /// Overall status.
    pub status: Status,
    /// The most the borrower can draw now.
    pub available: Fen,
    /// The line after every reduction.
    pub effective_limit: Fen,
    /// Every fired rule, strongest first, then in policy order.
    pub reasons: Vec<Reason>,
    /// Profile paths whose absence left a rule undetermined, sorted.
    pub missing: Vec<String>,
    /// Rules that could not be decided, with why.
    pub undetermined: Vec<Undetermined>,
    /// The evaluation instant, as given.
    pub as_of: String,
    /// The language of the texts.
    pub locale: &'static str,
    /// Which pack decided.
    pub pack: PackRef,
    /// Each rule's condition, node by node (only when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<Vec<RuleTrace>>,
    /// The path back to drawing: null when eligible (or when not asked for). `evaluate` leaves it
    /// empty; `crate::check` asks `recourse::plan`, which builds on this verdict.
    pub recourse: Option<crate::recourse::Plan>,
}

/// A fired rule, in words and figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Reason {
    /// Rule id.
    pub rule: String,
    /// What it does.
    pub effect: Effect,
    /// About the borrower, or a change for a class of accounts.
    pub scope: RuleScope,
    /// The pack's grouping label.
    pub category: String,
    /// Among the first four.
    pub principal: bool,
    /// Short title.
    pub title: String,
    /// Plain-words detail with the borrower's figures.
    pub detail: String,
    /// For limit and cap: the reduced line or the largest drawdown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Fen>,
    /// When it ends by itself (RFC 3339), or null.
    pub until: Option<String>,
    /// What the borrower can do, in order.
    pub steps: Vec<StepOut>,
}

/// A remediation step with its figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StepOut {
    /// The kind of step.
    pub action: Action,
    /// What to do, in words.
    pub text: String,
    /// An amount to repay, reduce by, draw at most, ….
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Fen>,
    /// A target amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<Fen>,
    /// A date to wait until (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// A phone number to call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

/// A rule that could not be decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Undetermined {
    /// Rule id.
    pub rule: String,
    /// The missing facts it needed, or what went wrong.
    pub why: String,
}

/// The pack that decided.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PackRef {
    /// `[pack] id`.
    pub id: String,
    /// `[pack] version`.
    pub version: String,
    /// Hex SHA-256 of the pack text.
    pub sha256: String,
}

/// One rule's condition, evaluated node by node.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleTrace {
    /// Rule id.
    pub rule: String,
    /// `fired`, `not fired` or `undetermined`.
    pub result: &'static str,
    /// The condition as written.
    pub when: String,
    /// Each evaluated node, outermost first, with its depth.
    pub nodes: Vec<TraceNode>,
}

/// One node of a traced condition.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TraceNode {
    /// Nesting depth (0 is the whole condition).
    pub depth: usize,
    /// The node's source text.
    pub text: String,
    /// Its value.
    pub value: String,
}

/// A rule that fired, with its evaluated amount and end.
#[derive(Clone, Debug)]
struct Fired {
    index: usize,
    amount: Option<Dec>,
    until: Option<OffsetDateTime>,
}

/// The set of rules that fired, by their index in the pack (a pack has at most
/// [`MAX_RULES`](crate::pack::MAX_RULES) rules). Copy, and allocation-free.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct RuleSet([u64; 8]);

const _: () = assert!(crate::pack::MAX_RULES <= 8 * 64, "RuleSet holds 512 rules");

impl RuleSet {
    /// Adds a rule index (indexes past 511 are ignored; a compiled pack has none).
    pub fn insert(&mut self, index: usize) {
        if let Some(word) = self.0.get_mut(index / 64) {
            *word |= 1 << (index % 64);
        }
    }

    /// Whether a rule index is in the set.
    pub fn contains(&self, index: usize) -> bool {
        self.0.get(index / 64).is_some_and(|w| w & (1 << (index % 64)) != 0)
    }

    /// How many rules are in the set.
    pub fn len(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether no rule is in the set.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The rule indexes, ascending.
    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut bits = w;
            core::iter::from_fn(move || {
                if bits == 0 {
                    return None;
                }
                let b = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                Some(i * 64 + b)
            })
        })
    }
}

/// A verdict's figures without its words: status, amounts and which rules fired. What a
/// population report needs, decided by the same code as [`evaluate`] but without rendering
/// texts, steps or `until`s, and without allocating once [`Scratch`] has warmed up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outline {
    /// Overall status.
    pub status: Status,
    /// The most the borrower can draw now.
    pub available: Fen,
    /// The line after every reduction.
    pub effective_limit: Fen,
    /// Every fired rule.
    pub fired: RuleSet,
}

/// Buffers an evaluation works in, kept between evaluations so that a batch of [`outline`]s
/// allocates nothing per profile.
#[derive(Clone, Debug, Default)]
pub struct Scratch {
    missing: Vec<FactId>,
    fired: Vec<Fired>,
    undetermined: Vec<Undetermined>,
    /// The indexes of the rules that could not be decided.
    undecided: Vec<usize>,
    /// Each rule's decision, by rule index: 0 not fired, 1 undetermined, `2 + k` fired as `fired[k]`.
    state: Vec<u16>,
    /// The status and available amount the rules evaluated last saw.
    seen: Option<(Status, Fen)>,
    /// The indexes of the rules evaluated last (found while the others are decided).
    last: Vec<usize>,
}

impl Scratch {
    /// Rule `index`'s decision, as kept here.
    fn decision(&self, index: usize) -> Option<Decision> {
        match self.state.get(index).copied()? {
            0 => Some(Decision::NotFired),
            1 => Some(Decision::Undetermined),
            k => self.fired.get(usize::from(k - 2)).map(|f| Decision::Fired(f.amount)),
        }
    }

    /// Records rule `index`'s decision, taken from a prior evaluation, as [`decide`] would have.
    fn take(&mut self, index: usize, decision: Decision) {
        let state = match decision {
            Decision::NotFired => return,
            Decision::Undetermined => {
                self.undecided.push(index);
                1
            }
            Decision::Fired(amount) => {
                self.fired.push(Fired { index, amount, until: None });
                u16::try_from(self.fired.len() + 1).unwrap_or(u16::MAX)
            }
        };
        if let Some(s) = self.state.get_mut(index) {
            *s = state;
        }
    }
}

/// Two packs compared on the same profiles: for each rule of the new pack, the baseline rule that
/// decides exactly as it does on every profile — same condition and amount (as written), the
/// same values for the params they read, the same fact schema — so that [`outline_pair`] takes
/// that decision instead of evaluating the rule again. A rule evaluated last reads the outcome of
/// the others as well: it takes the baseline's decision when that outcome (status and available
/// amount) is the same under both packs. A what-if that changes one param re-evaluates only the
/// rules that read it (and those evaluated last, for the borrowers whose outcome it changes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comparison {
    /// For each rule of the new pack, the baseline rule that decides as it does on every profile.
    from: Vec<Option<usize>>,
    /// For each rule of the new pack evaluated last, the baseline rule that decides as it does
    /// when the others leave both packs the same status and available amount.
    from_if_same_outcome: Vec<Option<usize>>,
    /// `from` the other way: for each baseline rule, the new pack's rule that takes its decision.
    to: Vec<Option<usize>>,
    /// The new pack's rules that take no decision from the baseline, and those evaluated last.
    own: Vec<usize>,
    last: Vec<usize>,
    base_sha: String,
    new_sha: String,
}

impl Comparison {
    /// Compares the rules of `new` with those of `base`.
    pub fn new(base: &Pack, new: &Pack) -> Comparison {
        let same_schema = base.schema == new.schema;
        // The baseline rule written as `r` is, reading the same param values; `last` says which
        // kind of rule to look for.
        let same = |r: &Rule, last: bool| {
            let (bi, b) = base.rules.iter().enumerate().find(|(_, b)| b.id == r.id)?;
            let same = same_schema
                && r.last == last
                && b.last == last
                && r.when.source == b.when.source
                && r.amount.as_ref().map(|c| &c.source) == b.amount.as_ref().map(|c| &c.source)
                && same_params(base, &b.when.expr, new)
                && b.amount.as_ref().is_none_or(|c| same_params(base, &c.expr, new));
            same.then_some(bi)
        };
        let from: Vec<Option<usize>> = new.rules.iter().map(|r| same(r, false)).collect();
        let mut to = vec![None; base.rules.len()];
        for (i, bi) in from.iter().enumerate() {
            if let Some(slot) = bi.and_then(|bi| to.get_mut(bi)) {
                *slot = Some(i);
            }
        }
        let own = (0..new.rules.len())
            .filter(|&i| new.rules.get(i).is_some_and(|r| !r.last) && from.get(i).copied().flatten().is_none())
            .collect();
        Comparison {
            from_if_same_outcome: new.rules.iter().map(|r| same(r, true)).collect(),
            to,
            own,
            last: (0..new.rules.len()).filter(|&i| new.rules.get(i).is_some_and(|r| r.last)).collect(),
            from,
            base_sha: base.sha256.clone(),
            new_sha: new.sha256.clone(),
        }
    }

    /// How many of the new pack's rules take the baseline's decision.
    pub fn shared(&self) -> usize {
        self.from.iter().flatten().count()
    }
}

/// Whether every param `e` reads (in `base`) has the same value under the same name in `new`.
fn same_params(base: &Pack, e: &Expr, new: &Pack) -> bool {
    let here = match e.kind {
        Kind::Param(i) => {
            let i = usize::from(i);
            match (base.param_names.get(i), base.params.get(i)) {
                (Some(name), Some(value)) => {
                    new.param_names.iter().position(|n| n == name).and_then(|j| new.params.get(j)) == Some(value)
                }
                _ => false,
            }
        }
        Kind::Local(_) => false,
        _ => true,
    };
    here && e.children().into_iter().all(|c| same_params(base, c, new))
}

/// The outlines of one borrower under the baseline and the new pack of `cmp`. When both profiles
/// are the same value, the new pack's rules that `cmp` shares take the baseline's decisions;
/// the outcome is exactly `(outline(base, ..), outline(new, ..))`.
pub fn outline_pair(
    base: &Pack,
    new: &Pack,
    cmp: &Comparison,
    base_profile: &Profile,
    new_profile: &Profile,
    before: &mut Scratch,
    after: &mut Scratch,
) -> (Outline, Outline) {
    let b = outline(base, base_profile, before);
    let reuse = core::ptr::eq(base_profile, new_profile)
        && cmp.base_sha == base.sha256
        && cmp.new_sha == new.sha256
        && cmp.from.len() == new.rules.len();
    if !reuse {
        return (b, outline(new, new_profile, after));
    }
    let scope = Scope::new(new_profile, &new.params);
    let d = decide_all(new, &scope, after, false, None, Some(Prior::Pair(cmp, before)));
    (b, outline_of(d, after))
}

/// [`outline`] of `profile`, for a profile that differs from the one `before` holds the decisions
/// of ([`Decisions::of`] the scratch an evaluation with the same pack left) only in facts that
/// no rule outside `stale` reads — and in `as_of` only if every rule that reads it is in
/// `stale`: those rules keep their decisions from `before` instead of being evaluated again.
/// The recourse planner's steps change a fact or two at a time. Rules evaluated last (they read
/// the outcome) keep theirs only when the outcome they read is the same as in `before`; the
/// outcome is exactly `outline(pack, profile, ..)`.
pub fn outline_again(
    pack: &Pack,
    profile: &Profile,
    before: &Decisions,
    stale: &RuleSet,
    work: &mut Scratch,
) -> Outline {
    let base = Scope::new(profile, &pack.params);
    let d = decide_all(pack, &base, work, false, None, Some(Prior::Same(before, stale)));
    outline_of(d, work)
}

/// Decisions [`decide_all`] takes instead of evaluating a rule again.
#[derive(Clone, Copy)]
enum Prior<'p> {
    /// Another pack's on the same profile: the rules a [`Comparison`] shares ([`outline_pair`]).
    Pair(&'p Comparison, &'p Scratch),
    /// The same pack's on a profile that differs only where the rules outside the set do not
    /// read ([`outline_again`]).
    Same(&'p Decisions, &'p RuleSet),
}

/// The decisions an evaluation left in a [`Scratch`], kept for a later [`outline_again`]: each
/// rule's decision and the outcome the rules evaluated last saw — what that needs and none of
/// the other evaluation buffers, for callers that keep one per profile decided.
#[derive(Clone, Debug, Default)]
pub struct Decisions {
    /// Each rule's decision, by rule index, coded as in [`Scratch`] (`2 + k`: fired with
    /// `amounts[k]`).
    state: Vec<u16>,
    /// The fired rules' amounts, in the order they fired.
    amounts: Vec<Option<Dec>>,
    seen: Option<(Status, Fen)>,
}

impl Decisions {
    /// The decisions `scratch` holds from the evaluation that last used it.
    pub fn of(scratch: &Scratch) -> Decisions {
        Decisions {
            state: scratch.state.clone(),
            amounts: scratch.fired.iter().map(|f| f.amount).collect(),
            seen: scratch.seen,
        }
    }

    /// Rule `index`'s decision, as kept here.
    fn decision(&self, index: usize) -> Option<Decision> {
        match self.state.get(index).copied()? {
            0 => Some(Decision::NotFired),
            1 => Some(Decision::Undetermined),
            k => self.amounts.get(usize::from(k - 2)).map(|a| Decision::Fired(*a)),
        }
    }
}

/// A rule's decision, as [`Scratch`] keeps it (without the fired rule's end).
enum Decision {
    NotFired,
    Undetermined,
    Fired(Option<Dec>),
}

impl<'p> Prior<'p> {
    /// Rule `index`'s decision, if one is kept for it (not for a rule evaluated last).
    #[inline]
    fn decision(self, index: usize) -> Option<Decision> {
        match self {
            Prior::Pair(cmp, p) => p.decision(cmp.from.get(index).copied().flatten()?),
            Prior::Same(p, stale) => p.decision((!stale.contains(index)).then_some(index)?),
        }
    }

    /// Rule `index`'s decision, for a rule evaluated last that sees `seen` (status and
    /// available amount), if one is kept for it and was made seeing the same.
    fn decision_seeing(self, index: usize, seen: (Status, Fen)) -> Option<Decision> {
        match self {
            Prior::Pair(cmp, p) => {
                let i = cmp.from_if_same_outcome.get(index).copied().flatten()?;
                (p.seen == Some(seen)).then(|| p.decision(i)).flatten()
            }
            Prior::Same(p, stale) => {
                (!stale.contains(index) && p.seen == Some(seen)).then(|| p.decision(index)).flatten()
            }
        }
    }
}

/// What [`decide_all`] decided, and what the rules evaluated last saw.
#[derive(Clone, Copy)]
struct Decided {
    status: Status,
    effective_limit: Fen,
    available: Fen,
    seen_status: Status,
    seen_available: Fen,
}

/// Evaluates a profile against a pack: status, amounts and fired rules only (no texts).
pub fn outline(pack: &Pack, profile: &Profile, scratch: &mut Scratch) -> Outline {
    let base = Scope::new(profile, &pack.params);
    let d = decide_all(pack, &base, scratch, false, None, None);
    outline_of(d, scratch)
}

fn outline_of(d: Decided, scratch: &Scratch) -> Outline {
    let mut fired = RuleSet::default();
    for f in &scratch.fired {
        fired.insert(f.index);
    }
    Outline { status: d.status, available: d.available, effective_limit: d.effective_limit, fired }
}

/// Evaluates a profile against a pack.
pub fn evaluate(pack: &Pack, profile: &Profile, opts: Options) -> Verdict {
    evaluate_keeping(pack, profile, opts, &mut Scratch::default()).0
}

/// [`evaluate`], leaving every rule's decision in `work`, with the verdict's [`Outline`]: the
/// recourse planner starts from them instead of deciding the profile again.
pub fn evaluate_keeping(pack: &Pack, profile: &Profile, opts: Options, work: &mut Scratch) -> (Verdict, Outline) {
    let locale = opts.locale.or(profile.locale).or_else(|| pack.locales.first().copied()).unwrap_or(Locale::ZhCn);
    let mut traces = opts.trace.then(Vec::new);
    let base = Scope::new(profile, &pack.params);
    let decided = decide_all(pack, &base, work, true, traces.as_mut(), None);
    let outline = outline_of(decided, work);
    let undetermined = core::mem::take(&mut work.undetermined);
    let mut fired: Vec<&Fired> = work.fired.iter().collect();
    let last_scope =
        Scope { available: Some(decided.seen_available.to_dec()), status: Some(decided.seen_status.name()), ..base };

    // Rule indexes are unique, so an unstable sort is deterministic (and smaller in wasm).
    fired.sort_unstable_by_key(|f| (pack.rules.get(f.index).map(|r| r.effect), f.index));
    let reasons = fired
        .iter()
        .enumerate()
        .filter_map(|(rank, f)| reason(pack, f, rank < PRINCIPAL_REASONS, &last_scope, locale))
        .collect();

    let mut missing_paths: Vec<String> =
        work.missing.iter().filter_map(|id| pack.schema.fact(*id)).map(|f| f.path.clone()).collect();
    missing_paths.sort_unstable();
    missing_paths.dedup();

    let verdict = Verdict {
        status: decided.status,
        available: decided.available,
        effective_limit: decided.effective_limit,
        reasons,
        missing: missing_paths,
        undetermined,
        as_of: format_rfc3339(profile.as_of),
        locale: locale.tag(),
        pack: PackRef { id: pack.id.clone(), version: pack.version.clone(), sha256: pack.sha256.clone() },
        trace: traces,
        recourse: None,
    };
    (verdict, outline)
}

/// Runs every rule and decides status and amounts (POLICY.md, "Effects and status"): the one
/// place both [`evaluate`] and [`outline`] get them from. `explain` also keeps why each
/// undetermined rule was, and each fired rule's end, for the reasons. `prior` gives decisions
/// made before — another pack's rules on the same profile, which the rules a [`Comparison`]
/// shares take, or this pack's on a profile that differs only where the rules outside a set do
/// not read ([`outline_again`]) — which are taken instead of evaluating the rule (only without
/// `explain`: `missing` is not kept then).
fn decide_all<'a>(
    pack: &'a Pack,
    base: &Scope<'a, '_>,
    work: &mut Scratch,
    explain: bool,
    mut traces: Option<&mut Vec<RuleTrace>>,
    prior: Option<Prior<'_>>,
) -> Decided {
    work.missing.clear();
    work.fired.clear();
    work.undetermined.clear();
    work.undecided.clear();
    work.state.clear();
    work.state.resize(pack.rules.len(), 0);
    match prior {
        // The baseline's decisions on the same profile: the rules the new pack shares with it
        // take them (only those that fired or were undetermined leave a trace to copy), and only
        // its other rules are evaluated.
        Some(Prior::Pair(cmp, p)) => {
            let to = |bi: usize| cmp.to.get(bi).copied().flatten();
            for f in &p.fired {
                if let Some(index) = to(f.index) {
                    work.take(index, Decision::Fired(f.amount));
                }
            }
            for index in p.undecided.iter().filter_map(|&bi| to(bi)) {
                work.take(index, Decision::Undetermined);
            }
            for (index, rule) in cmp.own.iter().filter_map(|&i| Some((i, pack.rules.get(i)?))) {
                decide(&pack.schema, index, rule, base, work, explain, traces.as_deref_mut());
            }
            work.last.clone_from(&cmp.last);
        }
        _ => {
            work.last.clear();
            for (index, rule) in pack.rules.iter().enumerate() {
                if rule.last {
                    work.last.push(index);
                    continue;
                }
                match prior.and_then(|prior| prior.decision(index)) {
                    Some(decision) => work.take(index, decision),
                    None => decide(&pack.schema, index, rule, base, work, explain, traces.as_deref_mut()),
                }
            }
        }
    }

    let limit = line_amount(&pack.credit_limit.expr, base, &mut work.missing);
    let used = line_amount(&pack.used.expr, base, &mut work.missing);
    let (mut status, effective_limit, available) = tally(pack, &work.fired, !work.undecided.is_empty(), limit, used);

    // Rules that read `available` or `status` see the outcome of the others and cannot change `available`.
    let (seen_status, seen_available) = (status, available);
    let last_scope = Scope { available: Some(available.to_dec()), status: Some(status.name()), ..*base };
    let before = work.fired.len();
    // Taken out of `work` while its rules are decided into it (and put back: no allocation).
    let last = core::mem::take(&mut work.last);
    for (index, rule) in last.iter().filter_map(|&i| Some((i, pack.rules.get(i)?))) {
        match prior.and_then(|prior| prior.decision_seeing(index, (seen_status, seen_available))) {
            Some(decision) => work.take(index, decision),
            None => decide(&pack.schema, index, rule, &last_scope, work, explain, traces.as_deref_mut()),
        }
    }
    work.last = last;
    work.seen = Some((seen_status, seen_available));
    if work.fired.len() > before && status == Status::Eligible {
        status = Status::Limited;
    }
    let available = if status.stops_drawing() { Fen::ZERO } else { available };
    Decided { status, effective_limit, available, seen_status, seen_available }
}

/// Decides one rule: fired (with amount, and with its end when `explain`), not fired, or
/// undetermined (with why, when `explain`). Inlined into `decide_all`'s loops: a call per rule
/// cost a tenth of a rule's evaluation.
#[inline(always)]
fn decide<'a>(
    schema: &Schema,
    index: usize,
    rule: &'a Rule,
    scope: &Scope<'a, '_>,
    work: &mut Scratch,
    explain: bool,
    traces: Option<&mut Vec<RuleTrace>>,
) {
    let missing = &mut work.missing;
    let mark = missing.len();
    let outcome = match traces {
        None => eval(&rule.when.expr, scope, missing, &mut NoTrace),
        Some(traces) => traced(rule, scope, missing, traces),
    };
    let result = match outcome {
        Ok(Value::Bool(true)) => fired_parts(rule, scope, missing, explain),
        Ok(_) => return,
        Err(u) => Err(u),
    };
    let state = match &result {
        Ok(_) => u16::try_from(work.fired.len() + 2).unwrap_or(u16::MAX),
        Err(_) => 1,
    };
    if let Some(s) = work.state.get_mut(index) {
        *s = state;
    }
    match result {
        Ok((amount, until)) => work.fired.push(Fired { index, amount, until }),
        Err(_) if !explain => work.undecided.push(index),
        Err(u) => {
            work.undecided.push(index);
            let why = undetermined_why(schema, u, missing.get(mark..).unwrap_or(&[]));
            work.undetermined.push(Undetermined { rule: rule.id.clone(), why });
        }
    }
}

/// A rule's condition evaluated node by node, its trace kept in `traces`.
fn traced<'a>(
    rule: &'a Rule,
    scope: &Scope<'a, '_>,
    missing: &mut Vec<FactId>,
    traces: &mut Vec<RuleTrace>,
) -> Outcome<'a> {
    let mut tracer = TextTrace::default();
    let out = eval(&rule.when.expr, scope, missing, &mut tracer);
    traces.push(trace_of(rule, &out, &tracer));
    out
}

/// Why a rule was undetermined, in words: the missing facts it needed, or the fault.
fn undetermined_why(schema: &Schema, u: Undet, missing: &[FactId]) -> String {
    match u {
        Undet::Missing => {
            let paths: Vec<&str> = missing.iter().filter_map(|id| schema.fact(*id)).map(|f| f.path.as_str()).collect();
            format!("missing {}", paths.join(", "))
        }
        Undet::Fault(f) => f.to_string(),
    }
}

/// A fired rule's amount (which it cannot do without) and end (which it can: `until` is then null).
fn fired_parts(
    rule: &Rule,
    scope: &Scope<'_, '_>,
    missing: &mut Vec<FactId>,
    with_until: bool,
) -> Result<(Option<Dec>, Option<OffsetDateTime>), Undet> {
    let amount = match &rule.amount {
        Some(c) => match eval(&c.expr, scope, missing, &mut NoTrace)? {
            Value::Money(d) => Some(d),
            v => v.as_dec(),
        },
        None => None,
    };
    let until = if with_until { rule.until.as_ref().and_then(|c| until_value(c, scope, missing)) } else { None };
    Ok((amount, until))
}

/// An `until` as a datetime in the borrower's zone (a date means its 00:00), or `never`.
fn until_value(c: &Compiled, scope: &Scope<'_, '_>, missing: &mut Vec<FactId>) -> Option<OffsetDateTime> {
    match eval(&c.expr, scope, missing, &mut NoTrace).ok()? {
        Value::DateTime(t) => Some(in_zone(t, scope.zone)),
        Value::Date(d) => Some(start_of_day(d, scope.zone)),
        // `never + 24h` (an inconsistent profile: failures but no last failure) has no end to show.
        _ => None,
    }
}

fn line_amount(e: &Expr, scope: &Scope<'_, '_>, missing: &mut Vec<FactId>) -> Option<Dec> {
    eval(e, scope, missing, &mut NoTrace).ok().and_then(|v| v.as_dec())
}

/// Status, effective limit and available amount from the fired rules (POLICY.md, "Effects and status").
fn tally(
    pack: &Pack,
    fired: &[Fired],
    any_undetermined: bool,
    limit: Option<Dec>,
    used: Option<Dec>,
) -> (Status, Fen, Fen) {
    let effect_of = |f: &Fired| pack.rules.get(f.index).map(|r| r.effect);
    let strongest = fired.iter().filter_map(effect_of).min();
    let mut effective = limit;
    let mut cap: Option<Dec> = None;
    for f in fired {
        match (effect_of(f), f.amount) {
            (Some(Effect::Limit), Some(a)) => effective = effective.map(|e| e.min(a)),
            (Some(Effect::Cap), Some(a)) => cap = Some(cap.map_or(a, |c| c.min(a))),
            _ => {}
        }
    }
    let effective_fen = effective.map(|e| Fen::floor(e).max(Fen::ZERO)).unwrap_or(Fen::ZERO);
    let line_known = limit.is_some() && used.is_some();
    let status = match strongest {
        Some(Effect::Freeze) => Status::Frozen,
        Some(Effect::Block) => Status::Blocked,
        Some(Effect::Pause) => Status::Paused,
        _ if any_undetermined || !line_known => Status::Incomplete,
        Some(Effect::Limit | Effect::Cap) => Status::Limited,
        None => Status::Eligible,
    };
    let headroom = match (effective, used) {
        (Some(e), Some(u)) => e.checked_sub(u).ok(),
        _ => None,
    };
    let most = match (headroom, cap) {
        (Some(h), Some(c)) => h.min(c),
        (Some(h), None) => h,
        _ => Dec::ZERO,
    };
    let available = if status.stops_drawing() { Fen::ZERO } else { Fen::floor(most).max(Fen::ZERO) };
    (status, effective_fen, available)
}

fn reason(pack: &Pack, f: &Fired, principal: bool, scope: &Scope<'_, '_>, locale: Locale) -> Option<Reason> {
    let rule = pack.rules.get(f.index)?;
    let mut scratch = Vec::new();
    // Locals in the order the pack compiler laid them out: amount, until (each if the rule has
    // one), then its `let` values.
    let mut locals: Vec<Outcome<'_>> = Vec::with_capacity(2 + rule.lets.len());
    if rule.amount.is_some() {
        locals.push(f.amount.map(Value::Money).ok_or(Undet::Missing));
    }
    if rule.until.is_some() {
        locals.push(f.until.map(Value::DateTime).ok_or(Undet::Missing));
    }
    for (_, c) in &rule.lets {
        let v = eval(&c.expr, scope, &mut scratch, &mut NoTrace);
        locals.push(v);
    }
    let rule_scope = Scope { locals: &locals, ..*scope };
    let steps = rule.steps.iter().map(|s| step(s, &rule_scope, locale)).collect();
    Some(Reason {
        rule: rule.id.clone(),
        effect: rule.effect,
        scope: rule.scope,
        category: rule.category.clone(),
        principal,
        title: render(&rule.title, &rule_scope, locale),
        detail: render(&rule.detail, &rule_scope, locale),
        amount: f.amount.map(|a| Fen::floor(a).max(Fen::ZERO)),
        until: f.until.map(format_rfc3339),
        steps,
    })
}

fn step(s: &Step, scope: &Scope<'_, '_>, locale: Locale) -> StepOut {
    let mut scratch = Vec::new();
    let mut locals: Vec<Outcome<'_>> = scope.locals.to_vec();
    let mut values: [Option<Value<'_>>; 4] = [None; 4];
    for (slot, field) in values.iter_mut().zip(s.fields.iter()) {
        if let Some(c) = field {
            let v = match eval(&c.expr, scope, &mut scratch, &mut NoTrace) {
                Ok(Value::Date(d)) => Ok(Value::DateTime(start_of_day(d, scope.zone))),
                Ok(Value::DateTime(t)) => Ok(Value::DateTime(in_zone(t, scope.zone))),
                other => other,
            };
            *slot = v.ok();
            locals.push(v);
        }
    }
    let step_scope = Scope { locals: &locals, ..*scope };
    let [amount, to, until, phone] = values;
    let fen = |v: Option<Value<'_>>| v.and_then(|v| v.as_dec()).map(Fen::floor);
    StepOut {
        action: s.action,
        text: render(&s.text, &step_scope, locale),
        amount: fen(amount),
        to: fen(to),
        until: match until {
            Some(Value::DateTime(t)) => Some(format_rfc3339(t)),
            _ => None,
        },
        phone: match phone {
            Some(Value::Str(p)) => Some(p.to_string()),
            _ => None,
        },
    }
}

/// Fills a template for `locale` (falling back to the other language) with formatted values.
fn render(texts: &Texts, scope: &Scope<'_, '_>, locale: Locale) -> String {
    let Some(pieces) = texts.pick(locale) else { return String::new() };
    // One allocation for the whole text in the common case: the literal parts plus room for
    // each figure (a formatted amount or date is rarely longer than 24 bytes).
    let room = pieces.iter().map(|p| if let Piece::Text(t) = p { t.len() } else { 24 }).sum();
    let mut out = String::with_capacity(room);
    let mut scratch = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Value(e) => match eval(e, scope, &mut scratch, &mut NoTrace) {
                Ok(v) => out.push_str(&i18n::value(&v, scope.zone, locale)),
                Err(_) => out.push('—'),
            },
        }
    }
    out
}

fn trace_of(rule: &Rule, out: &Outcome<'_>, tracer: &TextTrace) -> RuleTrace {
    let result = match out {
        Ok(Value::Bool(true)) => "fired",
        Ok(_) => "not fired",
        Err(_) => "undetermined",
    };
    let mut nodes = Vec::new();
    walk(&rule.when.expr, &rule.when.source, tracer, 0, &mut nodes);
    RuleTrace { rule: rule.id.clone(), result, when: rule.when.source.clone(), nodes }
}

fn walk(e: &Expr, src: &str, tracer: &TextTrace, depth: usize, out: &mut Vec<TraceNode>) {
    let Some(value) = tracer.get(e.id) else { return };
    // A literal's value is its text: showing `0 = 0` only adds noise.
    if e.children().is_empty()
        && !matches!(e.kind, Kind::Fact(_) | Kind::Param(_) | Kind::AsOf | Kind::Local(_) | Kind::Verdict(_))
    {
        return;
    }
    let text = src.get(e.span.start as usize..e.span.end as usize).unwrap_or("").to_string();
    out.push(TraceNode { depth, text, value: value.to_string() });
    for child in e.children() {
        walk(child, src, tracer, depth + 1, out);
    }
}

#[cfg(test)]
mod tests {
    use super::Status;
    use crate::schema::STATUS_NAMES;

    /// The checker validates `status == "…"` against `STATUS_NAMES`; evaluation produces
    /// `Status::name()`. The two lists must name the same six statuses.
    #[test]
    fn status_names_agree_with_the_schema() {
        let all =
            [Status::Eligible, Status::Limited, Status::Paused, Status::Blocked, Status::Frozen, Status::Incomplete];
        let mut names: Vec<&str> = all.iter().map(|s| s.name()).collect();
        let mut schema: Vec<&str> = STATUS_NAMES.to_vec();
        names.sort_unstable();
        schema.sort_unstable();
        assert_eq!(names, schema);
    }
}
