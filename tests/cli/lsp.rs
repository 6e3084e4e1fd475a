//! `okr lsp`, driven over its stdin and stdout as an editor drives it: JSON-RPC messages with Content-Length
//! headers, on a real repository.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

use crate::repo::{GitRepo, company_file, planned, team_file};
use crate::support::okr_command;

/// How long any answer may take before the test gives up on the server.
const PATIENCE: Duration = Duration::from_secs(20);

/// A language client: sends requests and notifications, and sorts what comes back.
pub(crate) struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    incoming: Receiver<Value>,
    /// Notifications received while waiting for something else.
    queue: VecDeque<Value>,
    next_id: i64,
}

impl Client {
    /// A client on a fixed day of 2026-Q3's planning window, before kickoff: the repositories of these tests
    /// are planned in June, and on a day after kickoff the edits they make would also be changes the policy
    /// asks a reason for (tests/cli/lsp_reasons.rs pins its own days).
    pub(crate) fn start(repo: &GitRepo) -> Client {
        let mut command = okr_command(repo.path());
        command.env("OKR_TODAY", "2026-07-05");
        Client::run(command)
    }

    /// A client of `okr lsp` run by `command` (`okr` in a repository, with the environment it needs).
    pub(crate) fn run(mut command: std::process::Command) -> Client {
        let mut child = command
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("okr lsp starts");
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let (sender, incoming) = channel();
        std::thread::spawn(move || {
            while let Some(message) = read_frame(&mut stdout) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            child,
            stdin,
            incoming,
            queue: VecDeque::new(),
            next_id: 1,
        }
    }

    /// A client that has initialized the server with `repo` as its workspace folder.
    pub(crate) fn initialized(repo: &GitRepo) -> Client {
        Client::start(repo).initialize(repo)
    }

    /// Initializes the server with `repo` as its workspace folder.
    pub(crate) fn initialize(mut self, repo: &GitRepo) -> Client {
        let result = self.request("initialize", initialize_params(repo));
        assert!(result.get("result").is_some(), "{result}");
        self.notify("initialized", json!({}));
        self
    }

    fn write_raw(&mut self, body: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        let mut frame = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        frame.extend_from_slice(body);
        stdin.write_all(&frame).expect("okr lsp reads");
        stdin.flush().expect("okr lsp reads");
    }

    fn send(&mut self, message: Value) {
        self.write_raw(message.to_string().as_bytes());
    }

    pub(crate) fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (the whole message: `result` or `error`).
    pub(crate) fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.send_request(method, params);
        self.response(id)
    }

    /// Sends a request without waiting for its response; its id.
    pub(crate) fn send_request(&mut self, method: &str, params: Value) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        id
    }

    /// Waits for the server's request `method` and answers it with `null`; the request.
    pub(crate) fn request_from_server(&mut self, method: &str) -> Value {
        let asked = |m: &Value| m["method"] == method && m.get("id").is_some();
        let request = match self.queue.iter().position(asked) {
            Some(at) => self.queue.remove(at).expect("found"),
            None => loop {
                let message = self.next();
                if asked(&message) {
                    break message;
                }
                self.queue.push_back(message);
            },
        };
        self.send(json!({"jsonrpc": "2.0", "id": request["id"], "result": null}));
        request
    }

    /// Whether the response to request `id` came while handling everything sent so far: what the server sends
    /// in order comes before the answer to a request sent now.
    pub(crate) fn answered(&mut self, id: i64) -> bool {
        self.request("test/sync", json!({}));
        self.queue.iter().any(|m| m.get("id") == Some(&json!(id)))
    }

    /// Whether the response to request `id` has come already, among what was read while waiting for others.
    pub(crate) fn received(&self, id: i64) -> bool {
        self.queue.iter().any(|m| m.get("id") == Some(&json!(id)))
    }

    /// The server's process id.
    pub(crate) fn process_id(&self) -> u32 {
        self.child.id()
    }

    /// Waits for the response to request `id` (the whole message), which may have come already.
    pub(crate) fn response(&mut self, id: i64) -> Value {
        let answers = |m: &Value| m.get("id") == Some(&json!(id)) && m.get("method").is_none();
        if let Some(at) = self.queue.iter().position(answers) {
            return self.queue.remove(at).expect("found");
        }
        loop {
            let message = self.next();
            if message.get("id") == Some(&json!(id)) {
                return message;
            }
            self.queue.push_back(message);
        }
    }

    fn next(&mut self) -> Value {
        self.incoming
            .recv_timeout(PATIENCE)
            .expect("okr lsp answers in time")
    }

    /// The next diagnostics published for `uri`.
    pub(crate) fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let published = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        if let Some(at) = self.queue.iter().position(published) {
            let message = self.queue.remove(at).expect("found");
            return message["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let message = self.next();
            if published(&message) {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
            self.queue.push_back(message);
        }
    }

    /// What was published for `uri` while handling everything sent so far (the server answers in order, so a
    /// request's answer comes after them); the last of them, if any.
    fn published(&mut self, uri: &str) -> Option<Vec<Value>> {
        let last = self.publications(uri).pop()?;
        Some(last["diagnostics"].as_array().unwrap().clone())
    }

    /// The parameters of every `publishDiagnostics` for `uri` sent while handling everything sent so far, in
    /// order.
    pub(crate) fn publications(&mut self, uri: &str) -> Vec<Value> {
        self.request("test/sync", json!({}));
        let published = |m: &Value| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        };
        let mut all = Vec::new();
        while let Some(at) = self.queue.iter().position(published) {
            let message = self.queue.remove(at).expect("found");
            all.push(message["params"].clone());
        }
        all
    }

    /// Waits for the server to exit; its exit code.
    pub(crate) fn wait(mut self) -> i32 {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().expect("okr lsp runs") {
                return status.code().unwrap_or(-1);
            }
            assert!(std::time::Instant::now() < deadline, "okr lsp did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_frame(input: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if input.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    input.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("okr lsp writes JSON"))
}

pub(crate) fn initialize_params(repo: &GitRepo) -> Value {
    json!({
        "processId": null,
        "rootUri": uri(repo, ""),
        "capabilities": {},
        "workspaceFolders": [{"uri": uri(repo, ""), "name": "repo"}],
    })
}

pub(crate) fn uri(repo: &GitRepo, relative: &str) -> String {
    let root = repo.path().canonicalize().unwrap();
    if relative.is_empty() {
        file_uri(&root)
    } else {
        file_uri(&root.join(relative))
    }
}

/// The `file:` URI of `path`, percent-encoded as editors send it.
fn file_uri(path: &std::path::Path) -> String {
    lsp_types::Url::from_file_path(path).unwrap().to_string()
}

pub(crate) fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}}),
    );
}

pub(crate) fn change(client: &mut Client, uri: &str, version: i64, text: &str) {
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

fn codes(diagnostics: &[Value]) -> Vec<(&str, i64)> {
    diagnostics
        .iter()
        .map(|d| (d["code"].as_str().unwrap(), d["severity"].as_i64().unwrap()))
        .collect()
}

pub(crate) fn at(line: u32, character: u32) -> Value {
    json!({"line": line, "character": character})
}

/// The flow-style key result put in place of `failed-deploys`: an emoji (two UTF-16 units) and CJK before an
/// out-of-range confidence on the same line, which is line 10 (0-based 9) of the file.
const FLOW_KEY_RESULT: &str = "      - {title: \"🚀 東京 failures\", id: failed-deploys, start: 12, target: 2, current: 5, confidence: 7}\n";

/// platform's file with two problems: the confidence above, and an objective of one key result.
fn platform_with_problems() -> String {
    let text = team_file("platform");
    let start = text.find("      - id: failed-deploys").unwrap();
    let end = text.find("      - id: rollback-runbook").unwrap();
    let mut text = format!("{}{FLOW_KEY_RESULT}{}", &text[..start], &text[end..]);
    let cache_hits = text.find("      - id: cache-hits").unwrap();
    text.truncate(cache_hits);
    text
}

#[test]
fn lsp_publishes_diagnostics_with_the_version_of_the_text_checked() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    let text = team_file("platform");
    open(&mut client, &platform, &text);
    change(&mut client, &platform, 7, &platform_with_problems());
    change(&mut client, &platform, 8, &text);
    let versions: Vec<Value> = client
        .publications(&platform)
        .iter()
        .map(|p| p["version"].clone())
        .collect();
    assert_eq!(versions, [json!(1), json!(7), json!(8)]);
    // Closed, its findings are cleared for no version of it.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": platform}}),
    );
    let cleared = client.publications(&platform);
    assert_eq!(cleared.len(), 1, "{cleared:?}");
    assert!(cleared[0]["version"].is_null(), "{cleared:?}");
}

#[test]
fn lsp_session_checks_outlines_navigates_and_hovers_as_an_editor_sees_it() {
    let repo = planned();
    // okr.toml's severities apply: kr-count is a warning by default.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[rules]\nkr-count = \"error\"\n",
    );
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let mut client = Client::start(&repo);

    let answer = client.request("textDocument/hover", json!({}));
    assert_eq!(
        answer["error"]["code"], -32002,
        "before initialize: {answer}"
    );
    let answer = client.request("initialize", initialize_params(&repo));
    let capabilities = &answer["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16", "{answer}");
    assert_eq!(capabilities["textDocumentSync"]["change"], 1, "{answer}");
    for provider in [
        "hoverProvider",
        "definitionProvider",
        "documentSymbolProvider",
        "workspaceSymbolProvider",
    ] {
        assert_eq!(capabilities[provider], true, "{provider}: {answer}");
    }
    assert_eq!(answer["result"]["serverInfo"]["name"], "okr");
    client.notify("initialized", json!({}));

    // Opened with two problems: both reported, placed in UTF-16 columns, linked to their rule.
    let mut text = platform_with_problems();
    open(&mut client, &platform, &text);
    let diagnostics = client.diagnostics(&platform);
    assert_eq!(
        codes(&diagnostics),
        [("invalid-value", 1), ("kr-count", 1)],
        "{diagnostics:#?}"
    );
    let confidence = &diagnostics[0];
    // `7` is the 100th UTF-16 unit of its line (99th character): 🚀 takes two.
    assert_eq!(
        confidence["range"],
        json!({"start": at(9, 100), "end": at(9, 101)})
    );
    assert_eq!(confidence["source"], "okr");
    let href = confidence["codeDescription"]["href"].as_str().unwrap();
    assert!(href.ends_with("docs/rules.md#invalid-value"), "{href}");
    let message = confidence["message"].as_str().unwrap();
    assert!(
        message.contains("between 0 and 1") && message.contains("\nhelp: "),
        "{message}"
    );

    // Fixing one problem in the unsaved text leaves the other.
    text = text.replace("confidence: 7}", "confidence: 0.7}");
    change(&mut client, &platform, 2, &text);
    assert_eq!(codes(&client.diagnostics(&platform)), [("kr-count", 1)]);

    // Renaming the objective platform aligns to, in the other open file, reaches platform's diagnostics.
    let company_text =
        std::fs::read_to_string(repo.path().join("okrs/2026-Q3/company.yaml")).unwrap();
    open(&mut client, &company, &company_text);
    assert_eq!(client.diagnostics(&company), Vec::<Value>::new());
    let renamed = company_text.replace("id: customer-trust", "id: customer-love");
    change(&mut client, &company, 2, &renamed);
    assert_eq!(client.diagnostics(&company), Vec::<Value>::new());
    let diagnostics = client.diagnostics(&platform);
    assert_eq!(
        codes(&diagnostics),
        [("unknown-alignment", 1), ("kr-count", 1)],
        "{diagnostics:#?}"
    );
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `company/customer-love`?"),
        "{diagnostics:#?}"
    );
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": at(7, 15), "end": at(7, 37)})
    );
    change(&mut client, &company, 3, &company_text);
    client.diagnostics(&company);
    assert_eq!(codes(&client.diagnostics(&platform)), [("kr-count", 1)]);

    // The outline: objectives holding their key results.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": platform}}),
    )["result"]
        .clone();
    let names: Vec<(&str, Vec<&str>)> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let children = o["children"].as_array().unwrap();
            (
                o["name"].as_str().unwrap(),
                children
                    .iter()
                    .map(|k| k["name"].as_str().unwrap())
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            ("boring-deploys", vec!["failed-deploys", "rollback-runbook"]),
            ("faster-builds", vec!["build-minutes"]),
        ]
    );
    assert_eq!(symbols[0]["detail"], "Make deploys boring");
    assert_eq!(
        symbols[0]["selectionRange"],
        json!({"start": at(4, 8), "end": at(4, 22)})
    );
    assert_eq!(
        symbols[0]["children"][0]["selectionRange"],
        json!({"start": at(9, 38), "end": at(9, 52)})
    );

    // From `aligns_to: company/customer-trust` to the objective's id in company's file.
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": platform}, "position": at(7, 20)}),
    );
    assert_eq!(
        definition["result"],
        json!({"uri": company, "range": {"start": at(3, 8), "end": at(3, 22)}})
    );

    // Hover on the key result's id, after the emoji: where it stands and its score as okr report gives it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": platform}, "position": at(9, 45)}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    for expected in [
        "`platform/boring-deploys/failed-deploys`",
        "🚀 東京 failures",
        "5 of target 2 (start 12)",
        "confidence 0.7",
        "score **0.7**",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": platform}, "position": at(4, 10)}),
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    for expected in [
        "**Objective** `platform/boring-deploys`",
        "committed · active",
        "aligns to `company/customer-trust`",
        // failed-deploys 0.7, rollback-runbook not done 0: the mean.
        "score **0.35**",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": platform}, "position": at(0, 0)}),
    );
    assert_eq!(nothing["result"], Value::Null);

    let unknown = client.request("textDocument/formatting", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.request("textDocument/hover", json!({"nonsense": 1}));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null, "{shutdown}");
    let late = client.request("textDocument/hover", json!({}));
    assert_eq!(late["error"]["code"], -32600, "after shutdown: {late}");
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
    // The server wrote nothing into the repository.
    assert_eq!(repo.git(&["status", "--porcelain"]), "M okr.toml");
}

#[test]
fn lsp_survives_any_bytes_in_a_buffer_and_messages_that_are_not_json() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &team_file("platform"));
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());

    let every_char: String = (0u32..0x2ff).filter_map(char::from_u32).collect();
    let garbage = [
        every_char.as_str(),
        "\u{0}\u{0}quarter: \u{feff}\u{fffd}\t- [\n  {{{{\n",
        "objectives:\n  - id: \"\\x\n    title: 🚀",
        "\u{feff}",
        "",
        &"[".repeat(10_000),
        // Findings with fixes, around characters of every width and a byte order mark.
        "\u{feff}quartr: 2026-Q2\nteam: p\nobjectives:\n  - {id: 🚀, taget: 1, status: dropped}\n  - id: x\n    status: dropped\n    dropped: {}\n    key_results: [{id: b, title: 東, start: 1, target: 2, confidence: 70, dne: 1}]\n",
        "quarter: 2026-Q3\nteam: platform\nobjectives:\n  - id: a\n    aligns_to: 🚀/東京\n    key_results: [{id: b, title: 🚀\u{200d}👩, start: 1e400, target: -0}]\n",
    ];
    for (version, text) in garbage.iter().enumerate() {
        change(&mut client, &platform, version as i64 + 2, text);
        let diagnostics = client.diagnostics(&platform);
        for d in &diagnostics {
            assert!(d["range"]["start"]["line"].is_u64(), "{d}");
        }
        for method in [
            "textDocument/documentSymbol",
            "textDocument/hover",
            "textDocument/definition",
        ] {
            let answer = client.request(
                method,
                json!({"textDocument": {"uri": platform}, "position": at(4, 13)}),
            );
            assert!(
                answer.get("result").is_some(),
                "{method} on {text:?}: {answer}"
            );
        }
        let whole = json!({"start": at(0, 0), "end": at(10_000, 0)});
        let answer = client.request(
            "textDocument/codeAction",
            json!({"textDocument": {"uri": platform}, "range": whole, "context": {"diagnostics": []}}),
        );
        assert!(
            answer["result"].is_array(),
            "codeAction on {text:?}: {answer}"
        );
    }

    // Bytes that are not UTF-8 inside the text, and a body that is not JSON at all.
    let mut body = format!(
        r#"{{"jsonrpc":"2.0","method":"textDocument/didChange","params":{{"textDocument":{{"uri":"{platform}","version":99}},"contentChanges":[{{"text":"quarter: "#
    )
    .into_bytes();
    body.extend_from_slice(b"\xff\xfe\xc3(\\n\"}]}}");
    client.write_raw(&body);
    let diagnostics = client.diagnostics(&platform);
    assert!(!diagnostics.is_empty(), "the text with U+FFFD has problems");
    client.write_raw(b"{this is not json");
    let error = client.next();
    assert_eq!(error["error"]["code"], -32700, "{error}");
    assert_eq!(error["id"], Value::Null);

    // Still serving.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": platform}}),
    );
    assert!(symbols.get("result").is_some(), "{symbols}");
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 0);
}

#[test]
fn lsp_exit_without_shutdown_ends_with_status_1() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    client.notify("exit", Value::Null);
    assert_eq!(client.wait(), 1);
}

#[test]
fn lsp_leaves_files_outside_the_okr_folder_alone() {
    let repo = planned();
    repo.write(".github/workflows/ci.yaml", "on: push\njobs: {}\n");
    let mut client = Client::initialized(&repo);
    let outside = uri(&repo, ".github/workflows/ci.yaml");
    open(&mut client, &outside, "on: push\njobs: {}\n");
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": outside}}),
    );
    assert_eq!(symbols["result"], Value::Null, "{symbols}");
    // Answers come in order, so a diagnostic for the file would have come before.
    assert!(
        client
            .queue
            .iter()
            .all(|m| m["method"] != "textDocument/publishDiagnostics"),
        "{:?}",
        client.queue
    );
    // Closing stdin without exit: the server ends, with 1.
    client.stdin = None;
    assert_eq!(client.wait(), 1);
}

#[test]
fn lsp_checks_the_first_file_opened_through_a_linked_repository_path() {
    let repo = planned();
    let elsewhere = tempfile::tempdir().unwrap();
    let link = elsewhere.path().join("linked-repo");
    std::os::unix::fs::symlink(repo.path().canonicalize().unwrap(), &link).unwrap();
    let mut client = Client::start(&repo);
    // No folder: the workspace is loaded when its first file is opened.
    let answer = client.request(
        "initialize",
        json!({"processId": null, "rootUri": null, "capabilities": {}}),
    );
    assert!(answer.get("result").is_some(), "{answer}");
    client.notify("initialized", json!({}));
    let platform = file_uri(&link.join("okrs/2026-Q3/platform.yaml"));
    open(&mut client, &platform, &platform_with_problems());
    let diagnostics = client
        .published(&platform)
        .expect("diagnostics for the linked path");
    assert_eq!(
        codes(&diagnostics),
        [("invalid-value", 1), ("kr-count", 2)],
        "{diagnostics:#?}"
    );
}

#[test]
fn lsp_ignores_changes_to_documents_never_opened_and_rereads_them_when_saved() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let company_text =
        std::fs::read_to_string(repo.path().join("okrs/2026-Q3/company.yaml")).unwrap();
    let renamed = company_text.replace("id: customer-trust", "id: customer-love");
    let mut client = Client::initialized(&repo);

    // A change to company's file, which was never opened: the disk's text stays what the server holds.
    change(&mut client, &company, 2, &renamed);
    open(&mut client, &platform, &team_file("platform"));
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    assert_eq!(client.published(&company), None);

    // Saved without being opened: what is on disk now is read.
    repo.write("okrs/2026-Q3/company.yaml", &renamed);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": company}}),
    );
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("unknown-alignment", 1)]
    );
    // Still not open: the next save reads the disk again.
    repo.write("okrs/2026-Q3/company.yaml", &company_text);
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": company}}),
    );
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    assert_eq!(client.published(&company), None);
}

#[test]
fn lsp_reads_closed_files_again_when_they_change_on_disk() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company_path = "okrs/2026-Q3/company.yaml";
    let company_text = std::fs::read_to_string(repo.path().join(company_path)).unwrap();
    let mut client = Client::initialized(&repo);
    let text = team_file("platform");
    open(&mut client, &platform, &text);
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    let search = |client: &mut Client, query: &str| -> Vec<String> {
        let answer = client.request("workspace/symbol", json!({"query": query}));
        answer["result"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert!(
        search(&mut client, "company/customer-trust")
            .contains(&"company/customer-trust".to_owned())
    );

    // A pull renames the objective platform aligns to, in a file the editor never opened.
    repo.write(
        company_path,
        &company_text.replace("id: customer-trust", "id: customer-love"),
    );
    change(&mut client, &platform, 2, &text);
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("unknown-alignment", 1)]
    );

    // The file goes away: nothing of it is left, in the findings or the symbols.
    repo.remove(company_path);
    change(&mut client, &platform, 3, &text);
    let diagnostics = client.diagnostics(&platform);
    assert_eq!(codes(&diagnostics), [("unknown-alignment", 1)]);
    assert!(
        !diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean"),
        "{diagnostics:#?}"
    );
    assert_eq!(search(&mut client, "company/"), Vec::<String>::new());

    // And comes back, as a new file.
    repo.write(company_path, &company_text);
    change(&mut client, &platform, 4, &text);
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    assert!(
        search(&mut client, "company/customer-trust")
            .contains(&"company/customer-trust".to_owned())
    );
}

#[test]
fn lsp_places_findings_on_the_right_line_when_lines_end_with_a_lone_carriage_return() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    open(
        &mut client,
        &platform,
        &platform_with_problems().replace('\n', "\r"),
    );
    let diagnostics = client.diagnostics(&platform);
    assert_eq!(
        codes(&diagnostics),
        [("invalid-value", 1), ("kr-count", 2)],
        "{diagnostics:#?}"
    );
    // The same place as with `\n` endings: the `7` on line 10.
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": at(9, 100), "end": at(9, 101)})
    );
}

#[test]
fn lsp_close_clears_diagnostics_and_brings_the_disk_version_back_into_cross_file_checks() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &team_file("platform"));
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    // company's unsaved text renames the objective platform aligns to, and breaks itself.
    let renamed = company_file().replace("id: customer-trust", "id: customer-love");
    open(&mut client, &company, &format!("{renamed}bogus_field: 1\n"));
    assert!(!client.diagnostics(&company).is_empty());
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("unknown-alignment", 1)]
    );

    // Closed unsaved: its diagnostics are cleared, and the file on disk is what platform aligns to again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": company}}),
    );
    assert_eq!(client.diagnostics(&company), Vec::<Value>::new());
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": platform}, "position": at(7, 20)}),
    );
    assert_eq!(definition["result"]["uri"], company, "{definition}");
}

#[test]
fn lsp_publishes_the_edited_file_before_the_files_its_edit_touches() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &team_file("platform"));
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
    open(&mut client, &company, &company_file());
    client.diagnostics(&company);

    // Renaming the objective platform aligns to: company's own diagnostics are sent before platform is
    // checked again (the editor waits for the file it edits), and platform's, at its own version, right after.
    let renamed = company_file().replace("id: customer-trust", "id: customer-love");
    change(&mut client, &company, 2, &renamed);
    let mut published = Vec::new();
    while published.len() < 2 {
        let message = client.next();
        if message["method"] == "textDocument/publishDiagnostics" {
            published.push(message["params"].clone());
        }
    }
    assert_eq!(published[0]["uri"], company, "{published:?}");
    assert_eq!(published[0]["version"], 2, "{published:?}");
    assert_eq!(published[1]["uri"], platform, "{published:?}");
    assert_eq!(published[1]["version"], 1, "{published:?}");
    let diagnostics = published[1]["diagnostics"].as_array().unwrap();
    assert_eq!(codes(diagnostics), [("unknown-alignment", 1)]);
}

#[test]
fn lsp_serves_files_whose_path_has_spaces_and_non_ascii_characters() {
    let repo = GitRepo::new();
    repo.write("okr.toml", "dir = \"our plans/équipe 東京\"\n");
    repo.write(
        "our plans/équipe 東京/2026-Q3/company.yaml",
        &company_file(),
    );
    repo.write(
        "our plans/équipe 東京/2026-Q3/platform.yaml",
        &team_file("platform"),
    );
    let platform = uri(&repo, "our plans/équipe 東京/2026-Q3/platform.yaml");
    let company = uri(&repo, "our plans/équipe 東京/2026-Q3/company.yaml");
    assert!(
        platform.contains("our%20plans/%C3%A9quipe%20%E6%9D%B1%E4%BA%AC"),
        "{platform}"
    );
    let mut client = Client::initialized(&repo);
    open(&mut client, &platform, &platform_with_problems());
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("invalid-value", 1), ("kr-count", 2)]
    );
    let definition = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": platform}, "position": at(7, 20)}),
    );
    assert_eq!(definition["result"]["uri"], company, "{definition}");
    let symbols = client.request("workspace/symbol", json!({"query": "customer-trust"}));
    assert_eq!(
        symbols["result"][0]["location"]["uri"], company,
        "{symbols}"
    );
}

#[test]
fn lsp_reads_okr_toml_again_when_it_changes_and_keeps_the_last_good_one() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let mut client = Client::initialized(&repo);
    let text = platform_with_problems();
    open(&mut client, &platform, &text);
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("invalid-value", 1), ("kr-count", 2)]
    );

    // New severities apply at the next change.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[rules]\nkr-count = \"error\"\n",
    );
    change(&mut client, &platform, 2, &text);
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("invalid-value", 1), ("kr-count", 1)]
    );

    // A broken okr.toml: said once, as a warning, and the last good one stays.
    repo.write("okr.toml", "dir = \"okrs\"\n[rules\n");
    change(&mut client, &platform, 3, &text);
    assert_eq!(
        client.published(&platform).map(|d| codes(&d).len()),
        Some(2)
    );
    let warning = client
        .queue
        .iter()
        .find(|m| m["method"] == "window/showMessage")
        .expect("a warning about okr.toml")
        .clone();
    assert_eq!(warning["params"]["type"], 2, "{warning}");
    let message = warning["params"]["message"].as_str().unwrap();
    assert!(message.contains("okr.toml"), "{message}");
    change(&mut client, &platform, 4, &text);
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("invalid-value", 1), ("kr-count", 1)]
    );

    // Mended, with kr-count allowed: it is not shown.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[rules]\nkr-count = \"allow\"\n",
    );
    change(&mut client, &platform, 5, &text);
    let diagnostics = client.published(&platform).unwrap();
    assert_eq!(codes(&diagnostics), [("invalid-value", 1)]);

    // Another `dir`: platform's file is no longer an OKR file, and its diagnostics are cleared.
    repo.write("okr.toml", "dir = \"elsewhere\"\n");
    change(&mut client, &platform, 6, &text);
    assert_eq!(client.published(&platform), Some(Vec::new()));
}

#[test]
fn lsp_asks_a_client_that_can_to_watch_files_and_reads_again_what_it_reports() {
    let repo = planned();
    let platform = uri(&repo, "okrs/2026-Q3/platform.yaml");
    let company = uri(&repo, "okrs/2026-Q3/company.yaml");
    let mut client = Client::start(&repo);
    let mut params = initialize_params(&repo);
    params["capabilities"] =
        json!({"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}});
    let answer = client.request("initialize", params);
    assert!(answer.get("result").is_some(), "{answer}");
    client.notify("initialized", json!({}));
    let registration = client.next();
    assert_eq!(
        registration["method"], "client/registerCapability",
        "{registration}"
    );
    let register = &registration["params"]["registrations"][0];
    assert_eq!(register["method"], "workspace/didChangeWatchedFiles");
    let patterns = register["registerOptions"]["watchers"].to_string();
    assert!(
        patterns.contains("**/okr.toml")
            && patterns.contains("**/okrs/**/*.{yaml,yml}")
            && patterns.contains("**/.git/HEAD")
            && patterns.contains("**/.git/refs/**"),
        "{patterns}"
    );
    // The OKR folder itself, deleted or moved (deletions only: kind 4).
    assert!(
        patterns.contains(r#"{"globPattern":"**/okrs/**","kind":4}"#),
        "{patterns}"
    );
    client.send(json!({"jsonrpc": "2.0", "id": registration["id"], "result": null}));

    let text = platform_with_problems();
    open(&mut client, &platform, &text);
    assert_eq!(
        codes(&client.diagnostics(&platform)),
        [("invalid-value", 1), ("kr-count", 2)]
    );
    let watched = |client: &mut Client, uri: &str, kind: i64| {
        client.notify(
            "workspace/didChangeWatchedFiles",
            json!({"changes": [{"uri": uri, "type": kind}]}),
        );
    };

    // A pull renames the objective platform aligns to: seen with no change in the editor.
    let company_path = repo.path().join("okrs/2026-Q3/company.yaml");
    let company_text = std::fs::read_to_string(&company_path).unwrap();
    std::fs::write(
        &company_path,
        company_text.replace("id: customer-trust", "id: customer-love"),
    )
    .unwrap();
    watched(&mut client, &company, 2);
    assert_eq!(
        codes(&client.published(&platform).expect("platform checked again")),
        [
            ("unknown-alignment", 1),
            ("invalid-value", 1),
            ("kr-count", 2)
        ]
    );

    // Deleted: its symbols are gone.
    std::fs::remove_file(&company_path).unwrap();
    watched(&mut client, &company, 3);
    let symbols = client.request("workspace/symbol", json!({"query": "company/"}));
    assert_eq!(symbols["result"], json!([]), "{symbols}");

    // okr.toml: new severities reach the open file.
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\n[rules]\nkr-count = \"error\"\n",
    );
    watched(&mut client, &uri(&repo, "okr.toml"), 2);
    assert_eq!(
        codes(&client.published(&platform).expect("platform checked again")),
        [
            ("unknown-alignment", 1),
            ("invalid-value", 1),
            ("kr-count", 1)
        ]
    );
}

#[test]
fn lsp_answers_requests_whose_id_it_cannot_hold_with_invalid_request() {
    let repo = planned();
    let mut client = Client::initialized(&repo);
    for id in ["4294967296", "1.5", "null"] {
        client.write_raw(
            format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"workspace/symbol","params":{{"query":""}}}}"#)
                .as_bytes(),
        );
        let answer = client.next();
        assert_eq!(answer["error"]["code"], -32600, "{answer}");
        assert_eq!(answer["id"].to_string(), id, "{answer}");
    }
    let symbols = client.request("workspace/symbol", json!({"query": "platform/"}));
    assert!(symbols["result"].is_array(), "{symbols}");
}
