//! `okr checkin`: new values, confidences and notes for key results, written into the team files in place,
//! checked as `okr validate` checks the repository before anything is written, then written whole.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::commands::validate::Validation;
use crate::core::diagnostic::{Diagnostic, Finding, Severity};
use crate::core::edit::{self, Edited, KeyResultEdit, Progress};
use crate::core::model::{KeyResult, Measure, Number, OkrFile, Quarter};
use crate::core::parse::LoadedFile;
use crate::core::rules;
use crate::repo::load;
use crate::repo::workspace::Workspace;

mod message;
mod target;
mod walk;

pub use message::{commit_message, shell_command};
pub use target::Target;
pub use walk::{Answer, Ask, Briefing, Trend, briefings, walk};

/// What to set on one key result: `None` keeps a field as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub target: Target,
    pub progress: Option<Progress>,
    pub confidence: Option<Number>,
    pub note: Option<String>,
}

/// Every OKR file of the repository as it is on disk, and which of them are the quarter's.
pub struct Files {
    pub quarter: Quarter,
    loaded: Vec<LoadedFile>,
    locations: Vec<PathBuf>,
    /// Indexes into `loaded` of the quarter's files.
    in_quarter: Vec<usize>,
}

/// One key result's check-in, as it was and as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub target: Target,
    /// The file it is in, relative to the repository root.
    pub path: String,
    pub from: Option<Progress>,
    pub to: Option<Progress>,
    pub confidence: Option<(Option<Number>, Number)>,
    pub note: Option<String>,
}

/// The check-in worked out: each file's new text, checked, not yet written.
pub struct CheckIn {
    pub lines: Vec<Line>,
    /// Per file: path relative to the root, where it is, its text as read and its new text.
    pub files: Vec<EditedFile>,
}

pub struct EditedFile {
    pub path: String,
    pub location: PathBuf,
    pub before: Vec<u8>,
    pub after: Vec<u8>,
}

/// What came of working out a check-in.
pub enum Outcome {
    /// Every value asked for is already there: nothing to write.
    Unchanged,
    /// The check-in would add errors to the repository (shown as `okr validate` shows them); nothing written.
    Refused(Validation),
    Ready(CheckIn),
}

impl Files {
    /// Reads every OKR file of the repository; `quarter` names the one check-ins go to. A quarter with no
    /// folder is an error that says which quarters have one.
    pub fn load(workspace: &Workspace, quarter: Quarter) -> Result<Files> {
        let okr_dir = workspace.okr_dir();
        let folder = okr_dir.join(quarter.to_string());
        if !folder.is_dir() {
            bail!(
                "no folder `{}` for {quarter}, so there is nothing to check in to\nhelp: pass --quarter to name \
                 another quarter, or start this one with `okr init --team TEAM`",
                workspace.display_path(&folder)
            );
        }
        let candidates = load::discover(workspace, &[okr_dir])?;
        let prefix = format!("{}/", workspace.display_path(&folder));
        let loaded: Vec<LoadedFile> = candidates
            .iter()
            .map(|c| load::load(workspace, c))
            .collect();
        let in_quarter = loaded
            .iter()
            .enumerate()
            .filter(|(_, f)| f.path.starts_with(&prefix))
            .map(|(i, _)| i)
            .collect();
        Ok(Files {
            quarter,
            locations: candidates.into_iter().map(|c| c.location).collect(),
            loaded,
            in_quarter,
        })
    }

    /// The quarter's files that read as OKR files, with their index.
    fn team_files(&self) -> impl Iterator<Item = (usize, &OkrFile)> {
        self.in_quarter
            .iter()
            .filter_map(|&i| self.loaded[i].okr.as_ref().map(|okr| (i, okr)))
    }

    /// The teams of the quarter, as their files name them.
    pub fn teams(&self) -> Vec<&str> {
        self.team_files()
            .filter_map(|(_, okr)| okr.team.as_ref().map(|t| &*t.value))
            .collect()
    }

    /// The index of the file of `team`.
    fn file_of(&self, team: &str) -> Option<usize> {
        self.team_files()
            .find(|(_, okr)| okr.team.as_ref().is_some_and(|t| *t.value == *team))
            .map(|(i, _)| i)
    }

    /// The key result `target` names, or an error with the nearest names there are.
    pub fn key_result(&self, target: &Target) -> Result<(&LoadedFile, &KeyResult)> {
        let file = self.file_of(&target.team).map(|i| &self.loaded[i]);
        target::find(self, target, file)
    }
}

/// Works out the check-in `requests` make in `files`: the new text of each file, checked with every other
/// file of the repository. Nothing is written.
pub fn prepare(workspace: &Workspace, files: &Files, requests: &[Request]) -> Result<Outcome> {
    let mut by_file: BTreeMap<usize, Vec<&Request>> = BTreeMap::new();
    for (n, request) in requests.iter().enumerate() {
        if requests[..n].iter().any(|r| r.target == request.target) {
            bail!(
                "`{}` is named twice\nhelp: name each key result once",
                request.target
            );
        }
        let (_, kr) = files.key_result(&request.target)?;
        check_kind(&request.target, kr, request.progress)?;
        let index = files
            .file_of(&request.target.team)
            .expect("found by key_result");
        by_file.entry(index).or_default().push(request);
    }
    let mut lines = Vec::new();
    let mut edited = Vec::new();
    for (&index, requests) in &by_file {
        let file = &files.loaded[index];
        let edits: Vec<KeyResultEdit> = requests
            .iter()
            .map(|r| KeyResultEdit {
                objective: r.target.objective.clone(),
                key_result: r.target.key_result.clone(),
                progress: r.progress,
                confidence: r.confidence,
                note: r.note.clone(),
            })
            .collect();
        let text = edit::apply(&file.text, &edits)
            .map_err(|e| anyhow::anyhow!("cannot check in to {}: {e}", file.path))?;
        for request in requests {
            let (_, kr) = files.key_result(&request.target)?;
            if let Some(line) = line(&file.path, kr, request) {
                lines.push(line);
            }
        }
        if text.text != file.text {
            edited.push((index, text));
        }
    }
    if edited.is_empty() {
        return Ok(Outcome::Unchanged);
    }
    let refused = new_errors(workspace, files, &edited);
    if !refused.diagnostics.is_empty() {
        return Ok(Outcome::Refused(refused));
    }
    Ok(Outcome::Ready(CheckIn {
        lines,
        files: edited
            .into_iter()
            .map(|(index, edited)| EditedFile {
                path: files.loaded[index].path.clone(),
                location: files.locations[index].clone(),
                before: files.loaded[index].text.clone().into_bytes(),
                after: edited.text.into_bytes(),
            })
            .collect(),
    }))
}

/// A metric takes a number, a milestone `done` or `not-done`.
fn check_kind(target: &Target, kr: &KeyResult, progress: Option<Progress>) -> Result<()> {
    match (kr.measure(), progress) {
        (_, None) => Ok(()),
        (Some(Measure::Share { .. }), Some(Progress::Value(share)))
            if !(0.0..=1.0).contains(&share.0) =>
        {
            bail!(
                "`{target}` is measured as a share done (it has `progress`), so its value is a number from 0 \
                 to 1, not `{share}`"
            )
        }
        (
            Some(
                Measure::Metric { .. }
                | Measure::Unbaselined { .. }
                | Measure::Threshold { .. }
                | Measure::Share { .. },
            ),
            Some(Progress::Value(_)),
        )
        | (Some(Measure::Milestone { .. }), Some(Progress::Done(_))) => Ok(()),
        (
            Some(
                Measure::Metric { .. }
                | Measure::Unbaselined { .. }
                | Measure::Threshold { .. }
                | Measure::Share { .. },
            ),
            Some(Progress::Done(_)),
        ) => bail!(
            "`{target}` is a metric (it has a `target`, or `progress`), so its value is a number, not `done` \
             or `not-done`"
        ),
        (Some(Measure::Milestone { .. }), Some(Progress::Value(v))) => bail!(
            "`{target}` is a milestone (it has `done`), so its value is `done` or `not-done`, not `{v}`"
        ),
        (None, Some(_)) => bail!(
            "`{target}` is neither a metric (`target` with `start` or `direction`, or `progress`) nor a \
             milestone (`done`)\nhelp: give it one \
             in the file first (`okr validate` says what it lacks)"
        ),
    }
}

/// What the check-in changes on one key result, or `None` when it changes nothing: a value is changed when
/// the file does not hold it written, as the edit decides. So a metric with no `current` yet, checked in at
/// its `start`, is a change (`0 → 0`): the file did not say where it stood, and now does.
fn line(path: &str, kr: &KeyResult, request: &Request) -> Option<Line> {
    let from = match kr.measure() {
        Some(Measure::Share { progress }) => Some(Progress::Value(progress)),
        Some(Measure::Milestone { done }) => Some(Progress::Done(done)),
        Some(measure) => measure.current().map(Progress::Value),
        None => None,
    };
    // A share done is written in `progress`, every other number in `current`.
    let value_field = kr.progress.as_ref().or(kr.current.as_ref());
    let written = match request.progress {
        Some(Progress::Value(_)) => value_field.map(|c| Progress::Value(c.value)),
        Some(Progress::Done(_)) => kr.done.as_ref().map(|d| Progress::Done(d.value)),
        None => None,
    };
    let to = request.progress.filter(|p| Some(*p) != written);
    let old_confidence = kr.confidence.as_ref().map(|c| c.value);
    let confidence = request
        .confidence
        .filter(|c| Some(*c) != old_confidence)
        .map(|c| (old_confidence, c));
    let note = request
        .note
        .clone()
        .filter(|n| kr.notes.as_ref().is_none_or(|old| *old.value != **n));
    (to.is_some() || confidence.is_some() || note.is_some()).then(|| Line {
        target: request.target.clone(),
        path: path.to_owned(),
        from,
        to,
        confidence,
        note,
    })
}

/// The errors the edited files would have that they do not have now, with the new texts to quote. Errors a
/// file already had are not the check-in's doing, and do not stop it: an old error is the same as a new one
/// when their file, rule and line match and so do their messages, the old error's lines moved as the edit
/// moved them (a line inserted above a duplicate id moves it, and the line its message names).
fn new_errors(workspace: &Workspace, files: &Files, edited: &[(usize, Edited)]) -> Validation {
    let before: Vec<&LoadedFile> = files.loaded.iter().collect();
    let parsed: Vec<(usize, LoadedFile)> = edited
        .iter()
        .map(|(index, edited)| {
            let path = &files.loaded[*index].path;
            (
                *index,
                crate::core::parse::parse(path, edited.text.clone().into_bytes()),
            )
        })
        .collect();
    let after: Vec<&LoadedFile> = files
        .loaded
        .iter()
        .enumerate()
        .map(|(i, file)| {
            parsed
                .iter()
                .find(|(j, _)| *j == i)
                .map_or(file, |(_, p)| p)
        })
        .collect();
    let indexes: Vec<usize> = edited.iter().map(|(index, _)| *index).collect();
    let mut old: Vec<(String, &str, Option<u32>, String)> = errors(workspace, &before, &indexes)
        .into_iter()
        .map(|d| {
            let lines = edited
                .iter()
                .find(|(index, _)| files.loaded[*index].path == d.path)
                .map(|(_, e)| &e.lines);
            match lines {
                Some(lines) => (
                    d.path,
                    d.code,
                    lines.line(d.line),
                    lines.message(&d.message),
                ),
                None => (d.path, d.code, Some(d.line), d.message),
            }
        })
        .collect();
    let mut validation = Validation {
        files: edited.len(),
        ..Validation::default()
    };
    for diagnostic in errors(workspace, &after, &indexes) {
        let key = (
            diagnostic.path.clone(),
            diagnostic.code,
            Some(diagnostic.line),
            diagnostic.message.clone(),
        );
        match old.iter().position(|o| *o == key) {
            Some(at) => {
                old.swap_remove(at);
            }
            None => validation.diagnostics.push(diagnostic),
        }
    }
    for (index, edited) in edited {
        let path = &files.loaded[*index].path;
        if validation.diagnostics.iter().any(|d| d.path == *path) {
            validation.sources.insert(path.clone(), edited.text.clone());
        }
    }
    validation
}

/// The errors of the files `edited` indexes, checked with all of `loaded` as `okr validate` checks them.
fn errors(workspace: &Workspace, loaded: &[&LoadedFile], edited: &[usize]) -> Vec<Diagnostic> {
    let repository: Vec<(&str, &OkrFile)> = loaded
        .iter()
        .filter_map(|f| f.okr.as_ref().map(|okr| (f.path.as_str(), okr)))
        .collect();
    let cross = rules::check_repository(&repository);
    let mut out = Vec::new();
    for &index in edited {
        let file = loaded[index];
        let own = file
            .okr
            .as_ref()
            .map(|okr| rules::check_file(okr, &file.path))
            .unwrap_or_default();
        let across = cross
            .iter()
            .filter(|(i, _)| repository[*i].0 == file.path)
            .map(|(_, f)| f.clone());
        let findings: Vec<Finding> = file
            .findings
            .iter()
            .cloned()
            .chain(own)
            .chain(across)
            .collect();
        for finding in findings {
            if workspace.config.severity(finding.code) == Some(Severity::Error) {
                out.push(Diagnostic::from_finding(
                    &file.path,
                    Severity::Error,
                    finding,
                ));
            }
        }
    }
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// How a check-in that could not write is tried again, for the help line of the error.
const AGAIN: &str = "check in again";

impl CheckIn {
    /// Writes every edited file, each whole or not at all, keeping its mode; none when one of them is
    /// read-only.
    pub fn write(&self) -> Result<()> {
        for file in &self.files {
            crate::repo::rewrite::require_writable(&file.location, AGAIN)?;
        }
        for file in &self.files {
            crate::repo::rewrite::rewrite(&file.location, &file.before, &file.after, AGAIN)?;
        }
        Ok(())
    }
}

/// What `okr checkin` did.
pub enum Done {
    /// The values asked for were already there.
    Unchanged,
    /// Refused: the check-in would add these errors. Nothing was written.
    Refused(Validation),
    Written {
        lines: Vec<Line>,
        message: String,
        /// The commit made with `--commit`: its id and who made it.
        commit: Option<(String, String)>,
        /// Without `--commit`: the command that commits the check-in.
        command: Option<String>,
    },
}

/// Works out the check-in, writes it, and commits it when `commit` says so (refusing, before anything is
/// written, when there is no identity to commit with or a file holds changes not committed yet). `cwd` is
/// where the `git` command shown is to be run.
pub fn run(
    workspace: &Workspace,
    files: &Files,
    requests: &[Request],
    commit: bool,
    cwd: &std::path::Path,
) -> Result<Done> {
    let check_in = match prepare(workspace, files, requests)? {
        Outcome::Unchanged => return Ok(Done::Unchanged),
        Outcome::Refused(validation) => return Ok(Done::Refused(validation)),
        Outcome::Ready(check_in) => check_in,
    };
    let message = commit_message(&check_in);
    let git = if commit {
        let git = crate::repo::git::Git::open(&workspace.root)?;
        let identity = git.identity()?;
        git.require_plain_commit()?;
        for file in &check_in.files {
            git.require_committed(&file.path, &file.before)?;
        }
        Some((git, identity))
    } else {
        None
    };
    check_in.write()?;
    let Some((git, identity)) = git else {
        return Ok(Done::Written {
            command: Some(shell_command(&check_in, &workspace.root, cwd)),
            lines: check_in.lines,
            message,
            commit: None,
        });
    };
    let changes: Vec<crate::repo::git::Change<'_>> = check_in
        .files
        .iter()
        .map(|f| crate::repo::git::Change {
            path: &f.path,
            location: &f.location,
            content: &f.after,
        })
        .collect();
    let id = git.commit_files(&changes, &message).map_err(|e| {
        anyhow::anyhow!(
            "the files are written, but the commit failed: {e:#}\nhelp: commit them with git: {}",
            shell_command(&check_in, &workspace.root, cwd)
        )
    })?;
    Ok(Done::Written {
        lines: check_in.lines,
        message,
        commit: Some((id.to_string(), identity)),
        command: None,
    })
}
