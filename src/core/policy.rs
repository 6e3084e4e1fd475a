//! The change policy behind `okr diff --check`: changing OKRs mid-quarter is healthy, doing it silently is not.
//!
//! A change made after the planning window that makes a key result easier, removes one, drops or removes an
//! objective, or lowers a committed objective to aspirational must say why, as [`crate::core::reason`] finds
//! reasons: in the YAML written with it, or in the message of the commit that made it. Progress check-ins,
//! wording fixes, a team's first revision and planning-time changes always pass. Refusals are diagnostics
//! with the rule code `change-without-reason`, so `okr.toml`'s `[rules]` sets their severity.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::change::{Change, ChangeKind, Direction, Value};
use crate::core::diagnostic::{Diagnostic, Severity};
use crate::core::model::ObjectiveType;
use crate::core::rules::codes;

/// Which changes need a reason, named as in `okr.toml`'s `[policy] require_reason`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A target moved toward the start.
    KrEasier,
    KrRemoved,
    ObjectiveDropped,
    /// Deleted without being marked dropped.
    ObjectiveRemoved,
    CommittedToAspirational,
}

impl Rule {
    pub const ALL: [Rule; 5] = [
        Rule::KrEasier,
        Rule::KrRemoved,
        Rule::ObjectiveDropped,
        Rule::ObjectiveRemoved,
        Rule::CommittedToAspirational,
    ];

    /// The rule a change falls under, if any. Every kind is decided here, explicitly.
    pub fn of(change: &Change) -> Option<Rule> {
        match change.kind {
            ChangeKind::KrTargetChanged => match change.direction {
                Some(Direction::Easier) => Some(Rule::KrEasier),
                Some(Direction::Harder) | None => None,
            },
            ChangeKind::KrRemoved => Some(Rule::KrRemoved),
            ChangeKind::ObjectiveDropped => Some(Rule::ObjectiveDropped),
            ChangeKind::ObjectiveRemoved => Some(Rule::ObjectiveRemoved),
            ChangeKind::ObjectiveTypeChanged => match change.to {
                Value::Type(ObjectiveType::Aspirational) => Some(Rule::CommittedToAspirational),
                Value::Type(ObjectiveType::Committed)
                | Value::None
                | Value::Number(_)
                | Value::Bool(_)
                | Value::Text(_)
                | Value::Status(_) => None,
            },
            ChangeKind::ObjectiveAdded
            | ChangeKind::ObjectiveReworded
            | ChangeKind::ObjectiveRealigned
            | ChangeKind::ObjectiveStatusChanged
            | ChangeKind::ObjectiveCarriedFromChanged
            | ChangeKind::OwnerChanged
            | ChangeKind::NotesChanged
            | ChangeKind::KrAdded
            | ChangeKind::KrRebaselined
            | ChangeKind::KrReworded
            | ChangeKind::KrProgress
            | ChangeKind::KrConfidenceChanged
            | ChangeKind::KrScored
            | ChangeKind::KrUnitChanged
            | ChangeKind::KrMeasureChanged
            | ChangeKind::PriorityChanged
            | ChangeKind::KrHealthChanged
            | ChangeKind::LinksChanged
            | ChangeKind::RetrospectiveChanged => None,
        }
    }

    /// How to give the reason this rule asks for.
    pub fn how_to_explain(self) -> &'static str {
        match self {
            Rule::ObjectiveDropped => {
                "write the reason in the objective's `dropped.reason`, or add a `Reason: …` trailer to the commit message"
            }
            // Notes explain a change of the item they belong to: a key result's own notes its target, and a
            // removed key result has none left, so only the commit can say why.
            Rule::KrEasier => {
                "say why in the key result's `notes` in the same change, or add a `Reason: …` trailer to the commit message"
            }
            Rule::KrRemoved => {
                "add a `Reason: …` trailer to the commit message (a removed key result has no `notes` left to say why)"
            }
            Rule::ObjectiveRemoved => {
                "mark it `status: dropped` with a `dropped.reason` instead of deleting it, or add a `Reason: …` trailer to the commit message"
            }
            Rule::CommittedToAspirational => {
                "say why in the objective's `notes` in the same change, or add a `Reason: …` trailer to the commit message"
            }
        }
    }
}

/// `[policy]` in okr.toml.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// `on` (the default) or `off`.
    #[serde(default)]
    pub mode: Mode,
    /// The changes that need a reason; all of them by default.
    #[serde(default = "all_rules")]
    pub require_reason: BTreeSet<Rule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    #[default]
    On,
    Off,
}

fn all_rules() -> BTreeSet<Rule> {
    Rule::ALL.into_iter().collect()
}

impl Default for PolicyConfig {
    fn default() -> PolicyConfig {
        PolicyConfig {
            mode: Mode::On,
            require_reason: all_rules(),
        }
    }
}

/// The policy as a repository configured it: which changes need a reason, and whether a missing one is
/// reported at all (`change-without-reason` set to `allow` in `[rules]` turns refusals off).
#[derive(Debug, Clone, Copy)]
pub struct Policy<'a> {
    pub config: &'a PolicyConfig,
    /// The severity of a refusal; `None` when refusals are not reported.
    pub severity: Option<Severity>,
}

impl Policy<'_> {
    /// The rule under which `change` needs a reason, if it does: a change of plan the policy names, made
    /// mid-quarter, in a repository that enforces it.
    pub fn rule_for(&self, change: &Change, mid_quarter: bool) -> Option<Rule> {
        if !mid_quarter || self.config.mode == Mode::Off || self.severity.is_none() {
            return None;
        }
        Rule::of(change).filter(|rule| self.config.require_reason.contains(rule))
    }

    /// The diagnostic for `change`, which needs a reason under `rule` and has none, at its place in `path`
    /// (the file in the newer revision).
    pub fn refusal(&self, path: &str, change: &Change, rule: Rule) -> Option<Diagnostic> {
        Some(Diagnostic {
            path: path.to_owned(),
            line: change.pos.line.max(1),
            column: change.pos.column.max(1),
            severity: self.severity?,
            code: codes::CHANGE_WITHOUT_REASON,
            message: describe(rule, change),
            help: Some(rule.how_to_explain().to_owned()),
        })
    }
}

/// What is wrong with `change`, in one line.
pub fn describe(rule: Rule, change: &Change) -> String {
    let objective = change.objective.as_deref().unwrap_or("?");
    let kr = change.key_result.as_deref().unwrap_or("?");
    match rule {
        Rule::KrEasier => format!(
            "key result `{kr}` of `{objective}` was made easier without a reason: target {} → {}",
            change.from, change.to
        ),
        Rule::KrRemoved => {
            format!("key result `{kr}` was removed from `{objective}` without a reason")
        }
        Rule::ObjectiveDropped => {
            format!("objective `{objective}` was dropped without a reason")
        }
        Rule::ObjectiveRemoved => format!(
            "objective `{objective}` ({}) was deleted without being marked dropped and without a reason",
            change.from
        ),
        Rule::CommittedToAspirational => {
            format!(
                "objective `{objective}` was lowered from committed to aspirational without a reason"
            )
        }
    }
}
