//! A quarter's git history → events: every change to its OKRs, with who made it, when, and why.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::Result;
use gix::ObjectId;
use jiff::civil::Date;
use rayon::prelude::*;

use crate::core::calendar::Calendar;
use crate::core::change::Change;
use crate::core::compare::SnapshotFile;
use crate::core::history::{
    CheckIn, Event, History, ReasonSource, Trajectory, Warning, own_changes, summarize,
};
use crate::core::model::{Measure, OkrFile, Quarter};
use crate::core::parse::LoadedFile;
use crate::repo::git::{CommitMeta, Git, Listed, Reader};
use crate::repo::workspace::Workspace;

/// What to read.
#[derive(Debug, Clone)]
pub struct Query {
    pub quarter: Quarter,
    /// The revision to read history back from.
    pub rev: String,
    pub first_parent: bool,
    pub team: Option<String>,
    pub since: Option<Date>,
    pub until: Option<Date>,
}

/// The OKR files of a folder tree: (path relative to the workspace root, blob id), sorted by path.
type Listing = Arc<Vec<(String, ObjectId)>>;

/// Parses blobs once each, however many commits share them, and remembers each path's last good revision.
pub struct Revisions<'g> {
    git: &'g Git,
    /// Parsed blobs (`None`: the blob is not a readable OKR file). Entries nothing else refers to are
    /// dropped between chunks of history, so memory follows the quarter's size, not the history's length.
    parsed: gix::hashtable::HashMap<ObjectId, Option<Arc<OkrFile>>>,
    /// Why a blob could not be parsed, and whether that was reported yet.
    unreadable: gix::hashtable::HashMap<ObjectId, (String, bool)>,
    /// The OKR files of each folder tree seen, by tree id.
    listings: gix::hashtable::HashMap<ObjectId, Listing>,
    last_good: HashMap<String, Arc<OkrFile>, foldhash::fast::RandomState>,
    /// Objectives parsed one by one, for revisions parsed here rather than by [`Reading`].
    pieces: crate::core::piecewise::Pieces,
    pub warnings: Vec<Warning>,
}

impl<'g> Revisions<'g> {
    pub fn new(git: &'g Git) -> Revisions<'g> {
        Revisions {
            git,
            parsed: Default::default(),
            unreadable: Default::default(),
            listings: Default::default(),
            last_good: HashMap::default(),
            pieces: crate::core::piecewise::Pieces::default(),
            warnings: Vec::new(),
        }
    }

    fn listing(&mut self, tree: ObjectId, folder: &str) -> Result<Listing> {
        if let Some(known) = self.listings.get(&tree) {
            return Ok(known.clone());
        }
        let files = Arc::new(self.git.files_in(tree, folder)?);
        self.listings.insert(tree, files.clone());
        Ok(files)
    }

    /// Takes in what [`Reading::chunk`] read ahead.
    fn take(&mut self, chunk: &mut Chunk) {
        for (tree, files) in chunk.listings.drain(..) {
            self.listings.insert(tree, files);
        }
        for (blob, parsed) in chunk.parsed.drain(..) {
            match parsed {
                Ok(okr) => {
                    self.parsed.insert(blob, Some(okr));
                }
                Err(problem) => {
                    self.unreadable.entry(blob).or_insert((problem, false));
                    self.parsed.insert(blob, None);
                }
            }
        }
    }

    fn store(&mut self, blob: ObjectId, loaded: LoadedFile) -> Option<Arc<OkrFile>> {
        match readable(loaded) {
            Ok(okr) => {
                self.parsed.insert(blob, Some(okr.clone()));
                Some(okr)
            }
            Err(problem) => {
                self.unreadable.entry(blob).or_insert((problem, false));
                self.parsed.insert(blob, None);
                None
            }
        }
    }

    fn parse(&mut self, path: &str, blob: ObjectId) -> Result<Option<Arc<OkrFile>>> {
        if let Some(known) = self.parsed.get(&blob) {
            return Ok(known.clone());
        }
        let bytes = self.git.blob(blob)?;
        if let Some(okr) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| self.pieces.parse(text))
        {
            let okr = Arc::new(okr);
            self.parsed.insert(blob, Some(okr.clone()));
            return Ok(Some(okr));
        }
        Ok(self.store(blob, crate::core::parse::parse(path, bytes)))
    }

    /// The OKR files of a commit under `folder`.
    pub fn snapshot(&mut self, commit: ObjectId, folder: &str) -> Result<Vec<SnapshotFile>> {
        let tree = self.git.entry_id(commit, folder)?;
        self.snapshot_of(tree, folder, Some(commit))
    }

    /// The OKR files in a folder tree (`None`: no folder). A revision that cannot be parsed is replaced by the
    /// last good revision of the same path seen so far, so one broken commit produces no events of its own;
    /// when `commit` is given, the first time it meets a broken revision is reported as a warning.
    pub fn snapshot_of(
        &mut self,
        tree: Option<ObjectId>,
        folder: &str,
        commit: Option<ObjectId>,
    ) -> Result<Vec<SnapshotFile>> {
        let Some(tree) = tree else {
            return Ok(Vec::new());
        };
        let listing = self.listing(tree, folder)?;
        let mut files = Vec::with_capacity(listing.len());
        for (path, blob) in listing.iter() {
            let okr = match self.parse(path, *blob)? {
                Some(okr) => Some(okr),
                None => {
                    if let (Some(commit), Some((problem, reported))) =
                        (commit, self.unreadable.get_mut(blob))
                        && !*reported
                    {
                        *reported = true;
                        self.warnings.push(Warning {
                            commit: commit.to_string(),
                            path: path.clone(),
                            message: format!("skipped an unreadable revision ({problem}); using the last good one"),
                        });
                    }
                    self.last_good.get(path).cloned()
                }
            };
            if let Some(okr) = okr {
                files.push(SnapshotFile {
                    path: path.clone(),
                    okr,
                });
            }
        }
        Ok(files)
    }

    /// The last good revision of a path, if any.
    fn previous(&self, path: &str) -> Option<&Arc<OkrFile>> {
        self.last_good.get(path)
    }

    fn remember(&mut self, files: &[SnapshotFile]) {
        for file in files {
            match self.last_good.get_mut(&file.path) {
                Some(known) => {
                    if !Arc::ptr_eq(known, &file.okr) {
                        *known = file.okr.clone();
                    }
                }
                None => {
                    self.last_good.insert(file.path.clone(), file.okr.clone());
                }
            }
        }
    }

    /// Forgets parsed revisions nothing refers to any more. A blob met again later is simply read again.
    fn evict(&mut self) {
        self.parsed
            .retain(|_, okr| okr.as_ref().is_none_or(|okr| Arc::strong_count(okr) > 1));
    }
}

/// Reads ahead: a chunk's folder trees, new blobs and commits, read and parsed on every core while the
/// commits before them are compared.
struct Reading {
    /// A few per core: work of unequal shares is balanced by rayon's work stealing.
    readers: Vec<Reader>,
    pieces: crate::core::piecewise::Pieces,
    listings: gix::hashtable::HashMap<ObjectId, Listing>,
    /// Blobs parsed and handed over before. One [`Revisions`] has dropped since is parsed again there.
    parsed: gix::hashtable::HashSet<ObjectId>,
}

/// What [`Reading::chunk`] read, for [`Revisions::take`].
#[derive(Default)]
struct Chunk {
    listings: Vec<(ObjectId, Listing)>,
    /// Each new blob parsed, or why it cannot be read.
    parsed: Vec<(ObjectId, Result<Arc<OkrFile>, String>)>,
    metas: Vec<CommitMeta>,
}

impl Reading {
    fn new(git: &Git) -> Reading {
        Reading {
            readers: git.readers(crate::repo::git::READERS_PER_CORE),
            pieces: crate::core::piecewise::Pieces::default(),
            listings: Default::default(),
            parsed: Default::default(),
        }
    }

    /// Lists a chunk's folder trees, reads and parses every blob in them not parsed before, and reads the
    /// chunk's commits, all on every core.
    fn chunk(&mut self, commits: &[Listed], folder: &str) -> Result<Chunk> {
        let mut chunk = Chunk::default();
        let trees: Vec<ObjectId> = commits
            .iter()
            .flat_map(|c| std::iter::once(c.folder).chain(c.parents.iter().map(|p| p.1)))
            .flatten()
            .collect();
        // Newest first: git packs newer revisions as the bases of older ones, so read in this order each tree
        // and blob is one delta away from the one read before it (which the reader's pack cache holds); read
        // oldest first, every read would unpack its whole delta chain again.
        let mut new_trees = Vec::new();
        let mut seen = gix::hashtable::HashSet::default();
        for tree in trees.iter().rev() {
            if !self.listings.contains_key(tree) && seen.insert(*tree) {
                new_trees.push(*tree);
            }
        }
        let runs = contiguous_runs(new_trees, self.readers.len());
        let listed = on_readers(&mut self.readers, runs, |reader, tree| {
            Ok((*tree, reader.files_in(*tree, folder)?))
        })?;
        for (tree, files) in listed.into_iter().flatten() {
            let files = Arc::new(files);
            self.listings.insert(tree, files.clone());
            chunk.listings.push((tree, files));
        }

        // Each path's new revisions, newest first, stay on one reader; paths are shared out evenly.
        let mut by_path: BTreeMap<&str, Vec<ObjectId>> = BTreeMap::new();
        let mut seen = gix::hashtable::HashSet::default();
        for tree in trees.iter().rev() {
            for (path, blob) in self.listings[tree].iter() {
                if !self.parsed.contains(blob) && seen.insert(*blob) {
                    by_path.entry(path).or_default().push(*blob);
                }
            }
        }
        let runs = balanced_runs(by_path, self.readers.len());
        let pieces = &self.pieces;
        // Each revision is put together as its pieces are parsed (everything it needs is in the shared pieces
        // or this reader's batch), so its text is needed only while the reader holds it.
        let done = on_readers_batched(&mut self.readers, runs, |reader, batch, (path, blob)| {
            let parsed = reader.with_blob(*blob, |bytes| {
                let assembled = std::str::from_utf8(bytes).ok().and_then(|text| {
                    let cut = crate::core::piecewise::cut(text)?;
                    pieces.read(batch, text, cut)
                });
                match assembled {
                    Some(okr) => Ok(Arc::new(okr)),
                    None => readable(crate::core::parse::parse(path, bytes.to_vec())),
                }
            })?;
            Ok((*blob, parsed))
        })?;
        for (reads, batch) in done {
            self.pieces.absorb(batch);
            chunk.parsed.extend(reads);
        }
        for (blob, _) in &chunk.parsed {
            self.parsed.insert(*blob);
        }
        self.pieces.trim();
        let runs = contiguous_runs(commits.iter().map(|c| c.id).collect(), self.readers.len());
        let metas = on_readers(&mut self.readers, runs, |reader, id| reader.commit(*id))?;
        chunk.metas = metas.into_iter().flatten().collect();
        Ok(chunk)
    }
}

/// A parsed file, or why it cannot be read (its first finding).
fn readable(loaded: LoadedFile) -> Result<Arc<OkrFile>, String> {
    match loaded.okr {
        Some(okr) => Ok(Arc::new(okr)),
        None => Err(loaded
            .findings
            .first()
            .map(|f| format!("{}:{}: {}", f.pos.line, f.pos.column, f.message))
            .unwrap_or_else(|| "cannot be read".to_owned())),
    }
}

/// Splits work into `count` runs of consecutive items (so each reader meets objects in the order they were
/// given), as even as can be.
fn contiguous_runs<T>(items: Vec<T>, count: usize) -> Vec<Vec<T>> {
    let per_run = items.len().div_ceil(count.max(1)).max(1);
    let mut runs: Vec<Vec<T>> = Vec::new();
    let mut items = items.into_iter().peekable();
    while items.peek().is_some() {
        runs.push(items.by_ref().take(per_run).collect());
    }
    runs
}

/// Shares paths out into `count` runs with about as many blobs each, keeping each path's blobs together and
/// in order: the largest first, each to the run with the fewest so far.
fn balanced_runs(
    by_path: BTreeMap<&str, Vec<ObjectId>>,
    count: usize,
) -> Vec<Vec<(&str, ObjectId)>> {
    let mut paths: Vec<(&str, Vec<ObjectId>)> = by_path.into_iter().collect();
    paths.sort_by_key(|(_, blobs)| std::cmp::Reverse(blobs.len()));
    let mut runs: Vec<Vec<(&str, ObjectId)>> = (0..count.max(1)).map(|_| Vec::new()).collect();
    for (path, blobs) in paths {
        if let Some(run) = runs.iter_mut().min_by_key(|run| run.len()) {
            run.extend(blobs.into_iter().map(|blob| (path, blob)));
        }
    }
    runs.retain(|run| !run.is_empty());
    runs
}

/// Runs `work` over each run on its own reader, in parallel; results in the order of the runs.
fn on_readers<T: Sync, R: Send>(
    readers: &mut [Reader],
    runs: Vec<Vec<T>>,
    work: impl Fn(&Reader, &T) -> Result<R> + Sync,
) -> Result<Vec<Vec<R>>> {
    let done = on_readers_batched(readers, runs, |reader, (), item| work(reader, item))?;
    Ok(done.into_iter().map(|(results, ())| results).collect())
}

/// [`on_readers`], with a batch of its own per run (a [`crate::core::piecewise::Batch`] for the pieces it parses).
fn on_readers_batched<T: Sync, R: Send, B: Default + Send>(
    readers: &mut [Reader],
    runs: Vec<Vec<T>>,
    work: impl Fn(&Reader, &mut B, &T) -> Result<R> + Sync,
) -> Result<Vec<(Vec<R>, B)>> {
    runs.par_iter()
        .zip(readers.par_iter_mut())
        .map(|(run, reader)| {
            let mut batch = B::default();
            let done = run
                .iter()
                .map(|item| work(reader, &mut batch, item))
                .collect::<Result<Vec<R>>>()?;
            Ok((done, batch))
        })
        .collect()
}

/// Commits read per chunk: their new revisions are parsed together, in parallel.
const HISTORY_CHUNK: usize = 256;

/// The folder holding a quarter's files, relative to the workspace root.
pub fn quarter_folder(workspace: &Workspace, quarter: Quarter) -> String {
    format!("{}/{quarter}", workspace.config.dir.trim_end_matches('/'))
}

/// Reads the history of one quarter.
pub fn read(workspace: &Workspace, git: &Git, query: &Query) -> Result<History> {
    read_with_progress(workspace, git, query, &mut |_| {})
}

/// How far a long read has come, for a progress display the caller may show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// The commits to read are known: this many.
    Commits(usize),
    /// One more commit was read.
    Read,
    Done,
}

/// [`read`], telling `progress` how far it has come.
pub fn read_with_progress(
    workspace: &Workspace,
    git: &Git,
    query: &Query,
    progress: &mut dyn FnMut(Progress),
) -> Result<History> {
    git.require_full_history()?;
    let calendar = Calendar::new(workspace.config.fiscal_year_start_month);
    let start = calendar.start(query.quarter);
    let end = calendar.end(query.quarter);
    let kickoff = start
        .checked_add(jiff::Span::new().days(i64::from(workspace.config.planning_window_days)))
        .unwrap_or(end);
    let folder = quarter_folder(workspace, query.quarter);
    let tip = git.resolve(&query.rev)?;
    let mut commits = git.commits_touching(tip, &folder, query.first_parent)?;
    commits.reverse();
    progress(Progress::Commits(commits.len()));

    let mut revisions = Revisions::new(git);
    let mut events = Vec::new();
    let mut kickoff_state: Option<Arc<Vec<SnapshotFile>>> = None;
    // The folder tree of the commit read last, and its snapshot.
    let mut latest: Option<(Option<ObjectId>, Arc<Vec<SnapshotFile>>)> = None;
    let mut trajectories = CheckIns::new();
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
        let folder_name = folder.as_str();
        scope.spawn(move || {
            for chunk in requests {
                if read_tx.send(reading.chunk(chunk, folder_name)).is_err() {
                    break;
                }
            }
        });
        if let Some(first) = chunks.first() {
            let _ = wanted.send(first);
        }
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
            // Snapshots and check-ins in order (a broken revision stands in for the last good one, which depends
            // on what came before), then the comparisons, each independent of the others, on every core.
            let mut sides = Vec::with_capacity(chunk.len());
            for (listed, meta) in chunk.iter().zip(&metas) {
                progress(Progress::Read);
                let mut before = Vec::with_capacity(listed.parents.len());
                for (_, tree) in &listed.parents {
                    // Usually the parent is the commit just read: its snapshot is the one just built (a broken
                    // revision in it was replaced then exactly as it would be now).
                    let snapshot = match &latest {
                        Some((latest_tree, snapshot)) if latest_tree == tree => snapshot.clone(),
                        _ => Arc::new(revisions.snapshot_of(*tree, &folder, None)?),
                    };
                    before.push(snapshot);
                }
                let after =
                    Arc::new(revisions.snapshot_of(listed.folder, &folder, Some(listed.id))?);
                latest = Some((listed.folder, after.clone()));
                record_check_ins(
                    &mut trajectories,
                    &after,
                    &revisions,
                    meta,
                    query.team.as_deref(),
                );
                revisions.remember(&after);
                if meta.time.date() < kickoff {
                    kickoff_state = Some(after.clone());
                }
                sides.push((before, after));
            }
            let changes: Vec<Vec<Change>> = sides
                .par_iter()
                .map(|(before, after)| own_changes(before, after))
                .collect();
            drop(sides);
            for (changes, meta) in changes.into_iter().zip(&metas) {
                let date = meta.time.date();
                if changes.is_empty()
                    || query.since.is_some_and(|s| date < s)
                    || query.until.is_some_and(|u| date > u)
                {
                    continue;
                }
                let stamp = Stamp::of(meta);
                for change in changes {
                    if query.team.as_ref().is_some_and(|t| *t != change.team) {
                        continue;
                    }
                    events.push(event(change, meta, &stamp, kickoff));
                }
            }
            revisions.evict();
        }
        Ok(())
    })?;
    progress(Progress::Done);
    drop(latest);
    let kickoff_state: Vec<SnapshotFile> = kickoff_state
        .map(|state| Arc::try_unwrap(state).unwrap_or_else(|shared| (*shared).clone()))
        .unwrap_or_default();
    let summary = summarize(&events, &kickoff_state, query.team.as_deref());
    Ok(History {
        quarter: query.quarter,
        start,
        end,
        kickoff,
        events,
        warnings: revisions.warnings,
        summary,
        kickoff_state,
        trajectories: trajectories
            .into_iter()
            .flat_map(|(team, objectives)| {
                objectives
                    .into_iter()
                    .flat_map(move |(objective, key_results)| {
                        let team = team.clone();
                        key_results
                            .into_iter()
                            .map(move |(key_result, points)| Trajectory {
                                team: team.clone(),
                                objective: objective.clone(),
                                key_result,
                                points,
                            })
                    })
            })
            .collect(),
    })
}

/// Check-ins by team, objective and key result: nested so that a key result's points are found by
/// borrowed names, where a map keyed by the three would need them copied for every key result of every commit.
type CheckIns = BTreeMap<String, BTreeMap<String, BTreeMap<String, Vec<CheckIn>>>>;

/// The map under `key`, added if missing (the key copied only then).
fn entry<'m, V: Default>(map: &'m mut BTreeMap<String, V>, key: &str) -> &'m mut V {
    if !map.contains_key(key) {
        map.insert(key.to_owned(), V::default());
    }
    map.get_mut(key).expect("inserted above")
}

/// Adds a point to each metric key result whose current value or target differs from its last point.
fn record_check_ins(
    trajectories: &mut CheckIns,
    files: &[SnapshotFile],
    revisions: &Revisions<'_>,
    meta: &CommitMeta,
    team: Option<&str>,
) {
    for file in files {
        // A file this commit did not change has no new check-ins.
        if revisions
            .previous(&file.path)
            .is_some_and(|p| Arc::ptr_eq(p, &file.okr))
        {
            continue;
        }
        let Some(team_name) = file.okr.team.as_ref().map(|t| &t.value) else {
            continue;
        };
        if team.is_some_and(|t| t != &**team_name) {
            continue;
        }
        for objective in &file.okr.objectives {
            let Some(objective_id) = objective.id.as_ref().map(|i| &i.value) else {
                continue;
            };
            for kr in &objective.key_results {
                let (
                    Some(kr_id),
                    Some(Measure::Metric {
                        target, current, ..
                    }),
                ) = (kr.id.as_ref().map(|i| &i.value), kr.measure())
                else {
                    continue;
                };
                let points = entry(entry(entry(trajectories, team_name), objective_id), kr_id);
                if points
                    .last()
                    .is_none_or(|p| p.current != current || p.target != target)
                {
                    points.push(CheckIn {
                        date: meta.time.date(),
                        commit: meta.id.to_string(),
                        current,
                        target,
                    });
                }
            }
        }
    }
}

/// A commit's id and date as events carry them, written once for all its events.
struct Stamp {
    commit: String,
    date: String,
}

impl Stamp {
    fn of(meta: &CommitMeta) -> Stamp {
        Stamp {
            commit: meta.id.to_string(),
            date: meta
                .time
                .timestamp()
                .display_with_offset(meta.time.offset())
                .to_string(),
        }
    }
}

fn event(change: Change, meta: &CommitMeta, stamp: &Stamp, kickoff: Date) -> Event {
    let (reason, reason_source) = if let Some(yaml) = change.yaml_reason.clone() {
        (Some(yaml), Some(ReasonSource::Yaml))
    } else if let Some(trailer) = meta.reason.clone() {
        (Some(trailer), Some(ReasonSource::Trailer))
    } else if let Some(body) = meta.body.clone() {
        (Some(body), Some(ReasonSource::Body))
    } else {
        (None, None)
    };
    Event {
        change,
        commit: stamp.commit.clone(),
        date: stamp.date.clone(),
        author: meta.author.clone(),
        message: meta.subject.clone(),
        mid_quarter: meta.time.date() >= kickoff,
        reason,
        reason_source,
    }
}

/// The default quarter: the one containing today if the repository has a folder for it, else the latest one.
pub fn default_quarter(
    workspace: &Workspace,
    git: &Git,
    rev: &str,
    today: Date,
) -> Result<Quarter> {
    let calendar = Calendar::new(workspace.config.fiscal_year_start_month);
    let current = calendar.quarter_of(today);
    let tip = git.resolve(rev)?;
    let mut quarters: Vec<Quarter> = git
        .names_under(tip, &workspace.config.dir)?
        .iter()
        .filter_map(|name| name.parse().ok())
        .collect();
    quarters.sort();
    if quarters.contains(&current) {
        return Ok(current);
    }
    quarters.last().copied().ok_or_else(|| {
        anyhow::anyhow!(
            "no quarter folders (like `{}/{current}`) in `{rev}`; pass --quarter, or run `okr init`",
            workspace.config.dir
        )
    })
}
