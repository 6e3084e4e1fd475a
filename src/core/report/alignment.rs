//! The alignment tree: each objective under the one it aligns to, and what cannot be placed — an `aligns_to`
//! naming no objective, or one that was dropped.

use std::collections::BTreeMap;

use super::{
    AlignedToDropped, AlignmentNode, AlignmentTree, ObjectiveRef, ObjectiveReport, Unresolved,
};
use crate::core::model::Status;

fn reference(o: &ObjectiveReport) -> ObjectiveRef {
    ObjectiveRef {
        team: o.team.clone(),
        objective: o.id.clone(),
        title: o.title.clone(),
    }
}

/// The objective an `aligns_to` names, as `team/objective`, and the key result of it, when it names one.
fn parent_of(aligns_to: &str) -> (&str, Option<&str>) {
    match aligns_to.match_indices('/').nth(1) {
        Some((at, _)) => (&aligns_to[..at], Some(&aligns_to[at + 1..])),
        None => (aligns_to, None),
    }
}

/// The parent an objective is placed under: the objective it aligns to, or whose key result it aligns to, when
/// that objective (and key result) is there.
fn placed<'a>(
    o: &'a ObjectiveReport,
    by_key: &BTreeMap<String, &'a ObjectiveReport>,
) -> Option<(&'a str, &'a ObjectiveReport)> {
    let (parent, key_result) = parent_of(o.aligns_to.as_deref()?);
    let p = *by_key.get(parent)?;
    key_result
        .is_none_or(|kr| p.key_results.iter().any(|k| k.id == kr))
        .then_some((parent, p))
}

pub(super) fn alignment<'a>(all: &[&'a ObjectiveReport]) -> AlignmentTree {
    let key = |o: &ObjectiveReport| format!("{}/{}", o.team, o.id);
    let by_key: BTreeMap<String, &'a ObjectiveReport> = all.iter().map(|o| (key(o), *o)).collect();
    let placed = |o: &'a ObjectiveReport| placed(o, &by_key);
    let mut children: BTreeMap<String, Vec<&ObjectiveReport>> = BTreeMap::new();
    let mut unresolved = Vec::new();
    let mut aligned_to_dropped = Vec::new();
    for o in all {
        let Some(aligns_to) = &o.aligns_to else {
            continue;
        };
        match placed(o) {
            Some((parent, p)) => {
                children.entry(parent.to_owned()).or_default().push(o);
                if p.status == Status::Dropped && o.status != Status::Dropped {
                    aligned_to_dropped.push(AlignedToDropped {
                        objective: reference(o),
                        parent: parent.to_owned(),
                    });
                }
            }
            None => unresolved.push(Unresolved {
                objective: reference(o),
                aligns_to: aligns_to.clone(),
            }),
        }
    }
    fn node(
        o: &ObjectiveReport,
        children: &BTreeMap<String, Vec<&ObjectiveReport>>,
        depth: usize,
    ) -> AlignmentNode {
        let key = format!("{}/{}", o.team, o.id);
        AlignmentNode {
            team: o.team.clone(),
            objective: o.id.clone(),
            title: o.title.clone(),
            status: o.status,
            score: o.score,
            via_key_result: o
                .aligns_to
                .as_deref()
                .and_then(|a| parent_of(a).1)
                .map(str::to_owned),
            // Alignments could loop (a → b → a); a tree deeper than the number of teams is such a loop.
            children: if depth > 16 {
                Vec::new()
            } else {
                children.get(&key).map_or_else(Vec::new, |c| {
                    c.iter().map(|x| node(x, children, depth + 1)).collect()
                })
            },
        }
    }
    let has_parent = |o: &&'a ObjectiveReport| placed(o).is_some();
    let roots = all
        .iter()
        .filter(|o| !has_parent(o) && (o.team == "company" || children.contains_key(&key(o))))
        .map(|o| node(o, &children, 0))
        .collect();
    let unaligned = all
        .iter()
        .filter(|o| o.aligns_to.is_none() && o.team != "company" && !children.contains_key(&key(o)))
        .map(|o| reference(o))
        .collect();
    AlignmentTree {
        roots,
        unaligned,
        aligned_to_dropped,
        unresolved,
    }
}
