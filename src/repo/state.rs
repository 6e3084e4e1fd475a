//! `okr show --at`: what a quarter's OKRs looked like at a revision or on a date.

use anyhow::{Result, bail};

use crate::core::model::Quarter;
use crate::core::state::{QuarterState, TeamState};
use crate::repo::git::Git;
use crate::repo::history::quarter_folder;
use crate::repo::revisions::Revisions;
use crate::repo::workspace::Workspace;

/// `at` is a revision, or a date (YYYY-MM-DD): the last commit on or before that day along first parents.
pub fn at(
    workspace: &Workspace,
    git: &Git,
    quarter: Quarter,
    at: &str,
    rev: &str,
) -> Result<QuarterState> {
    let commit = match at.parse::<jiff::civil::Date>() {
        Ok(date) if at.len() == 10 => {
            match git.last_commit_on_or_before(git.resolve(rev)?, date)? {
                Some(commit) => commit,
                None => bail!("no commit on or before {date} in `{rev}`"),
            }
        }
        _ => git.resolve(at)?,
    };
    let meta = git.commit(commit)?;
    let mut revisions = Revisions::new(git);
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
                path: f.path,
                okr: (*f.okr).clone(),
            })
            .collect(),
        warnings: revisions.warnings,
    })
}
