//! Format 1.1's `links` on a file, an objective and a key result: read as plain addresses or `{title, url}`,
//! only `http` and `https`, diffed, and shown as links in Markdown and HTML with every piece escaped.

use serde_json::Value;

use crate::repo::{GitRepo, planned};

const PLATFORM: &str = "okrs/2026-Q3/platform.yaml";

fn linked() -> GitRepo {
    let repo = planned();
    repo.replace_once(
        PLATFORM,
        "owner: Dana Li\n",
        "owner: Dana Li\nlinks:\n  - https://wiki.example.com/platform\n",
    );
    repo.replace_once(
        PLATFORM,
        "    title: Make deploys boring\n",
        "    title: Make deploys boring\n    links:\n      - title: \"Deploys | [board](x) @ops\"\n        url: https://example.com/board?a=1&b=2|3\n",
    );
    repo.replace_once(
        PLATFORM,
        "        current: 12\n",
        "        current: 12\n        links: [https://grafana.example.com/d/deploys]\n",
    );
    repo.commit(
        "2026-08-10T10:00:00+02:00",
        "Dana Li",
        "Link the dashboards",
    );
    repo
}

#[test]
fn links_are_read_at_every_level_and_diffed() {
    let repo = linked();
    let validate = repo.okr(&["validate"]);
    assert_eq!(validate.code, 0, "{}", validate.stdout);
    let diff = repo
        .okr(&["diff", "base", "HEAD", "--format", "json"])
        .json();
    let links: Vec<(Value, Value, Value)> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "links_changed")
        .map(|c| {
            (
                c["objective"].clone(),
                c["key_result"].clone(),
                c["to"].clone(),
            )
        })
        .collect();
    assert_eq!(
        links,
        [
            (
                Value::Null,
                Value::Null,
                Value::from("https://wiki.example.com/platform")
            ),
            (
                Value::from("boring-deploys"),
                Value::Null,
                Value::from("Deploys | [board](x) @ops <https://example.com/board?a=1&b=2|3>")
            ),
            (
                Value::from("boring-deploys"),
                Value::from("failed-deploys"),
                Value::from("https://grafana.example.com/d/deploys")
            ),
        ]
    );
    let check = repo.okr(&["diff", "--check", "base", "HEAD"]);
    assert_eq!(check.code, 0, "links need no reason: {}", check.stdout);
    let report = repo
        .okr(&["report", "--team", "platform", "--format", "json"])
        .json();
    assert_eq!(
        report["teams"][0]["links"],
        serde_json::json!([{"title": null, "url": "https://wiki.example.com/platform"}])
    );
}

#[test]
fn markdown_and_html_make_links_of_the_addresses_and_nothing_of_the_titles() {
    let repo = linked();
    let markdown = repo
        .okr(&["report", "--team", "platform", "--format", "markdown"])
        .stdout;
    assert!(
        markdown.contains(
            "[Deploys \\| \\[board\\](x) @\u{200d}ops](<https://example.com/board?a=1&b=2%7C3>)"
        ),
        "{markdown}"
    );
    assert!(markdown.contains(
        "Links: [https://wiki.example.com/platform](<https://wiki.example.com/platform>)"
    ));
    let html = repo
        .okr(&["report", "--team", "platform", "--format", "html"])
        .stdout;
    assert!(
        html.contains(
            "<a href=\"https://example.com/board?a=1&amp;b=2|3\" rel=\"noopener noreferrer\">Deploys | [board](x) @ops</a>"
        ),
        "{html}"
    );
    let human = repo.okr(&["report", "--team", "platform"]).stdout;
    assert!(
        human.contains("        links: https://grafana.example.com/d/deploys\n"),
        "{human}"
    );
}

#[test]
fn only_web_addresses_are_links() {
    let repo = GitRepo::new();
    repo.write("okrs/2026-Q3/company.yaml", &crate::repo::company_file());
    repo.write(
        PLATFORM,
        &crate::repo::team_file("platform").replace(
            "    title: Make deploys boring\n",
            "    title: Make deploys boring\n    links:\n      - javascript:alert(1)\n      - title: Sheet\n        url: \"https://example.com/a b\"\n      - title: No address\n      - https://ok.example.com\n",
        ),
    );
    let run = repo.okr(&["validate", PLATFORM]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        run.stdout
            .contains("`javascript:alert(1)` is not an http or https address"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("`https://example.com/a b` is not an http or https address"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("this link has no `url`"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("3 errors"), "{}", run.stdout);
}
