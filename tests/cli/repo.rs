//! Real git repositories for tests, built from declarative steps: write, remove, rename, commit at a date as
//! an author with a message, branch, switch, merge, tag. Dates and names are pinned, so runs are repeatable.

use std::path::Path;
use std::process::Command;

use crate::support::{Run, okr};

pub struct GitRepo {
    dir: tempfile::TempDir,
}

impl GitRepo {
    /// An empty repository on branch `main` with an `okr.toml`.
    pub fn new() -> GitRepo {
        GitRepo::init(&[])
    }

    /// [`GitRepo::new`], with more options for `git init` (`--object-format=sha256`).
    pub fn init(options: &[&str]) -> GitRepo {
        let repo = GitRepo {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        repo.git(&[&["init", "-q", "-b", "main"], options].concat());
        repo.write("okr.toml", "dir = \"okrs\"\nplanning_window_days = 14\n");
        repo
    }

    /// The bundled demo (`okr demo`): a quarter of real history, on branch `main`.
    pub fn demo() -> GitRepo {
        let repo = GitRepo {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        let run = okr(repo.path(), &["demo", ".", "--format", "json"]);
        assert_eq!(run.code, 0, "okr demo: {}", run.stderr);
        repo
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Runs git in the repository with a fixed environment; panics with git's output if it fails.
    pub fn git(&self, args: &[&str]) -> String {
        let output = Command::new("git")
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "Test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// Runs git as [`GitRepo::git`] does, and hands back what it did however it ended.
    pub fn try_git(&self, args: &[&str]) -> Run {
        Run::from(self.git_as("Test", args).output().expect("git runs"))
    }

    /// Runs git with `input` on its standard input, dated `date` when given (author and committer); returns
    /// what it printed. For building commits from trees directly (`hash-object`, `mktree`, `commit-tree`).
    pub fn git_with(&self, args: &[&str], input: &str, date: Option<&str>) -> String {
        use std::io::Write as _;
        let mut command = self.git_as("Test", args);
        if let Some(date) = date {
            command
                .env("GIT_AUTHOR_DATE", date)
                .env("GIT_COMMITTER_DATE", date);
        }
        let mut child = command
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("git runs");
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(input.as_bytes())
            .expect("git reads its input");
        let output = child.wait_with_output().expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    pub fn write(&self, path: &str, content: &str) -> &GitRepo {
        let file = self.path().join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, content).unwrap();
        self
    }

    /// Replaces `from`, which must occur exactly once in the file at `path`, with `to`.
    pub fn replace_once(&self, path: &str, from: &str, to: &str) -> &GitRepo {
        let text = std::fs::read_to_string(self.path().join(path)).unwrap();
        assert_eq!(
            text.matches(from).count(),
            1,
            "`{from}` must occur once in {path}"
        );
        self.write(path, &text.replacen(from, to, 1))
    }

    pub fn remove(&self, path: &str) -> &GitRepo {
        std::fs::remove_file(self.path().join(path)).unwrap();
        self
    }

    pub fn rename(&self, from: &str, to: &str) -> &GitRepo {
        std::fs::create_dir_all(self.path().join(to).parent().unwrap()).unwrap();
        self.git(&["mv", from, to]);
        self
    }

    /// Commits everything at `date` (e.g. `2026-07-20T10:00:00+02:00`) as `author`; returns the commit id.
    pub fn commit(&self, date: &str, author: &str, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.dated(
            date,
            author,
            &["commit", "-q", "--allow-empty-message", "-m", message],
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// git with `args`, run as `author` (their name as author and committer), not yet started.
    fn git_as(&self, author: &str, args: &[&str]) -> Command {
        let mut command = Command::new("git");
        command
            .args(args)
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", author)
            .env("GIT_AUTHOR_EMAIL", "someone@example.com")
            .env("GIT_COMMITTER_NAME", author)
            .env("GIT_COMMITTER_EMAIL", "someone@example.com");
        command
    }

    fn dated(&self, date: &str, author: &str, args: &[&str]) {
        let output = self
            .git_as(author, args)
            .env("GIT_AUTHOR_DATE", date)
            .env("GIT_COMMITTER_DATE", date)
            .output()
            .expect("git runs");
        assert!(
            output.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn branch(&self, name: &str) -> &GitRepo {
        self.git(&["branch", name]);
        self
    }

    pub fn switch(&self, name: &str) -> &GitRepo {
        self.git(&["switch", "-q", name]);
        self
    }

    /// Merges `branch` into the current branch with a merge commit, even when a fast-forward is possible.
    pub fn merge(&self, branch: &str, date: &str, author: &str, message: &str) -> String {
        self.dated(
            date,
            author,
            &["merge", "-q", "--no-ff", "-m", message, branch],
        );
        self.git(&["rev-parse", "HEAD"])
    }

    /// Merges `branch` into the current branch with a merge commit whose files are `files` (path, content):
    /// one side, the other, or a mix, whatever git's own merge made of them (a conflict included).
    pub fn merge_as(
        &self,
        branch: &str,
        (date, author, message): (&str, &str, &str),
        files: &[(&str, &str)],
    ) -> String {
        // A conflict stops the merge with an error; the files written below resolve it.
        let _ = self
            .git_as(author, &["merge", "-q", "--no-ff", "--no-commit", branch])
            .output()
            .expect("git runs");
        for (path, content) in files {
            self.write(path, content);
        }
        self.git(&["add", "-A"]);
        self.dated(date, author, &["commit", "-q", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn tag(&self, name: &str) -> &GitRepo {
        self.git(&["tag", name]);
        self
    }

    pub fn okr(&self, args: &[&str]) -> Run {
        okr(self.path(), args)
    }
}

/// A repository with the company and platform files of 2026-Q3 planned in June, tagged `base`.
pub fn planned() -> GitRepo {
    plan(GitRepo::new())
}

/// [`planned`] in the repository given.
pub fn plan(repo: GitRepo) -> GitRepo {
    repo.write("okrs/2026-Q3/company.yaml", &company_file());
    repo.write("okrs/2026-Q3/platform.yaml", &team_file("platform"));
    repo.commit("2026-06-25T10:00:00+02:00", "Dana Li", "Plan 2026-Q3");
    repo.tag("base");
    repo
}

/// A team file for 2026-Q3 with one committed objective of two key results; edit it with `replace`.
pub fn team_file(team: &str) -> String {
    format!(
        "quarter: 2026-Q3
team: {team}
owner: Dana Li
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    aligns_to: company/customer-trust
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2
        current: 12
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false
  - id: faster-builds
    title: Halve CI build times
    key_results:
      - id: build-minutes
        title: Median CI minutes per build
        start: 30
        target: 15
      - id: cache-hits
        title: Remote cache hit rate
        start: 40
        target: 80
        unit: '%'
"
    )
}

pub fn company_file() -> String {
    "quarter: 2026-Q3
team: company
objectives:
  - id: customer-trust
    title: Customers trust us
    key_results:
      - id: incidents
        title: Customer-facing incident minutes
        start: 300
        target: 60
      - id: status-page
        title: Public status page
        done: false
  - id: efficient-growth
    title: Grow efficiently
    key_results:
      - id: margin
        title: Gross margin
        start: 60
        target: 70
      - id: cac
        title: Customer acquisition cost
        start: 900
        target: 700
"
    .to_owned()
}
