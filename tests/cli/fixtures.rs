//! Data-driven fixtures: `fixtures/valid/` must produce no diagnostic at all, and each `fixtures/invalid/<case>/`
//! must produce exactly the diagnostics its `expected.txt` names, at the lines (and columns) it names. Each
//! `fixtures/real/<corpus>/` (a real quarter converted from a public corpus) must validate cleanly and report
//! the scores its source's numbers give.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::repo::GitRepo;
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

/// The folders of `fixtures/real/`, one per corpus, sorted.
pub fn real_fixtures() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(project_root().join("fixtures/real"))
        .expect("fixtures/real exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

#[test]
fn real_quarters_produce_no_diagnostics_at_all() {
    let dirs = real_fixtures();
    assert_eq!(dirs.len(), 4, "one real quarter per corpus: {dirs:?}");
    for dir in &dirs {
        assert!(
            dir.join("README.md").is_file(),
            "{} has no README.md",
            dir.display()
        );
        let run = okr(dir, &["validate", "--format", "json"]);
        assert_eq!(run.code, 0, "{}: {}", dir.display(), run.stdout);
        assert!(run.stderr.is_empty(), "{}: {}", dir.display(), run.stderr);
        assert_eq!(
            diagnostic_lines(&run.json()),
            Vec::<String>::new(),
            "{}",
            dir.display()
        );
    }
}

/// A real fixture committed to a fresh repository, so that `okr report` has a history to read.
fn committed(dir: &Path) -> GitRepo {
    let repo = GitRepo::new();
    for entry in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap) {
        if entry.file_type().is_file() {
            let relative = entry.path().strip_prefix(dir).unwrap().to_str().unwrap();
            let text = std::fs::read_to_string(entry.path()).unwrap();
            repo.write(relative, &text);
        }
    }
    repo.commit(
        "2024-06-01T10:00:00+00:00",
        "Converter",
        "Import a real quarter",
    );
    repo
}

fn report(corpus: &str, quarter: &str) -> Value {
    let repo = committed(&project_root().join("fixtures/real").join(corpus));
    let run = repo.okr(&["report", "--quarter", quarter, "--format", "json"]);
    assert_eq!(run.code, 0, "{corpus}: {}\n{}", run.stdout, run.stderr);
    run.json()
}

fn team<'v>(report: &'v Value, name: &str) -> &'v Value {
    report["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == name)
        .unwrap_or_else(|| panic!("no team {name}"))
}

fn objective_score(report: &Value, team_name: &str, id: &str) -> f64 {
    team(report, team_name)["objectives"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == id)
        .unwrap_or_else(|| panic!("no objective {team_name}/{id}"))["score"]
        .as_f64()
        .unwrap()
}

#[test]
fn real_quarters_report_the_scores_their_sources_give() {
    // Anand Chowdhary 2022-Q1, "Set up for a great 2022": progress 0.5, progress 0.35, and 0.6 of a target
    // of 3 with no start (0.6 / 3 = 0.2): (0.5 + 0.35 + 0.2) / 3 = 0.35.
    let anand = report("anandchowdhary-okrs", "2022-Q1");
    assert_eq!(
        objective_score(&anand, "anand", "set-up-for-a-great-2022"),
        0.35
    );

    // GitLab FY20-Q3 is okr's 2020-Q3 with a February fiscal year: August to October 2019.
    let gitlab = report("gitlab-handbook-okrs", "2020-Q3");
    assert_eq!(gitlab["start"], "2019-08-01");
    assert_eq!(gitlab["end"], "2019-10-31");
    // "Dogfood everything": 30%, 120% (capped to 1), 57%, 100%, ungraded (0), 75%, 74%, 66%:
    // (0.3 + 1 + 0.57 + 1 + 0 + 0.75 + 0.74 + 0.66) / 8 = 0.6275, shown as 0.63.
    assert_eq!(
        objective_score(&gitlab, "engineering", "dogfood-everything"),
        0.63
    );

    // IPFS Cluster 2019-Q2, "Release collaborative clusters", End-Q grades as scores:
    // (0.7 + 0.2 + 0.8 + 0.3 + 1 + 0.5) / 6 = 0.583.
    let ipfs = report("ipfs-team-mgmt-okrs", "2019-Q2");
    assert_eq!(
        objective_score(&ipfs, "cluster", "release-collaborative-clusters"),
        0.58
    );

    // Sourcegraph FY21-Q1 is okr's 2021-Q1 with a February fiscal year.
    let sourcegraph = report("sourcegraph-handbook", "2021-Q1");
    assert_eq!(sourcegraph["start"], "2020-02-01");
    // Web's onboarding objective: 3 of 5 user tests, no start (3 / 5 = 0.6), and a milestone done (1):
    // (0.6 + 1) / 2 = 0.8.
    assert_eq!(
        objective_score(&sourcegraph, "web", "address-pain-points-in-onboarding"),
        0.8
    );
    // Distribution's installation objective: 0% and 100%: (0 + 1) / 2 = 0.5.
    assert_eq!(
        objective_score(
            &sourcegraph,
            "distribution",
            "improve-installation-and-site-admin-onboarding"
        ),
        0.5
    );
}
