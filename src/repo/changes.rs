//! The one engine that turns a folder's git history into changes: every change with the commit that made it,
//! an honest date, its reason, and whether the policy asks for one. `okr history` reads a quarter with it,
//! `okr diff` and `okr diff --check` the commits of a range, `okr report` the quarter it reports on; none of
//! them decides any of this on its own.
//!
//! The commits come from [`Git::commits_touching`] in reading order (each after its parents, a branch's
//! commits just before the merge that brings them in); each is compared with the parents it is compared
//! with, and [`merge::changes`] decides what a merge changed. Dates never go back along history: a commit
//! dated before its parent is taken as made at its parent's date, with a warning naming it.

use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::Arc;

use anyhow::Result;
use gix::ObjectId;
use rayon::prelude::*;

use crate::core::change::{Change, ChangeKind, Context, Field, OwnedField, Setting};
use crate::core::compare::{self, SnapshotFile};
use crate::core::history::{CommitFacts, Event, Kickoffs, RememberedKickoffs, Warning};
use crate::core::merge::{self, Merge};
use crate::core::policy::Policy;
use crate::core::reason::Message;
use crate::repo::git::{CommitMeta, Git, zoned};
use crate::repo::revisions::{Chunk, HISTORY_CHUNK, Parsed, Reading, Revisions};
use crate::repo::walk::{Listed, WalkOptions};

/// How far a long read has come, for a progress display the caller may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The commits to read are known: this many.
    Commits(usize),
    /// One more commit was read.
    Read,
    Done,
}

/// What to read and how to judge it.
pub struct Settings<'a> {
    pub walk: WalkOptions,
    /// Changes land no earlier than this (seconds since the epoch): when checking a range, the date of its
    /// start, so a commit dated back cannot slip a change into the planning window.
    pub not_before: Option<i64>,
    pub kickoffs: &'a dyn Kickoffs,
    pub policy: Policy<'a>,
    /// Keep each commit's message in [`Log::messages`], for attributing a range's net changes.
    pub keep_messages: bool,
}

/// One commit as the engine read it, for readers that want more than its events (check-ins, the plan at
/// kickoff).
pub struct Step<'s> {
    pub listed: &'s Listed,
    pub facts: &'s CommitFacts,
    /// The folder in each parent it was compared with, and in the commit.
    pub before: &'s [Arc<Vec<SnapshotFile>>],
    pub after: &'s Arc<Vec<SnapshotFile>>,
    /// This commit's events: `Log::events[events]`.
    pub events: Range<usize>,
}

/// The changes of a walk, in reading order.
#[derive(Debug, Default)]
pub struct Log {
    pub events: Vec<Event>,
    pub warnings: Vec<Warning>,
    /// The message of each commit with events, by full id, when [`Settings::keep_messages`] asks for them.
    pub messages: HashMap<String, Message>,
    /// The blobs parsed at the end of the walk (those of the last chunk read, and all that outlive it).
    pub parsed: Parsed,
}

/// Reads the changes of the commits that changed `folder`, walking back from `tip`.
pub fn read(
    git: &Git,
    folder: &str,
    tip: ObjectId,
    settings: &Settings<'_>,
    progress: &mut dyn FnMut(Progress),
    on_step: &mut dyn FnMut(&Step<'_>, &[Event]),
) -> Result<Log> {
    let walk = git.commits_touching(tip, folder, &settings.walk)?;
    let commits = walk.commits;
    progress(Progress::Commits(commits.len()));

    let mut revisions = Revisions::new(git);
    let mut log = Log::default();
    let mut teams = Teams::default();
    // Each field's last change so far: the position of the commit that made it, and what it set. Only a
    // mainline merge asks, so a history without one keeps no record.
    let mut record = Record::default();
    let merges = commits.iter().any(|c| c.mainline && c.parents.len() > 1);
    let kickoffs = RememberedKickoffs::new(settings.kickoffs);
    // The folder tree of the commit read last, and its snapshot.
    let mut latest: Option<(Option<ObjectId>, Arc<Vec<SnapshotFile>>)> = None;
    // Chunks bound how many parsed revisions are alive at once while still giving the parallel parse work.
    // Each chunk is read and parsed (on every core) while the one before it is compared.
    let chunks: Vec<&[Listed]> = commits.chunks(HISTORY_CHUNK).collect();
    let mut reading = Reading::new(git);
    // One reader thread for the whole history, a chunk ahead of this one: the memory it reads into is reused
    // from chunk to chunk, where a thread per chunk started on fresh memory each time.
    std::thread::scope(|scope| -> Result<()> {
        let (wanted, requests) = std::sync::mpsc::channel::<&[Listed]>();
        let (read_tx, read_rx) = std::sync::mpsc::channel::<Result<Chunk>>();
        let reading = &mut reading;
        scope.spawn(move || {
            for chunk in requests {
                if read_tx.send(reading.chunk(chunk, folder)).is_err() {
                    break;
                }
            }
        });
        if let Some(first) = chunks.first() {
            let _ = wanted.send(first);
        }
        let mut position = 0;
        for (index, chunk) in chunks.iter().enumerate() {
            // A reader that stopped has panicked; the scope passes its panic on when it joins it.
            let Ok(read) = read_rx.recv() else {
                break;
            };
            let mut read = read?;
            if let Some(next) = chunks.get(index + 1) {
                let _ = wanted.send(next);
            }
            revisions.take(&mut read);
            let metas = std::mem::take(&mut read.metas);
            // Snapshots in order (a broken revision stands in for the last good one, which depends on what
            // came before), then the comparisons, each independent of the others, on every core.
            let mut sides = Vec::with_capacity(chunk.len());
            for listed in chunk.iter() {
                progress(Progress::Read);
                let mut before = Vec::with_capacity(listed.parents.len());
                for (_, tree) in &listed.parents {
                    // Usually the parent is the commit just read: its snapshot is the one just built (a broken
                    // revision in it was replaced then exactly as it would be now).
                    let snapshot = match &latest {
                        Some((latest_tree, snapshot)) if latest_tree == tree => snapshot.clone(),
                        _ => Arc::new(revisions.snapshot_of(*tree, folder, None)?),
                    };
                    before.push(snapshot);
                }
                let after =
                    Arc::new(revisions.snapshot_of(listed.folder, folder, Some(listed.id))?);
                latest = Some((listed.folder, after.clone()));
                revisions.remember(&after);
                sides.push((before, after));
            }
            let diffs: Vec<Vec<Vec<Change>>> = sides
                .par_iter()
                .map(|(before, after)| {
                    if before.is_empty() {
                        vec![compare::compare(&[], after)]
                    } else {
                        before.iter().map(|b| compare::compare(b, after)).collect()
                    }
                })
                .collect();
            for (((listed, meta), diffs), (before, after)) in
                chunk.iter().zip(&metas).zip(diffs).zip(&sides)
            {
                let facts = facts(listed, meta, settings.not_before);
                if listed.effective > listed.time {
                    log.warnings.push(backdated(listed, meta, folder));
                }
                let first_parent = listed.listed_parents.first().copied().flatten();
                let branch = |field: &Field<'_>| record.since(first_parent, field);
                let how = if listed.mainline && diffs.len() > 1 {
                    let settled = settle(
                        &diffs,
                        after,
                        (&record, first_parent),
                        &commits,
                        (&mut revisions, folder),
                    )?;
                    Merge::Mainline {
                        branch: &branch,
                        settled,
                    }
                } else {
                    Merge::Own
                };
                let mut changes = merge::changes(diffs, how);
                teams.reclassify(
                    &mut changes,
                    (before, &listed.listed_parents),
                    git,
                    settings,
                    folder,
                )?;
                teams.saw(before.first().map(|b| b.as_slice()), after);
                if settings.keep_messages && !changes.is_empty() {
                    log.messages
                        .insert(facts.id.to_string(), facts.message.clone());
                }
                let first_event = log.events.len();
                log.events.reserve(changes.len());
                for change in changes {
                    if merges {
                        record.set(position, &change);
                    }
                    log.events
                        .push(Event::new(change, &facts, &kickoffs, &settings.policy));
                }
                let step = Step {
                    listed,
                    facts: &facts,
                    before,
                    after,
                    events: first_event..log.events.len(),
                };
                on_step(&step, &log.events);
                position += 1;
            }
            drop(sides);
            revisions.evict();
        }
        Ok(())
    })?;
    progress(Progress::Done);
    log.warnings
        .splice(0..0, std::mem::take(&mut revisions.warnings));
    log.parsed = revisions.into_parsed();
    Ok(log)
}

/// A team and the quarter of its file, as changes name them.
type Team = (Option<String>, String);

/// The teams whose file has been seen: a file appearing again is a change to a plan, not a first one.
#[derive(Default)]
struct Teams {
    seen: HashSet<Team>,
    /// For a range: the teams of each quarter at its kickoff, on the line of the range's start.
    at_kickoff: HashMap<Option<String>, HashSet<Team>>,
}

impl Teams {
    /// Counts the teams of a commit's files, but for those the same as in its first parent (counted with it).
    fn saw(&mut self, parent: Option<&[SnapshotFile]>, files: &[SnapshotFile]) {
        // Usually the parent lists the same paths: a file is found at its own place before it is searched for.
        let unchanged = |at: usize, file: &SnapshotFile| {
            parent.is_some_and(|parent| {
                parent.get(at).is_some_and(|p| p.same_revision(file))
                    || parent
                        .binary_search_by(|p| (*p.path).cmp(&file.path))
                        .is_ok_and(|at| Arc::ptr_eq(&parent[at].okr, &file.okr))
            })
        };
        self.seen.extend(
            files
                .iter()
                .enumerate()
                .filter(|(at, f)| !unchanged(*at, f))
                .map(|(_, f)| compare::team_of(f)),
        );
    }

    /// Makes a change of a team's "first revision" an ordinary edit when the team had a file before: seen
    /// earlier in the walk, in a parent outside it, or (for a range) at the quarter's kickoff on the line of
    /// the range's start.
    fn reclassify(
        &mut self,
        changes: &mut [Change],
        (before, listed_parents): (&[Arc<Vec<SnapshotFile>>], &[Option<usize>]),
        git: &Git,
        settings: &Settings<'_>,
        folder: &str,
    ) -> Result<()> {
        // A parent outside the walk was never read as a commit: its teams were there before.
        for (snapshot, listed_parent) in before.iter().zip(listed_parents) {
            if listed_parent.is_none() {
                self.seen.extend(snapshot.iter().map(compare::team_of));
            }
        }
        for change in changes
            .iter_mut()
            .filter(|c| c.context == Context::FirstRevision)
        {
            let team = (change.quarter.clone(), change.team.clone());
            if !self.seen.contains(&team)
                && !self.planned_at_kickoff(&team, git, settings, folder)?
            {
                continue;
            }
            change.context = match change.kind {
                ChangeKind::KrAdded => Context::WithObjective,
                _ => Context::Edit,
            };
        }
        Ok(())
    }

    /// For a range, which does not see the quarter before its start: whether `team` had a file at its
    /// quarter's kickoff on the line of the start.
    fn planned_at_kickoff(
        &mut self,
        team: &Team,
        git: &Git,
        settings: &Settings<'_>,
        folder: &str,
    ) -> Result<bool> {
        let Some(start) = settings.walk.hidden else {
            return Ok(false);
        };
        if !self.at_kickoff.contains_key(&team.0) {
            let there = teams_at_kickoff(git, start, team.0.as_deref(), settings, folder)?;
            self.at_kickoff.insert(team.0.clone(), there);
        }
        Ok(self.at_kickoff[&team.0].contains(team))
    }
}

/// The teams of `quarter` at its kickoff, as the first-parent line of `start` had them.
fn teams_at_kickoff(
    git: &Git,
    start: ObjectId,
    quarter: Option<&str>,
    settings: &Settings<'_>,
    folder: &str,
) -> Result<HashSet<Team>> {
    let Some(kickoff) = settings.kickoffs.kickoff(quarter) else {
        return Ok(HashSet::new());
    };
    let Some(day_before) = kickoff.yesterday().ok() else {
        return Ok(HashSet::new());
    };
    let Some(commit) = git.last_commit_on_or_before(start, day_before)? else {
        return Ok(HashSet::new());
    };
    let files = Revisions::new(git).snapshot(commit, folder)?;
    Ok(files
        .iter()
        .map(compare::team_of)
        .filter(|(q, _)| q.as_deref() == quarter)
        .collect())
}

/// What the changes read so far set each field to, for judging mainline merges.
#[derive(Default)]
struct Record {
    /// Each field's last change: the position of the commit that made it, and what it set.
    last: HashMap<OwnedField, (usize, Setting)>,
    /// Every change's field, by the position of the commit that made it, in reading order.
    written: Vec<(usize, OwnedField)>,
}

impl Record {
    fn set(&mut self, position: usize, change: &Change) {
        let field = change.field().to_owned();
        self.written.push((position, field.clone()));
        self.last.insert(field, (position, change.setting()));
    }

    /// What the commits read after the one at `since` last set `field` to, if they set it.
    fn since(&self, since: Option<usize>, field: &Field<'_>) -> Option<Setting> {
        let (at, setting) = self.last.get(&field.to_owned())?;
        since.is_none_or(|p| *at > p).then(|| setting.clone())
    }

    /// The fields the commits read after the one at `since` set, each with the position of its last change.
    fn fields_since(&self, since: Option<usize>) -> Vec<(&OwnedField, usize)> {
        let start = self
            .written
            .partition_point(|(at, _)| since.is_some_and(|p| *at <= p));
        let mut seen = HashSet::new();
        self.written[start..]
            .iter()
            .filter(|(_, field)| seen.insert(field))
            .filter_map(|(_, field)| Some((field, self.last.get(field)?.0)))
            .collect()
    }
}

/// For a mainline merge: the fields its branch set (the commits read after its first parent) that no
/// comparison with a parent shows, where the branch's last value is not the merge's — each as the change from
/// that value to the merge's, found by comparing the revision the branch's value was read from with the merge.
fn settle(
    diffs: &[Vec<Change>],
    merge: &[SnapshotFile],
    (record, first_parent): (&Record, Option<usize>),
    commits: &[Listed],
    (revisions, folder): (&mut Revisions<'_>, &str),
) -> Result<Vec<Change>> {
    let shown: HashSet<Field<'_>> = diffs.iter().flatten().map(Change::field).collect();
    let mut settled = Vec::new();
    // Each branch revision compared with the merge once, however many of its fields are asked about.
    let mut compared: HashMap<usize, Vec<Change>> = HashMap::new();
    for (field, at) in record.fields_since(first_parent) {
        if shown.contains(&field.as_field()) {
            continue;
        }
        let changes = match compared.entry(at) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => {
                let branch = revisions.snapshot_of(commits[at].folder, folder, None)?;
                new.insert(compare::compare(&branch, merge))
            }
        };
        settled.extend(
            changes
                .iter()
                .filter(|c| c.field() == field.as_field())
                .cloned(),
        );
    }
    Ok(settled)
}

/// A commit as its events carry it: its effective date, and when its changes landed.
fn facts(listed: &Listed, meta: &CommitMeta, not_before: Option<i64>) -> CommitFacts {
    let offset = meta.time.offset().seconds();
    let floor = not_before.unwrap_or(i64::MIN);
    CommitFacts::new(
        meta.id.to_string(),
        meta.author.clone(),
        meta.message.clone(),
        if listed.effective > listed.time {
            zoned(listed.effective, offset)
        } else {
            meta.time.clone()
        },
        zoned(listed.landed.max(floor), offset),
    )
}

fn backdated(listed: &Listed, meta: &CommitMeta, folder: &str) -> Warning {
    let offset = meta.time.offset().seconds();
    Warning {
        commit: meta.id.to_string(),
        path: folder.to_owned(),
        message: format!(
            "the commit is dated {}, before its parent ({}); it is taken as made then, since dates along \
             history never go back",
            meta.time.date(),
            zoned(listed.effective, offset).date()
        ),
    }
}
