//! `okr validate --format github`: one GitHub Actions workflow command per finding, which the runner turns
//! into an annotation on the file and line of the pull request.
//!
//! ```text
//! ::error file=okrs/2026-Q3/search.yaml,line=13,col=9,title=unknown-field::unknown field `taget` in a key result (help: did you mean `target`?)
//! ```
//!
//! Escaping follows the runner's rules: in the message `%`, `\r` and `\n` become `%25`, `%0D` and `%0A`; in
//! property values (`file`, `title`) `:` and `,` become `%3A` and `%2C` as well. So a message can never end
//! the command early or start a second one, whatever a file's text makes it quote.

use std::fmt::Write as _;

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
            escape_property(&d.path),
            d.line,
            d.column,
            escape_property(d.code),
            escape_data(&visible(&message_with_help(d)))
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

/// Control characters other than line breaks and tabs shown as `\u{1b}`: a message quotes a file's text, and
/// the Actions log would otherwise interpret escape sequences in it.
fn visible(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() && !matches!(c, '\n' | '\r' | '\t') {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// A command's data (the message).
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A command's property value (`file`, `title`).
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_the_runner_expects() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a,b:c%\n"), "a%2Cb%3Ac%25%0A");
        assert_eq!(visible("a\u{1b}[31mb\n"), "a\\u{1b}[31mb\n");
    }
}
