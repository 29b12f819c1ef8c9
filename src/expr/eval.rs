//! Evaluation of checked expressions: three-valued (a missing fact makes a value unknown, and
//! `&&`/`||` absorb unknowns where the other side decides), exact, bounded by the tree's size,
//! and optionally traced node by node.

use super::syntax::{BinOp, Expr, Func, Kind, UnOp, VerdictVar};
use crate::calendar::{date_in, writable_year, Duration};
use crate::money::{ArithError, Dec};
use crate::profile::Profile;
use crate::schema::FactId;
use crate::value::{ParamValue, Value};
use time::UtcOffset;

/// Why an expression has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Undet {
    /// A fact it needs is missing (the fact is recorded in the missing list).
    Missing,
    /// It cannot be computed from these values (overflow, division by zero, an absent map key).
    Fault(&'static str),
}

/// The result of evaluating a node.
pub type Outcome<'a> = Result<Value<'a>, Undet>;

/// What an expression can see.
pub struct Scope<'a, 'l> {
    /// The borrower's facts.
    pub profile: &'a Profile,
    /// The pack's params, by id.
    pub params: &'a [ParamValue],
    /// The borrower's zone (the offset of `as_of`).
    pub zone: UtcOffset,
    /// `available`, for rules evaluated last.
    pub available: Option<Dec>,
    /// `status`, for rules evaluated last.
    pub status: Option<&'static str>,
    /// Rule-local values by slot.
    pub locals: &'l [Outcome<'a>],
}

impl<'a, 'l> Scope<'a, 'l> {
    /// What a rule's condition sees: the profile's facts and the pack's params, in the zone of
    /// `as_of`, before the outcome is known (no `available` or `status`) and without locals.
    pub fn new(profile: &'a Profile, params: &'a [ParamValue]) -> Self {
        Scope { profile, params, zone: profile.as_of.offset(), available: None, status: None, locals: &[] }
    }
}

/// Receives every node's outcome, children before parents.
pub trait Tracer {
    /// Records one node's outcome.
    fn record(&mut self, e: &Expr, out: &Outcome<'_>);
}

/// A tracer that keeps nothing (the fast path).
pub struct NoTrace;

impl Tracer for NoTrace {
    #[inline(always)]
    fn record(&mut self, _: &Expr, _: &Outcome<'_>) {}
}

/// Keeps each node's value as text, keyed by node id.
#[derive(Default, Debug, Clone)]
pub struct TextTrace {
    /// `(node id, value)`; an unknown value is `?` and a fault `!reason`.
    pub values: Vec<(u32, String)>,
}

impl TextTrace {
    /// The recorded value of a node, if it was evaluated.
    pub fn get(&self, id: u32) -> Option<&str> {
        self.values.iter().rev().find(|(i, _)| *i == id).map(|(_, v)| v.as_str())
    }
}

impl Tracer for TextTrace {
    fn record(&mut self, e: &Expr, out: &Outcome<'_>) {
        let text = match out {
            Ok(v) => v.to_string(),
            Err(Undet::Missing) => "? (missing)".to_string(),
            Err(Undet::Fault(why)) => format!("! ({why})"),
        };
        self.values.push((e.id, text));
    }
}

/// Evaluates `e`, pushing the id of every missing fact it needed onto `missing`.
pub fn eval<'a, T: Tracer>(
    e: &'a Expr,
    scope: &Scope<'a, '_>,
    missing: &mut Vec<FactId>,
    tracer: &mut T,
) -> Outcome<'a> {
    let mut ev = Evaluator { scope, missing, tracer };
    ev.eval(e)
}

struct Evaluator<'s, 'a, 'l, 'm, T> {
    scope: &'s Scope<'a, 'l>,
    missing: &'m mut Vec<FactId>,
    tracer: &'m mut T,
}

fn fault(e: ArithError) -> Undet {
    match e {
        ArithError::Overflow => Undet::Fault("a number grew too large"),
        ArithError::DivideByZero => Undet::Fault("division by zero"),
    }
}

/// A duration's seconds, negated for subtraction (overflowing only at `i64::MIN`).
fn signed(op: BinOp, p: Duration) -> Result<i64, Undet> {
    if op == BinOp::Sub {
        p.seconds.checked_neg().ok_or(fault(ArithError::Overflow))
    } else {
        Ok(p.seconds)
    }
}

const MISMATCH: Undet = Undet::Fault("values of unexpected types (the pack was not checked)");

impl<'a, T: Tracer> Evaluator<'_, 'a, '_, '_, T> {
    fn eval(&mut self, e: &'a Expr) -> Outcome<'a> {
        let out = self.node(e);
        self.tracer.record(e, &out);
        out
    }

    fn node(&mut self, e: &'a Expr) -> Outcome<'a> {
        let s = self.scope;
        match &e.kind {
            Kind::Int(n) => Ok(Value::Int(*n)),
            Kind::Dec(d) => Ok(Value::Dec(*d)),
            Kind::Money(d) => Ok(Value::Money(*d)),
            Kind::Str(t) => Ok(Value::Str(t)),
            Kind::Bool(b) => Ok(Value::Bool(*b)),
            Kind::Never => Ok(Value::Never),
            Kind::Duration(d) => Ok(Value::Duration(*d)),
            Kind::Date(d) => Ok(Value::Date(*d)),
            Kind::DateTime(d) => Ok(Value::DateTime(*d)),
            Kind::Version(v) => Ok(Value::Version(*v)),
            Kind::Fact(id) => self.fact(*id),
            Kind::Param(i) => self.param(*i),
            Kind::Local(i) => s.locals.get(usize::from(*i)).copied().unwrap_or(Err(MISMATCH)),
            Kind::AsOf => Ok(Value::DateTime(s.profile.as_of)),
            Kind::Verdict(VerdictVar::Available) => {
                s.available.map(Value::Money).ok_or(Undet::Fault("`available` is known only to rules evaluated last"))
            }
            Kind::Verdict(VerdictVar::Status) => {
                s.status.map(Value::Str).ok_or(Undet::Fault("`status` is known only to rules evaluated last"))
            }
            Kind::Name(_) | Kind::List(_) => Err(MISMATCH),
            Kind::Unary(UnOp::Not, a) => match self.operand(a)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                _ => Err(MISMATCH),
            },
            Kind::Unary(UnOp::Neg, a) => match self.eval(a)? {
                Value::Int(n) => n.checked_neg().map(Value::Int).ok_or(fault(ArithError::Overflow)),
                Value::Dec(d) => d.checked_neg().map(Value::Dec).map_err(fault),
                Value::Money(d) => d.checked_neg().map(Value::Money).map_err(fault),
                Value::Duration(d) => d
                    .seconds
                    .checked_neg()
                    .map(|seconds| Value::Duration(Duration { seconds }))
                    .ok_or(fault(ArithError::Overflow)),
                _ => Err(MISMATCH),
            },
            Kind::Binary(BinOp::And, a, b) => self.logic(a, b, false),
            Kind::Binary(BinOp::Or, a, b) => self.logic(a, b, true),
            Kind::Binary(BinOp::In, a, b) => self.membership(a, b),
            Kind::Binary(op, a, b) => {
                let (va, vb) = (self.operand(a), self.operand(b));
                // Matched by reference: moving the values out of their outcomes copied them
                // through the stack, and reading a copy of a value just written stalls.
                match (&va, &vb) {
                    (Ok(x), Ok(y)) if op.is_comparison() => compare(*op, x, y).map(Value::Bool),
                    (Ok(x), Ok(y)) => arithmetic(*op, *x, *y),
                    (Err(u), _) | (_, Err(u)) => Err(*u),
                }
            }
            Kind::Index(m, k) => {
                let (vm, vk) = (self.eval(m), self.eval(k));
                match (vm?, vk?) {
                    (Value::Param(ParamValue::Map(entries)), Value::Str(key)) => entries
                        .iter()
                        .find(|(k, _)| k == key)
                        .map(|(_, v)| v.as_value())
                        .ok_or(Undet::Fault("the key is not in the map")),
                    _ => Err(MISMATCH),
                }
            }
            Kind::Call(func, args) => self.call(*func, args),
        }
    }

    /// An operand of an operator (comparison, arithmetic, `!`, `in`): most are a fact or a
    /// param, read here in place (a call to `node` for each cost more than the read itself).
    #[inline(always)]
    fn operand(&mut self, e: &'a Expr) -> Outcome<'a> {
        let out = match e.kind {
            Kind::Fact(id) => self.fact(id),
            Kind::Param(i) => self.param(i),
            _ => return self.eval(e),
        };
        self.tracer.record(e, &out);
        out
    }

    /// A fact's value, or unknown (and the fact noted as missing). (A hint, not `always`: each
    /// forced copy cost the page's module about 400 bytes gzipped, for 1% of a simulate's time.)
    #[inline]
    fn fact(&mut self, id: FactId) -> Outcome<'a> {
        match self.scope.profile.get(id) {
            Some(v) => Ok(v.as_value()),
            None => {
                self.missing.push(id);
                Err(Undet::Missing)
            }
        }
    }

    /// A param's value.
    #[inline]
    fn param(&self, i: u16) -> Outcome<'a> {
        match self.scope.params.get(usize::from(i)) {
            Some(ParamValue::Scalar(v)) => Ok(v.as_value()),
            Some(p) => Ok(Value::Param(p)),
            None => Err(MISMATCH),
        }
    }

    /// Kleene `&&` (`decides_on` false) and `||` (`decides_on` true): a side equal to
    /// `decides_on` decides, whatever the other side is, and the other side's missing facts
    /// are then not reported.
    fn logic(&mut self, a: &'a Expr, b: &'a Expr, decides_on: bool) -> Outcome<'a> {
        let mark = self.missing.len();
        let va = self.eval(a);
        if matches!(va, Ok(Value::Bool(x)) if x == decides_on) {
            return Ok(Value::Bool(decides_on));
        }
        let vb = self.eval(b);
        if matches!(vb, Ok(Value::Bool(x)) if x == decides_on) {
            self.missing.truncate(mark);
            return Ok(Value::Bool(decides_on));
        }
        match (va, vb) {
            (Ok(Value::Bool(_)), Ok(Value::Bool(_))) => Ok(Value::Bool(!decides_on)),
            (Err(Undet::Fault(f)), _) | (_, Err(Undet::Fault(f))) => Err(Undet::Fault(f)),
            (Err(u), _) | (_, Err(u)) => Err(u),
            _ => Err(MISMATCH),
        }
    }

    fn membership(&mut self, a: &'a Expr, b: &'a Expr) -> Outcome<'a> {
        let needle = self.operand(a)?;
        if let Kind::List(items) = &b.kind {
            let mut result: Outcome<'a> = Ok(Value::Bool(false));
            for item in items {
                match self.eval(item) {
                    Ok(v) if compare(BinOp::Eq, &needle, &v)? => return Ok(Value::Bool(true)),
                    Ok(_) => {}
                    Err(u) => result = Err(u),
                }
            }
            return result;
        }
        let hay = self.operand(b)?;
        let found = match (needle, hay) {
            (Value::Str(k), Value::Param(ParamValue::Map(entries))) => entries.iter().any(|(key, _)| key == k),
            (Value::DateTime(t), Value::Param(ParamValue::Windows(ws))) => {
                ws.iter().any(|(start, end)| *start <= t && t < *end)
            }
            (v, Value::Param(ParamValue::List(items))) => {
                let mut found = false;
                for item in items {
                    if compare(BinOp::Eq, &v, &item.as_value())? {
                        found = true;
                        break;
                    }
                }
                found
            }
            _ => return Err(MISMATCH),
        };
        Ok(Value::Bool(found))
    }

    fn call(&mut self, func: Func, args: &'a [Expr]) -> Outcome<'a> {
        let s = self.scope;
        match (func, args) {
            (Func::Has, [arg]) => match &arg.kind {
                Kind::Fact(id) => Ok(Value::Bool(s.profile.get(*id).is_some())),
                _ => Err(MISMATCH),
            },
            (Func::Date, [arg]) => match self.eval(arg)? {
                Value::DateTime(t) => {
                    date_in(t, s.zone).map(Value::Date).ok_or(Undet::Fault("the date is out of range"))
                }
                Value::Never => Ok(Value::Never),
                _ => Err(MISMATCH),
            },
            (Func::FloorFen | Func::CeilFen, [arg]) => match self.eval(arg)? {
                Value::Money(d) if func == Func::FloorFen => Ok(Value::Money(d.floor_to(2))),
                Value::Money(d) => Ok(Value::Money(d.ceil_to(2))),
                _ => Err(MISMATCH),
            },
            (Func::Min | Func::Max, [a, b]) => {
                let (va, vb) = (self.eval(a), self.eval(b));
                let (va, vb) = (va?, vb?);
                let a_first = compare(if func == Func::Min { BinOp::Le } else { BinOp::Ge }, &va, &vb)?;
                let pick = if a_first { va } else { vb };
                // A money and a number literal mix as money.
                Ok(match (pick, &va, &vb) {
                    (Value::Int(_) | Value::Dec(_), Value::Money(_), _)
                    | (Value::Int(_) | Value::Dec(_), _, Value::Money(_)) => {
                        Value::Money(pick.as_dec().ok_or(MISMATCH)?)
                    }
                    (Value::Int(n), Value::Dec(_), _) | (Value::Int(n), _, Value::Dec(_)) => {
                        Value::Dec(Dec::from_int(n))
                    }
                    (p, _, _) => p,
                })
            }
            (Func::WindowEnd, [w, t]) => {
                let (vw, vt) = (self.eval(w), self.eval(t));
                match (vw?, vt?) {
                    (Value::Param(ParamValue::Windows(ws)), Value::DateTime(t)) => ws
                        .iter()
                        .find(|(start, end)| *start <= t && t < *end)
                        .map(|(_, end)| Value::DateTime(*end))
                        .ok_or(Undet::Fault("the instant is in none of the windows")),
                    _ => Err(MISMATCH),
                }
            }
            _ => Err(MISMATCH),
        }
    }
}

/// Compares two values with a comparison operator (not `in`).
fn compare(op: BinOp, a: &Value<'_>, b: &Value<'_>) -> Result<bool, Undet> {
    let ord = match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Date(x), Value::Date(y)) => x.cmp(y),
        (Value::DateTime(x), Value::DateTime(y)) => x.cmp(y),
        (Value::Version(x), Value::Version(y)) => x.cmp(y),
        (Value::Duration(x), Value::Duration(y)) => x.cmp(y),
        // `never` equals only `never`, and has no order.
        (Value::Never, Value::Never) => return Ok(matches!(op, BinOp::Eq | BinOp::Le | BinOp::Ge)),
        (Value::Never, _) | (_, Value::Never) => return Ok(op == BinOp::Ne),
        (x, y) => match (x.as_dec(), y.as_dec()) {
            (Some(x), Some(y)) => x.cmp_exact(y),
            _ => return Err(MISMATCH),
        },
    };
    Ok(match op {
        BinOp::Eq => ord.is_eq(),
        BinOp::Ne => ord.is_ne(),
        BinOp::Lt => ord.is_lt(),
        BinOp::Le => ord.is_le(),
        BinOp::Gt => ord.is_gt(),
        BinOp::Ge => ord.is_ge(),
        _ => return Err(MISMATCH),
    })
}

/// Applies `+ - * /` to two values of types the checker allowed (recourse reuses it to invert comparisons).
pub(crate) fn arithmetic<'a>(op: BinOp, a: Value<'a>, b: Value<'a>) -> Outcome<'a> {
    use Value as V;
    let dec = |f: fn(Dec, Dec) -> Result<Dec, ArithError>, x: Dec, y: Dec| f(x, y).map_err(fault);
    let f: fn(Dec, Dec) -> Result<Dec, ArithError> = match op {
        BinOp::Add => Dec::checked_add,
        BinOp::Sub => Dec::checked_sub,
        BinOp::Mul => Dec::checked_mul,
        BinOp::Div => Dec::checked_div,
        _ => return Err(MISMATCH),
    };
    match (a, b) {
        (V::Int(x), V::Int(y)) if op != BinOp::Div => {
            let r = match op {
                BinOp::Add => x.checked_add(y),
                BinOp::Sub => x.checked_sub(y),
                _ => x.checked_mul(y),
            };
            r.map(V::Int).ok_or(fault(ArithError::Overflow))
        }
        (V::Money(x), V::Money(y)) if op == BinOp::Div => dec(f, x, y).map(V::Dec),
        (V::Money(x), V::Money(y)) => dec(f, x, y).map(V::Money),
        (V::Money(x), y) => dec(f, x, y.as_dec().ok_or(MISMATCH)?).map(V::Money),
        (x, V::Money(y)) => dec(f, x.as_dec().ok_or(MISMATCH)?, y).map(V::Money),
        (V::Never, V::Duration(_)) | (V::Duration(_), V::Never) => Ok(V::Never),
        (V::Date(d), V::Duration(p)) | (V::Duration(p), V::Date(d)) => {
            p.whole_days().ok_or(Undet::Fault("a date moves only by whole days"))?;
            // `time::Duration::seconds` cannot fail; its `days` and its negation can panic.
            d.checked_add(time::Duration::seconds(signed(op, p)?))
                .filter(|d| writable_year(d.year()))
                .map(V::Date)
                .ok_or(Undet::Fault("the date is out of range"))
        }
        (V::DateTime(t), V::Duration(p)) | (V::Duration(p), V::DateTime(t)) => t
            .checked_add(time::Duration::seconds(signed(op, p)?))
            .filter(|t| writable_year(t.year()))
            .map(V::DateTime)
            .ok_or(Undet::Fault("the datetime is out of range")),
        (V::Duration(x), V::Duration(y)) => {
            let r = if op == BinOp::Sub { x.seconds.checked_sub(y.seconds) } else { x.seconds.checked_add(y.seconds) };
            r.map(|seconds| V::Duration(Duration { seconds })).ok_or(fault(ArithError::Overflow))
        }
        (x, y) => match (x.as_dec(), y.as_dec()) {
            (Some(x), Some(y)) => dec(f, x, y).map(V::Dec),
            _ => Err(MISMATCH),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn fault_of(out: Outcome<'_>) -> Option<&'static str> {
        match out {
            Err(Undet::Fault(why)) => Some(why),
            _ => None,
        }
    }

    // No pack reaches these durations (literals stop at 999999999d, only `+`/`-` combine them, and
    // an expression stops at 4096 bytes), but a moment minus the most negative one must still be a
    // fault, not the `time` crate's panic: the core never panics, whatever it is given.
    #[test]
    fn the_most_negative_duration_cannot_be_subtracted_and_says_so() {
        let most = Value::Duration(Duration { seconds: i64::MIN });
        let at = Value::DateTime(datetime!(2026-11-29 10:00 +8));
        assert_eq!(fault_of(arithmetic(BinOp::Sub, at, most)), Some("a number grew too large"));
        let day = Value::Date(date!(2026 - 11 - 29));
        let whole_days = Value::Duration(Duration { seconds: i64::MIN / 86_400 * 86_400 });
        assert_eq!(fault_of(arithmetic(BinOp::Sub, day, most)), Some("a date moves only by whole days"));
        assert_eq!(fault_of(arithmetic(BinOp::Sub, day, whole_days)), Some("the date is out of range"));
        let week = Value::Duration(Duration { seconds: 7 * 86_400 });
        let a_week_before = arithmetic(BinOp::Sub, at, week);
        assert!(matches!(a_week_before, Ok(Value::DateTime(t)) if t == datetime!(2026-11-22 10:00 +8)));
    }
}
