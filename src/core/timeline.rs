//! The quarter timeline: one lane per objective, with marks where it was added, adjusted, dropped or removed.
//! Drawn by the HTML pages of both `okr report` and `okr history`, so it is computed once, here.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::core::change::{ChangeKind, Value};
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
    /// `added`, `adjusted`, `dropped` or `removed`.
    pub kind: &'static str,
    pub label: String,
    pub mid_quarter: bool,
}

/// The lanes of a history, ordered by team and then by when each objective first appeared. An objective whose
/// id was fixed along with its title keeps its lane; a lane's title is the objective's latest known title.
pub fn lanes(history: &History) -> Vec<Lane> {
    let mut lanes: Vec<Lane> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for event in &history.events {
        let change = &event.change;
        let Some(objective) = &change.objective else {
            continue;
        };
        if let Some(previous) = &change.previous_id
            && change.key_result.is_none()
            && let Some(lane) = index.remove(&(change.team.clone(), previous.clone()))
        {
            lanes[lane].objective = objective.clone();
            index.insert((change.team.clone(), objective.clone()), lane);
        }
        let kind = match change.kind {
            ChangeKind::ObjectiveAdded => "added",
            ChangeKind::ObjectiveDropped => "dropped",
            ChangeKind::ObjectiveRemoved => "removed",
            ChangeKind::KrAdded if !event.mid_quarter => continue,
            k if k.is_pivot() => "adjusted",
            ChangeKind::ObjectiveReworded => "",
            _ => continue,
        };
        let lane = *index
            .entry((change.team.clone(), objective.clone()))
            .or_insert_with(|| {
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
        if kind.is_empty() {
            continue;
        }
        // Planning-time drafts add an objective many times over; one "added" mark per lane is enough.
        if kind == "added" && lane.marks.iter().any(|m| m.kind == "added") {
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
