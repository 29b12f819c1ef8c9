//! Populations: books of borrowers, generated or read, and what a rule change does to them.
//!
//! - [`generate`]: a seeded, deterministic synthetic population with realistic shares of every
//!   case the default pack knows (overdue, locks, devices, income, …) and amounts and dates spread
//!   across every threshold. Borrower `i` of seed `s` is the same whatever else is generated, so
//!   the work splits across threads freely.
//! - [`csv`]: a CSV row whose headers are the contract's dotted paths, as a profile.
//! - [`jsonl`]: a JSON Lines profile read fast into a reused profile (the general reader for
//!   anything unusual, so the outcome is the same).
//! - [`report`]: the impact report, an accumulator of (before, after) [`Outline`](crate::verdict::Outline)s
//!   that merges across threads, and its table, JSON and CSV forms.
//!
//! Like the rest of the core: no I/O, no clock, no OS randomness, no panics.

pub mod csv;
pub mod generate;
pub mod jsonl;
pub mod report;

pub use generate::{Borrower, Config, FactIds, Generator};
pub use jsonl::LineReader;
pub use report::{Impact, Report};

use crate::calendar::format_rfc3339;
use crate::profile::Profile;
use crate::schema::Schema;
use crate::value::Scalar;
use serde_json::{Map, Value as Json};

/// SplitMix64 (Steele, Lea & Flood 2014; the seeder of `java.util.SplittableRandom` and of
/// xoshiro): tiny, fast, well tested with BigCrush, and fully determined by its seed. Not for
/// secrets — for reproducible test populations.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose stream is fixed by `seed`.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The stream for item `index` of the population seeded with `seed`: independent of every
    /// other item's, so items can be made in any order, on any thread.
    pub fn for_item(seed: u64, index: u64) -> Rng {
        Rng(mix(seed ^ mix(index.wrapping_add(0x6A09_E667_F3BC_C909))))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n` (0 when `n` is 0), by Lemire's multiply-shift (bias below 2⁻³² here).
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in `lo..=hi` (`lo` when `hi < lo`).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        let span = hi.abs_diff(lo).saturating_add(1);
        lo.wrapping_add(self.below(span) as i64)
    }

    /// True with probability `per_10k` / 10,000.
    pub fn chance(&mut self, per_10k: u64) -> bool {
        self.below(10_000) < per_10k
    }

    /// An index picked with the given weights (the last one if all weights are 0).
    pub fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut x = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// SplitMix64's output function: a bijective 64-bit mixer.
pub fn mix(z: u64) -> u64 {
    let z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A profile as contract JSON (groups in schema order; `never` as `null`; absent facts left
/// out), which [`crate::read_profile`] reads back to the same profile.
pub fn profile_json(schema: &Schema, profile: &Profile) -> Json {
    let mut out = Map::new();
    out.insert("as_of".into(), Json::String(format_rfc3339(profile.as_of)));
    if let Some(locale) = profile.locale {
        out.insert("locale".into(), Json::String(locale.tag().into()));
    }
    for group in schema.group_names() {
        let mut fields = Map::new();
        for (field, id) in schema.group(group).unwrap_or(&[]) {
            if let Some(v) = profile.get(*id) {
                fields.insert(field.clone(), scalar_json(v));
            }
        }
        if !fields.is_empty() {
            out.insert(group.to_string(), Json::Object(fields));
        }
    }
    Json::Object(out)
}

fn scalar_json(v: &Scalar) -> Json {
    match v {
        Scalar::Bool(b) => Json::Bool(*b),
        Scalar::Int(i) => Json::from(*i),
        // Money and decimals as their exact text (a string keeps every digit; the reader takes both).
        Scalar::Money(d) => Json::String(d.to_string()),
        Scalar::Dec(d) => d.to_string().parse::<serde_json::Number>().map_or(Json::Null, Json::Number),
        Scalar::Str(s) => Json::String(s.clone()),
        Scalar::Date(d) => Json::String(d.to_string()),
        Scalar::DateTime(t) => Json::String(format_rfc3339(*t)),
        Scalar::Version(v) => Json::String(v.to_string()),
        Scalar::Never => Json::Null,
    }
}
