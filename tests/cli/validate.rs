//! `okr validate` as a user and a CI step see it: output, exit codes, paths and configuration.

use crate::support::{Scratch, diagnostic_lines, okr, project_root, valid_file};

#[test]
fn demo_validates_cleanly_with_exit_0() {
    let run = okr(&project_root().join("fixtures/demo"), &["validate"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("no problems in 4 files"),
        "{}",
        run.stdout
    );
}

#[test]
fn json_output_follows_the_documented_contract() {
    let repo = Scratch::new();
    repo.write(
        "okrs/2026-Q3/search.yaml",
        valid_file("search").replace("        target: 2", "        taget: 2"),
    );
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1);
    let json = run.json();
    assert_eq!(json["files"], 1);
    assert_eq!(json["errors"], 2, "{json:#}");
    assert_eq!(json["warnings"], 0);
    let unknown = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "unknown-field")
        .expect("an unknown-field diagnostic");
    assert_eq!(unknown["path"], "okrs/2026-Q3/search.yaml");
    assert_eq!(unknown["line"], 11);
    assert_eq!(unknown["column"], 9);
    assert_eq!(unknown["severity"], "error");
    assert_eq!(unknown["help"], "did you mean `target`?");
    assert!(unknown["message"].as_str().unwrap().contains("`taget`"));
    // The key result lost its target, so it cannot be measured either: both are reported in one run.
    assert!(
        diagnostic_lines(&json)
            .contains(&"okrs/2026-Q3/search.yaml:8:9 error kr-not-measurable".to_owned())
    );
}

#[test]
fn human_output_quotes_the_line_with_a_caret_and_counts() {
    let repo = Scratch::new();
    repo.write(
        "okrs/2026-Q3/search.yaml",
        valid_file("search").replace("        target: 2", "        taget: 2"),
    );
    let run = repo.okr(&["validate"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .contains("error[unknown-field]: unknown field `taget`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("--> okrs/2026-Q3/search.yaml:11:9"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("11 |         taget: 2\n   |         ^^^^^"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("= help: did you mean `target`?"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.trim_end().ends_with("2 errors in 1 file"),
        "{}",
        run.stdout
    );
}

#[test]
fn no_colour_when_piped_or_with_no_color_and_colour_when_forced() {
    let repo = Scratch::new();
    repo.write(
        "okrs/2026-Q3/a.yaml",
        valid_file("a").replace("title: Make", "titel: Make"),
    );
    assert!(!repo.okr(&["validate"]).stdout.contains('\u{1b}'));
    let forced = repo.okr(&["validate", "--color", "always"]);
    assert!(forced.stdout.contains('\u{1b}'), "{}", forced.stdout);
}

#[test]
fn warnings_pass_unless_denied() {
    let repo = Scratch::new();
    let one_kr = valid_file("a").replace(
        "      - id: rollback-runbook\n        title: Every service has a tested rollback runbook\n        done: false\n",
        "",
    );
    repo.write("okrs/2026-Q3/a.yaml", one_kr);
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        diagnostic_lines(&run.json()),
        ["okrs/2026-Q3/a.yaml:7:5 warning kr-count"]
    );
    assert_eq!(repo.okr(&["validate", "--deny-warnings"]).code, 1);
}

#[test]
fn okr_toml_changes_rule_severities() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a").replace("        done: false\n", "        done: false\n      - id: x\n        title: X\n        done: true\n      - id: y\n        title: Y\n        done: true\n      - id: z\n        title: Z\n        done: true\n      - id: w\n        title: W\n        done: true\n"));
    assert_eq!(repo.okr(&["validate"]).code, 0);
    repo.write("okr.toml", "[rules]\nkr-count = \"error\"\n");
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.json()["errors"], 1);
    repo.write("okr.toml", "[rules]\nkr-count = \"allow\"\n");
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.json()["diagnostics"].as_array().unwrap().len(), 0);
}

#[test]
fn a_broken_okr_toml_is_a_usage_error_that_names_the_problem() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    repo.write("okr.toml", "[rules]\nkr-cout = \"warn\"\n");
    let run = repo.okr(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("okr.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("did you mean `kr-count`?"),
        "{}",
        run.stderr
    );
    repo.write("okr.toml", "dir = [\n");
    assert_eq!(repo.okr(&["validate"]).code, 2);
}

#[test]
fn an_unknown_path_is_a_usage_error() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    let run = repo.okr(&["validate", "okrs/2026-Q9"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no such file or folder"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_okr_folder_says_how_to_start() {
    let repo = Scratch::new();
    let run = repo.okr(&["validate"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("okr init"), "{}", run.stderr);
}

#[test]
fn unknown_flags_are_usage_errors() {
    let repo = Scratch::new();
    assert_eq!(repo.okr(&["validate", "--formatt", "json"]).code, 2);
    assert_eq!(repo.okr(&["validate", "--format", "yaml"]).code, 2);
}

#[test]
fn every_problem_in_every_file_is_reported_in_one_run() {
    let repo = Scratch::new();
    repo.write(
        "okrs/2026-Q3/a.yaml",
        valid_file("a").replace("title: Make deploys boring", "titel: Make deploys boring"),
    );
    repo.write(
        "okrs/2026-Q3/b.yaml",
        valid_file("b")
            .replace("type: committed", "type: comitted")
            .replace("start: 12", "start: \"12\""),
    );
    repo.write("okrs/2026-Q3/c.yaml", "quarter: 2026-Q3\nteam: [c\n");
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1);
    let lines = diagnostic_lines(&run.json());
    assert_eq!(run.json()["files"], 3);
    for expected in [
        "okrs/2026-Q3/a.yaml:4:5 error missing-field",
        "okrs/2026-Q3/a.yaml:5:5 error unknown-field",
        "okrs/2026-Q3/b.yaml:6:11 error invalid-value",
        "okrs/2026-Q3/b.yaml:10:16 error invalid-value",
    ] {
        assert!(
            lines.contains(&expected.to_owned()),
            "{expected} not in {lines:#?}"
        );
    }
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("okrs/2026-Q3/c.yaml:") && l.ends_with("yaml-syntax")),
        "{lines:#?}"
    );
}

#[test]
fn paths_can_name_files_and_folders_and_c_works_like_git() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    repo.write(
        "okrs/2026-Q4/b.yaml",
        valid_file("b")
            .replace("2026-Q3", "2026-Q4")
            .replace("titl", "tite"),
    );
    let one = okr(
        repo.path(),
        &["validate", "okrs/2026-Q3/a.yaml", "--format", "json"],
    );
    assert_eq!((one.code, one.json()["files"].as_u64()), (0, Some(1)));
    let folder = okr(
        repo.path(),
        &["validate", "okrs/2026-Q4", "--format", "json"],
    );
    assert_eq!((folder.code, folder.json()["files"].as_u64()), (1, Some(1)));
    let elsewhere = okr(
        std::path::Path::new("/"),
        &[
            "-C",
            repo.path().to_str().unwrap(),
            "validate",
            "--format",
            "json",
        ],
    );
    assert_eq!(elsewhere.json()["files"], 2);
    // From a subfolder, paths are still shown relative to the repository root.
    let nested = okr(
        &repo.path().join("okrs/2026-Q4"),
        &["validate", "--format", "json"],
    );
    assert_eq!(
        nested.json()["diagnostics"][0]["path"],
        "okrs/2026-Q4/b.yaml"
    );
}

#[test]
fn alignment_is_checked_against_the_whole_repository_even_for_one_file() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/company.yaml", valid_file("company"));
    repo.write(
        "okrs/2026-Q3/a.yaml",
        valid_file("a").replace(
            "    type: committed\n",
            "    type: committed\n    aligns_to: company/boring-deploys\n",
        ),
    );
    repo.write(
        "okrs/2026-Q3/b.yaml",
        valid_file("b").replace(
            "    type: committed\n",
            "    type: committed\n    aligns_to: company/boring-deploy\n",
        ),
    );
    assert_eq!(repo.okr(&["validate", "okrs/2026-Q3/a.yaml"]).code, 0);
    let run = repo.okr(&["validate", "okrs/2026-Q3/b.yaml", "--format", "json"]);
    assert_eq!(
        diagnostic_lines(&run.json()),
        ["okrs/2026-Q3/b.yaml:7:16 error unknown-alignment"]
    );
    assert_eq!(
        run.json()["diagnostics"][0]["help"],
        "did you mean `company/boring-deploys`?"
    );
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let run = okr(&project_root(), &["schema"]);
    assert_eq!(run.code, 0);
    let committed = std::fs::read_to_string(project_root().join("schema/okr.schema.json")).unwrap();
    assert_eq!(run.stdout, committed);
}

#[test]
fn help_and_version_work() {
    let help = okr(&project_root(), &["validate", "--help"]);
    assert_eq!(help.code, 0);
    assert!(help.stdout.contains("--deny-warnings"));
    assert!(
        okr(&project_root(), &["--version"])
            .stdout
            .starts_with("okr ")
    );
}

#[cfg(unix)]
#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let repo = Scratch::new();
    for i in 0..200 {
        repo.write(
            &format!("okrs/2026-Q3/t{i}.yaml"),
            valid_file(&format!("t{i}")).replace("titl", "tite"),
        );
    }
    let mut child = crate::support::okr_command(repo.path())
        .args(["validate"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "a reader that went away is not an error"
    );
}

#[test]
fn a_wrong_quarter_is_one_finding_not_a_cascade_of_broken_alignments() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/company.yaml", valid_file("company"));
    let aligned = valid_file("a").replace(
        "    type: committed\n",
        "    type: committed\n    aligns_to: company/boring-deploys\n",
    );
    repo.write(
        "okrs/2026-Q3/a.yaml",
        aligned.replace("quarter: 2026-Q3", "quarter: 2026-Q4"),
    );
    let typo = valid_file("b").replace(
        "    type: committed\n",
        "    type: committed\n    aligns_to: company/boring-deploy\n",
    );
    repo.write(
        "okrs/2026-Q3/b.yaml",
        typo.replace("quarter: 2026-Q3", "quarter: 2026-Q4"),
    );
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(
        diagnostic_lines(&run.json()),
        [
            "okrs/2026-Q3/a.yaml:1:10 error quarter-mismatch",
            "okrs/2026-Q3/b.yaml:1:10 error quarter-mismatch",
            "okrs/2026-Q3/b.yaml:7:16 error unknown-alignment",
        ]
    );
}

/// The two YAML mistakes people make most get a help line that says what to write; the parser's own message
/// only says what it could not read.
#[test]
fn a_yaml_syntax_error_with_a_common_cause_gets_help_that_fixes_it() {
    let repo = Scratch::new();
    let good = valid_file("search");
    repo.write(
        "okrs/2026-Q3/colon.yaml",
        good.replace(
            "    title: Make deploys boring\n",
            "    title: Deploys: make them boring\n",
        ),
    );
    repo.write(
        "okrs/2026-Q3/indent.yaml",
        valid_file("web").replace("    type: committed\n", "     type: committed\n"),
    );
    repo.write(
        "okrs/2026-Q3/dedent.yaml",
        valid_file("api").replace("        start: 12\n", "       start: 12\n"),
    );
    let run = repo.okr(&["validate"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    insta::assert_snapshot!("yaml_syntax_help", run.stdout);
    // Following the help makes each file valid.
    repo.write(
        "okrs/2026-Q3/colon.yaml",
        good.replace(
            "    title: Make deploys boring\n",
            "    title: \"Deploys: make them boring\"\n",
        ),
    );
    repo.write("okrs/2026-Q3/indent.yaml", valid_file("web"));
    repo.write("okrs/2026-Q3/dedent.yaml", valid_file("api"));
    assert_eq!(repo.okr(&["validate"]).code, 0);
}
