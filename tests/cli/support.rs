//! Running `okr` and building throwaway repositories for it.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

/// What one run of `okr` did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<std::process::Output> for Run {
    fn from(output: std::process::Output) -> Run {
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// The project's own folder (fixtures, schema, docs).
pub fn project_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn okr_command(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_okr"));
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("TF_BUILD")
        // Never the user's own cache folder. One folder for the whole suite, so every history test also runs
        // the walk cache (entries are keyed by commit id, so tests cannot see each other's wrong answers).
        .env("OKR_CACHE_DIR", suite_cache_dir())
        // The cache's signing key too: never the user's own.
        .env("XDG_STATE_HOME", suite_state_dir())
        .env_remove("OKR_CACHE")
        // CI turns the cache off by default; the suite runs it everywhere, CI included.
        .env_remove("CI")
        .stdin(Stdio::null());
    command
}

/// The walk cache the suite's runs of `okr` share, under the build's own temporary folder.
pub fn suite_cache_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("okr-cache")
}

/// Where the suite's runs of `okr` keep the walk cache's signing key (`okr/cache-key`).
pub fn suite_state_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("okr-state")
}

/// Runs `okr ARGS` in `dir` and waits for it.
pub fn okr(dir: &Path, args: &[&str]) -> Run {
    Run::from(okr_command(dir).args(args).output().expect("okr runs"))
}

/// Runs `okr ARGS` in `dir` under the umask `umask` (octal, as `sh` takes it), set by a shell that then
/// becomes okr: the test process's own umask is whatever its runner left, and changing it would change it for
/// every test running beside this one.
#[cfg(unix)]
pub fn okr_with_umask(dir: &Path, umask: &str, args: &[&str]) -> Run {
    let okr = okr_command(dir);
    let mut shell = Command::new("sh");
    shell
        .arg("-c")
        .arg(format!("umask {umask} && exec \"$0\" \"$@\""))
        .arg(okr.get_program())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null());
    for (name, value) in okr.get_envs() {
        match value {
            Some(value) => shell.env(name, value),
            None => shell.env_remove(name),
        };
    }
    Run::from(shell.output().expect("sh runs okr"))
}

/// The permission bits of the file at `path`.
#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// A repository root in a temporary folder, with an `okr.toml` so nothing above it is mistaken for the root.
pub struct Scratch {
    dir: tempfile::TempDir,
}

impl Scratch {
    pub fn new() -> Scratch {
        let scratch = Scratch {
            dir: tempfile::tempdir().expect("temporary folder"),
        };
        scratch.write("okr.toml", "dir = \"okrs\"\n");
        scratch
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> &Scratch {
        let path = self.dir.path().join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    pub fn okr(&self, args: &[&str]) -> Run {
        okr(self.path(), args)
    }
}

/// A small valid OKR file for `team`, to build cases from.
pub fn valid_file(team: &str) -> String {
    format!(
        "quarter: 2026-Q3
team: {team}
objectives:
  - id: boring-deploys
    title: Make deploys boring
    type: committed
    key_results:
      - id: failed-deploys
        title: Failed deploys per week
        start: 12
        target: 2
        current: 5
      - id: rollback-runbook
        title: Every service has a tested rollback runbook
        done: false
"
    )
}

/// Diagnostics of a JSON run as `path:line:column severity code` lines, sorted.
pub fn diagnostic_lines(json: &Value) -> Vec<String> {
    let mut lines: Vec<String> = json["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{} {} {}",
                d["path"].as_str().unwrap(),
                d["line"],
                d["column"],
                d["severity"].as_str().unwrap(),
                d["code"].as_str().unwrap()
            )
        })
        .collect();
    lines.sort();
    lines
}
