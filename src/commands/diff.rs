//! `okr diff`: the semantic changes between two revisions, or between a revision and the working tree.

use std::sync::Arc;

use anyhow::Result;
use serde::Serialize;

use crate::core::change::Change;
use crate::core::compare::{self, SnapshotFile};
use crate::core::parse;
use crate::repo::git::Git;
use crate::repo::history::Revisions;
use crate::repo::load;
use crate::repo::workspace::Workspace;

/// One change of a comparison, with the reason the YAML gives for it.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedChange {
    #[serde(flatten)]
    pub change: Change,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// The revision compared from, as the user named it.
    pub from: String,
    /// The revision compared to, or `working tree`.
    pub to: String,
    pub changes: Vec<ComparedChange>,
}

/// What to compare with: a revision, or the files on disk.
pub enum Side<'a> {
    Revision(&'a str),
    WorkingTree,
}

/// Compares every OKR file of two sides.
pub fn compare(
    workspace: &Workspace,
    git: &Git,
    from: Side<'_>,
    to: Side<'_>,
) -> Result<Comparison> {
    let mut revisions = Revisions::new(git);
    let (from_name, old) = side(workspace, git, &mut revisions, from)?;
    let (to_name, new) = side(workspace, git, &mut revisions, to)?;
    let changes = compare::compare(&old, &new)
        .into_iter()
        .map(|change| ComparedChange {
            reason: change.yaml_reason.clone(),
            change,
        })
        .collect();
    Ok(Comparison {
        from: from_name,
        to: to_name,
        changes,
    })
}

fn side(
    workspace: &Workspace,
    git: &Git,
    revisions: &mut Revisions<'_>,
    side: Side<'_>,
) -> Result<(String, Vec<SnapshotFile>)> {
    match side {
        Side::Revision(spec) => {
            let commit = git.resolve(spec)?;
            Ok((
                spec.to_owned(),
                revisions.snapshot(commit, &workspace.config.dir)?,
            ))
        }
        Side::WorkingTree => Ok(("working tree".to_owned(), working_tree(workspace)?)),
    }
}

/// The OKR files on disk, as a snapshot. Files that cannot be read are left out (`okr validate` reports them).
pub fn working_tree(workspace: &Workspace) -> Result<Vec<SnapshotFile>> {
    let dir = workspace.okr_dir();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let candidates = load::discover(workspace, &[dir])?;
    Ok(candidates
        .iter()
        .map(|c| load::load(workspace, c))
        .filter_map(|loaded| {
            loaded.okr.map(|okr| SnapshotFile {
                path: loaded.path,
                okr: Arc::new(okr),
            })
        })
        .collect())
}

/// Compares two file contents directly, for git's external diff driver.
pub fn compare_contents(
    path: &str,
    old: Option<Vec<u8>>,
    new: Option<Vec<u8>>,
) -> Vec<ComparedChange> {
    let snapshot = |bytes: Option<Vec<u8>>| -> Vec<SnapshotFile> {
        bytes
            .and_then(|b| parse::parse(path, b).okr)
            .map(|okr| SnapshotFile {
                path: path.to_owned(),
                okr: Arc::new(okr),
            })
            .into_iter()
            .collect()
    };
    compare::compare(&snapshot(old), &snapshot(new))
        .into_iter()
        .map(|change| ComparedChange {
            reason: change.yaml_reason.clone(),
            change,
        })
        .collect()
}
