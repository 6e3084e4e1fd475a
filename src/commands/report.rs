//! `okr report`: reads the quarter's history and its state at a revision from git, and builds the report.

use anyhow::Result;

use crate::core::report::{Report, ReportQuery, assemble, carried_from_quarters};
use crate::repo::git::Git;
use crate::repo::history::{self, Query};
use crate::repo::workspace::Workspace;

/// Builds the report: the state at `query.at`, scored, with the quarter's history up to it.
pub fn build(workspace: &Workspace, git: &Git, query: &ReportQuery) -> Result<Report> {
    build_with_progress(workspace, git, query, &mut |_| {})
}

/// [`build`], telling `progress` how far reading the history has come.
pub fn build_with_progress(
    workspace: &Workspace,
    git: &Git,
    query: &ReportQuery,
    progress: &mut dyn FnMut(history::Progress),
) -> Result<Report> {
    let (history, parsed) = history::read_keeping_parsed(
        workspace,
        git,
        &Query {
            quarter: query.quarter,
            rev: query.at.clone(),
            first_parent: false,
            team: query.team.clone(),
            since: None,
            until: None,
        },
        progress,
    )?;
    // The state is where the history ends: its revisions were parsed by the history read just now.
    let state = crate::repo::state::at_with_parsed(
        workspace,
        git,
        query.quarter,
        (&query.at, &query.at),
        parsed,
    )?;
    // The quarters objectives were carried from, as they stand at the same revision: how each ended there.
    let earlier = carried_from_quarters(&state)
        .into_iter()
        .map(|quarter| crate::repo::state::at(workspace, git, quarter, &query.at, &query.at))
        .collect::<Result<Vec<_>>>()?;
    Ok(assemble(query, history, state, &earlier))
}
