//! Reading a repository's history through gix, in process. The only module that touches git.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use gix::ObjectId;
use gix::bstr::ByteSlice;

use crate::core::reason::Message;
use crate::repo::cache_config::CacheConfig;
use crate::repo::walk::{
    Found, Visit, Walk, WalkOptions, effective_times, landing_times, order_for_reading,
};
use crate::repo::walk_cache::{Rejected, WalkCache};

mod commit;
mod touching;
mod tree_path;
mod unresolved;

pub use commit::Change;
use tree_path::{AtPath, at_path, components};

/// Memory for unpacked objects that later objects are deltas of, per handle (git's own
/// `core.deltaBaseCacheLimit` is 96 MB). Objects are read newest first, so what the next read needs was read
/// moments ago. On the benchmark history 32 KB to 64 KB costs no more instructions than 4 MB (16 KB costs 5 %
/// more, as bases fall out). Each cached object is a fresh allocation and every handle fills its own cache:
/// with ten handles, 4 MB each made the kernel hand out 2 MB more fresh memory, for nothing.
const PACK_CACHE_BYTES: usize = 64 * 1024;

/// Readers per core for work split unevenly (a quarter's files differ in size and history).
pub const READERS_PER_CORE: usize = 4;

/// A repository opened for reading, and where the okr workspace sits in its tree.
pub struct Git {
    repo: gix::Repository,
    /// The repository's commit-graph file, when it has one (`git gc` writes it): parents, dates and trees of
    /// commits without decompressing them, as git itself uses it.
    graph: Option<gix::commitgraph::Graph>,
    /// The workspace root relative to the top of the work tree, with a trailing `/`, or empty.
    prefix: String,
    /// Where walks are remembered between runs ([`WalkCache`]), if anywhere.
    cache: Option<CacheConfig>,
    /// What the user should know that is not part of any answer (a cache file not read), for stderr.
    notes: Notes,
}

/// Notes for stderr, shared by a repository and its readers; each said once.
#[derive(Default, Clone)]
struct Notes(std::sync::Arc<std::sync::Mutex<Vec<String>>>);

impl Notes {
    fn add(&self, note: String) {
        let mut notes = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if !notes.contains(&note) {
            notes.push(note);
        }
    }

    fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// What okr needs to know about one commit.
#[derive(Debug, Clone)]
pub struct CommitMeta {
    pub id: ObjectId,
    pub parents: Vec<ObjectId>,
    /// Committer time.
    pub time: jiff::Zoned,
    pub author: String,
    pub message: Message,
}

impl Git {
    /// Opens the repository holding `workspace_root`, found by walking up like git does.
    pub fn open(workspace_root: &Path) -> Result<Git> {
        let mut repo = gix::discover(workspace_root).map_err(|err| {
            anyhow!(
                "{} is not inside a git repository ({err}); okr reads OKR history from git, so run it in a clone",
                workspace_root.display()
            )
        })?;
        refuse_unreadable_refs(&repo)?;
        let prefix = match repo.workdir() {
            Some(workdir) => {
                let workdir = workdir
                    .canonicalize()
                    .unwrap_or_else(|_| workdir.to_path_buf());
                match workspace_root.strip_prefix(&workdir) {
                    Ok(relative) if relative.as_os_str().is_empty() => String::new(),
                    Ok(relative) => format!("{}/", relative.to_string_lossy().replace('\\', "/")),
                    Err(_) => String::new(),
                }
            }
            None => String::new(),
        };
        refuse_grafts(&repo)?;
        size_pack_cache(&mut repo);
        // As git does: no commit-graph when replace refs are in use (it holds the parents before replacement)
        // or when the configuration turns it off (`core.commitGraph = false`).
        let graph = repo.commit_graph_if_enabled().ok().flatten();
        Ok(Git {
            repo,
            prefix,
            graph,
            cache: None,
            notes: Default::default(),
        })
    }

    /// Remembers what walks learn in the cache `config` names, so the next walk of the same folder reads no
    /// trees for the commits it has seen. A cache folder or key inside this repository is not used: okr
    /// writes nothing there (a note says so).
    pub fn cache_walks_in(&mut self, config: CacheConfig) {
        let roots = [self.repo.workdir(), Some(self.repo.common_dir())];
        if let Some(inside) = roots
            .into_iter()
            .flatten()
            .find_map(|root| config.inside(root))
        {
            self.note(format!(
                "{} is inside the repository, where okr writes nothing, so the walk cache is off; \
                 set OKR_CACHE_DIR to a folder outside it (or OKR_CACHE=off)",
                inside.display()
            ));
            return;
        }
        self.cache = Some(config);
    }

    /// Where git keeps `HEAD` for this work tree, and where it keeps the refs: the same folder but in a
    /// linked worktree, whose `HEAD` is its own and whose refs are the main repository's. Without `..`: a
    /// worktree names its repository's folder as `.git/worktrees/NAME/../..`.
    pub fn ref_folders(&self) -> (PathBuf, PathBuf) {
        let plain = |path: &Path| path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        (plain(self.repo.git_dir()), plain(self.repo.common_dir()))
    }

    /// The notes gathered so far (see [`Git::note`]), taken out.
    pub fn take_notes(&self) -> Vec<String> {
        self.notes.take()
    }

    /// Adds a note, once: the same refusal met in a thousand commits is one note.
    pub(crate) fn note(&self, note: String) {
        self.notes.add(note);
    }

    /// How many notes are waiting: a read that added one said something a cached answer would not repeat.
    pub(crate) fn notes_waiting(&self) -> usize {
        self.notes.0.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// Where what runs learn is kept between them ([`Git::cache_walks_in`]), if anywhere.
    pub(crate) fn cache_config(&self) -> Option<&CacheConfig> {
        self.cache.as_ref()
    }

    /// The repository as cache files name it: its git folder (shared by its worktrees), resolved.
    pub(crate) fn cache_identity(&self) -> std::path::PathBuf {
        let repository = self.repo.common_dir();
        repository
            .canonicalize()
            .unwrap_or_else(|_| repository.to_path_buf())
    }

    /// Refuses a shallow clone: its history is cut off, so a report on it would be silently incomplete.
    pub fn require_full_history(&self) -> Result<()> {
        if self
            .repo
            .is_shallow()
            .context("cannot tell whether this is a shallow clone")?
        {
            bail!(
                "this is a shallow clone, so its history is truncated and okr cannot see every change\n\
                 help: run `git fetch --unshallow`; in GitHub Actions set `fetch-depth: 0` on actions/checkout"
            );
        }
        Ok(())
    }

    /// The commit a revision names (`HEAD`, a branch, a tag, `main~3`, an id).
    pub fn resolve(&self, spec: &str) -> Result<ObjectId> {
        if let Ok(head) = self.repo.head()
            && head.is_unborn()
            && spec.starts_with("HEAD")
        {
            let branch = self
                .repo
                .head_name()
                .ok()
                .flatten()
                .map(|name| name.shorten().to_string())
                .unwrap_or_else(|| "HEAD".to_owned());
            bail!(
                "the repository has no commits yet (`{branch}` is unborn), so there is no history to read\n\
                 help: commit the OKR files first; `okr validate` checks them before that"
            );
        }
        let id = self
            .repo
            .rev_parse_single(format!("{spec}^{{commit}}").as_str())
            .map_err(|_| unresolved::explain(&self.repo, spec))?;
        Ok(id.detach())
    }

    pub fn commit(&self, id: ObjectId) -> Result<CommitMeta> {
        read_commit(&self.repo, id)
    }

    /// Where `relative` (to the workspace root) is in the repository's tree.
    fn tree_path(&self, relative: &str) -> String {
        format!("{}{}", self.prefix, relative.trim_end_matches('/'))
    }

    /// The id of the tree or blob at `relative` in a commit, or `None` if there is nothing there.
    pub fn entry_id(&self, commit: ObjectId, relative: &str) -> Result<Option<ObjectId>> {
        let commit = self
            .repo
            .find_commit(commit)
            .map_err(|e| missing(commit, e))?;
        let tree = commit
            .tree()
            .with_context(|| format!("cannot read the tree of commit {}", commit.id))?;
        let path = self.tree_path(relative);
        let found = at_path(&self.repo, commit.id, tree.id, &components(&path))?;
        Ok(self.entry_noting(found))
    }

    /// The entry `found` names, noting why when it is one okr does not read.
    fn entry_noting(&self, found: AtPath) -> Option<ObjectId> {
        if let AtPath::Refused(why) = &found {
            self.note(why.clone());
        }
        found.entry()
    }

    /// The content of the file at `relative` (to the workspace root) in a commit, if there is a file there.
    pub fn file_at(&self, commit: ObjectId, relative: &str) -> Result<Option<Vec<u8>>> {
        let Some(id) = self.entry_id(commit, relative)? else {
            return Ok(None);
        };
        let object = self.repo.find_object(id).map_err(|e| missing(id, e))?;
        if !object.kind.is_blob() {
            return Ok(None);
        }
        Ok(Some(object.data.to_vec()))
    }

    /// The OKR files (`*.yaml`, `*.yml`) under `relative` in a commit, as (path relative to the workspace
    /// root, blob id), sorted by path.
    pub fn files_under(&self, commit: ObjectId, relative: &str) -> Result<Vec<(String, ObjectId)>> {
        match self.entry_id(commit, relative)? {
            Some(tree) => self.files_in(tree, relative),
            None => Ok(Vec::new()),
        }
    }

    /// The OKR files in the tree `tree` that stands at `relative`, as in [`Git::files_under`]. Anything but a
    /// tree (a file where a folder was expected) holds none.
    pub fn files_in(&self, tree: ObjectId, relative: &str) -> Result<Vec<(String, ObjectId)>> {
        list_files(
            &self.repo,
            tree,
            relative,
            &self.notes,
            &mut |base, name| format!("{base}/{name}"),
        )
    }

    /// The names of the entries directly under `relative` in a commit (folders and files).
    pub fn names_under(&self, commit: ObjectId, relative: &str) -> Result<Vec<String>> {
        let Some(tree_id) = self.entry_id(commit, relative)? else {
            return Ok(Vec::new());
        };
        let object = self
            .repo
            .find_object(tree_id)
            .map_err(|e| missing(tree_id, e))?;
        let Ok(tree) = object.try_into_tree() else {
            return Ok(Vec::new());
        };
        let decoded = tree
            .decode()
            .with_context(|| format!("cannot read `{relative}`"))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| e.filename.to_str_lossy().into_owned())
            .collect())
    }

    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>> {
        read_blob(&self.repo, id)
    }

    /// Handles for reading objects in parallel, each with its own caches, `per_core` for each core: work of
    /// unequal shares is best split among a few per core, so rayon's work stealing can balance it.
    pub fn readers(&self, per_core: usize) -> Vec<Reader> {
        (0..per_core.max(1) * rayon::current_num_threads().max(1))
            .map(|_| {
                // A clone gets the pack cache its configuration says, not the one set on the original.
                let mut repo = self.repo.clone();
                size_pack_cache(&mut repo);
                Reader {
                    repo,
                    notes: self.notes.clone(),
                }
            })
            .collect()
    }

    /// The best common ancestor of two commits, as `git merge-base` finds it; `None` when they have none.
    pub fn merge_base(&self, one: ObjectId, two: ObjectId) -> Result<Option<ObjectId>> {
        let base = self
            .repo
            .merge_base(one, two)
            .with_context(|| format!("cannot find where {one} and {two} meet"))?;
        Ok(base.map(|id| id.detach()))
    }

    /// The commits in `from..to`: reachable from `to` but not from `from`, newest first.
    pub fn range(&self, from: ObjectId, to: ObjectId) -> Result<Vec<ObjectId>> {
        let walk = self
            .repo
            .rev_walk([to])
            .with_hidden([from])
            .all()
            .with_context(|| format!("cannot walk the commits {from}..{to}"))?;
        let mut ids = Vec::new();
        for info in walk {
            ids.push(
                info.with_context(|| format!("cannot walk the commits {from}..{to}"))?
                    .id,
            );
        }
        Ok(ids)
    }

    /// The newest commit reachable from `tip` along first parents whose committer date is on or before `date`.
    pub fn last_commit_on_or_before(
        &self,
        tip: ObjectId,
        date: jiff::civil::Date,
    ) -> Result<Option<ObjectId>> {
        let mut current = Some(tip);
        while let Some(id) = current {
            let meta = self.commit(id)?;
            if meta.time.date() <= date {
                return Ok(Some(id));
            }
            current = meta.parents.first().copied();
        }
        Ok(None)
    }
}

/// The git library reads refs stored as files (loose and packed) only. A repository that keeps them in
/// another format opens without complaint and then seems to have no commits at all, so it is named here.
fn refuse_unreadable_refs(repo: &gix::Repository) -> Result<()> {
    let config = repo.config_snapshot();
    let Some(format) = config.string("extensions.refStorage") else {
        return Ok(());
    };
    if format.eq_ignore_ascii_case(b"files") {
        return Ok(());
    }
    let place = repo.workdir().unwrap_or(repo.git_dir());
    bail!(
        "{} is a git repository whose refs are stored in the {format} format (extensions.refStorage = {format}); \
         okr reads refs stored as files only, so it cannot see this repository's branches and tags\n\
         help: run okr in a clone made with `git clone --ref-format=files`, or convert this one with \
         `git refs migrate --ref-format=files` (git 2.48 or later: earlier ones refuse a repository with reflogs)",
        place.display()
    )
}

/// A handle on the repository for reading objects on another thread; [`Git::readers`] makes them.
pub struct Reader {
    repo: gix::Repository,
    notes: Notes,
}

impl Reader {
    /// Hands a blob's bytes to `read` without copying them out: the handle's buffer goes back to its free
    /// list afterwards, so the next read reuses the memory instead of taking fresh pages.
    pub fn with_blob<R>(&self, id: ObjectId, read: impl FnOnce(&[u8]) -> R) -> Result<R> {
        let blob = self.repo.find_blob(id).map_err(|e| missing(id, e))?;
        Ok(read(&blob.data))
    }

    /// As [`Git::files_in`], each path shared with `previous` (a listing of a tree read before, sorted by
    /// path) where it has it: a quarter's folder trees list the same few hundred paths thousands of times,
    /// and one commit's tree differs from the one before it in a file or two.
    pub fn files_sharing(
        &self,
        tree: ObjectId,
        relative: &str,
        previous: &[(Arc<str>, ObjectId)],
    ) -> Result<Vec<(Arc<str>, ObjectId)>> {
        let mut sharing = Sharing { previous, at: 0 };
        let mut shared = |base: &str, name: &str| sharing.path(base, name);
        list_files(&self.repo, tree, relative, &self.notes, &mut shared)
    }

    pub fn commit(&self, id: ObjectId) -> Result<CommitMeta> {
        read_commit(&self.repo, id)
    }
}

fn read_commit(repo: &gix::Repository, id: ObjectId) -> Result<CommitMeta> {
    let commit = repo.find_commit(id).map_err(|e| missing(id, e))?;
    let committer = commit
        .committer()
        .with_context(|| format!("commit {id} has no committer"))?;
    let time = committer
        .time()
        .with_context(|| format!("commit {id} has an unreadable date"))?;
    let author = commit
        .author()
        .map(|a| a.name.to_str_lossy().into_owned())
        .unwrap_or_default();
    let raw = commit.message_raw_sloppy();
    let message = gix::objs::commit::MessageRef::from_bytes(raw);
    let subject = message.summary().to_str_lossy().into_owned();
    let (body, reason) = match message.body() {
        Some(body) => {
            let reason = body
                .trailers()
                .find(|t| t.token.eq_ignore_ascii_case(b"reason"))
                .map(|t| t.value.to_str_lossy().trim().to_owned())
                .filter(|r| !r.is_empty());
            let text = body.without_trailer().to_str_lossy().trim().to_owned();
            (Some(text).filter(|t| !t.is_empty()), reason)
        }
        None => (None, None),
    };
    Ok(CommitMeta {
        id,
        parents: commit.parent_ids().map(|p| p.detach()).collect(),
        time: zoned(time.seconds, time.offset),
        author,
        message: Message {
            subject,
            body,
            trailer: reason,
        },
    })
}

/// The OKR files in `tree`. A symbolic link among them is not read, with a note: it is not followed as the
/// path to the folder is, because git's history of the folder does not see a change made through it (a
/// commit changing only the link's target is not in `git log -- <folder>`), so history would date it wrong.
///
/// Each path is made by `path` from the folder and the name under it.
fn list_files<P: Ord + AsRef<str>>(
    repo: &gix::Repository,
    tree: ObjectId,
    relative: &str,
    notes: &Notes,
    path: &mut dyn FnMut(&str, &str) -> P,
) -> Result<Vec<(P, ObjectId)>> {
    let object = repo.find_object(tree).map_err(|e| missing(tree, e))?;
    let Ok(tree) = object.try_into_tree() else {
        return Ok(Vec::new());
    };
    let base = relative.trim_end_matches('/');
    // A quarter's folder is nearly always flat: its entries are read directly, without the traversal's
    // bookkeeping (a fifth of a first run's listing cost). Subfolders take the traversal below.
    let mut files = Vec::new();
    let mut flat = true;
    for entry in tree.iter() {
        let entry =
            entry.with_context(|| format!("cannot list `{relative}` in tree {}", tree.id))?;
        let mode = entry.mode();
        if mode.is_tree() {
            flat = false;
            break;
        }
        let name = entry.filename().to_str_lossy();
        if mode.is_link() {
            notes.add(link_in_folder(&format!("{base}/{name}")));
        }
        if mode.is_blob() && crate::core::parse::is_okr_file_name(&name) {
            files.push((path(base, &name), entry.oid().to_owned()));
        }
    }
    if flat {
        files.sort();
        return Ok(files);
    }
    let entries = tree
        .traverse()
        .breadthfirst
        .files()
        .with_context(|| format!("cannot list `{relative}` in tree {}", tree.id))?;
    for link in entries.iter().filter(|e| e.mode.is_link()) {
        notes.add(link_in_folder(&format!(
            "{base}/{}",
            link.filepath.to_str_lossy()
        )));
    }
    let mut files: Vec<(P, ObjectId)> = entries
        .into_iter()
        .filter(|e| e.mode.is_blob())
        .filter(|e| crate::core::parse::is_okr_file_name(&e.filepath.to_str_lossy()))
        .map(|e| (path(base, &e.filepath.to_str_lossy()), e.oid))
        .collect();
    files.sort();
    Ok(files)
}

/// Paths of a listing, shared with the listing before it where it has them.
struct Sharing<'a> {
    /// Sorted by path.
    previous: &'a [(Arc<str>, ObjectId)],
    /// Where the next path asked for is likely to be in `previous`.
    at: usize,
}

impl Sharing<'_> {
    /// `base/name`, as `previous` has it if it does. Asked in sorted order, as a tree lists its entries, each
    /// is nearly always the one after the path asked before it.
    fn path(&mut self, base: &str, name: &str) -> Arc<str> {
        let next = self.previous.get(self.at).map(|(path, _)| path);
        if let Some(path) = next.filter(|path| is_joined(path, base, name)) {
            self.at += 1;
            return Arc::clone(path);
        }
        let joined = format!("{base}/{name}");
        match self
            .previous
            .binary_search_by(|(path, _)| (**path).cmp(joined.as_str()))
        {
            Ok(found) => {
                self.at = found + 1;
                Arc::clone(&self.previous[found].0)
            }
            Err(_) => joined.into(),
        }
    }
}

/// Whether `path` is `base/name`, without writing it out.
fn is_joined(path: &str, base: &str, name: &str) -> bool {
    path.len() == base.len() + 1 + name.len()
        && path.starts_with(base)
        && path.as_bytes()[base.len()] == b'/'
        && path.ends_with(name)
}

fn link_in_folder(path: &str) -> String {
    format!(
        "`{path}` is a symbolic link in git: okr reads the files committed in a quarter's folder, not links \
         inside it (a change made through one is not in the folder's history), so history, show, report and \
         diff leave it out; commit the file itself"
    )
}

fn read_blob(repo: &gix::Repository, id: ObjectId) -> Result<Vec<u8>> {
    let mut blob = repo.find_blob(id).map_err(|e| missing(id, e))?;
    Ok(blob.take_data())
}

/// gix's default pack cache holds 64 entries; a quarter's trees and blobs are hundreds of delta chains read one
/// after another, and a cache bounded by size instead keeps far more of what later reads are deltas of
/// (measured: 10 % fewer instructions for a whole history). A user's own `core.deltaBaseCacheLimit` is kept.
fn size_pack_cache(repo: &mut gix::Repository) {
    if repo
        .config_snapshot()
        .integer("core.deltaBaseCacheLimit")
        .is_none()
    {
        repo.objects.set_pack_cache(|| {
            Box::new(gix::odb::pack::cache::lru::MemoryCappedHashmap::new(
                PACK_CACHE_BYTES,
            ))
        });
    }
}

/// Grafts (`info/grafts`) change a commit's parents for git, which has deprecated them; gix does not read
/// them, so okr would walk another history than `git log` shows. Refused, with git's own way out.
fn refuse_grafts(repo: &gix::Repository) -> Result<()> {
    let grafts = repo.common_dir().join("info").join("grafts");
    if std::fs::metadata(&grafts).is_ok_and(|m| m.len() > 0) {
        bail!(
            "this repository has grafts ({}), which change commits' parents for git; okr does not read them, so \
             it would walk another history than `git log` shows\n\
             help: convert them to replace refs, which okr reads as git does: `git replace --convert-graft-file`",
            grafts.display()
        );
    }
    Ok(())
}

/// A time in seconds since the epoch, at a UTC offset in seconds.
pub fn zoned(seconds: i64, offset: i32) -> jiff::Zoned {
    let timestamp = jiff::Timestamp::from_second(seconds).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    let offset = jiff::tz::Offset::from_seconds(offset).unwrap_or(jiff::tz::Offset::UTC);
    timestamp.to_zoned(jiff::tz::TimeZone::fixed(offset))
}

/// An object that should be there is not: say why that usually happens.
fn missing(id: ObjectId, err: impl std::fmt::Display) -> anyhow::Error {
    anyhow!(
        "cannot read git object {id}: {err}\n\
         help: the repository may be a partial (blobless) clone or damaged; okr needs every object, so fetch \
         them (`git fetch --refetch`) or clone without `--filter`"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_shares_the_paths_the_listing_before_it_had() {
        let id = ObjectId::null(gix::hash::Kind::Sha1);
        let previous: Vec<(Arc<str>, ObjectId)> =
            ["okrs/q/a.yaml", "okrs/q/c.yaml", "okrs/q/d.yaml"]
                .into_iter()
                .map(|p| (Arc::from(p), id))
                .collect();
        let mut sharing = Sharing {
            previous: &previous,
            at: 0,
        };
        // a.yaml as before, b.yaml new, c.yaml gone, d.yaml found past the gap; then one asked out of order.
        let a = sharing.path("okrs/q", "a.yaml");
        let b = sharing.path("okrs/q", "b.yaml");
        let d = sharing.path("okrs/q", "d.yaml");
        let c = sharing.path("okrs/q", "c.yaml");
        assert!(Arc::ptr_eq(&a, &previous[0].0));
        assert_eq!(&*b, "okrs/q/b.yaml");
        assert!(Arc::ptr_eq(&d, &previous[2].0));
        assert!(Arc::ptr_eq(&c, &previous[1].0));
        // A path is taken for `base/name` only when it is exactly that.
        assert!(is_joined("okrs/q/a.yaml", "okrs/q", "a.yaml"));
        assert!(!is_joined("okrs/qa.yaml", "okrs", "a.yaml"));
        assert!(!is_joined("okrs/x/a.yaml", "okrs/q", "a.yaml"));
        assert!(!is_joined("okrs/q-a.yaml", "okrs/q", "a.yaml"));
    }
}
