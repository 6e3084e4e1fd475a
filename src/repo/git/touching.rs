//! Which commits touched the OKR folder: git's history simplification, read once per commit, with the walk
//! cache remembering the answer for the commits it has seen.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use anyhow::{Context, Result};
use gix::ObjectId;
use gix::commitgraph::Position as GraphPosition;
use rayon::prelude::*;

use super::*;
use crate::repo::cache_config::CacheKey;

impl Git {
    /// The commits `git log -- <relative>` lists from `tip` (with `options.hidden`, only those not reachable
    /// from it, like `git log hidden..tip -- <relative>`), each with the folder's tree there and in the
    /// parents it is compared with, in the order their changes are to be read: see [`Walk`].
    ///
    /// Like git's default history simplification: a commit is listed when the folder differs from its parent;
    /// a merge whose folder equals one parent's is not listed and only that parent is followed, so a change
    /// made on a branch is listed once, at the branch commit, never again at the merge. With `first_parent`
    /// only first parents are followed (the mainline view) and a merge is compared with its first parent.
    /// Each commit is decoded once.
    pub fn commits_touching(
        &self,
        tip: ObjectId,
        relative: &str,
        options: &WalkOptions,
    ) -> Result<Walk> {
        let path = self.tree_path(relative);
        let first_parent = options.first_parent;
        // With a hidden commit, the walk stays inside the range; the parents just outside it are read for
        // their folder (what the range's first commits are compared with) and their dates, never followed.
        let range: Option<gix::hashtable::HashSet<ObjectId>> = match options.hidden {
            Some(hidden) => Some(self.range(hidden, tip)?.into_iter().collect()),
            None => None,
        };
        if range.as_ref().is_some_and(|r| !r.contains(&tip)) {
            return Ok(Walk {
                commits: Vec::new(),
            });
        }
        let inside = |id: &ObjectId| range.as_ref().is_none_or(|r| r.contains(id));
        let mut seen = self.visits_from(tip, &path, first_parent, range.as_ref())?;
        effective_times(&mut seen, first_parent);
        landing_times(&mut seen, tip, first_parent);
        let mut queue: BinaryHeap<(i64, Reverse<u64>, ObjectId)> = BinaryHeap::new();
        let mut order = 0u64;
        if !seen.contains_key(&tip) {
            let visit = self.visit(tip, &path)?;
            seen.insert(tip, visit);
        }
        if let Some(first) = seen.get_mut(&tip) {
            first.queued = true;
            queue.push((first.effective, Reverse(order), tip));
        }
        let mut listed: Vec<Found> = Vec::new();
        // A commit that is not listed stands for the one parent the walk followed through it (if any).
        let mut through: gix::hashtable::HashMap<ObjectId, Option<ObjectId>> = Default::default();
        while let Some((_, _, id)) = queue.pop() {
            // A commit leaves the queue once: its parents are needed only now.
            let visit = seen.get_mut(&id).expect("queued commits were visited");
            let (parents, folder) = (std::mem::take(&mut visit.parents), visit.folder);
            let needed = if first_parent {
                &parents[..parents.len().min(1)]
            } else {
                &parents[..]
            };
            for parent in needed {
                if !seen.contains_key(parent) {
                    let parent_visit = self.visit(*parent, &path)?;
                    seen.insert(*parent, parent_visit);
                }
            }
            let folder_of = |commit: &ObjectId| seen.get(commit).and_then(|v| v.folder);
            let compared: &[ObjectId] = match parents.as_slice() {
                [] => &[],
                [_, ..] if first_parent || parents.len() == 1 => &parents[..1],
                all => match all.iter().position(|p| folder_of(p) == folder) {
                    Some(same) => &all[same..=same],
                    None => all,
                },
            };
            let changed = match compared {
                [] => folder.is_some(),
                [only] => folder_of(only) != folder,
                // A merge reaches here only when it differs from every parent.
                _ => true,
            };
            if changed {
                listed.push(Found {
                    id,
                    folder,
                    parents: compared.iter().map(|p| (*p, folder_of(p))).collect(),
                });
            } else {
                through.insert(id, compared.first().copied().filter(|p| inside(p)));
            }
            for &parent in compared {
                if !inside(&parent) || seen[&parent].queued {
                    continue;
                }
                let time = seen[&parent].effective;
                if let Some(v) = seen.get_mut(&parent) {
                    v.queued = true;
                }
                order += 1;
                queue.push((time, Reverse(order), parent));
            }
        }
        Ok(order_for_reading(listed, &through, &seen, tip))
    }

    /// Reads, on every core, the commits a walk from `tip` meets (along first parents only, with
    /// `first_parent`): their time, parents and the tree at `path`. Finding the tree at `path` means reading
    /// two or more trees per commit, most of a walk's cost, and each commit's is independent of the others'.
    fn visits_from(
        &self,
        tip: ObjectId,
        path: &str,
        first_parent: bool,
        range: Option<&gix::hashtable::HashSet<ObjectId>>,
    ) -> Result<gix::hashtable::HashMap<ObjectId, Visit>> {
        // Sized for the whole commit-graph when there is one: a walk usually meets most of it, and growing
        // the set rehashes every commit met so far.
        let expected = self.graph.as_ref().map_or(0, |g| g.num_commits() as usize);
        let mut commits: Vec<(ObjectId, i64, Vec<ObjectId>, ObjectId)> =
            Vec::with_capacity(expected);
        let mut reached =
            gix::hashtable::HashSet::with_capacity_and_hasher(expected, Default::default());
        reached.insert(tip);
        // Each commit with its place in the commit-graph when known: a parent's place comes with its child,
        // so only the tip is searched for.
        let mut pending = vec![(tip, None)];
        let mut places = Vec::new();
        while let Some((id, place)) = pending.pop() {
            let (time, parents, tree) = self.commit_for_walk_at(id, place, &mut places)?;
            // A commit just outside the range is read, but the walk does not go past it.
            let followed = if range.is_some_and(|r| !r.contains(&id)) {
                &parents[..0]
            } else if first_parent {
                &parents[..parents.len().min(1)]
            } else {
                &parents[..]
            };
            for (n, parent) in followed.iter().enumerate() {
                if reached.insert(*parent) {
                    pending.push((*parent, places.get(n).copied()));
                }
            }
            commits.push((id, time, parents, tree));
        }
        // Newest first, one contiguous run per core: git packs older trees as deltas of newer ones, so each
        // tree read is then one delta away from the last (in that handle's pack cache).
        commits.sort_by_key(|c| Reverse(c.1));
        // A range is a small part of the history: its walk is neither helped by the cache nor worth keeping.
        let cache = if range.is_none() {
            self.walk_cache(path)
        } else {
            None
        };
        let cached: Vec<Option<Option<ObjectId>>> = commits
            .iter()
            .map(|(id, ..)| cache.as_ref().and_then(|c| c.get(id)))
            .collect();
        let unknown: Vec<(ObjectId, ObjectId)> = commits
            .iter()
            .zip(&cached)
            .filter(|(_, known)| known.is_none())
            .map(|((id, _, _, tree), _)| (*id, *tree))
            .collect();
        // Runs of commits cost about the same: one reader per core.
        let mut readers = self.readers(1);
        let parts = components(path);
        let per_run = unknown.len().div_ceil(readers.len()).max(1);
        let found: Vec<Vec<AtPath>> = unknown
            .par_chunks(per_run)
            .zip(readers.par_iter_mut())
            .map(|(run, reader)| {
                run.iter()
                    .map(|(id, tree)| at_path(&reader.repo, *id, *tree, &parts))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?;
        // A refused path (a link out of the repository, a submodule) is not cached: read again each run, it
        // gives its note each run, warm or cold.
        let mut found = found.into_iter().flatten().map(|found| {
            (
                matches!(found, AtPath::Refused(_)),
                self.entry_noting(found),
            )
        });
        let folders: Vec<(bool, Option<ObjectId>)> = cached
            .into_iter()
            .map(|known| match known {
                Some(folder) => (false, folder),
                None => found
                    .next()
                    .expect("a folder was found for every unknown commit"),
            })
            .collect();
        if let Some(cache) = &cache
            && !unknown.is_empty()
        {
            let entries: Vec<(ObjectId, Option<ObjectId>)> = commits
                .iter()
                .zip(&folders)
                .filter(|(_, (refused, _))| !refused)
                .map(|((id, ..), (_, folder))| (*id, *folder))
                .collect();
            // A cache that cannot be written costs the next run time, never this one its answer.
            let _ = cache.save(&entries);
        }
        Ok(commits
            .into_iter()
            .zip(folders)
            .map(|((id, time, parents, _), (_, folder))| {
                let visit = Visit {
                    time,
                    effective: time,
                    landed: time,
                    parents,
                    folder,
                    queued: false,
                };
                (id, visit)
            })
            .collect())
    }

    /// What earlier walks of `path` learned, when walks are cached. Without this user's key (it cannot be
    /// read or made) there is no cache: only a signed file can be trusted.
    fn walk_cache(&self, path: &str) -> Option<WalkCache> {
        let config = self.cache.as_ref()?;
        let signing = CacheKey::load_or_create(&config.key_file).ok()?;
        let repository = self.cache_identity();
        // Replace refs change what a commit id reads as: walks under other replacements are other answers.
        let mut followed = path.to_owned();
        if let Some(replacements) = self.replacements_digest() {
            followed.push_str("\nreplacements ");
            followed.push_str(&replacements);
        }
        let cache = WalkCache::open(
            &config.dir,
            &signing,
            &repository,
            &followed,
            self.repo.object_hash(),
        );
        if let Some(rejected) = cache.rejected() {
            let why = match rejected {
                Rejected::NotAFile => "it is not a regular file; the history was read without it",
                Rejected::NotSigned => {
                    "it is not signed with this user's key (written by another user or machine, \
                     edited or damaged); the history was read without it, and a new file replaces it"
                }
            };
            self.note(format!(
                "did not read the walk cache file {}: {why}",
                cache.file().display()
            ));
        }
        Some(cache)
    }

    /// A digest of the object replacements in force (`git replace`), if any are.
    pub(crate) fn replacements_digest(&self) -> Option<String> {
        let mut replacements = self.repo.objects.store_ref().replacements().peekable();
        if self.repo.objects.ignore_replacements || replacements.peek().is_none() {
            return None;
        }
        let mut hasher = gix::hash::hasher(gix::hash::Kind::Sha1);
        for (original, replacement) in replacements {
            hasher.update(original.as_bytes());
            hasher.update(replacement.as_bytes());
        }
        hasher.try_finalize().ok().map(|id| id.to_string())
    }

    /// Reads one commit for the walk: its time, parents and the tree at `path`.
    fn visit(&self, id: ObjectId, path: &str) -> Result<Visit> {
        let (time, parents, tree) = self.commit_for_walk(id)?;
        Ok(Visit {
            time,
            effective: time,
            landed: time,
            parents,
            folder: self.entry_noting(at_path(&self.repo, id, tree, &components(path))?),
            queued: false,
        })
    }

    /// A commit's time, parents and root tree: from the commit-graph when it has the commit.
    fn commit_for_walk(&self, id: ObjectId) -> Result<(i64, Vec<ObjectId>, ObjectId)> {
        self.commit_for_walk_at(id, None, &mut Vec::new())
    }

    /// As [`Git::commit_for_walk`], for a commit at `place` in the commit-graph when that is known. `places`
    /// receives the parents' places, when the commit-graph has them.
    fn commit_for_walk_at(
        &self,
        id: ObjectId,
        place: Option<GraphPosition>,
        places: &mut Vec<GraphPosition>,
    ) -> Result<(i64, Vec<ObjectId>, ObjectId)> {
        places.clear();
        if let Some(graph) = self.graph.as_ref()
            && let Some(place) = place.or_else(|| graph.lookup(id))
        {
            let commit = graph.commit_at(place);
            let mut parents = Vec::with_capacity(1);
            for parent in commit.iter_parents() {
                match parent {
                    Ok(at) => {
                        places.push(at);
                        parents.push(graph.id_at(at).to_owned());
                    }
                    Err(_) => {
                        places.clear();
                        return self.decode_for_walk(id);
                    }
                }
            }
            let time = i64::try_from(commit.committer_timestamp()).unwrap_or(i64::MAX);
            return Ok((time, parents, commit.root_tree_id().to_owned()));
        }
        self.decode_for_walk(id)
    }

    /// A commit's time, parents and root tree, from the commit object itself.
    fn decode_for_walk(&self, id: ObjectId) -> Result<(i64, Vec<ObjectId>, ObjectId)> {
        let commit = self.repo.find_commit(id).map_err(|e| missing(id, e))?;
        let decoded = commit
            .decode()
            .with_context(|| format!("cannot read commit {id}"))?;
        let time = decoded
            .committer()
            .ok()
            .and_then(|c| c.time().ok())
            .map_or(0, |t| t.seconds);
        Ok((time, decoded.parents().collect(), decoded.tree()))
    }
}
