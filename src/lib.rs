//! drawcheck: tells the borrower of a consumer micro-loan line why drawing is restricted and what
//! they can do about it — on their own device, from a rule pack and their profile.
//!
//! The core is pure: text and data in, a verdict or diagnostics out; no I/O, no clock, no
//! randomness. See ARCHITECTURE.md for the code map and the invariants.
//!
//! ```
//! let pack = drawcheck::compile_pack(drawcheck::DEFAULT_PACK).map_err(|d| format!("{d:?}"))?;
//! let profile = drawcheck::read_profile(&pack, r#"{"as_of": "2026-11-29T10:00:00+08:00",
//!     "account": {"status": "frozen"}}"#).map_err(|e| e.to_string())?;
//! let verdict = drawcheck::check(&pack, &profile, drawcheck::Options::default());
//! assert_eq!(verdict.status, drawcheck::Status::Frozen);
//! # Ok::<(), String>(())
//! ```
#![deny(missing_docs)]

pub mod calendar;
pub mod explain;
pub mod expr;
pub mod i18n;
pub mod money;
pub mod pack;
pub mod population;
pub mod profile;
pub mod recourse;
pub mod schema;
pub mod value;
pub mod verdict;
#[cfg(target_arch = "wasm32")]
pub mod web;

pub use i18n::Locale;
pub use pack::{Diagnostic, Pack, Severity};
pub use profile::{Profile, ProfileError};
pub use verdict::{Options, Reason, Status, Verdict};

/// The default rule pack (POLICY.md v1), embedded.
pub const DEFAULT_PACK: &str = include_str!("../rules/default.toml");

/// The sha256 of [`DEFAULT_PACK`] in lowercase hex, computed by build.rs from the same file.
const DEFAULT_PACK_SHA256: &str = include_str!(concat!(env!("OUT_DIR"), "/default_pack.sha256"));

/// Compiles a rule pack from its TOML text.
pub fn compile_pack(text: &str) -> Result<Pack, Vec<Diagnostic>> {
    // The embedded pack's hash is known: the page compiles it first thing, in fresh wasm, where
    // hashing its 40 KB took ~12% of the compile (comparing the text is a memcmp).
    pack::compile_known(text, (text == DEFAULT_PACK).then_some(DEFAULT_PACK_SHA256))
}

/// Reads a profile from JSON text, validated against the pack's fact schema.
pub fn read_profile(pack: &Pack, json: &str) -> Result<Profile, ProfileError> {
    profile::from_json(&pack.schema, json)
}

/// Evaluates a profile against a pack; with `opts.recourse`, also plans the path back to drawing.
pub fn check(pack: &Pack, profile: &Profile, opts: Options) -> Verdict {
    if opts.recourse {
        // The plan starts from the verdict's own decisions: the profile is decided once.
        return recourse::check(pack, profile, opts).0;
    }
    verdict::evaluate(pack, profile, opts)
}
