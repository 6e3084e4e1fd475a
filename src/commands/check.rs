//! `okr diff --check`: the change policy over what a range of commits does. Every net change of the range that
//! the policy asks a reason for, and that the commit which made it gave none for, is a diagnostic
//! (`change-without-reason`) at the change in the newer revision; so is every finding of a newer-side file
//! that does not parse, since merging it would merge a broken file.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;

use crate::commands::diff::{self, Comparison, Range};
use crate::commands::validate::Validation;
use crate::core::diagnostic::Diagnostic;
use crate::core::parse;
use crate::repo::git::Git;
use crate::repo::workspace::Workspace;

/// The outcome of `okr diff --check`: the comparison it judged, and what it found, as `okr validate` reports
/// findings.
#[derive(Debug)]
pub struct Check {
    pub comparison: Comparison,
    pub validation: Validation,
}

impl Check {
    /// Whether the check fails: an error (a refusal, or a file that does not parse), or with `deny_warnings`
    /// a warning.
    pub fn failed(&self, deny_warnings: bool) -> bool {
        self.validation.errors() > 0 || (deny_warnings && self.validation.warnings() > 0)
    }
}

/// Checks the changes of `range` against the repository's change policy.
pub fn check(workspace: &Workspace, git: &Git, range: &Range) -> Result<Check> {
    let comparison = diff::compare(workspace, git, range)?;
    let policy = comparison.judged_by.policy();
    let mut diagnostics: Vec<Diagnostic> = comparison
        .changes
        .iter()
        .filter_map(|compared| compared.refusal(&policy))
        .map(|(_, diagnostic)| diagnostic)
        .collect();
    let mut sources: BTreeMap<String, String> = BTreeMap::new();
    for broken in &comparison.broken {
        let loaded = parse::parse(&broken.path, broken.text.clone().into_bytes());
        for finding in loaded.findings {
            if let Some(severity) = workspace.config.severity(finding.code) {
                diagnostics.push(Diagnostic::from_finding(&broken.path, severity, finding));
            }
        }
        sources.insert(broken.path.clone(), broken.text.clone());
    }
    let quoted: BTreeSet<&str> = diagnostics
        .iter()
        .map(|d| d.path.as_str())
        .filter(|path| !sources.contains_key(*path))
        .collect();
    let newer = newer_texts(workspace, git, range, quoted);
    sources.extend(newer);
    diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    let validation = Validation {
        files: comparison.files,
        diagnostics,
        sources,
    };
    Ok(Check {
        comparison,
        validation,
    })
}

/// The text of each of `paths` in the newer revision of `range` (on disk for the working tree), to quote
/// them; a file that cannot be read is left out, and its diagnostics are shown without a quote.
fn newer_texts(
    workspace: &Workspace,
    git: &Git,
    range: &Range,
    paths: BTreeSet<&str>,
) -> BTreeMap<String, String> {
    let text = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    if paths.is_empty() {
        return BTreeMap::new();
    }
    let Some(spec) = &range.to else {
        return paths
            .into_iter()
            .filter_map(|path| {
                let bytes = std::fs::read(workspace.root.join(path)).ok()?;
                Some((path.to_owned(), text(bytes)))
            })
            .collect();
    };
    let files = git
        .resolve(spec)
        .and_then(|commit| git.files_under(commit, &workspace.config.dir))
        .unwrap_or_default();
    files
        .into_iter()
        .filter(|(path, _)| paths.contains(path.as_str()))
        .filter_map(|(path, blob)| Some((path, text(git.blob(blob).ok()?))))
        .collect()
}
