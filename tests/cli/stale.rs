//! Stale key results: `okr report` marks them in every format and `okr validate --stale` warns at each, and
//! both agree with what the git history says about when each key result last moved.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use serde_json::Value;

use crate::repo::{GitRepo, planned};
use crate::support::{Run, okr_command};

/// The demo's last day of the quarter: its last commits are of that day, so every date is in the past.
const DEMO_DAY: &str = "2026-09-30";

fn okr_on(repo: &GitRepo, today: &str, args: &[&str]) -> Run {
    Run::from(
        okr_command(repo.path())
            .args(args)
            .env("OKR_TODAY", today)
            .output()
            .expect("okr runs"),
    )
}

type Key = (String, String, String);

fn key(team: &str, objective: &str, key_result: &str) -> Key {
    (team.to_owned(), objective.to_owned(), key_result.to_owned())
}

fn day(text: &str) -> Date {
    text[..10].parse().unwrap()
}

/// The key results the rule calls stale, worked out here from `okr history`'s events and `okr report`'s
/// state: the later of kickoff, the last `kr_progress` and the last `kr_added` is `after` days or more ago.
fn stale_by_the_history(history: &Value, report: &Value, today: Date, after: i32) -> BTreeSet<Key> {
    let kickoff = day(history["kickoff"].as_str().unwrap());
    let mut clock: BTreeMap<Key, Date> = BTreeMap::new();
    for event in history["events"].as_array().unwrap() {
        let kind = event["kind"].as_str().unwrap();
        if !["kr_progress", "kr_added", "kr_measure_changed"].contains(&kind) {
            continue;
        }
        let k = key(
            event["team"].as_str().unwrap(),
            event["objective"].as_str().unwrap(),
            event["key_result"].as_str().unwrap(),
        );
        let when = day(event["date"].as_str().unwrap());
        let slot = clock.entry(k).or_insert(when);
        *slot = (*slot).max(when);
    }
    let mut stale = BTreeSet::new();
    for team in report["teams"].as_array().unwrap() {
        for objective in team["objectives"].as_array().unwrap() {
            if objective["status"] != "active" {
                continue;
            }
            for kr in objective["key_results"].as_array().unwrap() {
                if kr["done"] == true {
                    continue;
                }
                let k = key(
                    team["team"].as_str().unwrap(),
                    objective["id"].as_str().unwrap(),
                    kr["id"].as_str().unwrap(),
                );
                let from = clock.get(&k).copied().unwrap_or(kickoff).max(kickoff);
                if today.since(from).unwrap().get_days() >= after {
                    stale.insert(k);
                }
            }
        }
    }
    stale
}

/// The key results `okr report --format json` marks stale, each with its `last_checkin`.
fn marked_stale(report: &Value) -> BTreeMap<Key, Value> {
    let mut marked = BTreeMap::new();
    for team in report["teams"].as_array().unwrap() {
        for objective in team["objectives"].as_array().unwrap() {
            for kr in objective["key_results"].as_array().unwrap() {
                if kr["stale"] == true {
                    marked.insert(
                        key(
                            team["team"].as_str().unwrap(),
                            objective["id"].as_str().unwrap(),
                            kr["id"].as_str().unwrap(),
                        ),
                        kr["last_checkin"].clone(),
                    );
                }
            }
        }
    }
    marked
}

/// `okr validate --stale --format json`'s warnings, as `path:line` lines.
fn stale_warnings(run: &Run) -> Vec<String> {
    run.json()["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "stale-key-result")
        .map(|d| format!("{}:{}", d["path"].as_str().unwrap(), d["line"]))
        .collect()
}

#[test]
fn the_stale_list_matches_the_history_in_the_report_and_in_validate() {
    let repo = GitRepo::demo();
    let report = okr_on(&repo, DEMO_DAY, &["report", "--format", "json"]).json();
    let history = okr_on(&repo, DEMO_DAY, &["history", "--format", "json"]).json();
    let expected = stale_by_the_history(&history, &report, day(DEMO_DAY), 14);
    let marked = marked_stale(&report);
    assert_eq!(
        marked.keys().cloned().collect::<BTreeSet<_>>(),
        expected,
        "the report's stale key results are not the history's"
    );
    assert!(
        expected.len() >= 3,
        "the demo has stale key results: {expected:?}"
    );
    // `last_checkin` is the day of the last progress change the history shows.
    for (k, last) in &marked {
        let last_progress = history["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| {
                e["kind"] == "kr_progress"
                    && e["team"] == k.0.as_str()
                    && e["objective"] == k.1.as_str()
                    && e["key_result"] == k.2.as_str()
            })
            .map(|e| Value::from(&e["date"].as_str().unwrap()[..10]))
            .next_back()
            .unwrap_or(Value::Null);
        assert_eq!(*last, last_progress, "{k:?}");
    }

    let run = okr_on(
        &repo,
        DEMO_DAY,
        &["validate", "--stale", "--format", "json"],
    );
    assert_eq!(run.code, 0, "warnings only: {}", run.stderr);
    let warnings = stale_warnings(&run);
    assert_eq!(warnings.len(), expected.len(), "{warnings:?}");
    // Each warning points at its key result's `- id:` line.
    for line in &warnings {
        let (path, number) = line.rsplit_once(':').unwrap();
        let text = std::fs::read_to_string(repo.path().join(path)).unwrap();
        let at = text
            .lines()
            .nth(number.parse::<usize>().unwrap() - 1)
            .unwrap();
        let id = at
            .trim()
            .strip_prefix("- id: ")
            .unwrap_or_else(|| panic!("{line}: {at}"));
        assert!(expected.iter().any(|k| k.2 == id), "{line}: {id}");
    }
    let denied = okr_on(&repo, DEMO_DAY, &["validate", "--stale", "--deny-warnings"]);
    assert_eq!(denied.code, 1, "{}", denied.stdout);
    let without = okr_on(&repo, DEMO_DAY, &["validate", "--format", "json"]);
    assert!(stale_warnings(&without).is_empty(), "off by default");
}

#[test]
fn the_report_shows_stale_key_results_in_every_format() {
    let repo = GitRepo::demo();
    let human = okr_on(&repo, DEMO_DAY, &["report"]).stdout;
    let section =
        &human[human.find("STALE KEY RESULTS").unwrap()..human.find("\nALIGNMENT").unwrap()];
    insta::assert_snapshot!("report_human", section);
    let markdown = okr_on(&repo, DEMO_DAY, &["report", "--format", "markdown"]).stdout;
    let section = &markdown
        [markdown.find("## Stale key results").unwrap()..markdown.find("## Alignment").unwrap()];
    insta::assert_snapshot!("report_markdown", section);
    let html = okr_on(&repo, DEMO_DAY, &["report", "--format", "html"]).stdout;
    assert!(
        html.contains(
            "<span class=\"stale\">⚠ stale:</span> last check-in 2026-09-01 (29 days ago)</div>"
        ),
        "the HTML marks a stale key result"
    );
    assert_eq!(
        html.matches("class=\"stale\"").count(),
        human.matches("⚠ last check-in").count()
    );
}

#[test]
fn before_kickoff_and_after_the_quarter_nothing_is_stale_and_validate_says_why() {
    let repo = GitRepo::demo();
    for (today, note) in [
        (
            "2026-07-10",
            "2026-Q3 is still being planned (kickoff 2026-07-15)",
        ),
        (
            "2026-10-20",
            "HEAD has no `okrs/2026-Q4` for the quarter running today (2026-Q4)",
        ),
    ] {
        let run = okr_on(&repo, today, &["validate", "--stale", "--format", "json"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert!(stale_warnings(&run).is_empty(), "{today}");
        assert!(run.stderr.contains(note), "{today}: {}", run.stderr);
        let report = okr_on(
            &repo,
            today,
            &["report", "--quarter", "2026-Q3", "--format", "json"],
        );
        assert!(marked_stale(&report.json()).is_empty(), "{today}");
        let human = okr_on(&repo, today, &["report", "--quarter", "2026-Q3"]).stdout;
        assert!(
            !human.contains("STALE KEY RESULTS"),
            "{today}: no section outside the quarter"
        );
    }
}

#[test]
fn a_check_in_not_yet_committed_is_not_stale() {
    let repo = GitRepo::demo();
    let before = stale_warnings(&okr_on(
        &repo,
        DEMO_DAY,
        &["validate", "--stale", "--format", "json"],
    ));
    let run = okr_on(
        &repo,
        DEMO_DAY,
        &["checkin", "company/customer-trust/sev1-incidents", "1"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = stale_warnings(&okr_on(
        &repo,
        DEMO_DAY,
        &["validate", "--stale", "--format", "json"],
    ));
    assert_eq!(after.len() + 1, before.len(), "{before:?} → {after:?}");
}

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// Adds a key result on 2026-08-20, checks in on another and finishes a milestone on 2026-08-25.
fn move_mid_quarter(repo: &GitRepo) {
    repo.replace_once(
        PLATFORM,
        "        unit: '%'\n",
        "        unit: '%'\n      - id: flaky-tests\n        title: Flaky tests quarantined\n        start: 40\n        target: 0\n",
    );
    repo.commit(
        "2026-08-20T10:00:00+02:00",
        "Dana Li",
        "Add flaky-tests\n\nReason: found in August.",
    );
    repo.replace_once(PLATFORM, "current: 12", "current: 9");
    repo.replace_once(PLATFORM, "done: false", "done: true");
    repo.commit("2026-08-25T10:00:00+02:00", "Dana Li", "Check-in");
}

fn stale_in(repo: &GitRepo, today: &str) -> BTreeSet<String> {
    let report = okr_on(
        repo,
        today,
        &["report", "--team", "platform", "--format", "json"],
    )
    .json();
    marked_stale(&report).into_keys().map(|k| k.2).collect()
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn the_clock_starts_at_kickoff_at_a_key_results_addition_or_at_its_last_check_in() {
    let repo = planned();
    // Kickoff 2026-07-15; planned in June and never checked in on: stale from 07-29.
    assert_eq!(stale_in(&repo, "2026-07-28"), names(&[]));
    assert_eq!(
        stale_in(&repo, "2026-07-29"),
        names(&[
            "build-minutes",
            "cache-hits",
            "failed-deploys",
            "rollback-runbook"
        ])
    );
    move_mid_quarter(&repo);
    // failed-deploys moved on 08-25; flaky-tests was added on 08-20; rollback-runbook is done.
    assert_eq!(
        stale_in(&repo, "2026-09-02"),
        names(&["build-minutes", "cache-hits"])
    );
    assert_eq!(
        stale_in(&repo, "2026-09-03"),
        names(&["build-minutes", "cache-hits", "flaky-tests"])
    );
    assert_eq!(
        stale_in(&repo, "2026-09-08"),
        names(&[
            "build-minutes",
            "cache-hits",
            "failed-deploys",
            "flaky-tests"
        ])
    );
    // `[checkins] stale_after_days` moves the line.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\nplanning_window_days = 14\n[checkins]\nstale_after_days = 20\n",
    );
    assert_eq!(
        stale_in(&repo, "2026-09-08"),
        names(&["build-minutes", "cache-hits"])
    );
}

#[test]
fn a_stale_after_days_of_zero_is_refused_with_what_to_write() {
    let repo = planned();
    repo.write("okr.toml", "[checkins]\nstale_after_days = 0\n");
    let run = okr_on(&repo, DEMO_DAY, &["report"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("`[checkins] stale_after_days` must be at least 1"),
        "{}",
        run.stderr
    );
}
