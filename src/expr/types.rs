//! The static checker: resolves names against the fact schema, params and rule-local values,
//! gives every node its type, folds typed literals (`date("…")`), and turns every mistake a rule
//! author can make into a message at its span — when the pack compiles, never at evaluation.

use super::syntax::{BinOp, Expr, ExprError, Func, Kind, Span, UnOp, VerdictVar};
use crate::calendar::{parse_date, parse_datetime, Version};
use crate::money::{parse_money, Dec};
use crate::schema::{suggest, Schema, STATUS_ENUM};
use crate::value::Type;

/// The names an expression may use.
pub struct Names<'a> {
    /// The pack's facts.
    pub schema: &'a Schema,
    /// The pack's params: name (without `params.`) and type; the index is the param id.
    pub params: &'a [(String, Type)],
    /// Rule-local values visible here (`amount`, `until`, `let` names, step fields), by slot.
    pub locals: &'a [(String, Type)],
}

/// What checking learnt about an expression beyond its type.
#[derive(Default, Debug, Clone, Copy)]
pub struct Usage {
    /// It reads `available` or `status`, so its rule runs after all others.
    pub reads_verdict: bool,
}

/// Checks `e` in place. Returns its type (`Type::Error` if it has errors, which are appended).
pub fn check(e: &mut Expr, names: &Names<'_>, usage: &mut Usage, errors: &mut Vec<ExprError>) -> Type {
    let mut cx = Checker { names, usage, errors };
    cx.check(e)
}

/// Checks `e` and requires its type to be `want` (money also accepts a number literal).
pub fn check_as(
    e: &mut Expr,
    want: &Type,
    what: &str,
    names: &Names<'_>,
    usage: &mut Usage,
    errors: &mut Vec<ExprError>,
) -> Type {
    let mut cx = Checker { names, usage, errors };
    let got = cx.check(e);
    if got == Type::Error {
        return got;
    }
    if *want == Type::Money && got.is_number() && coerce_money(e) {
        return Type::Money;
    }
    let fits = got == *want || (*want == Type::DateTime && matches!(got, Type::Date | Type::Never));
    if fits {
        got
    } else {
        let mut err =
            ExprError::new(e.span, format!("{what} should be {}, but this is {}", article(want), article(&got)));
        if *want == Type::Bool && got != Type::Bool {
            err = err.hint("a condition is a comparison, like `credit.overdue_days > 0`");
        } else if *want == Type::Money && got.is_number() {
            err = err.hint("multiply by an amount, like `0.5 * account.credit_limit`");
        }
        cx.errors.push(err);
        Type::Error
    }
}

fn article(t: &Type) -> String {
    match t {
        Type::Int | Type::Enum(_) => format!("an {t}"),
        Type::Money | Type::Windows => format!("{t}"),
        _ => format!("a {t}"),
    }
}

/// Turns a number literal (or its negation) into a money literal. Returns whether it was one.
fn coerce_money(e: &mut Expr) -> bool {
    let d = match &e.kind {
        Kind::Int(n) => Dec::from_int(*n),
        Kind::Dec(d) => *d,
        Kind::Unary(UnOp::Neg, inner) => match &inner.kind {
            Kind::Int(n) => Dec::from_int(n.saturating_neg()),
            Kind::Dec(d) => match d.checked_neg() {
                Ok(d) => d,
                Err(_) => return false,
            },
            _ => return false,
        },
        _ => return false,
    };
    e.kind = Kind::Money(d);
    e.ty = Type::Money;
    true
}

fn is_str_literal(e: &Expr) -> Option<&str> {
    match &e.kind {
        Kind::Str(s) => Some(s),
        _ => None,
    }
}

struct Checker<'n, 'a> {
    names: &'n Names<'a>,
    usage: &'n mut Usage,
    errors: &'n mut Vec<ExprError>,
}

impl Checker<'_, '_> {
    fn err(&mut self, span: Span, msg: impl Into<String>) -> Type {
        self.errors.push(ExprError::new(span, msg));
        Type::Error
    }

    fn err_hint(&mut self, span: Span, msg: impl Into<String>, hint: impl Into<String>) -> Type {
        self.errors.push(ExprError::new(span, msg).hint(hint));
        Type::Error
    }

    fn check(&mut self, e: &mut Expr) -> Type {
        let ty = self.infer(e);
        e.ty = ty.clone();
        ty
    }

    fn infer(&mut self, e: &mut Expr) -> Type {
        let span = e.span;
        match &mut e.kind {
            Kind::Int(_) => Type::Int,
            Kind::Dec(_) => Type::Dec,
            Kind::Money(_) => Type::Money,
            Kind::Str(_) => Type::Str,
            Kind::Bool(_) => Type::Bool,
            Kind::Never => Type::Never,
            Kind::Duration(_) => Type::Duration,
            Kind::Date(_) => Type::Date,
            Kind::DateTime(_) => Type::DateTime,
            Kind::Version(_) => Type::Version,
            Kind::Fact(id) => self.names.schema.fact(*id).map(|f| f.kind.ty()).unwrap_or(Type::Error),
            Kind::Param(i) => self.names.params.get(usize::from(*i)).map(|(_, t)| t.clone()).unwrap_or(Type::Error),
            Kind::Local(i) => self.names.locals.get(usize::from(*i)).map(|(_, t)| t.clone()).unwrap_or(Type::Error),
            Kind::AsOf => Type::DateTime,
            Kind::Verdict(VerdictVar::Available) => Type::Money,
            Kind::Verdict(VerdictVar::Status) => Type::Enum(STATUS_ENUM),
            Kind::Name(name) => {
                let name = core::mem::take(name);
                match self.resolve(&name, span) {
                    Some((kind, ty)) => {
                        e.kind = kind;
                        ty
                    }
                    None => {
                        e.kind = Kind::Name(name);
                        Type::Error
                    }
                }
            }
            Kind::List(_) => {
                self.err_hint(span, "a list can only stand on the right of `in`", "write `x in [\"A\", \"B\"]`")
            }
            Kind::Unary(op, inner) => {
                let op = *op;
                let t = self.check(inner);
                match (op, &t) {
                    (_, Type::Error) => Type::Error,
                    (UnOp::Not, Type::Bool) => Type::Bool,
                    (UnOp::Neg, Type::Int | Type::Dec | Type::Money | Type::Duration) => t,
                    (UnOp::Not, _) => self.err(span, format!("`!` needs a bool, but this is {}", article(&t))),
                    (UnOp::Neg, _) => self.err(span, format!("`-` needs a number, but this is {}", article(&t))),
                }
            }
            Kind::Binary(op, a, b) => {
                let op = *op;
                self.binary(op, a, b, span)
            }
            Kind::Index(map, key) => {
                let tm = self.check(map);
                let tk = self.check(key);
                match (&tm, &tk) {
                    (Type::Error, _) | (_, Type::Error) => Type::Error,
                    (Type::Map(v), Type::Str | Type::Enum(_)) => (**v).clone(),
                    (Type::Map(_), _) => {
                        self.err(key.span, format!("a map's keys are strings, but this is {}", article(&tk)))
                    }
                    _ => self
                        .err(map.span, format!("only a map can be indexed with `[ ]`, but this is {}", article(&tm))),
                }
            }
            Kind::Call(func, args) => {
                let func = *func;
                match self.call(func, args, span) {
                    Ok(Folded::Type(t)) => t,
                    Ok(Folded::Literal(kind, t)) => {
                        e.kind = kind;
                        t
                    }
                    Err(()) => Type::Error,
                }
            }
        }
    }

    /// A dotted name: a local, a built-in, a param or a fact.
    fn resolve(&mut self, name: &str, span: Span) -> Option<(Kind, Type)> {
        // The latest local of a name wins, so a step's `amount` shadows its rule's.
        if let Some((i, (_, t))) = self.names.locals.iter().enumerate().rev().find(|(_, (n, _))| n == name) {
            return Some((Kind::Local(u16::try_from(i).ok()?), t.clone()));
        }
        match name {
            "as_of" => return Some((Kind::AsOf, Type::DateTime)),
            "available" => {
                self.usage.reads_verdict = true;
                return Some((Kind::Verdict(VerdictVar::Available), Type::Money));
            }
            "status" => {
                self.usage.reads_verdict = true;
                return Some((Kind::Verdict(VerdictVar::Status), Type::Enum(STATUS_ENUM)));
            }
            _ => {}
        }
        if let Some(param) = name.strip_prefix("params.") {
            if let Some((i, (_, t))) = self.names.params.iter().enumerate().find(|(_, (n, _))| n == param) {
                return Some((Kind::Param(u16::try_from(i).ok()?), t.clone()));
            }
            let hint = match suggest(param, self.names.params.iter().map(|(n, _)| n.as_str())) {
                Some(s) => format!("did you mean `params.{s}`?"),
                None => "declare it in the pack's [params] table".into(),
            };
            self.err_hint(span, format!("unknown param `{name}`"), hint);
            return None;
        }
        if let Some(id) = self.names.schema.lookup(name) {
            let ty = self.names.schema.fact(id)?.kind.ty();
            return Some((Kind::Fact(id), ty));
        }
        let locals = self.names.locals.iter().map(|(n, _)| n.as_str());
        let builtins = ["as_of", "available", "status"];
        let candidates: Vec<&str> = self.names.schema.paths().chain(locals).chain(builtins).collect();
        let hint = match suggest(name, candidates) {
            Some(s) => format!("did you mean `{s}`?"),
            None if !name.contains('.') => {
                "facts are written `group.field`, like `credit.overdue_days`; params `params.name`".into()
            }
            None => "declare it under [facts] in the pack".into(),
        };
        self.err_hint(span, format!("unknown name `{name}`"), hint);
        None
    }

    fn binary(&mut self, op: BinOp, a: &mut Expr, b: &mut Expr, span: Span) -> Type {
        if op == BinOp::In {
            return self.membership(a, b, span);
        }
        let ta = self.check(a);
        let tb = self.check(b);
        if ta == Type::Error || tb == Type::Error {
            return Type::Error;
        }
        match op {
            BinOp::And | BinOp::Or => {
                for (e, t) in [(&*a, &ta), (&*b, &tb)] {
                    if *t != Type::Bool {
                        let msg = format!("`{}` needs bools on both sides, but this is {}", op.symbol(), article(t));
                        return self.err(e.span, msg);
                    }
                }
                Type::Bool
            }
            BinOp::Eq | BinOp::Ne => self.comparable(op, a, b, false).map_or(Type::Error, |_| Type::Bool),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                self.comparable(op, a, b, true).map_or(Type::Error, |_| Type::Bool)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => self.arithmetic(op, a, b, span),
            BinOp::In => Type::Error,
        }
    }

    /// Whether `a` and `b` can be compared (ordered or not); coerces number literals next to money.
    fn comparable(&mut self, op: BinOp, a: &mut Expr, b: &mut Expr, ordered: bool) -> Result<Type, ()> {
        let (ta, tb) = (a.ty.clone(), b.ty.clone());
        let span = Span { start: a.span.start, end: b.span.end };
        if ta == Type::Money && tb.is_number() && coerce_money(b)
            || tb == Type::Money && ta.is_number() && coerce_money(a)
        {
            return Ok(Type::Money);
        }
        let ok_ordered = |t: &Type| {
            matches!(
                t,
                Type::Int
                    | Type::Dec
                    | Type::Money
                    | Type::Date
                    | Type::DateTime
                    | Type::Version
                    | Type::Duration
                    | Type::Never
            )
        };
        let same = match (&ta, &tb) {
            (x, y) if x.is_number() && y.is_number() => true,
            (Type::Enum(i), Type::Enum(j)) => i == j,
            (Type::Enum(id), Type::Str) | (Type::Str, Type::Enum(id)) => {
                let lit = is_str_literal(a).or_else(|| is_str_literal(b)).map(str::to_string);
                if let Some(lit) = lit {
                    self.enum_literal(*id, &lit, if is_str_literal(a).is_some() { a.span } else { b.span })?;
                }
                true
            }
            (Type::Never, t) | (t, Type::Never) => t.takes_never(),
            (x, y) => x == y,
        };
        if !same {
            let msg = format!("cannot compare {} with {}", article(&ta), article(&tb));
            let hint = match (&ta, &tb) {
                (Type::Date, Type::DateTime) | (Type::DateTime, Type::Date) => {
                    Some("take the date of the datetime with `date(...)`, like `date(as_of)`")
                }
                (Type::Version, Type::Str) | (Type::Str, Type::Version) => {
                    Some("write the version as `version(\"8.0.0\")`")
                }
                (Type::Money, _) | (_, Type::Money) => {
                    Some("money compares with money, or with a number written in the rule")
                }
                _ => None,
            };
            let err = ExprError::new(span, msg);
            self.errors.push(match hint {
                Some(h) => err.hint(h),
                None => err,
            });
            return Err(());
        }
        if ordered && !(ok_ordered(&ta) && ok_ordered(&tb)) {
            let msg = format!("`{}` needs values with an order, but this compares {}", op.symbol(), article(&ta));
            self.errors.push(ExprError::new(span, msg).hint("use `==` or `!=` for strings, enums and bools"));
            return Err(());
        }
        Ok(ta)
    }

    fn enum_literal(&mut self, id: u16, lit: &str, span: Span) -> Result<(), ()> {
        let values = self.names.schema.enum_values(id);
        if values.iter().any(|v| v == lit) {
            return Ok(());
        }
        let list: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
        let hint = match suggest(lit, values.iter().map(String::as_str)) {
            Some(s) => format!("did you mean \"{s}\"? The values are {}", list.join(", ")),
            None => format!("the values are {}", list.join(", ")),
        };
        self.errors.push(ExprError::new(span, format!("\"{lit}\" is not one of the values this can take")).hint(hint));
        Err(())
    }

    fn arithmetic(&mut self, op: BinOp, a: &mut Expr, b: &mut Expr, span: Span) -> Type {
        use Type as T;
        let (ta, tb) = (a.ty.clone(), b.ty.clone());
        let result = match (op, &ta, &tb) {
            (_, T::Int, T::Int) if op != BinOp::Div => Some(T::Int),
            (_, x, y) if x.is_number() && y.is_number() => Some(T::Dec),
            (BinOp::Add | BinOp::Sub, T::Money, T::Money) => Some(T::Money),
            (BinOp::Add | BinOp::Sub, T::Money, n) if n.is_number() => coerce_money(b).then_some(T::Money),
            (BinOp::Add | BinOp::Sub, n, T::Money) if n.is_number() => coerce_money(a).then_some(T::Money),
            (BinOp::Mul, T::Money, n) | (BinOp::Mul, n, T::Money) if n.is_number() => Some(T::Money),
            (BinOp::Div, T::Money, n) if n.is_number() => Some(T::Money),
            (BinOp::Div, T::Money, T::Money) => Some(T::Dec),
            (BinOp::Add | BinOp::Sub, T::Date | T::DateTime | T::Never, T::Duration) => Some(ta.clone()),
            (BinOp::Add, T::Duration, T::Date | T::DateTime | T::Never) => Some(tb.clone()),
            (BinOp::Add | BinOp::Sub, T::Duration, T::Duration) => Some(T::Duration),
            _ => None,
        };
        match result {
            Some(t) => t,
            None => {
                let msg = format!("cannot apply `{}` to {} and {}", op.symbol(), article(&ta), article(&tb));
                let hint = match (op, &ta, &tb) {
                    (BinOp::Mul, T::Money, T::Money) => "multiply money by a number, like `0.5 * account.credit_limit`",
                    (BinOp::Add | BinOp::Sub, T::Money, _) | (BinOp::Add | BinOp::Sub, _, T::Money) => {
                        "add money to money; a number written in the rule counts as CNY"
                    }
                    (_, T::Date | T::DateTime, _) => "move dates and datetimes by a duration, like `+ 30d` or `+ 24h`",
                    _ => "",
                };
                let err = ExprError::new(span, msg);
                self.errors.push(if hint.is_empty() { err } else { err.hint(hint) });
                T::Error
            }
        }
    }

    fn membership(&mut self, a: &mut Expr, b: &mut Expr, span: Span) -> Type {
        let ta = self.check(a);
        if let Kind::List(items) = &mut b.kind {
            let mut ok = ta != Type::Error;
            for item in items.iter_mut() {
                let ti = self.check(item);
                if ti == Type::Error || ta == Type::Error {
                    ok = false;
                    continue;
                }
                let item_span = item.span;
                let fits = match (&ta, &ti) {
                    (Type::Enum(id), Type::Str) => match is_str_literal(item).map(str::to_string) {
                        Some(lit) => self.enum_literal(*id, &lit, item_span).is_ok(),
                        None => true,
                    },
                    (Type::Money, n) if n.is_number() => coerce_money(item),
                    (x, y) if x.is_number() && y.is_number() => true,
                    (x, y) => x == y,
                };
                if !fits {
                    self.err(
                        item_span,
                        format!("this list item is {}, but the value tested is {}", article(&ti), article(&ta)),
                    );
                    ok = false;
                }
            }
            b.ty = Type::List(Box::new(ta.clone()));
            return if ok { Type::Bool } else { Type::Error };
        }
        let tb = self.check(b);
        match (&ta, &tb) {
            (Type::Error, _) | (_, Type::Error) => Type::Error,
            (Type::Str | Type::Enum(_), Type::Map(_)) => Type::Bool,
            (Type::DateTime, Type::Windows) => Type::Bool,
            (Type::Enum(_), Type::List(t)) if **t == Type::Str => Type::Bool,
            (x, Type::List(t)) if x == &**t || (x.is_number() && t.is_number()) => Type::Bool,
            (_, Type::List(t)) => self.err(span, format!("cannot look for {} in a list of {t}", article(&ta))),
            (_, Type::Windows) => {
                self.err_hint(span, "only a datetime can be in time windows", "write `as_of in params.windows`")
            }
            _ => self
                .err(b.span, format!("`in` needs a list, a map or windows on its right, but this is {}", article(&tb))),
        }
    }

    fn call(&mut self, func: Func, args: &mut [Expr], span: Span) -> Result<Folded, ()> {
        let arity = match func {
            Func::Min | Func::Max | Func::WindowEnd => 2,
            _ => 1,
        };
        if args.len() != arity {
            let msg = format!(
                "`{}` takes {arity} argument{}, not {}",
                func.name(),
                if arity == 1 { "" } else { "s" },
                args.len()
            );
            self.err(span, msg);
            return Err(());
        }
        // The literal forms: `date("2026-12-06")`, `datetime("…")`, `version("…")`, `money("…")`.
        if let [arg] = &*args {
            if let Some(text) = is_str_literal(arg) {
                let folded = match func {
                    Func::Date => {
                        parse_date(text).map(|d| (Kind::Date(d), Type::Date)).ok_or("a date that exists, as YYYY-MM-DD")
                    }
                    Func::DateTime => parse_datetime(text)
                        .map(|d| (Kind::DateTime(d), Type::DateTime))
                        .ok_or("an RFC 3339 datetime with an offset"),
                    Func::Version => Version::parse(text)
                        .map(|v| (Kind::Version(v), Type::Version))
                        .ok_or("1 to 4 dot-separated numbers, like \"8.0.0\""),
                    Func::Money => parse_money(text)
                        .map(|d| (Kind::Money(d), Type::Money))
                        .map_err(|_| "an amount with at most 2 decimals, like \"200000.00\""),
                    _ => Err(""),
                };
                match folded {
                    Ok((kind, ty)) => return Ok(Folded::Literal(kind, ty)),
                    Err(want) if !want.is_empty() => {
                        self.err(arg.span, format!("`{}(\"{text}\")` needs {want}", func.name()));
                        return Err(());
                    }
                    Err(_) => {}
                }
            }
        }
        if func == Func::Has {
            let [arg] = args else { return Err(()) };
            let t = self.check(arg);
            return match (&arg.kind, t) {
                (_, Type::Error) => Err(()),
                (Kind::Fact(_), _) => Ok(Folded::Type(Type::Bool)),
                _ => {
                    self.err_hint(arg.span, "`has` takes a fact", "like `has(request.amount)`");
                    Err(())
                }
            };
        }
        let mut types = Vec::with_capacity(args.len());
        for arg in args.iter_mut() {
            types.push(self.check(arg));
        }
        if types.contains(&Type::Error) {
            return Err(());
        }
        let t = match (func, args) {
            (Func::Date, [a]) => match &a.ty {
                Type::DateTime | Type::Never => Type::Date,
                other => {
                    return self.fail(
                        a.span,
                        format!("`date` takes a datetime (or a \"YYYY-MM-DD\" string), not {}", article(other)),
                    )
                }
            },
            (Func::DateTime | Func::Version | Func::Money, [a]) => {
                return self
                    .fail(a.span, format!("`{}` takes a string literal, like {}(\"…\")", func.name(), func.name()))
            }
            (Func::FloorFen | Func::CeilFen, [a]) => match &a.ty {
                Type::Money => Type::Money,
                other => return self.fail(a.span, format!("`{}` takes money, not {}", func.name(), article(other))),
            },
            (Func::Min | Func::Max, [a, b]) => {
                let t = self.comparable(BinOp::Lt, a, b, true)?;
                match (&a.ty, &b.ty) {
                    (Type::Int, Type::Int) => Type::Int,
                    (x, y) if x.is_number() && y.is_number() => Type::Dec,
                    _ if a.ty == Type::Money || b.ty == Type::Money => Type::Money,
                    _ => t,
                }
            }
            (Func::WindowEnd, [w, t]) => match (&w.ty, &t.ty) {
                (Type::Windows, Type::DateTime) => Type::DateTime,
                _ => return self.fail(
                    span,
                    "`window_end` takes windows and a datetime, like `window_end(params.maintenance_windows, as_of)`",
                ),
            },
            _ => return Err(()),
        };
        Ok(Folded::Type(t))
    }

    fn fail(&mut self, span: Span, msg: impl Into<String>) -> Result<Folded, ()> {
        self.err(span, msg);
        Err(())
    }
}

enum Folded {
    Type(Type),
    Literal(Kind, Type),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::syntax::parse;
    use crate::schema::FactKind;

    fn schema() -> Schema {
        let mut s = Schema::new();
        let status = s.add_enum(vec!["active".into(), "frozen".into(), "closed".into()]);
        s.add_fact("account", "status", FactKind::Enum(status), false, None);
        s.add_fact("account", "credit_limit", FactKind::Money, false, None);
        s.add_fact("account", "id_expiry", FactKind::Date, false, None);
        s.add_fact("account", "app_version", FactKind::Version, false, None);
        s.add_fact("credit", "overdue_days", FactKind::Int { min: 0, max: 1000 }, false, None);
        s
    }

    fn errors(src: &str) -> Vec<String> {
        let schema = schema();
        let params =
            vec![("paused_regions".to_string(), Type::List(Box::new(Type::Str))), ("factor".to_string(), Type::Dec)];
        let names = Names { schema: &schema, params: &params, locals: &[] };
        let mut e = match parse(src) {
            Ok(e) => e,
            Err(e) => return vec![e.message],
        };
        let mut errs = Vec::new();
        check_as(&mut e, &Type::Bool, "the condition", &names, &mut Usage::default(), &mut errs);
        errs.into_iter()
            .map(|e| {
                format!(
                    "{}..{} {}{}",
                    e.span.start,
                    e.span.end,
                    e.message,
                    e.hint.map(|h| format!(" ({h})")).unwrap_or_default()
                )
            })
            .collect()
    }

    #[test]
    fn good_conditions_check() {
        for src in [
            "account.status == \"frozen\"",
            "account.credit_limit > 200000.00",
            "account.credit_limit * params.factor < 100",
            "account.id_expiry < date(as_of)",
            "account.app_version < version(\"8.0.0\")",
            "credit.overdue_days > 0 && !(account.status in [\"closed\", \"frozen\"])",
            "account.id_expiry + 30d > date(\"2026-01-01\")",
        ] {
            assert_eq!(errors(src), Vec::<String>::new(), "{src}");
        }
    }

    #[test]
    fn mistakes_are_caught_with_hints() {
        assert_eq!(
            errors("account.credti_limit > 0"),
            ["0..20 unknown name `account.credti_limit` (did you mean `account.credit_limit`?)"]
        );
        assert_eq!(errors("account.id_expiry < as_of"), ["0..25 cannot compare a date with a datetime (take the date of the datetime with `date(...)`, like `date(as_of)`)"]);
        assert_eq!(
            errors("account.status == \"frozzen\""),
            ["18..27 \"frozzen\" is not one of the values this can take (did you mean \"frozen\"? The values are \"active\", \"frozen\", \"closed\")"]
        );
        assert_eq!(
            errors("params.paused_region == 1"),
            ["0..20 unknown param `params.paused_region` (did you mean `params.paused_regions`?)"]
        );
        assert_eq!(errors("credit.overdue_days"), ["0..19 the condition should be a bool, but this is an int (a condition is a comparison, like `credit.overdue_days > 0`)"]);
        assert_eq!(errors("account.credit_limit * account.credit_limit > 1"), ["0..43 cannot apply `*` to money and money (multiply money by a number, like `0.5 * account.credit_limit`)"]);
        assert_eq!(
            errors("account.app_version < \"8.0.0\""),
            ["0..29 cannot compare a version with a string (write the version as `version(\"8.0.0\")`)"]
        );
        assert_eq!(
            errors("date(\"2030-02-30\") > account.id_expiry"),
            ["5..17 `date(\"2030-02-30\")` needs a date that exists, as YYYY-MM-DD"]
        );
    }
}
