//! The indicator catalogue: parsing arbitrary text against the shipped procedures never panics;
//! a refusal names a line inside the text; an accepted catalogue has unique ids and known areas.
#![no_main]

use std::sync::OnceLock;

use fazhi_app::indicators::Catalogue;
use fazhi_app::procedure::Procedure;
use libfuzzer_sys::fuzz_target;

fn procedures() -> &'static [Procedure] {
    static PROCEDURES: OnceLock<Vec<Procedure>> = OnceLock::new();
    PROCEDURES.get_or_init(|| fazhi_app::procedure::load_embedded().expect("shipped procedures"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Catalogue::parse(text, procedures()) {
        Ok(catalogue) => {
            let mut ids: Vec<&str> = catalogue.indicators.iter().map(|i| i.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), catalogue.indicators.len());
            assert!(catalogue.indicators.iter().all(|i| catalogue.area(&i.area).is_some()));
        }
        Err(error) => {
            assert!(error.line >= 1 && error.line <= text.lines().count().max(1) + 1, "{error}");
        }
    }
});
