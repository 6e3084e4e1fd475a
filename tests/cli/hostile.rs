//! Any bytes in, a located diagnostic out: inputs built to break parsers. Each must end quickly with exit 0 or
//! 1 and a diagnostic that names the file and line, never a crash, a hang or unbounded memory.

use crate::support::{Run, Scratch, diagnostic_lines, valid_file};

const FILE: &str = "okrs/2026-Q3/hostile.yaml";

fn validate_one(content: impl AsRef<[u8]>) -> Run {
    let repo = Scratch::new();
    repo.write(FILE, content);
    let run = repo.okr(&["validate", "--format", "json"]);
    assert!(run.stderr.is_empty(), "stderr: {}", run.stderr);
    run
}

/// Asserts one run failed with `code` at `line` and returns the diagnostic lines.
fn assert_reported(run: &Run, code: &str, line: u32) -> Vec<String> {
    assert_eq!(run.code, 1, "{}", run.stdout);
    let lines = diagnostic_lines(&run.json());
    let wanted = format!("{FILE}:{line}:");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with(&wanted) && l.ends_with(code)),
        "no {code} at line {line} in {lines:#?}"
    );
    lines
}

#[test]
fn exponential_alias_expansion_is_not_expanded() {
    let mut text = String::from(
        "quarter: 2026-Q3\nteam: x\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..30 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    text.push_str("objectives: *a29\n");
    let run = validate_one(text);
    assert_reported(&run, "unknown-field", 3);
    // `objectives` is a list of nine `*a28` lists, none an objective: reported where the aliases are written.
    let lines = assert_reported(&run, "invalid-value", 32);
    assert_eq!(lines.len(), 30 + 9, "{lines:#?}");
}

#[test]
fn nesting_100000_deep_in_flow_style_is_reported() {
    let text = format!(
        "quarter: 2026-Q3\nteam: x\nobjectives: {}{}\n",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert_reported(&validate_one(text), "yaml-syntax", 3);
}

#[test]
fn nesting_100000_deep_in_block_style_is_reported() {
    let text = format!(
        "quarter: 2026-Q3\nteam: x\nobjectives:\n  {}x\n",
        "- ".repeat(100_000)
    );
    assert_reported(&validate_one(text), "yaml-syntax", 4);
}

#[test]
fn a_50_mb_file_is_refused_with_a_diagnostic() {
    let mut text = valid_file("x");
    let notes = format!("# {}\n", "padding ".repeat(100));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&notes);
    }
    let run = validate_one(text);
    assert_reported(&run, "unreadable-file", 1);
}

#[test]
fn a_5_mb_line_is_checked_and_shown_briefly() {
    let text = valid_file("x").replace(
        "title: Make deploys boring",
        &format!("title: {}", "long ".repeat(1_000_000)),
    );
    let run = validate_one(text.replace("type: committed", "type: 5"));
    assert_reported(&run, "invalid-value", 6);
    let repo = Scratch::new();
    repo.write(
        FILE,
        valid_file("x").replace("title: Make", &format!("titel: {}", "z".repeat(5_000_000))),
    );
    let human = repo.okr(&["validate"]);
    assert_eq!(human.code, 1);
    assert!(
        human.stdout.len() < 10_000,
        "human output is {} bytes",
        human.stdout.len()
    );
}

#[test]
fn nul_bytes_are_a_syntax_error() {
    let text = valid_file("x").replace("Make deploys boring", "Make\0deploys");
    assert_reported(&validate_one(text), "yaml-syntax", 5);
}

#[test]
fn invalid_utf8_is_located() {
    let mut bytes = valid_file("x").into_bytes();
    let at = bytes.windows(4).position(|w| w == b"Make").unwrap();
    bytes[at] = 0xff;
    let lines = assert_reported(&validate_one(bytes), "yaml-syntax", 5);
    assert_eq!(lines, [format!("{FILE}:5:12 error yaml-syntax")]);
}

#[test]
fn a_bom_with_crlf_line_ends_is_a_normal_file() {
    let text = format!("\u{feff}{}", valid_file("x").replace('\n', "\r\n"));
    let run = validate_one(text.clone());
    assert_eq!(run.code, 0, "{}", run.stdout);
    let broken = validate_one(text.replace("target: 2", "taget: 2"));
    assert_reported(&broken, "unknown-field", 11);
    assert!(diagnostic_lines(&broken.json()).contains(&format!("{FILE}:11:9 error unknown-field")));
}

#[test]
fn duplicate_keys_are_reported_at_the_second_key() {
    let text = valid_file("x").replace(
        "    type: committed\n",
        "    type: committed\n    title: Make deploys dull\n",
    );
    let lines = assert_reported(&validate_one(text), "yaml-syntax", 7);
    assert_eq!(lines, [format!("{FILE}:7:5 error yaml-syntax")]);
}

#[test]
fn language_specific_tags_are_refused() {
    let text = valid_file("x").replace(
        "title: Make deploys boring",
        "title: !!python/object:os.system echo",
    );
    assert_reported(&validate_one(text), "invalid-value", 5);
    let on_mapping = valid_file("x").replace(
        "objectives:\n",
        "owner: !!python/object:builtins.dict {a: 1}\nobjectives:\n",
    );
    assert_reported(&validate_one(on_mapping), "yaml-syntax", 3);
}

#[test]
fn several_documents_in_one_file_are_reported_at_the_second() {
    let text = format!("{}---\n{}", valid_file("x"), valid_file("y"));
    let lines = assert_reported(&validate_one(text), "yaml-syntax", 16);
    assert_eq!(lines.len(), 1, "{lines:#?}");
}

#[test]
fn an_empty_file_and_a_top_level_list_say_what_a_file_should_be() {
    assert_reported(&validate_one(""), "invalid-value", 1);
    assert_reported(&validate_one("# only a comment\n"), "invalid-value", 1);
    assert_reported(&validate_one("- quarter: 2026-Q3\n"), "invalid-value", 1);
}

#[test]
fn a_folder_named_like_a_yaml_file_is_walked_not_read() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/x.yaml/inner.yaml", valid_file("inner"));
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.json()["files"], 1, "{}", run.stdout);
    // The folder holding the file is `x.yaml`, not a quarter, so only the file itself is checked.
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[cfg(unix)]
#[test]
fn a_symlink_leading_outside_the_repository_is_never_read() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("secret.yaml"),
        "quarter: 2026-Q3\nteam: secret-team-name\n",
    )
    .unwrap();
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    std::os::unix::fs::symlink(
        outside.path().join("secret.yaml"),
        repo.path().join("okrs/2026-Q3/b.yaml"),
    )
    .unwrap();
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        diagnostic_lines(&run.json()),
        ["okrs/2026-Q3/b.yaml:1:1 error unreadable-file"]
    );
    assert!(!run.stdout.contains("secret-team-name"));
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_reported_not_followed() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    let dir = repo.path().join("okrs/2026-Q3");
    std::os::unix::fs::symlink(dir.join("loop-b.yaml"), dir.join("loop-a.yaml")).unwrap();
    std::os::unix::fs::symlink(dir.join("loop-a.yaml"), dir.join("loop-b.yaml")).unwrap();
    std::os::unix::fs::symlink(repo.path().join("okrs"), dir.join("back-up")).unwrap();
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(
        diagnostic_lines(&run.json()),
        [
            "okrs/2026-Q3/loop-a.yaml:1:1 error unreadable-file",
            "okrs/2026-Q3/loop-b.yaml:1:1 error unreadable-file"
        ]
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_inside_the_repository_is_read() {
    let repo = Scratch::new();
    repo.write("shared/a.yaml", valid_file("a"));
    std::fs::create_dir_all(repo.path().join("okrs/2026-Q3")).unwrap();
    std::os::unix::fs::symlink(
        repo.path().join("shared/a.yaml"),
        repo.path().join("okrs/2026-Q3/a.yaml"),
    )
    .unwrap();
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(
        (run.code, run.json()["files"].as_u64()),
        (0, Some(1)),
        "{}",
        run.stdout
    );
}

/// Each refusal says why it applies: the fix for a file kept elsewhere is not the fix for a link.
#[test]
fn a_regular_file_outside_the_repository_is_refused_as_outside_not_as_a_link() {
    let outside = tempfile::tempdir().unwrap();
    let file = outside.path().join("draft.yaml");
    std::fs::write(&file, valid_file("draft")).unwrap();
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/a.yaml", valid_file("a"));
    let run = repo.okr(&["validate", "--format", "json", file.to_str().unwrap()]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let json = run.json();
    let diagnostic = &json["diagnostics"][0];
    assert_eq!(diagnostic["code"], "unreadable-file");
    let message = diagnostic["message"].as_str().unwrap();
    assert!(
        message.starts_with("this file is outside the repository"),
        "{message}"
    );
    assert!(!message.contains("symbolic link"), "{message}");
    let help = diagnostic["help"].as_str().unwrap();
    assert!(help.contains("okr -C"), "{help}");
    assert!(!help.contains("link"), "{help}");
}

#[cfg(unix)]
#[test]
fn a_link_out_and_a_folder_linked_out_each_say_so() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.yaml"), valid_file("x")).unwrap();
    let repo = Scratch::new();
    std::fs::create_dir_all(repo.path().join("okrs/2026-Q3")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("x.yaml"),
        repo.path().join("okrs/2026-Q3/x.yaml"),
    )
    .unwrap();
    std::os::unix::fs::symlink(outside.path(), repo.path().join("elsewhere")).unwrap();
    let run = repo.okr(&[
        "validate",
        "--format",
        "json",
        "okrs/2026-Q3/x.yaml",
        "elsewhere/x.yaml",
    ]);
    let json = run.json();
    let messages: Vec<(&str, &str)> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["message"].as_str().unwrap()))
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(
        messages[0].0 == "elsewhere/x.yaml"
            && messages[0]
                .1
                .starts_with("this path goes through a symbolic link to a folder outside"),
        "{messages:#?}"
    );
    assert!(
        messages[1].0 == "okrs/2026-Q3/x.yaml"
            && messages[1]
                .1
                .starts_with("this symbolic link leads outside the repository"),
        "{messages:#?}"
    );
}
