//! `okr diff`: semantic changes between revisions, or between a revision and the working tree; and okr as
//! git's external diff driver.

use serde_json::Value;

use crate::repo::{GitRepo, planned};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

fn lower_target(repo: &GitRepo) {
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(
        PLATFORM,
        &text.replacen("        target: 2\n", "        target: 4\n", 1),
    );
}

#[test]
fn diff_between_two_revisions_lists_semantic_changes() {
    let repo = planned();
    lower_target(&repo);
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Ease");
    let ease = repo.git(&["rev-parse", "HEAD"]);
    let run = repo.okr(&["diff", "base", "HEAD", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        (json["from"].clone(), json["to"].clone()),
        ("base".into(), "HEAD".into())
    );
    let changes = json["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{changes:#?}");
    let change = &changes[0];
    assert_eq!(change["kind"], "kr_target_changed");
    assert_eq!(change["key_result"], "failed-deploys");
    assert_eq!(
        (change["from"].clone(), change["to"].clone()),
        (Value::from(2), Value::from(4))
    );
    assert_eq!(change["direction"], "easier");
    // The commit that made it, and what that makes it: eased after kickoff, with no reason anywhere.
    assert_eq!(change["commit"], ease.as_str());
    assert_eq!(change["author"], "Dana Li");
    assert_eq!(
        (
            change["mid_quarter"].clone(),
            change["requires_reason"].clone(),
            change["reason"].clone()
        ),
        (true.into(), true.into(), Value::Null)
    );
}

#[test]
fn diff_without_a_target_compares_with_the_working_tree() {
    let repo = planned();
    assert_eq!(
        repo.okr(&["diff", "--format", "json"]).json()["changes"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    lower_target(&repo);
    let run = repo.okr(&["diff", "--format", "json"]);
    assert_eq!(run.json()["to"], "working tree");
    assert_eq!(run.json()["changes"][0]["kind"], "kr_target_changed");
    let human = repo.okr(&["diff"]);
    assert_eq!(human.code, 0);
    assert!(human.stdout.contains("failed-deploys"), "{}", human.stdout);
    assert!(human.stdout.contains("2 → 4"), "{}", human.stdout);
}

#[test]
fn diff_names_an_unknown_revision() {
    let repo = planned();
    let run = repo.okr(&["diff", "nope", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("unknown revision `nope`"),
        "{}",
        run.stderr
    );
}

#[test]
fn git_diff_shows_semantic_changes_through_the_external_driver() {
    let repo = planned();
    repo.write(".gitattributes", "okrs/**/*.yaml diff=okr\n");
    let driver = format!("{} diff-driver", env!("CARGO_BIN_EXE_okr"));
    repo.git(&["config", "diff.okr.command", &driver]);
    repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Use okr for diffs");
    lower_target(&repo);
    let output = repo.git(&["diff"]);
    assert!(output.contains("failed-deploys"), "{output}");
    assert!(output.contains("2 → 4"), "{output}");
    assert!(
        !output.contains("@@"),
        "git's line diff was replaced: {output}"
    );
}

#[test]
fn the_external_driver_handles_a_renamed_file() {
    let repo = planned();
    repo.write(".gitattributes", "okrs/**/*.yaml diff=okr\n");
    let driver = format!("{} diff-driver", env!("CARGO_BIN_EXE_okr"));
    repo.git(&["config", "diff.okr.command", &driver]);
    repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Use okr for diffs");
    repo.rename(PLATFORM, "okrs/2026-Q3/infra.yaml");
    lower_target_at(&GitRepoPath(&repo, "okrs/2026-Q3/infra.yaml"));
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Rename and ease");
    let output = repo.git(&["show", "--ext-diff", "-M", "HEAD"]);
    assert!(output.contains("2 → 4"), "{output}");
}

/// Edits a file at another path than the default one.
struct GitRepoPath<'a>(&'a GitRepo, &'a str);

fn lower_target_at(target: &GitRepoPath<'_>) {
    let text = std::fs::read_to_string(target.0.path().join(target.1)).unwrap();
    target.0.write(
        target.1,
        &text.replacen("        target: 2\n", "        target: 4\n", 1),
    );
}
