//! `okr lsp` and the change policy: a change of the editor's text that `okr diff --check` would refuse once
//! committed (a target made easier after kickoff, with no reason) is a warning at the changed key result,
//! with "add a reason" writing the `notes:` line the policy reads; filled in, the warning goes.

use serde_json::{Value, json};

use crate::lsp::{Client, change, open, uri};
use crate::lsp_actions::{actions, apply, with_code};
use crate::repo::{GitRepo, planned, team_file};
use crate::support::{Run, okr_command};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// 2026-Q3's kickoff is 2026-07-15 (the quarter's first 14 days are its planning window).
const MID_QUARTER: &str = "2026-08-12";
const PLANNING: &str = "2026-07-05";
const AFTER_THE_QUARTER: &str = "2026-10-05";

fn client_on(repo: &GitRepo, today: &str) -> Client {
    let mut command = okr_command(repo.path());
    command.env("OKR_TODAY", today);
    Client::run(command).initialize(repo)
}

fn refusals(diagnostics: &[Value]) -> Vec<&Value> {
    diagnostics
        .iter()
        .filter(|d| d["code"] == "change-without-reason")
        .collect()
}

/// The platform file with `failed-deploys`' target (2, from a start of 12) set to `target`.
fn with_target(target: &str) -> String {
    team_file("platform").replace(
        "        target: 2\n",
        &format!("        target: {target}\n"),
    )
}

#[test]
fn lsp_warns_of_an_easier_target_after_kickoff_until_notes_say_why() {
    let repo = planned();
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    open(&mut client, &uri, &team_file("platform"));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    let eased = with_target("4");
    change(&mut client, &uri, 2, &eased);
    let diagnostics = client.diagnostics(&uri);
    let refusal = with_code(&diagnostics, "change-without-reason").clone();
    assert_eq!(refusals(&diagnostics).len(), 1, "{diagnostics:?}");
    // At the key result (`- id: failed-deploys`, line 10), as a warning: a commit trailer may still say why.
    assert_eq!(refusal["range"]["start"]["line"], 9);
    assert_eq!(refusal["severity"], 2);
    let message = refusal["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "key result `failed-deploys` of `boring-deploys` was made easier without a reason: target 2 → 4\nhelp: "
        ),
        "{message}"
    );

    let offered = actions(
        &mut client,
        &uri,
        &refusal["range"],
        std::slice::from_ref(&refusal),
    );
    let action = offered
        .iter()
        .find(|a| a["title"] == "add a reason (`notes`) to fill in")
        .unwrap_or_else(|| panic!("{offered:?}"));
    assert_eq!(action["kind"], "quickfix");
    assert_eq!(action["isPreferred"], false);
    let drafted = apply(&eased, action, &uri);
    assert_eq!(
        drafted,
        eased.replace(
            "        current: 12\n",
            "        current: 12\n        notes: \n"
        )
    );

    // The line to fill in is no reason yet, and a second one is not offered.
    change(&mut client, &uri, 3, &drafted);
    let diagnostics = client.diagnostics(&uri);
    let refusal = with_code(&diagnostics, "change-without-reason").clone();
    let offered = actions(
        &mut client,
        &uri,
        &refusal["range"],
        std::slice::from_ref(&refusal),
    );
    assert!(
        offered
            .iter()
            .all(|a| a["title"] != "add a reason (`notes`) to fill in"),
        "{offered:?}"
    );

    let explained = drafted.replace("notes: \n", "notes: The on-call team was halved\n");
    change(&mut client, &uri, 4, &explained);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
}

#[test]
fn lsp_says_nothing_of_a_harder_target_a_new_file_or_a_change_while_planning() {
    let repo = planned();
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    open(&mut client, &uri, &team_file("platform"));
    client.diagnostics(&uri);
    change(&mut client, &uri, 2, &with_target("1"));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // A team's file HEAD does not have yet: its plan, whenever it is written.
    let new = crate::lsp::uri(&repo, "okrs/2026-Q3/search.yaml");
    open(&mut client, &new, &team_file("search"));
    assert_eq!(refusals(&client.diagnostics(&new)), Vec::<&Value>::new());

    let mut client = client_on(&repo, PLANNING);
    open(&mut client, &uri, &with_target("4"));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
    // After the quarter the editor says what `okr diff --check` says of the same change: one model decides.
    let mut client = client_on(&repo, AFTER_THE_QUARTER);
    open(&mut client, &uri, &with_target("4"));
    assert_eq!(refusals(&client.diagnostics(&uri)).len(), 1);
    repo.write(PLATFORM, &with_target("4"));
    let check = Run::from(
        okr_command(repo.path())
            .args(["diff", "--check", "HEAD"])
            .env("OKR_TODAY", AFTER_THE_QUARTER)
            .output()
            .unwrap(),
    );
    assert_eq!(check.code, 1, "{}", check.stdout);
}

/// Commits `eased` as the platform file, outside the editor, with the reason in its message.
fn commit_with_its_reason(repo: &GitRepo, eased: &str) {
    repo.write(PLATFORM, eased);
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        &format!("Ease failed deploys\n\nReason: {REASON}"),
    );
}

/// Opens the platform file at `uri` with its target made easier, which the policy warns of once; returns
/// that text.
fn open_eased(client: &mut Client, uri: &str) -> String {
    let eased = with_target("4");
    open(client, uri, &eased);
    assert_eq!(refusals(&client.diagnostics(uri)).len(), 1);
    eased
}

/// The reason the tests' commits give.
const REASON: &str = "the on-call team was halved";

#[test]
fn lsp_reads_head_again_when_it_moves() {
    let repo = planned();
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    let eased = open_eased(&mut client, &uri);

    // Committed with a reason in the message: HEAD now has the easier target, so the text changes nothing.
    commit_with_its_reason(&repo, &eased);
    change(&mut client, &uri, 2, &eased);
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());
}

/// Tells the server that git's `relative` (a file of `.git`) changed, as a client watching git's refs does.
fn git_changed(client: &mut Client, repo: &GitRepo, relative: &str) {
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri(repo, relative), "type": 2}]}),
    );
}

#[test]
fn lsp_notices_a_commit_or_checkout_at_once_when_git_s_refs_change() {
    let repo = planned();
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    let eased = open_eased(&mut client, &uri);

    // Committed with its reason outside the editor: the warning goes with no edit, at the client's report.
    commit_with_its_reason(&repo, &eased);
    git_changed(&mut client, &repo, ".git/refs/heads/main");
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // The commit before checked out (HEAD detached): HEAD has the harder target again.
    repo.git(&["checkout", "-q", "--detach", "HEAD~1"]);
    git_changed(&mut client, &repo, ".git/HEAD");
    assert_eq!(refusals(&client.diagnostics(&uri)).len(), 1);

    // A report that moved nothing publishes nothing new.
    git_changed(&mut client, &repo, ".git/HEAD");
    assert_eq!(client.publications(&uri), Vec::<Value>::new());
}

#[test]
fn lsp_republishes_every_open_file_when_an_edit_notices_head_moved() {
    const NEXT_QUARTER: &str = "okrs/2026-Q4/platform.yaml";
    let repo = planned();
    let next = team_file("platform")
        .replace("2026-Q3", "2026-Q4")
        .replace("    aligns_to: company/customer-trust\n", "");
    repo.write(NEXT_QUARTER, &next);
    repo.commit("2026-06-26T10:00:00+02:00", "Dana Li", "Plan 2026-Q4");
    let mut client = client_on(&repo, MID_QUARTER);
    let platform = uri(&repo, PLATFORM);
    let eased = open_eased(&mut client, &platform);
    let other = uri(&repo, NEXT_QUARTER);
    open(&mut client, &other, &next);
    client.diagnostics(&other);

    // Committed with its reason, and no watcher reports it: an edit of a file of another quarter, which
    // asks where HEAD is, notices it, and the warning of the first goes too.
    commit_with_its_reason(&repo, &eased);
    change(&mut client, &other, 2, &format!("{next}\n"));
    client.diagnostics(&other);
    let published = client.publications(&platform);
    assert_eq!(published.len(), 1, "{published:?}");
    assert_eq!(published[0]["diagnostics"], json!([]));
    assert_eq!(published[0]["version"], 1);
}

#[test]
fn lsp_watches_a_linked_worktree_s_head_where_git_keeps_it() {
    let repo = planned();
    let outside = tempfile::tempdir().unwrap();
    let worktree = outside.path().canonicalize().unwrap().join("topic");
    let worktree_text = worktree.to_str().unwrap();
    repo.git(&["worktree", "add", "-q", "-b", "topic", worktree_text]);
    let file_uri =
        |path: &std::path::Path| lsp_types::Url::from_file_path(path).unwrap().to_string();
    let folder = lsp_types::Url::from_directory_path(&worktree)
        .unwrap()
        .to_string();

    let mut command = okr_command(&worktree);
    command.env("OKR_TODAY", MID_QUARTER);
    let mut client = Client::run(command);
    let capabilities = json!({"workspace": {"didChangeWatchedFiles":
        {"dynamicRegistration": true, "relativePatternSupport": true}}});
    let answer = client.request(
        "initialize",
        json!({"processId": null, "rootUri": folder, "capabilities": capabilities,
               "workspaceFolders": [{"uri": folder, "name": "topic"}]}),
    );
    assert!(answer.get("result").is_some(), "{answer}");
    client.notify("initialized", json!({}));
    let registration = client.request_from_server("client/registerCapability");
    let watchers =
        registration["params"]["registrations"][0]["registerOptions"]["watchers"].clone();
    // The worktree's HEAD is in the main repository's `.git/worktrees/topic`, outside the folder opened.
    let git_dir = repo.path().canonicalize().unwrap().join(".git");
    let head_folder = lsp_types::Url::from_directory_path(git_dir.join("worktrees/topic")).unwrap();
    let refs_folder = lsp_types::Url::from_directory_path(&git_dir).unwrap();
    for (base, pattern) in [(&head_folder, "HEAD"), (&refs_folder, "refs/**")] {
        let wanted = json!({"globPattern": {"baseUri": base.as_str(), "pattern": pattern}});
        assert!(
            watchers.as_array().unwrap().contains(&wanted),
            "{wanted} in {watchers}"
        );
    }

    let platform = file_uri(&worktree.join(PLATFORM));
    let eased = open_eased(&mut client, &platform);
    std::fs::write(worktree.join(PLATFORM), &eased).unwrap();
    repo.git(&[
        "-C",
        worktree_text,
        "commit",
        "-q",
        "-am",
        &format!("Ease failed deploys\n\nReason: {REASON}"),
    ]);
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": file_uri(&git_dir.join("worktrees/topic/HEAD")), "type": 2}]}),
    );
    assert_eq!(client.diagnostics(&platform), Vec::<Value>::new());
}

/// `okr diff --check HEAD`'s exit code on the working tree of `repo`, on `today`.
fn check_exit_code(repo: &GitRepo, today: &str) -> i32 {
    let check = Run::from(
        okr_command(repo.path())
            .args(["diff", "--check", "HEAD"])
            .env("OKR_TODAY", today)
            .output()
            .unwrap(),
    );
    assert!(check.code == 0 || check.code == 1, "{}", check.stderr);
    check.code
}

#[test]
fn lsp_compares_a_file_renamed_since_head_with_its_team_s_file_as_diff_check_does() {
    const RENAMED: &str = "okrs/2026-Q3/platform-team.yaml";
    let repo = planned();
    repo.rename(PLATFORM, RENAMED);
    let mut client = client_on(&repo, MID_QUARTER);
    let renamed = uri(&repo, RENAMED);

    // Only renamed: nothing changed, nothing to say, and check agrees.
    open(&mut client, &renamed, &team_file("platform"));
    assert_eq!(client.diagnostics(&renamed), Vec::<Value>::new());
    assert_eq!(check_exit_code(&repo, MID_QUARTER), 0);

    // Renamed and eased: the team's file at HEAD is the one it was, so the easier target is a change.
    let eased = with_target("4");
    change(&mut client, &renamed, 2, &eased);
    let diagnostics = client.diagnostics(&renamed);
    let refused = refusals(&diagnostics);
    assert_eq!(refused.len(), 1, "{diagnostics:?}");
    let message = refused[0]["message"].as_str().unwrap();
    assert!(message.contains("target 2 → 4"), "{message}");
    repo.write(RENAMED, &eased);
    assert_eq!(check_exit_code(&repo, MID_QUARTER), 1);

    // Another team's file at a new path is that team's first revision, not platform's: nothing.
    let new = uri(&repo, "okrs/2026-Q3/search.yaml");
    open(&mut client, &new, &team_file("search"));
    assert_eq!(refusals(&client.diagnostics(&new)), Vec::<&Value>::new());
}

#[test]
fn lsp_pairs_a_moved_file_by_team_when_another_team_s_file_takes_its_old_path() {
    const MOVED: &str = "okrs/2026-Q3/platform-team.yaml";
    let repo = planned();
    repo.rename(PLATFORM, MOVED);
    let eased = with_target("4");
    repo.write(MOVED, &eased);
    let apps = team_file("apps");
    repo.write(PLATFORM, &apps);
    // diff --check pairs platform's file with platform's, wherever each is, and apps' is new.
    assert_eq!(check_exit_code(&repo, MID_QUARTER), 1);

    let mut client = client_on(&repo, MID_QUARTER);
    let moved = uri(&repo, MOVED);
    open(&mut client, &moved, &eased);
    let diagnostics = client.diagnostics(&moved);
    let refused = refusals(&diagnostics);
    assert_eq!(refused.len(), 1, "{diagnostics:?}");
    assert!(
        refused[0]["message"]
            .as_str()
            .unwrap()
            .contains("target 2 → 4"),
        "{refused:?}"
    );
    // At platform's old path, apps' first revision: nothing of platform's is deleted from it.
    let old_path = uri(&repo, PLATFORM);
    open(&mut client, &old_path, &apps);
    assert_eq!(
        refusals(&client.diagnostics(&old_path)),
        Vec::<&Value>::new()
    );
}

#[test]
fn lsp_judges_by_the_okr_toml_head_has_as_diff_check_does() {
    // Turned off in a committed okr.toml: nothing.
    let repo = planned();
    repo.write("okr.toml", "[rules]\nchange-without-reason = \"allow\"\n");
    repo.commit(
        "2026-07-01T10:00:00+02:00",
        "Dana Li",
        "Allow silent changes",
    );
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    open(&mut client, &uri, &with_target("4"));
    assert_eq!(client.diagnostics(&uri), Vec::<Value>::new());

    // Turned off only in the working tree: the change is still judged by HEAD's rules.
    let repo = planned();
    repo.write("okr.toml", "[rules]\nchange-without-reason = \"allow\"\n");
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = crate::lsp::uri(&repo, PLATFORM);
    open(&mut client, &uri, &with_target("4"));
    assert_eq!(refusals(&client.diagnostics(&uri)).len(), 1);
}

#[test]
fn lsp_warns_of_a_drop_without_reason_by_the_policy_where_okr_toml_allows_the_rule() {
    let repo = planned();
    repo.write("okr.toml", "[rules]\ndropped-without-reason = \"allow\"\n");
    repo.commit(
        "2026-07-01T10:00:00+02:00",
        "Dana Li",
        "Allow drops without a block's reason",
    );
    let dropped = team_file("platform").replace(
        "  - id: faster-builds\n    title: Halve CI build times\n",
        "  - id: faster-builds\n    title: Halve CI build times\n    status: dropped\n    dropped:\n      date: 2026-08-12\n",
    );
    assert_ne!(dropped, team_file("platform"));
    let mut client = client_on(&repo, MID_QUARTER);
    let uri = uri(&repo, PLATFORM);
    open(&mut client, &uri, &dropped);
    let diagnostics = client.diagnostics(&uri);
    let refused = refusals(&diagnostics);
    assert_eq!(refused.len(), 1, "{diagnostics:#?}");
    repo.write(PLATFORM, &dropped);
    let check = Run::from(
        okr_command(repo.path())
            .args(["diff", "--check", "HEAD"])
            .env("OKR_TODAY", MID_QUARTER)
            .output()
            .unwrap(),
    );
    assert_eq!(check.code, 1, "{}", check.stdout);
}
