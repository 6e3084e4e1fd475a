//! `--format gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), which GitLab shows in a
//! merge request's widget and beside the changed lines.
//!
//! One JSON array, an issue per finding: `description` (the message and its help), `check_name` (the rule),
//! `severity` (`major` for an error, `minor` for a warning), `location.path` and `location.lines.begin`, and a
//! `fingerprint` GitLab uses to tell a new finding from one it has seen. The fingerprint is made of what a
//! finding is, not where it is: the file, the rule, the message with its line numbers left out, and the text
//! of the line it points at, plus a count for identical findings in one file. So it stays the same when lines
//! above it are added or removed, and two findings never share one.

use std::collections::HashMap;

use serde::Serialize;

use super::github::message_with_help;
use super::source::SourceLines;
use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'a str,
    fingerprint: String,
    severity: &'static str,
    location: Location<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

pub fn render(validation: &Validation) -> String {
    let mut lines = SourceLines::new(validation);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let issues: Vec<Issue<'_>> = validation
        .diagnostics
        .iter()
        .map(|d| {
            let line = lines.line(d).unwrap_or_default();
            let identity = identity(d, line);
            let occurrence = seen.entry(identity.clone()).or_default();
            *occurrence += 1;
            Issue {
                description: message_with_help(d),
                check_name: d.code,
                fingerprint: fingerprint(&format!("{identity}\0{occurrence}")),
                severity: match d.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                },
                location: Location {
                    path: &d.path,
                    lines: Lines { begin: d.line },
                },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).expect("plain data always serializes");
    out.push('\n');
    out
}

/// What a finding is, without where: its file, rule, message (line numbers left out: "first at line 4"
/// moves with the file) and the text of its line.
fn identity(d: &Diagnostic, line: &str) -> String {
    format!(
        "{}\0{}\0{}\0{}",
        d.path,
        d.code,
        without_line_numbers(&d.message),
        line.trim()
    )
}

/// `first at line 12` → `first at line #`.
fn without_line_numbers(message: &str) -> String {
    crate::core::diagnostic::replace_line_numbers(message, |_| "#".to_owned())
}

/// A SHA-1 in hex, as GitLab's own analyzers write fingerprints.
fn fingerprint(identity: &str) -> String {
    let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
    hasher.update(identity.as_bytes());
    hasher
        .try_finalize()
        .map(|id| id.to_hex().to_string())
        // The hasher refuses only SHA-1 collision attacks, which a finding's text cannot be.
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_numbers_are_left_out_of_what_a_finding_is() {
        assert_eq!(
            without_line_numbers("duplicate key `id` (first at line 12)"),
            "duplicate key `id` (first at line #)"
        );
        assert_eq!(without_line_numbers("a line of text"), "a line of text");
    }

    #[test]
    fn fingerprints_are_hex_sha1() {
        let print = fingerprint("x");
        assert_eq!(print.len(), 40);
        assert_ne!(print, fingerprint("y"));
    }
}
