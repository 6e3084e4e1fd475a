//! Format 1.1's file-level `retrospective:`: what a team writes at the quarter's end. `okr report` shows it
//! beside the retrospective it computes, in every format; history records it as `retrospective_changed`, never
//! a change of plan; and it is never the reason for a change, even one made in the same commit.

use serde_json::{Value, json};

use crate::repo::{GitRepo, planned};
use crate::support::{Run, okr_command};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

const WRITTEN: &str = "retrospective:
  went_well:
    - \"Canary deploys caught two bad releases | before customers did.\"
  to_improve:
    - <script>alert(1)</script> Baseline the build minutes before kickoff.
  learnings:
    - Halving build times needs the cache first.
";

/// The plan, then one commit in September that eases a target without saying why and writes the
/// retrospective in the same change.
fn eased_with_a_retrospective() -> GitRepo {
    let repo = planned();
    repo.replace_once(PLATFORM, "        target: 15\n", "        target: 20\n");
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &format!("{text}{WRITTEN}"));
    repo.commit("2026-09-29T16:00:00+02:00", "Dana Li", "Quarter wrap-up");
    repo
}

fn okr_on(repo: &GitRepo, today: &str, args: &[&str]) -> Run {
    Run::from(
        okr_command(repo.path())
            .args(args)
            .env("OKR_TODAY", today)
            .output()
            .expect("okr runs"),
    )
}

#[test]
fn a_retrospective_is_no_reason_for_a_change_in_the_same_commit() {
    let repo = eased_with_a_retrospective();
    assert_eq!(repo.okr(&["validate"]).code, 0);
    let history = repo
        .okr(&["history", "--quarter", "2026-Q3", "--format", "json"])
        .json();
    let events = history["events"].as_array().unwrap();
    let event = |kind: &str| -> &Value {
        events
            .iter()
            .find(|e| e["kind"] == kind)
            .unwrap_or_else(|| panic!("no {kind} in {events:#?}"))
    };
    let eased = event("kr_target_changed");
    assert_eq!(eased["direction"], "easier");
    assert_eq!(eased["reason"], Value::Null, "{eased:#}");
    let written = event("retrospective_changed");
    assert_eq!(written["objective"], Value::Null);
    assert_eq!(written["from"], Value::Null);
    assert_eq!(
        written["to"],
        "went_well: Canary deploys caught two bad releases | before customers did.\n\
         to_improve: <script>alert(1)</script> Baseline the build minutes before kickoff.\n\
         learnings: Halving build times needs the cache first."
    );
    assert_eq!(written["requires_reason"], false);
    let summary = &history["summary"];
    let index = |e: &Value| events.iter().position(|x| x == e).unwrap();
    assert_eq!(summary["made_easier"], json!([index(eased)]));
    assert_eq!(
        summary["other_pivots"],
        json!([]),
        "the retrospective is no change of plan"
    );
    let check = repo.okr(&["diff", "--check", "base", "HEAD", "--format", "json"]);
    assert_eq!(check.code, 1, "the easier target still needs its reason");
    let json = check.json();
    let refused: Vec<&str> = json["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["requires_reason"] == true && c["reason"].is_null())
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(refused, ["kr_target_changed"]);
}

#[test]
fn the_report_shows_it_beside_the_computed_retrospective_in_every_format() {
    let repo = eased_with_a_retrospective();
    let report = okr_on(
        &repo,
        "2026-10-02",
        &["report", "--team", "platform", "--format", "json"],
    )
    .json();
    assert_eq!(
        report["retrospective"]["written"],
        json!([{
            "team": "platform",
            "went_well": ["Canary deploys caught two bad releases | before customers did."],
            "to_improve": ["<script>alert(1)</script> Baseline the build minutes before kickoff."],
            "learnings": ["Halving build times needs the cache first."],
        }])
    );
    let human = okr_on(&repo, "2026-10-02", &["report", "--team", "platform"]).stdout;
    let section = &human[human.find("In the teams' words").expect("the section")..];
    insta::assert_snapshot!(
        "written_retrospective_human",
        &section[..section.find("Pivots:").unwrap()]
    );
    let markdown = okr_on(
        &repo,
        "2026-10-02",
        &["report", "--team", "platform", "--format", "markdown"],
    )
    .stdout;
    let section = &markdown[markdown
        .find("### In the teams' words")
        .expect("the section")..];
    insta::assert_snapshot!(
        "written_retrospective_markdown",
        &section[..section.find("### Pivots").unwrap()]
    );
    let html = okr_on(
        &repo,
        "2026-10-02",
        &["report", "--team", "platform", "--format", "html"],
    )
    .stdout;
    assert!(!html.contains("<script>alert"), "escaped in HTML");
    assert!(
        html.contains("<h4>platform</h4><p class=\"small\">Went well</p>"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Baseline"));
}

#[test]
fn while_the_quarter_runs_it_waits_for_retro() {
    let repo = eased_with_a_retrospective();
    let running = okr_on(&repo, "2026-09-30", &["report", "--format", "json"]).json();
    assert_eq!(running["retrospective"], Value::Null);
    let asked = okr_on(
        &repo,
        "2026-09-30",
        &["report", "--retro", "--format", "json"],
    )
    .json();
    let teams: Vec<&Value> = asked["retrospective"]["written"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| &w["team"])
        .collect();
    assert_eq!(teams, ["platform"], "the company wrote none");
    let other_team = okr_on(
        &repo,
        "2026-10-02",
        &["report", "--team", "company", "--format", "json"],
    )
    .json();
    assert_eq!(other_team["retrospective"]["written"], json!([]));
    let human = okr_on(&repo, "2026-10-02", &["report", "--team", "company"]).stdout;
    assert!(
        human.contains("In the teams' words: none written (a file's `retrospective:`)"),
        "{human}"
    );
}
