//! Checking a set of OKR files: every problem in every file, in one run.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use anyhow::{Result, bail};
use rayon::prelude::*;

use crate::commands::stale::StaleKeyResults;
use crate::core::diagnostic::{Diagnostic, Finding, Severity};
use crate::core::parse::LoadedFile;
use crate::core::rules;
use crate::repo::load::{self, Candidate};
use crate::repo::workspace::Workspace;

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

    /// How many files have at least one diagnostic.
    pub fn files_with_problems(&self) -> usize {
        let paths: HashSet<&str> = self.diagnostics.iter().map(|d| d.path.as_str()).collect();
        paths.len()
    }

    fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

/// The OKR files under `paths`, or under the repository's OKR folder when `paths` is empty.
pub fn requested(workspace: &Workspace, paths: &[PathBuf]) -> Result<Vec<Candidate>> {
    if paths.is_empty() {
        let okr_dir = workspace.okr_dir();
        if !okr_dir.is_dir() {
            bail!(
                "no OKR folder at {} (the `dir` of okr.toml, default `okrs`); run `okr init` to start one, or name \
                 the files to check",
                okr_dir.display()
            );
        }
        load::discover(workspace, std::slice::from_ref(&okr_dir))
    } else {
        load::discover(workspace, paths)
    }
}

/// Validates the files under `paths`, or the repository's OKR folder when `paths` is empty; with `stale`, also
/// warns at each stale key result of those files (`okr validate --stale`).
///
/// Cross-file rules (alignment, one file per team) look at every OKR file of the repository, even when only
/// some are being validated: an `aligns_to` is right or wrong whatever else was named on the command line.
pub fn validate(
    workspace: &Workspace,
    paths: &[PathBuf],
    stale: Option<&StaleKeyResults>,
) -> Result<Validation> {
    let okr_dir = workspace.okr_dir();
    let requested = requested(workspace, paths)?;
    let mut context = if okr_dir.is_dir() && !paths.is_empty() {
        load::discover(workspace, &[okr_dir])?
    } else {
        Vec::new()
    };
    let wanted: HashSet<&str> = requested.iter().map(|c| c.path.as_str()).collect();
    context.retain(|c| !wanted.contains(c.path.as_str()));

    // Files are independent until the cross-file rules, so read, parse and check them in parallel.
    let checked: Vec<(LoadedFile, Vec<Finding>)> = requested
        .par_iter()
        .map(|candidate| {
            let loaded = load::load(workspace, candidate);
            let findings = match &loaded.okr {
                Some(okr) => {
                    let mut findings = rules::check_file(okr, &loaded.path);
                    if let Some(stale) = stale {
                        findings.extend(stale.check(okr));
                    }
                    findings
                }
                None => Vec::new(),
            };
            (loaded, findings)
        })
        .collect();
    let others: Vec<LoadedFile> = context
        .par_iter()
        .map(|c| load::load(workspace, c))
        .collect();

    let mut repository: Vec<(&str, &crate::core::model::OkrFile)> = Vec::new();
    for loaded in checked.iter().map(|(l, _)| l).chain(&others) {
        if let Some(okr) = &loaded.okr {
            repository.push((&loaded.path, okr));
        }
    }
    let mut cross: BTreeMap<&str, Vec<Finding>> = BTreeMap::new();
    for (index, finding) in rules::check_repository(&repository) {
        cross.entry(repository[index].0).or_default().push(finding);
    }

    let mut validation = Validation {
        files: checked.len(),
        ..Validation::default()
    };
    for (loaded, findings) in &checked {
        let all = loaded
            .findings
            .iter()
            .chain(findings)
            .chain(cross.get(loaded.path.as_str()).into_iter().flatten());
        let before = validation.diagnostics.len();
        for finding in all {
            if let Some(severity) = workspace.config.severity(finding.code) {
                validation.diagnostics.push(Diagnostic::from_finding(
                    &loaded.path,
                    severity,
                    finding.clone(),
                ));
            }
        }
        if validation.diagnostics.len() > before {
            validation
                .sources
                .insert(loaded.path.clone(), loaded.text.clone());
        }
    }
    validation.diagnostics.sort_by(|a, b| {
        a.sort_key()
            .cmp(&b.sort_key())
            .then_with(|| a.message.cmp(&b.message))
    });
    // Ten thousand parsed files are freed on another core while the findings are written.
    drop((cross, repository));
    rayon::spawn(move || drop((checked, others)));
    Ok(validation)
}
