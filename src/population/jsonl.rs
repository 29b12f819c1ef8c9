//! Profiles from JSON Lines, read fast: a population file holds millions of profiles, and the
//! general reader ([`crate::profile::from_json`], serde_json with `arbitrary_precision`) spends
//! more on each one than deciding it under two packs does — it allocates a string per number,
//! per key it cannot borrow, and per profile.
//!
//! [`LineReader`] reads the plain shape every profile writer produces (no escapes in strings, no
//! exponents in numbers, each key once) straight into a reused [`Profile`], with the same value
//! checks as the general reader: the same functions parse dates, datetimes, versions and amounts
//! (but for the common `123.45`, read in one pass to the value `parse_money` gives it), and the
//! same rules apply to ints, enums, lengths and `null`. Anything else — an escape, an
//! exponent, an unknown or repeated key, a value the schema refuses, anything malformed — is
//! handed to the general reader, which reads it or gives its error with line and column. So a
//! line reads to the same profile, or fails with the same message, either way; the fast path
//! only ever accepts a line the general reader accepts (tests/population.rs checks this on
//! mutated lines).

use crate::calendar::{parse_date, parse_datetime, Version};
use crate::i18n::Locale;
use crate::money::{parse_money, Dec};
use crate::profile::{from_json, Profile, ProfileError, MAX_PROFILE_BYTES};
use crate::schema::{FactId, FactKind, Schema};
use crate::value::Scalar;
use time::OffsetDateTime;

/// Facts the fast path keeps track of (one bit each); a larger schema always takes the general reader.
const MAX_FAST_FACTS: usize = 256;

/// One field of a group: its name, id, kind, and whether `null` means "never".
#[derive(Clone, Debug)]
struct Field {
    name: String,
    id: FactId,
    kind: FactKind,
    null_is_never: bool,
}

/// Reads JSON Lines profiles for one schema. See the module documentation.
#[derive(Clone, Debug)]
pub struct LineReader<'s> {
    schema: &'s Schema,
    /// The schema's groups and their fields, in declaration order.
    groups: Vec<(String, Vec<Field>)>,
    /// Whether the fast path can take this schema at all (at most 256 facts, 62 groups).
    fast: bool,
    /// The last `as_of` read, as written and parsed: a population is usually checked at one
    /// instant, and parsing it is a good part of reading a line.
    last_as_of: Option<(String, OffsetDateTime)>,
}

impl<'s> LineReader<'s> {
    /// A reader of profiles of `schema`.
    pub fn new(schema: &'s Schema) -> LineReader<'s> {
        let groups: Vec<(String, Vec<Field>)> = schema
            .group_names()
            .map(|g| {
                let fields = schema
                    .group(g)
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|(name, id)| {
                        let f = schema.fact(*id)?;
                        Some(Field {
                            name: name.clone(),
                            id: *id,
                            kind: f.kind.clone(),
                            null_is_never: f.null_is_never,
                        })
                    })
                    .collect();
                (g.to_string(), fields)
            })
            .collect();
        // Keys are matched by their bytes (`"name"`), which is exact only for names JSON writes
        // without escapes.
        let plain = |name: &str| !name.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20);
        // (A group named like a top-level key would be read as that key by the general reader.)
        let fast = schema.facts().len() <= MAX_FAST_FACTS
            && groups.len() <= 62
            && groups
                .iter()
                .all(|(g, fields)| plain(g) && g != "as_of" && g != "locale" && fields.iter().all(|f| plain(&f.name)));
        LineReader { schema, groups, fast, last_as_of: None }
    }

    /// Reads one line's profile into `profile` (a profile of this schema, reused between lines:
    /// every fact the line does not give is removed). On an error, `profile` holds no profile
    /// and the error is [`from_json`]'s.
    pub fn read(&mut self, text: &str, profile: &mut Profile) -> Result<(), ProfileError> {
        if self.read_fast(text, profile) {
            return Ok(());
        }
        *profile = from_json(self.schema, text)?;
        Ok(())
    }

    /// The fast path alone: `true` if it read the line into `profile`, `false` if it leaves the
    /// line to the general reader (then `profile` holds no profile). A line it reads, the
    /// general reader reads to the same profile.
    pub fn read_fast(&mut self, text: &str, profile: &mut Profile) -> bool {
        self.fast && text.len() <= MAX_PROFILE_BYTES && self.object(&mut Cursor { text, pos: 0 }, profile).is_some()
    }

    /// The whole line: one object of `as_of`, `locale` and groups, and nothing after it but blanks.
    fn object(&mut self, c: &mut Cursor<'_>, profile: &mut Profile) -> Option<()> {
        let mut given = Given::default();
        c.blanks();
        c.eat(b'{')?;
        c.blanks();
        if !c.eat_if(b'}') {
            loop {
                // Writers give the groups in schema order: try the one after the last first.
                let next_group = given.last_group.map_or(0, |g| g + 1);
                let key = match self.groups.get(next_group) {
                    Some((name, _)) if c.key_is(name) => Key::Group(next_group),
                    _ => Key::Text(c.string()?),
                };
                c.blanks();
                c.eat(b':')?;
                c.blanks();
                self.member(c, key, &mut given, profile)?;
                c.blanks();
                if !c.more()? {
                    break;
                }
                c.blanks();
            }
        }
        c.blanks();
        if c.pos != c.text.len() || !given.as_of {
            return None;
        }
        if !given.locale {
            profile.locale = None;
        }
        // A reused profile: remove the facts this line does not give.
        for id in 0..self.schema.facts().len() {
            let Ok(id) = FactId::try_from(id) else { break };
            if !given.fact(id) {
                profile.set(id, None);
            }
        }
        Some(())
    }

    /// One top-level member (its key read).
    fn member(&mut self, c: &mut Cursor<'_>, key: Key<'_>, given: &mut Given, profile: &mut Profile) -> Option<()> {
        let key = match key {
            Key::Group(g) => return self.group_member(c, g, given, profile),
            Key::Text(key) => key,
        };
        match key {
            "as_of" => {
                if std::mem::replace(&mut given.as_of, true) {
                    return None;
                }
                profile.as_of = self.as_of(c.string()?)?;
            }
            "locale" => {
                if std::mem::replace(&mut given.locale, true) {
                    return None;
                }
                profile.locale = if c.literal("null") { None } else { Some(locale(c.string()?)?) };
            }
            _ => {
                let g = self.groups.iter().position(|(name, _)| name == key)?;
                return self.group_member(c, g, given, profile);
            }
        }
        Some(())
    }

    /// `as_of`, parsed only when it differs from the last line's.
    fn as_of(&mut self, s: &str) -> Option<OffsetDateTime> {
        match &self.last_as_of {
            Some((text, t)) if text == s => Some(*t),
            _ => {
                let t = parse_datetime(s)?;
                self.last_as_of = Some((s.to_string(), t));
                Some(t)
            }
        }
    }

    /// The value of group `g`: `null`, or an object of its facts.
    fn group_member(&self, c: &mut Cursor<'_>, g: usize, given: &mut Given, profile: &mut Profile) -> Option<()> {
        let bit = 1u64 << g;
        if given.groups & bit != 0 {
            return None;
        }
        given.groups |= bit;
        given.last_group = Some(g);
        let (_, fields) = self.groups.get(g)?;
        if !c.literal("null") {
            self.group(c, fields, given, profile)?;
        }
        Some(())
    }

    /// A group's object of facts.
    fn group(&self, c: &mut Cursor<'_>, fields: &[Field], given: &mut Given, profile: &mut Profile) -> Option<()> {
        c.eat(b'{')?;
        c.blanks();
        if c.eat_if(b'}') {
            return Some(());
        }
        let mut next = 0;
        loop {
            // Writers give the fields in schema order: try the one after the last first.
            let (i, field) = match fields.get(next) {
                Some(f) if c.key_is(&f.name) => (next, f),
                _ => {
                    let name = c.string()?;
                    fields.iter().enumerate().find(|(_, f)| f.name == name)?
                }
            };
            next = i + 1;
            if !given.set_fact(field.id) {
                return None;
            }
            c.blanks();
            c.eat(b':')?;
            c.blanks();
            self.value(c, field, profile)?;
            c.blanks();
            if !c.more()? {
                return Some(());
            }
            c.blanks();
        }
    }

    /// A fact's value, checked as the general reader checks it, set into `profile`.
    fn value(&self, c: &mut Cursor<'_>, field: &Field, profile: &mut Profile) -> Option<()> {
        let value = match (c.peek()?, &field.kind) {
            (b'n', _) if c.literal("null") => field.null_is_never.then_some(Scalar::Never),
            (b't', FactKind::Bool) if c.literal("true") => Some(Scalar::Bool(true)),
            (b'f', FactKind::Bool) if c.literal("false") => Some(Scalar::Bool(false)),
            (b'"', _) => return self.text(c.string()?, field, profile),
            (b'-' | b'0'..=b'9', kind) => Some(number(c.number()?, kind)?),
            _ => return None,
        };
        profile.set(field.id, value);
        Some(())
    }

    /// A string value, by the fact's kind.
    fn text(&self, s: &str, field: &Field, profile: &mut Profile) -> Option<()> {
        let value = match &field.kind {
            FactKind::Money => Scalar::Money(money(s)?),
            FactKind::Date => Scalar::Date(parse_date(s)?),
            FactKind::DateTime => Scalar::DateTime(parse_datetime(s)?),
            FactKind::Version => Scalar::Version(Version::parse(s)?),
            FactKind::Str { max_len } if s.chars().count() <= *max_len => return set_text(profile, field.id, s),
            FactKind::Enum(e) if self.schema.enum_values(*e).iter().any(|v| v == s) => {
                return set_text(profile, field.id, s)
            }
            _ => return None,
        };
        profile.set(field.id, Some(value));
        Some(())
    }
}

/// Sets a text fact, keeping the profile's string when it holds the same text already (most
/// borrowers share a status, a segment, a region: no allocation for them).
fn set_text(profile: &mut Profile, id: FactId, s: &str) -> Option<()> {
    if !matches!(profile.get(id), Some(Scalar::Str(old)) if old == s) {
        profile.set(id, Some(Scalar::Str(s.to_string())));
    }
    Some(())
}

/// The two tags writers give, without [`Locale::parse`]'s lowercased copy; any other through it.
fn locale(tag: &str) -> Option<Locale> {
    [Locale::En, Locale::ZhCn].into_iter().find(|l| l.tag() == tag).or_else(|| Locale::parse(tag))
}

/// An amount: the shape every writer gives, `123.45` (1 to 12 digits, a point, 2 digits), in one
/// pass — as [`parse_money`] reads it (its own fast path makes `Dec::new(12345, 2)` of it, and
/// tests/population.rs checks the amounts read both ways print the same) — any other through
/// `parse_money`.
fn money(text: &str) -> Option<Dec> {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let shaped = (4..=15).contains(&n) && bytes.get(n - 3) == Some(&b'.');
    if shaped {
        let mut mantissa: i64 = 0;
        for (i, &b) in bytes.iter().enumerate() {
            if i == n - 3 {
                continue;
            }
            if !b.is_ascii_digit() {
                return parse_money(text).ok();
            }
            mantissa = mantissa * 10 + i64::from(b - b'0');
        }
        return Some(Dec::new(i128::from(mantissa), 2));
    }
    parse_money(text).ok()
}

/// A number value, by the fact's kind, from the digits as written (as `arbitrary_precision`
/// hands them to the general reader).
fn number(text: &str, kind: &FactKind) -> Option<Scalar> {
    match kind {
        FactKind::Money => money(text).map(Scalar::Money),
        FactKind::Dec => Dec::parse(text).map(Scalar::Dec),
        FactKind::Int { min, max } => text.parse::<i64>().ok().filter(|n| min <= n && n <= max).map(Scalar::Int),
        _ => None,
    }
}

/// A top-level key: a group found by its expected place, or any key's text.
enum Key<'t> {
    Group(usize),
    Text(&'t str),
}

/// What a line has given so far (each key at most once, as the general reader requires).
#[derive(Default)]
struct Given {
    as_of: bool,
    locale: bool,
    groups: u64,
    last_group: Option<usize>,
    facts: [u64; MAX_FAST_FACTS / 64],
}

impl Given {
    /// Marks a fact given; `false` if it was already.
    fn set_fact(&mut self, id: FactId) -> bool {
        let (word, bit) = (usize::from(id) / 64, 1u64 << (id % 64));
        match self.facts.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }

    fn fact(&self, id: FactId) -> bool {
        self.facts.get(usize::from(id) / 64).is_some_and(|w| w & (1u64 << (id % 64)) != 0)
    }
}

/// A position in the line's text.
struct Cursor<'t> {
    text: &'t str,
    pos: usize,
}

impl<'t> Cursor<'t> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    /// Skips JSON's blanks (space, tab, line feed, carriage return).
    fn blanks(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        self.eat_if(b).then_some(())
    }

    fn eat_if(&mut self, b: u8) -> bool {
        let hit = self.peek() == Some(b);
        self.pos += usize::from(hit);
        hit
    }

    /// After a member: `,` (more follow: `true`) or `}` (the object ends: `false`).
    fn more(&mut self) -> Option<bool> {
        match self.peek()? {
            b',' => {
                self.pos += 1;
                Some(true)
            }
            b'}' => {
                self.pos += 1;
                Some(false)
            }
            _ => None,
        }
    }

    /// `word` (`null`, `true`, `false`), if it is next.
    fn literal(&mut self, word: &str) -> bool {
        let hit = self.text.as_bytes().get(self.pos..).is_some_and(|rest| rest.starts_with(word.as_bytes()));
        if hit {
            self.pos += word.len();
        }
        hit
    }

    /// Whether the next token is the string `name` exactly (a plain name: no escapes), read if so.
    fn key_is(&mut self, name: &str) -> bool {
        let end = self.pos + name.len() + 2;
        let hit = self.text.as_bytes().get(self.pos..end).is_some_and(|token| {
            token.first() == Some(&b'"')
                && token.last() == Some(&b'"')
                && token.get(1..end - self.pos - 1) == Some(name.as_bytes())
        });
        if hit {
            self.pos = end;
        }
        hit
    }

    /// A string with no escape and no control character (else `None`: the general reader's).
    fn string(&mut self) -> Option<&'t str> {
        self.eat(b'"')?;
        let start = self.pos;
        let rest = self.text.as_bytes().get(start..)?;
        let len = string_end(rest)?;
        if rest.get(len) != Some(&b'"') {
            return None;
        }
        self.pos = start + len + 1;
        // The quotes are ASCII, so both ends are character boundaries.
        self.text.get(start..start + len)
    }

    /// A number as JSON writes it, without an exponent: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
    fn number(&mut self) -> Option<&'t str> {
        let start = self.pos;
        self.eat_if(b'-');
        match self.peek()? {
            b'0' => self.pos += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.eat_if(b'.') {
            let at = self.pos;
            self.digits();
            if self.pos == at {
                return None;
            }
        }
        if matches!(self.peek(), Some(b'0'..=b'9' | b'e' | b'E' | b'.')) {
            return None;
        }
        self.text.get(start..self.pos)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
    }
}

/// Eight bytes at a time: `0x01` in every byte, `0x80` in every byte.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` that is zero (exactly: no borrow between bytes).
fn zero_bytes(w: u64) -> u64 {
    !(((w & !HIGHS).wrapping_add(!HIGHS)) | w | !HIGHS)
}

/// Where a string's text ends: the first `"`, `\` or control character (below 0x20), read eight
/// bytes at a time (most of a profile's bytes are in its strings).
fn string_end(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (k, chunk) in words.by_ref().enumerate() {
        let w = u64::from_le_bytes(chunk.try_into().unwrap_or([0; 8]));
        let hits = zero_bytes(w ^ (ONES * u64::from(b'"')))
            | zero_bytes(w ^ (ONES * u64::from(b'\\')))
            | zero_bytes(w & (ONES * 0xE0));
        if hits != 0 {
            return Some(k * 8 + hits.trailing_zeros() as usize / 8);
        }
    }
    let tail = words.remainder();
    tail.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).map(|i| bytes.len() - tail.len() + i)
}
