//! What the server reads from git: the history hover shows, a quarter's events as `okr history` reads them
//! ([`repo::history::read`], the same walk and the same events), kept per workspace and quarter for as long
//! as `HEAD` stays where it was; and each open file as `HEAD` has it, which the change policy compares the
//! editor's text with ([`crate::lsp::reasons`]), kept the same way.
//!
//! Reading a quarter's history costs a walk of its commits (tens of milliseconds on a 5,000-commit
//! repository, less with the walk cache `okr history` keeps, which the server uses as the CLI does); asking
//! git where `HEAD` is costs a ref read. So each hover asks for `HEAD`, and reads the quarter again only when it
//! moved (a commit, a pull, a branch switch). The events also depend on `okr.toml` (its calendar, planning
//! window, `[policy]` and `dir`), so the server forgets a workspace's histories when it reads that file again
//! ([`Histories::forget`]). A workspace outside git, or a quarter git cannot tell about
//! (never committed, a shallow clone), has no history: hover shows the rest, and no error.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gix::ObjectId;

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
}

/// An OKR file as committed at `HEAD`, and the `okr.toml` that judges the changes made to it since.
pub struct Committed {
    pub okr: Arc<OkrFile>,
    pub judged_by: Arc<Config>,
}

impl Histories {
    /// The events of `quarter` in `workspace`'s history up to `HEAD`, oldest first; `None` outside git.
    pub fn quarter(&mut self, workspace: &Workspace, quarter: Quarter) -> Option<Arc<Vec<Event>>> {
        let (repository, _) = self.at_head(workspace)?;
        let git = repository.git.as_ref()?;
        repository
            .quarters
            .entry(quarter)
            .or_insert_with(|| read(workspace, git, quarter))
            .clone()
    }

    /// The file at `path` (from the workspace root) as committed at `HEAD`, read once per `HEAD`: what the
    /// editor's text is compared with to find the changes it makes. `None` outside git, before the first
    /// commit, and for a file `HEAD` does not have (a new one) or that does not parse there.
    pub fn committed(&mut self, workspace: &Workspace, path: &str) -> Option<Committed> {
        let (repository, head) = self.at_head(workspace)?;
        let git = repository.git.as_ref()?;
        let okr = repository
            .committed
            .entry(path.to_owned())
            .or_insert_with(|| {
                let bytes = git.file_at(head, path).ok()??;
                // What the tree walk noticed (a path okr does not follow) has no reader here.
                git.take_notes();
                parse::parse(path, bytes).okr.map(Arc::new)
            })
            .clone()?;
        let judged_by = repository.judged_by.get_or_insert_with(|| {
            // The warnings `okr diff` prints (an okr.toml that judges otherwise now) have no reader here.
            let config = config::at_commit(git, head, &workspace.config, &mut Vec::new());
            Arc::new(config.unwrap_or_else(|_| workspace.config.clone()))
        });
        Some(Committed {
            okr,
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
            });
        let head = repository.git.as_ref()?.resolve("HEAD").ok();
        if head != repository.head {
            repository.quarters.clear();
            repository.committed.clear();
            repository.judged_by = None;
            repository.head = head;
        }
        Some((repository, head?))
    }

    /// Drops what was read for the workspace at `root`: its `okr.toml` changed, and with it which changes are
    /// mid-quarter, which need a reason, where the files are. The next hover reads the quarter again.
    pub fn forget(&mut self, root: &Path) {
        self.repositories.remove(root);
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

fn read(workspace: &Workspace, git: &Git, quarter: Quarter) -> Option<Arc<Vec<Event>>> {
    let query = Query {
        quarter,
        rev: "HEAD".to_owned(),
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
