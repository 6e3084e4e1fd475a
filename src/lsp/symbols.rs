//! The outline of a file (its objectives, each with its key results) and the objectives and key results of
//! every file, for an editor's symbol search.

use lsp_types::{DocumentSymbol, Location, Range, SymbolInformation, SymbolKind};

use crate::core::locate::token_at;
use crate::core::outline::{Entry, Kind, outline};
use crate::core::rules;
use crate::lsp::position::Lines;
use crate::lsp::world::{File, World};

/// At most this many answers to one symbol search; a longer query narrows it.
const MAX_WORKSPACE_SYMBOLS: usize = 500;

/// The file's objectives, each with its key results as children.
pub fn document(file: &File) -> Vec<DocumentSymbol> {
    let Some(okr) = file.okr() else {
        return Vec::new();
    };
    let lines = Lines::new(file.text());
    outline(okr, lines.index())
        .iter()
        .map(|entry| symbol(&lines, entry))
        .collect()
}

#[allow(deprecated)] // `deprecated` is a field the type still has; `tags` replaced it.
fn symbol(lines: &Lines<'_>, entry: &Entry) -> DocumentSymbol {
    let selection = selection(lines, entry);
    let range = Range::new(lines.position(entry.start), lines.position(entry.end));
    DocumentSymbol {
        name: name(entry),
        detail: entry.title.clone().filter(|_| entry.id.is_some()),
        kind: kind(entry.kind),
        tags: None,
        deprecated: None,
        // The range must hold the selection; a file laid out oddly could put them apart.
        range: Range::new(
            range.start.min(selection.start),
            range.end.max(selection.end),
        ),
        selection_range: selection,
        children: (!entry.children.is_empty()).then(|| {
            entry
                .children
                .iter()
                .map(|child| symbol(lines, child))
                .collect()
        }),
    }
}

fn name(entry: &Entry) -> String {
    entry
        .id
        .clone()
        .or_else(|| entry.title.clone())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "(no id)".to_owned())
}

fn kind(kind: Kind) -> SymbolKind {
    match kind {
        Kind::Objective => SymbolKind::CLASS,
        Kind::KeyResult => SymbolKind::FIELD,
    }
}

/// The id's value, or where the entry starts when it has none.
fn selection(lines: &Lines<'_>, entry: &Entry) -> Range {
    let span = token_at(lines.index(), entry.id_pos.unwrap_or(entry.start));
    Range::new(lines.position(span.start), lines.position(span.end))
}

/// The objectives and key results of every workspace whose id, title, team or quarter holds `query` (case
/// aside), as `team/objective` and `team/objective/key-result`.
#[allow(deprecated)]
pub fn workspace(world: &World, query: &str) -> Vec<SymbolInformation> {
    let query = query.to_lowercase();
    let mut found = Vec::new();
    for project in &world.projects {
        for (path, file) in project.files() {
            let Some(okr) = file.okr() else { continue };
            let team = okr.team.as_ref().map_or("", |t| &t.value);
            let quarter = rules::quarter_of(path, okr).map(|q| q.to_string());
            let Some(uri) = project.uri(path) else {
                continue;
            };
            let lines = Lines::new(file.text());
            for entry in outline(okr, lines.index()) {
                let objective = entry.id.clone().unwrap_or_default();
                let entries = std::iter::once((format!("{team}/{objective}"), &entry)).chain(
                    entry.children.iter().map(|kr| {
                        let id = kr.id.clone().unwrap_or_default();
                        (format!("{team}/{objective}/{id}"), kr)
                    }),
                );
                for (name, entry) in entries {
                    let title = entry.title.clone().unwrap_or_default();
                    let haystack =
                        format!("{name} {title} {}", quarter.as_deref().unwrap_or_default())
                            .to_lowercase();
                    if !haystack.contains(&query) {
                        continue;
                    }
                    if found.len() == MAX_WORKSPACE_SYMBOLS {
                        return found;
                    }
                    found.push(SymbolInformation {
                        name,
                        kind: kind(entry.kind),
                        tags: None,
                        deprecated: None,
                        location: Location::new(uri.clone(), selection(&lines, entry)),
                        container_name: Some(match &quarter {
                            Some(q) => format!("{q} · {title}"),
                            None => title,
                        }),
                    });
                }
            }
        }
    }
    found
}
