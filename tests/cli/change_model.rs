//! One model of change: `okr history`, `okr diff`, `okr diff --check`, the diff driver and `okr report` give
//! one answer to what changed, when and why. Each test is a way that promise broke, tried the way a careless
//! or a clever author would, on a real repository.

use serde_json::Value;

use crate::repo::{GitRepo, company_file, planned, team_file};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";
const COMPANY: &str = "okrs/2026-Q3/company.yaml";

fn edit(repo: &GitRepo, from: &str, to: &str) {
    repo.replace_once(PLATFORM, from, to);
}

const RUNBOOK: &str = "      - id: rollback-runbook\n        title: Every service has a tested rollback runbook\n        done: false\n";

fn json_of(repo: &GitRepo, args: &[&str]) -> (i32, Value) {
    let run = repo.okr(args);
    assert!(
        run.code == 0 || run.code == 1,
        "okr {args:?}: {}{}",
        run.stdout,
        run.stderr
    );
    (run.code, run.json())
}

/// `okr diff --check` as JSON: the exit code, and the kinds of the changes refused (needing a reason, with
/// none), each with the commit it is attributed to.
fn refused(repo: &GitRepo, args: &[&str]) -> (i32, Vec<(String, Value)>) {
    let mut all = vec!["diff", "--check"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, json) = json_of(repo, &all);
    let kinds = json["changes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["requires_reason"] == true && c["reason"].is_null())
        .map(|c| (c["kind"].as_str().unwrap().to_owned(), c["commit"].clone()))
        .collect();
    (code, kinds)
}

fn history(repo: &GitRepo) -> Value {
    let (code, json) = json_of(
        repo,
        &["history", "--quarter", "2026-Q3", "--format", "json"],
    );
    assert_eq!(code, 0);
    json
}

fn events(json: &Value) -> Vec<Value> {
    json["events"].as_array().unwrap().clone()
}

// 1. A reason in one commit never excuses a change made by another.
#[test]
fn a_trailer_of_one_commit_does_not_excuse_a_change_made_by_the_next() {
    let repo = planned();
    edit(&repo, "        current: 12\n", "        current: 9\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Weekly check-in\n\nReason: weekly numbers",
    );
    edit(&repo, RUNBOOK, "");
    let silent = repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Tidy up");
    let expected = vec![("kr_removed".to_owned(), Value::from(silent.as_str()))];
    assert_eq!(refused(&repo, &["base", "HEAD"]), (1, expected.clone()));
    assert_eq!(refused(&repo, &["HEAD~1", "HEAD"]), (1, expected));
}

#[test]
fn notes_a_check_in_edited_do_not_explain_a_later_commit_that_eases_the_same_key_result() {
    let repo = planned();
    edit(
        &repo,
        "        current: 12\n",
        "        current: 9\n        notes: weekly numbers\n",
    );
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Check in");
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Ease");
    assert_eq!(refused(&repo, &["base", "HEAD"]).1.len(), 1);
}

// 2. The check and the history accept the same reasons, and the diff shows the one that satisfied the check.
#[test]
fn a_commit_body_explains_a_change_to_the_check_as_it_does_to_the_history() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target\n\nTwo services joined the platform late.",
    );
    assert_eq!(refused(&repo, &["base", "HEAD"]), (0, Vec::new()));
    let history = history(&repo);
    let eased = events(&history)
        .into_iter()
        .find(|e| e["kind"] == "kr_target_changed")
        .unwrap();
    assert_eq!(
        (
            eased["reason_source"].clone(),
            eased["requires_reason"].clone()
        ),
        ("body".into(), true.into())
    );
    let (_, diff) = json_of(&repo, &["diff", "base", "HEAD", "--format", "json"]);
    assert_eq!(diff["changes"][0]["reason"], eased["reason"]);
}

#[test]
fn the_diff_shows_the_trailer_that_satisfied_the_check() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Ease the deploy target\n\nReason: two services joined late",
    );
    assert_eq!(refused(&repo, &["base", "HEAD"]).0, 0);
    let human = repo.okr(&["diff", "base", "HEAD"]).stdout;
    assert!(human.contains("why: two services joined late"), "{human}");
    let markdown = repo
        .okr(&["diff", "base", "HEAD", "--format", "markdown"])
        .stdout;
    assert!(
        markdown.contains("*why:* two services joined late"),
        "{markdown}"
    );
}

// 3. Dates never go back: a backdated commit cannot move a change into the planning window.
#[test]
fn a_commit_dated_back_into_the_planning_window_is_still_mid_quarter() {
    let repo = planned();
    edit(&repo, "        current: 12\n", "        current: 9\n");
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Check in");
    repo.tag("main-in-august");
    edit(&repo, "        target: 2\n", "        target: 4\n");
    repo.commit("2026-07-03T10:00:00+02:00", "Sly Author", "Ease");
    let (code, kinds) = refused(&repo, &["main-in-august", "HEAD"]);
    assert_eq!((code, kinds.len()), (1, 1));
    let eased = events(&history(&repo))
        .into_iter()
        .find(|e| e["kind"] == "kr_target_changed")
        .unwrap();
    assert!(
        eased["date"].as_str().unwrap().starts_with("2026-08-01"),
        "{eased:#}"
    );
    assert_eq!(eased["mid_quarter"], true);
}

#[test]
fn a_docs_commit_dated_in_july_on_top_does_not_carry_the_change_into_planning() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 4\n");
    let eased = repo.commit("2026-08-05T10:00:00+02:00", "Dana Li", "Ease");
    repo.write("README.md", "OKRs of the platform team\n");
    repo.commit("2026-07-10T10:00:00+02:00", "Dana Li", "Docs");
    assert_eq!(
        refused(&repo, &["base", "HEAD"]),
        (1, vec![("kr_target_changed".to_owned(), eased.into())])
    );
}

#[test]
fn history_shows_a_commit_dated_before_its_parent_at_its_parents_date_and_the_kickoff_plan_agrees()
{
    let repo = planned();
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    let cut = text.find("  - id: faster-builds").unwrap();
    repo.write(PLATFORM, &text[..cut]);
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Drop builds");
    let company = company_file();
    let cut = company.find("  - id: efficient-growth").unwrap();
    repo.write(COMPANY, &company[..cut]);
    let backdated = repo.commit("2026-07-05T10:00:00+02:00", "Dana Li", "Drop growth");
    let json = history(&repo);
    let removed: Vec<(Value, Value)> = events(&json)
        .iter()
        .filter(|e| e["kind"] == "objective_removed")
        .map(|e| (e["objective"].clone(), e["mid_quarter"].clone()))
        .collect();
    assert_eq!(
        removed,
        [
            ("faster-builds".into(), true.into()),
            ("efficient-growth".into(), true.into())
        ]
    );
    let at_kickoff: Vec<&str> = json["summary"]["kickoff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["objective"].as_str().unwrap())
        .collect();
    assert!(
        at_kickoff.contains(&"faster-builds") && at_kickoff.contains(&"efficient-growth"),
        "what was removed after kickoff was there at kickoff: {at_kickoff:?}"
    );
    assert!(
        json["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["commit"] == backdated.as_str()),
        "{:#}",
        json["warnings"]
    );
    let human = repo.okr(&["history", "--quarter", "2026-Q3"]).stdout;
    assert!(human.contains("before its parent"), "{human}");
}

// 4. A file that does not parse is skipped everywhere, never "every objective removed".
#[test]
fn a_revision_that_does_not_parse_is_skipped_in_diff_and_fails_the_check_at_its_place() {
    for broken in [
        "quarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: [\n",
        "<<<<<<< HEAD\nquarter: 2026-Q3\n=======\nquarter: 2026-Q4\n>>>>>>> side\n",
    ] {
        let repo = planned();
        repo.write(PLATFORM, broken);
        repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Oops");
        let (_, diff) = json_of(&repo, &["diff", "base", "HEAD", "--format", "json"]);
        assert_eq!(diff["changes"].as_array().unwrap().len(), 0, "{diff:#}");
        assert!(
            diff["warnings"][0]["message"]
                .as_str()
                .unwrap()
                .contains("skipped an unreadable revision"),
            "{diff:#}"
        );
        let (code, check) = json_of(
            &repo,
            &["diff", "--check", "base", "HEAD", "--format", "json"],
        );
        let codes: Vec<&str> = check["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["code"].as_str().unwrap())
            .collect();
        assert_eq!(code, 1, "merging a broken file fails the check");
        assert!(
            !codes.is_empty() && codes.iter().all(|c| *c == "yaml-syntax"),
            "{codes:?}"
        );
        assert_eq!(check["diagnostics"][0]["path"], PLATFORM);
        let markdown = repo
            .okr(&["diff", "--check", "base", "HEAD", "--format", "markdown"])
            .stdout;
        assert!(!markdown.contains("removed"), "{markdown}");
    }
}

#[test]
fn the_diff_driver_skips_a_side_that_does_not_parse() {
    let repo = planned();
    let old = repo.path().join("old.yaml");
    let new = repo.path().join("new.yaml");
    std::fs::write(&old, team_file("platform")).unwrap();
    std::fs::write(&new, "quarter: 2026-Q3\nteam: [\n").unwrap();
    let hex = "0".repeat(40);
    let run = repo.okr(&[
        "diff-driver",
        PLATFORM,
        old.to_str().unwrap(),
        &hex,
        "100644",
        new.to_str().unwrap(),
        &hex,
        "100644",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stdout.contains("removed"), "{}", run.stdout);
    assert!(
        run.stdout.contains("skipped an unreadable revision"),
        "{}",
        run.stdout
    );
}

// 5. A merge that throws away a branch's change is a change, made at the merge.
#[test]
fn a_merge_that_keeps_the_old_target_is_an_event_at_the_merge() {
    let repo = planned();
    repo.branch("side");
    repo.switch("side");
    edit(&repo, "        target: 80\n", "        target: 60\n");
    edit(
        &repo,
        "        target: 15\n",
        "        target: 15\n        current: 20\n",
    );
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Ann Bo",
        "Lower the cache target, check in build minutes\n\nReason: the cache server is late",
    );
    repo.switch("main");
    edit(&repo, "        current: 12\n", "        current: 9\n");
    repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Check in");
    // The merge takes both check-ins and throws the lowered target away.
    let kept = team_file("platform")
        .replace("current: 12\n", "current: 9\n")
        .replace(
            "        target: 15\n",
            "        target: 15\n        current: 20\n",
        );
    let merge = repo.merge_as(
        "side",
        (
            "2026-08-05T10:00:00+02:00",
            "Dana Li",
            "Merge side, keeping 80",
        ),
        &[(PLATFORM, &kept)],
    );
    let json = history(&repo);
    let targets: Vec<(Value, Value, Value)> = events(&json)
        .iter()
        .filter(|e| e["key_result"] == "cache-hits" && e["kind"] == "kr_target_changed")
        .map(|e| (e["commit"].clone(), e["from"].clone(), e["to"].clone()))
        .collect();
    assert_eq!(targets.len(), 2, "{targets:?}");
    assert_eq!(
        targets[1],
        (merge.as_str().into(), 60.into(), 80.into()),
        "the merge put the target back"
    );
    // Replayed, the history ends where HEAD is, and the report agrees.
    let (_, report) = json_of(
        &repo,
        &["report", "--quarter", "2026-Q3", "--format", "json"],
    );
    let cache = &report["teams"][1]["objectives"][1]["key_results"][1];
    assert_eq!(
        (cache["id"].clone(), cache["target"].clone()),
        ("cache-hits".into(), 80.into())
    );
    let harder: Vec<Value> = json["summary"]["made_harder"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| events(&json)[i.as_u64().unwrap() as usize]["commit"].clone())
        .collect();
    assert_eq!(harder, [Value::from(merge.as_str())]);
}

// 6. A team's first revision is its plan, whenever it was written.
#[test]
fn adopting_okr_after_kickoff_is_a_plan_written_late_not_a_pivot() {
    let repo = GitRepo::new();
    repo.write(COMPANY, &company_file());
    repo.write(PLATFORM, &team_file("platform"));
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Start using okr");
    let json = history(&repo);
    let added: Vec<&Value> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "objective_added")
        .collect();
    assert_eq!(added.len(), 4);
    for event in &added {
        assert_eq!(
            (event["mid_quarter"].clone(), event["planned_late"].clone()),
            (false.into(), true.into()),
            "{event:#}"
        );
    }
    assert_eq!(
        json["summary"]["added_after_kickoff"],
        serde_json::json!([])
    );
    assert_eq!(json["summary"]["planned_late"].as_array().unwrap().len(), 4);
    let human = repo.okr(&["history", "--quarter", "2026-Q3"]).stdout;
    assert!(human.contains("planned late, on 2026-08-03"), "{human}");
    assert!(!human.contains("⚠"), "{human}");
    assert!(!human.contains("▲ pivot"), "{human}");
}

#[test]
fn a_new_team_joining_after_kickoff_plans_late_while_a_new_objective_of_an_old_team_is_a_pivot() {
    let repo = planned();
    repo.write("okrs/2026-Q3/search.yaml", &team_file("search"));
    edit(
        &repo,
        "  - id: faster-builds\n",
        "  - id: quieter-pagers\n    title: Fewer pages at night\n    key_results:\n      - id: pages\n        title: Pages per week\n        start: 20\n        target: 5\n  - id: faster-builds\n",
    );
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Search joins; a new objective",
    );
    let json = history(&repo);
    let added: Vec<(Value, Value, Value)> = events(&json)
        .iter()
        .filter(|e| e["kind"] == "objective_added" && e["commit"] != events(&json)[0]["commit"])
        .map(|e| {
            (
                e["team"].clone(),
                e["objective"].clone(),
                e["planned_late"].clone(),
            )
        })
        .collect();
    assert!(added.contains(&("search".into(), "boring-deploys".into(), true.into())));
    assert!(added.contains(&("platform".into(), "quieter-pagers".into(), false.into())));
    let late = json["summary"]["added_after_kickoff"].as_array().unwrap();
    assert_eq!(late.len(), 1, "only platform's new objective is a pivot");
}

// 7. A key result removed silently still counts against the kickoff plan.
#[test]
fn a_silently_removed_failing_key_result_still_counts_against_the_kickoff_plan() {
    let repo = planned();
    edit(&repo, "        current: 12\n", "        current: 2\n");
    repo.commit(
        "2026-08-01T10:00:00+02:00",
        "Dana Li",
        "Deploys are boring now",
    );
    edit(&repo, RUNBOOK, "");
    let removal = repo.commit("2026-08-10T10:00:00+02:00", "Dana Li", "Tidy up");
    let (_, report) = json_of(
        &repo,
        &["report", "--quarter", "2026-Q3", "--format", "json"],
    );
    let objective = &report["teams"][1]["objectives"][0];
    assert_eq!(objective["id"], "boring-deploys");
    assert_eq!(objective["score"], 1.0, "today's plan: one key result, met");
    assert_eq!(
        objective["score_against_kickoff"], 0.5,
        "the kickoff plan: the runbook still counts, not done"
    );
    let removed = &objective["removed_key_results"];
    assert_eq!(removed.as_array().unwrap().len(), 1, "{removed:#}");
    assert_eq!(
        (
            removed[0]["id"].clone(),
            removed[0]["last_value"].clone(),
            removed[0]["reason"].clone(),
            removed[0]["commit"].clone()
        ),
        (
            "rollback-runbook".into(),
            false.into(),
            Value::Null,
            removal.as_str().into()
        )
    );
    let human = repo.okr(&["report", "--quarter", "2026-Q3"]).stdout;
    assert!(human.contains("✗ removed on 2026-08-10"), "{human}");
    assert!(human.contains("⚠ no reason given"), "{human}");
    let html = repo
        .okr(&["report", "--quarter", "2026-Q3", "--format", "html"])
        .stdout;
    assert!(html.contains("Key result removed on 2026-08-10"));
    assert!(html.contains("data-kind=\"key_result_removed\""));
}

// 8. git's range syntax, wherever two revisions are taken.
#[test]
fn ranges_are_read_like_git_reads_them() {
    let repo = planned();
    repo.branch("side");
    repo.switch("side");
    edit(&repo, "        target: 80\n", "        target: 90\n");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Ann Bo",
        "Raise the cache target",
    );
    repo.switch("main");
    edit(&repo, "        current: 12\n", "        current: 9\n");
    repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Check in");
    let kinds = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["diff"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--format", "json"]);
        let (code, json) = json_of(&repo, &all);
        assert_eq!(code, 0);
        json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(kinds(&["base..main"]), kinds(&["base", "main"]));
    assert_eq!(kinds(&["base..main"]), ["kr_progress"]);
    // From where the branch left main: only the branch's own change.
    assert_eq!(kinds(&["main...side"]), ["kr_target_changed"]);
    // Two ends both ways round: main's check-in undone, the branch's change made.
    assert_eq!(kinds(&["main..side"]).len(), 2);
    assert_eq!(refused(&repo, &["base..HEAD"]).0, 0);
    let run = repo.okr(&["diff", "base..HEAD", "HEAD~1"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("one revision too many"),
        "{}",
        run.stderr
    );
}

// Run as a reviewer would: a branch of the demo, checked for its pull request.
#[test]
fn a_reviewer_sees_each_change_its_reason_and_what_is_missing_in_the_pull_request_markdown() {
    let repo = GitRepo::demo();
    let platform = "okrs/2026-Q3/platform.yaml";
    let change = |from: &str, to: &str| {
        let text = std::fs::read_to_string(repo.path().join(platform)).unwrap();
        assert_eq!(text.matches(from).count(), 1, "`{from}`");
        repo.write(platform, &text.replacen(from, to, 1));
    };
    repo.git(&["switch", "-q", "-c", "late-changes"]);
    change("        target: 30\n", "        target: 45\n");
    repo.commit(
        "2026-09-30T15:00:00+02:00",
        "Chloe Martin",
        "Ease the MTTR target\n\nReason: on-call moves to follow-the-sun only in October",
    );
    change(
        "      - id: runbooks\n        title: Runbook linked from every paging alert\n        done: false\n        confidence: 0.8\n",
        "",
    );
    repo.commit(
        "2026-09-30T15:10:00+02:00",
        "Chloe Martin",
        "Tidy platform OKRs",
    );
    change("        current: 6\n", "        current: 5\n");
    repo.commit(
        "2026-09-30T15:20:00+02:00",
        "Ravi Patel",
        "Lead time check-in",
    );
    let markdown = repo.okr(&[
        "diff",
        "--check",
        "main...late-changes",
        "--format",
        "markdown",
    ]);
    assert_eq!(markdown.code, 1, "{}", markdown.stderr);
    insta::assert_snapshot!("demo_pull_request_check_markdown", markdown.stdout);
    let human = repo.okr(&["diff", "--check", "main...late-changes"]);
    assert_eq!(human.code, 1);
    insta::assert_snapshot!("demo_pull_request_check_human", human.stdout);

    // The same findings for CI: annotations, code scanning, test reports.
    let github = repo.okr(&[
        "diff",
        "--check",
        "main...late-changes",
        "--format",
        "github",
    ]);
    assert_eq!(github.code, 1);
    assert!(
        github.stdout.starts_with(&format!(
            "::error file={platform},line=43,col=5,title=change-without-reason::key result `runbooks`"
        )),
        "{}",
        github.stdout
    );
    assert_eq!(github.stdout.lines().count(), 1);
    let sarif = repo.okr(&[
        "diff",
        "--check",
        "main...late-changes",
        "--format",
        "sarif",
    ]);
    let result = &sarif.json()["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "change-without-reason");
    let junit = repo.okr(&[
        "diff",
        "--check",
        "main...late-changes",
        "--format",
        "junit",
    ]);
    assert!(
        junit
            .stdout
            .contains("<testsuites name=\"okr diff --check\"")
    );
    assert!(junit.stdout.contains("type=\"change-without-reason\""));
    // Under GitHub Actions without --format: annotations, then the report for people.
    let actions = crate::support::okr_command(repo.path())
        .args(["diff", "--check", "main...late-changes"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&actions.stdout);
    assert!(stdout.starts_with("::error "), "{stdout}");
    assert!(stdout.contains("okr diff --check"), "{stdout}");
}

#[test]
fn change_without_reason_takes_its_severity_from_okr_toml() {
    // Committed before the range starts: the range is judged by the okr.toml it started under.
    let removed_under = |toml: &str| -> GitRepo {
        let repo = planned();
        repo.write("okr.toml", toml);
        repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Configure okr");
        repo.git(&["tag", "-f", "base"]);
        edit(&repo, RUNBOOK, "");
        repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Tidy up");
        repo
    };
    let repo = removed_under("dir = \"okrs\"\n[rules]\nchange-without-reason = \"warn\"\n");
    let (code, json) = json_of(
        &repo,
        &["diff", "--check", "base", "HEAD", "--format", "json"],
    );
    assert_eq!((code, json["warnings"].clone()), (0, 1.into()));
    assert_eq!(
        repo.okr(&["diff", "--check", "base", "HEAD", "--deny-warnings"])
            .code,
        1
    );
    let repo = removed_under("dir = \"okrs\"\n[rules]\nchange-without-reason = \"allow\"\n");
    let (code, json) = json_of(
        &repo,
        &["diff", "--check", "base", "HEAD", "--format", "json"],
    );
    assert_eq!(
        (code, json["diagnostics"].clone()),
        (0, serde_json::json!([]))
    );
    // Allowed, the history stops warning too: one answer everywhere.
    let history = history(&repo);
    assert!(
        events(&history)
            .iter()
            .all(|e| e["requires_reason"] == false)
    );
    let explained = repo.okr(&["rules", "change-without-reason"]);
    assert!(
        explained.stdout.contains("reported by `okr diff --check`"),
        "{}",
        explained.stdout
    );
}

#[test]
fn formats_that_report_findings_are_for_the_check() {
    let repo = planned();
    let run = repo.okr(&["diff", "base", "HEAD", "--format", "sarif"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is for `okr diff --check`"),
        "{}",
        run.stderr
    );
}

#[test]
fn diff_and_history_agree_on_what_a_late_plan_is_and_what_a_pivot_is() {
    let repo = GitRepo::new();
    repo.write("README.md", "OKRs\n");
    repo.commit("2026-06-20T10:00:00+02:00", "Dana Li", "Start");
    repo.tag("base");
    repo.write(PLATFORM, &team_file("platform"));
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        "Dana Li",
        "Platform plans late",
    );
    edit(
        &repo,
        "  - id: faster-builds\n",
        "  - id: quieter-pagers\n    title: Fewer pages at night\n    key_results:\n      - id: pages\n        title: Pages per week\n        start: 20\n        target: 5\n  - id: faster-builds\n",
    );
    repo.commit("2026-08-05T10:00:00+02:00", "Dana Li", "A new objective");
    let standing = |changes: &[Value]| -> Vec<(Value, Value, Value)> {
        let mut all: Vec<(Value, Value, Value)> = changes
            .iter()
            .filter(|c| c["kind"] == "objective_added")
            .map(|c| {
                (
                    c["objective"].clone(),
                    c["mid_quarter"].clone(),
                    c["planned_late"].clone(),
                )
            })
            .collect();
        all.sort_by_key(|(o, _, _)| o.to_string());
        all
    };
    let (_, diff) = json_of(&repo, &["diff", "base", "HEAD", "--format", "json"]);
    let from_diff = standing(diff["changes"].as_array().unwrap());
    let from_history = standing(&events(&history(&repo)));
    assert_eq!(from_diff, from_history);
    assert!(from_diff.contains(&("quieter-pagers".into(), true.into(), false.into())));
    assert!(from_diff.contains(&("boring-deploys".into(), false.into(), true.into())));
}

#[test]
fn a_rename_in_a_later_commit_does_not_lend_its_message_to_an_earlier_silent_change() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 6\n");
    let eased = repo.commit("2026-08-01T10:00:00+02:00", "Sam Vos", "Update platform");
    edit(&repo, "id: failed-deploys", "id: failed-deploy");
    repo.commit(
        "2026-08-02T10:00:00+02:00",
        "Sam Vos",
        "Fix the KR id\n\nThe id was misspelled.",
    );
    assert_eq!(
        refused(&repo, &["base", "HEAD"]),
        (1, vec![("kr_target_changed".to_owned(), eased.into())]),
        "the change is found under its old id, and the rename's message explains nothing"
    );
    // An objective renamed after it was quietly lowered to aspirational: the same.
    let repo = planned();
    edit(&repo, "    type: committed\n", "    type: aspirational\n");
    repo.commit("2026-08-01T10:00:00+02:00", "Sam Vos", "Update platform");
    edit(
        &repo,
        "  - id: boring-deploys\n    title: Make deploys boring\n",
        "  - id: boring-deploy\n    title: Make deploys boring\n",
    );
    repo.commit(
        "2026-08-02T10:00:00+02:00",
        "Sam Vos",
        "Fix the objective id\n\nReason: typo in the id",
    );
    assert_eq!(refused(&repo, &["base", "HEAD"]).0, 1);
}

#[test]
fn a_target_moved_onto_its_start_or_past_it_is_easier() {
    let repo = planned();
    edit(&repo, "        target: 2\n", "        target: 12\n");
    repo.commit("2026-08-01T10:00:00+02:00", "Sam Vos", "Target");
    assert_eq!(refused(&repo, &["base", "HEAD"]).0, 1);
    let (_, diff) = json_of(&repo, &["diff", "base", "HEAD", "--format", "json"]);
    assert_eq!(diff["changes"][0]["direction"], "easier");
}

#[test]
fn the_body_git_revert_writes_explains_nothing() {
    let repo = planned();
    edit(&repo, "        target: 80\n", "        target: 95\n");
    repo.commit(
        "2026-07-05T10:00:00+02:00",
        "Dana Li",
        "Raise the cache target",
    );
    edit(&repo, "        current: 12\n", "        current: 11\n");
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Check in");
    repo.tag("before");
    repo.git(&["revert", "--no-edit", "HEAD~1"]);
    assert_eq!(
        refused(&repo, &["before", "HEAD"]).1.len(),
        1,
        "the revert lowers the target again, and git's \"This reverts commit …\" is no reason"
    );
}

#[test]
fn a_branch_merged_after_kickoff_lands_at_the_merge_even_when_main_did_not_touch_the_okrs() {
    let repo = planned();
    repo.branch("side");
    repo.switch("side");
    edit(&repo, "        target: 2\n", "        target: 6\n");
    repo.commit("2026-07-10T10:00:00+02:00", "Ann Bo", "Ease failed-deploys");
    repo.switch("main");
    repo.write("README.md", "OKRs of the platform team\n");
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Docs");
    // The merge's okrs/ folder is the branch's: git's history simplification follows only the branch.
    repo.merge("side", "2026-08-05T10:00:00+02:00", "Dana Li", "Merge side");
    let eased = events(&history(&repo))
        .into_iter()
        .find(|e| e["kind"] == "kr_target_changed")
        .unwrap();
    assert!(
        eased["landed"].as_str().unwrap().starts_with("2026-08-05"),
        "{eased:#}"
    );
    assert_eq!(
        (
            eased["mid_quarter"].clone(),
            eased["requires_reason"].clone()
        ),
        (true.into(), true.into())
    );
    assert_eq!(refused(&repo, &["base..main"]).0, 1);
    let (_, report) = json_of(
        &repo,
        &["report", "--quarter", "2026-Q3", "--format", "json"],
    );
    let kr = &report["teams"][1]["objectives"][0]["key_results"][0];
    assert_eq!(
        (kr["target"].clone(), kr["kickoff_target"].clone()),
        (6.into(), 2.into()),
        "the kickoff plan is main's at kickoff, not the branch's"
    );
}

#[test]
fn a_merge_that_changes_a_key_result_its_branch_added_reports_the_change() {
    let repo = planned();
    repo.branch("side");
    repo.switch("side");
    edit(
        &repo,
        "  - id: faster-builds\n",
        "  - id: fast-recovery\n    title: Recover in minutes\n    key_results:\n      - id: mttr\n        title: Mean time to restore\n        start: 95\n        target: 30\n      - id: runbooks\n        title: Runbook for every alert\n        done: false\n  - id: faster-builds\n",
    );
    repo.commit("2026-08-03T10:00:00+02:00", "Ann Bo", "Add fast-recovery");
    repo.switch("main");
    edit(&repo, "        current: 12\n", "        current: 9\n");
    repo.commit("2026-08-04T10:00:00+02:00", "Dana Li", "Check in");
    let merged = std::fs::read_to_string(repo.path().join(PLATFORM))
        .unwrap()
        .replace(
            "  - id: faster-builds\n",
            "  - id: fast-recovery\n    title: Recover in minutes\n    key_results:\n      - id: mttr\n        title: Mean time to restore\n        start: 95\n        target: 55\n      - id: runbooks\n        title: Runbook for every alert\n        done: false\n  - id: faster-builds\n",
        );
    let merge = repo.merge_as(
        "side",
        ("2026-08-05T10:00:00+02:00", "Dana Li", "Merge side"),
        &[(PLATFORM, &merged)],
    );
    let eased: Vec<Value> = events(&history(&repo))
        .into_iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .collect();
    assert_eq!(eased.len(), 1, "{eased:#?}");
    assert_eq!(
        (
            eased[0]["commit"].clone(),
            eased[0]["from"].clone(),
            eased[0]["to"].clone(),
            eased[0]["direction"].clone()
        ),
        (merge.as_str().into(), 30.into(), 55.into(), "easier".into())
    );
}

#[test]
fn a_team_file_put_back_after_kickoff_is_a_change_of_plan_for_the_check_as_for_the_history() {
    let repo = planned();
    repo.remove(PLATFORM);
    repo.commit(
        "2026-08-01T10:00:00+02:00",
        "Dana Li",
        "Retire the platform OKRs\n\nReason: reorg",
    );
    repo.tag("mid");
    repo.write(
        PLATFORM,
        &team_file("platform").replace("        target: 2\n", "        target: 10\n"),
    );
    let back = repo.commit("2026-08-05T10:00:00+02:00", "Dana Li", "Bring them back");
    let standing = |changes: Vec<Value>| -> Vec<(Value, Value)> {
        changes
            .iter()
            .filter(|c| c["kind"] == "objective_added" && c["commit"] != Value::Null)
            .map(|c| (c["mid_quarter"].clone(), c["planned_late"].clone()))
            .collect()
    };
    let (_, check) = json_of(
        &repo,
        &["diff", "--check", "mid", "HEAD", "--format", "json"],
    );
    let in_check = standing(check["changes"].as_array().unwrap().clone());
    let in_history = standing(
        events(&history(&repo))
            .into_iter()
            .filter(|e| e["commit"] == back.as_str())
            .collect(),
    );
    let pivot: (Value, Value) = (true.into(), false.into());
    assert_eq!(in_check, [pivot.clone(), pivot]);
    assert_eq!(in_check, in_history);
}
