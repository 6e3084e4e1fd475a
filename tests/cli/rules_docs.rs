//! The rules reference in docs/ is generated from the registry; these keep the two equal.

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
