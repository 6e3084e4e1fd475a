//! Every command in every format it writes, on the bundled demo, pinned by snapshots: a change to any
//! renderer shows in review as a diff of what users see. The day is pinned (`OKR_TODAY`), and the demo's
//! commits are the same on every run, so the outputs are too. In HTML, the style sheet is left out (it is a
//! file of its own, reviewed as such); the page's text and pictures are kept.

use crate::repo::GitRepo;
use crate::support::{Run, okr_command};

/// After the demo quarter ended: reports include the retrospective.
const TODAY: &str = "2026-10-15";
/// Where the platform team's plan stood before its mid-quarter pivots.
const EARLY: &str = "5c7a866";

/// The demo, with a working tree that eases a target without a reason and misspells a field, so validate,
/// the working-tree diff and the check have something to say.
fn demo() -> GitRepo {
    let repo = GitRepo::demo();
    let path = repo.path().join("okrs/2026-Q3/platform.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("    key_results:\n"), "{text}");
    let edited = text.replacen(
        "    key_results:\n",
        "    key_resluts_note: x\n    key_results:\n",
        1,
    );
    std::fs::write(&path, edited).unwrap();
    repo
}

fn run(repo: &GitRepo, args: &[&str]) -> Run {
    Run::from(
        okr_command(repo.path())
            .args(args)
            .env("OKR_TODAY", TODAY)
            .output()
            .expect("okr runs"),
    )
}

/// The style sheet's text replaced by a marker.
fn without_style(html: &str) -> String {
    match (html.find("<style>"), html.find("</style>")) {
        (Some(start), Some(end)) if start < end => format!(
            "{}<style>/* okr's style sheet */{}",
            &html[..start],
            &html[end..]
        ),
        _ => html.to_owned(),
    }
}

/// `okr ARGS` in each of `formats`, each pinned as `NAME_FORMAT`, with the exit code it must have.
fn pin(repo: &GitRepo, name: &str, args: &[&str], formats: &[&str], code: i32) {
    for format in formats {
        let mut all = args.to_vec();
        all.extend(["--format", format]);
        let run = run(repo, &all);
        assert_eq!(run.code, code, "okr {all:?}: {}", run.stderr);
        let shown = if *format == "html" {
            without_style(&run.stdout)
        } else {
            run.stdout
        };
        insta::assert_snapshot!(format!("{name}_{format}"), shown);
    }
}

const FINDINGS: [&str; 7] = [
    "human", "json", "github", "sarif", "junit", "gitlab", "rdjson",
];

#[test]
fn validate_in_every_format() {
    let repo = demo();
    pin(&repo, "validate", &["validate"], &FINDINGS, 1);
}

#[test]
fn diff_in_every_format() {
    let repo = demo();
    pin(
        &repo,
        "diff",
        &["diff", EARLY, "HEAD"],
        &["human", "markdown", "json"],
        0,
    );
    pin(&repo, "diff_working_tree", &["diff"], &["human"], 0);
}

#[test]
fn diff_check_in_every_format() {
    let repo = demo();
    let mut formats = FINDINGS.to_vec();
    formats.push("markdown");
    pin(
        &repo,
        "diff_check",
        &["diff", "--check", EARLY, "HEAD"],
        &formats,
        1,
    );
}

#[test]
fn history_in_every_format() {
    let repo = demo();
    pin(
        &repo,
        "history",
        &["history"],
        &["human", "markdown", "json", "html"],
        0,
    );
}

#[test]
fn report_in_every_format() {
    let repo = demo();
    pin(
        &repo,
        "report",
        &["report"],
        &["human", "markdown", "json", "html"],
        0,
    );
    // Mid-quarter, before the retrospective.
    pin(
        &repo,
        "report_mid_quarter",
        &["report", "--at", "1b745f3"],
        &["human", "markdown"],
        0,
    );
}

#[test]
fn show_in_every_format() {
    let repo = demo();
    pin(&repo, "show", &["show"], &["human", "markdown", "json"], 0);
    pin(
        &repo,
        "show_on_a_day",
        &["show", "--at", "2026-07-20"],
        &["human"],
        0,
    );
}
