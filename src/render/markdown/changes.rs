//! The changes of a range as a pull request comment shows them (`okr diff` and `okr diff --check`): a tally,
//! the changes of plan and the edits by file and objective, then the check-ins, folded. A reviewer is there
//! for the changes of plan; the check-ins are most of the lines, and they are reports, not decisions. The
//! model is built here and laid out by `changes.md`.

use askama::Template;
use askama::filters::Safe;

use super::{Md, to_string};
use crate::commands::diff::{ComparedChange, Comparison};
use crate::core::change::Change;
use crate::render::changes::{File, files, notes_text, subject};
use crate::render::text::{Format, describe, plural, revision_name};

#[derive(Template)]
#[template(path = "changes.md")]
struct Block<'a> {
    tally: Md,
    hashes: Md,
    edits: Vec<FileBlock<'a>>,
    check_ins: Vec<FileBlock<'a>>,
    check_in_count: usize,
}

struct FileBlock<'a> {
    path: &'a str,
    team: &'a str,
    objectives: Vec<ObjectiveBlock<'a>>,
}

struct ObjectiveBlock<'a> {
    /// None for changes to the file itself.
    id: Option<&'a str>,
    title: Option<&'a str>,
    lines: Vec<Line<'a>>,
}

struct Line<'a> {
    text: Md,
    why: Option<Why<'a>>,
}

/// What is said under a change about its reason.
enum Why<'a> {
    Reason(&'a str),
    /// The reason was shown for this objective already; a change of plan still says one covers it.
    AsAbove,
    /// The change policy asks for a reason and none was given.
    Asked,
    /// A change of plan without a reason that the policy does not ask for.
    Missing,
}

/// The changes block, its file headings at `level` (`###` under `okr diff`'s title).
pub fn block(comparison: &Comparison, level: usize) -> Md {
    let (check_ins, edits): (Vec<&ComparedChange>, Vec<&ComparedChange>) =
        comparison.changes.iter().partition(|c| c.is_check_in());
    let mut said = Said::default();
    let edits = file_blocks(comparison, edits, &mut said);
    let check_in_count = check_ins.len();
    let check_ins = file_blocks(comparison, check_ins, &mut said);
    Safe(to_string(&Block {
        tally: Safe(tally(comparison)),
        hashes: Safe("#".repeat(level)),
        edits,
        check_ins,
        check_in_count,
    }))
}

fn file_blocks<'a>(
    comparison: &'a Comparison,
    changes: Vec<&'a ComparedChange>,
    said: &mut Said<'a>,
) -> Vec<FileBlock<'a>> {
    files(changes)
        .iter()
        .map(|file| file_block(comparison, file, said))
        .collect()
}

/// `**▲ 3 changes of plan** (**⚠ 1 without a reason**) · 12 other changes · 38 check-ins`.
fn tally(comparison: &Comparison) -> String {
    let pivots = comparison.pivots().count();
    let unexplained = comparison.pivots().filter(|c| c.reason.is_none()).count();
    let check_ins = comparison.check_ins().count();
    let others = comparison
        .changes
        .iter()
        .filter(|c| !c.is_pivot() && !c.is_check_in())
        .count();
    let mut parts = vec![if pivots == 0 {
        "no changes of plan".to_owned()
    } else {
        format!(
            "**▲ {}**",
            plural(pivots, "change of plan", "changes of plan")
        )
    }];
    if unexplained > 0 {
        parts[0].push_str(&format!(" (**⚠ {unexplained} without a reason**)"));
    }
    if others > 0 {
        parts.push(plural(others, "other change", "other changes"));
    }
    if check_ins > 0 {
        parts.push(plural(check_ins, "check-in", "check-ins"));
    }
    parts.join(" · ")
}

/// The notes and reasons already shown for each objective (by file and id), so that a commit's reason is
/// written once however many of its changes it covers, in whichever section they are.
#[derive(Default)]
struct Said<'a> {
    texts: Vec<(&'a str, Option<&'a str>, &'a str)>,
}

impl<'a> Said<'a> {
    fn contains(&self, change: &Change, text: &str) -> bool {
        let text = text.trim();
        self.texts.iter().any(|(path, objective, said)| {
            *path == change.path && *objective == change.objective.as_deref() && *said == text
        })
    }

    fn add(&mut self, change: &'a Change, text: &'a str) {
        self.texts
            .push((&change.path, change.objective.as_deref(), text.trim()));
    }
}

/// One file's changes: each objective by id and title, its changes below it.
fn file_block<'a>(
    comparison: &'a Comparison,
    file: &File<'a>,
    said: &mut Said<'a>,
) -> FileBlock<'a> {
    let f = Format::Markdown;
    let first = &file.objectives[0].1[0].change;
    let objectives = file
        .objectives
        .iter()
        .map(|(objective, changes)| {
            let lines = changes
                .iter()
                .map(|compared| {
                    let change = &compared.change;
                    let what = match notes_text(compared) {
                        Some(notes) if said.contains(change, notes) => {
                            "notes set to the reason above".to_owned()
                        }
                        _ => describe(change, f).what,
                    };
                    let mut text = match subject(&comparison.titles, change, f) {
                        Some(subject) => format!("{subject}: {what}"),
                        None => what,
                    };
                    let pivot = compared.is_pivot();
                    if pivot {
                        text = format!("**▲ pivot** {text}");
                    }
                    if let Some(notes) = notes_text(compared) {
                        said.add(change, notes);
                    }
                    let why = match &compared.reason {
                        Some(reason) if said.contains(change, reason) => {
                            pivot.then_some(Why::AsAbove)
                        }
                        Some(reason) => {
                            said.add(change, reason);
                            Some(Why::Reason(reason.trim_end()))
                        }
                        None if compared.requires_reason => Some(Why::Asked),
                        None => pivot.then_some(Why::Missing),
                    };
                    Line {
                        text: Safe(text),
                        why,
                    }
                })
                .collect();
            ObjectiveBlock {
                id: *objective,
                title: objective.and_then(|_| comparison.titles.objective(&changes[0].change)),
                lines,
            }
        })
        .collect();
    FileBlock {
        path: &first.path,
        team: &first.team,
        objectives,
    }
}

#[derive(Template)]
#[template(path = "diff.md")]
struct DiffPage<'a> {
    comparison: &'a Comparison,
    changes: Md,
}

/// `okr diff --format markdown`.
pub fn diff(comparison: &Comparison) -> String {
    let out = to_string(&DiffPage {
        comparison,
        changes: block(comparison, 3),
    });
    if comparison.changes.is_empty() {
        out
    } else {
        crate::render::text::trim_lines(&out)
    }
}
