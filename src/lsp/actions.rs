//! Code actions: for each finding in the range the editor asks about, its fix as a quick fix — what `okr
//! validate --fix` would make (preferred), or one it leaves to a person (a typo near two fields: the nearest,
//! not preferred) — and, for an objective dropped without a reason, the lines to write the reason in.
//!
//! The change policy of `okr diff --check` needs the git history, which the server does not read, so "add a
//! reason" is offered where the file itself shows the change: a drop without `dropped.reason`.

use std::collections::HashMap;

use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Range, TextEdit, Url, WorkspaceEdit,
};

use crate::core::fix;
use crate::lsp::diagnostics;
use crate::lsp::position::Lines;
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
) -> Vec<CodeActionOrCommand> {
    let lines = Lines::new(file.text());
    let mut findings: Vec<_> = project
        .findings(path)
        .into_iter()
        .filter_map(|f| Some((project.workspace.config.severity(f.code)?, f)))
        .collect();
    findings.sort_by(|(_, a), (_, b)| (a.pos, a.code).cmp(&(b.pos, b.code)));
    findings
        .into_iter()
        .filter_map(|(severity, finding)| {
            let diagnostic = diagnostics::diagnostic(&lines, severity, finding);
            if !touches(diagnostic.range, range) {
                return None;
            }
            let fix = finding
                .fix
                .clone()
                .or_else(|| fix::add_reason(file.text(), finding, today))?;
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
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![diagnostic]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), edits)])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(fix.safe),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// Whether two ranges share a position; an empty range (the cursor) touches the ranges it is in or at.
fn touches(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}
