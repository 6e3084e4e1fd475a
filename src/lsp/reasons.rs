//! The change policy over the editor's text: what `okr diff --check` would refuse if the open file were
//! committed as it is now, so a target made easier after kickoff is flagged while it is typed, not in CI.
//!
//! The text is compared with the team's file as `HEAD` has it (at the same path, or at the one it had before
//! it was renamed or moved, as `okr diff --check` pairs files), by the comparison `okr diff` makes
//! ([`compare::compare`]), and each change is judged as `okr diff --check` judges an uncommitted change of
//! the working tree ([`attribution::attribute`]): it lands today (`OKR_TODAY`), it is mid-quarter from the
//! quarter's kickoff on, and only the YAML written with it can be its reason, since it has no commit message
//! yet. A refusal is a warning, not the error `okr diff --check` makes it: the commit that makes the change
//! can still give a `Reason:` trailer. The changes are judged by the `okr.toml` `HEAD` has, as `okr diff
//! --check` judges them by the one of the range's start: an uncommitted edit of it relaxes nothing.
//!
//! Nothing is reported before kickoff (the change is planning), outside git, for a file `HEAD` does not have (a
//! team's first revision is planning, whenever it is written), for text that does not parse, or when the
//! policy is off. After the quarter's last day the editor asks what `okr diff --check` would: one model
//! decides, and a silent pivot written after the quarter is still one.

use std::collections::HashMap;
use std::sync::Arc;

use crate::core::attribution::{self, Makers};
use crate::core::change::ChangeKind;
use crate::core::compare::{self, SnapshotFile};
use crate::core::diagnostic::{Finding, Pos};
use crate::core::model::OkrFile;
use crate::core::policy::Rule;
use crate::core::rules::codes;
use crate::lsp::history::{Histories, TeamOf};
use crate::lsp::world::{File, Project};
use crate::repo::clock;

/// A change of the editor's text the policy refuses.
pub struct Refusal {
    /// The rule that asks it for a reason.
    pub rule: Rule,
    /// As `okr diff --check` says it (`change-without-reason`, its message and help), at the changed item.
    pub finding: Finding,
}

/// The refusals of the changes the text of `file` (at `path`) makes to the file as committed at `HEAD`.
pub fn of(project: &Project, path: &str, file: &File, histories: &mut Histories) -> Vec<Refusal> {
    let Some(okr) = file.okr() else {
        return Vec::new();
    };
    // A bad `OKR_TODAY` is said by the commands that need the day; without a day nothing is mid-quarter.
    let Ok(today) = clock::today() else {
        return Vec::new();
    };
    let editor = SnapshotFile {
        path: path.into(),
        okr: Arc::new(okr.clone()),
    };
    let team_at = |at: &str, okr: &OkrFile| {
        compare::team_of(&SnapshotFile {
            path: at.into(),
            okr: Arc::new(okr.clone()),
        })
    };
    let in_tree = |at: &str| Some(team_at(at, project.file(at)?.okr()?));
    // Each file's team is compared by name before its identity is worked out (a copy of the file).
    let elsewhere = |team: &TeamOf| {
        project
            .files()
            .filter(|(at, _)| *at != path)
            .any(|(at, file)| {
                file.okr().is_some_and(|okr| {
                    okr.team.as_ref().is_none_or(|t| *t.value == *team.1)
                        && team_at(at, okr) == *team
                })
            })
    };
    let Some(committed) = histories.committed(&project.workspace, &editor, in_tree, elsewhere)
    else {
        return Vec::new();
    };
    let config = &committed.judged_by;
    let (planning, policy) = (config.planning(), config.policy());
    // Whether the change is mid-quarter is decided by the judging below, from the kickoff, as for the
    // working tree in `okr diff --check`.
    if okr.quarter.is_none() || policy.severity.is_none() {
        return Vec::new();
    }
    // Paired by team and quarter, so a file renamed since HEAD compares with HEAD's file of another path.
    let changes = compare::compare(&[committed.file], &[editor]);
    // Every change is the editor's, not yet committed, as `okr diff --check` sees the working tree's.
    let makers = Makers {
        events: &[],
        messages: &HashMap::new(),
        uncommitted: &changes,
        now: today,
        end: today,
        kickoffs: &planning,
        policy: &policy,
    };
    let drops_are_validated = project
        .workspace
        .config
        .severity(codes::DROPPED_WITHOUT_REASON)
        .is_some();
    attribution::attribute(changes.clone(), &makers)
        .into_iter()
        // A drop without `dropped.reason` is `dropped-without-reason` of `okr validate` already, with its
        // own action; the reason that mends it answers the policy too. Where `okr.toml` allows that rule, the
        // policy's refusal is the only word on it, so it is kept.
        .filter(|compared| {
            compared.change.kind != ChangeKind::ObjectiveDropped || !drops_are_validated
        })
        .filter_map(|compared| {
            let (rule, refusal) = compared.refusal(&policy)?;
            Some(Refusal {
                rule,
                finding: Finding {
                    code: refusal.code,
                    pos: Pos::new(refusal.line, refusal.column),
                    message: refusal.message,
                    help: refusal.help,
                    fix: None,
                },
            })
        })
        .collect()
}
