//! A file's outline: its objectives, each with its key results, and the lines each one spans. Pure; an editor
//! shows it as the document's symbols.

use crate::core::diagnostic::Pos;
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
    /// Where the next entry at the same level or above starts; `None` when it runs to the end of the file.
    pub next: Option<Pos>,
    /// The key results of an objective.
    pub children: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Objective,
    KeyResult,
}

/// The objectives of `file` with their key results, in the order written.
pub fn outline(file: &OkrFile) -> Vec<Entry> {
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
                    next: key_results.get(k + 1).map(|n| n.pos).or(next),
                    children: Vec::new(),
                })
                .collect();
            Entry {
                kind: Kind::Objective,
                id: objective.id.as_ref().map(|i| i.value.to_string()),
                title: objective.title.as_ref().map(|t| t.value.to_string()),
                start: objective.pos,
                id_pos: objective.id.as_ref().map(|i| i.pos),
                next,
                children,
            }
        })
        .collect()
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
        let entries = outline(&okr);
        assert_eq!(entries.len(), 2);
        let a = &entries[0];
        assert_eq!(
            (a.id.as_deref(), a.title.as_deref()),
            (Some("a"), Some("A"))
        );
        assert_eq!(
            (a.start, a.id_pos, a.next),
            (Pos::new(4, 5), Some(Pos::new(4, 9)), Some(Pos::new(10, 5)))
        );
        assert_eq!(a.children.len(), 2);
        assert_eq!(a.children[0].next, Some(Pos::new(9, 9)));
        assert_eq!(a.children[1].id, None);
        assert_eq!(a.children[1].next, Some(Pos::new(10, 5)));
        assert_eq!(entries[1].next, None);
    }
}
