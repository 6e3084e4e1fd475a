//! What changed in how a key result is measured: a target moved (easier or harder), a rebaseline, a
//! check-in, or a switch to another kind of measure.

use crate::core::change::{ChangeKind, Direction, Value};
use crate::core::diagnostic::Pos;
use crate::core::model::{KeyResult, Measure, Number};

use super::FileDiff;

/// The measure in words, for a switch between kinds: `metric 12 → 2`, `at least 99.9`, `milestone`.
fn describe_measure(kr: &KeyResult) -> Value {
    let text = match kr.measure() {
        Some(Measure::Metric { start, target, .. }) => format!("metric {start} → {target}"),
        Some(Measure::Unbaselined {
            target, increase, ..
        }) => {
            let way = if increase { "up" } else { "down" };
            format!("metric {way} to {target}")
        }
        Some(Measure::Threshold {
            target, at_least, ..
        }) => {
            let bound = if at_least { "at least" } else { "at most" };
            format!("{bound} {target}")
        }
        Some(Measure::Share { .. }) => "progress".to_owned(),
        Some(Measure::Milestone { .. }) => "milestone".to_owned(),
        None => return Value::None,
    };
    Value::Text(text)
}

/// Whether a target moved from `was` to `is` asks for less, for a measure without a start to measure from:
/// when higher is better (or a floor is held), a lower target does.
fn moved(higher_is_better: bool, (was, is): (Number, Number)) -> Direction {
    let lower = is.0 < was.0;
    if lower == higher_is_better {
        Direction::Easier
    } else {
        Direction::Harder
    }
}

fn number_or_none(value: Option<Number>) -> Value {
    value.map_or(Value::None, Value::Number)
}

impl FileDiff<'_> {
    /// The changes between two versions of one key result's measure.
    pub(super) fn measure(
        &mut self,
        objective: Option<&str>,
        id: Option<&str>,
        (old, new): (&KeyResult, &KeyResult),
        pos: Pos,
    ) {
        // A new target, judged easier or harder by `easier(old, new)`.
        let target = |diff: &mut Self, (was, is): (Number, Number), direction: Direction| {
            if was != is {
                let change = diff.push(
                    ChangeKind::KrTargetChanged,
                    objective,
                    id,
                    Value::Number(was),
                    Value::Number(is),
                    pos,
                );
                change.direction = Some(direction);
            }
        };
        let progress = |diff: &mut Self, (was, is): (Value, Value)| {
            if was != is {
                diff.push(ChangeKind::KrProgress, objective, id, was, is, pos);
            }
        };
        let rebaseline = |diff: &mut Self, (was, is): (Value, Value)| {
            if was != is {
                diff.push(ChangeKind::KrRebaselined, objective, id, was, is, pos);
            }
        };
        match (old.measure(), new.measure()) {
            (
                Some(Measure::Metric {
                    start: old_start,
                    target: old_target,
                    current: old_current,
                }),
                Some(Measure::Metric {
                    start: new_start,
                    target: new_target,
                    current: new_current,
                }),
            ) => {
                target(
                    self,
                    (old_target, new_target),
                    direction(old_start, old_target, new_target),
                );
                rebaseline(self, (Value::Number(old_start), Value::Number(new_start)));
                // `current` defaults to the start: a rebaseline alone is not progress.
                if old.current.is_some() || new.current.is_some() {
                    progress(
                        self,
                        (Value::Number(old_current), Value::Number(new_current)),
                    );
                }
            }
            (
                Some(Measure::Unbaselined {
                    target: was,
                    current: old_current,
                    increase,
                }),
                Some(Measure::Unbaselined {
                    target: is,
                    current: new_current,
                    increase: still,
                }),
            ) if increase == still => {
                target(self, (was, is), moved(increase, (was, is)));
                progress(
                    self,
                    (number_or_none(old_current), number_or_none(new_current)),
                );
            }
            (
                Some(Measure::Threshold {
                    target: was,
                    current: old_current,
                    start: old_start,
                    at_least,
                }),
                Some(Measure::Threshold {
                    target: is,
                    current: new_current,
                    start: new_start,
                    at_least: still,
                }),
            ) if at_least == still => {
                // A floor is held from below: a lower one is easier, as a lower target is when higher is better.
                target(self, (was, is), moved(at_least, (was, is)));
                rebaseline(self, (number_or_none(old_start), number_or_none(new_start)));
                progress(
                    self,
                    (number_or_none(old_current), number_or_none(new_current)),
                );
            }
            (Some(Measure::Share { progress: was }), Some(Measure::Share { progress: is })) => {
                progress(self, (Value::Number(was), Value::Number(is)));
            }
            (Some(Measure::Milestone { done: was }), Some(Measure::Milestone { done: is })) => {
                progress(self, (Value::Bool(was), Value::Bool(is)));
            }
            (None, None) => {}
            _ => {
                let (from, to) = (describe_measure(old), describe_measure(new));
                self.push(ChangeKind::KrMeasureChanged, objective, id, from, to, pos);
            }
        }
    }
}

/// Whether moving a target from `old_target` to `new_target` asks for less (toward the start, onto it or past
/// it) or more.
pub fn direction(start: Number, old_target: Number, new_target: Number) -> Direction {
    let before = old_target.0 - start.0;
    let after = new_target.0 - start.0;
    // A target at the start asked for nothing: any other asks for more.
    if before == 0.0 {
        return Direction::Harder;
    }
    // Onto the start, or past it: nothing left to achieve in the planned direction.
    let reaches_start = after == 0.0 || (after < 0.0) != (before < 0.0);
    if reaches_start || after.abs() < before.abs() {
        Direction::Easier
    } else {
        Direction::Harder
    }
}
