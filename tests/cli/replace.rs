//! Replace refs and grafts rewrite a history's parents for git. okr walks the history `git log` walks: with
//! replace refs, whether or not a commit-graph file exists (it holds the parents before replacement);
//! grafts, which git has deprecated and gix does not read, are refused with git's own conversion.

use crate::repo::GitRepo;
use crate::support::Run;

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

/// A plan, then the deploy target moved twice (2 → 4 → 6); the last commit is then grafted onto the plan,
/// so for git the middle commit is no longer in the history.
fn grafted_history() -> (GitRepo, [String; 3]) {
    let repo = crate::repo::planned();
    let plan = repo.git(&["rev-parse", "HEAD"]);
    let edit = |from: &str, to: &str| {
        let text = std::fs::read_to_string(repo.path().join(PLATFORM)).unwrap();
        repo.write(PLATFORM, &text.replacen(from, to, 1));
    };
    edit("target: 2", "target: 4");
    let middle = repo.commit("2026-07-20T10:00:00+02:00", "Sam Roe", "Ease to 4");
    edit("target: 4", "target: 6");
    let last = repo.commit("2026-08-10T10:00:00+02:00", "Sam Roe", "Ease to 6");
    repo.git(&["replace", "--graft", &last, &plan]);
    (repo, [plan, middle, last])
}

/// The commits okr's history lists, oldest first.
fn okr_commits(repo: &GitRepo) -> Vec<String> {
    let run: Run = repo.okr(&["history", "--quarter", "2026-Q3", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut commits: Vec<String> = Vec::new();
    for event in run.json()["events"].as_array().unwrap() {
        let commit = event["commit"].as_str().unwrap().to_owned();
        if commits.last() != Some(&commit) {
            commits.push(commit);
        }
    }
    commits
}

/// The commits `git log -- okrs/2026-Q3/` lists, oldest first.
fn git_commits(repo: &GitRepo) -> Vec<String> {
    repo.git(&["log", "--reverse", "--format=%H", "--", "okrs/2026-Q3/"])
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn replaced_parents_are_walked_as_git_log_walks_them_with_and_without_a_commit_graph() {
    let (repo, [plan, middle, last]) = grafted_history();
    assert_eq!(
        git_commits(&repo),
        [plan.clone(), last.clone()],
        "git's answer"
    );
    let short = |id: &str| id[..7].to_owned();
    let shown =
        |commits: Vec<String>| -> Vec<String> { commits.iter().map(|c| short(c)).collect() };

    let without_graph = shown(okr_commits(&repo));
    assert_eq!(without_graph, [short(&plan), short(&last)]);
    assert!(!without_graph.contains(&short(&middle)));

    repo.git(&["commit-graph", "write", "--reachable"]);
    assert!(
        repo.path().join(".git/objects/info/commit-graph").exists(),
        "the commit-graph file is there"
    );
    assert_eq!(
        shown(okr_commits(&repo)),
        without_graph,
        "the same with a commit-graph"
    );
}

#[test]
fn grafts_are_refused_with_how_to_turn_them_into_replace_refs() {
    let (repo, [plan, _, last]) = grafted_history();
    repo.git(&["replace", "-d", &last]);
    std::fs::create_dir_all(repo.path().join(".git/info")).unwrap();
    std::fs::write(
        repo.path().join(".git/info/grafts"),
        format!("{last} {plan}\n"),
    )
    .unwrap();
    let run = repo.okr(&["history", "--quarter", "2026-Q3"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .starts_with("okr: error: this repository has grafts"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("git replace --convert-graft-file"),
        "{}",
        run.stderr
    );
}
