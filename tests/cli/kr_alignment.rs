//! Format 1.1's alignment to a key result: `aligns_to: company/customer-trust/incidents` is checked like an
//! objective's, and the alignment tree places the objective under the one whose key result it supports.

use crate::repo::planned;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

#[test]
fn an_objective_may_align_to_a_key_result_and_a_wrong_one_is_named() {
    let repo = planned();
    repo.replace_once(
        PLATFORM,
        "aligns_to: company/customer-trust\n",
        "aligns_to: company/customer-trust/incidents\n",
    );
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    repo.commit(
        "2026-06-26T10:00:00+02:00",
        "Dana Li",
        "Align to the incidents KR",
    );
    let report = repo.okr(&["report", "--format", "json"]).json();
    let root = &report["alignment"]["roots"][0];
    assert_eq!(root["objective"], "customer-trust");
    assert_eq!(root["children"][0]["objective"], "boring-deploys");
    assert_eq!(root["children"][0]["via_key_result"], "incidents");
    assert!(
        report["alignment"]["unresolved"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let human = repo.okr(&["report"]).stdout;
    assert!(
        human.contains(
            "platform/boring-deploys — Make deploys boring  (to its parent's KR incidents)"
        ),
        "{human}"
    );
    let markdown = repo.okr(&["report", "--format", "markdown"]).stdout;
    assert!(
        markdown.contains("(to its parent's KR incidents)"),
        "{markdown}"
    );

    repo.replace_once(
        PLATFORM,
        "customer-trust/incidents",
        "customer-trust/incident",
    );
    let wrong = repo.okr(&["validate"]);
    assert_eq!(wrong.code, 1, "{}", wrong.stdout);
    assert!(
        wrong.stdout.contains(
            "`aligns_to` names `company/customer-trust/incident`, which no file of 2026-Q3 defines"
        ),
        "{}",
        wrong.stdout
    );
    assert!(
        wrong
            .stdout
            .contains("did you mean `company/customer-trust/incidents`?"),
        "{}",
        wrong.stdout
    );
    repo.replace_once(
        PLATFORM,
        "customer-trust/incident",
        "customer-trust/incidents/x",
    );
    let malformed = repo.okr(&["validate"]);
    assert!(
        malformed.stdout.contains("error[invalid-value]"),
        "{}",
        malformed.stdout
    );
}

#[test]
fn realigning_to_a_key_result_mid_quarter_is_a_change_of_plan_in_history() {
    let repo = planned();
    repo.replace_once(
        PLATFORM,
        "aligns_to: company/customer-trust\n",
        "aligns_to: company/customer-trust/incidents\n",
    );
    repo.commit(
        "2026-08-12T10:00:00+02:00",
        "Dana Li",
        "Support the incidents KR\n\nDeploys cause most incidents.",
    );
    let history = repo
        .okr(&["history", "--quarter", "2026-Q3", "--format", "json"])
        .json();
    let events = history["events"].as_array().unwrap();
    let realigned: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["kind"] == "objective_realigned")
        .collect();
    assert_eq!(realigned.len(), 1, "{events:#?}");
    let event = realigned[0];
    assert_eq!(event["objective"], "boring-deploys");
    assert_eq!(event["from"], "company/customer-trust");
    assert_eq!(event["to"], "company/customer-trust/incidents");
    assert_eq!(event["mid_quarter"], true);
    assert_eq!(event["reason"], "Deploys cause most incidents.");
    let index = events.iter().position(|e| e == event).unwrap();
    assert_eq!(
        history["summary"]["other_pivots"],
        serde_json::json!([index])
    );
}
