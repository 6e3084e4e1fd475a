//! `okr checkin` as a team lead runs it, on real repositories: the bytes that change, the ones that do not,
//! the commit it makes, and what it refuses.

use std::process::Command;

use crate::repo::GitRepo;
use crate::support::{Run, okr_command};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";
/// A day of 2026-Q3, so the team resolves in that quarter.
const TODAY: &str = "2026-08-10";

/// A team file as people write them: comments beside values, a blank line, CRLF line endings, a key result
/// in flow style, quoted and plain values.
const FILE: &str = "# Platform's OKRs for 2026-Q3\r
quarter: 2026-Q3\r
team: \"platform\"\r
owner: 'Dana Li'\r
objectives:\r
  - id: boring-deploys   # keep the id stable\r
    title: \"Make deploys boring\"\r
    key_results:\r
      - id: failed-deploys\r
        title: 'Failed deploys: per week'\r
        start: 12\r
        target: 2\r
        current: 7    # last week\r
\r
        confidence: 0.5\r
      - { id: lead-time, title: \"Lead time, in minutes\", start: 60, target: 30 }\r
      - id: \"rollback-runbook\"\r
        title: Every service has a tested rollback runbook\r
        done: false   # a milestone\r
";

fn repo() -> GitRepo {
    let repo = GitRepo::new();
    repo.write(PLATFORM, FILE);
    repo.commit("2026-07-01T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.replace_once(PLATFORM, "current: 7 ", "current: 6 ");
    repo.commit("2026-07-20T10:00:00+02:00", "Dana Li", "Check-in");
    repo.replace_once(PLATFORM, "current: 6 ", "current: 7 ");
    repo.commit("2026-08-03T10:00:00+02:00", "Dana Li", "Check-in");
    repo
}

/// `okr checkin ARGS` on the pinned day, with no git identity from the environment.
fn checkin(repo: &GitRepo, args: &[&str]) -> Run {
    okr_in(repo, &[&["checkin"], args].concat())
}

/// `okr ARGS` as [`checkin`] runs it: the arguments before `checkin` are okr's own (`-C`).
fn okr_in(repo: &GitRepo, args: &[&str]) -> Run {
    Run::from(command(repo, args).output().expect("okr runs"))
}

fn command(repo: &GitRepo, args: &[&str]) -> Command {
    let mut command = okr_command(repo.path());
    command.args(args).env("OKR_TODAY", TODAY);
    for name in [
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "EMAIL",
    ] {
        command.env_remove(name);
    }
    // Never the user's own git configuration: its identity would make the refusal test pass or fail by machine.
    command
        .env("HOME", repo.path())
        .env("XDG_CONFIG_HOME", repo.path())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_DATE", "2026-08-10T09:00:00+02:00")
        .env("GIT_COMMITTER_DATE", "2026-08-10T09:00:00+02:00");
    command
}

fn read(repo: &GitRepo, path: &str) -> Vec<u8> {
    std::fs::read(repo.path().join(path)).unwrap()
}

const THREE: [&str; 6] = [
    "platform/boring-deploys/failed-deploys",
    "5",
    "platform/boring-deploys/lead-time",
    "40",
    "platform/boring-deploys/rollback-runbook",
    "done",
];

#[test]
fn checkin_of_three_key_results_changes_exactly_their_values() {
    let repo = repo();
    let run = checkin(&repo, &THREE);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = FILE
        .replace("current: 7    # last week", "current: 5    # last week")
        .replace("target: 30 }", "target: 30, current: 40 }")
        .replace("done: false   # a milestone", "done: true   # a milestone");
    assert_eq!(String::from_utf8(read(&repo, PLATFORM)).unwrap(), expected);
    assert_eq!(
        repo.git(&["diff", "--stat"]),
        "okrs/2026-Q3/platform.yaml | 6 +++---\n 1 file changed, 3 insertions(+), 3 deletions(-)"
    );
    insta::assert_snapshot!("three_key_results", run.stdout);
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
}

#[test]
fn confidence_and_note_given_once_go_to_every_key_result_and_hostile_notes_are_quoted() {
    let repo = repo();
    let note = "Canary: on # 1st \"try\"\n- next: *all* & !done \u{1b}[31m";
    let run = checkin(
        &repo,
        &[
            "platform/boring-deploys/failed-deploys",
            "5",
            "platform/boring-deploys/lead-time",
            "40",
            "--confidence",
            "0.7",
            "--note",
            note,
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = String::from_utf8(read(&repo, PLATFORM)).unwrap();
    let quoted = "\"Canary: on # 1st \\\"try\\\"\\n- next: *all* & !done \\x1b[31m\"";
    assert!(
        text.contains(&format!(
            "        confidence: 0.7\r\n        notes: {quoted}\r\n"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "target: 30, current: 40, confidence: 0.7, notes: {quoted} }}"
        )),
        "{text}"
    );
    // Read back, the note is exactly what was given.
    let okr = okr::core::parse::parse(PLATFORM, read(&repo, PLATFORM))
        .okr
        .unwrap();
    for kr in &okr.objectives[0].key_results[..2] {
        assert_eq!(kr.notes.as_ref().map(|n| &*n.value), Some(note));
    }
    assert!(!run.stdout.contains('\u{1b}'), "{}", run.stdout);
    insta::assert_snapshot!("confidence_and_note_for_all", run.stdout);
}

#[test]
fn a_refused_checkin_leaves_the_file_byte_for_byte() {
    let repo = repo();
    let before = read(&repo, PLATFORM);
    let run = checkin(
        &repo,
        &[
            "platform/boring-deploys/failed-deploys",
            "5",
            "--confidence",
            "1.5",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(read(&repo, PLATFORM), before);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    insta::assert_snapshot!("refused", format!("{}---\n{}", run.stdout, run.stderr));
}

#[test]
fn commit_makes_one_commit_of_the_edited_file_alone_as_the_configured_user() {
    let repo = repo();
    repo.git(&["config", "user.name", "Priya Raman"]);
    repo.git(&["config", "user.email", "priya@example.com"]);
    // Other work of the user's: a staged file and an unstaged one, both left as they are.
    repo.write("notes.md", "staged\n");
    repo.git(&["add", "notes.md"]);
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\nplanning_window_days = 14\n# unstaged\n",
    );
    let head = repo.git(&["rev-parse", "HEAD"]);
    let run = checkin(&repo, &[&THREE[..], &["--commit"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("commit", run.stdout);
    assert_eq!(repo.git(&["rev-parse", "HEAD~1"]), head);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%an <%ae>|%cn|%s"]),
        "Priya Raman <priya@example.com>|Priya Raman|Check-in platform: failed-deploys 7 → 5, lead-time 60 → 40, \
         rollback-runbook not-done → done"
    );
    assert_eq!(
        repo.git(&["show", "--name-only", "--format=", "HEAD"]),
        PLATFORM
    );
    assert_eq!(
        repo.git(&["status", "--porcelain"]),
        "A  notes.md\n M okr.toml"
    );
    assert_eq!(repo.git(&["diff", "HEAD", "--", PLATFORM]), "");
}

/// `okr checkin THREE --commit` must exit 2, say `said` and leave the file as it was.
fn commit_refused(repo: &GitRepo, said: &str) {
    let before = read(repo, PLATFORM);
    let run = checkin(repo, &[&THREE[..], &["--commit"]].concat());
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains(said), "{}", run.stderr);
    assert_eq!(read(repo, PLATFORM), before);
}

#[test]
fn commit_without_a_git_identity_is_refused_before_anything_is_written() {
    commit_refused(&repo(), "git has no identity to commit with");
}

#[test]
fn commit_refuses_a_file_with_changes_not_committed() {
    let repo = repo();
    repo.git(&["config", "user.name", "Priya Raman"]);
    repo.git(&["config", "user.email", "priya@example.com"]);
    repo.replace_once(PLATFORM, "start: 60", "start: 61");
    commit_refused(&repo, "has changes that are not committed");
    // Staged, and the work tree put back as committed: the index alone differs.
    repo.git(&["add", PLATFORM]);
    repo.replace_once(PLATFORM, "start: 61", "start: 60");
    commit_refused(&repo, "has staged changes");
}

#[test]
fn a_mistyped_key_result_is_refused_with_the_nearest_name() {
    let repo = repo();
    let before = read(&repo, PLATFORM);
    let mut errors = String::new();
    for target in [
        "platfrom/boring-deploys/failed-deploys",
        "platform/boring-deploy/failed-deploys",
        "platform/boring-deploys/failed-deploy",
    ] {
        let run = checkin(&repo, &[target, "5"]);
        assert_eq!(run.code, 2, "{}", run.stdout);
        errors.push_str(&run.stderr);
    }
    assert_eq!(read(&repo, PLATFORM), before);
    insta::assert_snapshot!("mistyped", errors);
}

#[test]
fn without_a_terminal_the_walk_never_prompts_and_says_what_to_pass() {
    let repo = repo();
    let run = checkin(&repo, &["--team", "platform"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stdout, "");
    insta::assert_snapshot!("no_terminal", run.stderr);
}

#[test]
fn values_of_the_wrong_kind_and_unpaired_arguments_are_usage_errors() {
    let repo = repo();
    let before = read(&repo, PLATFORM);
    for (args, said) in [
        (
            &["platform/boring-deploys/rollback-runbook", "3"][..],
            "is a milestone",
        ),
        (
            &["platform/boring-deploys/failed-deploys", "done"][..],
            "is a metric",
        ),
        (
            &["platform/boring-deploys/failed-deploys"][..],
            "has no value",
        ),
        (
            &["platform/boring-deploys/failed-deploys", "five"][..],
            "is not a value",
        ),
        (
            &[
                "platform/boring-deploys/failed-deploys",
                "5",
                "platform/boring-deploys/lead-time",
                "4",
                "platform/boring-deploys/rollback-runbook",
                "done",
                "--note",
                "a",
                "--note",
                "b",
            ][..],
            "`--note` is given 2 times for 3 key results\nhelp: give it once for all of them, or once for each",
        ),
    ] {
        let run = checkin(&repo, args);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stdout);
        assert!(run.stderr.contains(said), "{args:?}: {}", run.stderr);
    }
    assert_eq!(read(&repo, PLATFORM), before);
}

#[test]
fn checkin_on_the_demo_changes_three_lines() {
    let repo = GitRepo::demo();
    let path = "okrs/2026-Q3/platform.yaml";
    let before = String::from_utf8(read(&repo, path)).unwrap();
    let okr = repo.okr(&["show", "--format", "json", "--quarter", "2026-Q3"]);
    assert_eq!(okr.code, 0, "{}", okr.stderr);
    let json = okr.json();
    let team = json["teams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["team"] == "platform")
        .expect("the demo has a platform team");
    let mut args = Vec::new();
    for objective in team["objectives"].as_array().unwrap() {
        for kr in objective["key_results"].as_array().unwrap() {
            if kr.get("current").is_some() && args.len() < 6 {
                args.push(format!(
                    "platform/{}/{}",
                    objective["id"].as_str().unwrap(),
                    kr["id"].as_str().unwrap()
                ));
                args.push("1234".to_owned());
            }
        }
    }
    assert_eq!(args.len(), 6, "{args:?}");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = checkin(&repo, &[&args[..], &["--quarter", "2026-Q3"]].concat());
    assert_eq!(run.code, 0, "{}", run.stderr);
    let after = String::from_utf8(read(&repo, path)).unwrap();
    let changed: Vec<(&str, &str)> = before
        .lines()
        .zip(after.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(repo.git(&["diff", "--numstat"]), format!("3\t3\t{path}"));
    for (old, new) in changed {
        assert!(old.trim_start().starts_with("current:"), "{old}");
        assert!(new.trim_start().starts_with("current: 1234"), "{new}");
    }
}

/// The file of team `platform` in 2026-Q4 the reviewer's repros start from: objective `o` with the key
/// results `krs` (lines indented under `key_results:`), then `more` (further objectives), committed.
const Q4: &str = "okrs/2026-Q4/platform.yaml";

fn q4_repo(krs: &str, more: &str) -> GitRepo {
    let repo = GitRepo::new();
    repo.write(
        Q4,
        &format!(
            "quarter: 2026-Q4\nteam: platform\nobjectives:\n  - id: o\n    title: O\n    key_results:\n{krs}{more}"
        ),
    );
    repo.commit("2026-10-01T10:00:00+02:00", "Dana Li", "Plan 2026-Q4");
    repo.git(&["config", "user.name", "Priya Raman"]);
    repo.git(&["config", "user.email", "priya@example.com"]);
    repo
}

/// `okr checkin --quarter 2026-Q4 ARGS`.
fn checkin_q4(repo: &GitRepo, args: &[&str]) -> Run {
    checkin(repo, &[&["--quarter", "2026-Q4"], args].concat())
}

const K: &str = "      - id: k\n        title: K\n        start: 0\n        target: 10\n";

#[test]
fn an_error_the_file_had_before_is_not_blamed_on_the_checkin_when_its_line_moves() {
    // Two key results `dup` in objective `p`: an error whose message names a line, below the line inserted.
    let dup = "  - id: p\n    title: P\n    key_results:\n      - id: dup\n        title: A\n        start: 0\n        \
               target: 1\n      - id: dup\n        title: B\n        start: 0\n        target: 1\n";
    let repo = q4_repo(K, dup);
    let run = checkin_q4(&repo, &["platform/o/k", "5"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = String::from_utf8(read(&repo, Q4)).unwrap();
    assert!(
        text.contains("        target: 10\n        current: 5\n  - id: p\n"),
        "{text}"
    );
    // A new error is still refused, and the old one is not shown as new.
    let run = checkin_q4(&repo, &["platform/o/k", "6", "--confidence", "2"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("`confidence` must be between 0 and 1"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("duplicate-id"), "{}", run.stdout);
}

#[test]
fn a_first_current_equal_to_start_is_named_in_the_commit_message_and_so_is_a_note() {
    let repo = q4_repo(K, "");
    let run = checkin_q4(&repo, &["platform/o/k", "0", "--commit"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        String::from_utf8(read(&repo, Q4))
            .unwrap()
            .contains("current: 0\n")
    );
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "Check-in platform: k 0 → 0"
    );
    let run = checkin_q4(
        &repo,
        &["platform/o/k", "0", "--note", "Steady", "--commit"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        repo.git(&["log", "-1", "--format=%s"]),
        "Check-in platform: k (note)"
    );
}

#[test]
fn the_git_command_printed_with_dash_c_runs_where_okr_was_run() {
    let repo = q4_repo(K, "");
    std::fs::create_dir(repo.path().join("sub")).unwrap();
    let run = okr_in(
        &repo,
        &[
            "-C",
            "sub",
            "checkin",
            "--quarter",
            "2026-Q4",
            "platform/o/k",
            "3",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("next: git add -- okrs/2026-Q4/platform.yaml && git commit -m"),
        "{}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn the_git_command_printed_for_a_linked_team_file_adds_the_real_file() {
    let repo = q4_repo(K, "");
    // The team file is a link to where the file is kept: `git add` must name that file, not the link.
    std::fs::create_dir(repo.path().join("teams")).unwrap();
    std::fs::rename(
        repo.path().join(Q4),
        repo.path().join("teams/platform.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink("../../teams/platform.yaml", repo.path().join(Q4)).unwrap();
    repo.commit(
        "2026-10-02T10:00:00+02:00",
        "Dana Li",
        "Keep the team file in teams/",
    );
    let run = checkin_q4(&repo, &["platform/o/k", "4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("next: git add -- teams/platform.yaml && git commit -m"),
        "{}",
        run.stdout
    );
    assert!(repo.path().join(Q4).is_symlink());
    let real = std::fs::read_to_string(repo.path().join("teams/platform.yaml")).unwrap();
    assert!(real.contains("current: 4"), "{real}");
}

#[test]
fn a_team_file_that_is_not_yaml_is_named_with_its_problem_not_reported_missing() {
    let repo = q4_repo(&K.replace("title: K", "title: K: x: y"), "");
    let run = checkin_q4(&repo, &["platform/o/k", "5"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains(
            "cannot find team `platform` in 2026-Q4: okrs/2026-Q4/platform.yaml cannot be read (line 8: invalid YAML"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("\nhelp: fix the file (`okr validate` shows its problems)"),
        "{}",
        run.stderr
    );
}

/// A repository that converts line endings on commit: the work tree has CRLF, git's blobs LF.
fn converting_repo(setup: impl Fn(&GitRepo)) -> GitRepo {
    let repo = GitRepo::new();
    setup(&repo);
    repo.write(PLATFORM, FILE);
    repo.commit("2026-07-01T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.git(&["config", "user.name", "Priya Raman"]);
    repo.git(&["config", "user.email", "priya@example.com"]);
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
    assert!(
        !repo
            .git(&["show", &format!("HEAD:{PLATFORM}")])
            .contains('\r')
    );
    repo
}

#[test]
fn commit_stores_the_file_as_git_converts_it_with_autocrlf_or_eol_attributes() {
    let autocrlf = converting_repo(|repo| {
        repo.git(&["config", "core.autocrlf", "true"]);
    });
    let attributes = converting_repo(|repo| {
        repo.write(".gitattributes", "*.yaml text eol=crlf\n");
    });
    for repo in [autocrlf, attributes] {
        let run = checkin(
            &repo,
            &["platform/boring-deploys/failed-deploys", "5", "--commit"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        // The work tree keeps CRLF; the commit holds what `git add` would have stored: LF.
        assert!(
            String::from_utf8(read(&repo, PLATFORM))
                .unwrap()
                .contains("current: 5    # last week\r\n")
        );
        let committed = repo.git(&["show", &format!("HEAD:{PLATFORM}")]);
        assert!(
            committed.contains("current: 5    # last week\n"),
            "{committed}"
        );
        assert!(!committed.contains('\r'), "{committed}");
        assert_eq!(repo.git(&["status", "--porcelain"]), "");
        assert_eq!(repo.git(&["diff", "HEAD~1", "--stat"]).lines().count(), 2);
    }
}

#[test]
fn commit_is_refused_where_git_would_run_a_hook_or_sign_and_okr_cannot() {
    let identified = || {
        let repo = repo();
        repo.git(&["config", "user.name", "Priya Raman"]);
        repo.git(&["config", "user.email", "priya@example.com"]);
        repo
    };
    let signing = identified();
    signing.git(&["config", "commit.gpgsign", "true"]);
    commit_refused(&signing, "git is set to sign commits (`commit.gpgsign`)");
    commit_refused(
        &signing,
        "help: leave out --commit, and run the `git` command okr prints",
    );

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let hooked = identified();
        let hook = hooked.path().join(".git/hooks/pre-commit");
        std::fs::write(&hook, "#!/bin/sh\nexit 1\n").unwrap();
        // Not executable: git does not run it, and neither is the commit refused.
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o644)).unwrap();
        let run = checkin(
            &hooked,
            &["platform/boring-deploys/failed-deploys", "5", "--commit"],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        commit_refused(&hooked, "the repository has a `pre-commit` hook");

        // A `commit-msg` hook in the folder core.hooksPath names.
        let elsewhere = identified();
        std::fs::create_dir(elsewhere.path().join("githooks")).unwrap();
        let hook = elsewhere.path().join("githooks/commit-msg");
        std::fs::write(&hook, "#!/bin/sh\nexit 0\n").unwrap();
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
        elsewhere.git(&["config", "core.hooksPath", "githooks"]);
        commit_refused(&elsewhere, "the repository has a `commit-msg` hook");
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_team_file_is_refused_not_replaced() {
    use std::os::unix::fs::PermissionsExt;
    let repo = q4_repo(K, "");
    let path = repo.path().join(Q4);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = read(&repo, Q4);
    let run = checkin_q4(&repo, &["platform/o/k", "5"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run.stderr.contains("is read-only"), "{}", run.stderr);
    assert_eq!(read(&repo, Q4), before);
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o444
    );
}

#[test]
fn a_huge_number_is_written_with_an_exponent_and_one_a_float_would_round_is_refused() {
    let repo = q4_repo(K, "");
    let run = checkin_q4(&repo, &["platform/o/k", "1e300"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = String::from_utf8(read(&repo, Q4)).unwrap();
    assert!(text.contains("        current: 1.0e+300\n"), "{text}");
    assert!(
        run.stdout.contains("platform/o/k: 0 → 1.0e+300\n"),
        "{}",
        run.stdout
    );
    for rounded in ["123456789012345678901234567890", "0.1000000000000000001"] {
        let before = read(&repo, Q4);
        let run = checkin_q4(&repo, &["platform/o/k", rounded]);
        assert_eq!(run.code, 2, "{}", run.stdout);
        assert!(
            run.stderr.contains("cannot be kept exactly"),
            "{}",
            run.stderr
        );
        assert_eq!(read(&repo, Q4), before);
    }
    let run = checkin_q4(
        &repo,
        &[
            "platform/o/k",
            "5",
            "--confidence",
            "0.70000000000000000001",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr
            .contains("`--confidence 0.70000000000000000001` cannot be kept exactly"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_flag_given_too_often_for_one_key_result_is_told_in_the_singular_with_the_fix_as_help() {
    let repo = q4_repo(K, "");
    let run = checkin_q4(
        &repo,
        &[
            "platform/o/k",
            "5",
            "--confidence",
            "0.5",
            "--confidence",
            "0.6",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "okr: error: `--confidence` is given 2 times for 1 key result\nhelp: give it once for all of them, or once \
         for each\n"
    );
}

#[test]
fn an_anchored_empty_current_is_set_after_its_anchor_even_where_invalid_values_only_warn() {
    let repo = q4_repo(&format!("{K}        current: &a\n"), "");
    repo.write(
        "okr.toml",
        "dir = \"okrs\"\nplanning_window_days = 14\n\n[rules]\ninvalid-value = \"warn\"\n",
    );
    repo.commit("2026-10-02T10:00:00+02:00", "Dana Li", "Warn only");
    let run = checkin_q4(&repo, &["platform/o/k", "5"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    let text = String::from_utf8(read(&repo, Q4)).unwrap();
    assert!(text.ends_with("        current: &a 5\n"), "{text}");
    let validate = repo.okr(&["validate", "--format", "json"]);
    assert!(
        !validate.stdout.contains("invalid-value"),
        "{}",
        validate.stdout
    );
}
