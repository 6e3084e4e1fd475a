//! What changed between two revisions of a quarter's OKRs, as data. `okr diff` shows these; `okr history`
//! adds the commit that made each one.

use std::fmt;

use serde::Serialize;

use crate::core::model::Number;

/// Kinds of change. Their names (snake_case) are a contract: tests and tools outside this repository read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    ObjectiveAdded,
    /// Deleted from the file without being marked dropped.
    ObjectiveRemoved,
    /// Its status became `dropped`.
    ObjectiveDropped,
    ObjectiveReworded,
    ObjectiveRealigned,
    ObjectiveStatusChanged,
    ObjectiveTypeChanged,
    OwnerChanged,
    /// Notes of an objective or key result changed: context and learnings.
    NotesChanged,
    KrAdded,
    KrRemoved,
    KrTargetChanged,
    /// Its start changed.
    KrRebaselined,
    KrReworded,
    /// `current` changed or `done` was toggled.
    KrProgress,
    KrConfidenceChanged,
    KrScored,
    KrUnitChanged,
    /// Switched between a metric (start/target) and a milestone (done).
    KrMeasureChanged,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::ObjectiveAdded => "objective_added",
            ChangeKind::ObjectiveRemoved => "objective_removed",
            ChangeKind::ObjectiveDropped => "objective_dropped",
            ChangeKind::ObjectiveReworded => "objective_reworded",
            ChangeKind::ObjectiveRealigned => "objective_realigned",
            ChangeKind::ObjectiveStatusChanged => "objective_status_changed",
            ChangeKind::ObjectiveTypeChanged => "objective_type_changed",
            ChangeKind::OwnerChanged => "owner_changed",
            ChangeKind::NotesChanged => "notes_changed",
            ChangeKind::KrAdded => "kr_added",
            ChangeKind::KrRemoved => "kr_removed",
            ChangeKind::KrTargetChanged => "kr_target_changed",
            ChangeKind::KrRebaselined => "kr_rebaselined",
            ChangeKind::KrReworded => "kr_reworded",
            ChangeKind::KrProgress => "kr_progress",
            ChangeKind::KrConfidenceChanged => "kr_confidence_changed",
            ChangeKind::KrScored => "kr_scored",
            ChangeKind::KrUnitChanged => "kr_unit_changed",
            ChangeKind::KrMeasureChanged => "kr_measure_changed",
        }
    }

    /// Changes that alter the plan itself, as opposed to reporting progress on it or rewording it.
    pub fn is_pivot(self) -> bool {
        matches!(
            self,
            ChangeKind::ObjectiveAdded
                | ChangeKind::ObjectiveRemoved
                | ChangeKind::ObjectiveDropped
                | ChangeKind::ObjectiveRealigned
                | ChangeKind::ObjectiveStatusChanged
                | ChangeKind::ObjectiveTypeChanged
                | ChangeKind::KrAdded
                | ChangeKind::KrRemoved
                | ChangeKind::KrTargetChanged
                | ChangeKind::KrRebaselined
                | ChangeKind::KrMeasureChanged
        )
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An old or new value: numbers stay numbers in JSON, text stays text, `null` where there is none.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    None,
    Number(Number),
    Bool(bool),
    Text(String),
}

impl Value {
    pub fn is_none(&self) -> bool {
        matches!(self, Value::None)
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::None => f.write_str("none"),
            Value::Number(n) => write!(f, "{n}"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Text(t) => f.write_str(t),
        }
    }
}

impl From<Option<&str>> for Value {
    fn from(text: Option<&str>) -> Value {
        text.map_or(Value::None, |t| Value::Text(t.to_owned()))
    }
}

impl From<Option<Number>> for Value {
    fn from(number: Option<Number>) -> Value {
        number.map_or(Value::None, Value::Number)
    }
}

/// Whether a target change asks for more or less than before. Direction follows from start and target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The target moved toward the start: less to achieve.
    Easier,
    /// The target moved away from the start: more to achieve.
    Harder,
}

/// One piece of a word-level comparison of two titles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordEdit {
    pub op: WordOp,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum WordOp {
    Equal,
    Delete,
    Insert,
}

/// One semantic change between two revisions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The file, relative to the repository root, in the newer revision (the older one if it was deleted).
    pub path: String,
    pub quarter: Option<String>,
    pub team: String,
    /// The objective's id (its new id when it changed); `None` for a file-level change.
    pub objective: Option<String>,
    pub key_result: Option<String>,
    pub from: Value,
    pub to: Value,
    /// For a target change: easier or harder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// For a rewording: the word-level change from the old text to the new.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub words: Option<Vec<WordEdit>>,
    /// When an id changed along with the wording: the old id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_id: Option<String>,
    /// The reason written in the YAML for this change (`dropped.reason`, or notes written in the same change).
    #[serde(skip)]
    pub yaml_reason: Option<String>,
    /// Line of the changed item in the newer revision (the older one for a removal), for pointing at it.
    #[serde(skip)]
    pub line: u32,
}
