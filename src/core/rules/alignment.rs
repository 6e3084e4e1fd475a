//! `unknown-alignment`: `aligns_to` must name an objective, or a key result of one, that exists in the same
//! quarter.

use std::collections::{HashMap, HashSet};

use crate::core::diagnostic::Finding;
use crate::core::model::{OkrFile, Quarter};
use crate::core::rules::targets::Targets;
use crate::core::rules::{codes, quarter_mismatch};
use crate::core::suggest::closest;

/// Thousands of names are hashed when many files are checked at once; they come from the repository, and
/// foldhash is several times quicker than SipHash on short strings.
type Hasher = foldhash::fast::RandomState;

/// Where an unknown alignment's "did you mean" is chosen from: every name of its quarter.
#[derive(Clone, Copy)]
pub enum Suggestions<'a> {
    /// The names these files define, gathered for a quarter when one of its alignments is unknown; they must
    /// hold every file of the quarters checked.
    Among(&'a [(&'a str, &'a OkrFile)]),
    /// The names kept by whoever checks (the language server, between edits), which must be those of every
    /// file of the quarters checked.
    Kept(&'a Targets),
}

/// The unknown alignments of `files`, each with a "did you mean" chosen among the names `suggest_from` gives.
/// Whether a target exists is decided from `files` alone, so they must hold the files of every team they align
/// to. The language server checks only the files around an edit this way, and still suggests what checking the
/// quarter whole would.
pub fn check(
    files: &[(&str, &OkrFile)],
    suggest_from: Suggestions<'_>,
    out: &mut Vec<(usize, Finding)>,
) {
    // Only the teams aligned to can be targets: when thousands of files are checked because they align to one
    // team, hashing every name of theirs was most of the time an edit of that team took.
    let aligned: HashSet<(Quarter, &str), Hasher> = files
        .iter()
        .filter_map(|(path, file)| Some((quarter_of(path, file)?, *file)))
        .flat_map(|(quarter, file)| {
            file.objectives
                .iter()
                .filter_map(move |o| Some((quarter, o.aligns_to.as_ref()?.value.team.as_str())))
        })
        .collect();
    // Objectives as (quarter, team, id, ""), key results as (quarter, team, objective, id).
    let mut known: HashSet<(Quarter, &str, &str, &str), Hasher> = HashSet::default();
    for (path, file) in files {
        let (Some(quarter), Some(team)) = (quarter_of(path, file), &file.team) else {
            continue;
        };
        if !aligned.contains(&(quarter, &*team.value)) {
            continue;
        }
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
    // The names gathered from `Suggestions::Among`, a quarter at a time; the help chosen, by quarter and name
    // aligned to.
    let mut gathered = Targets::default();
    let mut gathered_quarters: HashSet<Quarter> = HashSet::new();
    let mut helps: HashMap<(Quarter, bool), HashMap<String, String, Hasher>> = HashMap::new();
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
            let of_key_results = target.value.key_result.is_some();
            let helps = helps.entry((quarter, of_key_results)).or_default();
            let help = match helps.get(&name) {
                Some(help) => help.clone(),
                None => {
                    let names = match suggest_from {
                        Suggestions::Kept(targets) => targets.names(quarter, of_key_results),
                        Suggestions::Among(every) => {
                            if gathered_quarters.insert(quarter) {
                                let of_quarter = every
                                    .iter()
                                    .filter(|(p, f)| quarter_of(p, f) == Some(quarter));
                                for (path, file) in of_quarter {
                                    gathered.add(path, file);
                                }
                            }
                            gathered.names(quarter, of_key_results)
                        }
                    };
                    let help = match closest(&name, &names) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None if names.is_empty() => {
                            format!("no file of {} defines any objective yet", quarter)
                        }
                        None => "align to an objective of the same quarter, as `<team>/<objective-id>`, or to \
                                 one of its key results, as `<team>/<objective-id>/<key-result-id>`"
                            .to_owned(),
                    };
                    helps.insert(name.clone(), help.clone());
                    help
                }
            };
            out.push((
                index,
                Finding::new(
                    codes::UNKNOWN_ALIGNMENT,
                    target.pos,
                    format!("`aligns_to` names `{name}`, which no file of {quarter} defines"),
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
