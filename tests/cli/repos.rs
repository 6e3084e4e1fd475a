//! Broken or unusual repositories: each gives a correct report or a clear error with exit 2, never a panic.
//! And okr changes nothing in a repository it reads.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use crate::repo::{GitRepo, company_file, plan, planned, team_file};
use crate::support::{Run, okr};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

fn assert_clear_failure(run: &Run, mentions: &str) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(run.stderr.starts_with("okr: error: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(mentions),
        "expected `{mentions}` in: {}",
        run.stderr
    );
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
}

fn event_count(run: &Run) -> usize {
    assert_eq!(run.code, 0, "{}", run.stderr);
    run.json()["events"].as_array().unwrap().len()
}

#[test]
fn an_empty_repository_says_there_are_no_commits_yet() {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write(PLATFORM, &team_file("platform"));
    for args in [
        &["history", "--quarter", "2026-Q3"][..],
        &["diff"],
        &["report", "--quarter", "2026-Q3"],
        &["show", "--quarter", "2026-Q3"],
    ] {
        assert_clear_failure(&repo.okr(args), "no commits yet");
    }
    assert_eq!(
        repo.okr(&["validate"]).code,
        0,
        "validation needs no history"
    );
}

/// Git writes SHA-256 object ids where it was asked to (`git init --object-format=sha256`): history, diff,
/// show and report read them as they read SHA-1 ones, from loose objects and from packs with a commit-graph.
#[test]
fn a_sha256_repository_is_read_like_any_other() {
    let repo = plan(GitRepo::init(&["--object-format=sha256"]));
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &text.replacen("current: 12", "current: 9", 1));
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]).len(), 64, "a SHA-256 id");
    let history = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    let events = event_count(&history);
    assert!(events > 1, "{}", history.stdout);
    let progress = history.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "kr_progress")
        .cloned()
        .expect("the check-in");
    assert_eq!(progress["commit"].as_str().unwrap().len(), 64);

    repo.git(&["gc", "-q"]);
    repo.git(&["commit-graph", "write", "--reachable"]);
    let packed = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(event_count(&packed), events, "packed: {}", packed.stderr);
    for args in [
        &["diff", "base", "HEAD"][..],
        &["diff", "--check", "base..HEAD"],
        &["show", "--quarter", "2026-Q3"],
        &["report", "--quarter", "2026-Q3"],
        &["validate"],
    ] {
        let run = repo.okr(args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    }
}

/// The git library okr reads with cannot read refs kept in git's reftable format; such a repository would
/// look as if it had no commits, so it is named instead, with what to do.
#[test]
fn a_reftable_repository_is_named_as_unsupported_with_what_to_do() {
    let repo = plan(GitRepo::init(&["--ref-format=reftable"]));
    for args in [
        &["history", "--quarter", "2026-Q3"][..],
        &["diff"],
        &["report", "--quarter", "2026-Q3"],
        &["show", "--quarter", "2026-Q3"],
    ] {
        let run = repo.okr(args);
        assert_clear_failure(
            &run,
            "refs are stored in the reftable format (extensions.refStorage = reftable)",
        );
        assert!(
            run.stderr.contains("git clone --ref-format=files"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        repo.okr(&["validate"]).code,
        0,
        "validation reads files, not refs"
    );
    // What the help says to do works: a clone with refs as files is read.
    let elsewhere = tempfile::tempdir().unwrap();
    let clone = elsewhere.path().join("clone");
    repo.git(&[
        "clone",
        "-q",
        "--ref-format=files",
        ".",
        clone.to_str().unwrap(),
    ]);
    let run = okr(
        &clone,
        &["history", "--quarter", "2026-Q3", "--format", "json"],
    );
    assert!(event_count(&run) > 0);
}

#[test]
fn a_detached_head_a_bare_repository_and_a_worktree_are_read_like_any_clone() {
    let repo = planned();
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &text.replacen("current: 12", "current: 9", 1));
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    let full = event_count(&repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]));
    repo.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    assert_eq!(
        event_count(&repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"])),
        full - 1
    );
    repo.git(&["checkout", "-q", "main"]);

    let elsewhere = tempfile::tempdir().unwrap();
    let bare = elsewhere.path().join("bare.git");
    repo.git(&["clone", "-q", "--bare", ".", bare.to_str().unwrap()]);
    assert_eq!(
        event_count(&okr(
            &bare,
            &["history", "--quarter", "2026-Q3", "--format", "json"]
        )),
        full
    );

    let worktree = elsewhere.path().join("wt");
    repo.git(&[
        "worktree",
        "add",
        "-q",
        worktree.to_str().unwrap(),
        "HEAD~1",
    ]);
    assert_eq!(
        event_count(&okr(
            &worktree,
            &["history", "--quarter", "2026-Q3", "--format", "json"]
        )),
        full - 1
    );
}

#[test]
fn commits_with_identical_timestamps_are_all_read() {
    let repo = planned();
    for current in ["10", "9", "8"] {
        let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
        let at = text.find("        current: ").unwrap();
        let end = at + text[at..].find('\n').unwrap();
        repo.write(
            PLATFORM,
            &format!("{}        current: {current}{}", &text[..at], &text[end..]),
        );
        repo.commit("2026-07-20T10:00:00+00:00", "Dana Li", "Same second");
    }
    let run = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    let progress: Vec<i64> = run.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "kr_progress")
        .map(|e| e["to"].as_i64().unwrap())
        .collect();
    assert_eq!(
        progress,
        [10, 9, 8],
        "parents before children even when the clock does not tell them apart"
    );
}

/// Writes a commit object by hand, for dates and names `git commit` refuses to write.
fn raw_commit(repo: &GitRepo, author: &[u8], seconds: &str, message: &[u8]) -> String {
    let tree = repo.git(&["write-tree"]);
    let parent = repo.git(&["rev-parse", "HEAD"]);
    let mut object = format!("tree {tree}\nparent {parent}\n").into_bytes();
    for role in ["author", "committer"] {
        object.extend_from_slice(role.as_bytes());
        object.push(b' ');
        object.extend_from_slice(author);
        object.extend_from_slice(format!(" <x@example.com> {seconds} +0000\n").as_bytes());
    }
    object.push(b'\n');
    object.extend_from_slice(message);
    let mut child = Command::new("git")
        .args([
            "hash-object",
            "-t",
            "commit",
            "-w",
            "--literally",
            "--stdin",
        ])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&object).unwrap();
    let output = child.wait_with_output().unwrap();
    let id = String::from_utf8(output.stdout).unwrap().trim().to_owned();
    repo.git(&["update-ref", "HEAD", &id]);
    id
}

#[test]
fn dates_before_1970_and_far_in_the_future_and_non_utf8_names_are_reported() {
    let repo = planned();
    for (seconds, name) in [
        ("-315619200", &b"Old Timer"[..]),
        ("32503680000", b"Jos\xe9 Future"),
        ("99999999999999", b"\xff\xfe"),
    ] {
        let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
        repo.write(
            PLATFORM,
            &text.replacen("        target: ", "        target: 1", 1),
        );
        repo.git(&["add", "-A"]);
        raw_commit(
            &repo,
            name,
            seconds,
            b"caf\xe9: odd commit\n\nReason: \xe9t\xe9\n",
        );
    }
    let run = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let targets: Vec<&serde_json::Value> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "kr_target_changed")
        .collect();
    assert_eq!(targets.len(), 3);
    // A commit dated before its parent is taken as made at its parent's date, with a warning naming it.
    assert!(
        targets[0]["date"]
            .as_str()
            .unwrap()
            .starts_with("2026-06-25"),
        "{}",
        targets[0]["date"]
    );
    let warned: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["commit"] == targets[0]["commit"])
        .map(|w| w["message"].as_str().unwrap())
        .collect();
    assert!(
        warned.len() == 1 && warned[0].contains("1960-01-01, before its parent (2026-06-25)"),
        "{warned:?}"
    );
    assert!(
        targets[1]["date"].as_str().unwrap().starts_with("3000-"),
        "{}",
        targets[1]["date"]
    );
    assert_eq!(targets[1]["author"], "Jos\u{fffd} Future");
    assert_eq!(targets[1]["reason"], "\u{fffd}t\u{fffd}");
    assert_eq!(repo.okr(&["history", "--quarter", "2026-Q3"]).code, 0);
    assert_eq!(
        repo.okr(&["report", "--quarter", "2026-Q3", "--format", "html"])
            .code,
        0
    );
}

#[test]
fn an_okr_file_replaced_by_a_folder_is_read_as_what_it_holds() {
    let repo = planned();
    std::fs::remove_file(repo.path().join(PLATFORM)).unwrap();
    repo.write("okrs/2026-Q3/platform.yaml/infra.yaml", &team_file("infra"));
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Odd layout");
    let run = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    let json = run.json();
    let mid: Vec<(String, String)> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["mid_quarter"] == true && e["key_result"].is_null())
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_owned(),
                e["team"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(
        mid.contains(&("objective_removed".to_owned(), "platform".to_owned())),
        "{mid:?}"
    );
    // The infra team's file appears for the first time: its plan, written late, not a pivot.
    let late: Vec<&str> = json["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["planned_late"] == true && e["kind"] == "objective_added")
        .map(|e| e["team"].as_str().unwrap())
        .collect();
    assert!(late.contains(&"infra"), "{late:?}");
}

#[test]
fn thousands_of_refs_do_not_change_the_answer() {
    let repo = planned();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let before = event_count(&repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]));
    let refs: String = (0..5000)
        .map(|i| format!("create refs/tags/t{i} {head}\n"))
        .collect();
    let mut child = Command::new("git")
        .args(["update-ref", "--stdin"])
        .current_dir(repo.path())
        .stdin(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(refs.as_bytes())
        .unwrap();
    assert!(child.wait().unwrap().success());
    repo.git(&["pack-refs", "--all"]);
    assert_eq!(
        event_count(&repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"])),
        before
    );
    assert_eq!(
        repo.okr(&["diff", "t4999", "HEAD", "--format", "json"])
            .code,
        0
    );
}

#[test]
fn a_missing_object_is_named_with_what_to_do() {
    let repo = planned();
    let blob = repo.git(&["rev-parse", &format!("HEAD:{PLATFORM}")]);
    std::fs::remove_file(
        repo.path()
            .join(format!(".git/objects/{}/{}", &blob[..2], &blob[2..])),
    )
    .unwrap();
    let run = repo.okr(&["history", "--quarter", "2026-Q3"]);
    assert_clear_failure(&run, &blob);
    assert!(run.stderr.contains("blobless"), "{}", run.stderr);
}

#[test]
fn a_blobless_clone_is_named_with_what_to_do() {
    let repo = planned();
    repo.git(&["config", "uploadpack.allowFilter", "true"]);
    let elsewhere = tempfile::tempdir().unwrap();
    let clone = elsewhere.path().join("blobless");
    let url = format!("file://{}", repo.path().display());
    let status = Command::new("git")
        .args([
            "clone",
            "-q",
            "--filter=blob:none",
            "--no-checkout",
            &url,
            clone.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let run = okr(&clone, &["history", "--quarter", "2026-Q3"]);
    assert_clear_failure(&run, "partial (blobless) clone");
}

#[test]
fn a_path_outside_any_repository_is_a_clear_error() {
    let plain = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(plain.path().join("okrs/2026-Q3")).unwrap();
    let run = okr(plain.path(), &["history", "--quarter", "2026-Q3"]);
    assert_clear_failure(&run, "not inside a git repository");
    assert_clear_failure(
        &okr(plain.path(), &["-C", "/no/such/folder", "validate"]),
        "/no/such/folder",
    );
}

/// Every file under `dir` (including `.git`) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| {
            let path = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let bytes = if e.file_type().is_file() {
                std::fs::read(e.path()).unwrap()
            } else {
                Vec::new()
            };
            (path, bytes)
        })
        .collect()
}

#[test]
fn every_command_but_init_leaves_the_repository_byte_for_byte_unchanged() {
    let repo = planned();
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &text.replacen("target: 2", "target: 4", 1));
    repo.commit("2026-08-01T10:00:00+02:00", "Dana Li", "Ease");
    repo.write(PLATFORM, &text.replacen("current: 12", "current: 6", 1));
    let before = snapshot(repo.path());
    let out = tempfile::tempdir().unwrap();
    let page = out.path().join("page.html");
    let page = page.to_str().unwrap();
    let commands: &[&[&str]] = &[
        &["validate"],
        &["validate", "--format", "sarif"],
        &["history", "--quarter", "2026-Q3"],
        &[
            "history",
            "--quarter",
            "2026-Q3",
            "--format",
            "html",
            "-o",
            page,
        ],
        &["diff"],
        &["diff", "HEAD~1", "HEAD", "--format", "markdown"],
        &["diff", "--check", "HEAD~1"],
        &["show", "--quarter", "2026-Q3", "--at", "2026-07-20"],
        &["report", "--quarter", "2026-Q3", "--format", "json"],
        &[
            "report",
            "--quarter",
            "2026-Q3",
            "--format",
            "html",
            "-o",
            page,
        ],
        &["schema"],
        &["rules"],
        &["man"],
        &["completions", "bash"],
    ];
    for args in commands {
        let run = repo.okr(args);
        assert!(run.code <= 1, "{args:?}: {}", run.stderr);
        assert!(
            before == snapshot(repo.path()),
            "`okr {}` changed the repository",
            args.join(" ")
        );
    }
}

#[test]
fn a_crash_is_one_line_asking_for_a_report_and_exit_70() {
    let repo = planned();
    let output = crate::support::okr_command(repo.path())
        .env("OKR_DEBUG_PANIC", "1")
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(70));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bug in okr") && stderr.contains(env!("CARGO_PKG_VERSION")),
        "{stderr}"
    );
    let with_trace = crate::support::okr_command(repo.path())
        .env("OKR_DEBUG_PANIC", "1")
        .env("RUST_BACKTRACE", "1")
        .arg("validate")
        .output()
        .unwrap();
    assert_eq!(with_trace.status.code(), Some(70));
    assert!(String::from_utf8_lossy(&with_trace.stderr).contains("panicked"));
}

#[cfg(unix)]
#[test]
fn history_into_a_closed_pipe_ends_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    assert_eq!(
        okr(
            dir.path(),
            &["demo", demo.to_str().unwrap(), "--format", "json"]
        )
        .code,
        0
    );
    let mut child = crate::support::okr_command(&demo)
        .args(["history", "--quarter", "2026-Q3", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut head = [0u8; 64];
    child.stdout.take().unwrap().read_exact(&mut head).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// `okr report` reads the state where its history ends from the revisions the history parsed. A file broken
/// in that last commit is still left out of the state (the history's stand-in, its last good revision, is
/// history's alone), with the warning that says so.
#[test]
fn a_report_leaves_out_a_file_broken_in_its_last_commit() {
    let repo = plan(GitRepo::new());
    repo.write("okrs/2026-Q3/web.yaml", &team_file("web"));
    repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Plan web");
    let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
    repo.write(PLATFORM, &text.replacen("current: 12", "current: 9", 1));
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    repo.write(PLATFORM, &format!("{text}objectives: [\n"));
    repo.commit("2026-07-21T10:00:00+02:00", "Dana Li", "Break it");

    let run = repo.okr(&["report", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let json = run.json();
    let teams: Vec<&str> = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["team"].as_str().unwrap())
        .collect();
    assert_eq!(teams, ["company", "web"]);
    let warnings = json["warnings"].to_string();
    assert!(
        warnings.contains(PLATFORM) && warnings.contains("unreadable revision"),
        "{warnings}"
    );
}
