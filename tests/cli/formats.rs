//! The CI output formats of `okr validate` — GitHub annotations, SARIF, JUnit — on every invalid fixture:
//! well-formed, every diagnostic present, each at the place the JSON output gives. Plus escaping, the
//! automatic annotations under GitHub Actions, completions and the man page.

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;
use serde_json::Value;

use crate::fixtures::invalid_cases;
use crate::support::{Scratch, okr, okr_command, valid_file};

fn case_name(dir: &std::path::Path) -> String {
    dir.file_name().unwrap().to_string_lossy().into_owned()
}

fn diagnostics(json: &Value) -> Vec<Value> {
    json["diagnostics"]
        .as_array()
        .expect("diagnostics is a list")
        .clone()
}

// ---------------------------------------------------------------------------------------------------------
// GitHub workflow commands

#[derive(Debug, PartialEq)]
struct Annotation {
    command: String,
    file: String,
    line: u64,
    col: u64,
    title: String,
    message: String,
}

/// Undoes the runner's escaping (`%25` last, so `%252C` stays `%2C`).
fn unescape_command(text: &str) -> String {
    text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

/// Parses `::error file=…,line=N,col=N,title=…::message`, insisting on exactly these properties.
fn parse_annotation(line: &str) -> Result<Annotation, String> {
    let rest = line.strip_prefix("::").ok_or("does not start with ::")?;
    let (command, rest) = rest.split_once(' ').ok_or("no space after the command")?;
    if command != "error" && command != "warning" {
        return Err(format!("command `{command}`"));
    }
    let (properties, message) = rest.split_once("::").ok_or("no :: before the message")?;
    let mut map = BTreeMap::new();
    for property in properties.split(',') {
        let (key, value) = property
            .split_once('=')
            .ok_or_else(|| format!("property `{property}` has no ="))?;
        if value.contains([':', ',', '\n', '\r']) {
            return Err(format!("property `{key}` is not escaped"));
        }
        map.insert(key, value);
    }
    let keys: Vec<&str> = map.keys().copied().collect();
    if keys != ["col", "file", "line", "title"] {
        return Err(format!("properties {keys:?}"));
    }
    if message.contains(['\n', '\r']) {
        return Err("message is not escaped".to_owned());
    }
    Ok(Annotation {
        command: command.to_owned(),
        file: unescape_command(map["file"]),
        line: map["line"].parse().map_err(|_| "line is not a number")?,
        col: map["col"].parse().map_err(|_| "col is not a number")?,
        title: unescape_command(map["title"]),
        message: unescape_command(message),
    })
}

#[test]
fn github_format_is_one_located_annotation_per_diagnostic() {
    let mut failures = Vec::new();
    for case in invalid_cases() {
        let name = case_name(&case.dir);
        let json = okr(&case.dir, &["validate", "--format", "json"]);
        let github = okr(&case.dir, &["validate", "--format", "github"]);
        assert_eq!(github.code, json.code, "{name}: exit code");
        assert!(github.stderr.is_empty(), "{name}: {}", github.stderr);
        let expected = diagnostics(&json.json());
        assert!(
            !expected.is_empty(),
            "{name}: an invalid case with no diagnostic"
        );
        assert!(github.stdout.ends_with('\n'), "{name}: no final newline");
        let lines: Vec<&str> = github.stdout.lines().collect();
        if lines.len() != expected.len() {
            failures.push(format!(
                "{name}: {} annotations for {} diagnostics",
                lines.len(),
                expected.len()
            ));
            continue;
        }
        for (line, d) in lines.iter().zip(&expected) {
            let annotation = match parse_annotation(line) {
                Ok(a) => a,
                Err(why) => {
                    failures.push(format!("{name}: {why}: {line}"));
                    continue;
                }
            };
            let same = annotation.command == d["severity"].as_str().unwrap()
                && annotation.file == d["path"].as_str().unwrap()
                && annotation.line == d["line"].as_u64().unwrap()
                && annotation.col == d["column"].as_u64().unwrap()
                && annotation.title == d["code"].as_str().unwrap()
                && annotation
                    .message
                    .starts_with(d["message"].as_str().unwrap());
            let help_shown = d["help"]
                .as_str()
                .is_none_or(|help| annotation.message.ends_with(&format!(" (help: {help})")));
            if !same || !help_shown {
                failures.push(format!("{name}: {annotation:?} for {d}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn github_annotations_escape_percent_comma_colon_and_line_breaks() {
    let repo = Scratch::new();
    // A file name with every character the runner treats specially, and a key quoting `%`, `:` and `,`.
    let path = "okrs/2026-Q3/a,b:c%\nd.yaml";
    let text = valid_file("platform").replace("objectives:", "\"50% done: a,b\": 1\nobjectives:");
    repo.write(path, text);
    let run = repo.okr(&["validate", "--format", "github"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    let line = run.stdout.lines().next().unwrap();
    assert!(
        line.starts_with(
            "::error file=okrs/2026-Q3/a%2Cb%3Ac%25%0Ad.yaml,line=3,col=1,title=unknown-field::unknown field `50%25 done: a,b"
        ),
        "{line}"
    );
    let annotation = parse_annotation(line).unwrap();
    assert_eq!(annotation.file, path);
    assert!(
        annotation.message.contains("`50% done: a,b"),
        "{annotation:?}"
    );
}

#[test]
fn under_github_actions_validate_prints_annotations_and_the_human_output() {
    let case = invalid_cases()
        .into_iter()
        .find(|c| c.dir.ends_with("many-problems"))
        .expect("the many-problems fixture");
    let human = okr(&case.dir, &["validate"]);
    let github = okr(&case.dir, &["validate", "--format", "github"]);
    let output = okr_command(&case.dir)
        .arg("validate")
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout, format!("{}{}", github.stdout, human.stdout));
    assert!(stdout.starts_with(
        "::error file=okrs/2026-Q3/search.yaml,line=2,col=10,title=quarter-mismatch::"
    ));
    assert!(stdout.contains("error[quarter-mismatch]"), "{stdout}");

    // Any other value, or an explicit format, means no annotations.
    for (value, args) in [
        ("false", &["validate"][..]),
        ("true", &["validate", "--format", "human"][..]),
    ] {
        let output = okr_command(&case.dir)
            .args(args)
            .env("GITHUB_ACTIONS", value)
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8(output.stdout).unwrap(),
            human.stdout,
            "{value} {args:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// SARIF

/// Percent-decoding of a SARIF `uri` (a relative URI reference) back to the path.
fn percent_decode(uri: &str) -> String {
    let bytes = uri.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn sarif_format_is_sarif_2_1_0_with_a_located_result_per_diagnostic() {
    let rules = okr(&crate::support::project_root(), &["rules"]);
    let codes: Vec<&str> = rules
        .stdout
        .lines()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    for case in invalid_cases() {
        let name = case_name(&case.dir);
        let json = okr(&case.dir, &["validate", "--format", "json"]);
        let sarif = okr(&case.dir, &["validate", "--format", "sarif"]);
        assert_eq!(sarif.code, json.code, "{name}: exit code");
        assert!(sarif.stdout.ends_with("}\n"), "{name}");
        let log = sarif.json();
        assert_eq!(log["version"], "2.1.0", "{name}");
        assert_eq!(
            log["$schema"],
            "https://json.schemastore.org/sarif-2.1.0.json"
        );
        let runs = log["runs"].as_array().unwrap();
        assert_eq!(runs.len(), 1, "{name}");
        let run = &runs[0];
        let driver = &run["tool"]["driver"];
        assert_eq!(driver["name"], "okr");
        assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
        let rule_ids: Vec<&str> = driver["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap())
            .collect();
        assert_eq!(rule_ids, codes, "{name}: every rule, in registry order");
        for rule in driver["rules"].as_array().unwrap() {
            for field in [
                "/shortDescription/text",
                "/fullDescription/text",
                "/help/text",
                "/help/markdown",
            ] {
                assert!(
                    rule.pointer(field)
                        .and_then(Value::as_str)
                        .is_some_and(|t| !t.is_empty()),
                    "{name}: rule {} has no {field}",
                    rule["id"]
                );
            }
            let level = rule["defaultConfiguration"]["level"].as_str().unwrap();
            assert!(level == "error" || level == "warning", "{level}");
        }

        let expected = diagnostics(&json.json());
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), expected.len(), "{name}: results");
        for (result, d) in results.iter().zip(&expected) {
            let code = d["code"].as_str().unwrap();
            assert_eq!(result["ruleId"], code, "{name}");
            let index = result["ruleIndex"].as_u64().unwrap() as usize;
            assert_eq!(rule_ids[index], code, "{name}: ruleIndex");
            assert_eq!(result["level"], d["severity"], "{name}");
            let message = result["message"]["text"].as_str().unwrap();
            assert!(
                message.starts_with(d["message"].as_str().unwrap()),
                "{name}: {message}"
            );
            if let Some(help) = d["help"].as_str() {
                assert!(message.contains(help), "{name}: {message}");
            }
            let locations = result["locations"].as_array().unwrap();
            assert_eq!(locations.len(), 1);
            let physical = &locations[0]["physicalLocation"];
            let uri = physical["artifactLocation"]["uri"].as_str().unwrap();
            assert_eq!(percent_decode(uri), d["path"].as_str().unwrap(), "{name}");
            assert_eq!(physical["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            assert_eq!(physical["region"]["startLine"], d["line"], "{name}");
            assert_eq!(physical["region"]["startColumn"], d["column"], "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// JUnit

#[derive(Debug, Default)]
struct Failure {
    message: String,
    kind: String,
    text: String,
}

#[derive(Debug, Default)]
struct Case {
    name: String,
    failures: Vec<Failure>,
    system_out: String,
}

#[derive(Debug, Default)]
struct Junit {
    suites: BTreeMap<String, String>,
    suite: BTreeMap<String, String>,
    suite_count: usize,
    cases: Vec<Case>,
}

fn attributes(element: &BytesStart<'_>) -> BTreeMap<String, String> {
    element
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let value = a
                .normalized_value(XmlVersion::Explicit1_0)
                .expect("attribute value unescapes");
            (a.key.as_ref().to_owned(), value.into_owned())
        })
        .collect()
}

/// Reads a JUnit report with quick-xml's reader, failing on anything malformed.
fn parse_junit(xml: &str) -> Junit {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().enable_all_checks(true);
    let mut junit = Junit::default();
    let mut open: Vec<String> = Vec::new();
    let mut declared = false;
    loop {
        let event = reader.read_event().unwrap_or_else(|e| {
            panic!(
                "not well-formed XML at {}: {e}\n{xml}",
                reader.error_position()
            )
        });
        let text = match &event {
            Event::Eof => break,
            Event::Decl(decl) => {
                assert!(!declared && open.is_empty());
                assert_eq!(decl.version().unwrap(), "1.0");
                assert_eq!(decl.encoding().unwrap().unwrap(), "UTF-8");
                declared = true;
                None
            }
            Event::Start(e) | Event::Empty(e) => {
                let name = e.name().as_ref().to_owned();
                let attrs = attributes(e);
                match name.as_str() {
                    "testsuites" => junit.suites = attrs,
                    "testsuite" => {
                        junit.suite = attrs;
                        junit.suite_count += 1;
                    }
                    "testcase" => junit.cases.push(Case {
                        name: attrs["name"].clone(),
                        ..Case::default()
                    }),
                    "failure" => junit.cases.last_mut().unwrap().failures.push(Failure {
                        message: attrs["message"].clone(),
                        kind: attrs["type"].clone(),
                        text: String::new(),
                    }),
                    "system-out" => {}
                    other => panic!("unexpected element <{other}>"),
                }
                if matches!(event, Event::Start(_)) {
                    open.push(name);
                }
                None
            }
            Event::End(_) => {
                open.pop();
                None
            }
            Event::Text(t) => Some(t.xml10_content().into_owned()),
            Event::GeneralRef(r) => Some(match r.resolve_char_ref().unwrap() {
                Some(c) => c.to_string(),
                None => resolve_predefined_entity(r)
                    .expect("a predefined entity")
                    .to_owned(),
            }),
            other => panic!("unexpected {other:?}"),
        };
        if let Some(text) = text {
            match open.last().map(String::as_str) {
                Some("failure") => {
                    let case = junit.cases.last_mut().unwrap();
                    case.failures.last_mut().unwrap().text.push_str(&text)
                }
                Some("system-out") => junit.cases.last_mut().unwrap().system_out.push_str(&text),
                _ => assert!(text.trim().is_empty(), "stray text {text:?}"),
            }
        }
    }
    assert!(declared, "no XML declaration");
    assert!(open.is_empty());
    assert_eq!(junit.suite_count, 1);
    junit
}

#[test]
fn junit_format_is_well_formed_xml_with_a_failure_per_error() {
    for case in invalid_cases() {
        let name = case_name(&case.dir);
        let run = okr(&case.dir, &["validate", "--format", "json"]);
        let json = run.json();
        let junit_run = okr(&case.dir, &["validate", "--format", "junit"]);
        assert_eq!(junit_run.code, run.code, "{name}: exit code");
        assert!(
            junit_run
                .stdout
                .starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"),
            "{name}"
        );
        let junit = parse_junit(&junit_run.stdout);
        let expected = diagnostics(&json);

        let tests = junit.cases.len().to_string();
        let failed = junit
            .cases
            .iter()
            .filter(|c| !c.failures.is_empty())
            .count()
            .to_string();
        for attrs in [&junit.suites, &junit.suite] {
            assert_eq!(attrs["name"], "okr validate");
            assert_eq!(attrs["tests"], tests, "{name}");
            assert_eq!(attrs["failures"], failed, "{name}");
            assert_eq!(attrs["errors"], "0");
        }
        assert_eq!(junit.suite["skipped"], "0");

        let all_failures: Vec<&Failure> = junit.cases.iter().flat_map(|c| &c.failures).collect();
        assert_eq!(
            all_failures.len() as u64,
            json["errors"].as_u64().unwrap(),
            "{name}: failures"
        );
        let errors = expected.iter().filter(|d| d["severity"] == "error");
        for (failure, d) in all_failures.iter().zip(errors) {
            let code = d["code"].as_str().unwrap();
            let path = d["path"].as_str().unwrap();
            assert_eq!(failure.kind, code, "{name}");
            assert_eq!(
                failure.message,
                format!("{code}: {}", d["message"].as_str().unwrap()),
                "{name}"
            );
            let place = format!("{path}:{}:{}: ", d["line"], d["column"]);
            assert!(
                failure.text.starts_with(&place),
                "{name}: {failure:?} at {place}"
            );
            if let Some(help) = d["help"].as_str() {
                assert!(
                    failure.text.ends_with(&format!("\nhelp: {help}")),
                    "{name}: {failure:?}"
                );
            }
        }
        for d in expected.iter().filter(|d| d["severity"] == "warning") {
            let path = d["path"].as_str().unwrap();
            let case = junit
                .cases
                .iter()
                .find(|c| c.name == path)
                .expect("a test case per file");
            let line = format!(
                "warning[{}]: {path}:{}:{}: ",
                d["code"].as_str().unwrap(),
                d["line"],
                d["column"]
            );
            assert!(
                case.system_out.contains(&line),
                "{name}: {case:?} lacks {line}"
            );
        }
        // One test case per file with findings, plus one for the files without.
        let mut paths: Vec<&str> = expected
            .iter()
            .map(|d| d["path"].as_str().unwrap())
            .collect();
        paths.dedup();
        let files = json["files"].as_u64().unwrap() as usize;
        let mut names: Vec<&str> = paths.clone();
        if files > paths.len() {
            names.push("(other files)");
        }
        let cases: Vec<&str> = junit.cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(cases, names, "{name}");
    }
}

#[test]
fn junit_escapes_markup_and_counts_clean_files_in_one_case() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/platform.yaml", valid_file("platform"));
    repo.write("okrs/2026-Q3/search.yaml", valid_file("search"));
    let odd = valid_file("web").replace("type: committed", "type: '<x>&\"'");
    repo.write("okrs/2026-Q3/<web>&\".yaml", odd);
    let run = repo.okr(&["validate", "--format", "junit"]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    assert!(
        !run.stdout.contains("<x>"),
        "markup is escaped:\n{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("<web>"),
        "markup is escaped:\n{}",
        run.stdout
    );
    let junit = parse_junit(&run.stdout);
    assert_eq!(junit.suites["tests"], "2");
    assert_eq!(junit.suites["failures"], "1");
    let [odd, others] = junit.cases.as_slice() else {
        panic!("{:?}", junit.cases)
    };
    assert_eq!(odd.name, "okrs/2026-Q3/<web>&\".yaml");
    let [failure] = odd.failures.as_slice() else {
        panic!("{odd:?}")
    };
    assert_eq!(failure.kind, "invalid-value");
    assert!(failure.message.contains("found `<x>&\"`"), "{failure:?}");
    assert!(
        failure
            .text
            .starts_with("okrs/2026-Q3/<web>&\".yaml:6:11: "),
        "{failure:?}"
    );
    assert_eq!(others.name, "(other files)");
    assert!(others.failures.is_empty());
    assert_eq!(others.system_out, "2 other files checked: no findings");
}

#[test]
fn clean_repositories_give_empty_annotations_and_results_and_a_passing_report() {
    let repo = Scratch::new();
    repo.write("okrs/2026-Q3/platform.yaml", valid_file("platform"));
    let github = repo.okr(&["validate", "--format", "github"]);
    assert_eq!((github.code, github.stdout.as_str()), (0, ""));
    let sarif = repo.okr(&["validate", "--format", "sarif"]);
    assert_eq!(sarif.code, 0);
    assert_eq!(sarif.json()["runs"][0]["results"], serde_json::json!([]));
    let junit = repo.okr(&["validate", "--format", "junit"]);
    assert_eq!(junit.code, 0);
    let report = parse_junit(&junit.stdout);
    assert_eq!(
        (
            report.suites["tests"].as_str(),
            report.suites["failures"].as_str()
        ),
        ("1", "0")
    );
    assert_eq!(
        report.cases[0].system_out,
        "1 other file checked: no findings"
    );
}

// ---------------------------------------------------------------------------------------------------------
// Completions and the man page

#[test]
fn completions_are_printed_for_every_shell() {
    let root = crate::support::project_root();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = okr(&root, &["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(!run.stdout.trim().is_empty(), "{shell}");
        assert!(run.stdout.contains("okr"), "{shell}");
        assert!(
            run.stdout.contains("validate"),
            "{shell}: subcommands are completed"
        );
    }
    assert_eq!(okr(&root, &["completions", "tcsh"]).code, 2);
}

#[test]
fn the_man_page_is_roff() {
    let run = okr(&crate::support::project_root(), &["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.lines().take(5).any(|l| l.starts_with(".TH ")),
        "{}",
        run.stdout.lines().take(5).collect::<Vec<_>>().join("\n")
    );
    assert!(run.stdout.contains("validate"));
}

// ---------------------------------------------------------------------------------------------------------
// The ready-made CI files: well-formed YAML, the pieces docs/ci.md promises, and the docs quoting them whole

fn read(relative: &str) -> String {
    std::fs::read_to_string(crate::support::project_root().join(relative))
        .unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The one document of a YAML text.
fn parse_yaml(text: &str) -> saphyr::Yaml<'_> {
    use saphyr::LoadableYamlNode;
    let mut docs = saphyr::Yaml::load_from_str(text).unwrap_or_else(|e| panic!("{e}:\n{text}"));
    assert_eq!(docs.len(), 1, "one document:\n{text}");
    docs.remove(0)
}

/// Every string of a YAML tree (keys and values), one a line, to look for commands in.
fn all_strings(yaml: &saphyr::Yaml<'_>, out: &mut String) {
    if let Some(text) = yaml.as_str() {
        out.push_str(text);
        out.push('\n');
    } else if let Some(items) = yaml.as_sequence() {
        items.iter().for_each(|item| all_strings(item, out));
    } else if let Some(mapping) = yaml.as_mapping() {
        for (key, value) in mapping {
            all_strings(key, out);
            all_strings(value, out);
        }
    }
}

fn text_of(yaml: &saphyr::Yaml<'_>) -> String {
    let mut out = String::new();
    all_strings(yaml, &mut out);
    out
}

#[test]
fn the_github_action_builds_okr_validates_and_checks_pull_requests() {
    let text = read("action.yml");
    let action = parse_yaml(&text);
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in ["path", "check-changes", "working-directory", "stale"] {
        assert!(
            action["inputs"].as_mapping_get(input).is_some(),
            "input {input}"
        );
    }
    assert_eq!(
        action["inputs"]["check-changes"]["default"].as_str(),
        Some("true")
    );
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    for step in steps {
        if step.as_mapping_get("run").is_some() {
            assert_eq!(step["shell"].as_str(), Some("bash"), "{}", text_of(step));
        }
    }
    let text = text_of(&action["runs"]);
    for needle in [
        "actions/cache/restore@v4",
        "actions/cache/save@v4",
        "~/.cargo/bin/okr",
        "sha256sum",
        "cargo \"+$TOOLCHAIN\" install --locked --force --path \"$GITHUB_ACTION_PATH\"",
        "okr \"${args[@]}\"",
        "if [ \"$STALE\" = \"true\" ]; then args+=(--stale); fi",
        "okr diff --check \"$base\" HEAD",
        "okr diff --check --format markdown \"$base\" HEAD >> \"$GITHUB_STEP_SUMMARY\" || true",
        "github.event_name == 'pull_request'",
    ] {
        assert!(text.contains(needle), "action.yml lacks {needle}");
    }
    // Inputs reach scripts through the environment, never pasted into them.
    for step in steps {
        if let Some(run) = step.as_mapping_get("run").and_then(|r| r.as_str()) {
            assert!(!run.contains("${{"), "an expression inside a script: {run}");
        }
    }
}

#[test]
fn the_workflow_files_are_complete_and_quoted_whole_in_docs_ci_md() {
    let github_text = read("src/ci/github.yml");
    let github = parse_yaml(&github_text);
    let job = &github["jobs"]["okr"];
    let steps = job["steps"].as_sequence().unwrap();
    assert_eq!(steps[0]["uses"].as_str(), Some("actions/checkout@v4"));
    assert_eq!(steps[0]["with"]["fetch-depth"].as_integer(), Some(0));
    assert!(
        steps
            .iter()
            .any(|s| s["uses"].as_str().is_some_and(|u| u.ends_with("/okr@main")))
    );
    for event in ["push", "pull_request"] {
        let paths = text_of(&github["on"][event]["paths"]);
        assert!(
            paths.contains("okrs/**") && paths.contains("okr.toml"),
            "{event}: {paths}"
        );
    }

    let gitlab_text = read("src/ci/gitlab.yml");
    let gitlab = parse_yaml(&gitlab_text);
    assert_eq!(gitlab["variables"]["GIT_DEPTH"].as_str(), Some("0"));
    assert_eq!(gitlab[".okr"]["image"].as_str(), Some("rust:1"));
    let validate = &gitlab["okr-validate"];
    assert_eq!(
        validate["artifacts"]["reports"]["junit"].as_str(),
        Some("okr-junit.xml")
    );
    assert!(text_of(&validate["script"]).contains("okr validate --format junit > okr-junit.xml"));
    let check = text_of(&gitlab["okr-diff-check"]);
    assert!(check.contains("merge_request_event"), "{check}");
    assert!(
        check.contains("origin/$CI_MERGE_REQUEST_TARGET_BRANCH_NAME"),
        "{check}"
    );
    assert!(check.contains("okr diff --check \"$base\" HEAD"), "{check}");

    let docs = read("docs/ci.md");
    for (file, text) in [
        ("src/ci/github.yml", &github_text),
        ("src/ci/gitlab.yml", &gitlab_text),
    ] {
        assert!(
            docs.contains(&format!("```yaml\n{text}```\n")),
            "docs/ci.md does not quote {file} as it is"
        );
    }
    // The `[policy]` table as the implementation reads it.
    assert!(docs.contains(
        "[policy]\nrequire_reason = [\"kr_easier\", \"kr_removed\", \"objective_dropped\", \"objective_removed\", \"committed_to_aspirational\"]"
    ));
    assert!(docs.contains("[policy]\nmode = \"off\""));
}

#[test]
fn the_pre_commit_hooks_validate_and_check_before_a_push() {
    let text = read(".pre-commit-hooks.yaml");
    let hooks = parse_yaml(&text);
    let hooks = hooks.as_sequence().unwrap();
    let find = |id: &str| {
        hooks
            .iter()
            .find(|h| h["id"].as_str() == Some(id))
            .unwrap_or_else(|| panic!("no hook {id}"))
    };
    let validate = find("okr-validate");
    assert_eq!(validate["entry"].as_str(), Some("okr validate"));
    assert_eq!(validate["language"].as_str(), Some("rust"));
    assert_eq!(validate["pass_filenames"].as_bool(), Some(true));
    let check = find("okr-diff-check");
    assert!(
        check["entry"]
            .as_str()
            .unwrap()
            .contains("okr diff --check")
    );
    assert_eq!(text_of(&check["stages"]), "pre-push\n");
    assert_eq!(check["pass_filenames"].as_bool(), Some(false));
    for hook in [validate, check] {
        let files = hook["files"].as_str().unwrap();
        assert_eq!(files, r"^okrs/.*\.ya?ml$");
    }
}

// ---------------------------------------------------------------------------------------------------------
// GitLab Code Quality and reviewdog

#[test]
fn gitlab_format_is_a_code_quality_issue_per_diagnostic_at_its_line() {
    for case in invalid_cases() {
        let name = case_name(&case.dir);
        let json = okr(&case.dir, &["validate", "--format", "json"]);
        let gitlab = okr(&case.dir, &["validate", "--format", "gitlab"]);
        assert_eq!(gitlab.code, json.code, "{name}: exit code");
        let expected = diagnostics(&json.json());
        let issues = gitlab.json();
        let issues = issues.as_array().expect("a JSON array");
        assert_eq!(issues.len(), expected.len(), "{name}");
        let mut prints = std::collections::HashSet::new();
        for (issue, d) in issues.iter().zip(&expected) {
            assert_eq!(issue["check_name"], d["code"], "{name}");
            assert_eq!(issue["location"]["path"], d["path"], "{name}");
            assert_eq!(issue["location"]["lines"]["begin"], d["line"], "{name}");
            let severity = if d["severity"] == "error" {
                "major"
            } else {
                "minor"
            };
            assert_eq!(issue["severity"], severity, "{name}");
            assert!(
                issue["description"]
                    .as_str()
                    .unwrap()
                    .starts_with(d["message"].as_str().unwrap()),
                "{name}"
            );
            let print = issue["fingerprint"].as_str().unwrap().to_owned();
            assert!(print.len() == 40 && print.bytes().all(|b| b.is_ascii_hexdigit()));
            assert!(prints.insert(print), "{name}: fingerprints are unique");
        }
    }
}

/// A file with the same mistake twice, and the fingerprints GitLab would see before and after lines were
/// added above both.
#[test]
fn gitlab_fingerprints_survive_moved_lines_and_tell_identical_findings_apart() {
    let twice =
        valid_file("search").replace("        title: ", "        titel: x\n        title: ");
    assert_eq!(twice.matches("titel").count(), 2, "{twice}");
    let scratch = Scratch::new();
    scratch.write("okrs/2026-Q3/search.yaml", &twice);
    let fingerprints = |scratch: &Scratch| -> Vec<(String, u64)> {
        let run = scratch.okr(&["validate", "--format", "gitlab"]);
        run.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["fingerprint"].as_str().unwrap().to_owned(),
                    i["location"]["lines"]["begin"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&scratch);
    let unique: std::collections::HashSet<&String> = before.iter().map(|(p, _)| p).collect();
    assert_eq!(unique.len(), before.len(), "{before:?}");
    scratch.write(
        "okrs/2026-Q3/search.yaml",
        format!("# a comment\n# and another\n{twice}"),
    );
    let after = fingerprints(&scratch);
    assert_eq!(after.len(), before.len());
    for ((print_before, line_before), (print_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(print_before, print_after, "the same finding, moved");
        assert_eq!(line_before + 2, *line_after);
    }
}

#[test]
fn rdjson_format_is_a_reviewdog_diagnostic_per_finding_with_byte_columns() {
    for case in invalid_cases() {
        let name = case_name(&case.dir);
        let json = okr(&case.dir, &["validate", "--format", "json"]);
        let rdjson = okr(&case.dir, &["validate", "--format", "rdjson"]);
        assert_eq!(rdjson.code, json.code, "{name}: exit code");
        let result = rdjson.json();
        assert_eq!(result["source"]["name"], "okr");
        let found = result["diagnostics"].as_array().unwrap();
        let expected = diagnostics(&json.json());
        assert_eq!(found.len(), expected.len(), "{name}");
        for (r, d) in found.iter().zip(&expected) {
            assert_eq!(r["code"]["value"], d["code"], "{name}");
            assert_eq!(r["location"]["path"], d["path"], "{name}");
            assert_eq!(r["location"]["range"]["start"]["line"], d["line"], "{name}");
            let severity = if d["severity"] == "error" {
                "ERROR"
            } else {
                "WARNING"
            };
            assert_eq!(r["severity"], severity, "{name}");
        }
    }
    // After a two-byte character, the byte column is one more than the character column.
    let scratch = Scratch::new();
    scratch.write(
        "okrs/2026-Q3/search.yaml",
        valid_file("search") + "      - {id: zoe, title: Zoë, done: false, bogus: 1}\n",
    );
    let json = scratch.okr(&["validate", "--format", "json"]).json();
    let rdjson = scratch.okr(&["validate", "--format", "rdjson"]).json();
    let at = diagnostics(&json)
        .iter()
        .position(|d| d["message"].as_str().unwrap().contains("bogus"))
        .expect("the field `bogus` is reported");
    let char_column = json["diagnostics"][at]["column"].as_u64().unwrap();
    let start = &rdjson["diagnostics"][at]["location"]["range"]["start"];
    assert_eq!(
        start["column"].as_u64().unwrap(),
        char_column + 1,
        "after the ë"
    );
}
