//! The end-of-quarter review: which objectives met their expectation and which missed it, what was dropped,
//! and what the teams wrote down as learnings.

use serde::Serialize;

use super::{DroppedObjective, ObjectiveReport};
use crate::core::model::{ObjectiveType, Status};

/// Something written down as a learning: the notes of an objective or key result.
#[derive(Debug, Clone, Serialize)]
pub struct Learning {
    pub team: String,
    pub objective: String,
    pub key_result: Option<String>,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub team: String,
    pub objective: String,
    pub title: String,
    #[serde(rename = "type")]
    pub kind: ObjectiveType,
    pub score: Option<f64>,
    pub expected: f64,
}

/// The end-of-quarter review: what was met, missed and dropped, what was learned, and how the plan changed.
#[derive(Debug, Clone, Serialize)]
pub struct Retrospective {
    pub met: Vec<Outcome>,
    pub missed: Vec<Outcome>,
    pub dropped: Vec<DroppedObjective>,
    pub learnings: Vec<Learning>,
    /// Indices into the report's `pivots`.
    pub pivots: usize,
}

fn outcome(o: &ObjectiveReport) -> Outcome {
    Outcome {
        team: o.team.clone(),
        objective: o.id.clone(),
        title: o.title.clone(),
        kind: o.kind,
        score: o.score,
        expected: o.expected,
    }
}

pub(super) fn retrospective(
    all: &[&ObjectiveReport],
    dropped: &[DroppedObjective],
    pivots: usize,
) -> Retrospective {
    let judged = all.iter().filter(|o| o.status != Status::Dropped);
    let (met, missed): (Vec<_>, Vec<_>) = judged.partition(|o| !o.falls_short);
    let mut learnings = Vec::new();
    for o in all {
        if let Some(notes) = &o.notes {
            learnings.push(Learning {
                team: o.team.clone(),
                objective: o.id.clone(),
                key_result: None,
                text: notes.clone(),
            });
        }
        for kr in &o.key_results {
            if let Some(notes) = &kr.notes {
                learnings.push(Learning {
                    team: o.team.clone(),
                    objective: o.id.clone(),
                    key_result: Some(kr.id.clone()),
                    text: notes.clone(),
                });
            }
        }
    }
    Retrospective {
        met: met.into_iter().copied().map(outcome).collect(),
        missed: missed.into_iter().copied().map(outcome).collect(),
        dropped: dropped.to_vec(),
        learnings,
        pivots,
    }
}
