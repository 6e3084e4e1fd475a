//! Documentation that can be checked is checked: the rules reference is generated from the registry, and the
//! format examples must be valid OKR files.

use crate::support::{okr, project_root};

#[test]
fn docs_rules_md_is_the_generated_reference() {
    let generated = okr(&project_root(), &["rules", "--markdown"]);
    assert_eq!(generated.code, 0);
    let committed =
        std::fs::read_to_string(project_root().join("docs/rules.md")).unwrap_or_default();
    assert!(
        committed == generated.stdout,
        "docs/rules.md is stale: run `cargo run -- rules --markdown > docs/rules.md`"
    );
}

#[test]
fn every_rule_can_be_explained_on_the_command_line() {
    let list = okr(&project_root(), &["rules"]);
    for code in list
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
    {
        let explained = okr(&project_root(), &["rules", code]);
        assert_eq!(explained.code, 0, "{code}");
        assert!(explained.stdout.contains("Why: "), "{code}");
    }
    assert_eq!(okr(&project_root(), &["rules", "no-such-rule"]).code, 2);
}

/// The YAML blocks of a Markdown file that are whole OKR files (they have `quarter:` and `team:`).
fn okr_file_blocks(markdown: &str) -> Vec<String> {
    markdown
        .split("```yaml\n")
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(block, _)| block.to_owned()))
        .filter(|block| block.contains("\nquarter: ") && block.contains("\nteam: "))
        .collect()
}

#[test]
fn the_examples_in_the_format_docs_are_valid_files() {
    let format = std::fs::read_to_string(project_root().join("docs/format.md")).unwrap();
    let blocks = okr_file_blocks(&format);
    assert!(
        blocks.len() >= 2,
        "expected the complete example and the company example"
    );
    let repo = crate::support::Scratch::new();
    for block in &blocks {
        let team = block
            .lines()
            .find_map(|l| l.strip_prefix("team: "))
            .unwrap();
        repo.write(&format!("okrs/2026-Q3/{team}.yaml"), block);
    }
    let run = repo.okr(&["validate", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(
        crate::support::diagnostic_lines(&run.json()),
        Vec::<String>::new()
    );
}

/// The docs describe okr as it is: a feature the docs call "later" is either built (and described) or not
/// mentioned.
#[test]
fn the_docs_promise_nothing_for_a_later_release() {
    let mut pages = vec![project_root().join("README.md")];
    for entry in std::fs::read_dir(project_root().join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            pages.push(path);
        }
    }
    for page in pages {
        let text = std::fs::read_to_string(&page).unwrap();
        for (number, line) in text.lines().enumerate() {
            assert!(
                !line.contains("later release") && !line.contains("(later)"),
                "{}:{}: {line}",
                page.display(),
                number + 1
            );
        }
    }
}

#[test]
fn the_okr_toml_in_the_format_docs_is_a_valid_configuration() {
    let format = std::fs::read_to_string(project_root().join("docs/format.md")).unwrap();
    let (_, section) = format
        .split_once("## Configuration: `okr.toml`")
        .expect("the okr.toml section");
    let (_, rest) = section.split_once("```toml\n").expect("its example");
    let (example, _) = rest.split_once("```").unwrap();
    let config = okr::repo::config::Config::parse(example).unwrap();
    assert_eq!(config.planning_window_days, 14);
    assert_eq!(config.fiscal_year_start_month, 1);
    for key in [
        "dir",
        "planning_window_days",
        "fiscal_year_start_month",
        "[rules]",
        "[policy]",
    ] {
        assert!(
            section.contains(&format!("| `{key}` |")),
            "{key} has no row in the table"
        );
    }
}
