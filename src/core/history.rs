//! A quarter's history as data: events (each change with the commit that made it), the summary of its changes
//! of plan, and each metric's path through the quarter.

use std::sync::Arc;

use jiff::civil::Date;
use serde::Serialize;

use crate::core::change::{Change, ChangeKind, Meaning, Pivot};
use crate::core::compare::SnapshotFile;
use crate::core::model::{KeyResult, Number, Quarter, Text};
use crate::core::policy::Policy;
use crate::core::reason::{self, Message, ReasonSource};

/// One change, with the commit that made it, when, and why — decided once, for every output.
#[derive(Debug, Clone, Serialize)]
pub struct Event {
    #[serde(flatten)]
    pub change: Change,
    // The commit's facts are shared by all its events: a quarter planned in one commit has a hundred thousand.
    /// Full commit id.
    pub commit: Arc<str>,
    /// When the commit was made, RFC 3339: its committer time, or its parent's when it claims to be older
    /// than its parent (dates along history never go back).
    pub date: Arc<str>,
    /// When the change reached the mainline, RFC 3339: the date of the merge that brought a branch's commit
    /// in, else `date`. Whether a change is mid-quarter is judged by this.
    pub landed: Arc<str>,
    pub author: Arc<str>,
    /// The commit's subject line.
    pub message: Arc<str>,
    /// A change of the plan made after the planning window closed.
    pub mid_quarter: bool,
    /// Part of a team's first revision, written after kickoff: the team's plan, written late (not a pivot).
    pub planned_late: bool,
    /// The change policy asks this change for a reason (`okr diff --check` refuses it without one).
    pub requires_reason: bool,
    /// Why ([`reason::of`]): the YAML, else the commit's `Reason:` trailer, else its message body.
    pub reason: Option<String>,
    /// Where the reason came from: `yaml`, `trailer`, `body`, or none.
    pub reason_source: Option<ReasonSource>,
}

/// A commit as its events carry it.
#[derive(Debug, Clone)]
pub struct CommitFacts {
    // Shared by all the commit's events, which point at these texts rather than copy them.
    /// Full commit id.
    pub id: Arc<str>,
    pub author: Arc<str>,
    pub message: Message,
    subject: Arc<str>,
    date_text: Arc<str>,
    landed_text: Arc<str>,
    /// Effective time: see [`Event::date`].
    pub date: jiff::Zoned,
    /// See [`Event::landed`].
    pub landed: jiff::Zoned,
}

impl CommitFacts {
    /// The facts of a commit; its times are written out once here for all its events.
    pub fn new(
        id: String,
        author: String,
        message: Message,
        date: jiff::Zoned,
        landed: jiff::Zoned,
    ) -> CommitFacts {
        CommitFacts {
            id: id.into(),
            author: author.into(),
            subject: message.subject.as_str().into(),
            date_text: rfc3339(&date).into(),
            landed_text: rfc3339(&landed).into(),
            message,
            date,
            landed,
        }
    }
}

/// The kickoff (first day after the planning window) of the quarter a change belongs to.
pub trait Kickoffs {
    fn kickoff(&self, quarter: Option<&str>) -> Option<Date>;
}

/// [`Kickoffs`] that remembers the last quarter asked about: a history's changes nearly all name the same
/// quarter, and each answer is a parse and a calendar computation (on an organisation's quarter, 134,000 of
/// them for one commit of 10,000 files).
pub struct RememberedKickoffs<'a> {
    of: &'a dyn Kickoffs,
    last: std::cell::RefCell<Option<(String, Option<Date>)>>,
}

impl<'a> RememberedKickoffs<'a> {
    pub fn new(of: &'a dyn Kickoffs) -> RememberedKickoffs<'a> {
        RememberedKickoffs {
            of,
            last: std::cell::RefCell::new(None),
        }
    }
}

impl Kickoffs for RememberedKickoffs<'_> {
    fn kickoff(&self, quarter: Option<&str>) -> Option<Date> {
        let Some(name) = quarter else {
            return self.of.kickoff(None);
        };
        let mut last = self.last.borrow_mut();
        match &*last {
            Some((known, kickoff)) if known == name => *kickoff,
            _ => {
                let kickoff = self.of.kickoff(Some(name));
                *last = Some((name.to_owned(), kickoff));
                kickoff
            }
        }
    }
}

/// What a change is, given when it landed: a change made mid-quarter, the plan written late, or neither (made
/// while planning), and whether the policy asks it for a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub mid_quarter: bool,
    pub planned_late: bool,
    pub requires_reason: bool,
}

impl Standing {
    pub fn of(
        change: &Change,
        landed: Date,
        kickoffs: &dyn Kickoffs,
        policy: &Policy<'_>,
    ) -> Standing {
        let after_kickoff = kickoffs
            .kickoff(change.quarter.as_deref())
            .is_some_and(|kickoff| landed >= kickoff);
        let planning = change.meaning() == Meaning::Planning;
        let mid_quarter = after_kickoff && !planning;
        Standing {
            mid_quarter,
            planned_late: after_kickoff && planning,
            requires_reason: policy.rule_for(change, mid_quarter).is_some(),
        }
    }
}

impl Event {
    /// The event of `change`, made by `commit`: when it happened, whether it is mid-quarter or the plan written
    /// late, its reason, and whether the policy asks for one.
    pub fn new(
        change: Change,
        commit: &CommitFacts,
        kickoffs: &dyn Kickoffs,
        policy: &Policy<'_>,
    ) -> Event {
        let standing = Standing::of(&change, commit.landed.date(), kickoffs, policy);
        let reason = reason::of(&change, Some(&commit.message));
        Event {
            commit: commit.id.clone(),
            date: commit.date_text.clone(),
            landed: commit.landed_text.clone(),
            author: commit.author.clone(),
            message: commit.subject.clone(),
            mid_quarter: standing.mid_quarter,
            planned_late: standing.planned_late,
            requires_reason: standing.requires_reason,
            reason_source: reason.as_ref().map(|r| r.source),
            reason: reason.map(|r| r.text),
            change,
        }
    }

    /// Asked for a reason, and none was given.
    pub fn unexplained(&self) -> bool {
        self.requires_reason && self.reason.is_none()
    }
}

/// The day of an RFC 3339 time as events write it, in its own offset.
pub fn day_of(time: &str) -> Option<Date> {
    time.get(..10)?.parse().ok()
}

/// A time as events write it: RFC 3339 with its offset.
pub fn rfc3339(time: &jiff::Zoned) -> String {
    time.timestamp()
        .display_with_offset(time.offset())
        .to_string()
}

/// Something okr could not take at face value: a revision it could not read (the walk went on with the last
/// good one), or a commit dated before its parent.
#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub commit: String,
    pub path: String,
    pub message: String,
}

/// An objective as it stood when the planning window closed.
#[derive(Debug, Clone, Serialize)]
pub struct KickoffObjective {
    pub team: String,
    pub objective: String,
    pub title: String,
    pub key_results: usize,
}

/// The quarter at a glance. Lists hold indices into `events`.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub kickoff: Vec<KickoffObjective>,
    /// Objectives of a team whose file first appeared after kickoff: its plan, written late.
    pub planned_late: Vec<usize>,
    pub added_after_kickoff: Vec<usize>,
    pub dropped: Vec<usize>,
    pub removed: Vec<usize>,
    pub made_easier: Vec<usize>,
    pub made_harder: Vec<usize>,
    /// Other mid-quarter changes of plan: rebaselines, key results added or removed, type and status changes.
    pub other_pivots: Vec<usize>,
    pub check_ins: usize,
}

/// A metric key result's path through the quarter: a point whenever its current value or target changed.
#[derive(Debug, Clone, Serialize)]
pub struct Trajectory {
    pub team: Text,
    pub objective: Text,
    pub key_result: Text,
    pub points: Vec<CheckIn>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckIn {
    pub date: Date,
    /// Shared with the commit's facts: an organisation's first plan is a hundred thousand check-ins.
    pub commit: Arc<str>,
    pub current: Number,
    pub target: Number,
}

/// A key result removed mid-quarter, as it stood before, and the event that removed it.
#[derive(Debug, Clone)]
pub struct RemovedKeyResult {
    pub team: String,
    pub objective: String,
    pub key_result: KeyResult,
    /// Index into the history's events.
    pub event: usize,
}

impl Summary {
    /// Every mid-quarter change of plan the summary lists, as indices into the events, oldest first.
    pub fn pivots(&self) -> Vec<usize> {
        let mut all: Vec<usize> = [
            &self.added_after_kickoff,
            &self.dropped,
            &self.removed,
            &self.made_easier,
            &self.made_harder,
            &self.other_pivots,
        ]
        .into_iter()
        .flatten()
        .copied()
        .collect();
        all.sort_unstable();
        all
    }
}

/// A quarter's history, oldest event first.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    pub quarter: Quarter,
    pub start: Date,
    pub end: Date,
    /// The first day after the planning window: changes from then on are mid-quarter.
    pub kickoff: Date,
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
    pub summary: Summary,
    /// The quarter's files when the planning window closed (empty if nothing was planned by then).
    #[serde(skip)]
    pub kickoff_state: Vec<SnapshotFile>,
    /// The first revision of each team's file that appeared after kickoff: that team's plan.
    #[serde(skip)]
    pub late_plans: Vec<SnapshotFile>,
    /// Key results removed after kickoff and not put back, each as it last stood.
    #[serde(skip)]
    pub removed_key_results: Vec<RemovedKeyResult>,
    /// Every metric key result's check-ins and target steps, for charts.
    #[serde(skip)]
    pub trajectories: Vec<Trajectory>,
}

/// The quarter at a glance: the plan at kickoff and every change of plan made after it, by kind.
pub fn summarize(events: &[Event], kickoff_state: &[SnapshotFile], team: Option<&str>) -> Summary {
    let mut summary = Summary::default();
    for file in kickoff_state {
        let team_name = file
            .okr
            .team
            .as_ref()
            .map(|t| t.value.to_string())
            .unwrap_or_default();
        if team.is_some_and(|t| t != team_name) {
            continue;
        }
        for objective in &file.okr.objectives {
            summary.kickoff.push(KickoffObjective {
                team: team_name.clone(),
                objective: objective
                    .id
                    .as_ref()
                    .map(|i| i.value.to_string())
                    .unwrap_or_default(),
                title: objective
                    .title
                    .as_ref()
                    .map(|t| t.value.to_string())
                    .unwrap_or_default(),
                key_results: objective.key_results.len(),
            });
        }
    }
    for (index, event) in events.iter().enumerate() {
        if event.change.kind == ChangeKind::KrProgress {
            summary.check_ins += 1;
        }
        if event.planned_late && event.change.kind == ChangeKind::ObjectiveAdded {
            summary.planned_late.push(index);
        }
        if !event.mid_quarter {
            continue;
        }
        let list = match event.change.meaning() {
            Meaning::Pivot(Pivot::Added) => &mut summary.added_after_kickoff,
            Meaning::Pivot(Pivot::Dropped) => &mut summary.dropped,
            Meaning::Pivot(Pivot::Removed) => &mut summary.removed,
            Meaning::Pivot(Pivot::Easier) => &mut summary.made_easier,
            Meaning::Pivot(Pivot::Harder) => &mut summary.made_harder,
            Meaning::Pivot(Pivot::Other) => &mut summary.other_pivots,
            Meaning::Progress
            | Meaning::Wording
            | Meaning::Completion
            | Meaning::Planning
            | Meaning::Part => continue,
        };
        list.push(index);
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kickoffs whose answer depends on the quarter asked about, counting the questions it was asked.
    struct Counted(std::cell::Cell<usize>);

    impl Kickoffs for Counted {
        fn kickoff(&self, quarter: Option<&str>) -> Option<Date> {
            self.0.set(self.0.get() + 1);
            let quarter: Quarter = quarter?.parse().ok()?;
            Date::new(quarter.year, quarter.number as i8, 1).ok()
        }
    }

    #[test]
    fn remembered_kickoffs_answer_as_the_calendar_does_and_ask_once_per_run_of_a_quarter() {
        let counted = Counted(std::cell::Cell::new(0));
        let remembered = RememberedKickoffs::new(&counted);
        let asked = [
            Some("2026-Q1"),
            Some("2026-Q1"),
            None,
            Some("2026-Q1"),
            Some("2026-Q2"),
            Some("not a quarter"),
            Some("not a quarter"),
            Some("2026-Q1"),
        ];
        for quarter in asked {
            let expected = Counted(std::cell::Cell::new(0)).kickoff(quarter);
            assert_eq!(remembered.kickoff(quarter), expected, "{quarter:?}");
        }
        // 2026-Q1 once, None once (never remembered), 2026-Q2, the bad name once, 2026-Q1 again.
        assert_eq!(counted.0.get(), 5);
    }
}
