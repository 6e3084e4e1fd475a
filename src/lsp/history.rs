//! What the server reads from git: the history hover shows, a quarter's events as `okr history` reads them
//! ([`repo::history::read`], the same walk and the same events), kept per workspace and quarter for as long
//! as `HEAD` stays where it was; and each open file as `HEAD` has it, which the change policy compares the
//! editor's text with ([`crate::lsp::reasons`]), kept the same way.
//!
//! Reading a quarter's history costs a walk of its commits (tens of milliseconds on a 5,000-commit
//! repository, seconds on a quarter of thousands of commits; less with the walk cache `okr history` keeps,
//! which the server uses as the CLI does); asking git where `HEAD` is costs a ref read. So each hover asks for
//! `HEAD`, and the quarter is read again only when it moved (a commit, a pull, a branch switch), and then on a
//! thread of its own ([`Histories::start`]): the server's thread goes on serving edits while it is read, and
//! the hover is answered when it is done. A file of the committed ones is one object read, done where it is
//! asked for. The events also depend on `okr.toml` (its calendar, planning
//! window, `[policy]` and `dir`), so the server forgets a workspace's histories when it reads that file again
//! ([`Histories::forget`]). A workspace outside git, or a quarter git cannot tell about
//! (never committed, a shallow clone), has no history: hover shows the rest, and no error.

use std::collections::{HashMap, HashSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use gix::ObjectId;

use crate::core::compare::{self, SnapshotFile};
use crate::core::history::Event;
use crate::core::model::{OkrFile, Quarter};
use crate::core::parse;
use crate::repo::cache_config::CacheConfig;
use crate::repo::config::{self, Config};
use crate::repo::git::Git;
use crate::repo::history::{self, Query};
use crate::repo::workspace::Workspace;

/// The histories read so far, by workspace root.
#[derive(Default)]
pub struct Histories {
    repositories: HashMap<PathBuf, Repository>,
    /// The reads running on threads of their own.
    running: HashSet<Read>,
    /// How many times a workspace's `okr.toml` changed ([`Histories::forget`]): a read started before holds
    /// the events as the old one decided them, so it is not kept.
    generation: u64,
}

/// A quarter's history to read at one commit, off the server's thread.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Read {
    /// The workspace root.
    pub root: PathBuf,
    pub head: ObjectId,
    pub quarter: Quarter,
    generation: u64,
}

/// A read that is done: the quarter's events, oldest first; `None` when git cannot tell its history.
pub struct Done {
    pub read: Read,
    pub events: Option<Arc<Vec<Event>>>,
}

/// What is known of a quarter's history at `HEAD`.
pub enum Known {
    /// Read: the events, oldest first; `None` when git cannot tell its history.
    Read(Option<Arc<Vec<Event>>>),
    /// Not read at this `HEAD` yet: the read to start ([`Histories::start`]), which may be running already.
    Unread(Read),
}

/// One workspace's repository, opened once; `None` when the workspace is not in git.
struct Repository {
    git: Option<Git>,
    /// `HEAD` when the quarters and files below were read.
    head: Option<ObjectId>,
    /// Each quarter's events, oldest first; `None` when git cannot tell its history.
    quarters: HashMap<Quarter, Option<Arc<Vec<Event>>>>,
    /// Each OKR file as `HEAD` has it, by path from the workspace root; `None` when `HEAD` has no such file
    /// or it does not parse there.
    committed: HashMap<String, Option<Arc<OkrFile>>>,
    /// The `okr.toml` `HEAD` has, which judges the changes made on top of it, as `okr diff --check` judges
    /// the working tree's; read with the first file.
    judged_by: Option<Arc<Config>>,
    /// The paths of the OKR files `HEAD` has, listed when a file is not at its path there.
    listed: Option<Vec<String>>,
    /// Whether `HEAD` moved while something was read (a hover, an edit's diagnostics), which forgot what was
    /// read at the old one before [`Histories::moved`] was asked: it still has to say so.
    moved_unsaid: bool,
}

/// Which team's file, in which quarter, a file is ([`compare::team_of`]).
pub type TeamOf = (Option<String>, String);

/// An OKR file as committed at `HEAD` (at the path `HEAD` has it), and the `okr.toml` that judges the changes
/// made to it since.
pub struct Committed {
    pub file: SnapshotFile,
    pub judged_by: Arc<Config>,
}

impl Histories {
    /// What is known of `quarter`'s history in `workspace` up to `HEAD`; `None` outside git (and before the
    /// first commit), where there is nothing to read.
    pub fn quarter(&mut self, workspace: &Workspace, quarter: Quarter) -> Option<Known> {
        let root = workspace.root.clone();
        let generation = self.generation;
        let (repository, head) = self.at_head(workspace)?;
        repository.git.as_ref()?;
        Some(match repository.quarters.get(&quarter) {
            Some(events) => Known::Read(events.clone()),
            None => Known::Unread(Read {
                root,
                head,
                quarter,
                generation,
            }),
        })
    }

    /// Starts reading `read` (of `workspace`) on a thread of its own, unless it is running already; `done` is
    /// called there with what was read, which the server hands to [`Histories::finish`]. `false` when no
    /// thread could be started: the quarter is then taken as one git cannot tell about, and not tried again
    /// at this `HEAD`.
    pub fn start(
        &mut self,
        workspace: &Workspace,
        read: Read,
        done: impl FnOnce(Done) + Send + 'static,
    ) -> bool {
        if self.running.contains(&read) {
            return true;
        }
        let job = read.clone();
        let workspace = workspace.clone();
        let spawned = std::thread::Builder::new()
            .name("okr-history".to_owned())
            .spawn(move || {
                hold_for_tests();
                // A bug met while reading is a history not shown, not a server that stops answering hovers.
                let events = catch_unwind(AssertUnwindSafe(|| {
                    let git = open(&workspace)?;
                    read_at(&workspace, &git, job.head, job.quarter)
                }))
                .ok()
                .flatten();
                done(Done { read: job, events });
            });
        match spawned {
            Ok(_) => {
                self.running.insert(read);
                true
            }
            Err(_) => {
                self.finish(Done { read, events: None });
                false
            }
        }
    }

    /// Keeps what a read found, if `HEAD` is still where it was read at; a read of an older `HEAD` is dropped
    /// (the hovers that waited for it are answered from it all the same: it was `HEAD` when they asked).
    pub fn finish(&mut self, done: Done) {
        self.running.remove(&done.read);
        if done.read.generation != self.generation {
            return;
        }
        if let Some(repository) = self.repositories.get_mut(&done.read.root)
            && repository.head == Some(done.read.head)
        {
            repository.quarters.insert(done.read.quarter, done.events);
        }
    }

    /// Whether `HEAD` of the workspace at `root` moved since this was last asked (a commit, a checkout, a
    /// pull), noticed now or by a read in between; what was read at the old one is forgotten. `false` for a
    /// workspace nothing was read from yet: nothing of it can be stale.
    pub fn moved(&mut self, root: &Path) -> bool {
        let Some(repository) = self.repositories.get_mut(root) else {
            return false;
        };
        let Some(git) = repository.git.as_ref() else {
            return false;
        };
        let head = git.resolve("HEAD").ok();
        if head != repository.head {
            repository.forget_all(head);
        }
        std::mem::take(&mut repository.moved_unsaid)
    }

    /// Whether a read of `quarter`'s history in the workspace at `root` is running, at any `HEAD`.
    pub fn reading(&self, root: &Path, quarter: Quarter) -> bool {
        self.running
            .iter()
            .any(|read| read.root == root && read.quarter == quarter)
    }

    /// The file of `editor`'s team and quarter as committed at `HEAD`, read once per `HEAD`: what the editor's
    /// text (`editor`, the file at `path` from the workspace root) is compared with to find the changes it
    /// makes. As `okr diff --check` pairs files, by team and quarter: the file at the same path, or, when that
    /// is not the same team's (or `HEAD` has none), the team's file at another path `HEAD` has where the
    /// working tree no longer has that team's file (`in_tree` says whose file it has at a path: gone, or
    /// another team's), renamed or moved since. Failing that, the file `HEAD` has at the same path, unless its
    /// team's file is elsewhere in the working tree (`elsewhere`), which `okr diff --check` compares it with.
    /// `None` outside git, before the first commit, and for a team's file `HEAD` does not have (a new one) or
    /// that does not parse there.
    pub fn committed(
        &mut self,
        workspace: &Workspace,
        editor: &SnapshotFile,
        in_tree: impl Fn(&str) -> Option<TeamOf>,
        elsewhere: impl Fn(&TeamOf) -> bool,
    ) -> Option<Committed> {
        let (repository, head) = self.at_head(workspace)?;
        let git = repository.git.as_ref()?;
        let files = &mut repository.committed;
        let team = compare::team_of(editor);
        let same_path = file_at(files, git, head, &editor.path);
        let found = match same_path {
            Some(okr) if compare::team_of(&snapshot(&editor.path, &okr)) == team => {
                Some(snapshot(&editor.path, &okr))
            }
            same_path => {
                // Listed once per HEAD, and only for a file not at its path in HEAD: a new or renamed one.
                let listed = repository.listed.get_or_insert_with(|| {
                    let listed = git.files_under(head, &workspace.config.dir);
                    git.take_notes();
                    let listed = listed.unwrap_or_default();
                    listed.into_iter().map(|(path, _)| path).collect()
                });
                let renamed = listed
                    .iter()
                    .filter(|path| **path != *editor.path)
                    .find_map(|path| {
                        let okr = file_at(files, git, head, path)?;
                        let file = snapshot(path, &okr);
                        (compare::team_of(&file) == team && in_tree(path).as_ref() != Some(&team))
                            .then_some(file)
                    });
                renamed.or_else(|| {
                    let file = snapshot(&editor.path, &same_path?);
                    (!elsewhere(&compare::team_of(&file))).then_some(file)
                })
            }
        }?;
        let judged_by = repository.judged_by.get_or_insert_with(|| {
            // The warnings `okr diff` prints (an okr.toml that judges otherwise now) have no reader here.
            let config = config::at_commit(git, head, &workspace.config, &mut Vec::new());
            Arc::new(config.unwrap_or_else(|_| workspace.config.clone()))
        });
        Some(Committed {
            file: found,
            judged_by: Arc::clone(judged_by),
        })
    }

    /// The workspace's repository and where `HEAD` is, having forgotten what was read at another `HEAD`
    /// (a commit, a pull, a branch switch). Asking costs a ref read, so every caller asks.
    fn at_head(&mut self, workspace: &Workspace) -> Option<(&mut Repository, ObjectId)> {
        let repository = self
            .repositories
            .entry(workspace.root.clone())
            .or_insert_with(|| Repository {
                git: open(workspace),
                head: None,
                quarters: HashMap::new(),
                committed: HashMap::new(),
                judged_by: None,
                listed: None,
                moved_unsaid: false,
            });
        let head = repository.git.as_ref()?.resolve("HEAD").ok();
        if head != repository.head {
            repository.forget_all(head);
        }
        Some((repository, head?))
    }

    /// Drops what was read for the workspace at `root`: its `okr.toml` changed, and with it which changes are
    /// mid-quarter, which need a reason, where the files are. The next hover reads the quarter again.
    pub fn forget(&mut self, root: &Path) {
        self.repositories.remove(root);
        self.generation += 1;
    }
}

impl Repository {
    /// Forgets what was read at another `HEAD` than `head`, now where `HEAD` is.
    fn forget_all(&mut self, head: Option<ObjectId>) {
        self.quarters.clear();
        self.committed.clear();
        self.judged_by = None;
        self.listed = None;
        self.head = head;
        self.moved_unsaid = true;
    }
}

/// The file at `path` as committed at `head`, parsed, from `files` or read into it; `None` when `head` has no
/// file there or it does not parse.
fn file_at(
    files: &mut HashMap<String, Option<Arc<OkrFile>>>,
    git: &Git,
    head: ObjectId,
    path: &str,
) -> Option<Arc<OkrFile>> {
    files
        .entry(path.to_owned())
        .or_insert_with(|| {
            let bytes = git.file_at(head, path).ok()??;
            // What the tree walk noticed (a path okr does not follow) has no reader here.
            git.take_notes();
            parse::parse(path, bytes).okr.map(Arc::new)
        })
        .clone()
}

fn snapshot(path: &str, okr: &Arc<OkrFile>) -> SnapshotFile {
    SnapshotFile {
        path: path.into(),
        okr: Arc::clone(okr),
    }
}

/// For okr's own tests only: when `OKR_TEST_HISTORY_GATE` names a file, a read waits until that file exists
/// (for a minute at most), so a test can hold a read in progress and see that the server goes on meanwhile.
/// Nothing else sets it; a user who did would only see hovers wait.
fn hold_for_tests() {
    let Some(gate) = std::env::var_os("OKR_TEST_HISTORY_GATE") else {
        return;
    };
    let until = Instant::now() + Duration::from_secs(60);
    while !Path::new(&gate).exists() && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn open(workspace: &Workspace) -> Option<Git> {
    let mut git = Git::open(&workspace.root).ok()?;
    // The walk cache of `okr history`, decided from the environment as the CLI decides it.
    if let Some(config) = CacheConfig::of_process() {
        git.cache_walks_in(config);
    }
    Some(git)
}

/// The events of `quarter` up to the commit `head` (what `HEAD` was when the read was asked for: it may
/// have moved since).
fn read_at(
    workspace: &Workspace,
    git: &Git,
    head: ObjectId,
    quarter: Quarter,
) -> Option<Arc<Vec<Event>>> {
    let query = Query {
        quarter,
        rev: head.to_string(),
        first_parent: false,
        team: None,
        since: None,
        until: None,
    };
    let history = history::read(workspace, git, &query).ok()?;
    // What the walk noticed for stderr (a cache file not trusted) has no reader here.
    git.take_notes();
    Some(Arc::new(history.events))
}
