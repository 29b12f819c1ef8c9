//! Profiles: a borrower's facts, read from JSON (or any serde source, such as a JS object) and
//! validated against a pack's schema while they are read, so that every error carries the
//! position the reader knows (line and column for JSON text).

use crate::calendar::{parse_date, parse_datetime, Version};
use crate::i18n::Locale;
use crate::money::{parse_money, Dec};
use crate::schema::{suggest, Fact, FactId, FactKind, Schema};
use crate::value::{quoted, Scalar};
use core::fmt;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use std::borrow::Cow;
use time::OffsetDateTime;

/// One borrower's facts at one instant.
#[derive(Clone, Debug, PartialEq)]
pub struct Profile {
    /// The evaluation instant; the borrower's zone is its offset.
    pub as_of: OffsetDateTime,
    /// The language the borrower asked for, if any.
    pub locale: Option<Locale>,
    values: Vec<Option<Scalar>>,
}

impl Profile {
    /// A profile with no facts given.
    pub fn empty(schema: &Schema, as_of: OffsetDateTime) -> Profile {
        Profile { as_of, locale: None, values: vec![None; schema.facts().len()] }
    }

    /// A fact's value, if the profile gives it.
    pub fn get(&self, id: FactId) -> Option<&Scalar> {
        self.values.get(usize::from(id)).and_then(Option::as_ref)
    }

    /// A fact's value, to change in place (a population refilling one profile for each borrower
    /// keeps a text's buffer instead of allocating another).
    pub fn get_mut(&mut self, id: FactId) -> Option<&mut Scalar> {
        self.values.get_mut(usize::from(id)).and_then(Option::as_mut)
    }

    /// Sets (or with `None`, removes) a fact. Ids outside the schema are ignored.
    pub fn set(&mut self, id: FactId, value: Option<Scalar>) {
        if let Some(slot) = self.values.get_mut(usize::from(id)) {
            *slot = value;
        }
    }
}

/// Why a profile could not be read: one message, with the position where the reader knows it.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ProfileError {
    /// What is wrong, naming the field.
    pub message: String,
    /// 1-based line in JSON text (0 when there is no text position).
    pub line: usize,
    /// 1-based column in JSON text (0 when there is no text position).
    pub column: usize,
}

impl fmt::Display for ProfileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

/// The largest profile text accepted (a real profile is under 2 KB).
pub const MAX_PROFILE_BYTES: usize = 64 * 1024;

/// Reads a profile from JSON text.
pub fn from_json(schema: &Schema, text: &str) -> Result<Profile, ProfileError> {
    if text.len() > MAX_PROFILE_BYTES {
        return Err(ProfileError {
            message: format!("the profile is {} bytes; at most {MAX_PROFILE_BYTES} are accepted", text.len()),
            line: 1,
            column: 1,
        });
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let profile = ProfileSeed(schema).deserialize(&mut de).and_then(|p| de.end().map(|()| p));
    profile.map_err(|e| {
        let (line, column) = (e.line(), e.column());
        let full = e.to_string();
        let suffix = format!(" at line {line} column {column}");
        let message = full.strip_suffix(&suffix).unwrap_or(&full).to_string();
        // serde_json reports column 0 for an error found before the first character of a line
        // was consumed (`[1]` as a profile); the character it is about is in column 1.
        let column = if line > 0 { column.max(1) } else { column };
        ProfileError { message, line, column }
    })
}

/// Reads a profile from any serde deserializer (the wasm layer passes a JS object's).
pub struct ProfileSeed<'s>(pub &'s Schema);

impl<'de> DeserializeSeed<'de> for ProfileSeed<'_> {
    type Value = Profile;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Profile, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ProfileSeed<'_> {
    type Value = Profile;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a profile object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Profile, A::Error> {
        let schema = self.0;
        let mut as_of: Option<OffsetDateTime> = None;
        let mut locale: Option<Locale> = None;
        let mut values: Vec<Option<Scalar>> = vec![None; schema.facts().len()];
        let mut seen: Vec<Key<'de>> = Vec::with_capacity(8);
        // Which facts were given so far, one bit each (a duplicate is an error).
        let mut seen_facts: Vec<u64> = vec![0; values.len().div_ceil(64)];
        while let Some(key) = map.next_key::<Key<'de>>()? {
            if seen.contains(&key) {
                return Err(de::Error::custom(format!("field `{}` is given twice", key.as_str())));
            }
            match key.as_str() {
                "as_of" => {
                    let text: Option<String> = map.next_value()?;
                    let text = text.ok_or_else(|| {
                        de::Error::custom(
                            "`as_of` is required: the evaluation instant, like \"2026-11-29T10:00:00+08:00\"",
                        )
                    })?;
                    as_of = Some(parse_datetime(&text).ok_or_else(|| {
                        de::Error::custom(format!("`as_of` is {}: expected an RFC 3339 datetime with an offset, like \"2026-11-29T10:00:00+08:00\"", quoted(&text)))
                    })?);
                }
                "locale" => {
                    let tag: Option<String> = map.next_value()?;
                    locale = match tag {
                        None => None,
                        Some(tag) => Some(Locale::parse(&tag).ok_or_else(|| {
                            de::Error::custom(format!(
                                "`locale` is {}: drawcheck speaks \"zh-CN\" and \"en\"",
                                quoted(&tag)
                            ))
                        })?),
                    };
                }
                group_name => {
                    let Some(group) = schema.group(group_name) else {
                        let hint = suggest(group_name, schema.group_names().chain(["as_of", "locale"]))
                            .map(|s| format!("; did you mean `{s}`?"))
                            .unwrap_or_default();
                        return Err(de::Error::custom(format!("unknown field `{group_name}`{hint}")));
                    };
                    map.next_value_seed(GroupSeed {
                        schema,
                        name: group_name,
                        fields: group,
                        values: &mut values,
                        seen: &mut seen_facts,
                    })?;
                }
            }
            seen.push(key);
        }
        let as_of = as_of.ok_or_else(|| {
            de::Error::custom("`as_of` is required: the evaluation instant, like \"2026-11-29T10:00:00+08:00\"")
        })?;
        Ok(Profile { as_of, locale, values })
    }
}

struct GroupSeed<'a> {
    schema: &'a Schema,
    name: &'a str,
    fields: &'a [(String, FactId)],
    values: &'a mut Vec<Option<Scalar>>,
    /// Facts given so far, one bit per fact id, in any group (ids are unique across groups).
    seen: &'a mut Vec<u64>,
}

impl<'de> DeserializeSeed<'de> for GroupSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for GroupSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` to be an object of facts", self.name)
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(field) = map.next_key::<Key<'de>>()? {
            let field = field.as_str();
            let Some(&(_, id)) = self.fields.iter().find(|(f, _)| f == field) else {
                let hint = suggest(field, self.fields.iter().map(|(f, _)| f.as_str()))
                    .map(|s| format!("; did you mean `{}.{s}`?", self.name))
                    .unwrap_or_default();
                return Err(de::Error::custom(format!("unknown field `{}.{field}`{hint}", self.name)));
            };
            let (word, bit) = (usize::from(id) / 64, 1u64 << (id % 64));
            match self.seen.get_mut(word) {
                Some(w) if *w & bit != 0 => {
                    return Err(de::Error::custom(format!("field `{}.{field}` is given twice", self.name)));
                }
                Some(w) => *w |= bit,
                None => {}
            }
            let fact = self.schema.fact(id).ok_or_else(|| de::Error::custom("schema is inconsistent"))?;
            let value = map.next_value_seed(FactSeed { schema: self.schema, fact })?;
            if let Some(slot) = self.values.get_mut(usize::from(id)) {
                *slot = value;
            }
        }
        Ok(())
    }
}

/// The key under which serde_json (with `arbitrary_precision`) passes a number's text.
const SERDE_JSON_NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A map key, borrowed from the input text when it can be (no allocation per field).
#[derive(PartialEq)]
struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Key<'de>, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A text value as an error message shows it: quoted, and cut after 40 characters.
struct Shown<'s>(&'s str);

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cut: String = self.0.chars().take(40).collect();
        if cut.len() < self.0.len() {
            write!(f, "{}…", quoted(&cut))
        } else {
            f.write_str(&quoted(&cut))
        }
    }
}

struct FactSeed<'a> {
    schema: &'a Schema,
    fact: &'a Fact,
}

impl<'de> DeserializeSeed<'de> for FactSeed<'_> {
    type Value = Option<Scalar>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Scalar>, D::Error> {
        d.deserialize_any(self)
    }
}

impl FactSeed<'_> {
    fn fail<E: de::Error>(&self, what: impl fmt::Display) -> E {
        E::custom(format!("`{}` {what}", self.fact.path))
    }

    fn wrong_type<E: de::Error>(&self, got: &str) -> E {
        let want = match &self.fact.kind {
            FactKind::Money => "an amount like \"320.50\"",
            FactKind::Int { .. } => "a whole number",
            FactKind::Dec => "a decimal number",
            FactKind::Bool => "true or false",
            FactKind::Date => "a date like \"2030-05-01\"",
            FactKind::DateTime => "a datetime like \"2026-11-29T10:00:00+08:00\"",
            FactKind::Str { .. } | FactKind::Enum(_) => "a string",
            FactKind::Version => "a version like \"8.2.1\"",
        };
        self.fail(format_args!("should be {want}, not {got}"))
    }

    /// A number, as the text it was written with (JSON) or its shortest exact form (a float from JS).
    fn number<E: de::Error>(&self, text: &str) -> Result<Option<Scalar>, E> {
        match &self.fact.kind {
            FactKind::Money => parse_money(text)
                .map(|d| Some(Scalar::Money(d)))
                .map_err(|e| self.fail(format_args!("is {text}, which {e}"))),
            FactKind::Dec => match Dec::parse(text) {
                Some(d) => Ok(Some(Scalar::Dec(d))),
                None => Err(self.fail(format_args!("is {text}: write a plain decimal, without exponent"))),
            },
            FactKind::Int { min, max } => {
                let n: i64 = text.parse().map_err(|_| {
                    if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                        self.fail(format_args!("is {text}, out of range {min} to {max}"))
                    } else {
                        self.fail(format_args!("is {text}: it should be a whole number"))
                    }
                })?;
                if n < *min || n > *max {
                    return Err(self.fail(format_args!("is {n}, out of range {min} to {max}")));
                }
                Ok(Some(Scalar::Int(n)))
            }
            _ => Err(self.wrong_type("a number")),
        }
    }

    fn text<E: de::Error>(&self, s: &str) -> Result<Option<Scalar>, E> {
        // The value as an error shows it, made only when there is an error.
        let shown = Shown(s);
        match &self.fact.kind {
            FactKind::Money => parse_money(s)
                .map(|d| Some(Scalar::Money(d)))
                .map_err(|e| self.fail(format_args!("is {shown}, which {e}"))),
            FactKind::Date => parse_date(s)
                .map(|d| Some(Scalar::Date(d)))
                .ok_or_else(|| self.fail(format_args!("is {shown}: expected a date that exists, as YYYY-MM-DD"))),
            FactKind::DateTime => parse_datetime(s).map(|d| Some(Scalar::DateTime(d))).ok_or_else(|| {
                self.fail(format_args!(
                    "is {shown}: expected an RFC 3339 datetime with an offset, like \"2026-11-29T10:00:00+08:00\""
                ))
            }),
            FactKind::Version => Version::parse(s).map(|v| Some(Scalar::Version(v))).ok_or_else(|| {
                self.fail(format_args!("is {shown}: expected a version of 1 to 4 numbers, like \"8.2.1\""))
            }),
            FactKind::Str { max_len } => {
                if s.chars().count() > *max_len {
                    return Err(self.fail(format_args!("is longer than {max_len} characters")));
                }
                Ok(Some(Scalar::Str(s.to_string())))
            }
            FactKind::Enum(id) => {
                let allowed = self.schema.enum_values(*id);
                if allowed.iter().any(|a| a == s) {
                    Ok(Some(Scalar::Str(s.to_string())))
                } else {
                    let list: Vec<String> = allowed.iter().map(|a| format!("\"{a}\"")).collect();
                    Err(self.fail(format_args!("is {shown}: expected one of {}", list.join(", "))))
                }
            }
            FactKind::Int { .. } | FactKind::Dec => Err(self.wrong_type("a string")),
            FactKind::Bool => Err(self.wrong_type(&format!("the string {shown}"))),
        }
    }
}

impl<'de> Visitor<'de> for FactSeed<'_> {
    type Value = Option<Scalar>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a value for `{}`", self.fact.path)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<Scalar>, E> {
        Ok(self.fact.null_is_never.then_some(Scalar::Never))
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<Scalar>, E> {
        self.visit_unit()
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Option<Scalar>, E> {
        match self.fact.kind {
            FactKind::Bool => Ok(Some(Scalar::Bool(b))),
            _ => Err(self.wrong_type(if b { "true" } else { "false" })),
        }
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Option<Scalar>, E> {
        self.number(&n.to_string())
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Option<Scalar>, E> {
        self.number(&n.to_string())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<Scalar>, E> {
        // serde_json (with `arbitrary_precision`) hands numbers over as their text (`visit_map`
        // below); a binary float reaching here would already have lost the digits written.
        Err(self.fail("is a binary floating-point number: give it as JSON text, where its digits are kept"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Option<Scalar>, E> {
        self.text(s)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Scalar>, A::Error> {
        // serde_json with `arbitrary_precision` hands a number over as a one-entry map from its
        // private token to the number's text (the shape `serde_json::Number`'s own reader takes;
        // reading the text directly saves a second parse and copy per number). Any other object
        // is a type error.
        match map.next_key::<Key<'de>>() {
            Ok(Some(key)) if key.as_str() == SERDE_JSON_NUMBER_TOKEN => {
                let text: Key<'de> = map.next_value()?;
                self.number(text.as_str())
            }
            _ => Err(self.wrong_type("an object")),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, _seq: A) -> Result<Option<Scalar>, A::Error> {
        Err(self.wrong_type("a list"))
    }
}
