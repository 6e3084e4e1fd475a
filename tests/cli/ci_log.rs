//! Whatever users write, okr's output never commands the CI runner that logs it. Hostile text (a newline and
//! then `::`, `%0A`, `\r`, `##[`, ESC and OSC sequences) goes in through every door a user has: `okr.toml`
//! keys and values, YAML titles, notes and units, commit messages and `Reason:` trailers, author names and
//! command-line arguments. Every command then runs in every format it has, and no line of its stdout or stderr
//! may be one a runner reads as a command.

use crate::repo::{GitRepo, planned};
use crate::support::{Run, okr_command};

/// One of each way to start a runner command, and escape sequences besides.
const HOSTILE: &str = "x\n::error file=README.md,line=1::SPOOF %0A::warning::w\r::notice::n\n  \t::stop-commands::tok \
                       ##[error]old ##vso[task.complete]done \x1b[31mred \x1b]0;title\x07 end";

/// The same, as a YAML double-quoted scalar.
const HOSTILE_YAML: &str = r#""x\n::error file=README.md,line=1::SPOOF %0A::warning::w\r::notice::n\n  \t::stop-commands::tok ##[error]old ##vso[task.complete]done \e[31mred \e]0;title\a end""#;

/// Whether the GitHub Actions runner (or Azure Pipelines) would act on `line`: a workflow command after the
/// whitespace it trims, or the older `##[` form anywhere.
fn runner_reads_a_command(line: &str) -> bool {
    line.trim_start().starts_with("::") || line.contains("##[") || line.contains("##vso[")
}

/// The lines of `text` as the runner splits them: at `\n`, `\r\n` and a lone `\r`.
fn runner_lines(text: &str) -> impl Iterator<Item = &str> {
    text.split(['\n', '\r'])
}

/// okr's own annotations in `--format github`: `::error file=…,line=…::message` or `::warning …`, one line
/// each. Nothing else may start with `::`.
fn is_own_annotation(line: &str) -> bool {
    (line.starts_with("::error file=") || line.starts_with("::warning file="))
        && line.matches("::").count() == 2
}

fn assert_disarmed(what: &str, run: &Run, annotations_allowed: bool) {
    for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
        for line in runner_lines(text) {
            if annotations_allowed && stream == "stdout" && is_own_annotation(line) {
                assert!(
                    !line.contains("##[") && !line.contains("##vso["),
                    "{what}: {stream} has an annotation carrying an old-style command: {line:?}"
                );
                continue;
            }
            assert!(
                !runner_reads_a_command(line),
                "{what}: {stream} has a line a CI runner reads as a command: {line:?}\n\n{text}"
            );
            assert!(
                !line.contains('\x1b') && !line.contains('\x07'),
                "{what}: {stream} carries a raw escape sequence: {line:?}"
            );
        }
    }
}

/// A planned quarter, then a mid-quarter commit that eases a target and rewrites titles, notes and units
/// with hostile text, by a hostile author, with a hostile message and `Reason:` trailer; and a working tree
/// that changes them again.
fn hostile_repository() -> GitRepo {
    let repo = planned();
    let file = "okrs/2026-Q3/platform.yaml";
    repo.replace_once(
        file,
        "    title: Make deploys boring\n",
        &format!("    title: {HOSTILE_YAML}\n    notes: {HOSTILE_YAML}\n"),
    )
    .replace_once(
        file,
        "        title: Failed deploys per week\n",
        &format!("        title: {HOSTILE_YAML}\n        unit: {HOSTILE_YAML}\n        notes: {HOSTILE_YAML}\n"),
    )
    .replace_once(
        file,
        "    type: committed\n",
        &format!("    type: committed\n    {HOSTILE_YAML}: unknown field\n"),
    )
    .replace_once(file, "        target: 2\n", "        target: 4\n")
    .replace_once(file, "        current: 12\n", "        current: 7\n");
    let author = HOSTILE.replace('\n', " ");
    repo.commit(
        "2026-08-03T10:00:00+02:00",
        &author,
        &format!("{HOSTILE}\n\n{HOSTILE}\n\nReason: {HOSTILE}"),
    );
    repo.replace_once(file, "        target: 4\n", "        target: 5\n");
    repo
}

/// Each command with each format it writes, as a user runs them, on the hostile repository.
fn runs() -> Vec<Vec<&'static str>> {
    let mut runs = Vec::new();
    for format in [
        "human", "json", "github", "sarif", "junit", "gitlab", "rdjson",
    ] {
        runs.push(vec!["validate", "--format", format]);
        runs.push(vec!["diff", "--check", "base", "--format", format]);
        runs.push(vec!["diff", "--check", "base", "HEAD", "--format", format]);
    }
    runs.push(vec!["diff", "--check", "base", "--format", "markdown"]);
    for format in ["human", "markdown", "json"] {
        runs.push(vec!["diff", "base", "--format", format]);
        runs.push(vec!["diff", "base", "HEAD", "--format", format]);
        runs.push(vec!["show", "--format", format]);
        runs.push(vec!["show", "--at", "base", "--format", format]);
    }
    for format in ["human", "markdown", "json", "html"] {
        runs.push(vec!["history", "--quarter", "2026-Q3", "--format", format]);
        runs.push(vec!["report", "--quarter", "2026-Q3", "--format", format]);
        runs.push(vec![
            "report",
            "--quarter",
            "2026-Q3",
            "--retro",
            "--format",
            format,
        ]);
    }
    runs
}

#[test]
fn no_output_line_of_any_command_or_format_commands_the_runner() {
    let repo = hostile_repository();
    for args in runs() {
        let run = repo.okr(&args);
        assert!(
            run.code == 0 || run.code == 1,
            "okr {args:?} failed: {}",
            run.stderr
        );
        let github = args.contains(&"github");
        assert_disarmed(&format!("okr {}", args.join(" ")), &run, github);
    }
}

#[test]
fn under_github_actions_the_default_output_is_disarmed_too() {
    let repo = hostile_repository();
    for args in [vec!["validate"], vec!["diff", "--check", "base"]] {
        let run = Run::from(
            okr_command(repo.path())
                .args(&args)
                .env("GITHUB_ACTIONS", "true")
                .output()
                .expect("okr runs"),
        );
        // Each has findings to annotate: the hostile unknown field, an eased target without a reason.
        assert_eq!(run.code, 1, "okr {args:?}: {}{}", run.stdout, run.stderr);
        assert!(
            run.stdout.lines().any(is_own_annotation),
            "okr {args:?} annotates: {}",
            run.stdout
        );
        assert_disarmed(
            &format!("okr {} (GitHub Actions)", args.join(" ")),
            &run,
            true,
        );
    }
}

#[test]
fn hostile_okr_toml_keys_and_values_are_disarmed_in_errors() {
    let toml_string = HOSTILE
        .replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
        .replace('\t', "\\t")
        .replace('\x1b', "\\u001b")
        .replace('\x07', "\\u0007");
    for config in [
        format!("dir = \"{toml_string}\"\n"),
        format!("dir = \"okrs\"\n[rules]\n\"{toml_string}\" = \"warn\"\n"),
        format!("dir = \"okrs\"\n[rules]\nobjective-count = \"{toml_string}\"\n"),
        format!("dir = \"okrs\"\n\"{toml_string}\" = 1\n"),
        format!("dir = \"okrs\"\njudged_by = \"{toml_string}\"\n"),
    ] {
        let repo = planned();
        repo.write("okr.toml", &config);
        for args in [
            vec!["validate"],
            vec!["diff", "--check", "base"],
            vec!["history", "--quarter", "2026-Q3"],
            vec!["report", "--quarter", "2026-Q3"],
            vec!["init", "--team", "platform", "--quarter", "2026-Q4"],
        ] {
            let run = repo.okr(&args);
            assert_disarmed(
                &format!("okr {} with {config:?}", args.join(" ")),
                &run,
                false,
            );
        }
    }
}

#[test]
fn hostile_arguments_are_disarmed_where_they_are_echoed() {
    let repo = planned();
    for args in [
        vec!["validate", HOSTILE],
        vec!["diff", HOSTILE],
        vec!["diff", "base", HOSTILE],
        vec!["diff", "--check", HOSTILE],
        vec!["history", "--quarter", HOSTILE],
        vec!["history", "--team", HOSTILE, "--quarter", "2026-Q3"],
        vec!["history", "--since", HOSTILE],
        vec!["history", "--rev", HOSTILE, "--quarter", "2026-Q3"],
        vec!["report", "--at", HOSTILE, "--quarter", "2026-Q3"],
        vec!["report", "--team", HOSTILE, "--quarter", "2026-Q3"],
        vec!["show", "--at", HOSTILE],
        vec!["rules", HOSTILE],
        vec!["history", "--format", HOSTILE],
        vec![HOSTILE],
        vec!["init", "--team", HOSTILE],
        vec!["-C", HOSTILE, "validate"],
    ] {
        let run = repo.okr(&args);
        assert_ne!(run.code, 0, "okr {args:?} refuses: {}", run.stdout);
        assert!(!run.stderr.is_empty(), "okr {args:?} says why");
        assert_disarmed(&format!("okr {args:?}"), &run, false);
    }
}
