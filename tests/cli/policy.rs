//! `okr diff --check`: mid-quarter changes that need a reason must have one. Tested on real repositories.

use serde_json::Value;

use crate::repo::{GitRepo, company_file, planned};
use crate::support::Run;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

fn edit(repo: &GitRepo, from: &str, to: &str) {
    repo.replace_once(PLATFORM, from, to);
}

/// Runs the check from `base` to HEAD; returns the exit code and the refused kinds.
fn check(repo: &GitRepo) -> (i32, Vec<String>, Value) {
    let run = repo.okr(&["diff", "--check", "base", "HEAD", "--format", "json"]);
    assert!(
        run.code == 0 || run.code == 1,
        "{}{}",
        run.stdout,
        run.stderr
    );
    let json = run.json();
    // The changes that needed a reason and had none: each is one `change-without-reason` diagnostic.
    let kinds: Vec<String> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["requires_reason"] == true && c["reason"].is_null())
        .map(|c| c["kind"].as_str().unwrap().to_owned())
        .collect();
    let refusals = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "change-without-reason")
        .count();
    assert_eq!(refusals, kinds.len(), "{json:#}");
    (run.code, kinds, json)
}

#[test]
fn a_lowered_target_without_a_reason_is_refused_with_its_place_and_the_fix() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target",
    );
    let (code, kinds, json) = check(&repo);
    assert_eq!((code, kinds), (1, vec!["kr_target_changed".to_owned()]));
    let refusal = &json["diagnostics"][0];
    assert_eq!(refusal["path"], PLATFORM);
    assert_eq!(
        (refusal["line"].clone(), refusal["column"].clone()),
        (10.into(), 9.into())
    );
    assert_eq!(refusal["severity"], "error");
    assert!(
        refusal["message"]
            .as_str()
            .unwrap()
            .contains("`failed-deploys`")
    );
    assert!(refusal["help"].as_str().unwrap().contains("Reason:"));
    assert_eq!(
        (json["files"].clone(), json["errors"].clone()),
        (2.into(), 1.into())
    );
    let human = repo.okr(&["diff", "--check", "base", "HEAD"]);
    assert_eq!(human.code, 1);
    assert!(
        human.stdout.contains("okrs/2026-Q3/platform.yaml:10"),
        "{}",
        human.stdout
    );
    assert!(human.stdout.contains("target 2 → 4"), "{}", human.stdout);
}

#[test]
fn a_lowered_target_with_a_reason_trailer_passes() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target\n\nReason: two services joined late",
    );
    assert_eq!(check(&repo).0, 0);
}

#[test]
fn a_trailer_on_a_commit_that_did_not_touch_the_file_does_not_count() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target",
    );
    repo.write(
        "okrs/2026-Q3/company.yaml",
        &company_file().replace("target: 70\n", "target: 72\n"),
    );
    repo.commit(
        "2026-08-04T10:00:00+02:00",
        "Ann Bo",
        "Raise margin\n\nReason: board asked",
    );
    assert_eq!(check(&repo).1, ["kr_target_changed"]);
}

#[test]
fn a_drop_needs_its_yaml_reason_or_a_trailer() {
    let repo = planned();
    edit(
        &repo,
        "    type: committed\n",
        "    type: committed\n    status: dropped\n    dropped:\n      date: 2026-08-12\n",
    );
    repo.commit("2026-08-12T10:00:00+02:00", "Dana Li", "Drop it");
    assert_eq!(check(&repo).1, ["objective_dropped"]);
    edit(
        &repo,
        "      date: 2026-08-12\n",
        "      date: 2026-08-12\n      reason: The vendor covers it now\n",
    );
    repo.commit("2026-08-13T10:00:00+02:00", "Dana Li", "Say why");
    assert_eq!(check(&repo).0, 0);
}

#[test]
fn a_removal_passes_during_the_planning_window_and_is_refused_after_it() {
    let repo = planned();
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    let cut = text.find("  - id: faster-builds").unwrap();
    repo.write(PLATFORM, &text[..cut]);
    repo.commit("2026-07-10T10:00:00+02:00", "Dana Li", "Focus");
    assert_eq!(check(&repo).0, 0, "planning-time changes always pass");
    repo.git(&["reset", "-q", "--hard", "base"]);
    repo.write(PLATFORM, &text[..cut]);
    repo.commit("2026-08-10T10:00:00+02:00", "Dana Li", "Focus");
    assert_eq!(check(&repo).1, ["objective_removed"]);
}

#[test]
fn check_ins_and_wording_fixes_always_pass() {
    let repo = planned();
    edit(&repo, "        current: 12\n", "        current: 7\n");
    edit(
        &repo,
        "    title: Halve CI build times\n",
        "    title: Halve our CI build times\n",
    );
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Check in");
    let (code, kinds, _) = check(&repo);
    assert_eq!((code, kinds), (0, Vec::<String>::new()));
}

#[test]
fn removing_a_kr_and_lowering_committed_to_aspirational_need_reasons() {
    let repo = planned();
    edit(
        &repo,
        "      - id: rollback-runbook\n        title: Every service has a tested rollback runbook\n        done: false\n",
        "",
    );
    edit(&repo, "    type: committed\n", "    type: aspirational\n");
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Rescope");
    let mut kinds = check(&repo).1;
    kinds.sort();
    assert_eq!(kinds, ["kr_removed", "objective_type_changed"]);
}

#[test]
fn the_policy_is_configurable_and_can_be_turned_off() {
    // The range is judged by the okr.toml it started under, so each configuration is committed first.
    let eased_under = |toml: &str| -> Run {
        let repo = planned();
        repo.write("okr.toml", toml);
        repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Configure okr");
        repo.tag("configured");
        edit(&repo, "        target: 2\n", "        target: 4\n");
        repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Ease");
        repo.okr(&["diff", "--check", "configured", "HEAD"])
    };
    assert_eq!(eased_under("dir = \"okrs\"\n").code, 1);
    assert_eq!(
        eased_under("dir = \"okrs\"\n[policy]\nrequire_reason = [\"objective_dropped\"]\n").code,
        0
    );
    assert_eq!(
        eased_under("dir = \"okrs\"\n[policy]\nmode = \"off\"\n").code,
        0
    );
    let repo = planned();
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[policy]\nrequire_reason = [\"kr_eaiser\"]\n",
    );
    let run = repo.okr(&["diff", "--check", "base", "HEAD"]);
    assert_eq!(
        run.code, 2,
        "an unknown policy rule is a configuration error"
    );
}

#[test]
fn a_change_cannot_relax_the_policy_that_checks_it() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 10\n");
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\nplanning_window_days = 60\n[policy]\nmode = \"off\"\n",
    );
    repo.commit(
        "2026-08-01T10:00:00+02:00",
        "Sam Vos",
        "Ease, and relax the policy",
    );
    let run = repo.okr(&["diff", "--check", "base", "HEAD"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("judged by the okr.toml they started under"),
        "{}",
        run.stdout
    );
}

#[test]
fn uncommitted_changes_are_checked_against_today() {
    let repo = planned();
    edit(
        &repo,
        "        target: 2\n",
        "        target: 4\n        notes: Two services joined late\n",
    );
    let run = repo.okr(&["diff", "--check", "HEAD"]);
    assert_eq!(run.code, 0, "the YAML gives the reason: {}", run.stdout);
}
