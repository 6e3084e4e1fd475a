//! `TEAM/OBJECTIVE/KR`: a key result named on the command line, found in the quarter's files, or an error that
//! names the nearest names there are.

use std::fmt;

use anyhow::{Result, anyhow};

use super::Files;
use crate::core::diagnostic::Finding;
use crate::core::model::{KeyResult, is_slug};
use crate::core::parse::LoadedFile;
use crate::core::rules::codes;
use crate::core::suggest::closest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub team: String,
    pub objective: String,
    pub key_result: String,
}

impl Target {
    /// `team/objective/key-result`, three slugs.
    pub fn parse(text: &str) -> Result<Target, String> {
        let parts: Vec<&str> = text.split('/').collect();
        match parts.as_slice() {
            [team, objective, key_result]
                if [team, objective, key_result].iter().all(|p| is_slug(p)) =>
            {
                Ok(Target {
                    team: (*team).to_owned(),
                    objective: (*objective).to_owned(),
                    key_result: (*key_result).to_owned(),
                })
            }
            _ => Err(format!(
                "`{text}` does not name a key result\nhelp: write TEAM/OBJECTIVE/KEY-RESULT with their ids, \
                 e.g. `platform/boring-deploys/failed-deploys`"
            )),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.team, self.objective, self.key_result)
    }
}

/// The key result `target` names in `file` (the team's file of the quarter, if it has one).
pub fn find<'f>(
    files: &'f Files,
    target: &Target,
    file: Option<&'f LoadedFile>,
) -> Result<(&'f LoadedFile, &'f KeyResult)> {
    let quarter = files.quarter;
    let Some((file, okr)) = file.and_then(|f| f.okr.as_ref().map(|okr| (f, okr))) else {
        return Err(unknown_team(files, &target.team));
    };
    let Some(objective) = okr
        .objectives
        .iter()
        .find(|o| o.id.as_ref().is_some_and(|i| *i.value == *target.objective))
    else {
        let known: Vec<&str> = okr
            .objectives
            .iter()
            .filter_map(|o| o.id.as_ref().map(|i| &*i.value))
            .collect();
        return Err(anyhow!(
            "team `{}` has no objective `{}` in {quarter}\nhelp: {}",
            target.team,
            target.objective,
            suggest(&target.objective, &known, "objectives", |o| format!(
                "{}/{o}",
                target.team
            ))
        ));
    };
    if let Some(kr) = objective.key_results.iter().find(|k| {
        k.id.as_ref()
            .is_some_and(|i| *i.value == *target.key_result)
    }) {
        return Ok((file, kr));
    }
    // The key result may be under another objective of the team.
    let elsewhere = okr.objectives.iter().find_map(|o| {
        let has = o.key_results.iter().any(|k| {
            k.id.as_ref()
                .is_some_and(|i| *i.value == *target.key_result)
        });
        has.then(|| o.id.as_ref().map(|i| i.value.to_string()))
            .flatten()
    });
    let help = match elsewhere {
        Some(other) => format!(
            "did you mean `{}/{other}/{}`?",
            target.team, target.key_result
        ),
        None => {
            let known: Vec<&str> = objective
                .key_results
                .iter()
                .filter_map(|k| k.id.as_ref().map(|i| &*i.value))
                .collect();
            suggest(&target.key_result, &known, "key results", |k| {
                format!("{}/{}/{k}", target.team, target.objective)
            })
        }
    };
    Err(anyhow!(
        "objective `{}/{}` has no key result `{}`\nhelp: {help}",
        target.team,
        target.objective,
        target.key_result
    ))
}

/// No team `team` in the quarter: the error names the nearest team there is, or a file of the quarter
/// okr could not read (its team may be the one named), with the problem reading it.
pub fn unknown_team(files: &Files, team: &str) -> anyhow::Error {
    let unreadable: Vec<(&str, &Finding)> = files
        .in_quarter
        .iter()
        .map(|&i| &files.loaded[i])
        .filter(|f| f.okr.as_ref().is_none_or(|okr| okr.team.is_none()))
        .filter_map(|f| {
            let problem = f
                .findings
                .iter()
                .find(|d| d.code == codes::YAML_SYNTAX)
                .or(f.findings.first())?;
            Some((f.path.as_str(), problem))
        })
        .collect();
    if let Some((path, problem)) = unreadable
        .iter()
        .find(|(path, _)| path.rsplit('/').next() == Some(&format!("{team}.yaml")))
        .or(unreadable.first())
    {
        let others = match unreadable.len() {
            1 => String::new(),
            n => format!(" (and {} more files)", n - 1),
        };
        return anyhow!(
            "cannot find team `{team}` in {}: {path}{others} cannot be read (line {}: {})\nhelp: fix the file \
             (`okr validate` shows its problems), then check in again",
            files.quarter,
            problem.pos.line,
            problem.message
        );
    }
    let teams = files.teams();
    anyhow!(
        "no team `{team}` in {}\nhelp: {}",
        files.quarter,
        suggest(team, &teams, "teams", |t| t.to_owned())
    )
}

/// "did you mean `x`?" when a known name is near, else the names there are.
fn suggest(name: &str, known: &[&str], what: &str, full: impl Fn(&str) -> String) -> String {
    match closest(name, known) {
        Some(near) => format!("did you mean `{}`?", full(near)),
        None if known.is_empty() => format!("there are no {what} here"),
        None => format!(
            "the {what} are {}",
            known
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_target_is_three_slugs() {
        let target = Target::parse("platform/boring-deploys/failed-deploys").unwrap();
        assert_eq!(target.to_string(), "platform/boring-deploys/failed-deploys");
        for bad in [
            "platform/boring-deploys",
            "a/b/c/d",
            "Platform/x/y",
            "a//c",
            "",
        ] {
            assert!(Target::parse(bad).is_err(), "{bad}");
        }
    }
}
