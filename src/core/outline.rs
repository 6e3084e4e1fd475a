//! A file's outline: its objectives, each with its key results, and the stretch of text each one spans. Pure;
//! an editor shows it as the document's symbols.

use crate::core::diagnostic::Pos;
use crate::core::locate::LineIndex;
use crate::core::model::OkrFile;

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: Kind,
    /// The id as written, or `None` when it is missing.
    pub id: Option<String>,
    pub title: Option<String>,
    /// Where its mapping starts.
    pub start: Pos,
    /// Where the id's value is written, if it is.
    pub id_pos: Option<Pos>,
    /// Where it ends (not included): where the next entry at the same level or above starts when that is on
    /// the same line (flow style, `[{id: a}, {id: b}]`), else the end of the line before it, or of the text.
    /// So a key result ends within its objective, and entries at one level never overlap.
    pub end: Pos,
    /// The key results of an objective.
    pub children: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Objective,
    KeyResult,
}

/// The objectives of `file`, whose text `lines` holds, with their key results, in the order written.
pub fn outline(file: &OkrFile, lines: &LineIndex<'_>) -> Vec<Entry> {
    let end = |start: Pos, next: Option<Pos>| end(lines, start, next);
    let objectives = &file.objectives;
    objectives
        .iter()
        .enumerate()
        .map(|(o, objective)| {
            let next = objectives.get(o + 1).map(|n| n.pos);
            let key_results = &objective.key_results;
            let children = key_results
                .iter()
                .enumerate()
                .map(|(k, key_result)| Entry {
                    kind: Kind::KeyResult,
                    id: key_result.id.as_ref().map(|i| i.value.to_string()),
                    title: key_result.title.as_ref().map(|t| t.value.to_string()),
                    start: key_result.pos,
                    id_pos: key_result.id.as_ref().map(|i| i.pos),
                    end: end(
                        key_result.pos,
                        key_results.get(k + 1).map(|n| n.pos).or(next),
                    ),
                    children: Vec::new(),
                })
                .collect();
            Entry {
                kind: Kind::Objective,
                id: objective.id.as_ref().map(|i| i.value.to_string()),
                title: objective.title.as_ref().map(|t| t.value.to_string()),
                start: objective.pos,
                id_pos: objective.id.as_ref().map(|i| i.pos),
                end: end(objective.pos, next),
                children,
            }
        })
        .collect()
}

/// Where an entry starting at `start` ends when the next one starts at `next`.
fn end(lines: &LineIndex<'_>, start: Pos, next: Option<Pos>) -> Pos {
    let end_of_line = |number: u32| {
        let width = lines.line(number).map_or(0, |l| l.chars().count());
        Pos::new(
            number,
            u32::try_from(width).unwrap_or(u32::MAX).saturating_add(1),
        )
    };
    match next {
        Some(next) if next.line <= start.line => next,
        Some(next) => end_of_line(next.line - 1),
        None => end_of_line(u32::try_from(lines.count()).unwrap_or(u32::MAX)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::parse::parse;

    #[test]
    fn objectives_hold_their_key_results_up_to_the_next_objective() {
        let text = "quarter: 2026-Q3\nteam: t\nobjectives:\n  - id: a\n    title: A\n    key_results:\n      \
                    - id: a1\n        title: A1\n      - title: no id\n  - id: b\n    title: B\n    \
                    key_results: []\n";
        let okr = parse("t.yaml", text.as_bytes().to_vec()).okr.unwrap();
        let entries = outline(&okr, &LineIndex::new(text));
        assert_eq!(entries.len(), 2);
        let a = &entries[0];
        assert_eq!(
            (a.id.as_deref(), a.title.as_deref()),
            (Some("a"), Some("A"))
        );
        assert_eq!(
            (a.start, a.id_pos, a.end),
            (Pos::new(4, 5), Some(Pos::new(4, 9)), Pos::new(9, 21))
        );
        assert_eq!(a.children.len(), 2);
        assert_eq!(a.children[0].end, Pos::new(8, 18));
        assert_eq!(a.children[1].id, None);
        assert_eq!(a.children[1].end, Pos::new(9, 21));
        // The last runs to the end of the text: the empty line after the last line break.
        assert_eq!(entries[1].end, Pos::new(13, 1));
    }

    #[test]
    fn flow_style_entries_on_one_line_end_where_the_next_starts_and_hold_their_children() {
        let text = "quarter: 2026-Q3\nteam: t\nobjectives: [{id: a, key_results: [{id: a1}, {id: a2}]}, \
                    {id: b, key_results: [{id: b1}]}]\n";
        let okr = parse("t.yaml", text.as_bytes().to_vec()).okr.unwrap();
        let entries = outline(&okr, &LineIndex::new(text));
        let (a, b) = (&entries[0], &entries[1]);
        assert_eq!((a.start, a.end), (Pos::new(3, 14), b.start));
        assert_eq!(a.children[0].end, a.children[1].start);
        assert_eq!(a.children[1].end, b.start);
        for child in &a.children {
            assert!(
                a.start <= child.start && child.end <= a.end,
                "{child:?} in {a:?}"
            );
        }
        assert_eq!((b.start, b.end), (Pos::new(3, 58), Pos::new(4, 1)));
        assert!(b.children[0].start >= b.start && b.children[0].end <= b.end);
    }
}
