//! Params: a value's type comes from how the TOML writes it (docs/rule-pack.md, "Params").
//! Numbers are read from the text they were written with, so `0.7` is exactly seven tenths.

use crate::calendar::{parse_date, parse_datetime, Version};
use crate::money::{parse_money, Dec};
use crate::value::{ParamValue, Scalar, Type};
use toml::de::{DeTable, DeValue};

/// What is wrong with a param, and a hint.
pub type ParamError = (String, Option<&'static str>);

/// A param's value and type.
pub fn param_value(v: &DeValue<'_>) -> Result<(ParamValue, Type), ParamError> {
    match v {
        DeValue::Array(items) if !items.is_empty() && items.iter().all(|i| is_window(i.get_ref())) => {
            let mut windows = Vec::with_capacity(items.len());
            for item in items {
                let DeValue::Table(t) = item.get_ref() else { continue };
                windows.push(window(t)?);
            }
            Ok((ParamValue::Windows(windows), Type::Windows))
        }
        DeValue::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            let mut ty: Option<Type> = None;
            for item in items {
                let (s, t) = scalar(item.get_ref())?;
                ty = Some(same_type(ty, t, "list")?);
                out.push(s);
            }
            Ok((ParamValue::List(out), Type::List(Box::new(ty.unwrap_or(Type::Str)))))
        }
        DeValue::Table(t) if is_typed_scalar(t) => {
            let (s, ty) = scalar(v)?;
            Ok((ParamValue::Scalar(s), ty))
        }
        DeValue::Table(t) => {
            let mut out = Vec::with_capacity(t.len());
            let mut ty: Option<Type> = None;
            for (k, item) in t.iter() {
                let (s, t) = scalar(item.get_ref())?;
                ty = Some(same_type(ty, t, "map")?);
                out.push((k.get_ref().to_string(), s));
            }
            Ok((ParamValue::Map(out), Type::Map(Box::new(ty.unwrap_or(Type::Str)))))
        }
        other => {
            let (s, t) = scalar(other)?;
            Ok((ParamValue::Scalar(s), t))
        }
    }
}

fn is_window(v: &DeValue<'_>) -> bool {
    matches!(v, DeValue::Table(t) if t.contains_key("start"))
}

/// `{ money = "…" }` and `{ version = "…" }` are single typed values, not maps.
fn is_typed_scalar(t: &DeTable<'_>) -> bool {
    t.len() == 1 && (t.contains_key("money") || t.contains_key("version"))
}

fn same_type(prev: Option<Type>, next: Type, what: &str) -> Result<Type, ParamError> {
    match prev {
        Some(p) if p.is_number() && next.is_number() => Ok(if p == Type::Int { next } else { p }),
        Some(p) if p != next => Err((format!("a {what} mixes {p} and {next}"), Some("all items have one type"))),
        _ => Ok(next),
    }
}

fn window(t: &DeTable<'_>) -> Result<(time::OffsetDateTime, time::OffsetDateTime), ParamError> {
    let instant = |key: &str| match t.get(key).map(|v| v.get_ref()) {
        Some(DeValue::Datetime(d)) => parse_datetime(&d.to_string()),
        _ => None,
    };
    let (Some(start), Some(end)) = (instant("start"), instant("end")) else {
        return Err((
            "a window needs start and end datetimes with an offset".into(),
            Some("like { start = 2026-12-06T01:00:00+08:00, end = 2026-12-06T05:00:00+08:00 }"),
        ));
    };
    if t.len() != 2 {
        return Err(("a window has only start and end".into(), None));
    }
    if end <= start {
        return Err(("a window must end after it starts".into(), None));
    }
    Ok((start, end))
}

fn scalar(v: &DeValue<'_>) -> Result<(Scalar, Type), ParamError> {
    Ok(match v {
        DeValue::Integer(i) => {
            let n = if i.radix() == 10 { i.as_str().parse::<i64>().ok() } else { None };
            (Scalar::Int(n.ok_or(("this whole number is out of range".to_string(), None))?), Type::Int)
        }
        DeValue::Float(f) => {
            let d = Dec::parse(f.as_str().trim_start_matches('+'));
            let hint = Some("write a plain decimal like 0.7 (no exponent, inf or nan)");
            (Scalar::Dec(d.ok_or((format!("{} cannot be an exact decimal", f.as_str()), hint))?), Type::Dec)
        }
        DeValue::String(s) => (Scalar::Str(s.to_string()), Type::Str),
        DeValue::Boolean(b) => (Scalar::Bool(*b), Type::Bool),
        DeValue::Datetime(d) => {
            let text = d.to_string();
            if let Some(t) = parse_datetime(&text) {
                (Scalar::DateTime(t), Type::DateTime)
            } else if let Some(day) = parse_date(&text) {
                (Scalar::Date(day), Type::Date)
            } else {
                return Err((format!("{text} needs an offset"), Some("like 2026-11-15T00:00:00+08:00")));
            }
        }
        DeValue::Table(t) if is_typed_scalar(t) => {
            let text = |key: &str| match t.get(key).map(|v| v.get_ref()) {
                Some(DeValue::String(s)) => Some(s.to_string()),
                _ => None,
            };
            match (text("money"), text("version")) {
                (Some(m), _) => match parse_money(&m) {
                    Ok(d) => (Scalar::Money(d), Type::Money),
                    Err(e) => return Err((format!("{{ money = \"{m}\" }} {e}"), None)),
                },
                (_, Some(v)) => match Version::parse(&v) {
                    Some(ver) => (Scalar::Version(ver), Type::Version),
                    None => {
                        return Err((
                            format!("\"{v}\" is not a version"),
                            Some("1 to 4 dot-separated numbers, like \"8.0.0\""),
                        ))
                    }
                },
                _ => {
                    return Err((
                        "a typed value is { money = \"…\" } or { version = \"…\" }, with a string".into(),
                        None,
                    ))
                }
            }
        }
        DeValue::Table(_) | DeValue::Array(_) => {
            return Err(("lists and maps hold single values, not lists or tables".into(), None));
        }
    })
}
