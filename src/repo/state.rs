//! `okr show --at`: what a quarter's OKRs looked like at a revision or on a date.

use anyhow::{Result, bail};
use gix::ObjectId;

use crate::core::model::Quarter;
use crate::core::state::{QuarterState, TeamState};
use crate::repo::git::Git;
use crate::repo::history::{no_such_quarter, quarter_folder};
use crate::repo::revisions::{Parsed, Revisions};
use crate::repo::workspace::Workspace;

/// `at` is a revision, or a date (YYYY-MM-DD): the last commit on or before that day along first parents.
/// A quarter with no folder there has no teams (`okr report` on a quarter whose folder was deleted since).
pub fn at(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    at: &str,
    rev: &str,
) -> Result<QuarterState> {
    let (commit, _) = commit_at(git, at, rev)?;
    state_of(workspace, git, quarter, commit)
}

/// [`at`], taking up the blobs a history read before it parsed.
pub fn at_with_parsed(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    (at, rev): (&str, &str),
    parsed: Parsed,
) -> Result<QuarterState> {
    let (commit, _) = commit_at(git, at, rev)?;
    read_state(
        workspace,
        git,
        quarter,
        commit,
        Revisions::from_parsed(git, parsed),
    )
}

/// [`at`] for `okr show`, which reads nothing but the quarter's folder in that one commit: a quarter with no
/// folder there (mistyped, not planned yet, or deleted by then) is an error naming the quarters it has, where
/// an empty page would look like a quarter without teams.
pub fn shown(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    at: &str,
    rev: &str,
) -> Result<QuarterState> {
    let (commit, named) = commit_at(git, at, rev)?;
    if git
        .entry_id(commit, &quarter_folder(workspace, quarter))?
        .is_none()
    {
        return Err(no_such_quarter(
            workspace,
            git,
            quarter,
            (commit, &named),
            false,
        ));
    }
    state_of(workspace, git, quarter, commit)
}

/// The commit `at` names, and how to name it to the user.
fn commit_at(git: &Git, at: &str, rev: &str) -> Result<(ObjectId, String)> {
    Ok(match at.parse::<jiff::civil::Date>() {
        Ok(date) if at.len() == 10 => {
            match git.last_commit_on_or_before(git.resolve(rev)?, date)? {
                Some(commit) => (
                    commit,
                    format!(
                        "the last commit on or before {date} ({})",
                        commit.to_hex_with_len(7)
                    ),
                ),
                None => bail!("no commit on or before {date} in `{rev}`"),
            }
        }
        _ => (git.resolve(at)?, format!("`{at}`")),
    })
}

fn state_of(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    commit: ObjectId,
) -> Result<QuarterState> {
    read_state(workspace, git, quarter, commit, Revisions::new(git))
}

fn read_state(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    commit: ObjectId,
    mut revisions: Revisions<'_>,
) -> Result<QuarterState> {
    let meta = git.commit(commit)?;
    let files = revisions.snapshot(commit, &quarter_folder(workspace, quarter))?;
    Ok(QuarterState {
        quarter,
        commit: commit.to_string(),
        date: meta
            .time
            .timestamp()
            .display_with_offset(meta.time.offset())
            .to_string(),
        teams: files
            .into_iter()
            .map(|f| TeamState {
                path: f.path.to_string(),
                okr: f.okr,
            })
            .collect(),
        warnings: revisions.warnings,
    })
}
