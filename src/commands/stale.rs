//! `okr validate --stale`: the key results nobody has checked in on. Which ones are stale is decided as
//! `okr report` decides it, from the quarter's history at `HEAD`; the findings are then placed in the files
//! as they are, so an editor or a CI annotation points at the key result to update.

use std::collections::HashMap;

use anyhow::Result;
use jiff::civil::Date;

use crate::core::diagnostic::{Finding, Pos};
use crate::core::model::{Measure, Number, OkrFile, Quarter, Status};
use crate::core::report::{KeyResultReport, ReportQuery};
use crate::core::rules::codes;
use crate::repo::git::Git;
use crate::repo::history::quarter_folder;
use crate::repo::workspace::Workspace;

/// The stale key results of the quarter running today.
#[derive(Debug)]
pub struct StaleKeyResults {
    pub quarter: Quarter,
    by_key: HashMap<(String, String, String), Committed>,
}

/// A stale key result as git last recorded it.
#[derive(Debug)]
struct Committed {
    last_checkin: Option<Date>,
    idle_days: i64,
    current: Option<Number>,
    progress: Option<Number>,
    done: Option<bool>,
}

/// What `--stale` found to check, or why there is nothing to check (said on stderr, never silent).
#[derive(Debug)]
pub enum Outcome {
    Checked(StaleKeyResults),
    NothingToCheck(String),
}

/// Finds the stale key results of the quarter that contains `today`.
pub fn find(workspace: &Workspace, git: &Git, today: Date) -> Result<Outcome> {
    let planning = workspace.planning();
    let quarter = planning.calendar.quarter_of(today);
    let folder = quarter_folder(workspace, quarter);
    if git.entry_id(git.resolve("HEAD")?, &folder)?.is_none() {
        return Ok(Outcome::NothingToCheck(format!(
            "--stale: HEAD has no `{folder}` for the quarter running today ({quarter}); no key result is checked \
             for staleness"
        )));
    }
    let kickoff = planning.kickoff(quarter);
    if today < kickoff {
        return Ok(Outcome::NothingToCheck(format!(
            "--stale: {quarter} is still being planned (kickoff {kickoff}); no key result is stale before it"
        )));
    }
    let report = crate::commands::report::build(
        workspace,
        git,
        &ReportQuery {
            quarter,
            team: None,
            at: "HEAD".to_owned(),
            retro: false,
            today,
            stale_after_days: workspace.config.checkins.stale_after_days,
        },
    )?;
    let mut by_key = HashMap::new();
    for team in &report.teams {
        for objective in &team.objectives {
            for kr in objective.key_results.iter().filter(|kr| kr.stale) {
                by_key.insert(
                    (team.team.clone(), objective.id.clone(), kr.id.clone()),
                    committed(kr),
                );
            }
        }
    }
    Ok(Outcome::Checked(StaleKeyResults { quarter, by_key }))
}

fn committed(kr: &KeyResultReport) -> Committed {
    Committed {
        last_checkin: kr.last_checkin,
        idle_days: kr.idle_days.unwrap_or_default(),
        current: kr.current,
        progress: kr.progress,
        done: kr.done,
    }
}

impl StaleKeyResults {
    /// A warning at each stale key result of `file`. A key result whose progress in the file differs from what
    /// git last recorded is being checked in right now, and is not stale.
    pub fn check(&self, file: &OkrFile) -> Vec<Finding> {
        let mut findings = Vec::new();
        if file.quarter.as_ref().map(|q| q.value) != Some(self.quarter) {
            return findings;
        }
        let Some(team) = file.team.as_ref().map(|t| &*t.value) else {
            return findings;
        };
        for objective in file
            .objectives
            .iter()
            .filter(|o| o.status() == Status::Active)
        {
            let Some(objective_id) = objective.id.as_ref().map(|i| &*i.value) else {
                continue;
            };
            for kr in &objective.key_results {
                let Some(id) = kr.id.as_ref().map(|i| &*i.value) else {
                    continue;
                };
                let key = (team.to_owned(), objective_id.to_owned(), id.to_owned());
                let Some(committed) = self.by_key.get(&key) else {
                    continue;
                };
                let unchanged = match kr.measure() {
                    Some(Measure::Milestone { done }) => committed.done == Some(done),
                    Some(Measure::Share { progress }) => committed.progress == Some(progress),
                    Some(measure) => committed.current == measure.current(),
                    None => true,
                };
                if unchanged {
                    findings.push(finding(team, objective_id, id, kr.pos, committed));
                }
            }
        }
        findings
    }
}

fn finding(team: &str, objective: &str, id: &str, pos: Pos, committed: &Committed) -> Finding {
    let days = committed.idle_days;
    let unit = if days == 1 { "day" } else { "days" };
    let last = committed.last_checkin.map_or_else(
        || "none this quarter".to_owned(),
        |day| format!("last on {day}"),
    );
    Finding::new(
        codes::STALE_KEY_RESULT,
        pos,
        format!("key result `{id}` has had no check-in for {days} {unit} ({last})"),
    )
    .with_help(format!(
        "record where it stands with `okr checkin {team}/{objective}/{id} VALUE`; if it is finished, mark it done, \
         or the objective done or dropped"
    ))
}
