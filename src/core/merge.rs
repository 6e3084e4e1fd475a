//! What a commit changed, from its comparisons with the parents it is compared with.
//!
//! A commit with one parent changed what differs from that parent. A merge is read in one of two ways:
//!
//! - **Off the mainline** (a merge inside a branch), it changed only what differs from every parent — its
//!   own edits, such as a conflict resolved to a third value. What it took from one side was reported where
//!   that side made it.
//! - **On the mainline** (the first-parent line from the tip), it is where a branch's changes reach the
//!   plan. The branch's commits are read just before it, so by then the changes read add up to the first
//!   parent's state with the branch's changes on top. The merge reports whatever differs from that: a
//!   branch's change it threw away ("target 8 → 20" when the branch lowered 20 → 8 and the merge kept 20),
//!   a conflict resolved to a third value, an edit of its own — and a value the branch's changes left
//!   different from the merge although no comparison with a parent shows it (a branch change undone inside
//!   the branch by a merge there, which reports only its own edits). So the changes read up to any mainline
//!   commit always add up to the plan in that commit.

use crate::core::change::{Attribute, Change, Field, Setting};

/// How to read a commit compared with more than one parent.
pub enum Merge<'a> {
    /// A merge off the mainline (or any commit with one parent).
    Own,
    /// A merge on the mainline. `branch` gives, for a field, the value the branch's commits (those read
    /// since the first parent) last set it to, if they set it at all. `settled` are the changes from the
    /// branch's last value to the merge's for the fields the branch set that no comparison with a parent
    /// shows (the caller finds them: it takes the revisions the branch's values were read from).
    Mainline {
        branch: &'a dyn Fn(&Field<'_>) -> Option<Setting>,
        settled: Vec<Change>,
    },
}

/// The changes of a commit, given its comparison with each parent it is compared with (first parent first).
pub fn changes(mut diffs: Vec<Vec<Change>>, merge: Merge<'_>) -> Vec<Change> {
    if diffs.len() <= 1 {
        return diffs.pop().unwrap_or_default();
    }
    match merge {
        Merge::Own => own(diffs),
        Merge::Mainline { branch, settled } => {
            let mut changes = mainline(&diffs, branch);
            changes.extend(settled);
            changes
        }
    }
}

/// What differs from every parent in the same way.
fn own(mut diffs: Vec<Vec<Change>>) -> Vec<Change> {
    let mut changes = diffs.remove(0);
    for other in &diffs {
        changes.retain(|c| {
            other.iter().any(|o| {
                o.kind == c.kind
                    && o.team == c.team
                    && o.objective == c.objective
                    && o.key_result == c.key_result
                    && o.to == c.to
            })
        });
    }
    changes
}

fn mainline(diffs: &[Vec<Change>], branch: &dyn Fn(&Field) -> Option<Setting>) -> Vec<Change> {
    let mut fields: Vec<(Field, Vec<&Change>)> = Vec::new();
    let mut index: std::collections::HashMap<Field, usize> = std::collections::HashMap::new();
    for change in diffs.iter().flatten() {
        let field = change.field();
        match index.get(&field) {
            Some(&n) => fields[n].1.push(change),
            None => {
                index.insert(field, fields.len());
                fields.push((field, vec![change]));
            }
        }
    }
    let first: std::collections::HashMap<Field, &Change> =
        diffs[0].iter().map(|c| (c.field(), c)).rev().collect();
    let mut out = Vec::new();
    for (field, candidates) in fields {
        // Every comparison ends at the merge itself, so they agree on what the field became.
        let merged = candidates[0].setting();
        let presence = Field {
            attribute: Attribute::Presence,
            ..field
        };
        let before = match branch(&field) {
            Some(written) => written,
            // Of an item the branch added: as the branch had it when it reached the merge.
            None if branch(&presence) == Some(Setting::Present(true)) => diffs[1..]
                .iter()
                .flatten()
                .find(|c| c.field() == field)
                .map_or_else(|| merged.clone(), |c| c.previous_setting()),
            // Untouched by the branch: as the first parent had it (the same as the merge, unless the merge
            // changed it).
            None => first
                .get(&field)
                .map_or_else(|| merged.clone(), |c| c.previous_setting()),
        };
        if before == merged {
            continue;
        }
        let template = candidates
            .iter()
            .find(|c| c.previous_setting() == before)
            .unwrap_or(&candidates[0]);
        let mut change = (*template).clone();
        if let Setting::Value(value) = &before
            && change.previous_setting() != before
        {
            change.from = value.clone();
        }
        out.push(change);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::change::{Change, ChangeKind, Context, Direction, Value};
    use crate::core::diagnostic::Pos;
    use crate::core::model::Number;

    fn target(from: f64, to: f64) -> Change {
        Change {
            kind: ChangeKind::KrTargetChanged,
            path: "okrs/2026-Q3/platform.yaml".to_owned(),
            quarter: Some("2026-Q3".to_owned()),
            team: "platform".to_owned(),
            objective: Some("faster-builds".to_owned()),
            key_result: Some("cache-hits".to_owned()),
            from: Value::Number(Number(from)),
            to: Value::Number(Number(to)),
            direction: Some(Direction::Harder),
            words: None,
            previous_id: None,
            yaml_reason: None,
            pos: Pos::START,
            context: Context::Edit,
        }
    }

    fn mainline<'a>(branch: &'a dyn Fn(&Field<'_>) -> Option<Setting>) -> Merge<'a> {
        Merge::Mainline {
            branch,
            settled: Vec::new(),
        }
    }

    #[test]
    fn a_mainline_merge_reports_what_the_branch_left_different_though_no_parent_shows_it() {
        // The branch set 60, a merge inside the branch put 80 back; main and the branch both have 80.
        let branch = |_: &Field<'_>| Some(Setting::Value(Value::Number(Number(60.0))));
        let merge = Merge::Mainline {
            branch: &branch,
            settled: vec![target(60.0, 80.0)],
        };
        assert_eq!(
            changes(vec![Vec::new(), Vec::new()], merge),
            [target(60.0, 80.0)]
        );
    }

    #[test]
    fn a_mainline_merge_reports_a_branch_change_it_threw_away() {
        // Main kept 80; the branch set 60; the merge kept 80: nothing differs from main, 60 → 80 from the branch.
        let diffs = vec![Vec::new(), vec![target(60.0, 80.0)]];
        let branch = |_: &Field<'_>| Some(Setting::Value(Value::Number(Number(60.0))));
        let changes = changes(diffs, mainline(&branch));
        assert_eq!(changes, [target(60.0, 80.0)]);
    }

    #[test]
    fn a_mainline_merge_that_takes_the_branch_reports_nothing() {
        // The branch set 60 and the merge took it: reported at the branch commit already.
        let diffs = vec![vec![target(80.0, 60.0)], Vec::new()];
        let branch = |_: &Field<'_>| Some(Setting::Value(Value::Number(Number(60.0))));
        assert!(changes(diffs, mainline(&branch)).is_empty());
    }

    #[test]
    fn a_merge_resolving_to_a_third_value_reports_it_either_way() {
        let diffs = || vec![vec![target(80.0, 70.0)], vec![target(60.0, 70.0)]];
        let branch = |_: &Field<'_>| Some(Setting::Value(Value::Number(Number(60.0))));
        assert_eq!(changes(diffs(), mainline(&branch)), [target(60.0, 70.0)]);
        assert_eq!(changes(diffs(), Merge::Own), [target(80.0, 70.0)]);
    }

    #[test]
    fn a_merge_off_the_mainline_reports_only_what_differs_from_every_parent() {
        let diffs = vec![vec![target(80.0, 60.0)], Vec::new()];
        assert!(changes(diffs, Merge::Own).is_empty());
    }
}
