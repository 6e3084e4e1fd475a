//! Format 1.1's `priority` (objectives and key results) and `health` (key results), on a real repository
//! where both change mid-quarter: diff and history name the change, the report orders and shows them.

use serde_json::Value;

use crate::repo::{GitRepo, planned};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// The planned quarter, then in August: faster-builds becomes P0, boring-deploys P1, and a check-in judges
/// failed-deploys at risk; in September it is back on track.
fn reprioritised() -> GitRepo {
    let repo = planned();
    repo.replace_once(
        PLATFORM,
        "    title: Halve CI build times\n",
        "    title: Halve CI build times\n    priority: P0\n",
    );
    repo.replace_once(
        PLATFORM,
        "    title: Make deploys boring\n",
        "    title: Make deploys boring\n    priority: P1\n",
    );
    repo.replace_once(
        PLATFORM,
        "        current: 12\n",
        "        current: 10\n        health: at_risk\n        priority: P2\n",
    );
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        "Builds first\n\nReason: CI time is what the survey complained about most.",
    );
    repo.replace_once(PLATFORM, "health: at_risk", "health: on_track");
    repo.commit("2026-09-01T10:00:00+02:00", "Dana Li", "Check-in");
    repo
}

fn json(repo: &GitRepo, args: &[&str]) -> Value {
    let run = repo.okr(args);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    run.json()
}

/// Events of a kind as `objective/key_result: from → to`.
fn changes(events: &Value, kind: &str) -> Vec<String> {
    events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == kind)
        .map(|e| {
            format!(
                "{}/{}: {} → {}",
                e["objective"].as_str().unwrap_or("-"),
                e["key_result"].as_str().unwrap_or("-"),
                e["from"],
                e["to"]
            )
        })
        .collect()
}

#[test]
fn diff_and_history_name_priority_and_health_changes() {
    let repo = reprioritised();
    let diff = json(&repo, &["diff", "base", "HEAD", "--format", "json"]);
    assert_eq!(
        changes(&diff["changes"], "priority_changed"),
        [
            "boring-deploys/-: null → \"P1\"",
            "boring-deploys/failed-deploys: null → \"P2\"",
            "faster-builds/-: null → \"P0\"",
        ]
    );
    assert_eq!(
        changes(&diff["changes"], "kr_health_changed"),
        ["boring-deploys/failed-deploys: null → \"on_track\""]
    );
    let history = json(
        &repo,
        &["history", "--quarter", "2026-Q3", "--format", "json"],
    );
    assert_eq!(
        changes(&history["events"], "kr_health_changed"),
        [
            "boring-deploys/failed-deploys: null → \"at_risk\"",
            "boring-deploys/failed-deploys: \"at_risk\" → \"on_track\"",
        ]
    );
    // A new priority mid-quarter is a change of plan (listed, needing no reason); health is a check-in.
    let events = history["events"].as_array().unwrap();
    let other: Vec<&str> = history["summary"]["other_pivots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            events[i.as_u64().unwrap() as usize]["kind"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert_eq!(
        other.iter().filter(|k| **k == "priority_changed").count(),
        3
    );
    assert!(!other.contains(&"kr_health_changed"));
    let human = repo.okr(&["history", "--quarter", "2026-Q3"]).stdout;
    assert!(
        human.contains("platform/faster-builds: priority none → P0"),
        "{human}"
    );
    assert!(
        human.contains("failed-deploys 12 → 10 (health at_risk)"),
        "{human}"
    );
    assert!(
        human.contains("failed-deploys health at_risk → on_track"),
        "{human}"
    );
    let check = repo.okr(&["diff", "--check", "base", "HEAD"]);
    assert_eq!(check.code, 0, "priorities need no reason: {}", check.stdout);
}

#[test]
fn the_report_lists_by_priority_and_shows_priority_and_health() {
    let repo = reprioritised();
    let report = json(&repo, &["report", "--team", "platform", "--format", "json"]);
    let objectives = report["teams"][0]["objectives"].as_array().unwrap();
    let order: Vec<(&str, &Value)> = objectives
        .iter()
        .map(|o| (o["id"].as_str().unwrap(), &o["priority"]))
        .collect();
    assert_eq!(
        order,
        [
            ("faster-builds", &Value::from("P0")),
            ("boring-deploys", &Value::from("P1"))
        ]
    );
    // Key results with a priority first; the others keep their order.
    let krs = objectives[1]["key_results"].as_array().unwrap();
    assert_eq!(krs[0]["id"], "failed-deploys");
    assert_eq!(krs[0]["priority"], "P2");
    assert_eq!(krs[0]["health"], "on_track");
    assert_eq!(krs[1]["priority"], Value::Null);
    let human = repo.okr(&["report", "--team", "platform"]).stdout;
    assert!(
        human.contains("  faster-builds — Halve CI build times  [P0]\n"),
        "{human}"
    );
    assert!(
        human.contains("      failed-deploys — Failed deploys per week  [P2 · on track]\n"),
        "{human}"
    );
    assert!(human.find("faster-builds").unwrap() < human.find("boring-deploys").unwrap());
    let markdown = repo
        .okr(&["report", "--team", "platform", "--format", "markdown"])
        .stdout;
    assert!(
        markdown.contains("| failed-deploys — Failed deploys per week [P2 · on track] |"),
        "{markdown}"
    );
    let html = repo
        .okr(&["report", "--team", "platform", "--format", "html"])
        .stdout;
    assert!(html.contains("<span class=\"pill status\">P0</span>"));
    assert!(html.contains(" · P2 · on track"));
}

#[test]
fn a_lowercase_priority_is_an_invalid_value_that_names_the_right_one() {
    let repo = GitRepo::new();
    repo.write(
        PLATFORM,
        &crate::repo::team_file("platform").replace(
            "    title: Make deploys boring\n",
            "    title: Make deploys boring\n    priority: p1\n",
        ),
    );
    let run = repo.okr(&["validate", PLATFORM]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "error[invalid-value]: `priority` must be one of `P0`, `P1`, `P2`, `P3`, found `p1`"
        ),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("did you mean `P1`?"), "{}", run.stdout);
}
