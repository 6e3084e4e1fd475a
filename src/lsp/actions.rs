//! Code actions: for each finding in the range the editor asks about, its fix as a quick fix — what `okr
//! validate --fix` would make (preferred), or one it leaves to a person (a typo near two fields: the nearest,
//! not preferred) — and, for an objective dropped without a reason, the lines to write the reason in. On an
//! objective without a `type`, a rewrite that writes the one it is read as.
//!
//! For a change of the editor's text that the change policy would refuse ([`reasons`]), "add a reason" writes
//! a `notes:` line to fill in under the changed key result (an easier target) or objective (lowered to
//! aspirational): the notes written in the same change are the reason the policy reads.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use crate::core::diagnostic::{Fix, Severity};
use crate::core::fix;
use crate::core::policy::Rule;
use crate::lsp::diagnostics;
use crate::lsp::history::Histories;
use crate::lsp::position::Lines;
use crate::lsp::reasons;
use crate::lsp::world::{File, Project};

/// The quick fixes for the findings of the file at `path` whose ranges touch `range`. `today`
/// (`YYYY-MM-DD`) dates a `dropped` block the action writes.
pub fn in_range(
    project: &Project,
    path: &str,
    file: &File,
    uri: &Url,
    range: Range,
    today: &str,
    histories: &mut Histories,
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(file.text());
    let mut findings: Vec<_> = project
        .findings(path)
        .into_iter()
        .filter_map(|f| Some((project.workspace.config.severity(f.code)?, f)))
        .collect();
    findings.sort_by(|(_, a), (_, b)| (a.pos, a.code).cmp(&(b.pos, b.code)));
    let mut actions: Vec<CodeActionOrCommand> = findings
        .into_iter()
        .filter_map(|(severity, finding)| {
            let diagnostic = diagnostics::diagnostic(&lines, severity, finding);
            if !touches(diagnostic.range, range) {
                return None;
            }
            let mut fix = finding
                .fix
                .clone()
                .or_else(|| fix::add_reason(file.text(), finding, today))?;
            // Preferred only if `--fix` would make it: an editor may apply a preferred fix unasked.
            if fix.safe && !fix::reads_back(file.text(), path, finding, &fix) {
                fix.safe = false;
            }
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                edit: Some(edit(&lines, uri, &fix)),
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                is_preferred: Some(fix.safe),
                ..CodeAction::default()
            }))
        })
        .collect();
    actions.extend(notes_to_fill_in(project, path, file, uri, range, histories));
    actions.extend(explicit_types(file, &lines, uri, range));
    actions
}

/// "add a reason" for each refused change of the text whose diagnostic touches `range`: a `notes:` line under
/// the item whose notes would explain it. None for a key result or objective removed (no YAML is left to
/// say why in: only the commit message can) nor for an item that has `notes` already: it is those notes,
/// edited, that explain the change, and a second `notes:` would make the file invalid.
fn notes_to_fill_in(
    project: &Project,
    path: &str,
    file: &File,
    uri: &Url,
    range: Range,
    histories: &mut Histories,
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(file.text());
    reasons::of(project, path, file, histories)
        .into_iter()
        .filter(|refusal| matches!(refusal.rule, Rule::KrEasier | Rule::CommittedToAspirational))
        .filter_map(|refusal| {
            let diagnostic = diagnostics::diagnostic(&lines, Severity::Warning, &refusal.finding);
            if !touches(diagnostic.range, range) {
                return None;
            }
            let fix = fix::add_notes(file.text(), refusal.finding.pos)?;
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                edit: Some(edit(&lines, uri, &fix)),
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                // Only a person can say why: an editor must not apply it unasked.
                is_preferred: Some(false),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// On an objective without a `type`, asked for by putting the cursor on it: the type it is read as, written
/// out (what `okr validate --fix --explicit-type` does). A rewrite, not a fix: nothing is wrong.
fn explicit_types(
    file: &File,
    lines: &Lines<'_>,
    uri: &Url,
    range: Range,
) -> Vec<CodeActionOrCommand> {
    let Some(okr) = file.okr() else {
        return Vec::new();
    };
    fix::explicit_types(file.text())
        .into_iter()
        .filter(|(index, _)| {
            okr.objectives.get(*index).is_some_and(|objective| {
                let line = objective.pos.line.saturating_sub(1);
                range.start.line <= line && line <= range.end.line
            })
        })
        .map(|(_, fix)| {
            CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::REFACTOR_REWRITE),
                edit: Some(edit(lines, uri, &fix)),
                ..CodeAction::default()
            })
        })
        .collect()
}

/// The fix's replacements as the protocol's edit of the document `uri`.
fn edit(lines: &Lines<'_>, uri: &Url, fix: &Fix) -> WorkspaceEdit {
    let edits: Vec<TextEdit> = fix
        .edits
        .iter()
        .map(|edit| TextEdit {
            range: Range::new(
                lines.position_of_offset(edit.range.start),
                lines.position_of_offset(edit.range.end),
            ),
            new_text: edit.text.clone(),
        })
        .collect();
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// Whether two ranges share a position; an empty range (the cursor) touches the ranges it is in or at.
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
