//! Format 1.1's several owners: `owner` may be a list of names on the file, an objective and a key result.

use crate::repo::planned;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

#[test]
fn several_owners_are_read_reported_diffed_and_carried_over() {
    let repo = planned();
    repo.replace_once(
        PLATFORM,
        "    title: Make deploys boring\n",
        "    title: Make deploys boring\n    owner: [Dana Li, \"Omar, Jr.\"]\n",
    );
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        "Share boring-deploys",
    );
    let report = repo
        .okr(&["report", "--team", "platform", "--format", "json"])
        .json();
    let objective = &report["teams"][0]["objectives"][0];
    assert_eq!(
        objective["owners"],
        serde_json::json!(["Dana Li", "Omar, Jr."])
    );
    assert_eq!(objective["owner"], "Dana Li, Omar, Jr.");
    let diff = repo.okr(&["diff", "base", "HEAD"]).stdout;
    assert!(diff.contains("owner none → Dana Li, Omar, Jr."), "{diff}");
    // In history a mid-quarter change of owners is a change of wording, not of plan.
    let history = repo
        .okr(&["history", "--quarter", "2026-Q3", "--format", "json"])
        .json();
    let owners: Vec<&serde_json::Value> = history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "owner_changed")
        .collect();
    assert_eq!(owners.len(), 1, "{owners:#?}");
    assert_eq!(owners[0]["to"], "Dana Li, Omar, Jr.");
    assert_eq!(owners[0]["mid_quarter"], true);
    assert_eq!(owners[0]["requires_reason"], false);
    // A rollover writes the list back as a list.
    let run = repo.okr(&["init", "--from", "2026-Q3"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let next = std::fs::read_to_string(repo.path().join("okrs/2026-Q4/platform.yaml")).unwrap();
    assert!(
        next.contains("    owner: [\"Dana Li\", \"Omar, Jr.\"]\n"),
        "{next}"
    );
    let empty = planned();
    empty.replace_once(PLATFORM, "owner: Dana Li\n", "owner: []\n");
    let refused = empty.okr(&["validate"]);
    assert!(
        refused.stdout.contains("`owner` is an empty list"),
        "{}",
        refused.stdout
    );
}
