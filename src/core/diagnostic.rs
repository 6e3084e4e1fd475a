//! Findings about OKR files, as plain data. Nothing here prints: renderers lay these out.

use serde::Serialize;

/// A place in a file: 1-based line and column (column counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
}

impl Pos {
    pub const START: Pos = Pos { line: 1, column: 1 };

    pub fn new(line: u32, column: u32) -> Pos {
        Pos { line, column }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One problem found in one file, before a severity is decided by the configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub code: &'static str,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
    /// The edit that would mend it, where okr knows one ([`crate::core::fix`]): `okr validate --fix` makes
    /// the safe ones, and `okr lsp` offers each as a quick fix.
    pub fix: Option<Fix>,
}

/// An edit that mends a finding: replacements of byte ranges of the file's text, and what it does in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, for a person choosing it: "rename `taget` to `target`".
    pub title: String,
    /// Whether `okr validate --fix` makes it unasked: it can mean only one thing. An unsafe fix (one of two
    /// names the typo may have meant) is only offered, in an editor.
    pub safe: bool,
    /// Sorted, not overlapping.
    pub edits: Vec<Replacement>,
}

/// Replace `range` (bytes) of a text with `text`; an insertion has an empty range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replacement {
    pub range: std::ops::Range<usize>,
    pub text: String,
}

impl Fix {
    /// `text` with the fix made; `None` when a range does not fit the text (it was planned for another).
    pub fn apply(&self, text: &str) -> Option<String> {
        let mut out = String::with_capacity(text.len() + 32);
        let mut at = 0;
        for edit in &self.edits {
            if edit.range.start < at || edit.range.end < edit.range.start {
                return None;
            }
            out.push_str(text.get(at..edit.range.start)?);
            out.push_str(&edit.text);
            at = edit.range.end;
        }
        out.push_str(text.get(at..)?);
        Some(out)
    }
}

impl Finding {
    pub fn new(code: &'static str, pos: Pos, message: impl Into<String>) -> Finding {
        Finding {
            code,
            pos,
            message: message.into(),
            help: None,
            fix: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }
}

/// A finding placed in a file, with the severity the configuration gave its rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Path relative to the repository root, with `/` separators.
    pub path: String,
    pub line: u32,
    pub column: u32,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn from_finding(path: &str, severity: Severity, finding: Finding) -> Diagnostic {
        Diagnostic {
            path: path.to_owned(),
            line: finding.pos.line,
            column: finding.pos.column,
            severity,
            code: finding.code,
            message: finding.message,
            help: finding.help,
        }
    }

    /// The order every output uses: by path, then line, column and code.
    pub fn sort_key(&self) -> (&str, u32, u32, &str) {
        (&self.path, self.line, self.column, self.code)
    }
}

/// `message` with each line number it names (`first at line 12`) made into what `replace` makes of its digits:
/// a message that names a line changes when the file's lines move, and a finding is told from another by
/// what it says, not by where the file's lines happen to be.
pub fn replace_line_numbers(message: &str, mut replace: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find("line ") {
        let (before, after) = rest.split_at(at + "line ".len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 {
            out.push_str(&replace(&after[..digits]));
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}
