//! Symbolic links and submodules where the OKR folder is. One behaviour everywhere: a link that stays inside
//! the repository is followed, in git's history as on disk; a link leading out of it, and a submodule, are
//! refused with one clear note, never a silent empty answer or a blamed partial clone.

#![cfg(unix)]

use std::path::Path;

use crate::repo::{GitRepo, company_file, team_file};
use crate::support::Run;

/// A quarter planned in `data/okrs`, with `okrs` committed as a link to it, then a target eased.
fn linked_quarter() -> GitRepo {
    let repo = GitRepo::new();
    repo.write("data/okrs/2026-Q3/company.yaml", &company_file());
    repo.write("data/okrs/2026-Q3/platform.yaml", &team_file("platform"));
    std::os::unix::fs::symlink("data/okrs", repo.path().join("okrs")).unwrap();
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    let platform = repo.path().join("data/okrs/2026-Q3/platform.yaml");
    let text = std::fs::read_to_string(&platform).unwrap();
    repo.write(
        "data/okrs/2026-Q3/platform.yaml",
        &text.replacen("target: 2", "target: 4", 1),
    );
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Sam Roe",
        "Ease the deploy target\n\nReason: the new pipeline lands in Q4",
    );
    repo
}

fn succeeds(run: Run) -> Run {
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    run
}

#[test]
fn okrs_committed_as_a_link_inside_the_repository_is_read_by_every_command() {
    let repo = linked_quarter();
    assert_eq!(
        repo.git(&["ls-tree", "HEAD", "okrs"])
            .split_whitespace()
            .next(),
        Some("120000"),
        "committed as a link"
    );

    let validate = succeeds(repo.okr(&["validate", "--format", "json"]));
    assert_eq!(validate.json()["files"], 2, "{}", validate.stdout);

    let history = succeeds(repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]));
    assert!(
        history.stdout.contains("\"kr_target_changed\""),
        "{}",
        history.stdout
    );
    assert_eq!(history.stderr, "");

    let show = succeeds(repo.okr(&["show", "--quarter", "2026-Q3", "--format", "json"]));
    assert!(show.stdout.contains("boring-deploys"), "{}", show.stdout);

    let report = succeeds(repo.okr(&["report", "--quarter", "2026-Q3", "--format", "json"]));
    assert!(
        report.stdout.contains("boring-deploys"),
        "{}",
        report.stdout
    );

    let diff = succeeds(repo.okr(&["diff", "HEAD~1", "HEAD"]));
    assert!(diff.stdout.contains("failed-deploys"), "{}", diff.stdout);
    assert!(diff.stdout.contains("2 → 4"), "{}", diff.stdout);
}

#[test]
fn a_committed_link_leading_out_of_the_repository_is_refused_with_one_note() {
    let repo = GitRepo::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("2026-Q3")).unwrap();
    std::fs::write(
        outside.path().join("2026-Q3/secret.yaml"),
        team_file("secret-team-name"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("okrs")).unwrap();
    repo.write("README.md", "# OKRs\n");
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Link the OKRs");
    repo.write("README.md", "# OKRs, linked\n");
    repo.commit("2026-07-25T10:00:00+02:00", "Dana Li", "Docs");

    // Nothing of the quarter can be read, and the error says why.
    let history = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(history.code, 2, "{}", history.stdout);
    let note = "`okrs` is a symbolic link to";
    assert_eq!(
        history.stderr.matches(note).count(),
        1,
        "{}",
        history.stderr
    );
    assert!(
        history.stderr.contains("outside the repository"),
        "{}",
        history.stderr
    );
    // The same note on a warm run: a refused path is never taken from the cache.
    let again = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(again.stderr, history.stderr);

    let validate = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(validate.code, 1);
    assert!(
        validate.stdout.contains("leads outside the repository"),
        "{}",
        validate.stdout
    );
    for run in [&history, &validate] {
        assert!(!run.stdout.contains("secret-team-name"));
    }
}

#[test]
fn a_link_inside_the_okr_folder_to_a_folder_inside_the_repository_is_followed_on_disk() {
    let repo = GitRepo::new();
    repo.write("shared/platform/platform.yaml", &team_file("platform"));
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    std::os::unix::fs::symlink(
        repo.path().join("shared/platform"),
        repo.path().join("okrs/2026-Q3/platform"),
    )
    .unwrap();
    let validate = succeeds(repo.okr(&["validate", "--format", "json"]));
    assert_eq!(validate.json()["files"], 2, "{}", validate.stdout);
}

#[test]
fn okrs_as_a_submodule_is_named_as_one_not_blamed_on_a_partial_clone() {
    let plans = GitRepo::new();
    plans.write("2026-Q3/platform.yaml", &team_file("platform"));
    plans.commit("2026-06-20T10:00:00+02:00", "Dana Li", "Plan");
    let repo = GitRepo::new();
    repo.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        &path_text(plans.path()),
        "okrs",
    ]);
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Add the plans");

    let history = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(history.code, 2, "{}", history.stdout);
    assert!(
        history.stderr.contains("`okrs` is a git submodule"),
        "{}",
        history.stderr
    );
    assert!(!history.stderr.contains("partial"), "{}", history.stderr);
    let show = repo.okr(&["show", "--quarter", "2026-Q3"]);
    assert!(!show.stderr.contains("partial"), "{}", show.stderr);
    assert!(show.stderr.contains("git submodule"), "{}", show.stderr);
}

fn path_text(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_owned()
}

/// A link inside the quarter's folder is not followed in git: a commit changing only its target is not in
/// the folder's history (`git log -- okrs/2026-Q3/`), so history would date that change wrong. Every command
/// reading git says so rather than leaving the team out silently.
#[test]
fn a_committed_link_inside_the_quarter_folder_is_named_not_silently_left_out() {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write("shared/platform.yaml", &team_file("platform"));
    std::os::unix::fs::symlink(
        "../../shared/platform.yaml",
        repo.path().join("okrs/2026-Q3/platform.yaml"),
    )
    .unwrap();
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    let note = "`okrs/2026-Q3/platform.yaml` is a symbolic link in git";
    for args in [
        &["history", "--quarter", "2026-Q3", "--format", "json"][..],
        &["show", "--quarter", "2026-Q3", "--format", "json"][..],
        &["report", "--quarter", "2026-Q3", "--format", "json"][..],
    ] {
        let run = succeeds(repo.okr(args));
        assert_eq!(
            run.stderr.matches(note).count(),
            1,
            "{args:?}: {}",
            run.stderr
        );
        assert!(
            !run.stdout.contains("boring-deploys"),
            "{args:?}: {}",
            run.stdout
        );
    }
}
