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

pub(super) fn alignment(all: &[&ObjectiveReport]) -> AlignmentTree {
    let key = |o: &ObjectiveReport| format!("{}/{}", o.team, o.id);
    let by_key: BTreeMap<String, &ObjectiveReport> = all.iter().map(|o| (key(o), *o)).collect();
    let mut children: BTreeMap<String, Vec<&ObjectiveReport>> = BTreeMap::new();
    let mut unresolved = Vec::new();
    let mut aligned_to_dropped = Vec::new();
    for o in all {
        let Some(parent) = &o.aligns_to else { continue };
        match by_key.get(parent) {
            Some(p) => {
                children.entry(parent.clone()).or_default().push(o);
                if p.status == Status::Dropped && o.status != Status::Dropped {
                    aligned_to_dropped.push(AlignedToDropped {
                        objective: reference(o),
                        parent: parent.clone(),
                    });
                }
            }
            None => unresolved.push(Unresolved {
                objective: reference(o),
                aligns_to: parent.clone(),
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
    let has_parent =
        |o: &ObjectiveReport| o.aligns_to.as_ref().is_some_and(|p| by_key.contains_key(p));
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
