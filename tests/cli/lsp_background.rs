//! `okr lsp` reads git history on threads of its own: while a quarter's history is read, edits are still
//! checked and their diagnostics published, and the hover waiting for it is answered when it is read, or
//! cancelled, or answered without it at shutdown. `OKR_TEST_HISTORY_GATE` (test-only) holds each read until
//! a file exists, so a read is in progress for as long as a test needs.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::lsp::{Client, at, change, open, uri};
use crate::repo::{GitRepo, planned};
use crate::support::okr_command;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// platform's failed-deploys made harder mid-quarter by Sam, with a reason.
fn repo_with_history() -> GitRepo {
    let repo = planned();
    repo.replace_once(PLATFORM, "target: 2\n", "target: 1\n");
    repo.commit(
        "2026-07-20T10:00:00+02:00",
        "Sam Okafor",
        "Raise the bar on failed deploys\n\nReason: the new pipeline makes one a week reachable",
    );
    repo
}

/// A client whose server holds every history read until the file `gate` exists.
fn held_client(repo: &GitRepo, gate: &Path) -> Client {
    let mut command = okr_command(repo.path());
    command
        .env("OKR_TODAY", "2026-07-05")
        .env("OKR_TEST_HISTORY_GATE", gate);
    Client::run(command).initialize(repo)
}

/// Where a test's gate file is made, outside the repository (which okr never writes to); closed until then.
fn gate() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let gate = dir.path().join("open");
    (dir, gate)
}

fn hover_on_failed_deploys(client: &mut Client, uri: &str) -> i64 {
    client.send_request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": at(9, 14)}),
    )
}

fn shown(answer: &Value) -> &str {
    answer["result"]["contents"]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("a hover: {answer}"))
}

#[test]
fn lsp_publishes_diagnostics_for_an_edit_while_a_history_is_read() {
    let repo = repo_with_history();
    let (_dir, gate) = gate();
    let mut client = held_client(&repo, &gate);
    let platform = uri(&repo, PLATFORM);
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    open(&mut client, &platform, &text);
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());

    // The quarter's history is being read (opening the file started it) and held: the hover waits.
    let hover = hover_on_failed_deploys(&mut client, &platform);
    let broken = text.replacen("current: 12\n", "current: 12\n        confidence: 7\n", 1);
    assert_ne!(broken, text);
    change(&mut client, &platform, 2, &broken);
    let diagnostics = client.diagnostics(&platform);
    assert!(
        diagnostics.iter().any(|d| d["code"] == "invalid-value"),
        "{diagnostics:?}"
    );
    let completion = client.request(
        "textDocument/completion",
        json!({"textDocument": {"uri": platform}, "position": at(9, 0)}),
    );
    assert!(completion.get("result").is_some(), "{completion}");
    assert!(!client.answered(hover), "the hover waits for the history");

    // Read: the hover is answered, from the text it was asked about, with the changes okr history tells.
    std::fs::write(&gate, "").unwrap();
    let answer = client.response(hover);
    let shown = shown(&answer);
    for expected in ["History this quarter", "Sam Okafor", "target 2 → 1"] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    // Kept: the next hover is answered at once.
    let again = hover_on_failed_deploys(&mut client, &platform);
    assert!(client.answered(again));
}

#[test]
fn lsp_cancels_a_hover_waiting_for_its_history_and_answers_the_rest_at_shutdown() {
    let repo = repo_with_history();
    let (_dir, gate) = gate();
    let mut client = held_client(&repo, &gate);
    let platform = uri(&repo, PLATFORM);
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    open(&mut client, &platform, &text);
    client.diagnostics(&platform);

    let cancelled = hover_on_failed_deploys(&mut client, &platform);
    client.notify("$/cancelRequest", json!({"id": cancelled}));
    let answer = client.response(cancelled);
    assert_eq!(answer["error"]["code"], -32800, "{answer}");

    // A hover still waiting at shutdown is answered without its history; exit does not wait for the read.
    let waiting = hover_on_failed_deploys(&mut client, &platform);
    assert!(!client.answered(waiting));
    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    // Before `shutdown`'s own answer, after which a client may stop reading.
    assert!(client.received(waiting), "the hover is answered first");
    let answer = client.response(waiting);
    let shown = shown(&answer);
    assert!(
        shown.contains("`platform/boring-deploys/failed-deploys`") && !shown.contains("History"),
        "{shown}"
    );
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}

/// The threads of the process `pid`.
#[cfg(target_os = "linux")]
fn threads(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .expect("the server runs")
        .count()
}

#[test]
#[cfg(target_os = "linux")] // threads counted in /proc
fn lsp_reads_a_quarter_ahead_once_however_often_head_moves() {
    let repo = repo_with_history();
    let (_dir, gate) = gate();
    let mut client = held_client(&repo, &gate);
    let platform = uri(&repo, PLATFORM);
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    open(&mut client, &platform, &text);
    client.diagnostics(&platform);
    client.request("test/sync", json!({}));
    let reading = threads(client.process_id());

    // A rebase moves HEAD at every commit: while the quarter's read is held, no read piles up behind it.
    for n in 0..8 {
        repo.git(&["commit", "-q", "--allow-empty", "-m", &format!("step {n}")]);
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri(&repo, ".git/refs/heads/main"), "type": 2}]}),
        );
    }
    client.request("test/sync", json!({}));
    assert_eq!(threads(client.process_id()), reading);

    // Once it is read, the quarter is read again at the HEAD of now, unasked: when no read is left running,
    // a hover finds it read.
    std::fs::write(&gate, "").unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut quiet = 0;
    while quiet < 10 {
        assert!(
            std::time::Instant::now() < deadline,
            "the reads never ended"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        quiet = if threads(client.process_id()) < reading {
            quiet + 1
        } else {
            0
        };
    }
    let hover = hover_on_failed_deploys(&mut client, &platform);
    assert!(client.answered(hover), "read ahead at the new HEAD");
    let answer = client.response(hover);
    assert!(shown(&answer).contains("Sam Okafor"), "{answer}");
}
