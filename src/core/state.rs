//! A quarter's OKRs as they stood at one commit, as data.

use std::sync::Arc;

use serde::Serialize;

use crate::core::model::{OkrFile, Quarter};

#[derive(Debug, Clone, Serialize)]
pub struct TeamState {
    pub path: String,
    /// Shared with the history read beside it: a report of an organisation's quarter holds thousands.
    #[serde(flatten)]
    pub okr: Arc<OkrFile>,
}

/// A quarter's OKRs as they stood at one commit.
#[derive(Debug, Clone, Serialize)]
pub struct QuarterState {
    pub quarter: Quarter,
    /// The commit read (full id) and its date (RFC 3339).
    pub commit: String,
    pub date: String,
    pub teams: Vec<TeamState>,
    pub warnings: Vec<crate::core::history::Warning>,
}
