//! Who made each change of a range, and what that makes it.
//!
//! A range's changes are its net ones — what differs between its two ends. Each is attributed to the change
//! of the range's history that last made it: the last change to the same field that set the same value.
//! Items are found under the names they end with, so a target eased before its key result's id was fixed is
//! still that commit's doing. Only that maker's reason can explain the change ([`reason::of_net`]); when no
//! change of the range set the same value, the change still lands when the last one touching the field or
//! item did, but no commit's message explains it.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use crate::core::change::{Change, ChangeKind, Field, Meaning};
use crate::core::diagnostic::Diagnostic;
use crate::core::history::{Event, Kickoffs, Standing, day_of};
use crate::core::policy::{Policy, Rule};
use crate::core::reason::{self, Message, ReasonSource};

/// One change of a comparison: what changed, the commit that last made it, and why.
#[derive(Debug, Clone, Serialize)]
pub struct ComparedChange {
    #[serde(flatten)]
    pub change: Change,
    /// The commit of the range that last made this change (full id); `null` when no commit did: an uncommitted
    /// change, one no commit of the range explains (its start is not an ancestor of its end), or two files
    /// compared directly.
    pub commit: Option<String>,
    /// Made in the working tree, not yet committed.
    pub uncommitted: bool,
    pub author: Option<String>,
    /// That commit's date (RFC 3339), as history gives it.
    pub date: Option<String>,
    /// A change of plan made after the planning window, judged by when it landed.
    pub mid_quarter: bool,
    /// Part of a team's first revision, written after kickoff: its plan, written late.
    pub planned_late: bool,
    /// The change policy asks this change for a reason.
    pub requires_reason: bool,
    /// Why: the YAML written with the change, else the `Reason:` trailer of the commit that made it, else
    /// that commit's message body.
    pub reason: Option<String>,
    pub reason_source: Option<ReasonSource>,
}

impl ComparedChange {
    /// A change between two files compared directly, with no commits and no dates: only the YAML can say
    /// why, and when it happened is unknown.
    pub fn undated(change: Change) -> ComparedChange {
        let reason = reason::of(&change, None);
        ComparedChange {
            commit: None,
            uncommitted: false,
            author: None,
            date: None,
            mid_quarter: false,
            planned_late: false,
            requires_reason: false,
            reason_source: reason.as_ref().map(|r| r.source),
            reason: reason.map(|r| r.text),
            change,
        }
    }

    /// Asked for a reason, and none was given.
    pub fn unexplained(&self) -> bool {
        self.requires_reason && self.reason.is_none()
    }

    /// The policy's refusal of this change, under the rule that asks it for a reason, at its place in the
    /// newer revision: what `okr diff --check` reports, and `okr lsp` for the editor's text. `None` when it
    /// needs no reason, has one, or refusals are turned off.
    pub fn refusal(&self, policy: &Policy<'_>) -> Option<(Rule, Diagnostic)> {
        if !self.unexplained() {
            return None;
        }
        let rule = policy.rule_for(&self.change, self.mid_quarter)?;
        Some((rule, policy.refusal(&self.change.path, &self.change, rule)?))
    }

    /// A change of plan, as `okr history` marks one: made mid-quarter (while planning, the plan is still
    /// being written), or one the policy asks a reason for.
    pub fn is_pivot(&self) -> bool {
        self.requires_reason
            || (self.mid_quarter && matches!(self.change.meaning(), Meaning::Pivot(_)))
    }

    /// A check-in: progress, confidence or a score reported against the plan.
    pub fn is_check_in(&self) -> bool {
        self.change.meaning() == Meaning::Progress
    }
}

/// What a range's history holds, for finding who made each net change.
pub struct Makers<'a> {
    /// The commits' changes, in reading order.
    pub events: &'a [Event],
    /// Each commit's message, by full id.
    pub messages: &'a HashMap<String, Message>,
    /// What the working tree changed on top of the range's end, if it is compared.
    pub uncommitted: &'a [Change],
    /// When an uncommitted change lands: now.
    pub now: jiff::civil::Date,
    /// When a change no commit of the range made lands: with the range's end.
    pub end: jiff::civil::Date,
    pub kickoffs: &'a dyn Kickoffs,
    pub policy: &'a Policy<'a>,
}

/// An objective or key result (or a file, with neither), as changes name it.
type Item<'a> = (Option<&'a str>, &'a str, Option<&'a str>, Option<&'a str>);

/// The names items end up with: an id edited along with its title (`objective_reworded` or `kr_reworded`
/// with a `previous_id`) renames the item for every change before it.
#[derive(Default)]
struct Names<'a> {
    objectives: HashMap<(Option<&'a str>, &'a str, &'a str), &'a str>,
    /// Keyed by the objective's last name.
    key_results: HashMap<(Option<&'a str>, &'a str, &'a str, &'a str), &'a str>,
}

/// How far a chain of renames is followed; more is a loop (an id renamed back and forth).
const RENAMES: usize = 64;

impl<'a> Names<'a> {
    fn of(changes: impl Iterator<Item = &'a Change> + Clone) -> Names<'a> {
        let mut names = Names::default();
        for change in changes.clone() {
            if let (ChangeKind::ObjectiveReworded, Some(old), Some(new)) = (
                change.kind,
                change.previous_id.as_deref(),
                change.objective.as_deref(),
            ) {
                names
                    .objectives
                    .insert((change.quarter.as_deref(), &change.team, old), new);
            }
        }
        for change in changes {
            if let (ChangeKind::KrReworded, Some(old), Some(new), Some(objective)) = (
                change.kind,
                change.previous_id.as_deref(),
                change.key_result.as_deref(),
                change.objective.as_deref(),
            ) {
                let quarter = change.quarter.as_deref();
                let objective = names.objective(quarter, &change.team, objective);
                names
                    .key_results
                    .insert((quarter, &change.team, objective, old), new);
            }
        }
        names
    }

    fn objective(&self, quarter: Option<&'a str>, team: &'a str, id: &'a str) -> &'a str {
        last_name(id, |name| {
            self.objectives.get(&(quarter, team, name)).copied()
        })
    }

    fn key_result(
        &self,
        quarter: Option<&'a str>,
        team: &'a str,
        objective: &'a str,
        id: &'a str,
    ) -> &'a str {
        last_name(id, |name| {
            self.key_results
                .get(&(quarter, team, objective, name))
                .copied()
        })
    }

    /// The field a change set, named as its item is named at the end.
    fn field(&self, change: &'a Change) -> Field<'a> {
        let (quarter, team, objective, key_result) = self.item(change);
        Field {
            quarter,
            team,
            objective,
            key_result,
            ..change.field()
        }
    }

    fn item(&self, change: &'a Change) -> Item<'a> {
        let quarter = change.quarter.as_deref();
        let team = change.team.as_str();
        let objective = change
            .objective
            .as_deref()
            .map(|o| self.objective(quarter, team, o));
        let key_result = match (objective, change.key_result.as_deref()) {
            (Some(objective), Some(kr)) => Some(self.key_result(quarter, team, objective, kr)),
            (None, kr) => kr,
            (Some(_), None) => None,
        };
        (quarter, team, objective, key_result)
    }
}

/// The name `id` ends with, following `renamed` from name to name; a loop (an id renamed back and forth)
/// ends where it closes.
fn last_name<'a>(id: &'a str, renamed: impl Fn(&'a str) -> Option<&'a str>) -> &'a str {
    let mut name = id;
    let mut seen = HashSet::new();
    while seen.len() < RENAMES && seen.insert(name) {
        match renamed(name) {
            Some(next) => name = next,
            None => break,
        }
    }
    name
}

/// Changes by the field and by the item each changed (named as at the end), as indices, oldest first.
struct Index<'a> {
    fields: HashMap<Field<'a>, Vec<usize>>,
    items: HashMap<Item<'a>, Vec<usize>>,
}

impl<'a> Index<'a> {
    fn of(changes: impl Iterator<Item = &'a Change>, names: &Names<'a>) -> Index<'a> {
        let mut index = Index {
            fields: HashMap::new(),
            items: HashMap::new(),
        };
        for (n, change) in changes.enumerate() {
            index.fields.entry(names.field(change)).or_default().push(n);
            index.items.entry(names.item(change)).or_default().push(n);
        }
        index
    }
}

/// How closely a change of the history matches the net change it is taken to have made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Match {
    /// It set the same field to the same value: it made the change, and its reason explains it.
    Made,
    /// It was the last to touch the same field, or else the same item: the change landed with it, but it did
    /// not make it, so its reason explains nothing.
    Touched,
}

/// Who made a net change.
enum Maker<'a> {
    Uncommitted(&'a Change, Match),
    Commit(&'a Event, Match),
    Nobody,
}

/// The net changes of a range, each with the commit that made it, its reason and what that makes it.
pub fn attribute(net: Vec<Change>, makers: &Makers<'_>) -> Vec<ComparedChange> {
    let changes = makers
        .events
        .iter()
        .map(|e| &e.change)
        .chain(makers.uncommitted);
    let names = Names::of(changes);
    let committed = Index::of(makers.events.iter().map(|e| &e.change), &names);
    let uncommitted = Index::of(makers.uncommitted.iter(), &names);
    net.into_iter()
        .map(|change| {
            let maker = find(&change, makers, (&uncommitted, &committed));
            judge(change, maker, makers)
        })
        .collect()
}

/// Who last made `change`: the last change to the same field that set the same value, else the last to the
/// same field, else the last to the same item. Uncommitted changes come after every commit.
fn find<'a>(
    change: &Change,
    makers: &Makers<'a>,
    (uncommitted, committed): (&Index<'_>, &Index<'_>),
) -> Maker<'a> {
    // The net change names its item as it is at the end, as the indexes do.
    let field = change.field();
    let item = (
        change.quarter.as_deref(),
        change.team.as_str(),
        change.objective.as_deref(),
        change.key_result.as_deref(),
    );
    let setting = change.setting();
    let same_value = |c: &Change| c.setting() == setting;
    let any = |_: &Change| true;
    let by_field = (uncommitted.fields.get(&field), committed.fields.get(&field));
    let by_item = (uncommitted.items.get(&item), committed.items.get(&item));
    let last = |(u, c): (Option<&Vec<usize>>, Option<&Vec<usize>>),
                test: &dyn Fn(&Change) -> bool,
                level: Match|
     -> Option<Maker<'a>> {
        let made = u
            .into_iter()
            .flatten()
            .rev()
            .map(|&n| &makers.uncommitted[n])
            .find(|c| test(c));
        if let Some(made) = made {
            return Some(Maker::Uncommitted(made, level));
        }
        c.into_iter()
            .flatten()
            .rev()
            .map(|&n| &makers.events[n])
            .find(|e| test(&e.change))
            .map(|e| Maker::Commit(e, level))
    };
    last(by_field, &same_value, Match::Made)
        .or_else(|| last(by_field, &any, Match::Touched))
        .or_else(|| last(by_item, &any, Match::Touched))
        .unwrap_or(Maker::Nobody)
}

/// A net change given its maker: when it landed, its reason, and what that makes it.
fn judge(mut change: Change, maker: Maker<'_>, makers: &Makers<'_>) -> ComparedChange {
    // What the change came with is as its maker made it: an objective added to a team's file that an earlier
    // commit of the range started is a change of plan, though the file is new since the start.
    if let Maker::Uncommitted(made, Match::Made) = &maker {
        change.context = made.context;
    }
    if let Maker::Commit(event, Match::Made) = &maker {
        change.context = event.change.context;
    }
    let uncommitted = matches!(maker, Maker::Uncommitted(..));
    let (landed, commit, reason) = match maker {
        Maker::Uncommitted(made, level) => (
            makers.now,
            None,
            reason::of_net(&change, (level == Match::Made).then_some((made, None))),
        ),
        Maker::Commit(event, level) => (
            day_of(&event.landed).unwrap_or(makers.end),
            Some(event),
            reason::of_net(
                &change,
                (level == Match::Made)
                    .then(|| (&event.change, makers.messages.get(&*event.commit))),
            ),
        ),
        Maker::Nobody => (makers.end, None, reason::of_net(&change, None)),
    };
    let standing = Standing::of(&change, landed, makers.kickoffs, makers.policy);
    ComparedChange {
        commit: commit.map(|e| e.commit.to_string()),
        uncommitted,
        author: commit.map(|e| e.author.to_string()),
        date: commit.map(|e| e.date.to_string()),
        mid_quarter: standing.mid_quarter,
        planned_late: standing.planned_late,
        requires_reason: standing.requires_reason,
        reason_source: reason.as_ref().map(|r| r.source),
        reason: reason.map(|r| r.text),
        change,
    }
}
