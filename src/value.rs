//! Values and their static types: what facts, params and expressions are made of.

use crate::calendar::{Duration, Version};
use crate::money::Dec;
use core::fmt;
use time::{Date, OffsetDateTime};

/// An enum's index in the pack's schema ([`crate::schema::Schema::enum_values`]).
pub type EnumId = u16;

/// The static type of a fact, a param or an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Int,
    /// An exact decimal number.
    Dec,
    /// An exact amount of CNY.
    Money,
    /// Text.
    Str,
    /// One of a fixed set of strings.
    Enum(EnumId),
    /// A calendar date.
    Date,
    /// An instant with an offset.
    DateTime,
    /// A length of time (`24h`).
    Duration,
    /// An app version.
    Version,
    /// The literal `never`, which fits any date or datetime.
    Never,
    /// A list of one element type.
    List(Box<Type>),
    /// A map from strings to one value type.
    Map(Box<Type>),
    /// A list of `[start, end)` datetime windows.
    Windows,
    /// The type of an expression that already has an error (so one mistake makes one message).
    Error,
}

impl Type {
    /// Numbers that mix freely: int and decimal.
    pub fn is_number(&self) -> bool {
        matches!(self, Type::Int | Type::Dec)
    }

    /// Whether `never` can stand for a value of this type.
    pub fn takes_never(&self) -> bool {
        matches!(self, Type::Date | Type::DateTime | Type::Never)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int"),
            Type::Dec => f.write_str("decimal"),
            Type::Money => f.write_str("money"),
            Type::Str => f.write_str("string"),
            Type::Enum(_) => f.write_str("enum"),
            Type::Date => f.write_str("date"),
            Type::DateTime => f.write_str("datetime"),
            Type::Duration => f.write_str("duration"),
            Type::Version => f.write_str("version"),
            Type::Never => f.write_str("never"),
            Type::List(t) => write!(f, "list of {t}"),
            Type::Map(t) => write!(f, "map of {t}"),
            Type::Windows => f.write_str("windows"),
            Type::Error => f.write_str("(error)"),
        }
    }
}

/// `"text"` with `"` and `\` escaped: how messages and traces show a string. (Not `{:?}`, whose
/// Unicode escaping tables cost the wasm module kilobytes for text nobody needs escaped.)
pub fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for ch in s.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// An owned scalar: a profile fact's value or a param's.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// bool
    Bool(bool),
    /// int
    Int(i64),
    /// decimal
    Dec(Dec),
    /// money (exact, at most 2 decimals in a profile)
    Money(Dec),
    /// string or enum value
    Str(String),
    /// date
    Date(Date),
    /// datetime
    DateTime(OffsetDateTime),
    /// version
    Version(Version),
    /// a `null = "never"` fact that never happened
    Never,
}

impl Scalar {
    /// A borrowed view for evaluation (inlined: every fact and param read goes through it).
    #[inline(always)]
    pub fn as_value(&self) -> Value<'_> {
        match self {
            Scalar::Bool(b) => Value::Bool(*b),
            Scalar::Int(i) => Value::Int(*i),
            Scalar::Dec(d) => Value::Dec(*d),
            Scalar::Money(d) => Value::Money(*d),
            Scalar::Str(s) => Value::Str(s),
            Scalar::Date(d) => Value::Date(*d),
            Scalar::DateTime(t) => Value::DateTime(*t),
            Scalar::Version(v) => Value::Version(*v),
            Scalar::Never => Value::Never,
        }
    }
}

impl Value<'_> {
    /// An owned copy, if the value is a scalar a fact can hold.
    pub fn to_scalar(&self) -> Option<Scalar> {
        Some(match self {
            Value::Bool(b) => Scalar::Bool(*b),
            Value::Int(i) => Scalar::Int(*i),
            Value::Dec(d) => Scalar::Dec(*d),
            Value::Money(d) => Scalar::Money(*d),
            Value::Str(s) => Scalar::Str((*s).to_string()),
            Value::Date(d) => Scalar::Date(*d),
            Value::DateTime(t) => Scalar::DateTime(*t),
            Value::Version(v) => Scalar::Version(*v),
            Value::Never => Scalar::Never,
            Value::Duration(_) | Value::Param(_) => return None,
        })
    }
}

/// A param: a scalar, or one of the composite shapes rules can test membership in.
#[derive(Clone, Debug, PartialEq)]
pub enum ParamValue {
    /// One value.
    Scalar(Scalar),
    /// `["CN-HI"]`
    List(Vec<Scalar>),
    /// `{ C = 0.7 }`, in key order.
    Map(Vec<(String, Scalar)>),
    /// `[{ start = …, end = … }]`
    Windows(Vec<(OffsetDateTime, OffsetDateTime)>),
}

/// A value during evaluation; strings and composites borrow from the profile or the pack.
#[derive(Clone, Copy, Debug)]
pub enum Value<'a> {
    /// bool
    Bool(bool),
    /// int
    Int(i64),
    /// decimal
    Dec(Dec),
    /// money, exact (rounded only when it becomes a figure a user sees)
    Money(Dec),
    /// string or enum value
    Str(&'a str),
    /// date
    Date(Date),
    /// datetime
    DateTime(OffsetDateTime),
    /// duration
    Duration(Duration),
    /// version
    Version(Version),
    /// never happened
    Never,
    /// a list, map or windows param
    Param(&'a ParamValue),
}

impl Value<'_> {
    /// The bool inside, if it is one.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A decimal view of a number or an amount.
    pub fn as_dec(&self) -> Option<Dec> {
        match self {
            Value::Int(i) => Some(Dec::from_int(*i)),
            Value::Dec(d) | Value::Money(d) => Some(*d),
            _ => None,
        }
    }
}

impl fmt::Display for Value<'_> {
    /// Plain, locale-free text, as the trace and diagnostics show values.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Dec(d) => write!(f, "{d}"),
            Value::Money(d) => write!(f, "¥{d}"),
            Value::Str(s) => f.write_str(&quoted(s)),
            Value::Date(d) => write!(f, "{d}"),
            Value::DateTime(t) => f.write_str(&crate::calendar::format_rfc3339(*t)),
            Value::Duration(s) => write!(f, "{s}"),
            Value::Version(v) => write!(f, "{v}"),
            Value::Never => f.write_str("never"),
            Value::Param(ParamValue::List(items)) => write!(f, "[{} items]", items.len()),
            Value::Param(ParamValue::Map(items)) => write!(f, "{{{} keys}}", items.len()),
            Value::Param(ParamValue::Windows(w)) => write!(f, "[{} windows]", w.len()),
            Value::Param(ParamValue::Scalar(s)) => write!(f, "{}", s.as_value()),
        }
    }
}
