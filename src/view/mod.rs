//! Views: one serialisable model per page, computed once from the engine's results. Every count, order,
//! grouping and label decision a page shows is made here, so each format's renderer only lays it
//! out and no two formats can disagree.
//!
//! A view serialises as the page's JSON: the engine's result, flattened, keeps its documented contract, and
//! the decisions made for laying it out are not part of it.

pub mod history;
pub mod report;

use crate::core::change::{Meaning, Pivot};
use crate::core::history::Event;

/// Whether a change has the reason it needs: decided once, shown the same way in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reasoning {
    /// It says why.
    Given,
    /// The policy asked for a reason, and none was given.
    Missing,
    /// No reason was given, and none was asked for.
    NotAsked,
}

impl Reasoning {
    pub fn of(event: &Event) -> Reasoning {
        let given = event
            .reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        match (given, event.requires_reason) {
            (true, _) => Reasoning::Given,
            (false, true) => Reasoning::Missing,
            (false, false) => Reasoning::NotAsked,
        }
    }
}

/// The kind of change of plan an event is, in the words every page uses.
pub fn pivot_kind(event: &Event) -> Pivot {
    match event.change.meaning() {
        Meaning::Pivot(pivot) => pivot,
        Meaning::Progress
        | Meaning::Wording
        | Meaning::Completion
        | Meaning::Planning
        | Meaning::Part => Pivot::Other,
    }
}

/// `target made easier`: a pivot's kind as a summary counts it.
pub fn pivot_words(pivot: Pivot) -> &'static str {
    match pivot {
        Pivot::Added => "added",
        Pivot::Dropped => "dropped",
        Pivot::Removed => "removed without being marked dropped",
        Pivot::Easier => "target made easier",
        Pivot::Harder => "target made harder",
        Pivot::Other => "other",
    }
}

/// Every kind of pivot, in the order summaries list them.
pub const PIVOT_ORDER: [Pivot; 6] = [
    Pivot::Added,
    Pivot::Dropped,
    Pivot::Removed,
    Pivot::Easier,
    Pivot::Harder,
    Pivot::Other,
];
