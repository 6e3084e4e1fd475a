//! `okr validate --fix` and `--diff` on real files: exactly the bytes of each fix change, what cannot be
//! fixed safely is left alone, and the exit code is for what remains.

use std::os::unix::fs::PermissionsExt;

use crate::support::Scratch;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// A file as people write them, with three things `--fix` mends: a quarter copied from last quarter, a
/// mistyped `target` and a confidence written as a percentage; comments, quotes and non-ASCII text around them.
const BROKEN: &str = "# Platform — 2026-Q3 🚀
quarter: \"2026-Q2\"   # copied from last quarter
team: platform
objectives:
  - id: boring-deploys
    title: 'Déploiements sans drame: 東京 too'
    type: committed
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        taget: 2        # 東京 first 🚀
        current: 5
        confidence: 70  # percent, sorry
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false\n";

/// [`BROKEN`] as `--fix` must leave it: the three values and nothing else.
const FIXED: &str = "# Platform — 2026-Q3 🚀
quarter: \"2026-Q3\"   # copied from last quarter
team: platform
objectives:
  - id: boring-deploys
    title: 'Déploiements sans drame: 東京 too'
    type: committed
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2        # 東京 first 🚀
        current: 5
        confidence: 0.7  # percent, sorry
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false\n";

fn read(scratch: &Scratch, path: &str) -> String {
    std::fs::read_to_string(scratch.path().join(path)).unwrap()
}

#[test]
fn fix_mends_each_finding_in_place_and_leaves_every_other_byte() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN);
    assert_eq!(scratch.okr(&["validate"]).code, 1);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(read(&scratch, PLATFORM), FIXED);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    insta::assert_snapshot!("fix_summary", run.stderr);
    assert!(
        run.stdout.contains("no problems in 1 file"),
        "{}",
        run.stdout
    );
}

#[test]
fn fix_keeps_crlf_line_endings() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN.replace('\n', "\r\n"));
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(&scratch, PLATFORM), FIXED.replace('\n', "\r\n"));
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN);
    let run = scratch.okr(&["validate", "--diff"]);
    assert_eq!(run.code, 1, "a fix to make fails, as a check would");
    assert_eq!(read(&scratch, PLATFORM), BROKEN);
    insta::assert_snapshot!("fix_diff", run.stdout);
    assert!(
        run.stderr.contains("would make 3 fixes in 1 file"),
        "{}",
        run.stderr
    );

    scratch.write(PLATFORM, FIXED);
    let clean = scratch.okr(&["validate", "--diff"]);
    assert_eq!((clean.code, clean.stdout.as_str()), (0, ""));
}

#[test]
fn the_diff_applies_with_git_to_the_bytes_fix_writes() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN);
    let diff = scratch.okr(&["validate", "--diff"]).stdout;
    scratch.write("fixes.patch", &diff);
    let applied = std::process::Command::new("git")
        .args(["apply", "--unsafe-paths", "fixes.patch"])
        .current_dir(scratch.path())
        .output()
        .unwrap();
    assert!(applied.status.success(), "{applied:?}");
    assert_eq!(read(&scratch, PLATFORM), FIXED);
}

#[test]
fn exit_code_after_fix_is_for_what_remains() {
    let scratch = Scratch::new();
    // `pro` is as near `priority` as `progress`: no safe fix, so it remains, an error.
    let text = BROKEN.replace(
        "        done: false\n",
        "        done: false\n        pro: 2\n",
    );
    scratch.write(PLATFORM, &text);
    let run = scratch.okr(&["validate", "--fix", "--format", "json"]);
    assert_eq!(run.code, 1);
    let remaining = crate::support::diagnostic_lines(&run.json());
    assert_eq!(
        remaining,
        ["okrs/2026-Q3/platform.yaml:18:9 error unknown-field"]
    );
    assert_eq!(
        read(&scratch, PLATFORM),
        FIXED.replace(
            "        done: false\n",
            "        done: false\n        pro: 2\n"
        )
    );
}

#[test]
fn a_typo_near_two_fields_is_left_alone() {
    let scratch = Scratch::new();
    let text = FIXED.replace("        current: 5\n", "        pro: 5\n");
    scratch.write(PLATFORM, &text);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 1);
    assert_eq!(read(&scratch, PLATFORM), text);
    assert!(run.stdout.contains("unknown field `pro`"), "{}", run.stdout);
    assert!(
        run.stderr.contains("made 0 fixes in 0 files"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_fix_that_would_bring_a_new_problem_is_refused_and_said() {
    let scratch = Scratch::new();
    // Renamed, `taget: 12` would make the target equal the start.
    let text = FIXED.replace("        target: 2 ", "        taget: 12");
    scratch.write(PLATFORM, &text);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 1);
    assert_eq!(read(&scratch, PLATFORM), text);
    assert!(
        run.stderr.contains(
            "okrs/2026-Q3/platform.yaml:12: not fixed unknown-field: rename `taget` to `target`: it would \
             bring a new problem"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn files_without_a_fix_are_not_written() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN);
    let search = "okrs/2026-Q3/search.yaml";
    scratch.write(search, crate::support::valid_file("search"));
    // Read-only: a write, even of the same bytes, would be refused and fail the run.
    let location = scratch.path().join(search);
    std::fs::set_permissions(&location, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(&scratch, search), crate::support::valid_file("search"));
    assert_eq!(read(&scratch, PLATFORM), FIXED);
}

#[test]
fn a_type_is_made_explicit_only_when_asked() {
    let scratch = Scratch::new();
    let text = FIXED.replace("    type: committed\n", "");
    scratch.write(PLATFORM, &text);
    assert_eq!(scratch.okr(&["validate", "--fix"]).code, 0);
    assert_eq!(read(&scratch, PLATFORM), text);
    let run = scratch.okr(&["validate", "--fix", "--explicit-type"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        read(&scratch, PLATFORM),
        FIXED.replace("type: committed", "type: aspirational")
    );
    let alone = scratch.okr(&["validate", "--explicit-type"]);
    assert_eq!(alone.code, 2, "{}", alone.stderr);
}

#[test]
fn fix_keeps_a_byte_order_mark_and_leaves_bytes_that_are_not_utf8_alone() {
    let scratch = Scratch::new();
    let marked = format!("\u{feff}{}", BROKEN.replace('\n', "\r\n"));
    scratch.write(PLATFORM, &marked);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        read(&scratch, PLATFORM),
        format!("\u{feff}{}", FIXED.replace('\n', "\r\n"))
    );

    let mut bytes = BROKEN.as_bytes().to_vec();
    let at = bytes.windows(6).position(|w| w == b"Failed").unwrap();
    bytes[at] = 0xff;
    scratch.write(PLATFORM, &bytes);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read(scratch.path().join(PLATFORM)).unwrap(), bytes);
    assert!(run.stdout.contains("yaml-syntax"), "{}", run.stdout);
}

#[test]
fn fix_leaves_findings_of_rules_okr_toml_allows() {
    let scratch = Scratch::new();
    scratch.write(
        "okr.toml",
        "dir = \"okrs\"\n[rules]\nquarter-mismatch = \"allow\"\n",
    );
    scratch.write(PLATFORM, BROKEN);
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        read(&scratch, PLATFORM),
        FIXED.replace("\"2026-Q3\"", "\"2026-Q2\"")
    );
}

#[test]
fn a_file_reached_through_a_symbolic_link_is_named_and_not_fixed() {
    let scratch = Scratch::new();
    // One file, two links to it from another quarter's folder: fixed by its own path only, with the quarter
    // of its own folder.
    scratch.write(PLATFORM, BROKEN);
    std::fs::create_dir_all(scratch.path().join("okrs/2026-Q4")).unwrap();
    for link in ["okrs/2026-Q4/platform.yaml", "okrs/2026-Q4/again.yaml"] {
        std::os::unix::fs::symlink("../2026-Q3/platform.yaml", scratch.path().join(link)).unwrap();
    }
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(read(&scratch, PLATFORM), FIXED);
    assert!(!run.stderr.contains("changed while okr"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("okrs/2026-Q4/again.yaml: not fixed: it is reached through a symbolic link"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("made 3 fixes in 1 file"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_diff_keeps_lines_a_ci_runner_would_read_as_commands_unless_it_runs_there() {
    let scratch = Scratch::new();
    let text = BROKEN.replace("# 東京 first 🚀", "# ##[error] 東京 first 🚀");
    scratch.write(PLATFORM, &text);
    let diff = scratch.okr(&["validate", "--diff"]);
    assert!(diff.stdout.contains("##[error]"), "{}", diff.stdout);
    scratch.write("fixes.patch", &diff.stdout);
    let check = std::process::Command::new("git")
        .args(["apply", "--check", "--unsafe-paths", "fixes.patch"])
        .current_dir(scratch.path())
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");

    let mut command = crate::support::okr_command(scratch.path());
    command
        .env("GITHUB_ACTIONS", "true")
        .args(["validate", "--diff"]);
    let logged = crate::support::Run::from(command.output().unwrap());
    assert!(!logged.stdout.contains("##[error]"), "{}", logged.stdout);
    assert!(
        logged.stderr.contains("altered for the log"),
        "{}",
        logged.stderr
    );
}

#[test]
fn a_cross_file_finding_a_fix_brings_is_reported_by_the_validation_after_it() {
    let scratch = Scratch::new();
    // Set to its folder's quarter, `platform.yaml` becomes a second file of the team for 2026-Q3: the
    // read-back sees one file only, so the fix is made and the validation that follows reports it.
    scratch.write(
        "okrs/2026-Q3/a-platform.yaml",
        crate::support::valid_file("platform"),
    );
    scratch.write(
        PLATFORM,
        crate::support::valid_file("platform").replace("quarter: 2026-Q3", "quarter: 2026-Q2"),
    );
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(
        read(&scratch, PLATFORM),
        crate::support::valid_file("platform")
    );
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("already has a file for 2026-Q3"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_file_that_cannot_be_written_is_not_counted_as_fixed_and_the_error_is_about_fixing() {
    let scratch = Scratch::new();
    scratch.write(PLATFORM, BROKEN);
    let location = scratch.path().join(PLATFORM);
    std::fs::set_permissions(&location, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = scratch.okr(&["validate", "--fix"]);
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(read(&scratch, PLATFORM), BROKEN);
    assert!(!run.stderr.contains(": fixed "), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("okrs/2026-Q3/platform.yaml: not fixed: the file could not be written"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("made 0 fixes in 0 files"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("then run `okr validate --fix` again"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("check in"), "{}", run.stderr);
}
