//! `--format rdjson`: reviewdog's diagnostic format, so that `reviewdog -f=rdjson` turns findings into review
//! comments on the changed lines of a pull or merge request.
//!
//! One `DiagnosticResult`: the source (`okr`) and a diagnostic per finding with its message (and help), rule
//! code, severity and start position. reviewdog counts columns in UTF-8 bytes, so a column (which okr counts
//! in characters) is converted with the line's text when the validation kept it.

use serde::Serialize;

use super::github::message_with_help;
use super::source::SourceLines;
use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};

#[derive(Serialize)]
struct DiagnosticResult<'a> {
    source: Source,
    diagnostics: Vec<RdDiagnostic<'a>>,
}

#[derive(Serialize)]
struct Source {
    name: &'static str,
}

#[derive(Serialize)]
struct RdDiagnostic<'a> {
    message: String,
    location: Location<'a>,
    severity: &'static str,
    code: Code<'a>,
}

#[derive(Serialize)]
struct Location<'a> {
    path: &'a str,
    range: Range,
}

#[derive(Serialize)]
struct Range {
    start: Position,
}

#[derive(Serialize)]
struct Position {
    line: u32,
    column: u32,
}

#[derive(Serialize)]
struct Code<'a> {
    value: &'a str,
}

pub fn render(validation: &Validation) -> String {
    let mut lines = SourceLines::new(validation);
    let diagnostics = validation
        .diagnostics
        .iter()
        .map(|d| RdDiagnostic {
            message: message_with_help(d),
            location: Location {
                path: &d.path,
                range: Range {
                    start: Position {
                        line: d.line,
                        column: byte_column(d, lines.line(d)),
                    },
                },
            },
            severity: match d.severity {
                Severity::Error => "ERROR",
                Severity::Warning => "WARNING",
            },
            code: Code { value: d.code },
        })
        .collect();
    let result = DiagnosticResult {
        source: Source { name: "okr" },
        diagnostics,
    };
    let mut out = serde_json::to_string_pretty(&result).expect("plain data always serializes");
    out.push('\n');
    out
}

/// The 1-based byte column of `d`'s 1-based character column in `line`; the character column itself when the
/// line is not known (the same for ASCII text).
fn byte_column(d: &Diagnostic, line: Option<&str>) -> u32 {
    let Some(line) = line else {
        return d.column;
    };
    let chars_before = d.column.saturating_sub(1) as usize;
    let bytes: usize = line.chars().take(chars_before).map(char::len_utf8).sum();
    let beyond = chars_before.saturating_sub(line.chars().count());
    u32::try_from(bytes + beyond + 1).unwrap_or(d.column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(column: u32) -> Diagnostic {
        Diagnostic {
            path: "a.yaml".to_owned(),
            line: 1,
            column,
            severity: Severity::Error,
            code: "x",
            message: String::new(),
            help: None,
        }
    }

    #[test]
    fn columns_count_bytes() {
        assert_eq!(byte_column(&at(3), Some("é: x")), 4);
        assert_eq!(byte_column(&at(1), Some("é: x")), 1);
        assert_eq!(byte_column(&at(3), None), 3);
        // Past the end of the line (a missing value at its end): one byte per character beyond.
        assert_eq!(byte_column(&at(4), Some("é")), 5);
    }
}
