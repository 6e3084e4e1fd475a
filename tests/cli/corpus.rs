//! The official YAML test suite as a bad-input corpus: every input, placed as an OKR file, gets exit 0 or 1, a
//! located diagnostic when it fails, and never a panic or a hang. The corpus lives beside the project
//! (`../shared/corpus/`); a clone without it skips this test and says so.

use std::path::PathBuf;
use std::time::Duration;

use crate::support::{Scratch, diagnostic_lines, okr_command, project_root};

fn corpus() -> Option<PathBuf> {
    let dir = project_root().join("../shared/corpus/yaml-test-suite");
    dir.is_dir().then_some(dir)
}

#[test]
fn every_yaml_test_suite_input_gets_a_located_diagnostic_or_a_clean_pass() {
    let Some(suite) = corpus() else {
        eprintln!(
            "SKIPPED: no YAML test suite at ../shared/corpus/yaml-test-suite; this test needs it beside the clone"
        );
        return;
    };
    let repo = Scratch::new();
    let mut must_fail = Vec::new();
    let mut count = 0;
    for entry in walkdir::WalkDir::new(&suite)
        .into_iter()
        .filter_map(Result::ok)
    {
        if entry.file_name() != "in.yaml" {
            continue;
        }
        let case_dir = entry.path().parent().unwrap();
        let name = case_dir
            .strip_prefix(&suite)
            .unwrap()
            .to_string_lossy()
            .replace('/', "-");
        let file = format!("okrs/2026-Q3/{name}.yaml");
        repo.write(&file, std::fs::read(entry.path()).unwrap());
        if case_dir.join("error").exists() {
            must_fail.push(file);
        }
        count += 1;
    }
    assert_eq!(count, 402);
    assert_eq!(must_fail.len(), 94);

    // Read the output on another thread while this one keeps the clock, so a hang fails the test.
    let child = okr_command(repo.path())
        .args(["validate", "--format", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (sender, receiver) = std::sync::mpsc::channel();
    std::thread::spawn(move || sender.send(child.wait_with_output()));
    let output = receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("okr validate finishes on the YAML test suite within two minutes")
        .unwrap();
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["files"], 402);
    for diagnostic in json["diagnostics"].as_array().unwrap() {
        assert!(
            diagnostic["line"].as_u64().unwrap() >= 1
                && diagnostic["column"].as_u64().unwrap() >= 1,
            "{diagnostic}"
        );
    }
    let lines = diagnostic_lines(&json);
    for file in &must_fail {
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with(&format!("{file}:")) && l.ends_with("yaml-syntax")),
            "{file} must fail to parse"
        );
    }
}
