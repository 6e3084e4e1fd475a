//! The history page (`okr history`): the quarter's events, and how every format groups them — by commit,
//! and within a commit into changes (key results added with their objective nested under it) and check-ins
//! (one item per objective) — decided once.

use std::collections::{HashMap, HashSet};

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
        ChangeKind::KrProgress | ChangeKind::KrConfidenceChanged | ChangeKind::KrHealthChanged
    )
}

/// Changes in the engine's order, key results added with their objective nested under it; then check-ins,
/// one item per objective. Items are found by objective through indexes: a commit planning an organisation's
/// quarter holds tens of thousands of events, and a search per event was most of the page's time.
fn items(events: &[Event], first: usize, end: usize) -> Vec<Item> {
    let mut changes: Vec<Item> = Vec::new();
    let mut check_ins: Vec<Item> = Vec::new();
    // The first objective added in this commit, by objective: its place in `changes`.
    let mut added: HashMap<Objective, usize> = HashMap::new();
    // The check-in item of each objective, by objective: its place in `check_ins`.
    let mut checked: HashMap<Objective, usize> = HashMap::new();
    // Each key result's list within its objective's check-in item.
    let mut checked_key_results: HashMap<(Objective, Option<&str>), usize> = HashMap::new();
    for (index, event) in events.iter().enumerate().take(end).skip(first) {
        let kind = event.change.kind;
        let objective = objective_of(event);
        if is_check_in(kind) {
            let key_result = event.change.key_result.as_deref();
            match checked.get(&objective) {
                Some(&item) => {
                    let Item::CheckIn { key_results, .. } = &mut check_ins[item] else {
                        unreachable!("check_ins holds check-in items only")
                    };
                    match checked_key_results.get(&(objective, key_result)) {
                        Some(&kr) => key_results[kr].push(index),
                        None => {
                            checked_key_results.insert((objective, key_result), key_results.len());
                            key_results.push(vec![index]);
                        }
                    }
                }
                None => {
                    checked.insert(objective, check_ins.len());
                    checked_key_results.insert((objective, key_result), 0);
                    check_ins.push(Item::CheckIn {
                        head: index,
                        key_results: vec![vec![index]],
                    });
                }
            }
            continue;
        }
        if kind == ChangeKind::KrAdded
            && let Some(&parent) = added.get(&objective)
            && let Item::Change { nested, .. } = &mut changes[parent]
        {
            nested.push(index);
            continue;
        }
        if kind == ChangeKind::ObjectiveAdded {
            added.entry(objective).or_insert(changes.len());
        }
        changes.push(Item::Change {
            head: index,
            nested: Vec::new(),
        });
    }
    changes.extend(check_ins);
    changes
}

/// An objective, by team and id.
type Objective<'a> = (&'a str, Option<&'a str>);

fn objective_of(event: &Event) -> Objective<'_> {
    (
        event.change.team.as_str(),
        event.change.objective.as_deref(),
    )
}

/// The reason every event of the commit shares, if they all share one (or all have none).
fn shared_reason(events: &[Event]) -> Option<Option<String>> {
    let first = events.first()?.reason.as_deref();
    events
        .iter()
        .all(|e| e.reason.as_deref() == first)
        .then(|| first.map(str::to_owned))
}
