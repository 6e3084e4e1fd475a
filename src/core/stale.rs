//! Stale key results: those of active objectives whose progress nobody has recorded for a while. The weekly
//! check-in is the habit OKRs live on; a key result untouched for weeks is one the team stopped looking at.

use std::collections::HashMap;

use jiff::civil::Date;

use crate::core::change::ChangeKind;
use crate::core::history::{Event, day_of};

/// When a key result last moved, as the quarter's history tells it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    /// The day of its last change of progress: a new `current`, or `done` toggled.
    pub last_checkin: Option<Date>,
    /// The last day it was added or changed between metric and milestone: nothing was due before then.
    pub since: Option<Date>,
}

/// Every key result's clock, by team, objective and key result id. Keyed by the events' own names: an
/// organisation's quarter has tens of thousands of key results, and a fast hash pays.
#[derive(Debug, Default)]
pub struct Clocks<'h> {
    clocks: HashMap<(&'h str, &'h str, &'h str), Clock, foldhash::fast::RandomState>,
}

impl<'h> Clocks<'h> {
    /// Reads the clocks off a quarter's events, oldest first.
    pub fn of(events: &'h [Event]) -> Clocks<'h> {
        let mut clocks = Clocks::default();
        for event in events {
            let change = &event.change;
            let moved = match change.kind {
                ChangeKind::KrProgress => true,
                ChangeKind::KrAdded | ChangeKind::KrMeasureChanged => false,
                _ => continue,
            };
            let (Some(objective), Some(key_result), Some(day)) = (
                change.objective.as_deref(),
                change.key_result.as_deref(),
                day_of(&event.date),
            ) else {
                continue;
            };
            let clock = clocks
                .clocks
                .entry((change.team.as_str(), objective, key_result))
                .or_default();
            // Dates along history never go back, but a merge brings in older commits: the latest day wins.
            let slot = if moved {
                &mut clock.last_checkin
            } else {
                &mut clock.since
            };
            *slot = (*slot).max(Some(day));
        }
        clocks
    }

    pub fn get(&self, team: &str, objective: &str, key_result: &str) -> Clock {
        self.clocks
            .get(&(team, objective, key_result))
            .copied()
            .unwrap_or_default()
    }
}

/// When a key result counts as stale: after `after_days` without progress, counted from the later of its last
/// check-in, its addition and the kickoff — and only while the quarter runs, from kickoff to its last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaleRule {
    pub after_days: u32,
    pub kickoff: Date,
    pub end: Date,
    /// The day the question is asked.
    pub today: Date,
}

impl StaleRule {
    /// Days without progress by `today`, when the quarter is running; `None` before kickoff and after the end.
    pub fn idle_days(&self, clock: Clock) -> Option<i64> {
        if self.today < self.kickoff || self.today > self.end {
            return None;
        }
        let from = [Some(self.kickoff), clock.last_checkin, clock.since]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.kickoff);
        let days = self.today.since(from).ok()?.get_days();
        Some(i64::from(days).max(0))
    }

    /// Whether a key result with this clock is stale today. A milestone already done is finished, not stale:
    /// there is nothing left to check in. Only key results of active objectives are asked about.
    pub fn is_stale(&self, clock: Clock, done: bool) -> bool {
        !done
            && self
                .idle_days(clock)
                .is_some_and(|days| days >= i64::from(self.after_days))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Date {
        text.parse().unwrap()
    }

    fn rule(today: &str) -> StaleRule {
        StaleRule {
            after_days: 14,
            kickoff: day("2026-07-15"),
            end: day("2026-09-30"),
            today: day(today),
        }
    }

    fn checked_in(on: &str) -> Clock {
        Clock {
            last_checkin: Some(day(on)),
            since: None,
        }
    }

    #[test]
    fn a_key_result_is_stale_from_the_fourteenth_day_without_progress() {
        assert!(!rule("2026-08-14").is_stale(checked_in("2026-08-01"), false));
        assert!(rule("2026-08-15").is_stale(checked_in("2026-08-01"), false));
        assert_eq!(
            rule("2026-08-15").idle_days(checked_in("2026-08-01")),
            Some(14)
        );
    }

    #[test]
    fn the_clock_starts_no_earlier_than_kickoff_nor_the_key_results_addition() {
        // Planned with a value before kickoff, never touched: counted from kickoff.
        assert!(!rule("2026-07-28").is_stale(checked_in("2026-07-02"), false));
        assert!(rule("2026-07-29").is_stale(Clock::default(), false));
        // Added mid-quarter, never checked in on: counted from the day it was added.
        let added = Clock {
            last_checkin: None,
            since: Some(day("2026-08-20")),
        };
        assert!(!rule("2026-09-02").is_stale(added, false));
        assert!(rule("2026-09-03").is_stale(added, false));
    }

    #[test]
    fn nothing_is_stale_before_kickoff_after_the_quarter_or_when_done() {
        assert_eq!(rule("2026-07-14").idle_days(Clock::default()), None);
        assert_eq!(rule("2026-10-01").idle_days(Clock::default()), None);
        assert!(rule("2026-09-30").is_stale(Clock::default(), false));
        assert!(!rule("2026-09-30").is_stale(Clock::default(), true));
    }
}
