//! What changed between two revisions of a quarter's OKRs, as data, and what each change means for the plan.
//! `okr diff` shows these; `okr history` adds the commit that made each one.
//!
//! The meaning of a change — progress, wording, the plan working, or a change of plan and of which kind — is
//! decided here, once, by [`Change::meaning`]: the history's summary, its pivot marks, the timeline, the report
//! and the change policy all ask it rather than deciding for themselves.

use std::fmt;

use serde::Serialize;

use crate::core::diagnostic::Pos;
use crate::core::model::{Number, ObjectiveType, Status};

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
    /// Its `carried_from` changed: where the objective came from, not what it is.
    ObjectiveCarriedFromChanged,
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
    /// `priority` of an objective or a key result changed.
    PriorityChanged,
    /// A key result's `health` changed: its owner's judgement at a check-in.
    KrHealthChanged,
    /// The `links` of the file, an objective or a key result changed.
    LinksChanged,
    /// The file's `retrospective` changed: what the team wrote about the quarter as a whole.
    RetrospectiveChanged,
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
            ChangeKind::ObjectiveCarriedFromChanged => "objective_carried_from_changed",
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
            ChangeKind::PriorityChanged => "priority_changed",
            ChangeKind::KrHealthChanged => "kr_health_changed",
            ChangeKind::LinksChanged => "links_changed",
            ChangeKind::RetrospectiveChanged => "retrospective_changed",
        }
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
    /// An objective's status (`"active"`, `"done"`, `"dropped"` in JSON).
    Status(Status),
    /// An objective's type (`"committed"`, `"aspirational"` in JSON).
    Type(ObjectiveType),
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
            Value::Status(status) => f.write_str(status.as_str()),
            Value::Type(kind) => f.write_str(kind.as_str()),
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
    /// The reason written in the YAML for this change.
    #[serde(skip)]
    pub yaml_reason: Option<YamlReason>,
    /// Where the change is in the newer revision: the changed item, or for a removed item its parent there
    /// (the objective of a removed key result, the `objectives` key for a removed objective).
    #[serde(skip)]
    pub pos: Pos,
    /// What the change came with: an ordinary edit, a key result's new objective, or the file's first revision.
    #[serde(skip)]
    pub context: Context,
}

/// A reason written in the YAML for a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YamlReason {
    /// The dropped objective's own `dropped.reason`: it stays with the objective, so it explains the drop in
    /// whichever revision it was written.
    Dropped(String),
    /// Notes of the changed objective or key result, written in the same change.
    Notes(String),
}

impl YamlReason {
    pub fn text(&self) -> &str {
        match self {
            YamlReason::Dropped(text) | YamlReason::Notes(text) => text,
        }
    }
}

/// What a change came with, which decides whether it is a change of plan at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Context {
    /// A change to a plan that was already there.
    #[default]
    Edit,
    /// A key result added together with its new objective: part of that objective's addition.
    WithObjective,
    /// Part of the first revision of a team's file: the team's plan, whenever it was written.
    FirstRevision,
}

/// What a change means for the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// A report on the plan: a check-in, a confidence, a score.
    Progress,
    /// A rewording or annotation: titles, notes, owners, units.
    Wording,
    /// The plan working: an objective became `done`.
    Completion,
    /// The plan itself being written: a team's first revision.
    Planning,
    /// Part of another change (a key result added with its new objective).
    Part,
    /// A change of plan.
    Pivot(Pivot),
}

/// The kinds of change of plan, as the history's summary lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pivot {
    Added,
    Dropped,
    /// Deleted without being marked dropped.
    Removed,
    Easier,
    Harder,
    /// Rebaselines, key results added or removed, realignments, type and status changes, measure changes.
    Other,
}

impl Change {
    /// What this change means for the plan. Every kind is decided here, explicitly.
    pub fn meaning(&self) -> Meaning {
        match self.kind {
            ChangeKind::ObjectiveAdded => match self.context {
                Context::FirstRevision => Meaning::Planning,
                Context::WithObjective => Meaning::Part,
                Context::Edit => Meaning::Pivot(Pivot::Added),
            },
            ChangeKind::KrAdded => match self.context {
                Context::FirstRevision => Meaning::Planning,
                Context::WithObjective => Meaning::Part,
                Context::Edit => Meaning::Pivot(Pivot::Other),
            },
            ChangeKind::ObjectiveRemoved => Meaning::Pivot(Pivot::Removed),
            ChangeKind::ObjectiveDropped => Meaning::Pivot(Pivot::Dropped),
            ChangeKind::ObjectiveStatusChanged => match self.to {
                Value::Status(Status::Done) => Meaning::Completion,
                Value::Status(Status::Active | Status::Dropped)
                | Value::None
                | Value::Number(_)
                | Value::Bool(_)
                | Value::Text(_)
                | Value::Type(_) => Meaning::Pivot(Pivot::Other),
            },
            ChangeKind::KrTargetChanged => match self.direction {
                Some(Direction::Easier) => Meaning::Pivot(Pivot::Easier),
                Some(Direction::Harder) | None => Meaning::Pivot(Pivot::Harder),
            },
            ChangeKind::ObjectiveRealigned
            | ChangeKind::ObjectiveTypeChanged
            | ChangeKind::KrRemoved
            | ChangeKind::KrRebaselined
            | ChangeKind::KrMeasureChanged
            | ChangeKind::PriorityChanged => Meaning::Pivot(Pivot::Other),
            ChangeKind::ObjectiveReworded
            | ChangeKind::ObjectiveCarriedFromChanged
            | ChangeKind::OwnerChanged
            | ChangeKind::NotesChanged
            | ChangeKind::LinksChanged
            | ChangeKind::RetrospectiveChanged
            | ChangeKind::KrReworded
            | ChangeKind::KrUnitChanged => Meaning::Wording,
            ChangeKind::KrProgress
            | ChangeKind::KrConfidenceChanged
            | ChangeKind::KrScored
            | ChangeKind::KrHealthChanged => Meaning::Progress,
        }
    }

    /// The thing this change sets: an attribute of a file, an objective or a key result.
    pub fn field(&self) -> Field<'_> {
        let attribute = match self.kind {
            ChangeKind::ObjectiveAdded | ChangeKind::ObjectiveRemoved => Attribute::Presence,
            ChangeKind::KrAdded | ChangeKind::KrRemoved => Attribute::Presence,
            ChangeKind::ObjectiveDropped | ChangeKind::ObjectiveStatusChanged => Attribute::Status,
            ChangeKind::ObjectiveReworded | ChangeKind::KrReworded => Attribute::Title,
            ChangeKind::ObjectiveRealigned => Attribute::Alignment,
            ChangeKind::ObjectiveTypeChanged => Attribute::Type,
            ChangeKind::ObjectiveCarriedFromChanged => Attribute::CarriedFrom,
            ChangeKind::OwnerChanged => Attribute::Owner,
            ChangeKind::NotesChanged => Attribute::Notes,
            ChangeKind::KrTargetChanged => Attribute::Target,
            ChangeKind::KrRebaselined => Attribute::Start,
            ChangeKind::KrProgress => Attribute::Current,
            ChangeKind::KrConfidenceChanged => Attribute::Confidence,
            ChangeKind::KrScored => Attribute::Score,
            ChangeKind::KrUnitChanged => Attribute::Unit,
            ChangeKind::KrMeasureChanged => Attribute::Measure,
            ChangeKind::PriorityChanged => Attribute::Priority,
            ChangeKind::KrHealthChanged => Attribute::Health,
            ChangeKind::LinksChanged => Attribute::Links,
            ChangeKind::RetrospectiveChanged => Attribute::Retrospective,
        };
        Field {
            quarter: self.quarter.as_deref(),
            team: &self.team,
            objective: self.objective.as_deref(),
            key_result: self.key_result.as_deref(),
            attribute,
        }
    }
}

/// What a change set its field to, or what the field held before it: a value, or for an item's
/// [`Attribute::Presence`] whether it is there.
#[derive(Debug, Clone, PartialEq)]
pub enum Setting {
    Present(bool),
    Value(Value),
}

impl Change {
    /// What the field held after the change.
    pub fn setting(&self) -> Setting {
        match self.kind {
            ChangeKind::ObjectiveAdded | ChangeKind::KrAdded => Setting::Present(true),
            ChangeKind::ObjectiveRemoved | ChangeKind::KrRemoved => Setting::Present(false),
            _ => Setting::Value(self.to.clone()),
        }
    }

    /// What the field held before the change.
    pub fn previous_setting(&self) -> Setting {
        match self.kind {
            ChangeKind::ObjectiveAdded | ChangeKind::KrAdded => Setting::Present(false),
            ChangeKind::ObjectiveRemoved | ChangeKind::KrRemoved => Setting::Present(true),
            _ => Setting::Value(self.from.clone()),
        }
    }
}

/// One settable thing of a quarter's OKRs: an attribute of a file, an objective or a key result. Two changes
/// to the same field overwrite each other; replaying a history's changes in order sets each field to the
/// `to` of the last change to it. Borrowed from the change that names it, so finding changes by field copies
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Field<'a> {
    pub quarter: Option<&'a str>,
    pub team: &'a str,
    pub objective: Option<&'a str>,
    pub key_result: Option<&'a str>,
    pub attribute: Attribute,
}

impl Field<'_> {
    /// The field with its names copied, to keep beyond the change that names it.
    pub fn to_owned(&self) -> OwnedField {
        OwnedField {
            quarter: self.quarter.map(str::to_owned),
            team: self.team.to_owned(),
            objective: self.objective.map(str::to_owned),
            key_result: self.key_result.map(str::to_owned),
            attribute: self.attribute,
        }
    }
}

/// A [`Field`] that owns its names.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OwnedField {
    pub quarter: Option<String>,
    pub team: String,
    pub objective: Option<String>,
    pub key_result: Option<String>,
    pub attribute: Attribute,
}

impl OwnedField {
    pub fn as_field(&self) -> Field<'_> {
        Field {
            quarter: self.quarter.as_deref(),
            team: &self.team,
            objective: self.objective.as_deref(),
            key_result: self.key_result.as_deref(),
            attribute: self.attribute,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Attribute {
    /// Whether the item is there at all.
    Presence,
    Title,
    Status,
    Type,
    Alignment,
    CarriedFrom,
    Owner,
    Notes,
    Target,
    Start,
    Current,
    Confidence,
    Score,
    Unit,
    Measure,
    Priority,
    Health,
    Links,
    Retrospective,
}
