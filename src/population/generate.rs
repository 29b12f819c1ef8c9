//! The synthetic population: borrower `i` of seed `s`, with realistic shares of every case.
//!
//! Shares (per 10,000 borrowers, roughly; see each fact below): most borrowers are healthy —
//! active, verified, nothing overdue, debt well under half of income. Then, at plausible rates:
//! frozen (0.5%) and closed (1%) accounts, court (0.3%) and bureau (0.3%) listings, overdue now
//! (2.4%, a fifth of it 90 days or more), repeated late payments, a recent clearing, many lenders, login
//! locks, request bursts, new devices, missing real-name checks, expired IDs, ages outside the
//! product, the paused region, old app versions, the restructured segment, lines above the
//! regulatory maximum, lines used up, high debt-to-income, unverified income, requests above what
//! is available — and a few borrowers who never gave their income (their verdict is incomplete).
//! Amounts, counts and dates land on and around each default threshold (89/90 days overdue, age
//! 18 and 55, 60/61 requests, debt at exactly half of income, ¥200,000.00 and ¥200,000.01, …), so
//! a change of a param moves someone.
//!
//! Every profile shares the configured `as_of` and its dates are relative to it — except, when
//! the config has a maintenance window, 0.5% of borrowers who check during it (else the
//! `maintenance` rule, which depends on nothing but the time, could never show in a report).

use super::Rng;
use crate::calendar::Version;
use crate::i18n::Locale;
use crate::money::Dec;
use crate::pack::Pack;
use crate::profile::Profile;
use crate::schema::{FactId, FactKind, Schema};
use crate::value::{ParamValue, Scalar};
use time::{Date, Duration, OffsetDateTime};

/// The default evaluation instant of a generated population: 2026-11-29T10:00:00+08:00.
pub const DEFAULT_AS_OF: OffsetDateTime = time::macros::datetime!(2026-11-29 10:00:00 +08:00);

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    /// Fixes the whole population.
    pub seed: u64,
    /// The instant every borrower is checked at (but see `window`).
    pub as_of: OffsetDateTime,
    /// A `[start, end)` maintenance window: 0.5% of borrowers check during it instead.
    pub window: Option<(OffsetDateTime, OffsetDateTime)>,
}

impl Config {
    /// A config at `as_of` with no maintenance window.
    pub fn new(seed: u64, as_of: OffsetDateTime) -> Config {
        Config { seed, as_of, window: None }
    }

    /// The same config, with the first window of the pack's first windows param (the default
    /// pack's `maintenance_windows`), if it has one.
    pub fn with_window_of(self, pack: &Pack) -> Config {
        let window = pack.params.iter().find_map(|p| match p {
            ParamValue::Windows(ws) => ws.first().copied(),
            _ => None,
        });
        Config { window, ..self }
    }
}

/// One generated borrower: the facts of the default pack's schema, typed, independent of any
/// pack (so one borrower can be set into the profiles of two packs with different schemas).
/// Amounts are in fen; `None` is an absent fact unless said otherwise.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Borrower {
    pub as_of: OffsetDateTime,
    pub locale: Locale,
    pub status: &'static str,
    pub credit_limit: i64,
    pub used: i64,
    pub kyc_verified: bool,
    pub id_expiry: Option<Date>,
    pub age: i64,
    pub region: &'static str,
    /// Always given (`None` only if the version table were broken; its test says it is not).
    pub app_version: Option<Version>,
    pub segment: &'static str,
    pub overdue_days: i64,
    pub overdue_amount: i64,
    pub overdue_episodes_12m: i64,
    /// `None` is "never".
    pub last_overdue_cleared_at: Option<Date>,
    pub court_enforcement_listed: bool,
    pub bureau_blacklisted: bool,
    pub multi_lender_count_3m: i64,
    pub login_failures_24h: i64,
    /// `None` is "never".
    pub last_login_failure_at: Option<OffsetDateTime>,
    pub new_device_unverified: bool,
    pub requests_last_hour: i64,
    /// `None`: the borrower never gave their income (the whole `capacity` group is absent).
    pub capacity: Option<Capacity>,
    pub request_amount: Option<i64>,
}

/// The `capacity` group, in fen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[allow(missing_docs)]
pub struct Capacity {
    pub monthly_income: i64,
    pub income_verified: bool,
    pub monthly_debt_payments: i64,
}

const REGIONS: [(&str, u64); 31] = [
    ("CN-GD", 1400),
    ("CN-SD", 800),
    ("CN-JS", 800),
    ("CN-ZJ", 700),
    ("CN-HE", 600),
    ("CN-HA", 600),
    ("CN-SC", 600),
    ("CN-HB", 500),
    ("CN-HN", 500),
    ("CN-FJ", 450),
    ("CN-BJ", 400),
    ("CN-SH", 400),
    ("CN-AH", 400),
    ("CN-LN", 350),
    ("CN-SN", 350),
    ("CN-JX", 300),
    ("CN-CQ", 300),
    ("CN-YN", 300),
    ("CN-GX", 300),
    ("CN-SX", 250),
    ("CN-HL", 200),
    ("CN-JL", 200),
    ("CN-TJ", 200),
    ("CN-GZ", 200),
    ("CN-NM", 150),
    ("CN-XJ", 150),
    ("CN-GS", 150),
    ("CN-HI", 100),
    ("CN-NX", 50),
    ("CN-QH", 30),
    ("CN-XZ", 20),
];

/// App versions in use, with "8.0" and "8.0.0" at the default minimum and "10.x" to catch a
/// comparison of versions as text.
const VERSIONS: [(&str, u64); 12] = [
    ("10.2.0", 1500),
    ("10.0.0", 800),
    ("9.4.1", 2500),
    ("9.1.0", 1500),
    ("8.6.2", 1500),
    ("8.2.1", 1200),
    ("8.0.1", 300),
    ("8.0.0", 250),
    ("8.0", 50),
    ("7.9.9", 60),
    ("7.5.3", 45),
    ("6.8.0", 15),
];

/// Makes borrowers from a [`Config`].
#[derive(Clone, Debug)]
pub struct Generator {
    config: Config,
    versions: Vec<(Version, u64)>,
    region_weights: Totals,
    version_weights: Totals,
}

/// A table of weights as running totals: the entry picked for a draw is the number of totals at
/// or below it, counted without a branch per entry (the region table has 31, and a scan that stops
/// at a random place mispredicts). Picks the same entry as [`Rng::weighted`] with the same draw.
#[derive(Clone, Debug)]
struct Totals(Vec<u64>);

impl Totals {
    fn new(weights: impl Iterator<Item = u64>) -> Totals {
        Totals(
            weights
                .scan(0u64, |sum, w| {
                    *sum = sum.saturating_add(w);
                    Some(*sum)
                })
                .collect(),
        )
    }

    fn pick(&self, r: &mut Rng) -> usize {
        let x = r.below(self.0.last().copied().unwrap_or(0));
        let below = self.0.iter().filter(|total| **total <= x).count();
        below.min(self.0.len().saturating_sub(1))
    }
}

impl Generator {
    /// A generator for `config`.
    pub fn new(config: Config) -> Generator {
        let versions: Vec<(Version, u64)> =
            VERSIONS.iter().filter_map(|(text, w)| Version::parse(text).map(|v| (v, *w))).collect();
        Generator {
            config,
            version_weights: Totals::new(versions.iter().map(|(_, w)| *w)),
            versions,
            region_weights: Totals::new(REGIONS.iter().map(|(_, w)| *w)),
        }
    }

    /// The config it generates from.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Borrower `index`: always the same for the same seed.
    pub fn borrower(&self, index: u64) -> Borrower {
        let r = &mut Rng::for_item(self.config.seed, index);
        let as_of = match self.config.window {
            Some((start, end)) if r.chance(50) => {
                let seconds = (end - start).whole_seconds().max(1);
                start.checked_add(Duration::seconds(r.range(0, seconds - 1))).unwrap_or(start)
            }
            _ => self.config.as_of,
        };
        let today = as_of.date();
        let days_ago = |n: i64| today.checked_sub(Duration::days(n)).unwrap_or(today);
        let seconds_ago = |n: i64| as_of.checked_sub(Duration::seconds(n)).unwrap_or(as_of);
        let yuan = |r: &mut Rng, lo: i64, hi: i64, step: i64| r.range(lo / step, hi / step) * step * 100;

        let locale = if r.chance(7_000) { Locale::ZhCn } else { Locale::En };
        let status = ["active", "frozen", "closed"][..].get(r.weighted(&[9_850, 50, 100])).copied().unwrap_or("active");

        // The line: small lines are common, a few sit on and above the ¥200,000 maximum.
        let credit_limit = match r.weighted(&[1_500, 4_500, 2_800, 1_050, 50, 100]) {
            0 => yuan(r, 500, 5_000, 100),
            1 => yuan(r, 5_000, 20_000, 500),
            2 => yuan(r, 20_000, 50_000, 1_000),
            3 => yuan(r, 50_000, 195_000, 5_000),
            4 => 20_000_000,
            _ => r.range(20_000_001, 30_000_000),
        };
        let used = match r.weighted(&[2_500, 7_200, 220, 80]) {
            0 => 0,
            1 => r.range(0, credit_limit - 1),
            2 => credit_limit,
            _ => credit_limit + r.range(1, credit_limit / 20 + 1),
        };

        let kyc_verified = !r.chance(120);
        let id_expiry = match r.weighted(&[50, 100, 20, 20, 9_810]) {
            0 => None,
            1 => Some(days_ago(r.range(2, 720))),
            2 => Some(days_ago(1)),
            3 => Some(today),
            _ => Some(days_ago(-r.range(1, 3_650))),
        };
        let age = match r.weighted(&[30, 100, 1_800, 4_900, 2_800, 100, 60, 5]) {
            0 => r.range(16, 17),
            1 => 18,
            2 => r.range(19, 25),
            3 => r.range(26, 40),
            4 => r.range(41, 54),
            5 => 55,
            6 => r.range(56, 65),
            _ => r.range(66, 75),
        };
        let region = REGIONS.get(self.region_weights.pick(r)).map_or("CN-GD", |(name, _)| *name);
        let app_version = self.versions.get(self.version_weights.pick(r)).map(|(v, _)| *v);
        let segment = ["A", "B", "C"][..].get(r.weighted(&[5_300, 4_300, 400])).copied().unwrap_or("A");

        // Credit record.
        let overdue_days = match r.weighted(&[9_750, 150, 40, 5, 5, 40]) {
            0 => 0,
            1 => r.range(1, 29),
            2 => r.range(30, 88),
            3 => 89,
            4 => 90,
            _ => r.range(91, 400),
        };
        let overdue_amount = if overdue_days > 0 { r.range(10_000, 2_000_000) } else { 0 };
        let overdue_episodes_12m = match r.weighted(&[8_500, 900, 300, 150, 100, 50]) {
            0 => i64::from(overdue_days > 0),
            1 => 1,
            2 => 2,
            3 => 3,
            4 => r.range(4, 6),
            _ => r.range(7, 12),
        };
        let last_overdue_cleared_at = if overdue_episodes_12m == 0 {
            (r.chance(800)).then(|| days_ago(r.range(366, 1_800)))
        } else {
            Some(match r.weighted(&[1_800, 300, 7_900]) {
                0 => days_ago(r.range(0, 29)),
                1 => days_ago(30),
                _ => days_ago(r.range(31, 365)),
            })
        };
        let court_enforcement_listed = r.chance(30);
        let bureau_blacklisted = r.chance(30);
        let multi_lender_count_3m = match r.weighted(&[3_000, 3_100, 2_100, 1_000, 500, 240, 60, 60]) {
            i @ 0..=6 => i as i64,
            _ => r.range(7, 15),
        };

        // Behaviour.
        let login_failures_24h = match r.weighted(&[9_300, 450, 120, 60, 70]) {
            0 => 0,
            1 => r.range(1, 2),
            2 => r.range(3, 4),
            3 => 5,
            _ => r.range(6, 20),
        };
        let last_login_failure_at = if login_failures_24h > 0 {
            Some(seconds_ago(r.range(1, 86_399)))
        } else {
            (r.chance(1_500)).then(|| seconds_ago(r.range(86_400, 90 * 86_400)))
        };
        let new_device_unverified = r.chance(150);
        let requests_last_hour = match r.weighted(&[7_000, 2_500, 400, 20, 10, 50]) {
            0 => r.range(0, 5),
            1 => r.range(6, 20),
            2 => r.range(21, 59),
            3 => 60,
            4 => 61,
            _ => r.range(62, 500),
        };

        // Repayment capacity: debt as a share (per mille) of income, many near one half.
        let capacity = (!r.chance(120)).then(|| {
            let monthly_income = match r.weighted(&[40, 3_000, 4_500, 2_000, 460]) {
                0 => 0,
                1 => yuan(r, 2_000, 6_000, 100),
                2 => yuan(r, 6_000, 15_000, 100),
                3 => yuan(r, 15_000, 40_000, 500),
                _ => yuan(r, 40_000, 150_000, 1_000),
            };
            let per_mille = match r.weighted(&[2_000, 5_900, 1_650, 100, 350]) {
                0 => 0,
                1 => r.range(1, 399),
                2 => r.range(400, 499),
                3 => 500,
                _ => r.range(501, 1_200),
            };
            let monthly_debt_payments = if monthly_income == 0 {
                if r.chance(5_000) {
                    yuan(r, 200, 5_000, 100)
                } else {
                    0
                }
            } else if per_mille == 500 {
                monthly_income / 2
            } else {
                // A few fen either side of the exact share, so the ratio is not always round.
                (monthly_income * per_mille / 1_000 + r.range(-99, 99)).max(0)
            };
            Capacity { monthly_income, income_verified: !r.chance(350), monthly_debt_payments }
        });

        // The drawdown asked for, around what the line leaves free.
        let headroom = (credit_limit - used).max(0);
        let request_amount = match r.weighted(&[3_000, 6_700, 100, 200]) {
            0 => None,
            1 => Some(yuan(r, 100, (headroom / 100 * 4 / 5).max(100), 100)),
            2 => Some(headroom),
            _ => Some(headroom + yuan(r, 1, 10_000, 1)),
        };

        Borrower {
            as_of,
            locale,
            status,
            credit_limit,
            used,
            kyc_verified,
            id_expiry,
            age,
            region,
            app_version,
            segment,
            overdue_days,
            overdue_amount,
            overdue_episodes_12m,
            last_overdue_cleared_at,
            court_enforcement_listed,
            bureau_blacklisted,
            multi_lender_count_3m,
            login_failures_24h,
            last_login_failure_at,
            new_device_unverified,
            requests_last_hour,
            capacity,
            request_amount,
        }
    }
}

/// The facts a [`Borrower`] gives: the contract's.
pub use crate::schema::CONTRACT_PATHS as FACT_PATHS;

/// The type each of [`FACT_PATHS`] has in the default pack (text is `string` or `enum`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Want {
    Text,
    Money,
    Bool,
    Int,
    Date,
    DateTime,
    Version,
}

const WANTS: [Want; 24] = {
    use Want::*;
    [
        Text, Money, Money, Bool, Date, Int, Text, Version, Text, Int, Money, Int, Date, Bool, Bool, Int, Int,
        DateTime, Bool, Int, Money, Bool, Money, Money,
    ]
};

/// What a value must also satisfy to be accepted by the schema, beyond its type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Check {
    Any,
    Range(i64, i64),
    Enum(usize),
    Len(usize),
}

/// Where each of a borrower's facts goes in one pack's profiles: resolved once per pack, then
/// used for every borrower. A fact the pack does not declare, or declares with another type, is
/// left out of its profiles; so is a value its schema would refuse (an int out of range, a
/// string not among an enum's values, `never` for a fact without `null = "never"`).
#[derive(Clone, Debug, PartialEq)]
pub struct FactIds {
    /// Per slot of [`FACT_PATHS`]: the fact's id, the check its values need, and whether it takes `never`.
    slots: [Option<(FactId, Check, bool)>; 24],
    enums: Vec<Vec<String>>,
}

impl FactIds {
    /// Resolves [`FACT_PATHS`] in `schema`.
    pub fn resolve(schema: &Schema) -> FactIds {
        let mut slots: [Option<(FactId, Check, bool)>; 24] = [None; 24];
        let mut enums = Vec::new();
        for ((slot, path), want) in slots.iter_mut().zip(FACT_PATHS).zip(WANTS) {
            let Some((id, f)) = schema.lookup(path).and_then(|id| schema.fact(id).map(|f| (id, f))) else {
                continue;
            };
            let check = match (&f.kind, want) {
                (FactKind::Enum(e), Want::Text) => {
                    enums.push(schema.enum_values(*e).to_vec());
                    Check::Enum(enums.len() - 1)
                }
                (FactKind::Str { max_len }, Want::Text) => Check::Len(*max_len),
                (FactKind::Int { min, max }, Want::Int) => Check::Range(*min, *max),
                (FactKind::Money, Want::Money)
                | (FactKind::Bool, Want::Bool)
                | (FactKind::Date, Want::Date)
                | (FactKind::DateTime, Want::DateTime)
                | (FactKind::Version, Want::Version) => Check::Any,
                _ => continue,
            };
            *slot = Some((id, check, f.null_is_never));
        }
        FactIds { slots, enums }
    }

    /// How many of [`FACT_PATHS`] the schema declares with the type a borrower gives them.
    pub fn resolved(&self) -> usize {
        self.slots.iter().flatten().count()
    }

    /// A new profile of this schema with the borrower's facts.
    pub fn profile(&self, schema: &Schema, b: &Borrower) -> Profile {
        let mut p = Profile::empty(schema, b.as_of);
        self.fill(b, &mut p);
        p
    }

    /// Sets every fact of `b` into `profile` (a profile of this schema, reused between
    /// borrowers): the facts it gives are replaced, the others left as they are. Allocates only
    /// when a text fact was absent or grows longer than its buffer.
    pub fn fill(&self, b: &Borrower, profile: &mut Profile) {
        profile.as_of = b.as_of;
        profile.locale = Some(b.locale);
        // One call per slot of FACT_PATHS, in its order: a straight line, no dispatch on the slot.
        let money = |fen: i64| Some(Scalar::Money(Dec::from_fen(i128::from(fen))));
        let cap = b.capacity.as_ref();
        self.text(profile, 0, b.status);
        self.put(profile, 1, money(b.credit_limit));
        self.put(profile, 2, money(b.used));
        self.put(profile, 3, Some(Scalar::Bool(b.kyc_verified)));
        self.put(profile, 4, b.id_expiry.map(Scalar::Date));
        self.put(profile, 5, Some(Scalar::Int(b.age)));
        self.text(profile, 6, b.region);
        self.put(profile, 7, b.app_version.map(Scalar::Version));
        self.text(profile, 8, b.segment);
        self.put(profile, 9, Some(Scalar::Int(b.overdue_days)));
        self.put(profile, 10, money(b.overdue_amount));
        self.put(profile, 11, Some(Scalar::Int(b.overdue_episodes_12m)));
        self.put(profile, 12, Some(b.last_overdue_cleared_at.map_or(Scalar::Never, Scalar::Date)));
        self.put(profile, 13, Some(Scalar::Bool(b.court_enforcement_listed)));
        self.put(profile, 14, Some(Scalar::Bool(b.bureau_blacklisted)));
        self.put(profile, 15, Some(Scalar::Int(b.multi_lender_count_3m)));
        self.put(profile, 16, Some(Scalar::Int(b.login_failures_24h)));
        self.put(profile, 17, Some(b.last_login_failure_at.map_or(Scalar::Never, Scalar::DateTime)));
        self.put(profile, 18, Some(Scalar::Bool(b.new_device_unverified)));
        self.put(profile, 19, Some(Scalar::Int(b.requests_last_hour)));
        self.put(profile, 20, cap.and_then(|c| money(c.monthly_income)));
        self.put(profile, 21, cap.map(|c| Scalar::Bool(c.income_verified)));
        self.put(profile, 22, cap.and_then(|c| money(c.monthly_debt_payments)));
        self.put(profile, 23, b.request_amount.and_then(money));
    }

    /// Sets a text fact: kept as it is when the profile holds the same text already (it was
    /// checked when it was set), else checked against the enum or length and set (or removed),
    /// in the buffer the profile holds if it holds one.
    #[inline]
    fn text(&self, profile: &mut Profile, slot: usize, text: &'static str) {
        let Some(Some((id, check, _))) = self.slots.get(slot).copied() else { return };
        if matches!(profile.get(id), Some(Scalar::Str(s)) if s == text) {
            return;
        }
        let fits = match check {
            Check::Enum(e) => self.enums.get(e).is_some_and(|vals| vals.iter().any(|x| x == text)),
            Check::Len(max) => text.chars().count() <= max,
            _ => false,
        };
        match profile.get_mut(id) {
            // The region changes from one borrower to the next: its buffer is reused.
            Some(Scalar::Str(held)) if fits => {
                held.clear();
                held.push_str(text);
            }
            _ => profile.set(id, fits.then(|| Scalar::Str(text.to_string()))),
        }
    }

    /// Sets any other fact, or removes it if the schema would refuse the value. (Inlined: it is
    /// called 21 times per borrower, and the call cost as much as the work.)
    #[inline(always)]
    fn put(&self, profile: &mut Profile, slot: usize, value: Option<Scalar>) {
        let Some(Some((id, check, never_ok))) = self.slots.get(slot).copied() else { return };
        let fits = match (&value, check) {
            (Some(Scalar::Never), _) => never_ok,
            (Some(Scalar::Int(i)), Check::Range(lo, hi)) => lo <= *i && *i <= hi,
            _ => true,
        };
        profile.set(id, if fits { value } else { None });
    }
}

#[cfg(test)]
mod tests {
    use super::{Rng, Totals, REGIONS};

    #[test]
    fn totals_pick_what_weighted_picks_with_the_same_draws() {
        let tables: [Vec<u64>; 3] =
            [REGIONS.iter().map(|(_, w)| *w).collect(), vec![0, 5, 0, 0, 7, 0], vec![1, 0, 0, 0]];
        for weights in tables {
            let totals = Totals::new(weights.iter().copied());
            let (mut a, mut b) = (Rng::new(7), Rng::new(7));
            for _ in 0..20_000 {
                assert_eq!(totals.pick(&mut a), b.weighted(&weights), "{weights:?}");
            }
        }
    }
}
