//! A quarter or a revision that names nothing: an error in the user's own words, with what exists instead,
//! and exit 2; never an empty page, and never the git library's internals.

use crate::repo::{GitRepo, planned, team_file};
use crate::support::Run;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// Words of the git library's revision parser that once reached users.
const INTERNALS: [&str; 4] = ["delegate", "peel_until", "^{commit}", "revspec"];

fn assert_refused(run: &Run, mentions: &[&str]) {
    assert_eq!(
        run.code, 2,
        "stdout: {}\nstderr: {}",
        run.stdout, run.stderr
    );
    assert!(
        run.stdout.is_empty(),
        "nothing but the error: {}",
        run.stdout
    );
    assert!(run.stderr.starts_with("okr: error: "), "{}", run.stderr);
    for words in mentions {
        assert!(
            run.stderr.contains(words),
            "expected `{words}` in: {}",
            run.stderr
        );
    }
    for internal in INTERNALS {
        assert!(!run.stderr.contains(internal), "{}", run.stderr);
    }
}

/// [`planned`] with two check-ins after it: three commits in a line.
fn three_commits() -> GitRepo {
    let repo = planned();
    for current in ["10", "9"] {
        repo.write(
            PLATFORM,
            &team_file("platform").replacen("current: 12", &format!("current: {current}"), 1),
        );
        repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check in");
    }
    repo
}

#[test]
fn a_quarter_with_no_folder_is_named_with_the_quarters_there_are() {
    let repo = planned();
    for command in ["history", "report", "show"] {
        assert_refused(
            &repo.okr(&[command, "--quarter", "2031-Q1"]),
            &[
                "no folder `okrs/2031-Q1`",
                "2031-Q1",
                "has folders for 2026-Q3",
            ],
        );
        // One digit off: the quarter meant is the one offered.
        assert_refused(
            &repo.okr(&[command, "--quarter", "2026-Q2"]),
            &["no folder `okrs/2026-Q2`", "did you mean `2026-Q3`?"],
        );
    }
    assert_refused(
        &repo.okr(&["history", "--quarter", "2031-Q1"]),
        &["in the history of `HEAD`"],
    );
    assert_refused(
        &repo.okr(&["show", "--quarter", "2031-Q1", "--at", "2026-07-01"]),
        &["in the last commit on or before 2026-07-01"],
    );
}

#[test]
fn a_quarter_folder_only_in_the_working_tree_is_named_as_uncommitted() {
    let repo = planned();
    repo.write(
        "okrs/2026-Q4/platform.yaml",
        &team_file("platform").replace("2026-Q3", "2026-Q4"),
    );
    assert_refused(
        &repo.okr(&["history", "--quarter", "2026-Q4"]),
        &["`okrs/2026-Q4` is in the working tree but in no commit read"],
    );
}

/// History reads every commit up to the revision, so a quarter whose folder was deleted since still has a
/// story (its plans and their removal); `show` reads one commit, where that folder is not.
#[test]
fn a_quarter_folder_deleted_since_has_a_history_but_nothing_to_show() {
    let repo = planned();
    repo.write(
        "okrs/2026-Q4/platform.yaml",
        &team_file("platform").replace("2026-Q3", "2026-Q4"),
    );
    repo.commit("2026-09-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q4");
    repo.git(&["rm", "-q", "-r", "okrs/2026-Q3"]);
    repo.commit("2026-10-10T10:00:00+02:00", "Dana Li", "Archive 2026-Q3");

    let history = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(history.code, 0, "{}", history.stderr);
    let kinds: Vec<String> = history.json()["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap().to_owned())
        .collect();
    assert!(kinds.contains(&"objective_removed".to_owned()), "{kinds:?}");
    let report = repo.okr(&["report", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(report.code, 0, "{}", report.stderr);

    assert_refused(
        &repo.okr(&["show", "--quarter", "2026-Q3"]),
        &[
            "no folder `okrs/2026-Q3` in `HEAD`",
            "has folders for 2026-Q4",
        ],
    );
    let then = repo.okr(&["show", "--quarter", "2026-Q3", "--at", "base"]);
    assert_eq!(then.code, 0, "{}", then.stderr);
}

#[test]
fn a_name_that_is_no_branch_tag_or_commit_is_said_so() {
    let repo = three_commits();
    assert_refused(
        &repo.okr(&["diff", "nosuchrev"]),
        &[
            "`nosuchrev` is not a branch, tag or commit in this repository",
            "git branch -a",
        ],
    );
    assert_refused(
        &repo.okr(&["history", "--quarter", "2026-Q3", "--rev", "nosuch~2"]),
        &["`nosuch~2` names no commit: `nosuch` is not a branch, tag or commit"],
    );
    assert_refused(
        &repo.okr(&["report", "--quarter", "2026-Q3", "--at", "base..HEAD"]),
        &["`base..HEAD` is a range of commits, where one revision is wanted"],
    );
    assert_refused(
        &repo.okr(&["diff", "base...nosuch"]),
        &["`nosuch` is not a branch, tag or commit"],
    );
}

#[test]
fn a_revision_past_the_first_commit_says_how_much_history_there_is() {
    let repo = three_commits();
    assert_refused(
        &repo.okr(&["diff", "HEAD~99"]),
        &["`HEAD~99` names no commit: `HEAD` has only 2 commits before it"],
    );
    assert_refused(
        &repo.okr(&["show", "--at", "base~1"]),
        &["`base~1` names no commit: `base` is the first commit: nothing is before it"],
    );
    assert_refused(
        &repo.okr(&["diff", "HEAD~1^2.."]),
        &["`HEAD~1^2` names no commit: `HEAD~1` has 1 parent, so it has no `^2`"],
    );
    assert_refused(
        &repo.okr(&["history", "--quarter", "2026-Q3", "--rev", "HEAD~2^"]),
        &["`HEAD~2` is the first commit: it has no parent"],
    );
}

#[test]
fn a_revision_naming_a_tree_or_a_blob_says_it_is_not_a_commit() {
    let repo = three_commits();
    repo.git(&["tag", "tree1", "HEAD^{tree}"]);
    repo.git(&["tag", "blob1", &format!("HEAD:{PLATFORM}")]);
    repo.git(&["tag", "-a", "-m", "a tree", "annotated", "HEAD^{tree}"]);
    assert_refused(
        &repo.okr(&["diff", "tree1.."]),
        &[
            "`tree1` names a tree (a folder's listing), not a commit",
            "help: okr reads commits",
        ],
    );
    assert_refused(
        &repo.okr(&["diff", "HEAD", "blob1"]),
        &["`blob1` names a blob (a file's content), not a commit"],
    );
    assert_refused(
        &repo.okr(&["history", "--quarter", "2026-Q3", "--rev", "annotated"]),
        &["`annotated` names a tag of a tree (a folder's listing), not a commit"],
    );
    assert_refused(
        &repo.okr(&["show", "--at", "HEAD:okrs"]),
        &["`HEAD:okrs` names a tree"],
    );
    assert_refused(
        &repo.okr(&["diff", "tree1~1"]),
        &["`tree1~1` names no commit: `tree1` names a tree"],
    );
}

/// A thousand blobs are sure to share a four-digit prefix (their ids are fixed by their contents); which
/// prefix is found here rather than written down, so the test does not depend on git's hash.
#[test]
fn a_short_id_several_objects_share_is_called_ambiguous() {
    let repo = three_commits();
    let blobs = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for n in 0..1000 {
        let path = blobs.path().join(n.to_string());
        std::fs::write(&path, format!("blob {n}\n")).unwrap();
        paths.push(path.to_str().unwrap().to_owned());
    }
    let mut args = vec!["hash-object", "-w"];
    args.extend(paths.iter().map(String::as_str));
    let ids = repo.git(&args);
    let mut prefixes: Vec<&str> = ids.lines().map(|id| &id[..4]).collect();
    prefixes.sort_unstable();
    let shared = prefixes
        .windows(2)
        .find(|pair| pair[0] == pair[1])
        .map(|pair| pair[0])
        .expect("a thousand ids share some four-digit prefix");
    assert_refused(
        &repo.okr(&["diff", shared]),
        &[&format!(
            "`{shared}` is ambiguous: several objects' ids start with it"
        )],
    );
}
