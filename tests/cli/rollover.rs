//! `okr init --from`: a team lead starting the next quarter from the unfinished objectives of the last one, on
//! real git repositories — the demo, and one begun with `okr init`.

use serde_json::Value;

use crate::repo::GitRepo;
use crate::support::{Run, okr_command};

/// A day in 2026-Q4 after its kickoff (2026-10-15), so reports and histories of the new quarter are pinned.
const TODAY: &str = "2026-10-20";

/// `okr ARGS` in `repo` on [`TODAY`].
fn okr_today(repo: &GitRepo, args: &[&str]) -> Run {
    Run::from(
        okr_command(repo.path())
            .args(args)
            .env("OKR_TODAY", TODAY)
            .output()
            .expect("okr runs"),
    )
}

fn read(repo: &GitRepo, path: &str) -> String {
    std::fs::read_to_string(repo.path().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Every event of a history, as JSON.
fn events(history: &Run) -> Vec<Value> {
    assert_eq!(history.code, 0, "{}", history.stderr);
    history.json()["events"].as_array().unwrap().clone()
}

/// The pivots a history's summary counts, by category.
fn pivot_counts(history: &Run) -> Vec<(String, usize)> {
    let summary = history.json()["summary"].clone();
    [
        "added_after_kickoff",
        "dropped",
        "removed",
        "made_easier",
        "made_harder",
        "other_pivots",
    ]
    .iter()
    .map(|k| {
        (
            (*k).to_owned(),
            summary[k].as_array().map_or(usize::MAX, Vec::len),
        )
    })
    .collect()
}

fn no_pivots() -> Vec<(String, usize)> {
    [
        "added_after_kickoff",
        "dropped",
        "removed",
        "made_easier",
        "made_harder",
        "other_pivots",
    ]
    .iter()
    .map(|k| ((*k).to_owned(), 0))
    .collect()
}

#[test]
fn rolling_over_the_demo_validates_clean_and_the_new_history_starts_with_the_carried_plan() {
    let repo = GitRepo::demo();
    let run = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!(
        "demo_rollover",
        format!("{}---\n{}", run.stdout, run.stderr)
    );
    insta::assert_snapshot!(
        "demo_platform_2026_q4",
        read(&repo, "okrs/2026-Q4/platform.yaml")
    );
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    assert_eq!(validate.stdout, "no problems in 8 files\n");

    // Committed before 2026-Q4 begins (after the demo's last commit): the new quarter's plan.
    repo.commit(
        "2026-09-30T18:00:00+02:00",
        "Marcus Chen",
        "Start 2026-Q4 with what 2026-Q3 left unfinished",
    );
    let history = okr_today(
        &repo,
        &["history", "--quarter", "2026-Q4", "--format", "json"],
    );
    let all = events(&history);
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|e| e["mid_quarter"] == false && e["planned_late"] == false),
        "{all:#?}"
    );
    assert_eq!(pivot_counts(&history), no_pivots());
    assert_eq!(
        history.json()["summary"]["kickoff"]
            .as_array()
            .unwrap()
            .len(),
        11,
        "every carried objective is in the plan at kickoff"
    );
    let human = okr_today(&repo, &["history", "--quarter", "2026-Q4"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    insta::assert_snapshot!("demo_history_2026_q4", human.stdout);

    let report = okr_today(&repo, &["report", "--quarter", "2026-Q4"]);
    assert_eq!(report.code, 0, "{}", report.stderr);
    insta::assert_snapshot!("demo_report_2026_q4", report.stdout);
    let json = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q4", "--format", "json"],
    )
    .json();
    let platform = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "platform")
        .unwrap();
    assert_eq!(
        platform["objectives"][0]["carried_from"],
        serde_json::json!({
            "quarter": "2026-Q3",
            "found": true,
            "unreadable": false,
            "status": "active",
            "score": 0.87,
            "band": "green",
        })
    );
    // The same score the quarter's own report gives it.
    let q3 = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q3", "--format", "json"],
    )
    .json();
    let boring = &q3["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == "platform")
        .unwrap()["objectives"][0];
    assert_eq!(boring["id"], "boring-deploys");
    assert_eq!(boring["score"], 0.87);
}

#[test]
fn a_repository_begun_with_okr_init_rolls_over_and_a_late_plan_is_no_pivot() {
    let repo = GitRepo::new();
    let init = repo.okr(&["init", "--team", "platform", "--quarter", "2026-Q3"]);
    assert_eq!(init.code, 0, "{}", init.stderr);
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    let checkin = repo.okr(&[
        "checkin",
        "--quarter",
        "2026-Q3",
        "platform/boring-deploys/failed-deploys",
        "5",
        "--confidence",
        "0.7",
        "--note",
        "Canary stage everywhere",
    ]);
    assert_eq!(checkin.code, 0, "{}", checkin.stderr);
    repo.commit("2026-08-20T10:00:00+02:00", "Dana Li", "Check in");

    let run = repo.okr(&["init", "--from", "2026-q3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "created okrs/2026-Q4/platform.yaml: 1 objective carried over from 2026-Q3\n\
         next: review the new files (set 2026-Q4's targets, add its new objectives), then run `okr validate` and \
         commit them\n"
    );
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!(
        "fresh_platform_2026_q4",
        read(&repo, "okrs/2026-Q4/platform.yaml")
    );
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.stdout, "no problems in 2 files\n");

    // Committed after 2026-Q4's kickoff: the team's plan, written late, still not a change of plan.
    repo.commit("2026-10-19T10:00:00+02:00", "Dana Li", "Start 2026-Q4");
    let history = okr_today(
        &repo,
        &["history", "--quarter", "2026-Q4", "--format", "json"],
    );
    let all = events(&history);
    assert!(!all.is_empty());
    assert!(
        all.iter()
            .all(|e| e["planned_late"] == true && e["mid_quarter"] == false),
        "{all:#?}"
    );
    assert_eq!(pivot_counts(&history), no_pivots());
    assert_eq!(
        history.json()["summary"]["planned_late"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    // The example's four key results ended at 0.7 (from 12 to 5, aiming for 2), 1 (availability held),
    // 0.25 and 0.
    let report = okr_today(&repo, &["report", "--quarter", "2026-Q4"]);
    assert!(
        report
            .stdout
            .contains("\n    carried from 2026-Q3 (ended 0.49 amber)\n"),
        "{}",
        report.stdout
    );
    let markdown = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q4", "--format", "markdown"],
    );
    assert!(
        markdown.stdout.contains(
            "| boring-deploys — Make deploys boring [P1] · *carried from 2026-Q3 (ended 0.49 amber)* |"
        ),
        "{}",
        markdown.stdout
    );
    let html = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q4", "--format", "html"],
    );
    assert!(
        html.stdout
            .contains(" · carried from 2026-Q3 (ended 0.49 amber)</p>"),
        "{}",
        html.stdout
    );
}

#[test]
fn what_the_quarter_file_no_longer_has_is_reported_as_not_found() {
    let repo = GitRepo::new();
    repo.okr(&["init", "--team", "platform", "--quarter", "2026-Q3"]);
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    assert_eq!(repo.okr(&["init", "--from", "2026-Q3"]).code, 0);
    repo.remove("okrs/2026-Q3/platform.yaml");
    repo.commit("2026-10-01T10:00:00+02:00", "Dana Li", "Start 2026-Q4");
    let report = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q4", "--format", "json"],
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert_eq!(
        report.json()["teams"][0]["objectives"][0]["carried_from"],
        serde_json::json!({
            "quarter": "2026-Q3",
            "found": false,
            "unreadable": false,
            "status": null,
            "score": null,
            "band": null,
        })
    );
    assert_eq!(report.json()["warnings"], serde_json::json!([]));
    let human = okr_today(&repo, &["report", "--quarter", "2026-Q4"]);
    assert!(
        human
            .stdout
            .contains("carried from 2026-Q3 (not found there)"),
        "{}",
        human.stdout
    );
}

/// The quarter's file is there but cannot be read: not "not found", and the report warns of it, as it warns of
/// an unreadable revision of its own quarter.
#[test]
fn an_unreadable_file_of_the_quarter_carried_from_is_said_and_warned_of() {
    let repo = GitRepo::new();
    repo.okr(&["init", "--team", "platform", "--quarter", "2026-Q3"]);
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    assert_eq!(repo.okr(&["init", "--from", "2026-Q3"]).code, 0);
    repo.write("okrs/2026-Q3/platform.yaml", "quarter: [oops\n");
    let commit = repo.commit("2026-10-01T10:00:00+02:00", "Dana Li", "Start 2026-Q4");
    let report = okr_today(
        &repo,
        &["report", "--quarter", "2026-Q4", "--format", "json"],
    );
    assert_eq!(report.code, 0, "{}", report.stderr);
    let json = report.json();
    for objective in json["teams"][0]["objectives"].as_array().unwrap() {
        assert_eq!(
            objective["carried_from"],
            serde_json::json!({
                "quarter": "2026-Q3",
                "found": false,
                "unreadable": true,
                "status": null,
                "score": null,
                "band": null,
            })
        );
    }
    let warnings = json["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert_eq!(warnings[0]["path"], "okrs/2026-Q3/platform.yaml");
    assert_eq!(warnings[0]["commit"], repo.git(&["rev-parse", &commit]));
    let message = warnings[0]["message"].as_str().unwrap();
    assert!(
        message.starts_with("skipped an unreadable revision (")
            && message.ends_with(
                "); there is no good revision of it to use; the objectives carried over from 2026-Q3 say \
                 `cannot be read there`"
            ),
        "{message}"
    );
    for format in ["human", "markdown", "html"] {
        let run = okr_today(
            &repo,
            &["report", "--quarter", "2026-Q4", "--format", format],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(
            run.stdout
                .contains("carried from 2026-Q3 (cannot be read there)")
                && !run.stdout.contains("not found there")
                && run.stdout.contains("okrs/2026-Q3/platform.yaml"),
            "{format}: {}",
            run.stdout
        );
    }
}

#[test]
fn a_quarter_with_errors_is_not_carried_over_and_nothing_is_written() {
    let repo = GitRepo::new();
    repo.okr(&["init", "--team", "platform", "--quarter", "2026-Q3"]);
    repo.replace_once("okrs/2026-Q3/platform.yaml", "target: 2 ", "target: \"2\" ");
    let run = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("`target` must be a number"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "okr: error: the files of 2026-Q3 have errors (above); fix them, then run `okr init --from 2026-Q3` \
             again; nothing was written"
        ),
        "{}",
        run.stderr
    );
    assert!(!repo.path().join("okrs/2026-Q4").exists());
}

#[test]
fn wrong_quarters_and_teams_are_clear_errors() {
    let repo = GitRepo::demo();
    for (args, message) in [
        (
            &["init", "--from", "2026-Q3", "--to", "2026-Q3"][..],
            "okr: error: `--to 2026-Q3` is not after `--from 2026-Q3`",
        ),
        (
            &["init", "--from", "2026-Q3", "--to", "2025-Q4"],
            "okr: error: `--to 2025-Q4` is not after `--from 2026-Q3`",
        ),
        (
            &["init", "--from", "2026-Q2"],
            "okr: error: no folder okrs/2026-Q2 for 2026-Q2; the quarters with a folder are `2026-Q3`",
        ),
        (
            &["init", "--from", "2026-Q3", "--team", "payments"],
            "okr: error: no file of 2026-Q3 is for team `payments`; the teams of 2026-Q3 are `company`, \
             `mobile`, `platform`, `search`",
        ),
        (
            &["init", "--from", "2026-Q3", "--team", "Platform"],
            "okr: error: `--team Platform` is not a slug",
        ),
        (
            &["init", "--from", "Q3"],
            "okr: error: `Q3` is not a quarter",
        ),
        (
            &["init", "--from", "9999-Q4"],
            "okr: error: 9999-Q4 is the last quarter a file can name",
        ),
    ] {
        let run = repo.okr(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.starts_with(message),
            "{args:?}: expected `{message}` in:\n{}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
    for args in [
        &["init", "--from", "2026-Q3", "--quarter", "2026-Q4"][..],
        &["init", "--to", "2026-Q4"],
        &["init", "--from", "2026-Q3", "--ci", "github"],
    ] {
        let run = repo.okr(args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    }
    assert!(!repo.path().join("okrs/2026-Q4").exists());
    let help = repo.okr(&["init", "--help"]);
    assert!(help.stdout.contains("--from <QUARTER>"), "{}", help.stdout);
    assert!(help.stdout.contains("--to <QUARTER>"), "{}", help.stdout);
    assert!(
        help.stdout.contains("Starting the next quarter"),
        "{}",
        help.stdout
    );
}

#[test]
fn existing_files_of_the_next_quarter_are_kept_and_alignments_resolve_against_them() {
    let repo = GitRepo::demo();
    let mine = "# yaml-language-server: $schema=../okr.schema.json\nquarter: 2026-Q4\nteam: company\nobjectives:\n  - id: customer-trust\n    title: Customers trust us, again\n    key_results:\n      - id: a\n        title: A\n        done: false\n      - id: b\n        title: B\n        done: false\n";
    repo.write("okrs/2026-Q4/company.yaml", mine);
    let run = repo.okr(&["init", "--from", "2026-Q3", "--to", "2026-Q4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("kept    okrs/2026-Q4/company.yaml (it exists; not changed)\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "created okrs/2026-Q4/platform.yaml: 3 objectives carried over from 2026-Q3\n"
        ),
        "{}",
        run.stdout
    );
    assert_eq!(read(&repo, "okrs/2026-Q4/company.yaml"), mine);
    // Kept: the alignment to company/customer-trust, which the existing file has. Left out: the one to
    // company/efficient-growth, which it has not.
    let platform = read(&repo, "okrs/2026-Q4/platform.yaml");
    assert_eq!(
        platform
            .matches("    aligns_to: company/customer-trust\n")
            .count(),
        2
    );
    assert!(!platform.contains("efficient-growth"), "{platform}");
    assert!(
        run.stderr.contains(
            "aligns_to left out in 2026-Q4 (no objective there has that name yet; add it back once one has):\n"
        ) && run
            .stderr
            .contains("\n  platform/cheaper-infrastructure: aligns_to company/efficient-growth\n"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.okr(&["validate"]).code, 0);

    // A second run writes nothing and says so.
    let again = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stdout.ends_with(
            "nothing was written: every team carried over has a file in 2026-Q4 already\n"
        ),
        "{}",
        again.stdout
    );
    assert_eq!(read(&repo, "okrs/2026-Q4/platform.yaml"), platform);
}

#[test]
fn one_team_rolls_over_alone_and_its_file_validates() {
    let repo = GitRepo::demo();
    let run = repo.okr(&[
        "init", "--from", "2026-Q3", "--team", "search", "--to", "2027-Q1",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let written: Vec<String> = walkdir::WalkDir::new(repo.path().join("okrs/2027-Q1"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["search.yaml"]);
    let search = read(&repo, "okrs/2027-Q1/search.yaml");
    assert!(search.contains("\nquarter: 2027-Q1\n"), "{search}");
    assert!(search.contains("    carried_from: 2026-Q3\n"), "{search}");
    assert!(!search.contains("aligns_to"), "{search}");
    assert!(
        run.stderr.contains("left behind in 2026-Q3:\n  search/relevant-results KR semantic-ranking: done\n  search/voice-search: dropped\n"),
        "{}",
        run.stderr
    );
    assert_eq!(repo.okr(&["validate"]).code, 0);
}

/// Titles are people's text: a colon, a hash, quotes, unicode, leading spaces or a word YAML would read as
/// something else all come back exactly in the new file.
#[test]
fn titles_and_owners_come_back_exactly_whatever_they_hold() {
    let repo = GitRepo::new();
    let titles = [
        "Latency: p99 under 200 ms #fast",
        "It's \"done\" when it's done",
        "Ünïcödé ✓ 日本語",
        "  leading spaces",
        "true",
    ];
    let mut text =
        String::from("quarter: 2026-Q3\nteam: web\nowner: 'Zoë: the #1 lead'\nobjectives:\n");
    for (n, title) in titles.iter().enumerate() {
        let quoted = serde_json::to_string(title).unwrap();
        text.push_str(&format!(
            "  - id: o{n}\n    title: {quoted}\n    key_results:\n      - id: k\n        title: {quoted}\n        start: 0\n        target: 10\n        current: 3\n        unit: {quoted}\n      - id: m\n        title: {quoted}\n        done: false\n"
        ));
    }
    repo.write("okrs/2026-Q3/web.yaml", &text);
    let run = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(repo.okr(&["validate"]).stdout, "no problems in 2 files\n");
    repo.commit("2026-09-30T10:00:00+02:00", "Zoë", "Plan");
    let show = okr_today(&repo, &["show", "--quarter", "2026-Q4", "--format", "json"]);
    assert_eq!(show.code, 0, "{}", show.stderr);
    let team = &show.json()["teams"][0];
    assert_eq!(team["owner"], "Zoë: the #1 lead");
    for (n, title) in titles.iter().enumerate() {
        let objective = &team["objectives"][n];
        assert_eq!(objective["title"], *title);
        assert_eq!(objective["carried_from"], "2026-Q3");
        for kr in objective["key_results"].as_array().unwrap() {
            assert_eq!(kr["title"], *title);
        }
        assert_eq!(objective["key_results"][0]["unit"], *title);
        assert_eq!(objective["key_results"][0]["start"], 3);
    }
}

/// `carried_from` edited later is shown, as where the objective came from: not a change of plan.
#[test]
fn a_changed_carried_from_is_shown_and_is_no_pivot() {
    let repo = GitRepo::demo();
    assert_eq!(repo.okr(&["init", "--from", "2026-Q3"]).code, 0);
    repo.commit("2026-09-30T18:00:00+02:00", "Marcus Chen", "Start 2026-Q4");
    let platform = "okrs/2026-Q4/platform.yaml";
    let text = read(&repo, platform).replacen("    carried_from: 2026-Q3\n", "", 1);
    repo.write(platform, &text);
    let diff = repo.okr(&["diff", "--format", "json"]);
    assert_eq!(diff.code, 0, "{}", diff.stderr);
    let changes = diff.json()["changes"].clone();
    let kinds: Vec<&str> = changes
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["objective_carried_from_changed"], "{changes:#}");
    assert_eq!(changes[0]["from"], "2026-Q3");
    assert_eq!(changes[0]["to"], Value::Null);
    let human = repo.okr(&["diff"]);
    assert!(
        human.stdout.contains("carried from 2026-Q3 → none"),
        "{}",
        human.stdout
    );
    repo.commit(
        "2026-10-20T10:00:00+02:00",
        "Marcus Chen",
        "Not carried after all",
    );
    let history = okr_today(
        &repo,
        &["history", "--quarter", "2026-Q4", "--format", "json"],
    );
    assert_eq!(pivot_counts(&history), no_pivots());
    let check = repo.okr(&["diff", "--check", "HEAD~1..HEAD"]);
    assert_eq!(check.code, 0, "{}{}", check.stdout, check.stderr);
}
