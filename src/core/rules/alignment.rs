//! `unknown-alignment`: `aligns_to` must name an objective, or a key result of one, that exists in the same
//! quarter.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::core::diagnostic::Finding;
use crate::core::model::{OkrFile, Quarter};
use crate::core::rules::{codes, quarter_mismatch};
use crate::core::suggest::closest;

/// The unknown alignments of `files`, each with a "did you mean" chosen among the names `suggest_from`
/// defines, which must hold every file of `files`' quarters (`files` itself, when checking them all). Whether
/// a target exists is decided from `files` alone, so they must hold the files of every team they align to.
/// The language server checks only the files around an edit this way, and still suggests what checking the
/// quarter whole would: the quarter's names are gathered only when an alignment is unknown.
pub fn check(
    files: &[(&str, &OkrFile)],
    suggest_from: &[(&str, &OkrFile)],
    out: &mut Vec<(usize, Finding)>,
) {
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
                        .or_insert_with(|| names_of(suggest_from, quarter, of_key_results));
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

/// The names `aligns_to` can give in `quarter` (`team/objective`, or `team/objective/key-result` when
/// `of_key_results`), as the files define them, sorted and each once. A key result with an empty id names its
/// objective, as the set of known targets counts it.
fn names_of(files: &[(&str, &OkrFile)], quarter: Quarter, of_key_results: bool) -> Vec<String> {
    let mut names: BTreeSet<String> = BTreeSet::new();
    for (path, file) in files {
        let Some(team) = &file.team else { continue };
        if quarter_of(path, file) != Some(quarter) {
            continue;
        }
        for objective in &file.objectives {
            let Some(id) = &objective.id else { continue };
            if !of_key_results {
                names.insert(format!("{}/{}", team.value, id.value));
                continue;
            }
            for kr in &objective.key_results {
                match kr.id.as_ref().map(|k| &*k.value) {
                    Some("") | None => {}
                    Some(kr) => {
                        names.insert(format!("{}/{}/{kr}", team.value, id.value));
                    }
                }
            }
        }
    }
    names.into_iter().collect()
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
