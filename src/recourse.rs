//! Recourse: the cheapest path back to drawing, derived from the rules themselves and verified.
//!
//! For each rule that restricts drawing, the planner solves its condition for the facts the
//! borrower can move (the pack's levers: a fact, an action, a direction, joint effects) — it walks
//! `&&`, `||` and `!`, and inverts comparisons through `+ - * /` to a threshold, then rounds the
//! threshold to the fen, day or unit in the borrower's favour. A rule with an `until` can also be
//! waited out (with the facts that lapse by then); a wait that would leave the borrower worse off
//! (an ID that expires on the way) comes after the steps that keep it from doing so, solved at the
//! wait's end. A fact an incomplete profile lacks is given by a step only where the step's outcome
//! is known beforehand (a yes/no fact). A small uniform-cost search over these moves
//! finds the cheapest sequence that makes the profile eligible or, where that cannot be reached,
//! the best status and amount that can be, at the lowest cost, and names the rules nothing the
//! borrower does will change.
//! Every state in the search is decided by the engine itself (`verdict::outline`, or
//! `verdict::outline_again`, which evaluates again only the rules that read a fact the step
//! changed and keeps the others' decisions), so each step's promised status and amount is what
//! the engine says of the changed profile at the plan's date.
//! No rule has code of its own here: a rule added in a pack gets recourse as it is.

use crate::calendar::{format_rfc3339, in_zone};
use crate::expr::eval::arithmetic;
use crate::expr::syntax::{BinOp, UnOp};
use crate::expr::{eval, Expr, Kind, NoTrace, Scope};
use crate::i18n::{self, Locale};
use crate::money::{Dec, Fen};
use crate::pack::{Direction, Lever, Pack, Readers};
use crate::profile::Profile;
use crate::schema::{Action, FactId, FactKind};
use crate::value::{Scalar, Value};
use crate::verdict::{
    evaluate_keeping, outline, outline_again, Decisions, Options, Outline, RuleSet, Scratch, Status, StepOut, Verdict,
};
use serde::Serialize;
use std::cell::RefCell;
use time::OffsetDateTime;

/// Profiles the search may decide before it settles for the best found (the default pack's worst
/// persona, several_reasons, needs 21).
const MAX_STATES: usize = 200;
/// Ways out kept per rule (alternatives and their combinations).
const MAX_WAYS: usize = 8;
/// Rules a wait may make fire that steps taken before it keep from firing (see
/// `Planner::prepared`).
const PREPARED_DEPTH: usize = 2;

/// A path back to drawing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    /// The best status the borrower can reach.
    pub reachable: Status,
    /// What they can draw once the plan is done.
    pub available_after: Fen,
    /// The line once the plan is done.
    pub effective_limit_after: Fen,
    /// When the plan is done (RFC 3339): after its last wait, or now.
    pub earliest: String,
    /// The plan's cost in the pack's units (lower is easier).
    pub cost: u32,
    /// What to do, in order.
    pub steps: Vec<PlanStep>,
    /// Reasons nothing the borrower does will lift, with the route that remains.
    pub fixed: Vec<Fixed>,
}

/// One step of a plan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanStep {
    /// The kind of step.
    pub action: Action,
    /// The fact it changes (absent for a wait).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fact: Option<String>,
    /// The fact's value now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The value that lifts the restriction.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Money moved: what to repay, or by how much to reduce or raise an amount.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Fen>,
    /// For a wait: until when (RFC 3339); the profile's `as_of` moves there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    /// Every fact the step changes (joint effects and lapses included), as profile JSON values:
    /// applying these and `until` to the profile gives `status_after` and `available_after`.
    pub changes: Vec<Change>,
    /// Rules that no longer restrict drawing after this step.
    pub lifts: Vec<String>,
    /// What to do, in both languages.
    pub text: Bilingual,
    /// The status after this step.
    pub status_after: Status,
    /// What can be drawn after this step.
    pub available_after: Fen,
}

/// One fact a step changes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The fact's path.
    pub fact: String,
    /// Its new value, as a profile gives it.
    pub to: JsonValue,
}

/// A fact's value as profile JSON writes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum JsonValue {
    /// `true` / `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Amounts (`"1234.50"`), dates, datetimes, versions and strings.
    Text(String),
    /// `null` (a `never` fact).
    Null(()),
}

impl JsonValue {
    fn of(s: &Scalar) -> JsonValue {
        match s {
            Scalar::Bool(b) => JsonValue::Bool(*b),
            Scalar::Int(i) => JsonValue::Int(*i),
            Scalar::Money(d) => JsonValue::Text(Fen::floor(*d).plain()),
            Scalar::Dec(d) => JsonValue::Text(d.to_string()),
            Scalar::Str(t) => JsonValue::Text(t.clone()),
            Scalar::Date(d) => JsonValue::Text(d.to_string()),
            Scalar::DateTime(t) => JsonValue::Text(format_rfc3339(*t)),
            Scalar::Version(v) => JsonValue::Text(v.to_string()),
            Scalar::Never => JsonValue::Null(()),
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Bilingual {
    /// Chinese.
    #[serde(rename = "zh-CN")]
    pub zh_cn: String,
    /// English.
    pub en: String,
}

/// A reason the borrower cannot lift by anything they change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Fixed {
    /// Rule id.
    pub rule: String,
    /// What remains: the rule's own steps (support, a credit-report objection, waiting for a review).
    pub route: Vec<StepOut>,
}

/// One change the borrower makes (or waiting).
#[derive(Clone, Debug, PartialEq)]
struct Act {
    action: Action,
    fact: Option<FactId>,
    sets: Vec<(FactId, Scalar)>,
    until: Option<OffsetDateTime>,
    cost: u32,
}

/// A way out of one rule: one act, or several that must all happen.
type Move = Vec<Act>;

#[derive(Clone)]
struct Node {
    /// The profile, as its index in [`Known`] (equal profiles have one index).
    state: usize,
    /// The profile's `as_of`, and as nanoseconds since 1970 (to order states cheaply).
    as_of: OffsetDateTime,
    instant: i128,
    outline: Outline,
    cost: u32,
    /// The last step taken, as its index in [`Known`]'s trails (each links to the one before).
    trail: Option<usize>,
    /// How many steps were taken.
    steps: usize,
    fixed: RuleSet,
}

/// One step taken (the act, the outline after it, the rules it lifted) and the step before it.
struct Trail {
    act: Act,
    after: Outline,
    lifts: RuleSet,
    before: Option<usize>,
}

/// A profile the search reached: the start profile with some facts changed, at some instant,
/// and the engine's decisions on it.
struct State {
    as_of: OffsetDateTime,
    /// `as_of` as nanoseconds since 1970 (states are told apart by it: comparing instants of
    /// any offset converts them first).
    instant: i128,
    /// The facts whose value differs from the start's, by fact id (so that two paths to the same
    /// profile give the same list).
    changed: Vec<(FactId, Scalar)>,
    outline: Outline,
    /// Every rule's decision, for deciding the next states from this one.
    decisions: Decisions,
}

/// The rules whose decision may change when the facts `moved` change (and `as_of`, if
/// `time_moved`), from the pack's table of which rules read what: a step re-decides only those.
/// The others keep their decisions, so a state costs a rule or three of evaluation instead of
/// the whole pack.
fn stale(readers: &Readers, moved: impl Iterator<Item = FactId>, time_moved: bool) -> RuleSet {
    let mut out = RuleSet::default();
    let by_fact = moved.filter_map(|f| readers.by_fact.get(usize::from(f)));
    let lists = core::iter::once(&readers.always).chain(by_fact).chain(time_moved.then_some(&readers.as_of));
    for i in lists.flatten() {
        out.insert(*i);
    }
    out
}

/// Every profile the search has decided, once each, with the engine's decisions on it. A
/// profile reached again by another path (steps in another order) is not decided again. A
/// state is kept as its changes from the start, and one working copy of the profile is moved
/// between states by rewriting only those facts.
struct Known<'a> {
    pack: &'a Pack,
    start: &'a Profile,
    states: Vec<State>,
    /// The profile of `states[at]`.
    work: Profile,
    at: usize,
    /// The profile of `states[trial_at]`, which the solver changes to check a move (and back).
    trial: RefCell<Profile>,
    trial_at: usize,
    /// Profiles decided in full (every rule evaluated); the others only re-decide what changed.
    full: usize,
    /// Every step the search took, each linking to the one before it: the nodes that led
    /// through a step share it, and all are freed together when the plan is done.
    trails: Vec<Trail>,
    /// Buffers [`Known::after`] works in: each state is decided in `scratch` and keeps only the
    /// decisions.
    scratch: Scratch,
    changed: Vec<(FactId, Scalar)>,
    undo: Vec<(FactId, Option<Scalar>)>,
}

impl<'a> Known<'a> {
    /// The start profile, with its outline and the decisions behind it.
    fn new(pack: &'a Pack, start: &'a Profile, outline: Outline, scratch: Scratch) -> Known<'a> {
        let first = State {
            as_of: start.as_of,
            instant: start.as_of.unix_timestamp_nanos(),
            changed: Vec::new(),
            outline,
            decisions: Decisions::of(&scratch),
        };
        Known {
            pack,
            start,
            states: {
                // Most plans decide a few dozen profiles: growing the list would copy them.
                let mut states = Vec::with_capacity(32);
                states.push(first);
                states
            },
            work: start.clone(),
            at: 0,
            trial: RefCell::new(start.clone()),
            trial_at: 0,
            full: 0,
            trails: Vec::with_capacity(32),
            scratch,
            changed: Vec::new(),
            undo: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.states.len()
    }

    fn get(&self, id: usize) -> Option<&State> {
        self.states.get(id)
    }

    /// Makes `work` the profile of state `to`.
    fn go(&mut self, to: usize) {
        if to == self.at {
            return;
        }
        if let (Some(from), Some(target)) = (self.states.get(self.at), self.states.get(to)) {
            shift(&mut self.work, self.start, from, target);
            self.at = to;
        }
    }

    /// Makes `trial` the profile of state `at` too.
    fn sync_trial(&mut self) {
        if self.trial_at == self.at {
            return;
        }
        if let (Some(from), Some(target)) = (self.states.get(self.trial_at), self.states.get(self.at)) {
            shift(self.trial.get_mut(), self.start, from, target);
            self.trial_at = self.at;
        }
    }

    /// The state after `act` from state `from`, decided if it is new.
    fn after(&mut self, from: usize, act: &Act) -> usize {
        let Some(parent) = self.states.get(from) else { return from };
        let as_of = act.until.unwrap_or(parent.as_of);
        let instant = as_of.unix_timestamp_nanos();
        let changed = &mut self.changed;
        changed.clone_from(&parent.changed);
        for (f, v) in &act.sets {
            let as_started = self.start.get(*f) == Some(v);
            match (changed.binary_search_by_key(f, |c| c.0), as_started) {
                (Ok(i), true) => {
                    changed.remove(i);
                }
                (Ok(i), false) => {
                    if let Some(c) = changed.get_mut(i) {
                        c.1 = v.clone();
                    }
                }
                (Err(i), false) => changed.insert(i, (*f, v.clone())),
                (Err(_), true) => {}
            }
        }
        if let Some(i) = self.states.iter().position(|s| s.instant == instant && s.changed == *changed) {
            return i;
        }
        let changed = changed.clone();
        self.go(from);
        let Some(parent) = self.states.get(from) else { return from };
        // Decided on `work`, which is then changed back: the search's next step is most often
        // another one from the same state.
        self.undo.clear();
        self.undo.extend(act.sets.iter().map(|(f, _)| (*f, self.work.get(*f).cloned())));
        apply(&mut self.work, act);
        let outline = if as_of.offset() == parent.as_of.offset() {
            // Only the facts whose value the act changes (a lapse to 0 of a count that is 0
            // changes nothing).
            let moved = act.sets.iter().zip(&self.undo).filter(|((_, v), (_, was))| was.as_ref() != Some(v));
            let stale = stale(&self.pack.readers, moved.map(|((f, _), _)| *f), instant != parent.instant);
            outline_again(self.pack, &self.work, &parent.decisions, &stale, &mut self.scratch)
        } else {
            // Another zone: dates of instants change, so everything is decided again.
            self.full += 1;
            outline(self.pack, &self.work, &mut self.scratch)
        };
        for (f, v) in self.undo.drain(..).rev() {
            self.work.set(f, v);
        }
        self.work.as_of = parent.as_of;
        let decisions = Decisions::of(&self.scratch);
        self.states.push(State { as_of, instant, changed, outline, decisions });
        self.states.len() - 1
    }
}

/// Rewrites `profile` from the profile of state `from` to that of state `to` (both the start
/// with changes).
fn shift(profile: &mut Profile, start: &Profile, from: &State, to: &State) {
    // A state changes a few facts: writing them all is cheaper than finding which differ, but
    // one both states change (both lists are by fact id) is written once, with `to`'s value.
    let mut theirs = to.changed.iter().peekable();
    for (f, _) in &from.changed {
        while let Some((g, v)) = theirs.next_if(|(g, _)| g < f) {
            profile.set(*g, Some(v.clone()));
        }
        match theirs.next_if(|(g, _)| g == f) {
            Some((_, v)) => profile.set(*f, Some(v.clone())),
            None => profile.set(*f, start.get(*f).cloned()),
        }
    }
    for (g, v) in theirs {
        profile.set(*g, Some(v.clone()));
    }
    profile.as_of = to.as_of;
}

/// Calls `f` on `e` and every node under it.
fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        Kind::List(items) | Kind::Call(_, items) => items.iter().for_each(|c| visit(c, f)),
        Kind::Unary(_, a) => visit(a, f),
        Kind::Binary(_, a, b) | Kind::Index(a, b) => {
            visit(a, f);
            visit(b, f);
        }
        _ => {}
    }
}

/// Plans the way back to drawing for a profile whose verdict is not `eligible`. `verdict` is the
/// profile's verdict (its reasons give the routes of fixed rules). `None` when already eligible.
pub fn plan(pack: &Pack, profile: &Profile, verdict: &Verdict) -> Option<Plan> {
    plan_from(pack, profile, verdict, None).0
}

/// The verdict with its plan (`crate::check` with `recourse`): the plan starts from the
/// verdict's own decisions, so the profile is decided once. Also says how many profiles were
/// decided in full.
pub(crate) fn check(pack: &Pack, profile: &Profile, opts: Options) -> (Verdict, usize) {
    let mut decisions = Scratch::default();
    let (mut verdict, start) = evaluate_keeping(pack, profile, opts, &mut decisions);
    let (plan, full) = plan_from(pack, profile, &verdict, Some((start, decisions)));
    verdict.recourse = plan;
    (verdict, full)
}

/// [`plan`], from the start profile's outline and the decisions behind it when they are known,
/// and how many profiles were decided in full (every rule evaluated): the others re-decide
/// only the rules that read what a step changed.
fn plan_from(
    pack: &Pack,
    profile: &Profile,
    verdict: &Verdict,
    decided: Option<(Outline, Scratch)>,
) -> (Option<Plan>, usize) {
    let (start, decisions, mut full) = match decided {
        Some((start, decisions)) => (start, decisions, 0),
        None => {
            let mut decisions = Scratch::default();
            (outline(pack, profile, &mut decisions), decisions, 1)
        }
    };
    if start.status == Status::Eligible {
        return (None, full);
    }
    let planner = Planner::new(pack);
    let mut known = Known::new(pack, profile, start, decisions);
    let best = planner.search(&mut known, start);
    full += known.full;
    // The working profile, back at the start, is the one the plan's words are written from.
    known.go(0);
    (Some(planner.describe(&known.trails, &mut known.work, best, verdict)), full)
}

struct Planner<'p> {
    pack: &'p Pack,
    /// Each fact's lever, by fact id: its index in `pack.levers`.
    levers: Vec<Option<usize>>,
}

impl<'p> Planner<'p> {
    fn new(pack: &'p Pack) -> Planner<'p> {
        let mut levers = vec![None; pack.schema.facts().len()];
        for (i, l) in pack.levers.iter().enumerate() {
            if let Some(slot) = levers.get_mut(usize::from(l.fact)) {
                slot.get_or_insert(i);
            }
        }
        Planner { pack, levers }
    }

    fn lever(&self, fact: FactId) -> Option<&'p Lever> {
        self.levers.get(usize::from(fact)).copied().flatten().and_then(|i| self.pack.levers.get(i))
    }
}

/// Whether `child` has a worse status than `node`. (`Status` is ordered strongest first: frozen,
/// blocked, paused, incomplete, limited, eligible; a smaller status is a worse one.)
fn worse(child: &Node, node: &Node) -> bool {
    child.outline.status < node.outline.status
}

/// Better status, then more to draw, then cheaper, then sooner; then fewer reasons left open
/// (neither lifted nor found fixed), then fewer steps.
fn better(a: &Node, b: &Node) -> bool {
    let open = |n: &Node| n.outline.fired.iter().filter(|i| !n.fixed.contains(*i)).count();
    let key = |n: &Node| {
        let (status, available) = (core::cmp::Reverse(n.outline.status), core::cmp::Reverse(n.outline.available));
        (status, available, n.cost, n.instant, open(n), n.steps)
    };
    key(a) < key(b)
}

impl Planner<'_> {
    /// Uniform-cost search: always expand the cheapest state; resolve its strongest remaining
    /// reason by each of its ways out (reasons with none are fixed on the spot), and wait out any
    /// reason that ends by itself. The first eligible state taken is the cheapest; otherwise every
    /// state taken is a candidate, and the answer is the best status and amount at the lowest cost.
    fn search(&self, known: &mut Known<'_>, start: Outline) -> Node {
        let (as_of, instant) = (known.start.as_of, known.start.as_of.unix_timestamp_nanos());
        let root = Node {
            state: 0,
            as_of,
            instant,
            outline: start,
            cost: 0,
            trail: None,
            steps: 0,
            fixed: RuleSet::default(),
        };
        let mut best: Option<Node> = None;
        let mut seen: Vec<(usize, RuleSet, u32)> = Vec::with_capacity(32);
        let mut frontier = Vec::with_capacity(32);
        frontier.push(root.clone());
        let mut children = Vec::new();
        // Equal costs: the plan done sooner first.
        while let Some(i) =
            frontier.iter().enumerate().min_by_key(|(_, n)| (n.cost, n.instant, n.steps)).map(|(i, _)| i)
        {
            let mut node = frontier.swap_remove(i);
            if node.outline.status == Status::Eligible {
                return node;
            }
            // The same state reached again at no lower cost, knowing no less, has nothing new to offer.
            if seen
                .iter()
                .any(|(p, f, c)| *c <= node.cost && *p == node.state && f.iter().all(|r| node.fixed.contains(r)))
            {
                continue;
            }
            seen.push((node.state, node.fixed, node.cost));
            children.clear();
            if known.len() < MAX_STATES {
                // Waiting out any reason that ends by itself (time passing first can make a later
                // step cheaper, or unneeded). A wait must lift something: anything else could cycle.
                // No step may leave the borrower worse off (a rule that stops firing because it
                // became undetermined, say, leaves them `incomplete`); a wait that would is taken
                // after the steps that keep it from doing so, where there are any.
                for wait in self.waits(&node, known) {
                    let waited = self.child(&node, [wait], known);
                    self.prepared(&node, waited, PREPARED_DEPTH, known, &mut children);
                }
                children.retain(|c| !worse(c, &node) && !lifted(&node.outline.fired, &c.outline.fired).is_empty());
                // The strongest reason with a way out; those without are fixed from here on.
                let waited = children.len();
                while let Some(target) = self.next_reason(&node) {
                    for m in self.ways_out(target, &node, known) {
                        let child = self.child(&node, m, known);
                        // A way out must lift the rule it was found for.
                        if !worse(&child, &node) && !child.outline.fired.contains(target) {
                            children.push(child);
                        }
                    }
                    let by_waiting = children.iter().take(waited).any(|c| !c.outline.fired.contains(target));
                    if children.len() > waited || by_waiting {
                        break;
                    }
                    node.fixed.insert(target);
                }
                // Incomplete: a missing fact that a step gives a known value is given by that step.
                if node.outline.status == Status::Incomplete {
                    for act in self.supplies(&node, known) {
                        let child = self.child(&node, [act], known);
                        if !worse(&child, &node) {
                            children.push(child);
                        }
                    }
                }
            }
            frontier.append(&mut children);
            // Every state taken is a candidate answer: one that only adds steps that change
            // neither the status nor the amount costs more, and loses.
            if best.as_ref().is_none_or(|b| better(&node, b)) {
                best = Some(node);
            }
        }
        best.unwrap_or(root)
    }

    /// `node` after the acts of `m`, each decided by the engine.
    fn child(&self, node: &Node, m: impl IntoIterator<Item = Act>, known: &mut Known<'_>) -> Node {
        let mut child = node.clone();
        for act in m {
            let before = child.outline.fired;
            child.state = known.after(child.state, &act);
            if let Some(s) = known.get(child.state) {
                (child.as_of, child.instant, child.outline) = (s.as_of, s.instant, s.outline);
            }
            let lifts = lifted(&before, &child.outline.fired);
            child.cost = child.cost.saturating_add(act.cost);
            known.trails.push(Trail { act, after: child.outline, lifts, before: child.trail });
            child.trail = Some(known.trails.len() - 1);
            child.steps += 1;
        }
        child
    }

    /// Adds to `out` `waited` (`node` after a wait) as it is, when it leaves the borrower no
    /// worse off than `node`; otherwise the same wait after steps, taken first, that keep the
    /// rules it makes fire from firing (an ID that would expire before the wait ends is renewed
    /// first, to a date past it). Those steps are the ways out of the strongest such rule, solved
    /// at the wait's end, with the same values given as of now (and the joint effects they have
    /// now); up to `depth` rules are handled so, one after another. Each state is decided by the
    /// engine.
    fn prepared(&self, node: &Node, waited: Node, depth: usize, known: &mut Known<'_>, out: &mut Vec<Node>) {
        if !worse(&waited, node) {
            out.push(waited);
            return;
        }
        let Some(end) = waited.trail.and_then(|t| known.trails.get(t)).and_then(|t| t.act.until) else { return };
        // Fired after the wait and not before it.
        let arrived = lifted(&waited.outline.fired, &node.outline.fired);
        let strongest = arrived.iter().min_by_key(|i| (self.pack.rules.get(*i).map(|r| r.effect), *i));
        let Some(target) = strongest.filter(|_| depth > 0) else { return };
        for m in self.ways_out(target, &waited, known) {
            let Some(first) = self.as_of(&m, node, known) else { continue };
            let ready = self.child(node, first, known);
            if worse(&ready, node) {
                continue;
            }
            known.go(ready.state);
            let wait = self.wait(&known.work, end);
            let waited = self.child(&ready, [wait], known);
            if !waited.outline.fired.contains(target) {
                self.prepared(&ready, waited, depth - 1, known, out);
            }
        }
    }

    /// The acts of `m` (found in another state) giving their facts the same values in `node`'s
    /// state, with the joint effects they have there.
    fn as_of(&self, m: &Move, node: &Node, known: &mut Known<'_>) -> Option<Move> {
        known.go(node.state);
        let solver = Solver { planner: self, profile: &known.work, trial: &known.trial, outline: &node.outline };
        m.iter()
            .map(|act| {
                let fact = act.fact?;
                let (_, value) = act.sets.iter().find(|(f, _)| *f == fact)?;
                Some(solver.act(self.lever(fact)?, value.clone()))
            })
            .collect()
    }

    /// The strongest fired rule not yet found fixed (reasons' order: effect, then policy order).
    fn next_reason(&self, node: &Node) -> Option<usize> {
        node.outline
            .fired
            .iter()
            .filter(|i| !node.fixed.contains(*i))
            .min_by_key(|i| (self.pack.rules.get(*i).map(|r| r.effect), *i))
    }

    /// Every way out of rule `index` in this state by what the borrower changes (solving its
    /// condition for the levers).
    fn ways_out(&self, index: usize, node: &Node, known: &mut Known<'_>) -> Vec<Move> {
        let Some(rule) = self.pack.rules.get(index) else { return Vec::new() };
        known.go(node.state);
        known.sync_trial();
        let solver = Solver { planner: self, profile: &known.work, trial: &known.trial, outline: &node.outline };
        // A rule evaluated first has fired on this very profile: its condition is true. (One
        // evaluated last saw the status before it, which the solver does not: it checks.)
        let mut moves =
            if rule.last { solver.solve(&rule.when.expr, false) } else { solver.solve_unmet(&rule.when.expr, false) };
        moves.dedup();
        moves.truncate(MAX_WAYS);
        moves
    }

    /// Steps that give a fact an undetermined rule needs, and the profile lacks, a value known
    /// before the step is taken: a yes/no lever (verifying the device makes
    /// `behavior.new_device_unverified` false, whatever it was). A fact whose value after the
    /// step cannot be known (an income, an amount overdue) is not supplied: nothing could verify
    /// what the plan would promise.
    fn supplies(&self, node: &Node, known: &mut Known<'_>) -> Vec<Act> {
        known.go(node.state);
        let solver = Solver { planner: self, profile: &known.work, trial: &known.trial, outline: &node.outline };
        let mut out: Vec<Act> = Vec::new();
        for rule in &self.pack.rules {
            let amount = rule.amount.as_ref().filter(|_| solver.is(&rule.when.expr, true));
            for c in core::iter::once(&rule.when).chain(amount) {
                if solver.value(&c.expr).is_some() {
                    continue;
                }
                visit(&c.expr, &mut |x| {
                    let Kind::Fact(fact) = x.kind else { return };
                    let Some(lever) = self.lever(fact) else { return };
                    let to = match lever.direction {
                        Direction::ToTrue => true,
                        Direction::ToFalse => false,
                        Direction::Up | Direction::Down => return,
                    };
                    if solver.profile.get(fact).is_none() && !out.iter().any(|a| a.fact == Some(fact)) {
                        out.push(solver.act(lever, Scalar::Bool(to)));
                    }
                });
            }
        }
        out
    }

    /// Waiting until the end of each fired rule that ends by itself.
    fn waits(&self, node: &Node, known: &mut Known<'_>) -> Vec<Act> {
        known.go(node.state);
        let profile = &known.work;
        let solver = Solver { planner: self, profile, trial: &known.trial, outline: &node.outline };
        let mut waits: Vec<Act> = Vec::new();
        for i in node.outline.fired.iter() {
            let Some(end) = self.pack.rules.get(i).and_then(|r| r.until.as_ref()).and_then(|c| solver.end(c)) else {
                continue;
            };
            // Two rules that end at the same instant are one wait.
            if end > profile.as_of && !waits.iter().any(|w| w.until == Some(end)) {
                waits.push(self.wait(profile, end));
            }
        }
        waits
    }

    /// Waiting until `end`: time moves, and the facts that lapse by then lapse.
    fn wait(&self, profile: &Profile, end: OffsetDateTime) -> Act {
        let scope = self.scope(profile, None);
        // Most waits lapse several facts: one allocation, not the list growing step by step.
        let mut sets = Vec::with_capacity(self.pack.resets.len());
        for reset in &self.pack.resets {
            let at = eval(&reset.at.expr, &scope, &mut Vec::new(), &mut NoTrace);
            let lapsed = matches!(at, Ok(Value::DateTime(t)) if t <= end);
            if lapsed {
                if let Some(v) =
                    eval(&reset.to.expr, &scope, &mut Vec::new(), &mut NoTrace).ok().and_then(|v| v.to_scalar())
                {
                    sets.push((reset.fact, v));
                }
            }
        }
        let days = (end - profile.as_of).whole_seconds().max(0).saturating_add(86_399) / 86_400;
        let per = self.cost(Action::Wait);
        let cost = per.saturating_add(u32::try_from(days).unwrap_or(u32::MAX));
        Act { action: Action::Wait, fact: None, sets, until: Some(in_zone(end, profile.as_of.offset())), cost }
    }

    fn cost(&self, action: Action) -> u32 {
        let i = Action::ALL.iter().position(|a| *a == action).unwrap_or(0);
        self.pack.costs.get(i).copied().unwrap_or(1)
    }

    fn scope<'a>(&'a self, profile: &'a Profile, outline: Option<&Outline>) -> Scope<'a, 'a> {
        Scope {
            available: outline.map(|o| o.available.to_dec()),
            status: outline.map(|o| o.status.name()),
            ..Scope::new(profile, &self.pack.params)
        }
    }

    /// The plan of `best`, whose steps are in `trails`; `start` is the start profile, which is
    /// changed along the way.
    fn describe(&self, trails: &[Trail], start: &mut Profile, best: Node, verdict: &Verdict) -> Plan {
        let mut taken = Vec::with_capacity(best.steps);
        let mut link = best.trail.and_then(|t| trails.get(t));
        while let Some(t) = link {
            taken.push(t);
            link = t.before.and_then(|b| trails.get(b));
        }
        // The start profile, changed step by step as the plan goes.
        let before = start;
        let mut steps = Vec::with_capacity(taken.len());
        for t in taken.into_iter().rev() {
            steps.push(self.step(before, &t.act, &t.after, &t.lifts));
            apply(before, &t.act);
        }
        let fixed = best
            .fixed
            .iter()
            .filter(|i| best.outline.fired.contains(*i))
            .filter_map(|i| self.pack.rules.get(i))
            .map(|rule| Fixed {
                rule: rule.id.clone(),
                route: verdict.reasons.iter().find(|r| r.rule == rule.id).map(|r| r.steps.clone()).unwrap_or_default(),
            })
            .collect();
        Plan {
            reachable: best.outline.status,
            available_after: best.outline.available,
            effective_limit_after: best.outline.effective_limit,
            earliest: format_rfc3339(best.as_of),
            cost: best.cost,
            steps,
            fixed,
        }
    }

    fn step(&self, before: &Profile, act: &Act, after: &Outline, lifts: &RuleSet) -> PlanStep {
        let zone = before.as_of.offset();
        let fact = act.fact.and_then(|id| self.pack.schema.fact(id));
        let from = act.fact.and_then(|id| before.get(id));
        let to = act.fact.and_then(|id| act.sets.iter().find(|(f, _)| *f == id).map(|(_, v)| v));
        // Money moved: the change of the first amount the act touches (repaying an overdue
        // day count also clears its amount).
        let amount = act.sets.iter().find_map(|(id, v)| match (before.get(*id), v) {
            (Some(Scalar::Money(a)), Scalar::Money(b)) => a.checked_sub(*b).ok().map(|d| Fen::floor(abs(d))),
            _ => None,
        });
        let plain = |v: Option<&Scalar>| {
            v.map(|s| s.as_value().to_string().trim_matches('"').trim_start_matches('¥').to_string())
        };
        // A repayment is named by the amount it repays, whichever fact the rule tested.
        let money_fact = act.sets.iter().find_map(|(id, v)| match (before.get(*id), v) {
            (Some(Scalar::Money(_)), Scalar::Money(_)) => self.pack.schema.fact(*id),
            _ => None,
        });
        let named = if act.action == Action::Repay { money_fact.or(fact) } else { fact };
        let text = |locale: Locale| {
            let label = named
                .and_then(|f| f.labels.get(locale_index(locale)).cloned().flatten())
                .unwrap_or_else(|| named.map(|f| f.path.clone()).unwrap_or_default());
            // Written only where the words show it (a repayment or a face check does not).
            let shown = || to.map(|s| i18n::value(&s.as_value(), zone, locale)).unwrap_or_default();
            let amount_text = amount.map(|a| i18n::money(a.to_dec())).unwrap_or_default();
            let until = act.until.map(|t| i18n::datetime(t, zone, locale)).unwrap_or_default();
            step_text(act.action, fact.map(|f| &f.kind), &label, &shown, &amount_text, &until, locale)
        };
        PlanStep {
            action: act.action,
            fact: fact.map(|f| f.path.clone()),
            from: plain(from),
            to: plain(to),
            amount,
            until: act.until.map(format_rfc3339),
            changes: act
                .sets
                .iter()
                .filter_map(|(id, v)| {
                    self.pack.schema.fact(*id).map(|f| Change { fact: f.path.clone(), to: JsonValue::of(v) })
                })
                .collect(),
            lifts: lifts.iter().filter_map(|i| self.pack.rules.get(i)).map(|r| r.id.clone()).collect(),
            text: Bilingual { zh_cn: text(Locale::ZhCn), en: text(Locale::En) },
            status_after: after.status,
            available_after: after.available,
        }
    }
}

fn abs(d: Dec) -> Dec {
    if d.is_negative() {
        d.checked_neg().unwrap_or(d)
    } else {
        d
    }
}

fn locale_index(l: Locale) -> usize {
    Locale::ALL.iter().position(|x| *x == l).unwrap_or(0)
}

/// Rules fired before and not after.
fn lifted(before: &RuleSet, after: &RuleSet) -> RuleSet {
    let mut out = RuleSet::default();
    for i in before.iter().filter(|i| !after.contains(*i)) {
        out.insert(i);
    }
    out
}

/// A step's words, from its kind, the fact's label and its figures (`to` writes the value the
/// step gives the fact).
fn step_text(
    action: Action,
    kind: Option<&FactKind>,
    label: &str,
    to: &dyn Fn() -> String,
    amount: &str,
    until: &str,
    l: Locale,
) -> String {
    let zh = l == Locale::ZhCn;
    match (action, kind) {
        (Action::Wait, _) if zh => format!("等到{until}"),
        (Action::Wait, _) => format!("Wait until {until}"),
        (Action::Repay, _) if zh => format!("还款{amount}（{label}）"),
        (Action::Repay, _) => format!("Repay {amount} ({label})"),
        (Action::ReduceDebt, _) if zh => format!("把{label}降到{}或以下（减少{amount}）", to()),
        (Action::ReduceDebt, _) => format!("{label}: lower to {} or less (by {amount})", to()),
        (Action::UploadDocument, Some(FactKind::Money)) if zh => format!("上传证明材料，核实{label}为{}或以上", to()),
        (Action::UploadDocument, Some(FactKind::Money)) => format!("{label}: upload proof of {} or more", to()),
        (Action::UploadDocument, Some(FactKind::Date)) if zh => format!("上传新的证件（{label}：{}或之后）", to()),
        (Action::UploadDocument, Some(FactKind::Date)) => {
            format!("Upload your renewed document ({label}: {} or later)", to())
        }
        (Action::UploadDocument, _) if zh => format!("上传证明材料（{label}）"),
        (Action::UploadDocument, _) => format!("Upload the document for: {label}"),
        (Action::VerifyIdentity, _) if zh => "完成身份验证（人脸识别）".to_string(),
        (Action::VerifyIdentity, _) => "Verify your identity (face check)".to_string(),
        (Action::VerifyDevice, _) if zh => "验证这台设备（短信验证码和人脸识别）".to_string(),
        (Action::VerifyDevice, _) => "Verify this device (SMS code and face check)".to_string(),
        (Action::UpdateApp, _) if zh => format!("把App更新到{}或更高版本", to()),
        (Action::UpdateApp, _) => format!("Update the app to version {} or later", to()),
        (Action::None, _) if zh => format!("把{label}改为{}或以下", to()),
        (Action::None, _) => format!("{label}: change to {} or less", to()),
        (_, _) if zh => format!("{label}：{}", to()),
        (_, _) => format!("{label}: {}", to()),
    }
}

/// Solves conditions for the levers in one state.
struct Solver<'s, 'p> {
    planner: &'s Planner<'p>,
    profile: &'s Profile,
    /// A copy of `profile` to try moves on (changed back after each try).
    trial: &'s RefCell<Profile>,
    outline: &'s Outline,
}

impl Solver<'_, '_> {
    fn value<'e>(&'e self, e: &'e Expr) -> Option<Value<'e>> {
        eval(e, &self.planner.scope(self.profile, Some(self.outline)), &mut Vec::new(), &mut NoTrace).ok()
    }

    /// A rule's `until` as an instant (a date means its 00:00 in the borrower's zone).
    fn end(&self, c: &crate::pack::Compiled) -> Option<OffsetDateTime> {
        match self.value(&c.expr)? {
            Value::DateTime(t) => Some(t),
            Value::Date(d) => Some(crate::calendar::start_of_day(d, self.profile.as_of.offset())),
            _ => None,
        }
    }

    fn is(&self, e: &Expr, want: bool) -> bool {
        matches!(self.value(e), Some(Value::Bool(b)) if b == want)
    }

    /// Ways to make `e` evaluate to `want`, each a move that does it alone.
    fn solve(&self, e: &Expr, want: bool) -> Vec<Move> {
        if self.is(e, want) {
            return vec![Vec::new()];
        }
        self.solve_unmet(e, want)
    }

    /// [`Solver::solve`] for an `e` known not to evaluate to `want` (a fired rule's condition).
    fn solve_unmet(&self, e: &Expr, want: bool) -> Vec<Move> {
        // `e` is not `want`, and in these three cases nor are the sides to solve (`a && b` not
        // false: neither side is false; `a || b` not true: neither is true), so they are solved
        // without evaluating them first.
        let mut out = match &e.kind {
            Kind::Unary(UnOp::Not, a) => self.solve_unmet(a, !want),
            // Make `a && b` false (or `a || b` true): either side will do.
            Kind::Binary(BinOp::And, a, b) if !want => self.either(a, b, false),
            Kind::Binary(BinOp::Or, a, b) if want => self.either(a, b, true),
            // Make `a && b` true (or `a || b` false): both sides must.
            Kind::Binary(BinOp::And, a, b) => self.both(a, b, true),
            Kind::Binary(BinOp::Or, a, b) => self.both(a, b, false),
            Kind::Binary(op, l, r) if op.is_comparison() && *op != BinOp::In => self.comparison(e, *op, l, r, want),
            Kind::Fact(id) => self.set_bool(*id, want).into_iter().collect(),
            _ => Vec::new(),
        };
        out.retain(|m| !m.is_empty());
        out.truncate(MAX_WAYS);
        out
    }

    fn either(&self, a: &Expr, b: &Expr, want: bool) -> Vec<Move> {
        let mut out = self.solve_unmet(a, want);
        out.extend(self.solve_unmet(b, want));
        out
    }

    fn both(&self, a: &Expr, b: &Expr, want: bool) -> Vec<Move> {
        let (ma, mb) = (self.solve(a, want), self.solve(b, want));
        let mut out = Vec::new();
        for x in &ma {
            for y in &mb {
                let mut m = x.clone();
                m.extend(y.iter().cloned());
                out.push(m);
            }
        }
        out
    }

    fn lever(&self, fact: FactId) -> Option<&Lever> {
        self.planner.lever(fact)
    }

    fn set_bool(&self, fact: FactId, want: bool) -> Option<Move> {
        let lever = self.lever(fact)?;
        let fits = matches!((lever.direction, want), (Direction::ToTrue, true) | (Direction::ToFalse, false));
        fits.then(|| vec![self.act(lever, Scalar::Bool(want))])
    }

    /// The act that gives the lever's fact `value`, with the facts that change with it.
    fn act(&self, lever: &Lever, value: Scalar) -> Act {
        let mut sets = Vec::with_capacity(1 + lever.also.len());
        sets.push((lever.fact, value));
        for (other, c) in &lever.also {
            if let Some(v) = self.value(&c.expr).and_then(|v| v.to_scalar()) {
                sets.push((*other, v));
            }
        }
        Act { action: lever.action, fact: Some(lever.fact), sets, until: None, cost: self.planner.cost(lever.action) }
    }

    /// Make the comparison `e` (`l op r`) evaluate to `want` by moving one lever on one side.
    fn comparison(&self, e: &Expr, op: BinOp, l: &Expr, r: &Expr, want: bool) -> Vec<Move> {
        let rel = if want { op } else { negate(op) };
        let mut out = Vec::new();
        for (side, other, rel) in [(l, r, rel), (r, l, flip(rel))] {
            // Each lever fact that stands once in `side` and not in `other` (other levers hold
            // still), in the order they are written.
            visit(side, &mut |x| {
                let Kind::Fact(fact) = x.kind else { return };
                if self.lever(fact).is_none() || count(side, fact) != 1 || count(other, fact) != 0 {
                    return;
                }
                let Some(m) = self.isolate(side, other, rel, fact) else { return };
                // Rounding to the fen can land a hair short: check, as the engine will. A
                // threshold from a division (kept to 12 decimals, toward zero) can be one unit
                // short of the exact one: the next unit the lever's way is then the closest.
                if self.holds_after(&m, e, want) {
                    out.push(m);
                } else if let Some(m) = self.nudged(&m).filter(|m| self.holds_after(m, e, want)) {
                    out.push(m);
                }
            });
        }
        out
    }

    /// A one-act move to a solved threshold, one unit (fen, whole number, day, second) further
    /// the lever's way, within the fact's bounds.
    fn nudged(&self, m: &Move) -> Option<Move> {
        let [act] = m.as_slice() else { return None };
        let fact = act.fact?;
        let lever = self.lever(fact).filter(|l| l.to.is_none())?;
        let up = match lever.direction {
            Direction::Up => true,
            Direction::Down => false,
            Direction::ToTrue | Direction::ToFalse => return None,
        };
        let (_, v) = act.sets.iter().find(|(f, _)| *f == fact)?;
        let next = match (v, &self.planner.pack.schema.fact(fact)?.kind) {
            (Scalar::Money(d), _) => {
                let d = if up { d.checked_add(Dec::from_fen(1)) } else { d.checked_sub(Dec::from_fen(1)) }.ok()?;
                (!d.is_negative()).then_some(Scalar::Money(d))?
            }
            (Scalar::Int(n), FactKind::Int { min, max }) => {
                let n = if up { n.checked_add(1)? } else { n.checked_sub(1)? };
                (n >= *min && n <= *max).then_some(Scalar::Int(n))?
            }
            (Scalar::Date(d), _) => Scalar::Date(if up { d.next_day()? } else { d.previous_day()? }),
            (Scalar::DateTime(t), _) => {
                let s = time::Duration::SECOND;
                Scalar::DateTime(if up { t.checked_add(s)? } else { t.checked_sub(s)? })
            }
            _ => return None,
        };
        Some(vec![self.act(lever, next)])
    }

    /// Whether `e` evaluates to `want` once the acts of `m` are made (tried on `trial`, a copy of
    /// the state's profile, which is then changed back).
    fn holds_after(&self, m: &Move, e: &Expr, want: bool) -> bool {
        let Ok(mut trial) = self.trial.try_borrow_mut() else { return false };
        for (f, v) in m.iter().flat_map(|act| &act.sets) {
            trial.set(*f, Some(v.clone()));
        }
        let holds = Solver { profile: &trial, ..*self }.is(e, want);
        // `trial` was the state's profile: the facts changed are written back from it.
        for (f, _) in m.iter().flat_map(|act| &act.sets) {
            trial.set(*f, self.profile.get(*f).cloned());
        }
        holds
    }

    /// Solves `side rel other` for `fact` (which stands once in `side` and not in `other`), or
    /// gives the lever its fixed value where it has one.
    fn isolate(&self, side: &Expr, other: &Expr, rel: BinOp, fact: FactId) -> Option<Move> {
        let lever = self.lever(fact)?;
        let kind = &self.planner.pack.schema.fact(fact)?.kind;
        let current = self.profile.get(fact)?;
        let target = match &lever.to {
            // All or nothing (repaying clears the whole overdue): the engine's check decides.
            Some(to) => self.value(&to.expr)?.to_scalar()?,
            None => {
                let c = self.value(other)?;
                let (rel, c) = self.invert(side, fact, rel, c)?;
                threshold(rel, &c, current, kind)?
            }
        };
        let moves_right_way = match (lever.direction, order(&target, current)?) {
            (Direction::Down, core::cmp::Ordering::Less) | (Direction::Up, core::cmp::Ordering::Greater) => true,
            (Direction::ToTrue, _) => target == Scalar::Bool(true),
            (Direction::ToFalse, _) => target == Scalar::Bool(false),
            _ => false,
        };
        moves_right_way.then(|| vec![self.act(lever, target)])
    }

    /// Peels `+ - * /` and `-x` off `side` until the fact stands alone: `fact rel c`.
    fn invert<'e>(&'e self, side: &'e Expr, fact: FactId, rel: BinOp, c: Value<'e>) -> Option<(BinOp, Value<'e>)> {
        match &side.kind {
            Kind::Fact(id) if *id == fact => Some((rel, c)),
            Kind::Call(crate::expr::syntax::Func::FloorFen | crate::expr::syntax::Func::CeilFen, args) => {
                self.invert(args.first()?, fact, rel, c)
            }
            Kind::Unary(UnOp::Neg, a) => {
                let c = arithmetic(BinOp::Sub, Value::Int(0), c).ok()?;
                self.invert(a, fact, flip(rel), c)
            }
            Kind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div), a, b) => {
                let x_left = contains(a, fact);
                let (x_side, k_side) = if x_left { (a, b) } else { (b, a) };
                let k = self.value(k_side)?;
                match (op, x_left) {
                    (BinOp::Add, _) => self.invert(x_side, fact, rel, arithmetic(BinOp::Sub, c, k).ok()?),
                    (BinOp::Sub, true) => self.invert(x_side, fact, rel, arithmetic(BinOp::Add, c, k).ok()?),
                    // k - x rel c  ⇔  x flip(rel) k - c
                    (BinOp::Sub, false) => self.invert(x_side, fact, flip(rel), arithmetic(BinOp::Sub, k, c).ok()?),
                    // k / x rel c, for a divisor that is positive (a level, like an income) and
                    // stays so: k rel c·x  ⇔  x flip(rel) k / c for c > 0 (x rel k / c for c < 0).
                    (BinOp::Div, false) => {
                        let divisor = self.value(x_side)?.as_dec()?;
                        let cd = c.as_dec()?;
                        if divisor.is_negative() || divisor.is_zero() || cd.is_zero() {
                            return None;
                        }
                        let rel = if cd.is_negative() { rel } else { flip(rel) };
                        self.invert(x_side, fact, rel, arithmetic(BinOp::Div, k, Value::Dec(cd)).ok()?)
                    }
                    (BinOp::Mul, _) | (BinOp::Div, true) => {
                        let kd = k.as_dec()?;
                        if kd.is_zero() {
                            return None;
                        }
                        let rel = if kd.is_negative() { flip(rel) } else { rel };
                        let inverse = if *op == BinOp::Mul { BinOp::Div } else { BinOp::Mul };
                        self.invert(x_side, fact, rel, arithmetic(inverse, c, Value::Dec(kd)).ok()?)
                    }
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Gives the profile the act's values (and, for a wait, its new `as_of`).
fn apply(profile: &mut Profile, act: &Act) {
    for (fact, value) in &act.sets {
        profile.set(*fact, Some(value.clone()));
    }
    if let Some(t) = act.until {
        profile.as_of = t;
    }
}

fn contains(e: &Expr, fact: FactId) -> bool {
    count(e, fact) > 0
}

fn count(e: &Expr, fact: FactId) -> usize {
    let mut n = 0;
    visit(e, &mut |x| n += usize::from(matches!(x.kind, Kind::Fact(id) if id == fact)));
    n
}

/// `!(a op b)` as a comparison.
fn negate(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        other => other,
    }
}

/// `a op b` as `b flip(op) a`.
fn flip(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

fn order(a: &Scalar, b: &Scalar) -> Option<core::cmp::Ordering> {
    Some(match (a, b) {
        (Scalar::Money(x) | Scalar::Dec(x), Scalar::Money(y) | Scalar::Dec(y)) => x.cmp(y),
        (Scalar::Int(x), Scalar::Int(y)) => x.cmp(y),
        (Scalar::Date(x), Scalar::Date(y)) => x.cmp(y),
        (Scalar::DateTime(x), Scalar::DateTime(y)) => x.cmp(y),
        (Scalar::Version(x), Scalar::Version(y)) => x.cmp(y),
        (Scalar::Bool(x), Scalar::Bool(y)) => x.cmp(y),
        _ => return None,
    })
}

/// The value closest to the bound that makes `fact rel c` hold, in the fact's own unit
/// (fen, whole number, day, second).
fn threshold(rel: BinOp, c: &Value<'_>, current: &Scalar, kind: &FactKind) -> Option<Scalar> {
    let cmp_next = |exact: bool, down: Dec, up: Dec, unit: Dec| -> Option<Dec> {
        Some(match rel {
            BinOp::Le => down,
            BinOp::Ge => up,
            BinOp::Lt if exact => down.checked_sub(unit).ok()?,
            BinOp::Lt => down,
            BinOp::Gt if exact => up.checked_add(unit).ok()?,
            BinOp::Gt => up,
            BinOp::Eq if exact => down,
            _ => return None,
        })
    };
    match kind {
        FactKind::Money => {
            let c = c.as_dec()?;
            let (down, up) = (c.floor_to(2), c.ceil_to(2));
            let v = match rel {
                BinOp::Ne => return None,
                _ => cmp_next(down == c, down, up, Dec::from_fen(1))?,
            };
            (!v.is_negative()).then_some(Scalar::Money(v))
        }
        FactKind::Int { min, max } => {
            let c = c.as_dec()?;
            let (down, up) = (c.floor_to(0), c.ceil_to(0));
            let v = cmp_next(down == c, down, up, Dec::from_int(1))?;
            let n: i64 = v.to_string().parse().ok()?;
            (n >= *min && n <= *max).then_some(Scalar::Int(n))
        }
        FactKind::Date => {
            let Value::Date(d) = c else { return None };
            let day = time::Duration::days(1);
            Some(Scalar::Date(match rel {
                BinOp::Le | BinOp::Ge | BinOp::Eq => *d,
                BinOp::Lt => d.checked_sub(day)?,
                BinOp::Gt => d.checked_add(day)?,
                _ => return None,
            }))
        }
        FactKind::DateTime => {
            let Value::DateTime(t) = c else { return None };
            let s = time::Duration::SECOND;
            Some(Scalar::DateTime(match rel {
                BinOp::Le | BinOp::Ge | BinOp::Eq => *t,
                BinOp::Lt => t.checked_sub(s)?,
                BinOp::Gt => t.checked_add(s)?,
                _ => return None,
            }))
        }
        FactKind::Version => match (rel, c) {
            (BinOp::Le | BinOp::Ge | BinOp::Eq, Value::Version(v)) => Some(Scalar::Version(*v)),
            _ => None,
        },
        FactKind::Bool => match (rel, c, current) {
            (BinOp::Eq, Value::Bool(b), _) => Some(Scalar::Bool(*b)),
            (BinOp::Ne, Value::Bool(b), _) => Some(Scalar::Bool(!b)),
            _ => None,
        },
        FactKind::Dec | FactKind::Str { .. } | FactKind::Enum(_) => None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
    use super::*;

    const PERSONAS: [&str; 3] = [
        include_str!("../tests/personas/several_reasons.json"),
        include_str!("../tests/personas/overdue.json"),
        include_str!("../tests/personas/maintenance_night.json"),
    ];

    /// `crate::check` with recourse decides the start profile once: the plan starts from the
    /// verdict's own decisions (and is the plan `plan` makes on its own, which decides it again).
    #[test]
    fn check_decides_the_start_profile_once() {
        let pack = crate::compile_pack(crate::DEFAULT_PACK).unwrap();
        for json in PERSONAS {
            let profile = crate::read_profile(&pack, json).unwrap();
            let (verdict, full) = check(&pack, &profile, Options { recourse: true, ..Options::default() });
            assert_eq!(full, 0, "every profile after the start re-decides only what a step changed");
            let (alone, full_alone) = plan_from(&pack, &profile, &verdict, None);
            assert_eq!(full_alone, 1);
            assert!(alone.is_some());
            assert_eq!(verdict.recourse, alone);
        }
    }

    /// Every profile the search decided by re-deciding only the rules a step touched has the
    /// outline the engine gives it in full.
    #[test]
    fn each_state_decided_again_is_decided_as_in_full() {
        let pack = crate::compile_pack(crate::DEFAULT_PACK).unwrap();
        for json in PERSONAS {
            let profile = crate::read_profile(&pack, json).unwrap();
            let mut decisions = Scratch::default();
            let start = outline(&pack, &profile, &mut decisions);
            let planner = Planner::new(&pack);
            let mut known = Known::new(&pack, &profile, start, decisions);
            planner.search(&mut known, start);
            assert!(known.len() > 1, "the search went somewhere");
            for id in 0..known.len() {
                known.go(id);
                let whole = outline(&pack, &known.work, &mut Scratch::default());
                assert_eq!(known.states[id].outline, whole, "state {id} at {}", known.work.as_of);
            }
        }
    }
}
