//! `okr validate --format json`: a stable wire format read by other tools (see docs/validate.md).

use serde::Serialize;

use crate::commands::validate::Validation;
use crate::core::diagnostic::Diagnostic;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

/// Any engine data as the JSON document every `--format json` prints: pretty, ending in a newline.
pub fn document<T: Serialize>(value: &T) -> String {
    let mut out = serde_json::to_string_pretty(value).expect("plain data always serializes");
    out.push('\n');
    out
}

pub fn render(validation: &Validation) -> String {
    let wire = Wire {
        version: 1,
        files: validation.files,
        errors: validation.errors(),
        warnings: validation.warnings(),
        diagnostics: &validation.diagnostics,
    };
    document(&wire)
}
