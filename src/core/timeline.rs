//! The quarter timeline: one lane per objective, with marks where it was added, adjusted, dropped or removed.
//! Drawn by the HTML pages of both `okr report` and `okr history`, so it is computed once, here.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::core::change::{ChangeKind, Meaning, Pivot, Value};
use crate::core::history::History;

/// One objective's row in the quarter timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Lane {
    pub team: String,
    pub objective: String,
    pub title: String,
    pub marks: Vec<Mark>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mark {
    pub date: Date,
    pub kind: MarkKind,
    pub label: String,
    pub mid_quarter: bool,
}

/// What happened to an objective on a day of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkKind {
    Added,
    /// A change of its plan: a target, a key result added, its type, alignment or status.
    Adjusted,
    /// One of its key results was removed.
    KeyResultRemoved,
    Dropped,
    /// Deleted without being marked dropped.
    Removed,
}

impl MarkKind {
    /// Every kind, in the order marks of one day sit side by side.
    pub const ALL: [MarkKind; 5] = [
        MarkKind::Added,
        MarkKind::Adjusted,
        MarkKind::KeyResultRemoved,
        MarkKind::Dropped,
        MarkKind::Removed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MarkKind::Added => "added",
            MarkKind::Adjusted => "adjusted",
            MarkKind::KeyResultRemoved => "key_result_removed",
            MarkKind::Dropped => "dropped",
            MarkKind::Removed => "removed",
        }
    }

    /// The objective's life on the timeline ends here.
    pub fn ends(self) -> bool {
        match self {
            MarkKind::Dropped | MarkKind::Removed => true,
            MarkKind::Added | MarkKind::Adjusted | MarkKind::KeyResultRemoved => false,
        }
    }
}

/// The mark a change makes on its objective's lane, if any. A rewording makes none (it renames the lane).
fn mark_of(change: &crate::core::change::Change, mid_quarter: bool) -> Option<MarkKind> {
    match change.meaning() {
        Meaning::Planning => (change.kind == ChangeKind::ObjectiveAdded).then_some(MarkKind::Added),
        Meaning::Pivot(Pivot::Added) => Some(MarkKind::Added),
        Meaning::Pivot(Pivot::Dropped) => Some(MarkKind::Dropped),
        Meaning::Pivot(Pivot::Removed) => Some(MarkKind::Removed),
        Meaning::Pivot(Pivot::Other) if change.kind == ChangeKind::KrRemoved => {
            Some(MarkKind::KeyResultRemoved)
        }
        // A key result added while planning is the plan being written.
        Meaning::Pivot(Pivot::Other) if change.kind == ChangeKind::KrAdded && !mid_quarter => None,
        Meaning::Pivot(Pivot::Other | Pivot::Easier | Pivot::Harder) => Some(MarkKind::Adjusted),
        Meaning::Progress | Meaning::Wording | Meaning::Completion | Meaning::Part => None,
    }
}

/// The lanes of a history, ordered by team and then by when each objective first appeared. An objective whose
/// id was fixed along with its title keeps its lane; a lane's title is the objective's latest known title.
pub fn lanes(history: &History) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = Vec::new();
    // Keyed by the events' own names: a first plan of ten thousand files is a hundred thousand events, and
    // copying two names for each lookup was most of the time here.
    let mut index: HashMap<(&str, &str), usize, foldhash::fast::RandomState> = HashMap::default();
    for event in &history.events {
        let change = &event.change;
        let Some(objective) = &change.objective else {
            continue;
        };
        if let Some(previous) = &change.previous_id
            && change.key_result.is_none()
            && let Some(lane) = index.remove(&(change.team.as_str(), previous.as_str()))
        {
            lanes[lane].objective = objective.clone();
            index.insert((&change.team, objective), lane);
        }
        let mark = mark_of(change, event.mid_quarter);
        if mark.is_none() && change.kind != ChangeKind::ObjectiveReworded {
            continue;
        }
        let lane = *index.entry((&change.team, objective)).or_insert_with(|| {
            lanes.push(Lane {
                team: change.team.clone(),
                objective: objective.clone(),
                title: String::new(),
                marks: Vec::new(),
            });
            lanes.len() - 1
        });
        let lane = &mut lanes[lane];
        match (change.kind, &change.to, &change.from) {
            (ChangeKind::ObjectiveAdded | ChangeKind::ObjectiveReworded, Value::Text(title), _) => {
                lane.title.clone_from(title);
            }
            (ChangeKind::ObjectiveRemoved, _, Value::Text(title)) if lane.title.is_empty() => {
                lane.title.clone_from(title);
            }
            _ => {}
        }
        // A rewording names the lane; it is not a change of plan to mark.
        let Some(kind) = mark else {
            continue;
        };
        // Planning-time drafts add an objective many times over; one "added" mark per lane is enough.
        if kind == MarkKind::Added && lane.marks.iter().any(|m| m.kind == MarkKind::Added) {
            continue;
        }
        let label = match &change.key_result {
            Some(kr) => format!("{} {kr}: {} → {}", change.kind, change.from, change.to),
            None => change.kind.to_string(),
        };
        lane.marks.push(Mark {
            date: event
                .date
                .get(..10)
                .and_then(|d| d.parse().ok())
                .unwrap_or(history.start),
            kind,
            label,
            mid_quarter: event.mid_quarter,
        });
    }
    lanes.sort_by(|a, b| a.team.cmp(&b.team));
    lanes
}
