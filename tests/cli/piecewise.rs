//! Parsing objective by objective must give exactly the model a whole parse gives: proven on every revision
//! of a generated benchmark history, the demo's history, the fixtures and the YAML test suite.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use okr::core::piecewise::Pieces;

use crate::support::project_root;

/// Every revision of every OKR file in a repository's history, as (path, content).
fn revisions(repo: &Path) -> Vec<(String, Vec<u8>)> {
    let listing = Command::new("git")
        .args(["rev-list", "--objects", "--all"])
        .current_dir(repo)
        .output()
        .unwrap();
    let blobs: Vec<(String, String)> = String::from_utf8_lossy(&listing.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .filter(|(_, path)| path.ends_with(".yaml"))
        .map(|(id, path)| (id.to_owned(), path.to_owned()))
        .collect();
    let mut cat = Command::new("git")
        .args(["cat-file", "--batch"])
        .current_dir(repo)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = cat.stdin.take().unwrap();
    let ids: String = blobs.iter().map(|(id, _)| format!("{id}\n")).collect();
    let writer = std::thread::spawn(move || input.write_all(ids.as_bytes()));
    let mut output = BufReader::new(cat.stdout.take().unwrap());
    let mut contents = Vec::new();
    for (_, path) in &blobs {
        let mut header = String::new();
        output.read_line(&mut header).unwrap();
        let size: usize = header.split_whitespace().nth(2).unwrap().parse().unwrap();
        let mut bytes = vec![0; size + 1];
        output.read_exact(&mut bytes).unwrap();
        bytes.pop();
        contents.push((path.clone(), bytes));
    }
    writer.join().unwrap().unwrap();
    cat.wait().unwrap();
    contents
}

/// Checks every text both ways; returns how many took the piecewise path.
fn assert_same_models(texts: &[(String, Vec<u8>)]) -> usize {
    let mut pieces = Pieces::default();
    let mut cut = 0;
    for (path, bytes) in texts {
        let whole = okr::core::parse::parse(path, bytes.clone()).okr;
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        if let Some(piecewise) = pieces.parse(text) {
            cut += 1;
            assert_eq!(
                Some(&piecewise),
                whole.as_ref(),
                "piecewise parse differs for {path}:\n{text}"
            );
        }
    }
    cut
}

#[test]
fn piecewise_parsing_equals_whole_parsing_on_a_whole_benchmark_history() {
    if Command::new("python3").arg("--version").output().is_err() {
        eprintln!("SKIPPED: python3 is needed to generate the benchmark history");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("bench");
    let status = Command::new("python3")
        .arg(project_root().join("bench/generate.py"))
        .args([
            "--seed",
            "7",
            "--teams",
            "25",
            "--quarters",
            "4",
            "--commits",
            "1000",
            "--out",
        ])
        .arg(&repo)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "the benchmark generator failed");
    let texts = revisions(&repo);
    assert!(texts.len() > 1000, "only {} revisions", texts.len());
    let cut = assert_same_models(&texts);
    assert!(
        cut * 10 >= texts.len() * 9,
        "only {cut} of {} revisions took the piecewise path",
        texts.len()
    );
}

#[test]
fn piecewise_parsing_equals_whole_parsing_on_the_demo_history_and_the_fixtures() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    assert_eq!(
        crate::support::okr(
            dir.path(),
            &["demo", demo.to_str().unwrap(), "--format", "json"]
        )
        .code,
        0
    );
    let mut texts = revisions(&demo);
    let demo_revisions = texts.len();
    for root in ["fixtures", "../shared/corpus/yaml-test-suite"] {
        for entry in walkdir::WalkDir::new(project_root().join(root))
            .into_iter()
            .filter_map(Result::ok)
        {
            if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "yaml")
            {
                texts.push((
                    entry.path().display().to_string(),
                    std::fs::read(entry.path()).unwrap(),
                ));
            }
        }
    }
    let cut = assert_same_models(&texts);
    assert!(
        cut >= demo_revisions / 2,
        "only {cut} revisions took the piecewise path"
    );
}
