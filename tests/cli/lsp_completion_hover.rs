//! `okr lsp`'s completion (fields, values, `aligns_to` targets, ids — also in text that does not parse) and the
//! git history its hover shows, driven over stdio as an editor drives it.

use serde_json::{Value, json};

use crate::lsp::{Client, at, change, open, uri};
use crate::repo::{GitRepo, company_file, planned, team_file};
use crate::support::project_root;

/// The schema okr ships, as editors read it.
fn schema() -> Value {
    let text = std::fs::read_to_string(project_root().join("schema/okr.schema.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// platform's file with `line` inserted after `current: 12` of failed-deploys, as line 14 (0-based).
fn platform_with(line: &str) -> String {
    team_file("platform").replacen(
        "        current: 12\n",
        &format!("        current: 12\n{line}\n"),
        1,
    )
}

fn complete(client: &mut Client, uri: &str, line: u32, character: u32) -> Vec<Value> {
    let (items, incomplete) = complete_list(client, uri, line, character);
    assert!(!incomplete, "a whole list: {items:?}");
    items
}

/// The items okr lsp offers at `line`:`character` and whether it says the list is incomplete.
fn complete_list(client: &mut Client, uri: &str, line: u32, character: u32) -> (Vec<Value>, bool) {
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": uri}, "position": at(line, character)}),
    );
    let items = answer["result"]["items"]
        .as_array()
        .unwrap_or_else(|| panic!("a list of items: {answer}"))
        .clone();
    let incomplete = answer["result"]["isIncomplete"]
        .as_bool()
        .unwrap_or_else(|| panic!("isIncomplete: {answer}"));
    (items, incomplete)
}

fn labels(items: &[Value]) -> Vec<&str> {
    items.iter().map(|i| i["label"].as_str().unwrap()).collect()
}

fn item<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|i| i["label"] == label)
        .unwrap_or_else(|| panic!("no `{label}` in {:?}", labels(items)))
}

#[test]
fn lsp_completes_the_fields_a_key_result_lacks_with_the_schemas_descriptions() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::start(&repo);
    let answer = client.request("initialize", crate::lsp::initialize_params(&repo));
    let triggers = &answer["result"]["capabilities"]["completionProvider"]["triggerCharacters"];
    assert_eq!(triggers, &json!([" ", "/"]), "{answer}");
    client.notify("initialized", json!({}));

    open(&mut client, &platform, &platform_with("        con"));
    client.diagnostics(&platform);
    let items = complete(&mut client, &platform, 14, 11);
    let key_result = &schema()["$defs"]["keyResult"]["properties"];
    let present = ["id", "title", "start", "target", "current"];
    let mut expected: Vec<&str> = key_result
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| !present.contains(k))
        .collect();
    let mut offered = labels(&items);
    expected.sort_unstable();
    offered.sort_unstable();
    assert_eq!(offered, expected);
    let confidence = item(&items, "confidence");
    assert_eq!(
        confidence["documentation"]["value"],
        key_result["confidence"]["description"]
    );
    // The half-typed `con` is replaced, not added to.
    assert_eq!(
        confidence["textEdit"],
        json!({"range": {"start": at(14, 8), "end": at(14, 11)}, "newText": "confidence: "})
    );

    // At the objective's level: objective fields, `key_results` among those it has.
    let objective_level = platform_with("    ");
    change(&mut client, &platform, 2, &objective_level);
    client.diagnostics(&platform);
    let offered = labels(&complete(&mut client, &platform, 14, 4)).join(" ");
    assert!(
        offered.contains("status") && offered.contains("priority"),
        "{offered}"
    );
    assert!(
        !offered.contains("key_results") && !offered.contains("aligns_to"),
        "{offered}"
    );
}

#[test]
fn lsp_completes_enum_values_after_health_and_alignment_targets_from_other_files() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &platform_with("        health: "));
    client.diagnostics(&platform);

    let items = complete(&mut client, &platform, 14, 16);
    let health = &schema()["$defs"]["keyResult"]["properties"]["health"];
    let expected: Vec<&str> = health["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(labels(&items), expected);
    for value in &items {
        let documentation = value["documentation"]["value"].as_str().unwrap_or_default();
        assert!(!documentation.is_empty(), "{value}");
    }
    // What the value replaces is counted in UTF-16 units: 🚀 is two, 東 one (and three bytes).
    change(
        &mut client,
        &platform,
        2,
        &platform_with("        health: 🚀東"),
    );
    client.diagnostics(&platform);
    let items = complete(&mut client, &platform, 14, 19);
    assert_eq!(
        item(&items, "at_risk")["textEdit"]["range"],
        json!({"start": at(14, 16), "end": at(14, 19)})
    );

    // `aligns_to: company/` with the cursor after the slash: company's objectives and key results, titled.
    let items = complete(&mut client, &platform, 7, 23);
    let trust = item(&items, "company/customer-trust");
    assert_eq!(trust["detail"], "Customers trust us");
    assert_eq!(
        trust["textEdit"]["range"],
        json!({"start": at(7, 15), "end": at(7, 37)})
    );
    let incidents = item(&items, "company/customer-trust/incidents");
    assert_eq!(incidents["detail"], "Customer-facing incident minutes");
    item(&items, "company/efficient-growth/cac");
    assert!(
        labels(&items).iter().all(|l| l.starts_with("company/")),
        "the file's own team is no target: {:?}",
        labels(&items)
    );
}

#[test]
fn lsp_completes_alignment_targets_starting_with_what_is_typed_and_cuts_a_long_list() {
    let repo = planned();
    // A team of 120 objectives of two key results: 360 targets besides company's.
    let mut big = String::from("quarter: 2026-Q3\nteam: big\nobjectives:\n");
    for n in 0..120 {
        big.push_str(&format!(
            "  - id: o-{n}\n    title: Objective {n}\n    key_results:\n      - id: a\n        title: A\n        done: false\n      - id: b\n        title: B\n        done: false\n"
        ));
    }
    repo.write("okrs/2026-Q3/big.yaml", &big);
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    // The objective with no aligns_to of its own is faster-builds: give it one being typed.
    let typed = |value: &str| {
        team_file("platform").replacen(
            "    title: Halve CI build times\n",
            &format!("    title: Halve CI build times\n    aligns_to: {value}\n"),
            1,
        )
    };
    let text = typed("");
    open(&mut client, &platform, &text);
    client.diagnostics(&platform);
    let row = text
        .lines()
        .position(|l| l.starts_with("    aligns_to: ") && !l.contains('/'))
        .unwrap() as u32;

    // Nothing typed: the first 200 in order, and the client told to ask again.
    let (items, incomplete) = complete_list(&mut client, &platform, row, 15);
    assert!(incomplete);
    assert_eq!(items.len(), 200);
    let offered = labels(&items);
    let mut sorted = offered.clone();
    sorted.sort_unstable();
    assert_eq!(offered, sorted);

    // `big/o-1` typed: only what starts with it, all of it.
    change(&mut client, &platform, 2, &typed("big/o-1"));
    let items = complete(&mut client, &platform, row, 22);
    let offered = labels(&items);
    assert!(
        offered.iter().all(|l| l.starts_with("big/o-1")),
        "{offered:?}"
    );
    // o-1, o-10..o-19, o-100..o-119, each with its two key results.
    assert_eq!(offered.len(), 31 * 3, "{offered:?}");
    // Letter case aside; what is typed ends at the cursor, not at the end of the word.
    change(&mut client, &platform, 3, &typed("BIG/O-11"));
    // o-11 and o-110..o-119.
    assert_eq!(
        labels(&complete(&mut client, &platform, row, 23)).len(),
        11 * 3
    );
    assert_eq!(
        labels(&complete(&mut client, &platform, row, 22)).len(),
        31 * 3
    );
}

#[test]
fn lsp_completes_in_a_buffer_that_does_not_parse() {
    let repo = planned();
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let mut client = Client::initialized(&repo);
    // Numbered key result ids, a new item whose id is being written, a health with no value yet, and a line
    // that makes the whole text no YAML.
    let text = company_file()
        .replace("id: incidents", "id: kr1")
        .replace("id: status-page", "id: kr2")
        .replacen(
            "  - id: efficient-growth\n",
            "      - id: \n        health: \n  - id: efficient-growth\n",
            1,
        )
        + "  : : [\n";
    open(&mut client, &company, &text);
    let diagnostics = client.diagnostics(&company);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "yaml-syntax"),
        "the text does not parse: {diagnostics:#?}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let id_line = lines.iter().position(|l| *l == "      - id: ").unwrap() as u32;

    let ids = complete(&mut client, &company, id_line, 12);
    assert_eq!(labels(&ids), ["kr3"]);
    let health = complete(&mut client, &company, id_line + 1, 16);
    assert_eq!(labels(&health)[0], "on_track", "{health:?}");
    let items = complete(&mut client, &company, id_line + 1, 8);
    let fields = labels(&items);
    assert!(
        fields.contains(&"target") && !fields.contains(&"id"),
        "{fields:?}"
    );
}

#[test]
fn lsp_completes_after_two_byte_order_marks_without_an_internal_error() {
    let repo = planned();
    let team = uri(&repo, "okrs/2026-Q3/team.yaml");
    let mut client = Client::initialized(&repo);
    // The parser drops one byte order mark; the second is a character of the line, so `ab` starts at column 2.
    open(&mut client, &team, "\u{feff}\u{feff}ab東\n");
    let answer = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": team}, "position": at(0, 3)}),
    );
    assert!(answer.get("error").is_none(), "{answer}");
}

#[test]
fn lsp_completion_answers_every_position_of_odd_buffers_without_an_internal_error() {
    let repo = planned();
    let team = uri(&repo, "okrs/2026-Q3/team.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &team, "");
    let buffers = [
        "\u{feff}\u{feff}ab東\n",
        "\u{feff}",
        "\u{feff}\u{feff}\u{feff}quarter: \u{feff}東\n",
        "\r\n\r東: 🚀\r",
        "objectives:\n  - aligns_to: 🚀/東\n    id: é\n  - 🚀: \n",
        "a\rb: c\r\n- \u{feff}- x: y\n\t- id: \u{feff}\n",
        "objectives:\n- id: a\n  key_results:\n  - id: 東\n    health: 🚀",
    ];
    for (version, text) in buffers.iter().enumerate() {
        change(&mut client, &team, version as i64 + 2, text);
        for line in 0..6 {
            for character in 0..12 {
                let answer = client.request(
                    "textDocument/completion",
                    json!({"textDocument": {"uri": team}, "position": at(line, character)}),
                );
                assert!(
                    answer.get("error").is_none(),
                    "{text:?} at {line}:{character}: {answer}"
                );
            }
        }
    }
}

/// platform's failed-deploys lowered mid-quarter by Sam with a reason, then checked in by Ana.
fn repo_with_history() -> GitRepo {
    let repo = planned();
    repo.replace_once("okrs/2026-Q3/platform.yaml", "target: 2\n", "target: 1\n");
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Sam Okafor",
        "Raise the bar on failed deploys\n\nReason: the new pipeline makes one a week reachable",
    );
    repo
}

#[test]
fn lsp_hover_shows_the_changes_okr_history_shows_and_follows_head() {
    let repo = repo_with_history();
    let events = failed_deploys_events(&repo);
    let lowered = events
        .iter()
        .rev()
        .find(|e| e["key_result"] == "failed-deploys")
        .expect("okr history has the change");
    let human = repo.okr(&["history", "--quarter", "2026-Q3"]).stdout;
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    let disk = std::fs::read_to_string(repo.path().join("okrs/2026-Q3/platform.yaml")).unwrap();
    open(&mut client, &platform, &disk);
    client.diagnostics(&platform);

    let hover = |client: &mut Client, line: u32, character: u32| {
        let answer = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": platform}, "position": at(line, character)}),
        );
        answer["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("a hover: {answer}"))
            .to_owned()
    };
    let shown = hover(&mut client, 9, 14);
    let day = &lowered["date"].as_str().unwrap()[..10];
    let author = lowered["author"].as_str().unwrap();
    let reason = lowered["reason"].as_str().unwrap();
    let what = "target 2 → 1";
    assert!(human.contains(what) && human.contains(reason), "{human}");
    let count = format!("{} changes", events.len());
    for expected in ["History this quarter", &count, day, author, what, reason] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    // The objective's hover tells its key results' changes, naming the key result.
    let objective = hover(&mut client, 4, 8);
    assert!(
        objective.contains("KR failed-deploys: target 2 → 1"),
        "{objective}"
    );

    // A new commit moves HEAD: the next hover reads the quarter again.
    repo.replace_once(
        "okrs/2026-Q3/platform.yaml",
        "current: 12\n",
        "current: 6\n",
    );
    repo.commit("2026-08-03T09:00:00+02:00", "Ana Ruiz", "Check in");
    let shown = hover(&mut client, 9, 14);
    assert!(
        shown.contains("Ana Ruiz") && shown.contains("current 12 → 6"),
        "{shown}"
    );
    let count = format!("{} changes", failed_deploys_events(&repo).len());
    assert!(shown.contains(&count), "{count} in {shown}");
}

#[test]
fn lsp_hover_reads_history_again_when_okr_toml_changes_the_policy() {
    let repo = planned();
    // An easier target after kickoff, committed without a reason: the default policy asks for one.
    repo.replace_once("okrs/2026-Q3/platform.yaml", "target: 2\n", "target: 4\n");
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Sam Okafor",
        "Relax failed deploys",
    );
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    let disk = std::fs::read_to_string(repo.path().join("okrs/2026-Q3/platform.yaml")).unwrap();
    open(&mut client, &platform, &disk);
    client.diagnostics(&platform);
    let hover = |client: &mut Client| {
        let answer = client.request(
            "textDocument/hover",
            json!({"textDocument": {"uri": platform}, "position": at(9, 14)}),
        );
        answer["result"]["contents"]["value"]
            .as_str()
            .unwrap_or_else(|| panic!("a hover: {answer}"))
            .to_owned()
    };
    let shown = hover(&mut client);
    assert!(
        shown.contains("target 2 → 4") && shown.contains("no reason given"),
        "{shown}"
    );

    // okr.toml stops asking a reason for easier targets; HEAD stays where it was.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[policy]\nrequire_reason = [\"objective_dropped\"]\n",
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(&repo, "okr.toml"), "type": 2}]}),
    );
    let shown = hover(&mut client);
    assert!(
        shown.contains("target 2 → 4") && !shown.contains("no reason given"),
        "{shown}"
    );
}

/// The events `okr history` gives for platform's failed-deploys, oldest first.
fn failed_deploys_events(repo: &GitRepo) -> Vec<Value> {
    let history = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    history.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["team"] == "platform"
                && e["objective"] == "boring-deploys"
                && e["key_result"] == "failed-deploys"
        })
        .cloned()
        .collect()
}

#[test]
fn lsp_hover_outside_git_has_no_history_and_no_error() {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write("okrs/2026-Q3/platform.yaml", &team_file("platform"));
    std::fs::remove_dir_all(repo.path().join(".git")).unwrap();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &team_file("platform"));
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    let answer = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": platform}, "position": at(9, 14)}),
    );
    let shown = answer["result"]["contents"]["value"].as_str().unwrap();
    assert!(
        shown.contains("**Key result** `platform/boring-deploys/failed-deploys`"),
        "{shown}"
    );
    assert!(
        !shown.contains("History") && !shown.contains("git"),
        "{shown}"
    );
}
