//! The history page (`okr history`): the quarter's events, and how every format groups them — by commit,
//! and within a commit into changes (key results added with their objective nested under it) and check-ins
//! (one item per objective) — decided once.

use std::collections::HashSet;

use jiff::civil::Date;
use serde::Serialize;

use super::Reasoning;
use crate::core::change::ChangeKind;
use crate::core::history::{Event, History};
use crate::core::report::Lane;

#[derive(Debug, Serialize)]
pub struct HistoryPage {
    #[serde(flatten)]
    pub history: History,
    /// The day the page is made on.
    #[serde(skip)]
    pub today: Date,
    /// The timeline cut into commits, oldest first.
    #[serde(skip)]
    pub commits: Vec<Commit>,
    /// Events the summary counts as mid-quarter pivots.
    #[serde(skip)]
    pub pivots: HashSet<usize>,
    /// Whether each event has the reason it needs, by index.
    #[serde(skip)]
    pub reasoning: Vec<Reasoning>,
    /// One lane per objective for the timeline picture.
    #[serde(skip)]
    pub lanes: Vec<Lane>,
}

/// One commit's events: `first..end` in `History::events`.
#[derive(Debug)]
pub struct Commit {
    pub first: usize,
    pub end: usize,
    pub items: Vec<Item>,
    /// The reason every event of the commit shares, when they all share one (or all have none): shown once
    /// for the commit rather than once per change.
    pub shared_reason: Option<Option<String>>,
}

#[derive(Debug)]
pub enum Item {
    /// A change of plan or wording, with the key results added along with an added objective.
    Change { head: usize, nested: Vec<usize> },
    /// Progress and confidence updates of one objective's key results: each inner list is one key result.
    CheckIn {
        head: usize,
        key_results: Vec<Vec<usize>>,
    },
}

impl HistoryPage {
    pub fn new(history: History, today: Date) -> HistoryPage {
        let events = &history.events;
        let mut commits = Vec::new();
        let mut first = 0;
        while first < events.len() {
            let end = first
                + events[first..]
                    .iter()
                    .take_while(|e| e.commit == events[first].commit)
                    .count();
            commits.push(Commit {
                first,
                end,
                items: items(events, first, end),
                shared_reason: shared_reason(&events[first..end]),
            });
            first = end;
        }
        HistoryPage {
            today,
            commits,
            pivots: history.summary.pivots().into_iter().collect(),
            reasoning: events.iter().map(Reasoning::of).collect(),
            lanes: crate::core::timeline::lanes(&history),
            history,
        }
    }

    /// Whether the event at `index` is shown as a pivot.
    pub fn is_pivot(&self, index: usize) -> bool {
        self.pivots.contains(&index)
    }
}

fn is_check_in(kind: ChangeKind) -> bool {
    matches!(
        kind,
        ChangeKind::KrProgress | ChangeKind::KrConfidenceChanged
    )
}

/// Changes in the engine's order, key results added with their objective nested under it; then check-ins,
/// one item per objective.
fn items(events: &[Event], first: usize, end: usize) -> Vec<Item> {
    let mut changes: Vec<Item> = Vec::new();
    let mut check_ins: Vec<Item> = Vec::new();
    let same_objective = |a: &Event, b: &Event| {
        a.change.team == b.change.team && a.change.objective == b.change.objective
    };
    for (index, event) in events.iter().enumerate().take(end).skip(first) {
        let kind = event.change.kind;
        if is_check_in(kind) {
            let found = check_ins.iter_mut().find_map(|item| match item {
                Item::CheckIn { head, key_results } if same_objective(&events[*head], event) => {
                    Some(key_results)
                }
                _ => None,
            });
            match found {
                Some(key_results) => {
                    match key_results
                        .iter_mut()
                        .find(|k| events[k[0]].change.key_result == event.change.key_result)
                    {
                        Some(kr) => kr.push(index),
                        None => key_results.push(vec![index]),
                    }
                }
                None => check_ins.push(Item::CheckIn {
                    head: index,
                    key_results: vec![vec![index]],
                }),
            }
            continue;
        }
        if kind == ChangeKind::KrAdded {
            let parent = changes.iter_mut().find_map(|item| match item {
                Item::Change { head, nested }
                    if events[*head].change.kind == ChangeKind::ObjectiveAdded
                        && same_objective(&events[*head], event) =>
                {
                    Some(nested)
                }
                _ => None,
            });
            if let Some(nested) = parent {
                nested.push(index);
                continue;
            }
        }
        changes.push(Item::Change {
            head: index,
            nested: Vec::new(),
        });
    }
    changes.extend(check_ins);
    changes
}

/// The reason every event of the commit shares, if they all share one (or all have none).
fn shared_reason(events: &[Event]) -> Option<Option<String>> {
    let first = events.first()?.reason.as_deref();
    events
        .iter()
        .all(|e| e.reason.as_deref() == first)
        .then(|| first.map(str::to_owned))
}
