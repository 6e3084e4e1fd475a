//! Pairing the items of two revisions: by id, else by how alike their titles are or how many key results
//! they share, so an item whose id was edited with its title is one item reworded, not one removed and one
//! added.

use similar::{ChangeTag, TextDiff};

use super::{HashSet, REWORD_SIMILARITY, SHARED_KEY_RESULTS, kr_id};
use crate::core::change::{WordEdit, WordOp};
use crate::core::model::Objective;

/// Which old item each new item is paired with, and which old items found a partner.
pub(super) struct Pairing {
    /// For each new item, the index of its old partner.
    pub(super) old_of: Vec<Option<usize>>,
    /// For each old item, whether it has a partner.
    pub(super) matched_old: Vec<bool>,
}

/// Pairs items of two lists: by id first, then unmatched ones whose `score` reaches its threshold, best first.
/// Items left unpaired were removed (old) or added (new).
pub(super) fn match_items<T>(
    old: &[T],
    new: &[T],
    id: impl Fn(&T) -> Option<&str>,
    score: impl Fn(&T, &T) -> Option<f32>,
    same_title: impl Fn(&T, &T) -> bool,
) -> Pairing {
    let mut old_of: Vec<Option<usize>> = vec![None; new.len()];
    let mut matched_old = vec![false; old.len()];
    for (j, n) in new.iter().enumerate() {
        let Some(n_id) = id(n) else { continue };
        // With a repeated id (an invalid file, but history has them), each pairs with the next unused one.
        if let Some(i) = (0..old.len()).find(|i| !matched_old[*i] && id(&old[*i]) == Some(n_id)) {
            old_of[j] = Some(i);
            matched_old[i] = true;
        }
    }
    // Scoring is for what ids left unpaired: usually nothing, when only values changed.
    if matched_old.contains(&false) && old_of.contains(&None) {
        let mut candidates = Vec::new();
        for (i, o) in old.iter().enumerate().filter(|(i, _)| !matched_old[*i]) {
            for (j, n) in new.iter().enumerate().filter(|(j, _)| old_of[*j].is_none()) {
                if let Some(s) = score(o, n) {
                    candidates.push((s, i, j));
                }
            }
        }
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        for (_, i, j) in candidates {
            if !matched_old[i] && old_of[j].is_none() {
                matched_old[i] = true;
                old_of[j] = Some(i);
            }
        }
    }
    // Items without a readable id and with the same title (or none) are paired in order: without an id
    // nothing better is known, and an unchanged revision must compare equal to itself.
    for (i, o) in old.iter().enumerate() {
        if id(o).is_some() || matched_old[i] {
            continue;
        }
        let partner = (0..new.len())
            .find(|j| old_of[*j].is_none() && id(&new[*j]).is_none() && same_title(o, &new[*j]));
        if let Some(j) = partner {
            matched_old[i] = true;
            old_of[j] = Some(i);
        }
    }
    Pairing {
        old_of,
        matched_old,
    }
}

/// How alike two titles are, 0..1.
pub fn similarity(old: &str, new: &str) -> f32 {
    TextDiff::from_chars(old, new).ratio()
}

pub(super) fn title_score(old: Option<&str>, new: Option<&str>) -> Option<f32> {
    let s = similarity(old?, new?);
    (s >= REWORD_SIMILARITY).then_some(s)
}

pub(super) fn shared_key_results(old: &Objective, new: &Objective) -> Option<f32> {
    let a: HashSet<&str> = old.key_results.iter().filter_map(kr_id).collect();
    let b: HashSet<&str> = new.key_results.iter().filter_map(kr_id).collect();
    if a.is_empty() || b.is_empty() {
        return None;
    }
    let share = a.intersection(&b).count() as f32 / a.union(&b).count() as f32;
    (share >= SHARED_KEY_RESULTS).then_some(share)
}

/// The word-level change from one text to another.
pub fn word_edits(old: &str, new: &str) -> Vec<WordEdit> {
    let diff = TextDiff::from_words(old, new);
    let mut edits: Vec<WordEdit> = Vec::new();
    for change in diff.iter_all_changes() {
        let op = match change.tag() {
            ChangeTag::Equal => WordOp::Equal,
            ChangeTag::Delete => WordOp::Delete,
            ChangeTag::Insert => WordOp::Insert,
        };
        match edits.last_mut() {
            Some(last) if last.op == op => last.text.push_str(change.value()),
            _ => edits.push(WordEdit {
                op,
                text: change.value().to_owned(),
            }),
        }
    }
    edits
}
