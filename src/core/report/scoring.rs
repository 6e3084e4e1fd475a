//! How each kind of key result is scored, 0 to 1 (docs/report.md gives every formula).

use crate::core::model::{Measure, Number};

/// A metric's progress from start toward target, clamped to 0..1. Works for lower-is-better metrics too, and
/// for values at the ends of what a number holds: where `target - start` would overflow to infinity the
/// halves are subtracted instead (the same ratio, and neither difference can overflow), a metric at its
/// target scores 1.0, and no score is NaN.
pub fn metric_score(start: Number, target: Number, current: Number) -> Option<f64> {
    let (start, target, current) = (start.0, target.0, current.0);
    if target == start {
        return None;
    }
    if current == target {
        return Some(1.0);
    }
    let (mut progress, mut distance) = (current - start, target - start);
    if !progress.is_finite() || !distance.is_finite() {
        (progress, distance) = (current / 2.0 - start / 2.0, target / 2.0 - start / 2.0);
    }
    let score = (progress / distance).clamp(0.0, 1.0);
    (!score.is_nan()).then_some(score)
}

/// A metric nobody measured a start for: `current / target` when higher is better, `target / current` when
/// lower is better, capped at 0..1; 0 until it is measured, 1 once the target is reached.
pub fn unbaselined_score(target: Number, current: Option<Number>, increase: bool) -> f64 {
    let Some(current) = current else {
        return 0.0;
    };
    let (reached, ratio) = if increase {
        (current.0 >= target.0, current.0 / target.0)
    } else {
        (current.0 <= target.0, target.0 / current.0)
    };
    if reached {
        1.0
    } else if ratio.is_finite() && ratio > 0.0 {
        ratio.min(1.0)
    } else {
        0.0
    }
}

/// A level to hold: 1 while `current` satisfies it; otherwise how far it is from the target, linearly to 0 at
/// `start` when that is known and on the other side, else 0. 0 until it is measured.
pub fn threshold_score(
    target: Number,
    current: Option<Number>,
    start: Option<Number>,
    at_least: bool,
) -> f64 {
    let Some(current) = current else {
        return 0.0;
    };
    let held = if at_least {
        current.0 >= target.0
    } else {
        current.0 <= target.0
    };
    if held {
        return 1.0;
    }
    match start {
        Some(start) if (at_least && start.0 < target.0) || (!at_least && start.0 > target.0) => {
            metric_score(start, target, current).unwrap_or(0.0)
        }
        _ => 0.0,
    }
}

/// The score a key result's measure gives, `None` when it cannot be computed.
pub fn measure_score(measure: Measure) -> Option<f64> {
    match measure {
        Measure::Metric {
            start,
            target,
            current,
        } => metric_score(start, target, current),
        Measure::Unbaselined {
            target,
            current,
            increase,
        } => Some(unbaselined_score(target, current, increase)),
        Measure::Threshold {
            target,
            current,
            start,
            at_least,
        } => Some(threshold_score(target, current, start, at_least)),
        Measure::Share { progress } => Some(progress.0.clamp(0.0, 1.0)),
        Measure::Milestone { done } => Some(if done { 1.0 } else { 0.0 }),
    }
}

/// `now` measured against the plan of `then`, a measure of the same kind (its kickoff version): the target,
/// and for a metric the start, taken from `then`. `None` when the two are of different kinds.
pub fn against(now: Measure, then: Measure) -> Option<Measure> {
    match (now, then) {
        (Measure::Metric { current, .. }, Measure::Metric { start, target, .. }) => {
            Some(Measure::Metric {
                start,
                target,
                current,
            })
        }
        (
            Measure::Unbaselined {
                current, increase, ..
            },
            Measure::Unbaselined {
                target,
                increase: was,
                ..
            },
        ) if increase == was => Some(Measure::Unbaselined {
            target,
            current,
            increase,
        }),
        (
            Measure::Threshold {
                current,
                start,
                at_least,
                ..
            },
            Measure::Threshold {
                target,
                at_least: was,
                ..
            },
        ) if at_least == was => Some(Measure::Threshold {
            target,
            current,
            start,
            at_least,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(value: f64) -> Number {
        Number(value)
    }

    #[test]
    fn metric_scores_work_in_both_directions_and_clamp() {
        assert_eq!(metric_score(n(12.0), n(2.0), n(7.0)), Some(0.5));
        assert_eq!(metric_score(n(0.0), n(10.0), n(7.0)), Some(0.7));
        assert_eq!(metric_score(n(0.0), n(10.0), n(15.0)), Some(1.0));
        assert_eq!(metric_score(n(12.0), n(2.0), n(14.0)), Some(0.0));
        assert_eq!(metric_score(n(5.0), n(5.0), n(5.0)), None);
    }

    /// `target - start` overflows to infinity: the score is still the share of the way covered, never NaN.
    #[test]
    fn metric_scores_at_the_ends_of_the_number_range_are_numbers() {
        let (low, high) = (Number(-1.0e308), Number(1.0e308));
        assert_eq!(metric_score(low, high, high), Some(1.0));
        assert_eq!(metric_score(low, high, Number(0.0)), Some(0.5));
        assert_eq!(metric_score(low, high, low), Some(0.0));
        assert_eq!(metric_score(high, low, low), Some(1.0));
        assert_eq!(metric_score(high, low, high), Some(0.0));
        assert_eq!(
            metric_score(Number(-f64::MAX), Number(f64::MAX), Number(f64::MAX)),
            Some(1.0)
        );
        assert_eq!(
            metric_score(Number(-f64::MAX), Number(0.0), Number(f64::MAX)),
            Some(1.0)
        );
        assert_eq!(
            metric_score(Number(f64::MAX), Number(0.0), Number(-f64::MAX)),
            Some(1.0)
        );
        assert_eq!(
            metric_score(Number(0.0), Number(f64::MIN_POSITIVE), Number(f64::MAX)),
            Some(1.0)
        );
    }

    #[test]
    fn an_unknown_baseline_scores_current_over_target_or_target_over_current() {
        // 640 sign-ups of 1,500 wanted: 0.43; first response 4 days for a target of 3: 0.75.
        let up = unbaselined_score(n(1500.0), Some(n(640.0)), true);
        assert!((up - 640.0 / 1500.0).abs() < 1e-12);
        assert_eq!(unbaselined_score(n(3.0), Some(n(4.0)), false), 0.75);
        assert_eq!(unbaselined_score(n(3.0), Some(n(2.0)), false), 1.0);
        assert_eq!(unbaselined_score(n(1500.0), Some(n(1600.0)), true), 1.0);
        assert_eq!(unbaselined_score(n(1500.0), None, true), 0.0);
        assert_eq!(unbaselined_score(n(3.0), Some(n(0.0)), false), 1.0);
        assert_eq!(unbaselined_score(n(0.0), Some(n(-2.0)), true), 0.0);
    }

    #[test]
    fn a_threshold_held_scores_one_and_a_miss_falls_linearly_to_the_start() {
        // Availability at least 99.9: held at 99.95; at 99.7 from a start of 99.5: (99.7 - 99.5) / 0.4 = 0.5.
        assert_eq!(threshold_score(n(99.9), Some(n(99.95)), None, true), 1.0);
        let missed = threshold_score(n(99.9), Some(n(99.7)), Some(n(99.5)), true);
        assert!((missed - 0.5).abs() < 1e-9, "{missed}");
        assert_eq!(threshold_score(n(99.9), Some(n(99.7)), None, true), 0.0);
        // First response within 45 days: 50 days from a start of 60 is (60 - 50) / 15.
        let late = threshold_score(n(45.0), Some(n(50.0)), Some(n(60.0)), false);
        assert!((late - 10.0 / 15.0).abs() < 1e-12);
        assert_eq!(
            threshold_score(n(45.0), Some(n(45.0)), Some(n(45.0)), false),
            1.0
        );
        // A start already on the held side says nothing about a miss.
        assert_eq!(
            threshold_score(n(45.0), Some(n(50.0)), Some(n(40.0)), false),
            0.0
        );
        assert_eq!(threshold_score(n(45.0), None, None, false), 0.0);
    }

    #[test]
    fn a_share_done_is_its_own_score() {
        assert_eq!(
            measure_score(Measure::Share { progress: n(0.66) }),
            Some(0.66)
        );
    }

    #[test]
    fn a_measure_is_scored_against_its_kickoff_plan_only_when_of_the_same_kind() {
        let now = Measure::Threshold {
            target: n(99.0),
            current: Some(n(99.2)),
            start: None,
            at_least: true,
        };
        let then = Measure::Threshold {
            target: n(99.5),
            current: None,
            start: None,
            at_least: true,
        };
        assert_eq!(against(now, then).and_then(measure_score), Some(0.0));
        assert_eq!(against(now, Measure::Milestone { done: false }), None);
    }
}
