//! Revisions of OKR files read from git: each blob parsed once however many commits share it, folder trees
//! listed once, and the reading of a walk's commits spread over every core.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use anyhow::Result;
use gix::ObjectId;
use rayon::prelude::*;

use crate::core::compare::SnapshotFile;
use crate::core::history::Warning;
use crate::core::model::OkrFile;
use crate::core::parse::LoadedFile;
use crate::core::piecewise::Held;
use crate::repo::git::{CommitMeta, Git, Reader};
use crate::repo::walk::Listed;

/// The OKR files of one side of a comparison: those that parse, and apart from them those that do not.
#[derive(Debug, Clone, Default)]
pub struct Side {
    pub files: Vec<SnapshotFile>,
    pub unreadable: Vec<Unreadable>,
}

/// A file that is there but cannot be read as OKRs, with why (its first finding) and its text.
#[derive(Debug, Clone)]
pub struct Unreadable {
    pub path: String,
    pub problem: String,
    pub text: String,
}

/// The OKR files of a folder tree: (path relative to the workspace root, blob id), sorted by path.
type Listing = Arc<Vec<(Arc<str>, ObjectId)>>;

/// Each path one shared text: a quarter's thousands of folder trees list the same few hundred paths, and every
/// commit's snapshot names them all.
#[derive(Default)]
struct Paths(std::collections::HashSet<Arc<str>, foldhash::fast::RandomState>);

impl Paths {
    fn listing(&mut self, files: Vec<(String, ObjectId)>) -> Listing {
        Arc::new(
            files
                .into_iter()
                .map(|(path, blob)| (self.shared(path), blob))
                .collect(),
        )
    }

    fn shared(&mut self, path: String) -> Arc<str> {
        match self.0.get(path.as_str()) {
            Some(known) => known.clone(),
            None => {
                let path: Arc<str> = path.into();
                self.0.insert(path.clone());
                path
            }
        }
    }
}

/// Blobs parsed by one reader of history, for the next to take up: `okr report` reads the quarter's state
/// at the commit where its history ends, the same revisions the history parsed last.
#[derive(Default)]
pub struct Parsed {
    /// Parsed blobs (`None`: the blob is not a readable OKR file). Entries nothing else refers to are
    /// dropped between chunks of history, so memory follows the quarter's size, not the history's length.
    parsed: gix::hashtable::HashMap<ObjectId, Option<Arc<OkrFile>>>,
    /// Why a blob could not be parsed, and whether that was reported yet.
    unreadable: gix::hashtable::HashMap<ObjectId, (String, bool)>,
}

impl Parsed {
    /// The blob each parsed revision still held came from, by the revision's address: what the history cache
    /// names a parsed file by, to parse it again.
    pub(crate) fn blobs(&self) -> HashMap<usize, ObjectId> {
        self.parsed
            .iter()
            .filter_map(|(blob, okr)| Some((Arc::as_ptr(okr.as_ref()?) as usize, *blob)))
            .collect()
    }
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Parsed({} blobs)", self.parsed.len())
    }
}

/// Parses blobs once each, however many commits share them, and remembers each path's last good revision.
pub struct Revisions<'g> {
    git: &'g Git,
    blobs: Parsed,
    /// The OKR files of each folder tree seen, by tree id.
    listings: gix::hashtable::HashMap<ObjectId, Listing>,
    paths: Paths,
    last_good: HashMap<Arc<str>, Arc<OkrFile>, foldhash::fast::RandomState>,
    /// Objectives parsed one by one, for revisions parsed here rather than by [`Reading`].
    pieces: crate::core::piecewise::Pieces,
    pub warnings: Vec<Warning>,
}

impl<'g> Revisions<'g> {
    pub fn new(git: &'g Git) -> Revisions<'g> {
        Revisions {
            git,
            blobs: Parsed::default(),
            listings: Default::default(),
            paths: Paths::default(),
            last_good: HashMap::default(),
            pieces: crate::core::piecewise::Pieces::default(),
            warnings: Vec::new(),
        }
    }

    /// Revisions that start from blobs another reader parsed, and from nothing else: no last good revision
    /// of any path, no unreadable one reported yet.
    pub fn from_parsed(git: &'g Git, mut blobs: Parsed) -> Revisions<'g> {
        for (_, reported) in blobs.unreadable.values_mut() {
            *reported = false;
        }
        Revisions {
            blobs,
            ..Revisions::new(git)
        }
    }

    /// The blobs parsed, for [`Revisions::from_parsed`].
    pub fn into_parsed(self) -> Parsed {
        self.blobs
    }

    fn listing(&mut self, tree: ObjectId, folder: &str) -> Result<Listing> {
        if let Some(known) = self.listings.get(&tree) {
            return Ok(known.clone());
        }
        let files = self.paths.listing(self.git.files_in(tree, folder)?);
        self.listings.insert(tree, files.clone());
        Ok(files)
    }

    /// Takes in what [`Reading::chunk`] read ahead.
    pub(crate) fn take(&mut self, chunk: &mut Chunk) {
        for (tree, files) in chunk.listings.drain(..) {
            self.listings.insert(tree, files);
        }
        for (blob, parsed) in chunk.parsed.drain(..) {
            match parsed {
                Ok(okr) => {
                    self.blobs.parsed.insert(blob, Some(okr));
                }
                Err(problem) => {
                    self.blobs
                        .unreadable
                        .entry(blob)
                        .or_insert((problem, false));
                    self.blobs.parsed.insert(blob, None);
                }
            }
        }
    }

    fn store(&mut self, blob: ObjectId, loaded: LoadedFile) -> Option<Arc<OkrFile>> {
        match readable(loaded) {
            Ok(okr) => {
                self.blobs.parsed.insert(blob, Some(okr.clone()));
                Some(okr)
            }
            Err(problem) => {
                self.blobs
                    .unreadable
                    .entry(blob)
                    .or_insert((problem, false));
                self.blobs.parsed.insert(blob, None);
                None
            }
        }
    }

    /// The revision of `path` in `blob`, parsed as a history parses it (`None`: it cannot be read as OKRs).
    pub(crate) fn revision(&mut self, path: &str, blob: ObjectId) -> Result<Option<Arc<OkrFile>>> {
        self.parse(path, blob)
    }

    fn parse(&mut self, path: &str, blob: ObjectId) -> Result<Option<Arc<OkrFile>>> {
        if let Some(known) = self.blobs.parsed.get(&blob) {
            return Ok(known.clone());
        }
        let bytes = self.git.blob(blob)?;
        if let Some(okr) = std::str::from_utf8(&bytes)
            .ok()
            .and_then(|text| self.pieces.parse(text))
        {
            let okr = Arc::new(okr);
            self.blobs.parsed.insert(blob, Some(okr.clone()));
            return Ok(Some(okr));
        }
        Ok(self.store(blob, crate::core::parse::parse(path, bytes)))
    }

    /// The OKR files of a commit under `folder`.
    pub fn snapshot(&mut self, commit: ObjectId, folder: &str) -> Result<Vec<SnapshotFile>> {
        let tree = self.git.entry_id(commit, folder)?;
        self.snapshot_of(tree, folder, Some(commit))
    }

    /// The OKR files of a commit under `folder` as they are, and apart from them those that cannot be read:
    /// nothing is put in their place.
    pub fn readable_snapshot(&mut self, commit: ObjectId, folder: &str) -> Result<Side> {
        let Some(tree) = self.git.entry_id(commit, folder)? else {
            return Ok(Side::default());
        };
        let listing = self.listing(tree, folder)?;
        let mut side = Side::default();
        side.files.reserve(listing.len());
        for (path, blob) in listing.iter() {
            match self.parse(path, *blob)? {
                Some(okr) => side.files.push(SnapshotFile {
                    path: path.clone(),
                    okr,
                }),
                None => side.unreadable.push(Unreadable {
                    path: path.to_string(),
                    problem: self
                        .blobs
                        .unreadable
                        .get(blob)
                        .map_or_else(|| "cannot be read".to_owned(), |(p, _)| p.clone()),
                    text: String::from_utf8_lossy(&self.git.blob(*blob)?).into_owned(),
                }),
            }
        }
        Ok(side)
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
                        (commit, self.blobs.unreadable.get_mut(blob))
                        && !*reported
                    {
                        *reported = true;
                        // Read at one commit, or first met broken, there is no good revision to use instead.
                        let instead = if self.last_good.contains_key(&**path) {
                            "using the last good one"
                        } else {
                            "there is no good revision of it to use"
                        };
                        self.warnings.push(Warning {
                            commit: commit.to_string(),
                            path: path.to_string(),
                            message: format!(
                                "skipped an unreadable revision ({problem}); {instead}"
                            ),
                        });
                    }
                    self.last_good.get(&**path).cloned()
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

    /// Takes `files` as the last good revisions of their paths.
    pub(crate) fn remember(&mut self, files: &[SnapshotFile]) {
        for file in files {
            match self.last_good.get_mut(&*file.path) {
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

    /// Forgets parsed revisions nothing refers to any more, and the folder listings of the chunk read. A blob
    /// or tree met again later is simply read again.
    pub(crate) fn evict(&mut self) {
        self.blobs
            .parsed
            .retain(|_, okr| okr.as_ref().is_none_or(|okr| Arc::strong_count(okr) > 1));
        self.listings.clear();
    }
}

/// Reads ahead: a chunk's folder trees, new blobs and commits, read and parsed on every core while the
/// commits before them are compared.
pub(crate) struct Reading {
    /// A few per core: work of unequal shares is balanced by rayon's work stealing.
    readers: Vec<Reader>,
    pieces: crate::core::piecewise::Pieces,
    listings: gix::hashtable::HashMap<ObjectId, Listing>,
    /// Blobs parsed and handed over before. One [`Revisions`] has dropped since is parsed again there.
    parsed: gix::hashtable::HashSet<ObjectId>,
    /// Each path with a revision parsed before, and the pieces its newest revision holds: the next revision
    /// of the file shares most of them, and [`Pieces::trim`](crate::core::piecewise::Pieces::trim) lets the
    /// others go. Cutting a file into pieces pays only when another revision reuses them: a path met for the
    /// first time is parsed whole, which costs a third less (a quarter of 10,000 files in one commit is read
    /// that way).
    held: HashMap<Arc<str>, Held, foldhash::fast::RandomState>,
}

/// What [`Reading::chunk`] read, for [`Revisions::take`].
#[derive(Default)]
pub(crate) struct Chunk {
    listings: Vec<(ObjectId, Listing)>,
    /// Each new blob parsed, or why it cannot be read.
    parsed: Vec<(ObjectId, Result<Arc<OkrFile>, String>)>,
    pub(crate) metas: Vec<CommitMeta>,
}

impl Reading {
    pub(crate) fn new(git: &Git) -> Reading {
        Reading {
            readers: git.readers(crate::repo::git::READERS_PER_CORE),
            pieces: crate::core::piecewise::Pieces::default(),
            listings: Default::default(),
            parsed: Default::default(),
            held: Default::default(),
        }
    }

    /// Lists a chunk's folder trees, reads and parses every blob in them not parsed before, and reads the
    /// chunk's commits, all on every core.
    pub(crate) fn chunk(&mut self, commits: &[Listed], folder: &str) -> Result<Chunk> {
        let mut chunk = Chunk::default();
        let trees: Vec<ObjectId> = commits
            .iter()
            .flat_map(|c| std::iter::once(c.folder).chain(c.parents.iter().map(|p| p.1)))
            .flatten()
            .collect();
        // Newest first: git packs newer revisions as the bases of older ones, so read in this order each tree
        // and blob is one delta away from the one read before it (which the reader's pack cache holds); read
        // oldest first, every read would unpack its whole delta chain again.
        // Only this chunk's listings are kept, taken from the last chunk's where it had them: a quarter of an
        // organisation's history has thousands of folder trees of hundreds of files each, and keeping every
        // listing was most of a run's memory.
        let mut kept: gix::hashtable::HashMap<ObjectId, Listing> = Default::default();
        let mut new_trees = Vec::new();
        let mut seen = gix::hashtable::HashSet::default();
        for tree in trees.iter().rev() {
            if !seen.insert(*tree) {
                continue;
            }
            match self.listings.get(tree) {
                Some(listing) => {
                    kept.insert(*tree, listing.clone());
                }
                None => new_trees.push(*tree),
            }
        }
        let runs = contiguous_runs(new_trees, self.readers.len());
        // Each run's trees are consecutive commits': each listing shares its paths with the one before it,
        // and a run's first with a listing of the chunk before, so a path stays one text from chunk to chunk.
        let seed: Listing = self.listings.values().next().cloned().unwrap_or_default();
        let listed = on_readers_batched(
            &mut self.readers,
            runs,
            |reader, previous: &mut Listing, tree| {
                if previous.is_empty() {
                    *previous = Arc::clone(&seed);
                }
                let files = Arc::new(reader.files_sharing(*tree, folder, previous)?);
                *previous = Arc::clone(&files);
                Ok((*tree, files))
            },
        )?;
        for (tree, files) in listed.into_iter().flat_map(|(listed, _)| listed) {
            kept.insert(tree, files.clone());
            chunk.listings.push((tree, files));
        }
        self.listings = kept;

        // Each path's new revisions, newest first, stay on one reader; paths are shared out evenly.
        let mut by_path: BTreeMap<&Arc<str>, Vec<ObjectId>> = BTreeMap::new();
        let mut seen = gix::hashtable::HashSet::default();
        for tree in trees.iter().rev() {
            for (path, blob) in self.listings[tree].iter() {
                if !self.parsed.contains(blob) && seen.insert(*blob) {
                    by_path.entry(path).or_default().push(*blob);
                }
            }
        }
        let in_pieces: std::collections::HashSet<&str, foldhash::fast::RandomState> = by_path
            .iter()
            .filter(|(path, blobs)| blobs.len() > 1 || self.held.contains_key(**path))
            .map(|(path, _)| &***path)
            .collect();
        for path in by_path.keys() {
            if !self.held.contains_key(&***path) {
                self.held.insert(Arc::clone(path), Held::default());
            }
        }
        let runs = balanced_runs(by_path, self.readers.len());
        let pieces = &self.pieces;
        // Each revision is put together as its pieces are parsed (everything it needs is in the shared pieces
        // or this reader's batch), so its text is needed only while the reader holds it.
        let done = on_readers_batched(&mut self.readers, runs, |reader, batch, (path, blob)| {
            let parsed = reader.with_blob(*blob, |bytes| {
                let assembled = std::str::from_utf8(bytes)
                    .ok()
                    .filter(|_| in_pieces.contains(path))
                    .and_then(|text| {
                        let cut = crate::core::piecewise::cut(text)?;
                        pieces.read(batch, text, cut)
                    });
                match assembled {
                    Some((okr, held)) => (Ok(Arc::new(okr)), held),
                    None => (
                        readable(crate::core::parse::parse(path, bytes.to_vec())),
                        Held::default(),
                    ),
                }
            })?;
            Ok((*path, *blob, parsed))
        })?;
        let mut newest = std::collections::HashSet::<&str, foldhash::fast::RandomState>::default();
        for (reads, batch) in done {
            self.pieces.absorb(batch);
            // A path's revisions come newest first: the first one read is the one its next revision follows.
            for (path, blob, (parsed, held)) in reads {
                if newest.insert(path)
                    && let Some(kept) = self.held.get_mut(path)
                {
                    *kept = held;
                }
                chunk.parsed.push((blob, parsed));
            }
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
    by_path: BTreeMap<&Arc<str>, Vec<ObjectId>>,
    count: usize,
) -> Vec<Vec<(&str, ObjectId)>> {
    let mut paths: Vec<(&str, Vec<ObjectId>)> = by_path
        .into_iter()
        .map(|(path, blobs)| (&**path, blobs))
        .collect();
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
pub(crate) const HISTORY_CHUNK: usize = 256;
