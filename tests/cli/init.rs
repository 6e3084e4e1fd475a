//! `okr init` from a user's point of view.

use crate::support::{Scratch, okr, valid_file};
#[cfg(unix)]
use crate::support::{mode, okr_with_umask};

#[test]
fn init_starts_a_repository_that_validates() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let run = okr(
        dir.path(),
        &["init", "--team", "platform", "--quarter", "2026-Q4"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for file in [
        "okr.toml",
        "okrs/okr.schema.json",
        "okrs/2026-Q4/platform.yaml",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
        assert!(
            run.stdout.contains(&format!("created {file}")),
            "{}",
            run.stdout
        );
    }
    let example = std::fs::read_to_string(dir.path().join("okrs/2026-Q4/platform.yaml")).unwrap();
    assert!(example.starts_with("# yaml-language-server: $schema=../okr.schema.json\n"));
    let validate = okr(dir.path(), &["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    assert!(validate.stdout.contains("no problems in 1 file"));
}

#[test]
fn init_never_overwrites_an_existing_file() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q4/platform.yaml", "mine\n");
    let run = repo.okr(&["init", "--team", "platform", "--quarter", "2026-Q4"]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains("kept    okr.toml"), "{}", run.stdout);
    assert!(
        run.stdout.contains("kept    okrs/2026-Q4/platform.yaml"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("okr.toml")).unwrap(),
        "dir = \"okrs\"\n"
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join("okrs/2026-Q4/platform.yaml")).unwrap(),
        "mine\n"
    );
}

#[test]
fn init_defaults_to_the_current_quarter() {
    let repo = Scratch::new();
    let run = repo.okr(&["init", "--team", "web"]);
    assert_eq!(run.code, 0);
    let today = jiff::Zoned::now().date();
    let quarter = format!("{}-Q{}", today.year(), (today.month() - 1) / 3 + 1);
    assert!(
        repo.path()
            .join(format!("okrs/{quarter}/web.yaml"))
            .is_file(),
        "{}",
        run.stdout
    );
}

#[test]
fn init_takes_a_quarter_with_a_lowercase_q_and_writes_it_as_files_spell_it() {
    let repo = Scratch::new();
    let run = repo.okr(&["init", "--team", "web", "--quarter", "2026-q4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let example = std::fs::read_to_string(repo.path().join("okrs/2026-Q4/web.yaml")).unwrap();
    assert!(example.contains("\nquarter: 2026-Q4\n"), "{example}");
}

#[test]
fn init_refuses_a_team_that_is_not_a_slug() {
    let repo = Scratch::new();
    let run = repo.okr(&["init", "--team", "Platform Team"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("--team platform"), "{}", run.stderr);
    assert!(!repo.path().join("okrs").exists());
}

#[test]
fn init_writes_the_ci_workflow_when_asked_and_never_replaces_one() {
    let repo = Scratch::new();
    let run = repo.okr(&[
        "init",
        "--team",
        "web",
        "--quarter",
        "2026-Q4",
        "--ci",
        "github",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let workflow = std::fs::read_to_string(repo.path().join(".github/workflows/okr.yml")).unwrap();
    assert!(workflow.contains("fetch-depth: 0"));
    assert!(workflow.contains("okr validate"));
    assert!(workflow.contains("okr diff --check"));
    repo.write(".gitlab-ci.yml", "stages: [build]\n");
    let run = repo.okr(&[
        "init",
        "--team",
        "web",
        "--quarter",
        "2026-Q4",
        "--ci",
        "gitlab",
    ]);
    assert!(
        run.stdout.contains("kept    .gitlab-ci.yml"),
        "{}",
        run.stdout
    );
    assert_eq!(
        std::fs::read_to_string(repo.path().join(".gitlab-ci.yml")).unwrap(),
        "stages: [build]\n"
    );
    let fresh = Scratch::new();
    assert_eq!(
        fresh
            .okr(&["init", "--ci", "gitlab", "--quarter", "2026-Q4"])
            .code,
        0
    );
    assert!(
        std::fs::read_to_string(fresh.path().join(".gitlab-ci.yml"))
            .unwrap()
            .contains("okr validate")
    );
}

/// A repository already set up gets what it lacks (here a CI workflow), not a stray team file.
#[test]
fn init_in_a_set_up_repository_writes_no_example_team_unless_one_is_named() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/platform.yaml", valid_file("platform"));
    let run = repo.okr(&["init", "--ci", "github"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("skipped the example file: okrs/ already has OKR files"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("created .github/workflows/okr.yml"),
        "{}",
        run.stdout
    );
    let team_files: Vec<_> = walkdir::WalkDir::new(repo.path().join("okrs"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".yaml"))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(team_files, ["platform.yaml"]);
    assert!(
        run.stdout.contains("\nnext: run `okr validate`\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("next: in .github/workflows/okr.yml, `uses: OWNER/okr@main` must name where okr is installed from"),
        "{}",
        run.stdout
    );
    // Naming the team asks for its example.
    let named = repo.okr(&["init", "--team", "web", "--quarter", "2026-Q3"]);
    assert!(
        named.stdout.contains("created okrs/2026-Q3/web.yaml"),
        "{}",
        named.stdout
    );
}

/// The files are the repository's, committed and read by others: they get the mode any new file gets.
#[cfg(unix)]
#[test]
fn init_files_get_the_mode_the_umask_gives() {
    for (umask, expected) in [("022", 0o644), ("027", 0o640)] {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        let run = okr_with_umask(
            dir.path(),
            umask,
            &[
                "init",
                "--team",
                "web",
                "--quarter",
                "2026-Q4",
                "--ci",
                "github",
            ],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        for file in [
            "okr.toml",
            "okrs/okr.schema.json",
            "okrs/2026-Q4/web.yaml",
            ".github/workflows/okr.yml",
        ] {
            assert_eq!(
                format!("{:o}", mode(&dir.path().join(file))),
                format!("{expected:o}"),
                "{file} under umask {umask}"
            );
        }
    }
}

/// Every path under `root` with its content (none for a folder), to compare a tree before and after a run.
fn tree(root: &std::path::Path) -> Vec<(String, Option<String>)> {
    walkdir::WalkDir::new(root)
        .sort_by_file_name()
        .into_iter()
        .map(|entry| {
            let entry = entry.unwrap();
            let content = entry.file_type().is_file().then(|| {
                String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).into_owned()
            });
            (entry.path().display().to_string(), content)
        })
        .collect()
}

/// Half a setup is worse than none: the user would have to find and remove what a failed run left.
#[test]
fn init_that_cannot_write_its_last_file_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    // The workflow goes into .github/workflows/, and a file is where that folder must be.
    std::fs::write(dir.path().join(".github"), "not a folder\n").unwrap();
    let before = tree(dir.path());
    let run = okr(
        dir.path(),
        &[
            "init",
            "--team",
            "web",
            "--quarter",
            "2026-Q4",
            "--ci",
            "github",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.starts_with("okr: error: "), "{}", run.stderr);
    assert!(
        run.stderr.contains(".github is in the way"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("nothing was written"), "{}", run.stderr);
    assert_eq!(tree(dir.path()), before);
}

/// `okr validate` reads no file that resolves outside the repository; `okr init` writes none there either,
/// rather than set up files that would then be refused.
#[cfg(unix)]
#[test]
fn init_refuses_an_okr_folder_linked_outside_the_repository_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("okrs")).unwrap();
    let before = tree(dir.path());
    let run = okr(
        dir.path(),
        &[
            "init",
            "--team",
            "web",
            "--quarter",
            "2026-Q4",
            "--ci",
            "github",
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let target = elsewhere.path().canonicalize().unwrap();
    assert!(
        run.stderr.starts_with(&format!(
            "okr: error: `okrs` is a symbolic link to {}, outside the repository",
            target.display()
        )),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("replace the link"), "{}", run.stderr);
    assert_eq!(tree(dir.path()), before);
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn init_refuses_a_configured_folder_outside_the_repository_and_writes_nothing() {
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("repo");
    std::fs::create_dir_all(dir.join(".git")).unwrap();
    std::fs::write(dir.join("okr.toml"), "dir = \"../okrs\"\n").unwrap();
    let before = tree(parent.path());
    let run = okr(&dir, &["init", "--team", "web", "--quarter", "2026-Q4"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("okr: error: `dir = \"../okrs\"` in okr.toml is outside the repository"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(parent.path()), before);
}

/// Only a link leading out is refused: one that stays inside the repository is written through.
#[cfg(unix)]
#[test]
fn init_writes_through_an_okr_folder_linked_inside_the_repository() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join(".git")).unwrap();
    std::fs::create_dir_all(dir.path().join("shared/okrs")).unwrap();
    std::os::unix::fs::symlink("shared/okrs", dir.path().join("okrs")).unwrap();
    let run = okr(
        dir.path(),
        &["init", "--team", "web", "--quarter", "2026-Q4"],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(dir.path().join("shared/okrs/2026-Q4/web.yaml").is_file());
    assert!(dir.path().join("shared/okrs/okr.schema.json").is_file());
}
