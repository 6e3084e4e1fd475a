//! Inputs the fuzzers found (fuzz/regressions/), kept so the bugs they showed stay fixed. Each runs the same
//! checks as its fuzz target: `loader-*` through parsing, rules and the piecewise parse; `diff-*` as two
//! revisions split at the first 0xFF byte, each of which must compare equal to itself.

use std::sync::Arc;

use okr::core::compare::{SnapshotFile, compare};

use crate::support::project_root;

fn regressions(prefix: &str) -> Vec<(String, Vec<u8>)> {
    let dir = project_root().join("fuzz/regressions");
    let mut found: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    found.sort();
    assert!(!found.is_empty(), "no {prefix} regressions");
    found
}

fn snapshot(bytes: &[u8]) -> Vec<SnapshotFile> {
    okr::core::parse::parse("okrs/2026-Q3/a.yaml", bytes.to_vec())
        .okr
        .map(|okr| SnapshotFile {
            path: "okrs/2026-Q3/a.yaml".into(),
            okr: Arc::new(okr),
        })
        .into_iter()
        .collect()
}

#[test]
fn loader_regressions_parse_the_same_piecewise_and_whole() {
    for (name, bytes) in regressions("loader-") {
        let loaded = okr::core::parse::parse("okrs/2026-Q3/fuzz.yaml", bytes.clone());
        if let Some(okr) = &loaded.okr {
            let _ = okr::core::rules::check_file(okr, "okrs/2026-Q3/fuzz.yaml");
        }
        if let Ok(text) = std::str::from_utf8(&bytes)
            && let Some(piecewise) = okr::core::piecewise::Pieces::default().parse(text)
        {
            assert_eq!(Some(&piecewise), loaded.okr.as_ref(), "{name}");
        }
    }
}

#[test]
fn diff_regressions_compare_equal_to_themselves() {
    for (name, bytes) in regressions("diff-") {
        let (old, new) = match bytes.iter().position(|b| *b == 0xff) {
            Some(at) => (&bytes[..at], &bytes[at + 1..]),
            None => (&bytes[..], &[][..]),
        };
        for side in [old, new] {
            assert!(
                compare(&snapshot(side), &snapshot(side)).is_empty(),
                "{name}"
            );
        }
        let _ = compare(&snapshot(old), &snapshot(new));
    }
}
