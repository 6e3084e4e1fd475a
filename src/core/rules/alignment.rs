//! `unknown-alignment`: `aligns_to` must name an objective, or a key result of one, that exists in the same
//! quarter.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::core::diagnostic::Finding;
use crate::core::model::{OkrFile, Quarter};
use crate::core::rules::{codes, quarter_mismatch};
use crate::core::suggest::closest;

pub fn check(files: &[(&str, &OkrFile)], out: &mut Vec<(usize, Finding)>) {
    // Objectives as (quarter, team, id, ""), key results as (quarter, team, objective, id).
    let mut known: HashSet<(Quarter, &str, &str, &str)> = HashSet::new();
    for (path, file) in files {
        let (Some(quarter), Some(team)) = (quarter_of(path, file), &file.team) else {
            continue;
        };
        for objective in &file.objectives {
            if let Some(id) = &objective.id {
                known.insert((quarter, &team.value, &id.value, ""));
                for kr in &objective.key_results {
                    if let Some(kr_id) = &kr.id {
                        known.insert((quarter, &team.value, &id.value, &kr_id.value));
                    }
                }
            }
        }
    }
    // The names suggestions are chosen among, by quarter and kind (key results or not); the help chosen, by
    // quarter and name aligned to.
    let mut candidates: HashMap<(Quarter, bool), Vec<String>> = HashMap::new();
    let mut helps: HashMap<(Quarter, String), String> = HashMap::new();
    for (index, (path, file)) in files.iter().enumerate() {
        let Some(quarter) = quarter_of(path, file) else {
            continue;
        };
        for objective in &file.objectives {
            let Some(target) = &objective.aligns_to else {
                continue;
            };
            let wanted = (
                quarter,
                target.value.team.as_str(),
                target.value.objective.as_str(),
                target.value.key_result.as_deref().unwrap_or(""),
            );
            if known.contains(&wanted) {
                continue;
            }
            // Suggest what was meant among the same kind: objectives for an objective, key results for one.
            // Once per quarter and name: when thousands of files align to an objective just renamed, choosing
            // among the quarter's objectives for each of them was quadratic.
            let name = target.value.to_string();
            let help = helps
                .entry((quarter, name))
                .or_insert_with_key(|(_, name)| {
                    let of_key_results = target.value.key_result.is_some();
                    let names = candidates
                        .entry((quarter, of_key_results))
                        .or_insert_with(|| {
                            let names: BTreeSet<String> = known
                                .iter()
                                .filter(|(q, _, _, kr)| *q == quarter && kr.is_empty() != of_key_results)
                                .map(|(_, team, id, kr)| match *kr {
                                    "" => format!("{team}/{id}"),
                                    kr => format!("{team}/{id}/{kr}"),
                                })
                                .collect();
                            names.into_iter().collect()
                        });
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    match closest(name, &names) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if names.is_empty() => {
                            format!("no file of {} defines any objective yet", quarter)
                        }
                        None => "align to an objective of the same quarter, as `<team>/<objective-id>`, or to \
                                 one of its key results, as `<team>/<objective-id>/<key-result-id>`"
                            .to_owned(),
                    }
                })
                .clone();
            out.push((
                index,
                Finding::new(
                    codes::UNKNOWN_ALIGNMENT,
                    target.pos,
                    format!(
                        "`aligns_to` names `{}`, which no file of {} defines",
                        target.value, quarter
                    ),
                )
                .with_help(help),
            ));
        }
    }
}

/// The quarter a file's objectives belong to: its folder's, when the folder is named like a quarter. A file whose
/// `quarter` field contradicts its folder is reported by quarter-mismatch already; judging its alignments by the
/// wrong field would bury that one cause under findings against the wrong quarter.
pub(super) fn quarter_of(path: &str, file: &OkrFile) -> Option<Quarter> {
    match quarter_mismatch::folder_quarter(path) {
        Some((_, folder)) => Some(folder),
        None => file.quarter.as_ref().map(|q| q.value),
    }
}
