//! The end-of-quarter review: which objectives met their expectation and which missed it, what was dropped,
//! and what the teams wrote down as learnings.

use serde::Serialize;

use super::{DroppedObjective, ObjectiveReport};
use crate::core::model::{ObjectiveType, Spanned, Status, Text, WrittenRetrospective};

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

/// What one team wrote in its file's `retrospective:`, shown beside what okr computed.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenByTeam {
    pub team: String,
    pub went_well: Vec<String>,
    pub to_improve: Vec<String>,
    pub learnings: Vec<String>,
}

impl WrittenByTeam {
    pub fn of(team: &str, written: &WrittenRetrospective) -> Option<WrittenByTeam> {
        let texts = |items: &[Spanned<Text>]| items.iter().map(|i| i.value.to_string()).collect();
        (!written.is_empty()).then(|| WrittenByTeam {
            team: team.to_owned(),
            went_well: texts(&written.went_well),
            to_improve: texts(&written.to_improve),
            learnings: texts(&written.learnings),
        })
    }

    /// Its three lists with their headings, in the order the format gives them.
    pub fn sections(&self) -> [(&'static str, &[String]); 3] {
        [
            ("Went well", &self.went_well),
            ("To improve", &self.to_improve),
            ("Learnings", &self.learnings),
        ]
    }
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
    /// The teams' own retrospectives, in the report's team order; teams that wrote none are left out.
    pub written: Vec<WrittenByTeam>,
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
    written: Vec<WrittenByTeam>,
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
        written,
    }
}
