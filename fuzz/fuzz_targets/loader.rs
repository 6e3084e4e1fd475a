//! Any bytes as an OKR file: parsing, decoding and every rule must return, never panic, and the piecewise
//! parse (used by history) must agree with the whole parse whenever it takes the file.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = okr::core::parse::parse("okrs/2026-Q3/fuzz.yaml", data.to_vec());
    for finding in &loaded.findings {
        assert!(
            finding.pos.line >= 1 && finding.pos.column >= 1,
            "unlocated finding {finding:?}"
        );
    }
    if let Some(okr) = &loaded.okr {
        let _ = okr::core::rules::check_file(okr, "okrs/2026-Q3/fuzz.yaml");
        let _ = okr::core::rules::check_repository(&[("okrs/2026-Q3/fuzz.yaml", okr)]);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let mut pieces = okr::core::piecewise::Pieces::default();
        if let Some(piecewise) = pieces.parse(text) {
            assert_eq!(
                Some(&piecewise),
                loaded.okr.as_ref(),
                "piecewise parse differs"
            );
        }
        // The same pieces two lines further down: reused from the cache with their positions moved.
        let moved = format!("#\n\n{text}");
        if let Some(piecewise) = pieces.parse(&moved) {
            let whole = okr::core::parse::parse("okrs/2026-Q3/fuzz.yaml", moved.clone().into_bytes());
            assert_eq!(
                Some(&piecewise),
                whole.okr.as_ref(),
                "piecewise parse of moved pieces differs"
            );
        }
    }
});
