//! The walk of a folder's history put in reading order: which commits changed the folder, when each really
//! happened (dates never go back along history), and the order their changes are read in, so that the
//! changes up to any mainline commit add up to that commit. The `git` module reads the commits; this
//! module only orders what it read.

use gix::ObjectId;

/// How to walk a folder's history.
#[derive(Debug, Clone, Default)]
pub struct WalkOptions {
    /// Follow only first parents: the mainline view.
    pub first_parent: bool,
    /// Leave out the commits reachable from this one (`hidden..tip`).
    pub hidden: Option<ObjectId>,
}

/// The commits that changed a folder, in the order their changes are to be read: each after its parents, and a
/// branch's commits together, just before the merge that brought them in (as `git log --topo-order` shows
/// them, oldest first). Read in this order, the changes of the commits up to any commit of the mainline (the
/// first-parent line from the tip) add up to the folder as it is in that commit.
#[derive(Debug, Clone, Default)]
pub struct Walk {
    pub commits: Vec<Listed>,
}

/// A commit that changed the folder being followed.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: ObjectId,
    /// The folder's tree in this commit, if it has the folder.
    pub folder: Option<ObjectId>,
    /// The parents it is compared with, each with the folder's tree there.
    pub parents: Vec<(ObjectId, Option<ObjectId>)>,
    /// For each compared parent, the nearest listed commit at or below it (an index into the walk's commits),
    /// if there is one in the walk.
    pub listed_parents: Vec<Option<usize>>,
    /// On the first-parent line from the tip.
    pub mainline: bool,
    /// Committer time, seconds since the epoch.
    pub time: i64,
    /// The committer time, or a parent's effective time when that is later: dates along history never go
    /// back, whatever a commit claims.
    pub effective: i64,
    /// When its changes reached the mainline — the first-parent line from the tip, as the commits are, not as
    /// the walk simplified them: the effective time of the oldest commit of that line that has it (its own,
    /// for a commit of the line).
    pub landed: i64,
}

/// A listed commit before the walk's order is known.
pub(crate) struct Found {
    pub(crate) id: ObjectId,
    pub(crate) folder: Option<ObjectId>,
    pub(crate) parents: Vec<(ObjectId, Option<ObjectId>)>,
}

/// What the walk learned about one commit.
#[derive(Debug, Clone)]
pub(crate) struct Visit {
    /// Committer time, seconds.
    pub(crate) time: i64,
    /// Never earlier than any parent's: see [`effective_times`].
    pub(crate) effective: i64,
    /// When it reached the first-parent line from the tip: see [`landing_times`].
    pub(crate) landed: i64,
    pub(crate) parents: Vec<ObjectId>,
    pub(crate) folder: Option<ObjectId>,
    /// Already put in the queue (the tip is queued as it is visited).
    pub(crate) queued: bool,
}

/// Sets each commit's effective time: the latest of its own committer time and its parents' effective times
/// (parents not visited count with their own time). Parents before children, without recursion: a history can
/// be a hundred thousand commits deep.
pub(crate) fn effective_times(
    seen: &mut gix::hashtable::HashMap<ObjectId, Visit>,
    first_parent: bool,
) {
    let ids: Vec<ObjectId> = seen.keys().copied().collect();
    let mut done: gix::hashtable::HashSet<ObjectId> = Default::default();
    let mut stack: Vec<(ObjectId, bool)> = Vec::new();
    for id in ids {
        if done.contains(&id) {
            continue;
        }
        stack.push((id, false));
        while let Some((current, parents_done)) = stack.pop() {
            if done.contains(&current) {
                continue;
            }
            let parents = {
                let visit = &seen[&current];
                if first_parent {
                    &visit.parents[..visit.parents.len().min(1)]
                } else {
                    &visit.parents[..]
                }
            };
            if !parents_done {
                stack.push((current, true));
                for parent in parents {
                    if seen.contains_key(parent) && !done.contains(parent) {
                        stack.push((*parent, false));
                    }
                }
                continue;
            }
            let latest_parent = parents
                .iter()
                .filter_map(|p| seen.get(p).map(|v| v.effective))
                .max();
            if let Some(visit) = seen.get_mut(&current) {
                visit.effective = latest_parent.map_or(visit.time, |p| p.max(visit.time));
            }
            done.insert(current);
        }
    }
}

/// Sets when each commit reached the first-parent line from `tip`: the effective time of the oldest commit of
/// that line it is an ancestor of. Each commit is reached once, from the oldest line commit first.
pub(crate) fn landing_times(
    seen: &mut gix::hashtable::HashMap<ObjectId, Visit>,
    tip: ObjectId,
    first_parent: bool,
) {
    let mut line = Vec::new();
    let mut current = Some(tip);
    let mut on_line: gix::hashtable::HashSet<ObjectId> = Default::default();
    while let Some(id) = current {
        let Some(visit) = seen.get(&id) else { break };
        if !on_line.insert(id) {
            break;
        }
        line.push(id);
        current = visit.parents.first().copied();
    }
    let mut landed: gix::hashtable::HashMap<ObjectId, i64> = Default::default();
    let mut pending = Vec::new();
    for &head in line.iter().rev() {
        let at = seen[&head].effective;
        pending.push(head);
        while let Some(id) = pending.pop() {
            if landed.contains_key(&id) {
                continue;
            }
            landed.insert(id, at);
            let Some(visit) = seen.get(&id) else { continue };
            let parents = if first_parent {
                &visit.parents[..visit.parents.len().min(1)]
            } else {
                &visit.parents[..]
            };
            pending.extend(
                parents
                    .iter()
                    .filter(|p| seen.contains_key(*p) && !landed.contains_key(*p)),
            );
        }
    }
    for (id, visit) in seen.iter_mut() {
        visit.landed = landed.get(id).copied().unwrap_or(visit.effective);
    }
}

/// Puts the listed commits in reading order ([`Walk`]): a depth-first walk from the tip over the listed
/// commits, where each compared parent stands for the nearest listed commit below it, first parents first,
/// each commit after all of its parents.
pub(crate) fn order_for_reading(
    found: Vec<Found>,
    through: &gix::hashtable::HashMap<ObjectId, Option<ObjectId>>,
    seen: &gix::hashtable::HashMap<ObjectId, Visit>,
    tip: ObjectId,
) -> Walk {
    let index: gix::hashtable::HashMap<ObjectId, usize> =
        found.iter().enumerate().map(|(n, f)| (f.id, n)).collect();
    // The listed commit a commit stands for: itself, or the first listed one down the followed parents.
    let listed_at = |start: ObjectId| -> Option<usize> {
        let mut current = start;
        // Each step goes to a parent, so the chain ends; the bound only guards against a cycle of bad data.
        for _ in 0..=through.len() {
            if let Some(n) = index.get(&current) {
                return Some(*n);
            }
            current = (*through.get(&current)?)?;
        }
        None
    };
    let parents: Vec<Vec<Option<usize>>> = found
        .iter()
        .map(|f| f.parents.iter().map(|(p, _)| listed_at(*p)).collect())
        .collect();
    let mut position: Vec<Option<usize>> = vec![None; found.len()];
    let mut mainline = vec![false; found.len()];
    let mut emitted: Vec<usize> = Vec::with_capacity(found.len());
    if let Some(start) = listed_at(tip) {
        let mut line = Some(start);
        while let Some(n) = line {
            if mainline[n] {
                break;
            }
            mainline[n] = true;
            line = parents[n].first().copied().flatten();
        }
        let mut visited = vec![false; found.len()];
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        visited[start] = true;
        while let Some((n, next)) = stack.pop() {
            if let Some(parent) = parents[n].get(next) {
                stack.push((n, next + 1));
                if let Some(p) = *parent
                    && !visited[p]
                {
                    visited[p] = true;
                    stack.push((p, 0));
                }
                continue;
            }
            position[n] = Some(emitted.len());
            emitted.push(n);
        }
    }
    let effective_of = |id: &ObjectId| seen.get(id).map_or(0, |v| v.effective);
    let time_of = |id: &ObjectId| seen.get(id).map_or(0, |v| v.time);
    let landed_of = |id: &ObjectId| seen.get(id).map_or(0, |v| v.landed.max(v.effective));
    let mut slots: Vec<Option<Found>> = found.into_iter().map(Some).collect();
    let commits = emitted
        .iter()
        .map(|&n| {
            let f = slots[n].take().expect("each listed commit is emitted once");
            Listed {
                listed_parents: parents[n]
                    .iter()
                    .map(|p| p.and_then(|p| position[p]))
                    .collect(),
                mainline: mainline[n],
                time: time_of(&f.id),
                effective: effective_of(&f.id),
                landed: landed_of(&f.id),
                id: f.id,
                folder: f.folder,
                parents: f.parents,
            }
        })
        .collect();
    Walk { commits }
}
