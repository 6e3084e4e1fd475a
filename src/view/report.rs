//! The report page (`okr report`): the engine's report, and every count, order and verdict its formats
//! show — how many objectives are judged, meet and fall short, which fall short first, each pivot's kind and
//! whether it has its reason — decided once.

use serde::Serialize;

use super::{PIVOT_ORDER, Reasoning, pivot_kind};
use crate::core::change::{ChangeKind, Pivot};
use crate::core::history::Event;
use crate::core::model::{ObjectiveType, Status};
use crate::core::report::{KeyResultReport, Learning, ObjectiveReport, Report};

#[derive(Debug, Serialize)]
pub struct ReportPage {
    #[serde(flatten)]
    pub report: Report,
    #[serde(skip)]
    pub summary: Summary,
    /// Each team's counts, in the order of `report.teams`.
    #[serde(skip)]
    pub teams: Vec<TeamSummary>,
    /// The objectives that fall short, as (team, objective) indices: committed ones first, then those without
    /// a score, then lowest score first.
    #[serde(skip)]
    pub falls_short: Vec<(usize, usize)>,
    /// Each pivot's kind and reasoning, in the order of `report.pivots`.
    #[serde(skip)]
    pub pivots: Vec<PivotView>,
    /// How many pivots of each kind, the kinds there are, in summary order.
    #[serde(skip)]
    pub pivot_counts: Vec<(Pivot, usize)>,
    /// The retrospective's learnings grouped by objective, as indices, in the report's order.
    #[serde(skip)]
    pub learning_groups: Vec<Vec<usize>>,
    /// The stale key results as (team, objective, key result) indices, in the report's order; `None` when the
    /// quarter is not running (before kickoff, after its end), so no key result can be stale.
    #[serde(skip)]
    pub stale: Option<Vec<(usize, usize, usize)>>,
}

/// The whole report in numbers.
#[derive(Debug, Clone, Copy, Default)]
pub struct Summary {
    /// Objectives in play: not dropped.
    pub judged: usize,
    pub meet: usize,
    pub falls_short: usize,
    pub dropped: usize,
    /// Key results of objectives in play whose target moved after kickoff.
    pub moved: usize,
    /// Objectives deleted from the files after kickoff without being marked dropped.
    pub removed: usize,
    pub pivots: usize,
    /// Pivots without the reason they need.
    pub unexplained: usize,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct TeamSummary {
    pub objectives: usize,
    pub falls_short: usize,
    pub dropped: usize,
}

#[derive(Debug, Clone, Copy)]
pub struct PivotView {
    pub kind: Pivot,
    pub reasoning: Reasoning,
}

impl ReportPage {
    pub fn new(report: Report) -> ReportPage {
        let teams: Vec<TeamSummary> = report
            .teams
            .iter()
            .map(|t| TeamSummary {
                objectives: t.objectives.len(),
                falls_short: t.objectives.iter().filter(|o| o.falls_short).count(),
                dropped: t
                    .objectives
                    .iter()
                    .filter(|o| o.status == Status::Dropped)
                    .count(),
            })
            .collect();
        let pivots: Vec<PivotView> = report
            .pivots
            .iter()
            .map(|e| PivotView {
                kind: pivot_kind(e),
                reasoning: Reasoning::of(e),
            })
            .collect();
        let objectives = || report.teams.iter().flat_map(|t| &t.objectives);
        let judged = objectives().filter(|o| o.status != Status::Dropped).count();
        let falls_short = objectives().filter(|o| o.falls_short).count();
        let summary = Summary {
            judged,
            meet: judged - falls_short.min(judged),
            falls_short,
            dropped: objectives().filter(|o| o.status == Status::Dropped).count(),
            moved: objectives()
                .filter(|o| o.status != Status::Dropped)
                .flat_map(|o| &o.key_results)
                .filter(|k| k.kickoff_target.is_some())
                .count(),
            removed: report
                .pivots
                .iter()
                .filter(|e| e.change.kind == ChangeKind::ObjectiveRemoved)
                .count(),
            pivots: report.pivots.len(),
            unexplained: pivots
                .iter()
                .filter(|p| p.reasoning == Reasoning::Missing)
                .count(),
        };
        let pivot_counts = PIVOT_ORDER
            .into_iter()
            .map(|kind| (kind, pivots.iter().filter(|p| p.kind == kind).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        let learning_groups = report
            .retrospective
            .as_ref()
            .map(|r| learning_groups(&r.learnings))
            .unwrap_or_default();
        let running = report.kickoff <= report.today && report.today <= report.end;
        let stale = running.then(|| stale_key_results(&report));
        ReportPage {
            stale,
            summary,
            teams,
            falls_short: falls_short_order(&report),
            pivots,
            pivot_counts,
            learning_groups,
            report,
        }
    }

    /// Objectives deleted from the files after kickoff without being marked dropped: silent removals.
    pub fn removals(&self) -> impl Iterator<Item = &Event> {
        self.report
            .pivots
            .iter()
            .filter(|e| e.change.kind == ChangeKind::ObjectiveRemoved)
    }

    /// The stale key results with their objectives, in the order they are shown.
    pub fn stale_key_results(&self) -> impl Iterator<Item = (&ObjectiveReport, &KeyResultReport)> {
        self.stale.iter().flatten().map(|&(t, o, k)| {
            let objective = &self.report.teams[t].objectives[o];
            (objective, &objective.key_results[k])
        })
    }

    /// The objectives that fall short, in the order they are shown.
    pub fn falling_short(&self) -> impl Iterator<Item = &ObjectiveReport> {
        self.falls_short
            .iter()
            .map(|&(t, o)| &self.report.teams[t].objectives[o])
    }
}

/// The stale key results, in the report's order.
fn stale_key_results(report: &Report) -> Vec<(usize, usize, usize)> {
    let mut stale = Vec::new();
    for (t, team) in report.teams.iter().enumerate() {
        for (o, objective) in team.objectives.iter().enumerate() {
            for (k, kr) in objective.key_results.iter().enumerate() {
                if kr.stale {
                    stale.push((t, o, k));
                }
            }
        }
    }
    stale
}

/// Committed objectives first, those without a score before the others, lowest score first.
fn falls_short_order(report: &Report) -> Vec<(usize, usize)> {
    let mut short: Vec<(usize, usize)> = report
        .teams
        .iter()
        .enumerate()
        .flat_map(|(t, team)| {
            team.objectives
                .iter()
                .enumerate()
                .filter(|(_, o)| o.falls_short)
                .map(move |(o, _)| (t, o))
        })
        .collect();
    let objective = |&(t, o): &(usize, usize)| &report.teams[t].objectives[o];
    short.sort_by(|a, b| {
        let rank = |o: &ObjectiveReport| (o.kind != ObjectiveType::Committed, o.score.is_some());
        let (a, b) = (objective(a), objective(b));
        rank(a)
            .cmp(&rank(b))
            .then(a.score.unwrap_or(0.0).total_cmp(&b.score.unwrap_or(0.0)))
    });
    short
}

/// The learnings grouped by objective, groups in the order their objectives first appear.
fn learning_groups(learnings: &[Learning]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut group_of: std::collections::HashMap<(&str, &str), usize> = Default::default();
    for (i, l) in learnings.iter().enumerate() {
        let group = *group_of
            .entry((l.team.as_str(), l.objective.as_str()))
            .or_insert_with(|| {
                groups.push(Vec::new());
                groups.len() - 1
            });
        groups[group].push(i);
    }
    groups
}
