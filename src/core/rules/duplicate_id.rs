//! `duplicate-id`: ids are identity across history, so each must name exactly one thing.

use std::collections::HashMap;

use crate::core::diagnostic::{Finding, Pos};
use crate::core::model::{OkrFile, Quarter, Spanned, Text};
use crate::core::rules::codes;

pub fn check(file: &OkrFile, out: &mut Vec<Finding>) {
    repeated(
        file.objectives.iter().map(|o| o.id.as_ref()),
        "objective",
        "in this file",
        out,
    );
    for objective in &file.objectives {
        repeated(
            objective.key_results.iter().map(|kr| kr.id.as_ref()),
            "key result",
            "in this objective",
            out,
        );
    }
}

fn repeated<'a>(
    ids: impl Iterator<Item = Option<&'a Spanned<Text>>>,
    what: &str,
    scope: &str,
    out: &mut Vec<Finding>,
) {
    let mut first: HashMap<&str, Pos> = HashMap::new();
    for id in ids.flatten() {
        if let Some(earlier) = first.get(id.value.as_ref()) {
            out.push(
                Finding::new(
                    codes::DUPLICATE_ID,
                    id.pos,
                    format!(
                        "{what} id `{}` is used twice {scope} (first at line {})",
                        id.value, earlier.line
                    ),
                )
                .with_help(format!(
                    "give each {what} its own id; ids are how okr follows it through history"
                )),
            );
        } else {
            first.insert(&id.value, id.pos);
        }
    }
}

/// Two files for the same team and quarter: the later path is reported.
pub fn check_teams(files: &[(&str, &OkrFile)], out: &mut Vec<(usize, Finding)>) {
    let mut first: HashMap<(Text, Quarter), usize> = HashMap::new();
    let mut order: Vec<usize> = (0..files.len()).collect();
    order.sort_by_key(|&i| files[i].0);
    for index in order {
        let file = files[index].1;
        let (Some(team), Some(quarter)) = (&file.team, &file.quarter) else {
            continue;
        };
        let key = (team.value.clone(), quarter.value);
        match first.get(&key) {
            Some(&earlier) => out.push((
                index,
                Finding::new(
                    codes::DUPLICATE_ID,
                    team.pos,
                    format!(
                        "team `{}` already has a file for {}: `{}`",
                        team.value, quarter.value, files[earlier].0
                    ),
                )
                .with_help("keep one file per team and quarter, or fix the `team` of this one"),
            )),
            None => {
                first.insert(key, index);
            }
        }
    }
}
