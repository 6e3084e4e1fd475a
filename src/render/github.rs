//! `okr validate --format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the file and line of the pull request.
//!
//! ```text
//! ::error file=okrs/2026-Q3/search.yaml,line=13,col=9,title=unknown-field::unknown field `taget` in a key result (help: did you mean `target`?)
//! ```
//!
//! Escaping follows the runner's rules ([`super::escape::workflow_data`]): a message can never end the command
//! early or start a second one, whatever a file's text makes it quote.

use std::fmt::Write as _;

use super::escape::{workflow_data, workflow_property};
use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Severity};

pub fn render(validation: &Validation) -> String {
    let mut out = String::new();
    for d in &validation.diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(
            out,
            "::{command} file={},line={},col={},title={}::{}",
            workflow_property(&d.path),
            d.line,
            d.column,
            workflow_property(d.code),
            workflow_data(&message_with_help(d))
        );
    }
    out
}

/// The message, followed by the help when there is one: `message (help: …)`. Shared with SARIF.
pub(crate) fn message_with_help(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{} (help: {help})", d.message),
        None => d.message.clone(),
    }
}
