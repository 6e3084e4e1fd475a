//! `okr validate --format sarif`: SARIF 2.1.0, the format GitHub code scanning (and other dashboards) read.
//!
//! One run. The tool's rules are the whole registry, in registry order, each with its documentation as help;
//! each diagnostic is a result pointing at its rule (by id and index), with the level the configuration gave
//! it and the file, line and column it is at. Paths are relative to the repository root (`%SRCROOT%`).
//! Columns count Unicode code points, as everywhere in okr, and the run says so (`columnKind`).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::rules::{RULES, Rule};
use crate::render::github::message_with_help;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";

#[derive(Serialize)]
struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run {
    tool: Tool,
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    column_kind: &'static str,
    results: Vec<SarifResult>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
struct Driver {
    name: &'static str,
    version: String,
    rules: Vec<ReportingDescriptor>,
}

/// Where `%SRCROOT%` is. Left without a `uri`: the root is wherever the repository is checked out.
#[derive(Serialize)]
struct BaseUri {
    description: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: [Location; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

/// `version` is okr's own version, reported as the tool's.
pub fn render(validation: &Validation, version: &str) -> String {
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "okr",
                    version: version.to_owned(),
                    rules: RULES.iter().map(descriptor).collect(),
                },
            },
            original_uri_base_ids: BTreeMap::from([(
                SRCROOT,
                BaseUri {
                    description: Text {
                        text: "The repository root: the folder holding okr.toml, or the top of the git work tree"
                            .to_owned(),
                    },
                },
            )]),
            column_kind: "unicodeCodePoints",
            results: validation.diagnostics.iter().map(result).collect(),
        }],
    };
    let mut out = serde_json::to_string_pretty(&log).expect("plain data always serializes");
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let first_sentence = match rule.summary.split_once(". ") {
        Some((sentence, _)) => format!("{sentence}."),
        None => rule.summary.to_owned(),
    };
    let mut text = format!(
        "{}\n\nWhy it matters: {}\n\nReported:\n",
        rule.summary, rule.why
    );
    for line in rule.bad.lines() {
        let _ = writeln!(text, "    {line}");
    }
    text.push_str("\nFixed:\n");
    for line in rule.good.lines() {
        let _ = writeln!(text, "    {line}");
    }
    let markdown = format!(
        "{}\n\n**Why it matters.** {}\n\nReported:\n\n```yaml\n{}```\n\nFixed:\n\n```yaml\n{}```\n",
        rule.summary, rule.why, rule.bad, rule.good
    );
    ReportingDescriptor {
        id: rule.code,
        short_description: Text {
            text: first_sentence,
        },
        full_description: Text {
            text: rule.summary.to_owned(),
        },
        help: Help { text, markdown },
        default_configuration: Configuration {
            level: level(rule.default_severity),
        },
    }
}

fn result(d: &Diagnostic) -> SarifResult {
    SarifResult {
        rule_id: d.code,
        rule_index: RULES.iter().position(|r| r.code == d.code),
        level: level(d.severity),
        message: Text {
            text: message_with_help(d),
        },
        locations: [Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation {
                    uri: uri_reference(&d.path),
                    uri_base_id: SRCROOT,
                },
                region: Region {
                    start_line: d.line,
                    start_column: d.column,
                },
            },
        }],
    }
}

/// A relative path as a URI reference: `/` separators kept, every byte outside the unreserved characters and
/// a few safe delimiters percent-encoded (`%`, spaces, `#`, `?`, non-ASCII; `:` too, so a first segment is
/// never read as a scheme).
fn uri_reference(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri_reference("okrs/2026-Q3/a,b.yaml"),
            "okrs/2026-Q3/a,b.yaml"
        );
        assert_eq!(
            uri_reference("okrs/x y%#?:é.yaml"),
            "okrs/x%20y%25%23%3F%3A%C3%A9.yaml"
        );
    }
}
