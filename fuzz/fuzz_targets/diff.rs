//! Two arbitrary documents compared as revisions of one file: the semantic diff must return, never panic, and
//! comparing a revision with itself must find nothing.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use okr::core::compare::{SnapshotFile, compare};

fuzz_target!(|data: &[u8]| {
    // The two revisions are separated by the first 0xFF byte (never valid UTF-8, so never inside a text).
    let (old, new) = match data.iter().position(|b| *b == 0xff) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, &[][..]),
    };
    let snapshot = |bytes: &[u8]| -> Vec<SnapshotFile> {
        okr::core::parse::parse("okrs/2026-Q3/a.yaml", bytes.to_vec())
            .okr
            .map(|okr| SnapshotFile {
                path: "okrs/2026-Q3/a.yaml".into(),
                okr: Arc::new(okr),
            })
            .into_iter()
            .collect()
    };
    let (before, after) = (snapshot(old), snapshot(new));
    let _ = compare(&before, &after);
    let _ = compare(&after, &before);
    // The same content parsed twice (two separate models) has no changes.
    assert!(
        compare(&before, &snapshot(old)).is_empty(),
        "a revision differs from itself"
    );
});
