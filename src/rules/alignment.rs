//! `unknown-alignment`: `aligns_to` must name an objective that exists in the same quarter.

use std::collections::{BTreeSet, HashSet};

use crate::decode::closest;
use crate::diagnostic::Finding;
use crate::model::{OkrFile, Quarter};
use crate::rules::codes;

pub fn check(files: &[(&str, &OkrFile)], out: &mut Vec<(usize, Finding)>) {
    let mut known: HashSet<(Quarter, &str, &str)> = HashSet::new();
    for (_, file) in files {
        let (Some(quarter), Some(team)) = (&file.quarter, &file.team) else {
            continue;
        };
        for objective in &file.objectives {
            if let Some(id) = &objective.id {
                known.insert((quarter.value, &team.value, &id.value));
            }
        }
    }
    for (index, (_, file)) in files.iter().enumerate() {
        let Some(quarter) = &file.quarter else {
            continue;
        };
        for objective in &file.objectives {
            let Some(target) = &objective.aligns_to else {
                continue;
            };
            let wanted = (
                quarter.value,
                target.value.team.as_str(),
                target.value.objective.as_str(),
            );
            if known.contains(&wanted) {
                continue;
            }
            let candidates: BTreeSet<String> = known
                .iter()
                .filter(|(q, _, _)| *q == quarter.value)
                .map(|(_, team, id)| format!("{team}/{id}"))
                .collect();
            let names: Vec<&str> = candidates.iter().map(String::as_str).collect();
            let help = match closest(&target.value.to_string(), &names) {
                Some(near) => format!("did you mean `{near}`?"),
                None if names.is_empty() => {
                    format!("no file of {} defines any objective yet", quarter.value)
                }
                None => "align to an objective of the same quarter, as `<team>/<objective-id>`"
                    .to_owned(),
            };
            out.push((
                index,
                Finding::new(
                    codes::UNKNOWN_ALIGNMENT,
                    target.pos,
                    format!(
                        "`aligns_to` names `{}`, which no file of {} defines",
                        target.value, quarter.value
                    ),
                )
                .with_help(help),
            ));
        }
    }
}
