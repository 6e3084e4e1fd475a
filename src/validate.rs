//! Checking a set of OKR files: every problem in every file, in one run.

use std::collections::BTreeMap;

use crate::diagnostic::{Diagnostic, Severity};

/// The outcome of `okr validate`: what was checked and everything found, sorted.
#[derive(Debug, Default)]
pub struct Validation {
    /// How many files were checked.
    pub files: usize,
    /// Sorted by path, line, column, code.
    pub diagnostics: Vec<Diagnostic>,
    /// The text of each file that has diagnostics, keyed by the same relative path, so renderers can quote it.
    pub sources: BTreeMap<String, String>,
}

impl Validation {
    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }
}
