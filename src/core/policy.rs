//! The change policy behind `okr diff --check`: changing OKRs mid-quarter is healthy, doing it silently is not.
//!
//! A change made after the planning window that makes a key result easier, removes one, drops or removes an
//! objective, or lowers a committed objective to aspirational must say why: in the YAML (`dropped.reason`, a
//! key result's or objective's notes written in the same change) or in a `Reason:` trailer of a commit in the
//! range that touched the file. Progress check-ins, wording fixes and planning-time changes always pass.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::core::change::{Change, ChangeKind, Direction, Value};

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

    /// The rule a change falls under, if any.
    pub fn of(change: &Change) -> Option<Rule> {
        match change.kind {
            ChangeKind::KrTargetChanged if change.direction == Some(Direction::Easier) => {
                Some(Rule::KrEasier)
            }
            ChangeKind::KrRemoved => Some(Rule::KrRemoved),
            ChangeKind::ObjectiveDropped => Some(Rule::ObjectiveDropped),
            ChangeKind::ObjectiveRemoved => Some(Rule::ObjectiveRemoved),
            ChangeKind::ObjectiveTypeChanged
                if change.to == Value::Text("aspirational".to_owned()) =>
            {
                Some(Rule::CommittedToAspirational)
            }
            _ => None,
        }
    }

    /// How to give the reason this rule asks for.
    pub fn how_to_explain(self) -> &'static str {
        match self {
            Rule::ObjectiveDropped => {
                "write the reason in the objective's `dropped.reason`, or add a `Reason: …` trailer to the commit message"
            }
            Rule::KrEasier | Rule::KrRemoved => {
                "say why in the key result's (or objective's) `notes` in the same change, or add a `Reason: …` trailer to the commit message"
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

/// A change the policy refuses, with where it is and how to fix it.
#[derive(Debug, Clone, Serialize)]
pub struct Refusal {
    pub rule: Rule,
    #[serde(flatten)]
    pub change: Change,
    /// Line of the changed item (in the newer revision, or the older one for a removal).
    pub line: u32,
    pub message: String,
    pub help: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Check {
    pub from: String,
    pub to: String,
    /// Changes that were checked and passed because a reason was given (or they were made while planning).
    pub passed: usize,
    pub refusals: Vec<Refusal>,
}

pub fn describe(change: &Change) -> String {
    let objective = change.objective.as_deref().unwrap_or("?");
    let kr = change.key_result.as_deref().unwrap_or("?");
    match change.kind {
        ChangeKind::KrTargetChanged => format!(
            "key result `{kr}` of `{objective}` was made easier without a reason: target {} → {}",
            change.from, change.to
        ),
        ChangeKind::KrRemoved => {
            format!("key result `{kr}` was removed from `{objective}` without a reason")
        }
        ChangeKind::ObjectiveDropped => {
            format!("objective `{objective}` was dropped without a reason")
        }
        ChangeKind::ObjectiveRemoved => format!(
            "objective `{objective}` ({}) was deleted without being marked dropped and without a reason",
            change.from
        ),
        ChangeKind::ObjectiveTypeChanged => {
            format!(
                "objective `{objective}` was lowered from committed to aspirational without a reason"
            )
        }
        _ => format!("{} without a reason", change.kind),
    }
}

impl Check {
    pub fn failed(&self) -> bool {
        !self.refusals.is_empty()
    }
}
