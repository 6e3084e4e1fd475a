//! The lines of the files a validation quotes, found by the line numbers of its diagnostics.

use crate::commands::validate::Validation;
use crate::core::diagnostic::Diagnostic;

/// Byte offsets of line starts, so each diagnostic's line is found without rescanning the file.
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub fn new(text: &'a str) -> LineIndex<'a> {
        // YAML ends a line at `\n`, `\r\n` or a lone `\r`; the parser's line numbers count all three.
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n')))
                .map(|(i, _)| i + 1),
        );
        LineIndex { text, starts }
    }

    /// The text of 1-based line `n`, without its `\n`; `None` for line 0 or past the end.
    pub fn line(&self, n: u32) -> Option<&'a str> {
        let i = (n as usize).checked_sub(1)?;
        let start = *self.starts.get(i)?;
        let end = self
            .starts
            .get(i + 1)
            .map_or(self.text.len(), |next| next - 1);
        self.text.get(start..end)
    }
}

/// The quoted line of each diagnostic of one validation. Diagnostics are sorted by path, so each file's line
/// index is built once.
pub struct SourceLines<'v> {
    validation: &'v Validation,
    current: Option<(&'v str, LineIndex<'v>)>,
}

impl<'v> SourceLines<'v> {
    pub fn new(validation: &'v Validation) -> SourceLines<'v> {
        SourceLines {
            validation,
            current: None,
        }
    }

    /// The text of the line `d` points at, when the validation kept its file.
    pub fn line(&mut self, d: &'v Diagnostic) -> Option<&'v str> {
        if self
            .current
            .as_ref()
            .is_none_or(|(path, _)| *path != d.path)
        {
            let text = self.validation.sources.get(&d.path)?;
            self.current = Some((d.path.as_str(), LineIndex::new(text)));
        }
        self.current
            .as_ref()
            .and_then(|(_, index)| index.line(d.line))
    }
}
