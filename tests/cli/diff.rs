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
        run.stderr.contains("`nope` is not a branch, tag or commit"),
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

/// During a merge conflict git hands an external driver the path alone for the unmerged file (`git diff
/// --cached`, or `-1`/`-2`/`-3` before it compares a stage with the working tree); the driver says what
/// git's own diff says there, and git goes on.
#[test]
fn the_external_driver_names_an_unmerged_path_as_git_does() {
    let repo = planned();
    repo.write(".gitattributes", "okrs/**/*.yaml diff=okr\n");
    let driver = format!("{} diff-driver", env!("CARGO_BIN_EXE_okr"));
    repo.git(&["config", "diff.okr.command", &driver]);
    repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Use okr for diffs");
    repo.branch("other");
    lower_target(&repo);
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Ease");
    repo.switch("other");
    repo.replace_once(PLATFORM, "        target: 2\n", "        target: 1\n");
    repo.commit("2026-07-21T10:00:00+02:00", "Dana Li", "Tighten");
    repo.switch("main");
    let merge = repo.try_git(&["merge", "-q", "other"]);
    assert_ne!(merge.code, 0, "the merge conflicts: {}", merge.stdout);
    for args in [
        &["diff", "--cached"][..],
        &["diff", "-1"],
        &["diff", "-2"],
        &["diff", "-3"],
    ] {
        let run = repo.try_git(args);
        assert_eq!(run.code, 0, "git {args:?}: {}", run.stderr);
        assert!(
            run.stdout.contains(&format!("* Unmerged path {PLATFORM}")),
            "git {args:?}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_driver_help_tells_of_the_one_argument_form_for_an_unmerged_path() {
    let run = crate::support::okr(std::path::Path::new("."), &["diff-driver", "--help"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let help = run.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        help.contains("or with one (the path) for a path left unmerged"),
        "{help}"
    );
    assert!(help.contains("`* Unmerged path PATH`"), "{help}");
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

/// What a reviewer reads in a pull request comment: key results by their titles, each change of plan marked
/// with the reason that covers it (or a warning that none does), and the check-ins folded away below.
#[test]
fn the_markdown_diff_names_key_results_marks_pivots_and_folds_check_ins() {
    let repo = planned();
    let edit = |from: &str, to: &str| repo.replace_once(PLATFORM, from, to);
    // While planning, a new target is part of writing the plan, not a change of it.
    edit("        target: 80\n", "        target: 90\n");
    repo.commit(
        "2026-07-03T10:00:00+02:00",
        "Dana Li",
        "Aim higher on caching",
    );
    edit("        current: 12\n", "        current: 9\n");
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Weekly check-in");
    edit("        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-04T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target\n\nReason: two services joined late",
    );
    edit("        target: 15\n", "        target: 10\n");
    repo.commit("2026-08-05T10:00:00+02:00", "Dana Li", "Faster builds");
    edit(
        "      - id: rollback-runbook\n        title: Every service has a tested rollback runbook\n        done: false\n",
        "",
    );
    repo.commit("2026-08-06T10:00:00+02:00", "Dana Li", "Tidy up");
    let run = repo.okr(&["diff", "base", "HEAD", "--format", "markdown"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "## okr diff base..HEAD

**▲ 3 changes of plan** (**⚠ 2 without a reason**) · 1 other change · 1 check-in

### okrs/2026-Q3/platform.yaml (platform)

- **boring-deploys** — Make deploys boring
  - **▲ pivot** KR failed-deploys (Failed deploys per week): target 2 → 4 (easier)
    - *why:* two services joined late
  - **▲ pivot** KR rollback-runbook: removed — Every service has a tested rollback runbook
    - **⚠ no reason given** (the change policy asks for one)
- **faster-builds** — Halve CI build times
  - **▲ pivot** KR build-minutes (Median CI minutes per build): target 15 → 10 (harder)
    - **⚠ no reason given**
  - KR cache-hits (Remote cache hit rate): target 80 → 90 (harder)

<details><summary>Check-ins (1)</summary>

**okrs/2026-Q3/platform.yaml (platform)**

- **boring-deploys** — Make deploys boring
  - KR failed-deploys (Failed deploys per week): current 12 → 9

</details>
"
    );
    // The check's comment lists the same changes the same way, one heading level down.
    let check = repo.okr(&["diff", "--check", "base", "HEAD", "--format", "markdown"]);
    assert_eq!(check.code, 1, "{}", check.stderr);
    let changes = run
        .stdout
        .strip_prefix("## okr diff base..HEAD\n")
        .unwrap()
        .replace("\n### ", "\n#### ");
    assert!(
        check
            .stdout
            .contains(&format!("### All changes\n{changes}")),
        "{}",
        check.stdout
    );
}
