//! `okr lsp`'s code actions, asked for as an editor asks: the quick fix of a finding, its edit applied to
//! the text as the editor applies it (UTF-16 positions), and the text then checked again.

use serde_json::{Value, json};

use crate::lsp::{Client, change, open, uri};
use crate::repo::{planned, team_file};
use crate::support::okr_command;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// The code actions offered at `range` of `uri`, with `diagnostics` as the editor's context.
pub(crate) fn actions(
    client: &mut Client,
    uri: &str,
    range: &Value,
    diagnostics: &[Value],
) -> Vec<Value> {
    let response = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": range,
            "context": {"diagnostics": diagnostics},
        }),
    );
    response["result"]
        .as_array()
        .unwrap_or_else(|| panic!("{response}"))
        .clone()
}

/// The byte offset of an LSP position (0-based line, UTF-16 character) in `text`.
fn offset(text: &str, position: &Value) -> usize {
    let line = position["line"].as_u64().unwrap() as usize;
    let character = position["character"].as_u64().unwrap() as usize;
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let mut units = 0;
    for (at, c) in text[start..].char_indices() {
        if units >= character || c == '\n' || c == '\r' {
            return start + at;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// `text` with the edits of `action` for `uri` made, as an editor makes them (from the last to the first).
pub(crate) fn apply(text: &str, action: &Value, uri: &str) -> String {
    let mut edits: Vec<(usize, usize, String)> = action["edit"]["changes"][uri]
        .as_array()
        .unwrap_or_else(|| panic!("no edit for {uri}: {action}"))
        .iter()
        .map(|edit| {
            (
                offset(text, &edit["range"]["start"]),
                offset(text, &edit["range"]["end"]),
                edit["newText"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    edits.sort_by_key(|(start, _, _)| std::cmp::Reverse(*start));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, &new);
    }
    out
}

pub(crate) fn with_code<'d>(diagnostics: &'d [Value], code: &str) -> &'d Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:?}"))
}

#[test]
fn lsp_quick_fix_renames_a_typo_past_non_ascii_text_and_the_file_then_checks_clean() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    let uri = uri(&repo, PLATFORM);
    // The typo stands after an emoji and CJK on the same line (flow style), so a column counted in bytes or
    // characters instead of UTF-16 units would cut the wrong bytes.
    let text = team_file("platform").replace(
        "      - id: build-minutes\n        title: Median CI minutes per build\n        start: 30\n        target: 15\n",
        "      - {id: build-minutes, title: \"🚀 東京 CI minutes\", start: 30, taget: 15}\n",
    );
    open(&mut client, &uri, &text);
    let diagnostics = client.diagnostics(&uri);
    let typo = with_code(&diagnostics, "unknown-field").clone();

    let offered = actions(
        &mut client,
        &uri,
        &typo["range"],
        std::slice::from_ref(&typo),
    );
    assert_eq!(offered.len(), 1, "{offered:?}");
    let action = &offered[0];
    assert_eq!(action["title"], "rename `taget` to `target`");
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], true);
    assert_eq!(action["diagnostics"][0]["code"], "unknown-field");

    let fixed = apply(&text, action, &uri);
    assert_eq!(fixed, text.replace("taget: 15", "target: 15"));
    change(&mut client, &uri, 2, &fixed);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // The same text on disk passes `okr validate`.
    repo.write(PLATFORM, &fixed);
    let run = crate::support::okr(repo.path(), &["validate"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn lsp_offers_fixes_only_for_findings_in_the_range_and_marks_unsafe_ones_not_preferred() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    let uri = uri(&repo, PLATFORM);
    let text = team_file("platform")
        .replace("quarter: 2026-Q3", "quarter: 2026-Q2")
        .replace("        unit: '%'\n", "        unit: '%'\n        pro: 1\n");
    open(&mut client, &uri, &text);
    let diagnostics = client.diagnostics(&uri);
    let quarter = with_code(&diagnostics, "quarter-mismatch").clone();
    let typo = with_code(&diagnostics, "unknown-field").clone();

    // The cursor on the first line: only the quarter's fix.
    let cursor =
        json!({"start": {"line": 0, "character": 11}, "end": {"line": 0, "character": 11}});
    let offered = actions(&mut client, &uri, &cursor, std::slice::from_ref(&quarter));
    let titles: Vec<&str> = offered
        .iter()
        .map(|a| a["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        ["set `quarter: 2026-Q3`, the quarter of its folder"]
    );
    assert_eq!(
        apply(&text, &offered[0], &uri),
        text.replace("2026-Q2", "2026-Q3")
    );

    // `pro`: `priority` or `progress`? The nearest is offered, not preferred.
    let offered = actions(
        &mut client,
        &uri,
        &typo["range"],
        std::slice::from_ref(&typo),
    );
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(offered[0]["isPreferred"], false);

    // The whole file: both fixes, and the rewrite of `faster-builds`, which has no `type`.
    let whole = json!({"start": {"line": 0, "character": 0}, "end": {"line": 40, "character": 0}});
    let kinds: Vec<Value> = actions(&mut client, &uri, &whole, &diagnostics)
        .iter()
        .map(|a| a["kind"].clone())
        .collect();
    assert_eq!(kinds, ["quickfix", "quickfix", "refactor.rewrite"]);
}

#[test]
fn lsp_writes_an_objective_s_type_when_asked_on_it() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    let uri = uri(&repo, PLATFORM);
    let text = team_file("platform");
    open(&mut client, &uri, &text);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    let line = text
        .lines()
        .position(|l| l == "  - id: faster-builds")
        .unwrap();
    let cursor =
        json!({"start": {"line": line, "character": 8}, "end": {"line": line, "character": 8}});
    let offered = actions(&mut client, &uri, &cursor, &[]);
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(
        offered[0]["title"],
        "write `type: aspirational` of `faster-builds`, the type it is read as"
    );
    assert_eq!(offered[0]["kind"], "refactor.rewrite");
    let written = apply(&text, &offered[0], &uri);
    assert_eq!(
        written,
        text.replace(
            "    title: Halve CI build times\n",
            "    title: Halve CI build times\n    type: aspirational\n"
        )
    );
    change(&mut client, &uri, 2, &written);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // On `boring-deploys`, which says `type: committed`, there is nothing to write.
    let typed = json!({"start": {"line": 4, "character": 8}, "end": {"line": 4, "character": 8}});
    assert_eq!(actions(&mut client, &uri, &typed, &[]), Vec::<Value>::new());
}

#[test]
fn lsp_offers_lines_for_the_reason_of_a_drop_and_the_filled_in_file_checks_clean() {
    let repo = planned();
    let today = "2026-08-12";
    let mut command = okr_command(repo.path());
    command.env("OKR_TODAY", today);
    let mut client = Client::run(command).initialize(&repo);
    let uri = uri(&repo, PLATFORM);
    let text = team_file("platform").replace(
        "    title: Halve CI build times\n",
        "    title: Halve CI build times\n    status: dropped\n",
    );
    open(&mut client, &uri, &text);
    let diagnostics = client.diagnostics(&uri);
    let dropped = with_code(&diagnostics, "dropped-without-reason").clone();
    let offered = actions(
        &mut client,
        &uri,
        &dropped["range"],
        std::slice::from_ref(&dropped),
    );
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(
        offered[0]["title"],
        "add a reason (`dropped.reason`) to fill in"
    );
    assert_eq!(offered[0]["isPreferred"], false);
    let drafted = apply(&text, &offered[0], &uri);
    assert_eq!(
        drafted,
        text.replace(
            "    status: dropped\n",
            &format!("    status: dropped\n    dropped:\n      date: {today}\n      reason: \n"),
        )
    );
    // Until the reason is written, the drop is still without one.
    change(&mut client, &uri, 2, &drafted);
    let codes: Vec<Value> = client
        .diagnostics(&uri)
        .iter()
        .map(|d| d["code"].clone())
        .collect();
    assert_eq!(codes, [json!("dropped-without-reason")]);
    let written = drafted.replace("reason: \n", "reason: The vendor's CI now caches builds\n");
    change(&mut client, &uri, 3, &written);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
}

#[test]
fn lsp_advertises_code_actions() {
    let repo = planned();
    let mut client = Client::start(&repo);
    let result = client.request("initialize", crate::lsp::initialize_params(&repo));
    assert_eq!(result["result"]["capabilities"]["codeActionProvider"], true);
}

#[test]
fn lsp_does_not_prefer_a_fix_that_fix_would_refuse() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    let uri = uri(&repo, PLATFORM);
    // Renamed, `taget: 30` would make the target equal the start: `--fix` refuses it.
    let text = team_file("platform").replace(
        "        start: 30\n        target: 15\n",
        "        start: 30\n        taget: 30\n",
    );
    open(&mut client, &uri, &text);
    let diagnostics = client.diagnostics(&uri);
    let typo = with_code(&diagnostics, "unknown-field").clone();
    let offered = actions(
        &mut client,
        &uri,
        &typo["range"],
        std::slice::from_ref(&typo),
    );
    assert_eq!(offered.len(), 1, "{offered:?}");
    assert_eq!(offered[0]["title"], "rename `taget` to `target`");
    assert_eq!(offered[0]["isPreferred"], false);
}
