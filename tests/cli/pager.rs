//! Long human output on a terminal goes through a pager, as git's does; never into a pipe or a file, never
//! for machine formats, and not with `--no-pager`. A terminal is made with util-linux's `script`, the way a
//! person runs okr.

use std::path::Path;
use std::process::Command;

use crate::repo::GitRepo;
use crate::support::okr_command;

/// Runs `okr ARGS` in `dir` with its stdout on a pseudo-terminal, and `OKR_PAGER` set to a pager that
/// records what it was given in `pager_saw` and says so on the terminal. Returns what the terminal showed.
fn on_a_terminal(dir: &Path, args: &[&str], pager_saw: &Path) -> String {
    let okr = okr_command(dir);
    let mut line = shell_quote(okr.get_program().to_str().unwrap());
    for arg in args {
        line.push(' ');
        line.push_str(&shell_quote(arg));
    }
    let output = Command::new("script")
        .args(["--quiet", "--return", "--command", &line, "/dev/null"])
        .current_dir(dir)
        .envs(okr.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .env_remove("NO_COLOR")
        .env("TERM", "xterm")
        .env(
            "OKR_PAGER",
            format!(
                "cat > {}; echo PAGED",
                shell_quote(pager_saw.to_str().unwrap())
            ),
        )
        .output()
        .expect("util-linux `script` runs (CI installs it with the base system)");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

#[test]
fn human_output_on_a_terminal_goes_through_the_pager_in_colour() {
    let repo = GitRepo::demo();
    let saw = repo.path().join("pager-saw.txt");
    let shown = on_a_terminal(repo.path(), &["history"], &saw);
    assert!(shown.contains("PAGED"), "{shown}");
    let paged = std::fs::read_to_string(&saw).expect("the pager was given the output");
    assert!(paged.contains("okr history: 2026-Q3"), "{paged}");
    assert!(
        paged.contains('\x1b'),
        "coloured for the terminal behind the pager"
    );
}

#[test]
fn no_pager_for_no_pager_machine_formats_or_a_pipe() {
    let repo = GitRepo::demo();
    let saw = repo.path().join("pager-saw.txt");
    for args in [
        vec!["--no-pager", "history"],
        vec!["history", "--format", "json"],
        vec!["history", "--format", "markdown"],
    ] {
        let shown = on_a_terminal(repo.path(), &args, &saw);
        assert!(!shown.contains("PAGED"), "{args:?}: {shown}");
        assert!(!saw.exists(), "{args:?}");
        assert!(
            shown.contains("2026-Q3"),
            "{args:?} printed directly: {shown}"
        );
    }
    // Piped (as every other test runs okr), even human output is written directly.
    let run = okr_command(repo.path())
        .args(["history"])
        .env(
            "OKR_PAGER",
            format!("cat > {}", shell_quote(saw.to_str().unwrap())),
        )
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&run.stdout).contains("okr history: 2026-Q3"));
    assert!(!saw.exists());
}
