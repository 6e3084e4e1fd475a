//! `okr report`: where a quarter stands — scores, alignment, drops and pivots — and, at the end, the
//! retrospective. Everything a renderer shows is decided here, as data.

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use crate::core::change::Value;
use crate::core::compare::SnapshotFile;
use crate::core::history::{Event, History, Trajectory, Warning};
use crate::core::model::{
    Direction, Health, KeyResult, Measure, Number, Objective, ObjectiveType, Priority, Quarter,
    Status,
};
use crate::core::stale::{Clocks, StaleRule};
use crate::core::state::QuarterState;

mod alignment;
mod assemble;
mod carried;
mod fields;
mod retrospective;
mod scoring;

use alignment::alignment;
pub use assemble::assemble;
pub use carried::{CarriedFrom, carried_from_quarters};
use carried::{Earlier, carried_from, earlier_warnings};
pub use fields::LinkReport;
use fields::{links, owners, text};
use retrospective::retrospective;
pub use retrospective::{Learning, Outcome, Retrospective, WrittenByTeam};
pub use scoring::{measure_score, metric_score};

/// What to report on.
#[derive(Debug, Clone)]
pub struct ReportQuery {
    pub quarter: Quarter,
    pub team: Option<String>,
    /// The revision whose state is reported.
    pub at: String,
    /// Include the retrospective even before the quarter ends.
    pub retro: bool,
    /// The day the report is made (the quarter has ended when this is after its last day).
    pub today: Date,
    /// Days without a check-in after which a key result of an active objective is stale.
    pub stale_after_days: u32,
}

/// Grade bands: 0–0.3 red, 0.4–0.6 amber, 0.7–1.0 green, on the score rounded to one decimal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    Red,
    Amber,
    Green,
}

impl Band {
    pub fn of(score: f64) -> Band {
        let tenths = (score * 10.0).round();
        if tenths <= 3.0 {
            Band::Red
        } else if tenths <= 6.0 {
            Band::Amber
        } else {
            Band::Green
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Band::Red => "red",
            Band::Amber => "amber",
            Band::Green => "green",
        }
    }
}

/// The score an objective of a type is expected to reach: committed 1.0, aspirational about 0.7.
pub fn expected(kind: ObjectiveType) -> f64 {
    match kind {
        ObjectiveType::Committed => 1.0,
        ObjectiveType::Aspirational => 0.7,
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyResultReport {
    pub id: String,
    pub title: String,
    /// `metric`, `threshold`, `progress` or `milestone`.
    pub measure: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current: Option<Number>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<bool>,
    /// `increase`, `decrease`, `at_least` or `at_most`, when the file says.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The share done, for a key result measured so.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub progress: Option<Number>,
    /// The measure the fields above come from, for pages to word it.
    #[serde(skip)]
    pub measured: Option<Measure>,
    pub unit: Option<String>,
    pub confidence: Option<Number>,
    /// 0..1; `None` when the key result cannot be measured.
    pub score: Option<f64>,
    /// `computed` from the values, or `explicit` (a `score` written in the file).
    pub score_source: &'static str,
    pub band: Option<Band>,
    /// The target when the planning window closed, if it differs from today's.
    pub kickoff_target: Option<Number>,
    /// The score against the kickoff target, when the target moved since.
    pub score_against_kickoff: Option<f64>,
    pub notes: Option<String>,
    pub owner: Option<String>,
    /// Each owner's name; `owner` is them joined by `, `.
    pub owners: Vec<String>,
    pub priority: Option<Priority>,
    /// Its owner's judgement at the last check-in (`health`).
    pub health: Option<Health>,
    pub links: Vec<LinkReport>,
    /// The day its progress (`current`, `done`) last changed this quarter, from git history.
    pub last_checkin: Option<Date>,
    /// Of an active objective, and without progress for the configured days (see [`StaleRule`]).
    pub stale: bool,
    /// Days since its clock last started (check-in, addition or kickoff), while the quarter runs.
    #[serde(skip)]
    pub idle_days: Option<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DroppedInfo {
    pub date: Option<Date>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveReport {
    pub team: String,
    pub id: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: ObjectiveType,
    pub status: Status,
    pub owner: Option<String>,
    /// Each owner's name; `owner` is them joined by `, `.
    pub owners: Vec<String>,
    pub priority: Option<Priority>,
    pub links: Vec<LinkReport>,
    pub aligns_to: Option<String>,
    /// The earlier quarter it was carried over from, and how it ended there.
    pub carried_from: Option<CarriedFrom>,
    /// Mean of its key results' scores.
    pub score: Option<f64>,
    /// Mean of its key results' scores against their kickoff targets, when a target moved.
    pub score_against_kickoff: Option<f64>,
    pub band: Option<Band>,
    /// What its type is expected to reach.
    pub expected: f64,
    /// Below its type's expectation (dropped objectives are not judged).
    pub falls_short: bool,
    pub dropped: Option<DroppedInfo>,
    pub notes: Option<String>,
    pub key_results: Vec<KeyResultReport>,
    /// Key results of its kickoff plan removed after kickoff, each as it last stood.
    pub removed_key_results: Vec<RemovedKeyResultReport>,
}

/// A key result removed from an objective after kickoff: the plan it was part of still counts it.
#[derive(Debug, Clone, Serialize)]
pub struct RemovedKeyResultReport {
    pub id: String,
    pub title: String,
    /// Where it stood when it was removed: its current value, or for a milestone whether it was done.
    pub last_value: Value,
    /// Its score then, against its kickoff target.
    pub score: Option<f64>,
    /// When it was removed (the day the change landed).
    pub date: Option<Date>,
    /// The commit that removed it.
    pub commit: String,
    pub reason: Option<String>,
    /// Counted in the objective's `score_against_kickoff`: it was part of the kickoff plan and was removed
    /// without a reason.
    pub counted: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamReport {
    pub team: String,
    pub path: String,
    pub owner: Option<String>,
    /// Each owner's name; `owner` is them joined by `, `.
    pub owners: Vec<String>,
    pub links: Vec<LinkReport>,
    /// Mean score of its objectives that are not dropped.
    pub score: Option<f64>,
    pub band: Option<Band>,
    pub objectives: Vec<ObjectiveReport>,
}

/// An objective in the alignment tree, with the objectives aligned to it.
#[derive(Debug, Clone, Serialize)]
pub struct AlignmentNode {
    pub team: String,
    pub objective: String,
    pub title: String,
    pub status: Status,
    pub score: Option<f64>,
    /// The key result of its parent it aligns to, when it names one (`aligns_to: team/objective/kr`).
    pub via_key_result: Option<String>,
    pub children: Vec<AlignmentNode>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ObjectiveRef {
    pub team: String,
    pub objective: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlignmentTree {
    /// Company objectives and any other objective others align to, each with what aligns to it.
    pub roots: Vec<AlignmentNode>,
    /// Objectives aligned to nothing.
    pub unaligned: Vec<ObjectiveRef>,
    /// Active objectives still aligned to a parent that was dropped.
    pub aligned_to_dropped: Vec<AlignedToDropped>,
    /// `aligns_to` values that name no objective of the quarter.
    pub unresolved: Vec<Unresolved>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlignedToDropped {
    #[serde(flatten)]
    pub objective: ObjectiveRef,
    pub parent: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unresolved {
    #[serde(flatten)]
    pub objective: ObjectiveRef,
    pub aligns_to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DroppedObjective {
    pub team: String,
    pub objective: String,
    pub title: String,
    pub date: Option<Date>,
    pub reason: Option<String>,
}

pub use crate::core::timeline::{Lane, Mark, MarkKind};

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub quarter: Quarter,
    pub start: Date,
    pub end: Date,
    /// First day after the planning window.
    pub kickoff: Date,
    /// The day the report was made.
    pub today: Date,
    /// Days without a check-in after which a key result is stale.
    pub stale_after_days: u32,
    /// The quarter is over (or `--retro` asked for the retrospective).
    pub ended: bool,
    /// The commit reported on, and its date.
    pub commit: String,
    pub date: String,
    pub teams: Vec<TeamReport>,
    pub alignment: AlignmentTree,
    pub dropped: Vec<DroppedObjective>,
    /// Mid-quarter changes of plan, with their reasons, oldest first.
    pub pivots: Vec<Event>,
    pub retrospective: Option<Retrospective>,
    pub timeline: Vec<Lane>,
    pub trajectories: Vec<Trajectory>,
    pub warnings: Vec<Warning>,
}

/// A score as every output shows it: to two decimals, and never `-0.0` (a metric that has not moved toward a
/// lower target scores 0 ÷ a negative span, which is negative zero, and JSON would print it so).
pub fn round(score: f64) -> f64 {
    (score * 100.0).round() / 100.0 + 0.0
}

/// A key result's score (not yet rounded) and where it comes from: `explicit` (a `score` written in the
/// file) or `computed` from its measure.
pub fn key_result_score(kr: &KeyResult) -> (Option<f64>, &'static str) {
    if let Some(score) = &kr.score {
        return (Some(score.value.0), "explicit");
    }
    (kr.measure().and_then(measure_score), "computed")
}

/// P0 first and those without a priority last, each group in file order: a file without priorities keeps its
/// order.
fn by_priority<T>(items: &mut [T], priority: impl Fn(&T) -> Option<Priority>) {
    items.sort_by_key(|item| priority(item).map_or(u8::MAX, |p| p as u8));
}

/// An objective's score (not yet rounded): the mean of its key results' rounded scores, `None` when none
/// can be scored.
pub fn objective_score(objective: &Objective) -> Option<f64> {
    mean(
        objective
            .key_results
            .iter()
            .filter_map(|kr| key_result_score(kr).0.map(round)),
    )
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(s, c), v| (s + v, c + 1));
    (count > 0).then(|| sum / count as f64)
}

/// Tens of thousands of key results at an organisation's kickoff, keyed by names from its own files: a fast
/// hash pays, and a collision costs time, never a wrong answer.
type KickoffIndex<'a> =
    HashMap<(&'a str, &'a str, &'a str), &'a KeyResult, foldhash::fast::RandomState>;

/// The kickoff plan's key results by team, objective and id: the quarter at kickoff, and the first revision
/// of each team that planned late.
fn kickoff_index<'a>(files: impl Iterator<Item = &'a SnapshotFile>) -> KickoffIndex<'a> {
    let mut index = KickoffIndex::default();
    for file in files {
        let Some(team) = file.okr.team.as_ref() else {
            continue;
        };
        for objective in &file.okr.objectives {
            let Some(id) = objective.id.as_ref() else {
                continue;
            };
            for kr in &objective.key_results {
                if let Some(kr_id) = kr.id.as_ref() {
                    index.insert((&*team.value, &*id.value, &*kr_id.value), kr);
                }
            }
        }
    }
    index
}

/// What every objective's report is built against: the kickoff plan, what was removed since, and when each key
/// result last moved.
pub(super) struct Context<'a> {
    kickoff: &'a KickoffIndex<'a>,
    removed: &'a Removed,
    clocks: &'a Clocks<'a>,
    /// `None` for an objective scored outside its own quarter's report, where nothing is stale.
    stale: Option<StaleRule>,
    /// The objectives of the earlier quarters carried-over objectives came from, at the revision reported on.
    earlier: &'a Earlier<'a>,
}

fn key_result_report(
    team: &str,
    objective: &Objective,
    objective_id: &str,
    kr: &KeyResult,
    context: &Context<'_>,
) -> KeyResultReport {
    let (score, score_source) = key_result_score(kr);
    let id = kr.id.as_ref().map(|i| i.value.clone()).unwrap_or_default();
    let clock = context.clocks.get(team, objective_id, &id);
    let measure = kr.measure();
    let (start, target, current, done, progress) = match measure {
        Some(Measure::Metric {
            start,
            target,
            current,
        }) => (Some(start), Some(target), Some(current), None, None),
        Some(Measure::Unbaselined {
            target, current, ..
        }) => (None, Some(target), current, None, None),
        Some(Measure::Threshold {
            target,
            current,
            start,
            ..
        }) => (start, Some(target), current, None, None),
        Some(Measure::Share { progress }) => (None, None, None, None, Some(progress)),
        Some(Measure::Milestone { done }) => (None, None, None, Some(done), None),
        None => (None, None, None, None, None),
    };
    let at_kickoff = context.kickoff.get(&(team, objective_id, &*id));
    // Against the kickoff plan, when its target differs from today's.
    let (kickoff_target, score_against_kickoff) =
        match (at_kickoff.and_then(|k| k.measure()), measure) {
            (Some(then), Some(now)) if then.target() != now.target() => {
                match scoring::against(now, then) {
                    Some(planned) => (then.target(), measure_score(planned).map(round)),
                    None => (None, None),
                }
            }
            _ => (None, None),
        };
    KeyResultReport {
        id: id.to_string(),
        title: text(&kr.title).unwrap_or_default(),
        measure: match measure {
            Some(Measure::Milestone { .. }) => "milestone",
            Some(Measure::Threshold { .. }) => "threshold",
            Some(Measure::Share { .. }) => "progress",
            Some(Measure::Metric { .. } | Measure::Unbaselined { .. }) | None => "metric",
        },
        start,
        target,
        current,
        done,
        direction: kr.direction.as_ref().map(|d| d.value),
        progress,
        measured: measure,
        unit: text(&kr.unit),
        confidence: kr.confidence.as_ref().map(|c| c.value),
        score: score.map(round),
        score_source,
        band: score.map(Band::of),
        kickoff_target,
        score_against_kickoff,
        notes: text(&kr.notes),
        owner: text(&kr.owner),
        owners: owners(&kr.owner),
        priority: kr.priority.as_ref().map(|p| p.value),
        health: kr.health.as_ref().map(|h| h.value),
        links: links(&kr.links),
        last_checkin: clock.last_checkin,
        stale: objective.status() == Status::Active
            && context
                .stale
                .is_some_and(|rule| rule.is_stale(clock, done == Some(true))),
        idle_days: context.stale.and_then(|rule| rule.idle_days(clock)),
    }
}

/// The key results removed after kickoff, by team and objective, scored as they last stood.
type Removed = HashMap<(String, String), Vec<RemovedKeyResultReport>>;

fn removed_key_results(history: &History, kickoff: &KickoffIndex<'_>) -> Removed {
    let mut removed: Removed = HashMap::new();
    for gone in &history.removed_key_results {
        let event = &history.events[gone.event];
        let id = gone
            .key_result
            .id
            .as_ref()
            .map(|i| i.value.to_string())
            .unwrap_or_default();
        let planned = kickoff
            .get(&(gone.team.as_str(), gone.objective.as_str(), id.as_str()))
            .copied();
        let last = gone.key_result.measure();
        let last_value = match last {
            Some(Measure::Share { progress }) => Value::Number(progress),
            Some(Measure::Milestone { done }) => Value::Bool(done),
            Some(measure) => measure.current().map_or(Value::None, Value::Number),
            None => Value::None,
        };
        // Against the kickoff plan where it was planned, else against its own.
        let score = last.and_then(|now| {
            let planned = planned
                .and_then(|k| k.measure())
                .and_then(|then| scoring::against(now, then));
            measure_score(planned.unwrap_or(now))
        });
        removed
            .entry((gone.team.clone(), gone.objective.clone()))
            .or_default()
            .push(RemovedKeyResultReport {
                id,
                title: text(&gone.key_result.title).unwrap_or_default(),
                last_value,
                score: score.map(round),
                date: crate::core::history::day_of(&event.landed),
                commit: event.commit.to_string(),
                reason: event.reason.clone(),
                counted: planned.is_some() && event.reason.is_none(),
            });
    }
    removed
}

fn objective_report(team: &str, objective: &Objective, context: &Context<'_>) -> ObjectiveReport {
    let id = objective
        .id
        .as_ref()
        .map(|i| i.value.clone())
        .unwrap_or_default();
    let mut key_results: Vec<KeyResultReport> = objective
        .key_results
        .iter()
        .map(|kr| key_result_report(team, objective, &id, kr, context))
        .collect();
    by_priority(&mut key_results, |k| k.priority);
    let score = objective_score(objective);
    let removed_key_results: Vec<RemovedKeyResultReport> = context
        .removed
        .get(&(team.to_owned(), id.to_string()))
        .into_iter()
        .flatten()
        .filter(|r| !key_results.iter().any(|k| k.id == r.id))
        .cloned()
        .collect();
    let counted: Vec<&RemovedKeyResultReport> =
        removed_key_results.iter().filter(|r| r.counted).collect();
    let moved = key_results
        .iter()
        .any(|k| k.score_against_kickoff.is_some());
    // Against the kickoff plan: moved targets at their kickoff values, and key results removed without a
    // reason at where they last stood, so dropping a failing one quietly does not lift the score.
    let score_against_kickoff = (moved || !counted.is_empty())
        .then(|| {
            mean(
                key_results
                    .iter()
                    .filter_map(|k| k.score_against_kickoff.or(k.score))
                    .chain(counted.iter().map(|r| r.score.unwrap_or(0.0))),
            )
        })
        .flatten();
    let kind = objective.objective_type();
    let status = objective.status();
    let expected = expected(kind);
    ObjectiveReport {
        team: team.to_owned(),
        id: id.to_string(),
        title: text(&objective.title).unwrap_or_default(),
        kind,
        status,
        owner: text(&objective.owner),
        owners: owners(&objective.owner),
        priority: objective.priority.as_ref().map(|p| p.value),
        links: links(&objective.links),
        aligns_to: objective.aligns_to.as_ref().map(|a| a.value.to_string()),
        carried_from: objective
            .carried_from
            .as_ref()
            .map(|q| carried_from(team, &id, q.value, context.earlier)),
        score: score.map(round),
        score_against_kickoff: score_against_kickoff.map(round),
        band: score.map(Band::of),
        expected,
        falls_short: status != Status::Dropped && score.is_none_or(|s| round(s) < expected),
        dropped: objective.dropped.as_ref().map(|d| DroppedInfo {
            date: d.date.as_ref().map(|d| d.value),
            reason: text(&d.reason),
        }),
        notes: text(&objective.notes),
        key_results,
        removed_key_results,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rounded_score_is_never_negative_zero() {
        assert!(round(-0.0).is_sign_positive());
        assert!(round(-0.001).is_sign_positive());
        assert_eq!(round(0.456), 0.46);
        assert_eq!(round(-0.3), -0.3);
    }

    #[test]
    fn bands_follow_the_rounded_score() {
        assert_eq!(Band::of(0.0), Band::Red);
        assert_eq!(Band::of(0.34), Band::Red);
        assert_eq!(Band::of(0.35), Band::Amber);
        assert_eq!(Band::of(0.64), Band::Amber);
        assert_eq!(Band::of(0.65), Band::Green);
        assert_eq!(Band::of(1.0), Band::Green);
    }

    #[test]
    fn an_explicit_score_overrides_the_computed_one() {
        let text = "quarter: 2026-Q3\nteam: a\nobjectives:\n  - id: o\n    title: O\n    key_results:\n      - id: k\n        title: K\n        start: 0\n        target: 10\n        current: 2\n        score: 0.9\n      - id: m\n        title: M\n        done: true\n";
        let okr = crate::core::parse::parse("a.yaml", text.as_bytes().to_vec())
            .okr
            .unwrap();
        let context = Context {
            kickoff: &KickoffIndex::default(),
            removed: &HashMap::new(),
            clocks: &Clocks::default(),
            earlier: &Earlier::default(),
            stale: Some(StaleRule {
                after_days: 14,
                kickoff: "2026-07-15".parse().unwrap(),
                end: "2026-09-30".parse().unwrap(),
                today: "2026-08-01".parse().unwrap(),
            }),
        };
        let report = objective_report("a", &okr.objectives[0], &context);
        assert_eq!(report.key_results[0].score, Some(0.9));
        assert_eq!(report.key_results[0].score_source, "explicit");
        assert_eq!(report.key_results[1].score, Some(1.0));
        assert_eq!(report.score, Some(0.95));
        assert_eq!(report.kind, ObjectiveType::Aspirational);
        assert!(!report.falls_short);
    }
}
