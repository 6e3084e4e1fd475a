//! A quarter's history as data: events (each change with the commit that made it), the summary of its changes
//! of plan, and each metric's path through the quarter.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::core::change::{Change, ChangeKind, Direction, Value};
use crate::core::compare::{self, SnapshotFile};
use crate::core::model::{Number, Quarter};

/// One change, with the commit that made it.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub change: Change,
    /// Full commit id.
    pub commit: String,
    /// Committer time, RFC 3339.
    pub date: String,
    pub author: String,
    /// The commit's subject line.
    pub message: String,
    /// Made after the planning window closed.
    pub mid_quarter: bool,
    /// Why: the reason written in the YAML, else the commit's `Reason:` trailer, else its message body.
    pub reason: Option<String>,
    /// Where the reason came from: `yaml`, `trailer`, `body`, or none.
    pub reason_source: Option<ReasonSource>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReasonSource {
    Yaml,
    Trailer,
    Body,
}

/// A revision okr could not read; the walk went on with the last good one.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub commit: String,
    pub path: String,
    pub message: String,
}

/// An objective as it stood when the planning window closed.
#[derive(Debug, Clone, Serialize)]
pub struct KickoffObjective {
    pub team: String,
    pub objective: String,
    pub title: String,
    pub key_results: usize,
}

/// The quarter at a glance. Lists hold indices into `events`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub kickoff: Vec<KickoffObjective>,
    pub added_after_kickoff: Vec<usize>,
    pub dropped: Vec<usize>,
    pub removed: Vec<usize>,
    pub made_easier: Vec<usize>,
    pub made_harder: Vec<usize>,
    /// Other mid-quarter changes of plan: rebaselines, key results added or removed, type and status changes.
    pub other_pivots: Vec<usize>,
    pub check_ins: usize,
}

/// A metric key result's path through the quarter: a point whenever its current value or target changed.
#[derive(Debug, Clone, Serialize)]
pub struct Trajectory {
    pub team: String,
    pub objective: String,
    pub key_result: String,
    pub points: Vec<CheckIn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckIn {
    pub date: Date,
    pub commit: String,
    pub current: Number,
    pub target: Number,
}

impl Summary {
    /// Every mid-quarter change of plan the summary lists, as indices into the events, oldest first.
    pub fn pivots(&self) -> Vec<usize> {
        let mut all: Vec<usize> = [
            &self.added_after_kickoff,
            &self.dropped,
            &self.removed,
            &self.made_easier,
            &self.made_harder,
            &self.other_pivots,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        all.sort_unstable();
        all
    }
}

/// A quarter's history, oldest event first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub quarter: Quarter,
    pub start: Date,
    pub end: Date,
    /// The first day after the planning window: changes from then on are mid-quarter.
    pub kickoff: Date,
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
    pub summary: Summary,
    /// The quarter's files when the planning window closed (empty if nothing was planned by then).
    #[serde(skip)]
    pub kickoff_state: Vec<SnapshotFile>,
    /// Every metric key result's check-ins and target steps, for charts.
    #[serde(skip)]
    pub trajectories: Vec<Trajectory>,
}

/// The changes a commit made itself. For a merge, only what differs from every parent: a change made on a
/// branch was reported at the branch commit and is not reported again when it is merged.
pub fn own_changes(parents: &[Arc<Vec<SnapshotFile>>], after: &[SnapshotFile]) -> Vec<Change> {
    let Some((first, others)) = parents.split_first() else {
        return compare::compare(&[], after);
    };
    let mut changes = compare::compare(first, after);
    for other in others {
        let from_other = compare::compare(other, after);
        changes.retain(|c| {
            from_other.iter().any(|o| {
                o.kind == c.kind
                    && o.team == c.team
                    && o.objective == c.objective
                    && o.key_result == c.key_result
                    && o.to == c.to
            })
        });
    }
    changes
}

pub fn summarize(events: &[Event], kickoff_state: &[SnapshotFile], team: Option<&str>) -> Summary {
    let mut summary = Summary::default();
    for file in kickoff_state {
        let team_name = file
            .okr
            .team
            .as_ref()
            .map(|t| t.value.to_string())
            .unwrap_or_default();
        if team.is_some_and(|t| t != team_name) {
            continue;
        }
        for objective in &file.okr.objectives {
            summary.kickoff.push(KickoffObjective {
                team: team_name.clone(),
                objective: objective
                    .id
                    .as_ref()
                    .map(|i| i.value.to_string())
                    .unwrap_or_default(),
                title: objective
                    .title
                    .as_ref()
                    .map(|t| t.value.to_string())
                    .unwrap_or_default(),
                key_results: objective.key_results.len(),
            });
        }
    }
    for (index, event) in events.iter().enumerate() {
        let kind = event.change.kind;
        if kind == ChangeKind::KrProgress {
            summary.check_ins += 1;
        }
        if !event.mid_quarter {
            continue;
        }
        let list = match kind {
            ChangeKind::ObjectiveAdded => &mut summary.added_after_kickoff,
            ChangeKind::ObjectiveDropped => &mut summary.dropped,
            ChangeKind::ObjectiveRemoved => &mut summary.removed,
            ChangeKind::KrTargetChanged if event.change.direction == Some(Direction::Easier) => {
                &mut summary.made_easier
            }
            ChangeKind::KrTargetChanged => &mut summary.made_harder,
            // Key results of an objective added late belong to that addition, not to a separate pivot.
            ChangeKind::KrAdded if added_with_objective(events, index) => continue,
            // Finishing an objective is the plan working, not a change of plan.
            ChangeKind::ObjectiveStatusChanged
                if event.change.to == Value::Text("done".to_owned()) =>
            {
                continue;
            }
            k if k.is_pivot() => &mut summary.other_pivots,
            _ => continue,
        };
        list.push(index);
    }
    summary
}

fn added_with_objective(events: &[Event], index: usize) -> bool {
    let event = &events[index];
    events[..index]
        .iter()
        .rev()
        .take_while(|e| e.commit == event.commit)
        .any(|e| {
            e.change.kind == ChangeKind::ObjectiveAdded
                && e.change.team == event.change.team
                && e.change.objective == event.change.objective
        })
}
