//! Any bytes as a profile's JSON text, read against the default pack; whatever is accepted is
//! evaluated with and without the trace, in both languages. Nothing may panic.
#![no_main]

use drawcheck::{Locale, Options, Pack};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn pack() -> &'static Pack {
    static PACK: OnceLock<Pack> = OnceLock::new();
    PACK.get_or_init(|| match drawcheck::compile_pack(drawcheck::DEFAULT_PACK) {
        Ok(pack) => pack,
        Err(diags) => panic!("the default pack does not compile: {diags:?}"),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(profile) = drawcheck::read_profile(pack(), text) else { return };
    let plain = drawcheck::check(pack(), &profile, Options::default());
    let traced =
        drawcheck::check(pack(), &profile, Options { locale: Some(Locale::En), trace: true, ..Options::default() });
    assert!(plain.available <= plain.effective_limit || plain.status.stops_drawing());
    assert_eq!((plain.status, plain.available), (traced.status, traced.available));
    let _ = drawcheck::explain::text(pack(), &traced);
});
