//! `okr diff --check`: reads the changes of a range from git and judges them by the change policy.

use std::collections::BTreeMap;

use anyhow::Result;

use crate::commands::diff::{Side, compare};
use crate::core::calendar::Calendar;
use crate::core::policy::{Check, Mode, Refusal, Rule, describe};
use crate::repo::git::Git;
use crate::repo::workspace::Workspace;

/// Checks the changes from `from` to `to` (a revision or the working tree).
pub fn check(workspace: &Workspace, git: &Git, from: &str, to: Option<&str>) -> Result<Check> {
    let policy = &workspace.config.policy;
    let comparison = compare(
        workspace,
        git,
        Side::Revision(from),
        to.map_or(Side::WorkingTree, Side::Revision),
    )?;
    if policy.mode == Mode::Off {
        return Ok(Check {
            from: comparison.from,
            to: comparison.to,
            passed: comparison.changes.len(),
            refusals: Vec::new(),
        });
    }
    // When the change lands: the newest commit of the range, or today for uncommitted work.
    let (landing, trailers) = match to {
        Some(to) => {
            let to_id = git.resolve(to)?;
            let from_id = git.resolve(from)?;
            (
                git.commit(to_id)?.time.date(),
                reasons_by_path(git, workspace, from_id, to_id)?,
            )
        }
        None => {
            let head = git.resolve("HEAD")?;
            let from_id = git.resolve(from)?;
            (
                jiff::Zoned::now().date(),
                reasons_by_path(git, workspace, from_id, head)?,
            )
        }
    };
    let calendar = Calendar::new(workspace.config.fiscal_year_start_month);
    let mut refusals = Vec::new();
    let mut passed = 0;
    for compared in comparison.changes {
        let change = compared.change;
        let Some(rule) = Rule::of(&change).filter(|r| policy.require_reason.contains(r)) else {
            continue;
        };
        let planning = change
            .quarter
            .as_deref()
            .and_then(|q| q.parse().ok())
            .map(|quarter| {
                let kickoff = calendar
                    .start(quarter)
                    .checked_add(
                        jiff::Span::new().days(i64::from(workspace.config.planning_window_days)),
                    )
                    .unwrap_or(jiff::civil::Date::MAX);
                landing < kickoff
            })
            .unwrap_or(false);
        let explained = change
            .yaml_reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty())
            || trailers.get(&change.path).is_some_and(|r| !r.is_empty());
        if planning || explained {
            passed += 1;
            continue;
        }
        refusals.push(Refusal {
            rule,
            line: change.line,
            message: describe(&change),
            help: rule.how_to_explain().to_owned(),
            change,
        });
    }
    Ok(Check {
        from: comparison.from,
        to: comparison.to,
        passed,
        refusals,
    })
}

/// `Reason:` trailers of the commits in `from..to`, by the OKR files each commit touched.
fn reasons_by_path(
    git: &Git,
    workspace: &Workspace,
    from: gix::ObjectId,
    to: gix::ObjectId,
) -> Result<BTreeMap<String, Vec<String>>> {
    let mut reasons: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for id in git.range(from, to)? {
        let meta = git.commit(id)?;
        let Some(reason) = meta.reason else { continue };
        let after: BTreeMap<String, gix::ObjectId> = git
            .files_under(id, &workspace.config.dir)?
            .into_iter()
            .collect();
        let before: BTreeMap<String, gix::ObjectId> = match meta.parents.first() {
            Some(parent) => git
                .files_under(*parent, &workspace.config.dir)?
                .into_iter()
                .collect(),
            None => BTreeMap::new(),
        };
        let touched = after
            .iter()
            .filter(|(path, blob)| before.get(*path) != Some(*blob))
            .map(|(path, _)| path.clone())
            .chain(before.keys().filter(|p| !after.contains_key(*p)).cloned());
        for path in touched {
            reasons.entry(path).or_default().push(reason.clone());
        }
    }
    Ok(reasons)
}
