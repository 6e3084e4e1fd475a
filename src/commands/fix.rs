//! `okr validate --fix` and `--diff`: the safe fixes of each file ([`crate::core::fix`]), written in place
//! or shown as a unified diff. Only files the fixes change are written, each whole or not at all, and only
//! if it still holds what okr read.
//!
//! A file reached through a symbolic link is never fixed: its folder (which says its quarter) is the link's,
//! not the file's, and two links to one file would fix it twice. It is named, and the file it leads to is
//! fixed where it is found under its own path.

use std::path::PathBuf;

use anyhow::Result;
use rayon::prelude::*;

use crate::core::fix::{self, Fixed, Options};
use crate::repo::load;
use crate::repo::rewrite;
use crate::repo::workspace::Workspace;

/// The fixes of one file.
#[derive(Debug)]
pub struct FileFixes {
    /// Relative to the repository root, as `okr validate` shows it.
    pub path: String,
    location: PathBuf,
    before: String,
    pub fixed: Fixed,
}

impl FileFixes {
    pub fn changes(&self) -> bool {
        self.fixed.text != self.before
    }
}

/// The fixes of every file checked that has a fix made or refused, sorted by path.
#[derive(Debug, Default)]
pub struct Fixes {
    pub files: Vec<FileFixes>,
    /// Files with something to fix, left alone because they are reached through a symbolic link; sorted.
    pub linked: Vec<String>,
}

/// Plans the safe fixes of the files `okr validate` would check with these `paths`. Nothing is written.
pub fn plan(workspace: &Workspace, paths: &[PathBuf], options: &Options) -> Result<Fixes> {
    let candidates = super::validate::requested(workspace, paths)?;
    let planned: Vec<(FileFixes, bool)> = candidates
        .par_iter()
        .filter_map(|candidate| {
            let loaded = load::load(workspace, candidate);
            loaded.okr.as_ref()?;
            let fixed = fix::fix_file(&loaded.text, &loaded.path, options);
            (!fixed.applied.is_empty() || !fixed.refused.is_empty()).then(|| {
                let linked = through_link(workspace, candidate);
                let file = FileFixes {
                    path: loaded.path,
                    location: candidate.location.clone(),
                    before: loaded.text,
                    fixed,
                };
                (file, linked)
            })
        })
        .collect();
    let (linked, files): (Vec<_>, Vec<_>) = planned.into_iter().partition(|(_, l)| *l);
    let mut linked: Vec<String> = linked
        .into_iter()
        .filter(|(file, _)| file.changes())
        .map(|(file, _)| file.path)
        .collect();
    linked.sort();
    let mut files: Vec<FileFixes> = files.into_iter().map(|(file, _)| file).collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Fixes { files, linked })
}

/// Whether the file is reached through a symbolic link: the link itself, or a folder on its way. Where it
/// leads cannot be told (a link that leads nowhere), it is taken as reached through one.
fn through_link(workspace: &Workspace, candidate: &load::Candidate) -> bool {
    match crate::repo::workspace::resolve(&candidate.location) {
        Ok(real) => workspace.display_path(&real) != candidate.path,
        Err(_) => true,
    }
}

impl Fixes {
    /// Whether any file would change.
    pub fn changes(&self) -> bool {
        self.files.iter().any(FileFixes::changes)
    }

    /// The fixes as a unified diff, `a/` and `b/` paths relative to the repository root, as `git diff` writes
    /// them (so `git apply` takes it).
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for file in self.files.iter().filter(|f| f.changes()) {
            let diff = similar::TextDiff::from_lines(&file.before, &file.fixed.text);
            out.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{}", file.path), &format!("b/{}", file.path))
                    .to_string(),
            );
        }
        out
    }

    /// Writes every file the fixes change. A file changed on disk since it was read (or read-only) is left
    /// alone, with an error, and its path; the others are still written.
    pub fn write(&self) -> Vec<(String, anyhow::Error)> {
        self.files
            .iter()
            .filter(|f| f.changes())
            .filter_map(|file| {
                rewrite::rewrite(
                    &file.location,
                    file.before.as_bytes(),
                    file.fixed.text.as_bytes(),
                    "run `okr validate --fix` again",
                )
                .err()
                .map(|err| (file.path.clone(), err))
            })
            .collect()
    }

    /// One line per fix made (`path:line: fixed code: title`) and per fix refused, and a count. The files of
    /// `unwritten` (their writes failed) count as fixed in none, and are named instead.
    pub fn summary(&self, written: bool, unwritten: &[String]) -> String {
        let mut out = String::new();
        let mut made = 0;
        for file in &self.files {
            if unwritten.contains(&file.path) {
                out.push_str(&format!(
                    "{}: not fixed: the file could not be written, so its fixes were not made\n",
                    file.path
                ));
            }
            for applied in file
                .fixed
                .applied
                .iter()
                .filter(|_| !unwritten.contains(&file.path))
            {
                made += 1;
                out.push_str(&format!(
                    "{}:{}: {} {}: {}\n",
                    file.path,
                    applied.line,
                    if written { "fixed" } else { "would fix" },
                    applied.code.unwrap_or("type"),
                    applied.title
                ));
            }
            for refused in &file.fixed.refused {
                out.push_str(&format!(
                    "{}:{}: not fixed {}: {}: {}\n",
                    file.path,
                    refused.made.line,
                    refused.made.code.unwrap_or("type"),
                    refused.made.title,
                    refused.why
                ));
            }
        }
        for path in &self.linked {
            out.push_str(&format!(
                "{path}: not fixed: it is reached through a symbolic link, so okr leaves it; fix the file \
                 the link leads to\n"
            ));
        }
        let files = self
            .files
            .iter()
            .filter(|f| f.changes() && !unwritten.contains(&f.path))
            .count();
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        out.push_str(&format!(
            "{} {} in {}\n",
            if written { "made" } else { "would make" },
            plural(made, "fix", "fixes"),
            plural(files, "file", "files")
        ));
        out
    }
}
