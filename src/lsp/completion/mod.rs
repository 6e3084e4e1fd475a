//! Completion while a file is typed: the field names valid where the cursor is (not those its mapping has
//! already), the values of an enumerated field, the objectives and key results of the quarter after
//! `aligns_to: `, and an id for a new objective or key result.
//!
//! Where the cursor is comes from the lines around it ([`place`]), not from the parsed model, so completion
//! works in text that does not parse; the other files of the quarter come from the [`World`](super::world)
//! (the editor's text of open files, the disk's of the others).

pub mod place;
pub mod schema;

use lsp_types::{
    CompletionItem, CompletionItemKind, CompletionList, CompletionTextEdit, Documentation,
    MarkupContent, MarkupKind, Position, Range, TextEdit,
};

use crate::core::model::{Quarter, is_slug};
use crate::core::rules;
use crate::lsp::completion::place::{Level, Mapping, Slot, slot_at};
use crate::lsp::position::Lines;
use crate::lsp::world::{File, Project};

/// How many `aligns_to` targets one answer holds at most. A quarter of thousands of teams has tens of
/// thousands; past this many the list says it is incomplete, and the client asks again as more is typed.
pub const MOST_TARGETS: usize = 200;

/// The completions at `position` in the file at `path`. The list is incomplete when it was cut at
/// [`MOST_TARGETS`].
pub fn at(project: &Project, path: &str, file: &File, position: Position) -> CompletionList {
    let (items, is_incomplete) = items_at(project, path, file, position);
    CompletionList {
        is_incomplete,
        items,
    }
}

fn items_at(
    project: &Project,
    path: &str,
    file: &File,
    position: Position,
) -> (Vec<CompletionItem>, bool) {
    let text = file.text();
    let lines = Lines::new(text);
    let index = lines.index();
    let Some((line_start, _)) = index.raw(position.line as usize) else {
        return (Vec::new(), false);
    };
    let offset = lines.offset(position);
    // The analysis sees the text as the parser does: one byte order mark opening it is no column (a second is
    // a character of the line, as `LineIndex::line` counts it; stripping it too would put the cursor's column
    // off by its bytes, inside a character).
    let bom = if position.line == 0 && text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    };
    let texts: Vec<&str> = (0..index.count())
        .filter_map(|i| index.raw(i).map(|(_, line)| line))
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.strip_prefix('\u{feff}').unwrap_or(line)
            } else {
                line
            }
        })
        .collect();
    let at = position.line as usize;
    let column = offset.saturating_sub(line_start).saturating_sub(bom);
    let Some(slot) = slot_at(&texts, at, column) else {
        return (Vec::new(), false);
    };
    // Columns back to the protocol's positions on the client's line (byte order mark included).
    let line_text = texts[at];
    let to_position = |byte: usize| {
        // `get`, so a column that is no character boundary gives the line's start rather than a panic.
        let units: usize = line_text
            .get(..byte.min(line_text.len()))
            .unwrap_or_default()
            .encode_utf16()
            .count();
        let bom_units = usize::from(bom > 0);
        Position::new(
            position.line,
            u32::try_from(units + bom_units).unwrap_or(u32::MAX),
        )
    };
    match slot {
        Slot::Key {
            mapping,
            start,
            end,
        } => {
            // `end`, not `column`: the cursor on a character boundary of the line, which slicing needs.
            let range = Range::new(to_position(start), to_position(end));
            (fields(&mapping, range), false)
        }
        Slot::Value {
            mapping,
            field,
            start,
            cursor,
            end,
        } => {
            let range = Range::new(to_position(start), to_position(end));
            let context = Context {
                project,
                path,
                file,
                texts: &texts,
            };
            if (mapping.level, field.as_str()) == (Level::Objective, "aligns_to") {
                let typed = line_text.get(start..cursor).unwrap_or_default();
                return narrow(alignment_targets(&context, range), typed, MOST_TARGETS);
            }
            (values(&context, &mapping, &field, range), false)
        }
    }
}

/// What value completion may look at besides the cursor's mapping.
struct Context<'a> {
    project: &'a Project,
    path: &'a str,
    file: &'a File,
    texts: &'a [&'a str],
}

fn documentation(markdown: &str) -> Option<Documentation> {
    (!markdown.is_empty()).then(|| {
        Documentation::MarkupContent(MarkupContent {
            kind: MarkupKind::Markdown,
            value: markdown.to_owned(),
        })
    })
}

fn item(label: String, kind: CompletionItemKind, range: Range, insert: String) -> CompletionItem {
    CompletionItem {
        filter_text: Some(label.clone()),
        label,
        kind: Some(kind),
        text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range, insert))),
        ..CompletionItem::default()
    }
}

/// The fields of the mapping's level that it does not have yet.
fn fields(mapping: &Mapping, range: Range) -> Vec<CompletionItem> {
    schema::fields(mapping.level)
        .iter()
        .filter(|field| !mapping.has(field))
        .enumerate()
        .map(|(order, field)| {
            let insert = if schema::is_block(field) {
                format!("{field}:")
            } else {
                format!("{field}: ")
            };
            CompletionItem {
                documentation: schema::description(mapping.level, field).and_then(documentation),
                // The format's order (id, title, … first), not the alphabet's.
                sort_text: Some(format!("{order:02}")),
                ..item(
                    (*field).to_owned(),
                    CompletionItemKind::FIELD,
                    range,
                    insert,
                )
            }
        })
        .collect()
}

fn values(
    context: &Context<'_>,
    mapping: &Mapping,
    field: &str,
    range: Range,
) -> Vec<CompletionItem> {
    let enumerated = schema::values(mapping.level, field);
    if !enumerated.is_empty() {
        return enumerated
            .into_iter()
            .enumerate()
            .map(|(order, (value, meaning))| CompletionItem {
                documentation: documentation(meaning),
                sort_text: Some(format!("{order:02}")),
                ..item(
                    value.to_owned(),
                    CompletionItemKind::ENUM_MEMBER,
                    range,
                    value.to_owned(),
                )
            })
            .collect();
    }
    match (mapping.level, field) {
        (Level::Objective | Level::KeyResult, "id") => next_id(mapping)
            .map(|id| {
                let mut item = item(id.clone(), CompletionItemKind::VALUE, range, id);
                item.detail = Some("a free id".to_owned());
                item
            })
            .into_iter()
            .collect(),
        (Level::File, "quarter") => folder_quarter(context.path)
            .map(|q| {
                let mut item = item(
                    q.to_string(),
                    CompletionItemKind::VALUE,
                    range,
                    q.to_string(),
                );
                item.detail = Some("the quarter of the file's folder".to_owned());
                item
            })
            .into_iter()
            .collect(),
        _ => Vec::new(),
    }
}

/// The quarter of the folder the file is in (`okrs/2026-Q3/platform.yaml` → 2026-Q3), as the
/// `quarter-mismatch` rule reads it.
fn folder_quarter(path: &str) -> Option<Quarter> {
    rules::folder_quarter(path).map(|(_, quarter)| quarter)
}

/// The quarter and team of the file being typed: from its model when it parses, else its folder and its
/// `team:` line.
fn quarter_and_team(context: &Context<'_>) -> Option<(Quarter, Option<String>)> {
    if let Some(okr) = context.file.okr() {
        let quarter = rules::quarter_of(context.path, okr)?;
        return Some((quarter, okr.team.as_ref().map(|t| t.value.to_string())));
    }
    let line_value = |key: &str| {
        context.texts.iter().find_map(|line| {
            let value = line.strip_prefix(key)?.strip_prefix(':')?;
            Some(
                value
                    .split(" #")
                    .next()
                    .unwrap_or_default()
                    .trim()
                    .trim_matches(['"', '\'']),
            )
        })
    };
    let quarter = folder_quarter(context.path).or_else(|| line_value("quarter")?.parse().ok())?;
    Some((quarter, line_value("team").map(str::to_owned)))
}

/// The objectives and key results of the other teams' files of the quarter, as `aligns_to` writes them.
fn alignment_targets(context: &Context<'_>, range: Range) -> Vec<CompletionItem> {
    let Some((quarter, own_team)) = quarter_and_team(context) else {
        return Vec::new();
    };
    let mut items = Vec::new();
    for (path, file) in context.project.quarter_files(quarter) {
        let Some(okr) = file.okr() else {
            continue;
        };
        let Some(team) = okr.team.as_ref().map(|t| &*t.value) else {
            continue;
        };
        if path == context.path
            || own_team.as_deref() == Some(team)
            || rules::quarter_of(path, okr) != Some(quarter)
        {
            continue;
        }
        for objective in &okr.objectives {
            let Some(id) = &objective.id else { continue };
            let label = format!("{team}/{}", id.value);
            let title = |t: &Option<crate::core::model::Spanned<crate::core::model::Text>>| {
                t.as_ref().map(|t| t.value.to_string())
            };
            let mut target = item(
                label.clone(),
                CompletionItemKind::MODULE,
                range,
                label.clone(),
            );
            target.detail = title(&objective.title);
            items.push(target);
            for key_result in &objective.key_results {
                let Some(kr) = &key_result.id else { continue };
                let label = format!("{label}/{}", kr.value);
                let mut target = item(
                    label.clone(),
                    CompletionItemKind::FIELD,
                    range,
                    label.clone(),
                );
                target.detail = title(&key_result.title);
                items.push(target);
            }
        }
    }
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items.dedup_by(|a, b| a.label == b.label);
    items
}

/// The `items` whose label starts with what is `typed` (letter case aside), at most `most` of them, and
/// whether some were cut. Only the prefix is matched: the client filters what it shows further, and asks
/// again when the list was cut.
fn narrow(items: Vec<CompletionItem>, typed: &str, most: usize) -> (Vec<CompletionItem>, bool) {
    let typed = typed.to_lowercase();
    let mut kept: Vec<CompletionItem> = items
        .into_iter()
        .filter(|item| item.label.to_lowercase().starts_with(&typed))
        .take(most.saturating_add(1))
        .collect();
    let cut = kept.len() > most;
    kept.truncate(most);
    (kept, cut)
}

/// An id for a new item, decided from its list: when every other id is a prefix and a number (`kr1`, `kr2`;
/// `o-3`), the next number; else the slug of the item's title when it has one, made unique. `None` when
/// neither tells anything.
pub fn next_id(mapping: &Mapping) -> Option<String> {
    let taken = &mapping.sibling_ids;
    let numbered: Option<Vec<(&str, u64)>> = taken
        .iter()
        .map(|id| {
            let digits = id.len() - id.trim_end_matches(|c: char| c.is_ascii_digit()).len();
            let (prefix, number) = id.split_at(id.len() - digits);
            Some((prefix, number.parse().ok()?))
        })
        .collect();
    if let Some(numbered) = numbered.filter(|n| !n.is_empty())
        && numbered.iter().all(|(prefix, _)| *prefix == numbered[0].0)
    {
        let next = numbered.iter().map(|(_, n)| *n).max()?.checked_add(1)?;
        return Some(format!("{}{next}", numbered[0].0));
    }
    let slug = slug_of(mapping.value("title")?)?;
    let free = |candidate: &String| !taken.contains(candidate);
    std::iter::once(slug.clone())
        .chain((2..).map(|n| format!("{slug}-{n}")))
        .find(free)
}

/// A title as a slug of at most five words (`Make deploys boring` → `make-deploys-boring`).
fn slug_of(title: &str) -> Option<String> {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(5)
        .map(str::to_ascii_lowercase)
        .collect();
    let slug = words.join("-");
    is_slug(&slug).then_some(slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mapping(ids: &[&str], title: Option<&str>) -> Mapping {
        Mapping {
            level: Level::KeyResult,
            fields: title
                .map(|t| ("title".to_owned(), t.to_owned()))
                .into_iter()
                .collect(),
            sibling_ids: ids.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    fn labelled(labels: &[&str]) -> Vec<CompletionItem> {
        labels
            .iter()
            .map(|l| {
                item(
                    (*l).to_owned(),
                    CompletionItemKind::MODULE,
                    Range::default(),
                    (*l).to_owned(),
                )
            })
            .collect()
    }

    fn labels(items: &[CompletionItem]) -> Vec<&str> {
        items.iter().map(|i| i.label.as_str()).collect()
    }

    #[test]
    fn targets_are_narrowed_to_what_is_typed_and_cut_past_the_most() {
        let all = [
            "ads/grow",
            "company/trust",
            "company/trust/nps",
            "Company/growth",
        ];
        let (kept, cut) = narrow(labelled(&all), "company/t", 10);
        assert_eq!(
            (labels(&kept), cut),
            (vec!["company/trust", "company/trust/nps"], false)
        );
        let (kept, cut) = narrow(labelled(&all), "COMPANY/", 10);
        assert_eq!(labels(&kept).len(), 3);
        assert!(!cut);
        let (kept, cut) = narrow(labelled(&all), "", 2);
        assert_eq!(
            (labels(&kept), cut),
            (vec!["ads/grow", "company/trust"], true)
        );
        let (kept, cut) = narrow(labelled(&all), "", 4);
        assert_eq!((kept.len(), cut), (4, false));
    }

    #[test]
    fn numbered_ids_continue_their_numbering() {
        assert_eq!(
            next_id(&mapping(&["kr1", "kr3", "kr2"], None)).as_deref(),
            Some("kr4")
        );
        assert_eq!(
            next_id(&mapping(&["o-9"], Some("Anything"))).as_deref(),
            Some("o-10")
        );
    }

    #[test]
    fn other_ids_give_way_to_the_titles_slug() {
        let taken = mapping(
            &["boring-deploys", "make-deploys-boring"],
            Some("Make deploys boring!"),
        );
        assert_eq!(next_id(&taken).as_deref(), Some("make-deploys-boring-2"));
        assert_eq!(next_id(&mapping(&["a", "b1"], None)), None);
        assert_eq!(next_id(&mapping(&[], Some("東京"))), None);
        assert_eq!(
            next_id(&mapping(
                &[],
                Some("p99 latency under 200 ms for every API")
            ))
            .as_deref(),
            Some("p99-latency-under-200-ms")
        );
    }
}
