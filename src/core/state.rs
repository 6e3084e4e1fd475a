//! A quarter's OKRs as they stood at one commit, as data.

use serde::Serialize;

use crate::core::model::{OkrFile, Quarter};

#[derive(Debug, Clone, Serialize)]
pub struct TeamState {
    pub path: String,
    #[serde(flatten)]
    pub okr: OkrFile,
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
