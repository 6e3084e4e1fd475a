//! Data-driven fixtures: `fixtures/valid/` must produce no diagnostic at all, and each `fixtures/invalid/<case>/`
//! must produce exactly the diagnostics its `expected.txt` names, at the lines (and columns) it names.

use std::collections::BTreeSet;
use std::path::PathBuf;

use crate::support::{diagnostic_lines, okr, project_root};

pub struct ExpectedCase {
    pub dir: PathBuf,
    /// What the JSON Schema must say: `reject`, `accept` or `none` (not parseable).
    pub schema: String,
    /// `path:line:column severity code`, or `path:line severity code` where the column is the parser's choice.
    pub diagnostics: Vec<String>,
}

pub fn invalid_cases() -> Vec<ExpectedCase> {
    let root = project_root().join("fixtures/invalid");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .expect("fixtures/invalid exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs.into_iter()
        .map(|dir| {
            let text = std::fs::read_to_string(dir.join("expected.txt"))
                .unwrap_or_else(|_| panic!("{} has no expected.txt", dir.display()));
            let mut schema = String::new();
            let mut diagnostics = Vec::new();
            for line in text
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
            {
                match line.strip_prefix("schema:") {
                    Some(verdict) => schema = verdict.trim().to_owned(),
                    None => diagnostics.push(line.to_owned()),
                }
            }
            ExpectedCase {
                dir,
                schema,
                diagnostics,
            }
        })
        .collect()
}

/// Compares one expected line with one actual line; a missing column in the expectation matches any column.
fn matches(expected: &str, actual: &str) -> bool {
    let (e_place, e_rest) = expected.split_once(' ').unwrap_or((expected, ""));
    let (a_place, a_rest) = actual.split_once(' ').unwrap_or((actual, ""));
    if e_rest != a_rest {
        return false;
    }
    if e_place.matches(':').count() == 1 {
        a_place
            .rsplit_once(':')
            .is_some_and(|(without_column, _)| without_column == e_place)
    } else {
        e_place == a_place
    }
}

#[test]
fn each_invalid_case_reports_exactly_its_expected_diagnostics() {
    let cases = invalid_cases();
    assert!(cases.len() >= 20, "only {} invalid cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let run = okr(&case.dir, &["validate", "--format", "json"]);
        let name = case.dir.file_name().unwrap().to_string_lossy().into_owned();
        if !run.stderr.is_empty() {
            failures.push(format!("{name}: stderr {}", run.stderr));
            continue;
        }
        let actual = diagnostic_lines(&run.json());
        let mut unmatched: Vec<&String> = actual.iter().collect();
        let mut missing = Vec::new();
        for expected in &case.diagnostics {
            match unmatched.iter().position(|a| matches(expected, a)) {
                Some(i) => {
                    unmatched.remove(i);
                }
                None => missing.push(expected.clone()),
            }
        }
        let has_error = case.diagnostics.iter().any(|d| d.contains(" error "));
        if !missing.is_empty() || !unmatched.is_empty() {
            failures.push(format!(
                "{name}:\n  missing: {missing:?}\n  unexpected: {unmatched:?}"
            ));
        } else if run.code != if has_error { 1 } else { 0 } {
            failures.push(format!("{name}: exit {}", run.code));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn every_rule_is_exercised_by_an_invalid_case() {
    let listed = okr(&project_root(), &["rules"]);
    // Rules of `okr diff --check` judge changes, not files: tests/cli/policy.rs exercises them. Those of
    // `okr validate --stale` judge a file against its history: tests/cli/stale.rs does.
    let codes: BTreeSet<String> = listed
        .stdout
        .lines()
        .filter(|l| !l.ends_with("(okr diff --check)") && !l.ends_with("(okr validate --stale)"))
        .map(|l| l.split_whitespace().next().unwrap().to_owned())
        .collect();
    let covered: BTreeSet<String> = invalid_cases()
        .iter()
        .flat_map(|c| {
            c.diagnostics
                .iter()
                .filter_map(|d| d.rsplit(' ').next().map(str::to_owned))
        })
        .collect();
    let uncovered: Vec<&String> = codes.difference(&covered).collect();
    assert!(
        uncovered.is_empty(),
        "no invalid case exercises {uncovered:?}"
    );
}

#[test]
fn valid_fixtures_produce_no_diagnostics_at_all() {
    for dir in ["fixtures/valid", "fixtures/demo"] {
        let run = okr(&project_root().join(dir), &["validate", "--format", "json"]);
        assert_eq!(run.code, 0, "{dir}: {}", run.stdout);
        assert_eq!(diagnostic_lines(&run.json()), Vec::<String>::new(), "{dir}");
    }
}
