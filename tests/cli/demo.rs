//! `okr demo` as a new user runs it: one demo folder that each run rebuilds, and where it is told again after
//! the history has scrolled by, in commands that run as written.

use std::path::{Path, PathBuf};

use crate::support::{Run, okr_command, project_root};

/// `okr demo` with the user's cache folder (where the demo goes by default) in `home`.
fn demo(home: &Path, env: &[(&str, &str)], remove: &[&str]) -> Run {
    let mut command = okr_command(home);
    command
        .args(["demo", "--format", "json"])
        .env("HOME", home)
        .env("XDG_CACHE_HOME", home.join("cache"));
    for (key, value) in env {
        command.env(key, value);
    }
    for key in remove {
        command.env_remove(key);
    }
    Run::from(command.output().expect("okr runs"))
}

fn default_folder(home: &Path) -> PathBuf {
    // As the demo prints it: the folder's real path.
    let cache = home.join("cache");
    std::fs::create_dir_all(&cache).unwrap();
    cache.canonicalize().unwrap().join("okr-demo")
}

#[test]
fn each_run_rebuilds_one_demo_folder_and_ends_by_saying_where_it_is() {
    let home = tempfile::tempdir().unwrap();
    let folder = default_folder(home.path());
    let first = demo(home.path(), &[], &[]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    assert!(folder.join("okr.toml").is_file());
    std::fs::write(folder.join("scratch.txt"), "an edit of the demo").unwrap();
    let second = demo(home.path(), &[], &[]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        second.stderr.contains("replacing the earlier demo"),
        "{}",
        second.stderr
    );
    assert!(!folder.join("scratch.txt").exists(), "rebuilt from scratch");
    let cache: Vec<_> = std::fs::read_dir(home.path().join("cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(cache, ["okr-demo"], "one folder, however many runs");
    // The history is on stdout; the closing lines, with the folder, come last on stderr.
    second.json();
    let last_lines: Vec<&str> = second.stderr.lines().rev().take(4).collect();
    let folder_text = folder.display().to_string();
    assert_eq!(
        last_lines[3],
        format!("okr: the demo repository is in {folder_text} (the next `okr demo` rebuilds it)")
    );
    assert!(
        last_lines[0].contains("history --format markdown"),
        "{}",
        second.stderr
    );
}

#[test]
fn the_closing_commands_run_as_written() {
    let home = tempfile::tempdir().unwrap();
    let folder = default_folder(home.path());
    // As under `cargo run` in okr's source folder, before okr is installed.
    let run = demo(
        home.path(),
        &[
            ("CARGO_PKG_NAME", "okr"),
            ("CARGO_MANIFEST_DIR", project_root().to_str().unwrap()),
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let cargo_line = run
        .stderr
        .lines()
        .find(|l| l.contains("explore it from okr's source folder: "))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        cargo_line.ends_with(&format!(" -- -C {} report", folder.display())),
        "{cargo_line}"
    );
    assert!(cargo_line.contains(": cargo run"), "{cargo_line}");
    // The binary's own line, run as printed.
    let anywhere = run
        .stderr
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("or from anywhere:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let words: Vec<&str> = anywhere.split_whitespace().collect();
    assert_eq!(
        words[1..],
        ["-C", folder.to_str().unwrap(), "report"],
        "{anywhere}"
    );
    let report = Run::from(okr_command(home.path()).args(&words[1..]).output().unwrap());
    assert_eq!(report.code, 0, "{}", report.stderr);
    assert!(report.stdout.contains("2026-Q3"), "{}", report.stdout);
    assert_eq!(
        Path::new(words[0]).canonicalize().unwrap(),
        Path::new(env!("CARGO_BIN_EXE_okr")).canonicalize().unwrap()
    );

    // Installed: `okr` on the PATH is this binary.
    let bin = tempfile::tempdir().unwrap();
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_okr"), bin.path().join("okr")).unwrap();
        let path = std::env::join_paths(std::iter::once(bin.path().to_path_buf()).chain(
            std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
        ))
        .unwrap();
        let run = demo(
            home.path(),
            &[("PATH", path.to_str().unwrap())],
            &["CARGO_PKG_NAME", "CARGO_MANIFEST_DIR"],
        );
        assert!(
            run.stderr.contains(&format!(
                "\n     explore it: okr -C {} report\n",
                folder.display()
            )),
            "{}",
            run.stderr
        );
    }
}

#[test]
fn a_folder_of_someone_else_where_the_demo_goes_is_left_alone() {
    let home = tempfile::tempdir().unwrap();
    let folder = default_folder(home.path());
    std::fs::create_dir_all(folder.join(".git")).unwrap();
    std::fs::write(folder.join("plans.yaml"), "mine").unwrap();
    let run = demo(home.path(), &[], &[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("is not a demo built by okr"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("okr demo DIR"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(folder.join("plans.yaml")).unwrap(),
        "mine"
    );
    // A folder named on the command line is built in as before: new or empty only.
    let named = home.path().join("named");
    let run = Run::from(
        okr_command(home.path())
            .args(["demo", named.to_str().unwrap(), "--format", "json"])
            .output()
            .unwrap(),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!run.stderr.contains("rebuilds"), "{}", run.stderr);
    let again = Run::from(
        okr_command(home.path())
            .args(["demo", named.to_str().unwrap()])
            .output()
            .unwrap(),
    );
    assert_eq!(
        again.code, 2,
        "never over an earlier demo it was given: {}",
        again.stderr
    );
}

#[test]
fn with_a_relative_home_the_demo_goes_to_a_new_temporary_folder_not_where_okr_runs() {
    let start = tempfile::tempdir().unwrap();
    let run = demo(start.path(), &[("HOME", ".")], &["XDG_CACHE_HOME"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let left: Vec<_> = std::fs::read_dir(start.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert!(left.is_empty(), "nothing written where okr ran: {left:?}");
}
