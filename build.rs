//! The default pack's sha256, computed once at build time (`OUT_DIR/default_pack.sha256`), so that
//! compiling the embedded pack — the first thing the borrower's page does — does not hash 40 KB of
//! text in freshly instantiated wasm. `tests/personas.rs` checks it against a hash made at run time.
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    println!("cargo::rerun-if-changed=rules/default.toml");
    let text = std::fs::read("rules/default.toml")?;
    let mut hex = String::with_capacity(64);
    for b in Sha256::digest(&text) {
        write!(hex, "{b:02x}")?;
    }
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    std::fs::write(out.join("default_pack.sha256"), hex)?;
    Ok(())
}
