//! `okr validate --format json`: a stable wire format read by other tools (see docs/validate.md).

use serde::Serialize;

use crate::diagnostic::Diagnostic;
use crate::validate::Validation;

#[derive(Serialize)]
struct Wire<'a> {
    version: u32,
    files: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn render(validation: &Validation) -> String {
    let wire = Wire {
        version: 1,
        files: validation.files,
        errors: validation.errors(),
        warnings: validation.warnings(),
        diagnostics: &validation.diagnostics,
    };
    let mut out = serde_json::to_string_pretty(&wire).expect("plain data always serializes");
    out.push('\n');
    out
}
