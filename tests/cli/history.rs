//! `okr history` on real repositories: every event kind, with who, when and why; merges, renames, broken
//! revisions, shallow clones and fiscal quarters.

use serde_json::Value;

use crate::repo::{GitRepo, company_file, planned, team_file};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";
const COMPANY: &str = "okrs/2026-Q3/company.yaml";

/// The quarter's history as JSON, asserting the run succeeded.
fn history(repo: &GitRepo, extra: &[&str]) -> Value {
    let mut args = vec!["history", "--quarter", "2026-Q3", "--format", "json"];
    args.extend_from_slice(extra);
    let run = repo.okr(&args);
    assert_eq!(
        run.code, 0,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    run.json()
}

fn events(json: &Value) -> Vec<Value> {
    json["events"].as_array().expect("events is a list").clone()
}

/// The events of one kind, as (objective, key_result, from, to).
fn of_kind(json: &Value, kind: &str) -> Vec<(Value, Value, Value, Value)> {
    events(json)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| {
            (
                e["objective"].clone(),
                e["key_result"].clone(),
                e["from"].clone(),
                e["to"].clone(),
            )
        })
        .collect()
}

fn one(json: &Value, kind: &str) -> Value {
    let found: Vec<Value> = events(json)
        .into_iter()
        .filter(|e| e["kind"] == kind)
        .collect();
    assert_eq!(found.len(), 1, "expected one {kind}, got {found:#?}");
    found[0].clone()
}

fn edit(repo: &GitRepo, path: &str, from: &str, to: &str) {
    repo.replace_once(path, from, to);
}

#[test]
fn the_initial_plan_is_a_set_of_added_objectives_and_key_results() {
    let repo = planned();
    let json = history(&repo, &[]);
    assert_eq!(json["quarter"], "2026-Q3");
    assert_eq!(json["start"], "2026-07-01");
    assert_eq!(json["end"], "2026-09-30");
    assert_eq!(of_kind(&json, "objective_added").len(), 4);
    assert_eq!(of_kind(&json, "kr_added").len(), 8);
    let first = &events(&json)[0];
    assert_eq!(first["mid_quarter"], false);
    assert_eq!(first["author"], "Dana Li");
    assert_eq!(first["message"], "Plan 2026-Q3");
    assert_eq!(first["date"], "2026-06-25T10:00:00+02:00");
    assert_eq!(first["commit"].as_str().unwrap().len(), 40);
    assert_eq!(first["path"], COMPANY);
}

#[test]
fn every_event_carries_the_documented_fields() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        current: 12\n",
        "        current: 9\n",
    );
    repo.commit("2026-07-20T10:00:00+02:00", "Sam Roe", "Check in");
    let json = history(&repo, &[]);
    for event in events(&json) {
        for field in [
            "kind",
            "commit",
            "date",
            "author",
            "message",
            "path",
            "team",
            "objective",
            "key_result",
            "from",
            "to",
            "mid_quarter",
            "reason",
        ] {
            assert!(event.get(field).is_some(), "{field} missing in {event}");
        }
    }
    let progress = one(&json, "kr_progress");
    assert_eq!(progress["from"], 12);
    assert_eq!(progress["to"], 9);
    assert!(progress["from"].is_number(), "numbers stay JSON numbers");
    assert_eq!(progress["key_result"], "failed-deploys");
    assert_eq!(progress["objective"], "boring-deploys");
    assert_eq!(progress["team"], "platform");
    assert_eq!(progress["mid_quarter"], true);
    assert_eq!(progress["reason"], Value::Null);
}

#[test]
fn every_kind_of_change_is_reported_once_with_its_values() {
    let repo = planned();
    let steps: &[(&str, &str, &str)] = &[
        (
            "        target: 2\n",
            "        target: 4\n",
            "kr_target_changed",
        ),
        (
            "        start: 30\n",
            "        start: 32\n",
            "kr_rebaselined",
        ),
        (
            "        title: Remote cache hit rate\n",
            "        title: Remote cache hit ratio\n",
            "kr_reworded",
        ),
        (
            "        current: 12\n",
            "        current: 7\n",
            "kr_progress",
        ),
        (
            "    title: Halve CI build times\n",
            "    title: Halve our CI build times\n",
            "objective_reworded",
        ),
        (
            "    aligns_to: company/customer-trust\n",
            "    aligns_to: company/efficient-growth\n",
            "objective_realigned",
        ),
        (
            "    type: committed\n",
            "    type: aspirational\n",
            "objective_type_changed",
        ),
        ("owner: Dana Li\n", "owner: Sam Roe\n", "owner_changed"),
        (
            "        unit: '%'\n",
            "        unit: '%'\n      - id: flaky-tests\n        title: Flaky tests quarantined\n        done: false\n",
            "kr_added",
        ),
        (
            "      - id: rollback-runbook\n        title: Every service has a tested rollback runbook\n        done: false\n",
            "",
            "kr_removed",
        ),
    ];
    for (day, (from, to, _)) in steps.iter().enumerate() {
        edit(&repo, PLATFORM, from, to);
        repo.commit(
            &format!("2026-07-{:02}T10:00:00+02:00", 16 + day),
            "Dana Li",
            "Adjust platform OKRs",
        );
    }
    let json = history(&repo, &[]);
    for (_, _, kind) in steps {
        let mid: Vec<Value> = events(&json)
            .into_iter()
            .filter(|e| e["kind"] == *kind && e["mid_quarter"] == true)
            .collect();
        assert_eq!(mid.len(), 1, "{kind}: {mid:#?}");
    }
    let target = one(&json, "kr_target_changed");
    assert_eq!(
        (target["from"].clone(), target["to"].clone()),
        (Value::from(2), Value::from(4))
    );
    assert_eq!(target["direction"], "easier");
    let reworded = one(&json, "objective_reworded");
    assert_eq!(reworded["from"], "Halve CI build times");
    assert_eq!(reworded["to"], "Halve our CI build times");
    assert!(
        reworded["words"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["op"] == "insert" && w["text"] == "our ")
    );
    assert_eq!(
        one(&json, "objective_realigned")["to"],
        "company/efficient-growth"
    );
    assert_eq!(one(&json, "objective_type_changed")["to"], "aspirational");
    assert_eq!(one(&json, "owner_changed")["objective"], Value::Null);
    let removed = of_kind(&json, "kr_removed");
    assert_eq!(removed[0].1, "rollback-runbook");
}

#[test]
fn dropped_removed_and_finished_objectives_are_told_apart() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "    type: committed\n",
        "    type: committed\n    status: dropped\n    dropped:\n      date: 2026-08-12\n      reason: Vendor now covers it\n",
    );
    repo.commit(
        "2026-08-12T10:00:00+02:00",
        "Dana Li",
        "Drop deploys objective",
    );
    edit(
        &repo,
        COMPANY,
        "  - id: efficient-growth\n    title: Grow efficiently\n",
        "  - id: efficient-growth\n    title: Grow efficiently\n    status: done\n",
    );
    repo.commit(
        "2026-08-20T10:00:00+02:00",
        "Ann Bo",
        "Growth objective met",
    );
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    let cut = text.find("  - id: faster-builds").unwrap();
    repo.write(PLATFORM, &text[..cut]);
    repo.commit("2026-08-25T10:00:00+02:00", "Dana Li", "Tidy up");
    let json = history(&repo, &[]);
    let dropped = one(&json, "objective_dropped");
    assert_eq!(
        (dropped["objective"].clone(), dropped["to"].clone()),
        ("boring-deploys".into(), "dropped".into())
    );
    assert_eq!(dropped["reason"], "Vendor now covers it");
    assert_eq!(dropped["reason_source"], "yaml");
    let status = one(&json, "objective_status_changed");
    assert_eq!(
        (status["from"].clone(), status["to"].clone()),
        ("active".into(), "done".into())
    );
    let removed = one(&json, "objective_removed");
    assert_eq!(removed["objective"], "faster-builds");
    assert_eq!(
        removed["reason"],
        Value::Null,
        "a silent removal has no reason"
    );
    let summary = &json["summary"];
    assert_eq!(summary["dropped"].as_array().unwrap().len(), 1);
    assert_eq!(summary["removed"].as_array().unwrap().len(), 1);
}

#[test]
fn reasons_come_from_the_yaml_then_a_trailer_then_the_body() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: 3\n        notes: Two services moved late\n",
    );
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Dana Li",
        "Ease deploy target\n\nReason: ignored, the YAML says why",
    );
    edit(
        &repo,
        PLATFORM,
        "        target: 15\n",
        "        target: 20\n",
    );
    repo.commit(
        "2026-07-21T10:00:00+02:00",
        "Dana Li",
        "Ease build target\n\nLonger body text.\n\nReason: Cache rollout slipped",
    );
    edit(
        &repo,
        PLATFORM,
        "        target: 80\n",
        "        target: 70\n",
    );
    repo.commit(
        "2026-07-22T10:00:00+02:00",
        "Dana Li",
        "Ease cache target\n\nThe CDN contract changed.",
    );
    edit(
        &repo,
        PLATFORM,
        "        target: 70\n",
        "        target: 60\n",
    );
    repo.commit(
        "2026-07-23T10:00:00+02:00",
        "Dana Li",
        "Ease cache target again",
    );
    let json = history(&repo, &[]);
    let targets: Vec<(Value, Value)> = events(&json)
        .into_iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .map(|e| (e["reason"].clone(), e["reason_source"].clone()))
        .collect();
    assert_eq!(
        targets,
        [
            ("Two services moved late".into(), "yaml".into()),
            ("Cache rollout slipped".into(), "trailer".into()),
            ("The CDN contract changed.".into(), "body".into()),
            (Value::Null, Value::Null),
        ]
    );
}

#[test]
fn the_planning_window_decides_what_is_mid_quarter() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: 3\n",
    );
    repo.commit("2026-07-14T23:00:00+00:00", "Dana Li", "Last planning edit");
    edit(
        &repo,
        PLATFORM,
        "        target: 3\n",
        "        target: 4\n",
    );
    repo.commit("2026-07-15T09:00:00+00:00", "Dana Li", "First pivot");
    let json = history(&repo, &[]);
    assert_eq!(json["kickoff"], "2026-07-15");
    let mid: Vec<Value> = events(&json)
        .iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .map(|e| e["mid_quarter"].clone())
        .collect();
    assert_eq!(mid, [false, true]);
    repo.write("okr.toml", "dir = \"okrs\"\nplanning_window_days = 30\n");
    let json = history(&repo, &[]);
    let mid: Vec<Value> = events(&json)
        .iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .map(|e| e["mid_quarter"].clone())
        .collect();
    assert_eq!(mid, [false, false]);
}

#[test]
fn a_change_made_on_a_branch_is_reported_once_not_again_at_the_merge() {
    let repo = planned();
    repo.branch("lower-target").switch("lower-target");
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: 4\n",
    );
    let branch_commit = repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Sam Roe",
        "Lower deploy target",
    );
    repo.switch("main");
    repo.write("README.md", "unrelated\n");
    repo.commit("2026-07-21T10:00:00+02:00", "Ann Bo", "Docs");
    let merge = repo.merge(
        "lower-target",
        "2026-07-22T10:00:00+02:00",
        "Ann Bo",
        "Merge lower-target",
    );
    let json = history(&repo, &[]);
    let target = one(&json, "kr_target_changed");
    assert_eq!(target["commit"], branch_commit.as_str());
    assert!(
        events(&json).iter().all(|e| e["commit"] != merge.as_str()),
        "the merge adds nothing"
    );
    // The mainline view attributes the change to the merge that brought it in.
    let mainline = history(&repo, &["--first-parent"]);
    assert_eq!(
        one(&mainline, "kr_target_changed")["commit"],
        merge.as_str()
    );
}

#[test]
fn changes_on_both_sides_of_a_merge_are_each_reported_once() {
    let repo = planned();
    repo.branch("builds");
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: 1\n",
    );
    let on_main = repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Dana Li",
        "Harder deploy target",
    );
    repo.switch("builds");
    edit(
        &repo,
        PLATFORM,
        "        target: 15\n",
        "        target: 10\n",
    );
    let on_branch = repo.commit(
        "2026-07-21T10:00:00+02:00",
        "Sam Roe",
        "Harder build target",
    );
    repo.switch("main");
    let merge = repo.merge(
        "builds",
        "2026-07-22T10:00:00+02:00",
        "Dana Li",
        "Merge builds",
    );
    let json = history(&repo, &[]);
    let commits: Vec<Value> = events(&json)
        .iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .map(|e| e["commit"].clone())
        .collect();
    assert_eq!(commits, [Value::from(on_main), Value::from(on_branch)]);
    assert!(events(&json).iter().all(|e| e["commit"] != merge.as_str()));
}

#[test]
fn a_pure_rename_produces_no_events_and_a_rename_with_an_edit_only_the_edit() {
    let repo = planned();
    repo.rename(PLATFORM, "okrs/2026-Q3/infra.yaml");
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Dana Li",
        "Rename the team file",
    );
    let after_rename = events(&history(&repo, &[])).len();
    assert_eq!(after_rename, 12, "only the initial plan");
    repo.rename("okrs/2026-Q3/infra.yaml", "okrs/2026-Q3/platform-team.yaml");
    edit(
        &repo,
        "okrs/2026-Q3/platform-team.yaml",
        "        target: 2\n",
        "        target: 1\n",
    );
    repo.commit(
        "2026-07-21T10:00:00+02:00",
        "Dana Li",
        "Rename again and raise the bar",
    );
    let json = history(&repo, &[]);
    assert_eq!(events(&json).len(), 13);
    assert_eq!(
        one(&json, "kr_target_changed")["path"],
        "okrs/2026-Q3/platform-team.yaml"
    );
}

#[test]
fn an_id_edited_with_its_title_is_a_rewording() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "  - id: faster-builds\n    title: Halve CI build times\n",
        "  - id: fastr-builds\n    title: Halve CI buld times\n",
    );
    repo.commit("2026-07-02T10:00:00+02:00", "Dana Li", "Typo");
    edit(
        &repo,
        PLATFORM,
        "  - id: fastr-builds\n    title: Halve CI buld times\n",
        "  - id: faster-builds\n    title: Halve CI build times\n",
    );
    repo.commit("2026-07-03T10:00:00+02:00", "Dana Li", "Fix typo");
    let json = history(&repo, &[]);
    let reworded = of_kind(&json, "objective_reworded");
    assert_eq!(reworded.len(), 2, "{reworded:#?}");
    assert!(of_kind(&json, "objective_removed").is_empty());
    let fix = events(&json)
        .into_iter()
        .rfind(|e| e["kind"] == "objective_reworded")
        .unwrap();
    assert_eq!(fix["previous_id"], "fastr-builds");
    assert_eq!(fix["objective"], "faster-builds");
}

#[test]
fn an_unparseable_revision_is_a_warning_and_the_walk_goes_on() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: [2\n",
    );
    let broken = repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Oops");
    edit(
        &repo,
        PLATFORM,
        "        target: [2\n",
        "        target: 3\n",
    );
    repo.commit("2026-07-21T10:00:00+02:00", "Dana Li", "Fix");
    let json = history(&repo, &[]);
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["commit"], broken.as_str());
    assert_eq!(warnings[0]["path"], PLATFORM);
    let target = one(&json, "kr_target_changed");
    assert_eq!(
        (target["from"].clone(), target["to"].clone()),
        (Value::from(2), Value::from(3))
    );
    assert_eq!(target["message"], "Fix");
}

#[test]
fn commits_outside_the_quarter_add_nothing() {
    let repo = planned();
    repo.write("README.md", "docs\n");
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Docs only");
    repo.write(
        "okrs/2026-Q4/platform.yaml",
        &team_file("platform").replace("2026-Q3", "2026-Q4"),
    );
    repo.commit("2026-07-21T10:00:00+02:00", "Dana Li", "Next quarter draft");
    assert_eq!(events(&history(&repo, &[])).len(), 12);
}

#[test]
fn team_and_date_filters_narrow_the_events() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        current: 12\n",
        "        current: 10\n",
    );
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    edit(
        &repo,
        PLATFORM,
        "        current: 10\n",
        "        current: 8\n",
    );
    repo.commit("2026-08-20T10:00:00+02:00", "Dana Li", "Check in");
    assert!(
        events(&history(&repo, &["--team", "company"]))
            .iter()
            .all(|e| e["team"] == "company")
    );
    let july = history(&repo, &["--since", "2026-07-01", "--until", "2026-07-31"]);
    assert_eq!(events(&july).len(), 1);
    assert_eq!(repo.okr(&["history", "--since", "July"]).code, 2);
}

#[test]
fn fiscal_quarters_follow_the_configured_start_month() {
    let repo = GitRepo::new();
    repo.write("okr.toml", "dir = \"okrs\"\nfiscal_year_start_month = 2\n");
    repo.write(
        "okrs/2027-Q1/platform.yaml",
        &team_file("platform")
            .replace("2026-Q3", "2027-Q1")
            .replace("aligns_to: company/customer-trust\n    ", ""),
    );
    repo.commit("2026-02-20T10:00:00+01:00", "Dana Li", "Plan FY27 Q1");
    let run = repo.okr(&["history", "--quarter", "2027-Q1", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    assert_eq!(
        (json["start"].clone(), json["end"].clone()),
        ("2026-02-01".into(), "2026-04-30".into())
    );
    assert_eq!(json["kickoff"], "2026-02-15");
    // Written after that kickoff, the team's first revision is its plan, late: not a change of plan.
    assert!(
        events(&json)
            .iter()
            .all(|e| e["planned_late"] == true && e["mid_quarter"] == false)
    );
}

#[test]
fn a_shallow_clone_is_refused_with_the_fix() {
    let repo = planned();
    edit(
        &repo,
        PLATFORM,
        "        current: 12\n",
        "        current: 10\n",
    );
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    let clone = tempfile::tempdir().unwrap();
    let target = clone.path().join("shallow");
    let url = format!("file://{}", repo.path().display());
    let status = std::process::Command::new("git")
        .args([
            "clone",
            "-q",
            "--depth",
            "1",
            &url,
            target.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let run = crate::support::okr(&target, &["history", "--quarter", "2026-Q3"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("shallow"), "{}", run.stderr);
    assert!(
        run.stderr.contains("git fetch --unshallow"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
}

#[test]
fn the_default_quarter_is_the_latest_in_the_repository_when_today_has_none() {
    let repo = planned();
    let run = repo.okr(&["history", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()["quarter"], "2026-Q3");
}

#[test]
fn outside_a_repository_and_with_an_unknown_revision_it_says_what_is_wrong() {
    let plain = crate::support::Scratch::new();
    plain.write("okrs/2026-Q3/a.yaml", team_file("a"));
    let run = plain.okr(&["history", "--quarter", "2026-Q3"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{}",
        run.stderr
    );
    let repo = planned();
    let run = repo.okr(&["history", "--quarter", "2026-Q3", "--rev", "no-such-branch"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("`no-such-branch` is not a branch, tag or commit"),
        "{}",
        run.stderr
    );
}

#[test]
fn show_prints_the_quarter_as_it_stood_on_a_day_or_at_a_revision() {
    let repo = planned();
    repo.tag("kickoff");
    edit(
        &repo,
        PLATFORM,
        "        target: 2\n",
        "        target: 4\n",
    );
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Ease");
    let target_at = |at: &str| -> Value {
        let run = repo.okr(&[
            "show",
            "--quarter",
            "2026-Q3",
            "--at",
            at,
            "--format",
            "json",
        ]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        let json = run.json();
        let platform = json["teams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["team"] == "platform")
            .unwrap()
            .clone();
        platform["objectives"][0]["key_results"][0]["target"].clone()
    };
    assert_eq!(target_at("kickoff"), 2);
    assert_eq!(target_at("2026-07-31"), 2);
    assert_eq!(target_at("2026-08-01"), 4);
    assert_eq!(target_at("HEAD"), 4);
}

#[test]
fn the_demo_builds_a_real_repository_with_a_quarter_of_history() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("demo");
    let run = crate::support::okr(
        dir.path(),
        &["demo", target.to_str().unwrap(), "--format", "json"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains(target.to_str().unwrap()));
    let json = run.json();
    assert_eq!(json["quarter"], "2026-Q3");
    let summary = &json["summary"];
    for list in [
        "added_after_kickoff",
        "dropped",
        "removed",
        "made_easier",
        "made_harder",
    ] {
        assert!(
            !summary[list].as_array().unwrap().is_empty(),
            "the demo has no {list}"
        );
    }
    assert_eq!(
        json["warnings"].as_array().unwrap().len(),
        1,
        "the demo's one broken revision"
    );
    let log = std::process::Command::new("git")
        .args(["log", "--oneline"])
        .current_dir(&target)
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&log.stdout).lines().count(), 56);
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&target)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "the demo is checked out clean"
    );
    assert_eq!(crate::support::okr(&target, &["validate"]).code, 0);
    // It never builds over existing files.
    assert_eq!(
        crate::support::okr(dir.path(), &["demo", target.to_str().unwrap()]).code,
        2
    );
}

#[test]
fn a_deleted_team_file_removes_its_objectives_and_adding_it_back_adds_them() {
    let repo = planned();
    repo.remove(PLATFORM);
    repo.commit(
        "2026-08-01T10:00:00+02:00",
        "Dana Li",
        "Delete platform OKRs",
    );
    repo.write(PLATFORM, &team_file("platform"));
    repo.commit(
        "2026-08-02T10:00:00+02:00",
        "Dana Li",
        "Restore platform OKRs",
    );
    let json = history(&repo, &[]);
    let mid: Vec<(Value, Value)> = events(&json)
        .iter()
        .filter(|e| e["mid_quarter"] == true && e["key_result"].is_null())
        .map(|e| (e["kind"].clone(), e["objective"].clone()))
        .collect();
    assert_eq!(
        mid,
        [
            ("objective_removed".into(), "boring-deploys".into()),
            ("objective_removed".into(), "faster-builds".into()),
            ("objective_added".into(), "boring-deploys".into()),
            ("objective_added".into(), "faster-builds".into()),
        ]
    );
}

#[test]
fn a_team_file_in_a_subfolder_of_the_quarter_is_read_beside_the_flat_ones() {
    const NESTED: &str = "okrs/2026-Q3/infrastructure/platform.yaml";
    let repo = GitRepo::new();
    repo.write(COMPANY, &company_file());
    repo.write(NESTED, &team_file("platform"));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    edit(&repo, NESTED, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target",
    );
    let json = history(&repo, &[]);
    assert_eq!(of_kind(&json, "objective_added").len(), 4);
    let target = one(&json, "kr_target_changed");
    assert_eq!(target["path"], NESTED);
    assert_eq!(
        (target["from"].clone(), target["to"].clone()),
        (Value::from(2), Value::from(4))
    );
}

/// Merges on both sides, for reading the same history with and without a commit-graph.
fn merged_history(repo: &GitRepo, day: u32) {
    let branch = format!("side-{day}");
    repo.branch(&branch).switch(&branch);
    edit(
        repo,
        PLATFORM,
        "Median CI minutes",
        "Median CI minutes (p50)",
    );
    repo.commit(
        &format!("2026-07-{day:02}T10:00:00+02:00"),
        "Sam Roe",
        "Name the build percentile",
    );
    repo.switch("main");
    repo.write("README.md", &format!("day {day}\n"));
    repo.commit(
        &format!("2026-07-{day:02}T11:00:00+02:00"),
        "Ann Bo",
        "Docs",
    );
    repo.merge(
        &branch,
        &format!("2026-07-{day:02}T12:00:00+02:00"),
        "Ann Bo",
        "Merge",
    );
    edit(repo, PLATFORM, "(p50)", "");
    repo.commit(
        &format!("2026-07-{:02}T10:00:00+02:00", day + 1),
        "Dana Li",
        "Back to the plain title",
    );
}

#[test]
fn a_commit_graph_whole_or_in_layers_changes_nothing_in_the_history() {
    let repo = planned();
    merged_history(&repo, 10);
    let graph_file = repo.path().join(".git/objects/info/commit-graph");
    let graph_chain = repo.path().join(".git/objects/info/commit-graphs");
    // Without the walk cache, which would answer for the commits it has seen from what it saw then.
    let uncached = |extra: &[&str]| crate::cache::history_with(&repo, None, extra).json();
    let both_views = || (uncached(&[]), uncached(&["--first-parent"]));
    let without = both_views();
    repo.git(&["commit-graph", "write", "--reachable"]);
    assert!(graph_file.exists());
    assert_eq!(both_views(), without, "a whole commit-graph");

    // Commits the graph does not know yet, then a second layer over the first.
    merged_history(&repo, 20);
    let partly_graphed = both_views();
    repo.git(&["commit-graph", "write", "--reachable", "--split=no-merge"]);
    assert!(graph_chain.exists());
    let layered = both_views();
    std::fs::remove_file(&graph_file).ok();
    std::fs::remove_dir_all(&graph_chain).unwrap();
    let without = both_views();
    assert_eq!(partly_graphed, without, "a graph older than the tip");
    assert_eq!(layered, without, "a commit-graph in two layers");
}

#[test]
fn a_workspace_in_a_folder_of_the_repository_reads_its_own_quarter_folder() {
    // The walk looks the quarter up three trees deep (`planning/okrs/2026-Q3`). A quarter folder of the
    // same name at the top of the repository belongs to no workspace here, and the next quarter's folder
    // beside it is another quarter: neither may be read.
    let repo = GitRepo::new();
    let workspace = "planning";
    repo.write(
        &format!("{workspace}/okr.toml"),
        "dir = \"okrs\"\nplanning_window_days = 14\n",
    );
    repo.write(&format!("{workspace}/{COMPANY}"), &company_file());
    repo.write(&format!("{workspace}/{PLATFORM}"), &team_file("platform"));
    repo.write(PLATFORM, &team_file("platform"));
    let next_quarter = |file: String| file.replace("2026-Q3", "2026-Q4");
    let beside = format!("{workspace}/okrs/2026-Q4/platform.yaml");
    repo.write(&beside, &next_quarter(team_file("platform")));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.write(
        &format!("{workspace}/{PLATFORM}"),
        &team_file("platform").replace("target: 2", "target: 4"),
    );
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Dana Li",
        "Loosen failed deploys",
    );
    repo.write(
        PLATFORM,
        &team_file("platform").replace("target: 15", "target: 10"),
    );
    repo.commit("2026-07-21T10:00:00+02:00", "Sam Roe", "Tighten the decoy");
    repo.write(
        &beside,
        &next_quarter(team_file("platform")).replace("target: 80", "target: 90"),
    );
    repo.commit("2026-07-22T10:00:00+02:00", "Sam Roe", "Plan ahead for Q4");

    let run = crate::support::okr(
        &repo.path().join(workspace),
        &["history", "--quarter", "2026-Q3", "--format", "json"],
    );
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    let json = run.json();
    let target = one(&json, "kr_target_changed");
    assert_eq!(target["key_result"], "failed-deploys");
    assert_eq!(
        (target["from"].clone(), target["to"].clone()),
        (Value::from(2), Value::from(4))
    );
    assert!(
        events(&json).iter().all(|e| e["author"] != "Sam Roe"),
        "another folder than the quarter's was read: {json:#}"
    );
}

#[test]
fn a_team_that_is_not_in_the_history_is_an_error_with_a_suggestion() {
    let repo = GitRepo::demo();
    for command in ["history", "report"] {
        let run = repo.okr(&[command, "--quarter", "2026-Q3", "--team", "platfrom"]);
        assert_eq!(run.code, 2, "{command}: {}", run.stdout);
        assert!(
            run.stderr
                .contains("no team `platfrom` in the history of 2026-Q3 up to `HEAD`; did you mean `platform`?"),
            "{command}: {}",
            run.stderr
        );
    }
}

#[test]
fn a_quarter_on_the_command_line_may_have_a_lowercase_q() {
    let repo = planned();
    for command in [
        &["history", "--format", "json"][..],
        &["report", "--format", "json"],
        &["show", "--format", "json"],
    ] {
        let upper = repo.okr(&[command, &["--quarter", "2026-Q3"]].concat());
        let lower = repo.okr(&[command, &["--quarter", "2026-q3"]].concat());
        assert_eq!(lower.code, 0, "{command:?}: {}", lower.stderr);
        assert_eq!(lower.stdout, upper.stdout, "{command:?}");
    }
    let refused = repo.okr(&["history", "--quarter", "2026-q5"]);
    assert_eq!(refused.code, 2);
    assert!(refused.stderr.contains("`2026-q5`"), "{}", refused.stderr);
}

#[test]
fn since_after_until_matches_no_day_and_is_refused() {
    let repo = planned();
    let run = repo.okr(&[
        "history",
        "--quarter",
        "2026-Q3",
        "--since",
        "2026-09-01",
        "--until",
        "2026-08-01",
    ]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("`--since 2026-09-01` is after `--until 2026-08-01`"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_output_that_is_a_folder_is_refused_once_with_what_to_write() {
    let repo = planned();
    std::fs::create_dir(repo.path().join("site")).unwrap();
    for (command, output) in [("report", "site"), ("history", "site"), ("report", "new/")] {
        let run = repo.okr(&[
            command,
            "--quarter",
            "2026-Q3",
            "--format",
            "html",
            "-o",
            output,
        ]);
        assert_eq!(run.code, 2, "{command} -o {output}: {}", run.stdout);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!(
                "`-o {output}` is a folder; name the file to write"
            )),
            "{}",
            run.stderr
        );
    }
    assert!(!repo.path().join("new").exists(), "nothing is written");
}
