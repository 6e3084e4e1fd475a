//! What the editor tells about documents and files: opened, changed, saved, closed, changed on disk; each
//! re-checks what it can change and queues the diagnostics that changed.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use lsp_server::Notification;
use lsp_types::{
    DidChangeTextDocumentParams, DidChangeWatchedFilesParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, DidSaveTextDocumentParams, Url,
};

use super::{Server, State, from_value};
use crate::core::parse::is_okr_file_name;
use crate::lsp::position::Lines;
use crate::lsp::world::file_path;
use crate::lsp::{diagnostics, watch};
use crate::repo::git::Git;

impl<W: Write> Server<W> {
    pub(super) fn notification(&mut self, notification: Notification) {
        if self.state != State::Running {
            return;
        }
        let method = notification.method.clone();
        let value = notification.params;
        match method.as_str() {
            "textDocument/didOpen" => {
                if let Some(p) = from_value::<DidOpenTextDocumentParams>(value) {
                    let uri = p.text_document.uri;
                    self.opened.insert(uri.clone(), p.text_document.version);
                    self.update(uri.clone(), p.text_document.text, true);
                    if let Some((index, path)) = self.world.find_uri(&uri) {
                        self.read_ahead(index, &path);
                    }
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = from_value::<DidChangeTextDocumentParams>(value) {
                    let uri = p.text_document.uri;
                    // A change to a document never opened is no text to hold: the disk's stays.
                    if !self.is_open(&uri) {
                        return;
                    }
                    self.opened.insert(uri.clone(), p.text_document.version);
                    let mut text = self.text_of(&uri);
                    for change in p.content_changes {
                        match change.range {
                            // Ranges although okr asked for whole texts: applied all the same.
                            Some(range) => {
                                let lines = Lines::new(&text);
                                let start = lines.offset(range.start);
                                let end = lines.offset(range.end).max(start);
                                text.replace_range(start..end, &change.text);
                            }
                            None => text = change.text,
                        }
                    }
                    self.update(uri, text, false);
                }
            }
            "textDocument/didSave" => {
                if let Some(p) = from_value::<DidSaveTextDocumentParams>(value) {
                    let uri = p.text_document.uri;
                    if !self.is_open(&uri) {
                        // Saved without being opened here: the file changed on disk, so read it again.
                        self.reread(&uri);
                        return;
                    }
                    let text = p.text.unwrap_or_else(|| self.text_of(&uri));
                    self.update(uri, text, true);
                }
            }
            "initialized" if self.watch != watch::Support::None => {
                let mut dirs: Vec<String> = self
                    .world
                    .projects
                    .iter()
                    .map(|p| p.workspace.config.dir.clone())
                    .collect();
                // Workspaces loaded later, when a file of theirs is opened, most often keep the default.
                dirs.push("okrs".to_owned());
                // Where git keeps each repository's HEAD and refs, for a client that watches anywhere; the
                // workspaces loaded later have the patterns every client matches.
                let git: Vec<watch::RefFolders> = match self.watch {
                    watch::Support::RelativePatterns => self
                        .world
                        .projects
                        .iter()
                        .filter_map(|p| Git::open(&p.workspace.root).ok())
                        .map(|git| {
                            let (head, refs) = git.ref_folders();
                            watch::RefFolders { head, refs }
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let request = watch::registration(dirs.iter().map(String::as_str), &git);
                self.watched_dirs = dirs;
                self.outgoing.push(request.into());
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(p) = from_value::<DidChangeWatchedFilesParams>(value) {
                    for change in p.changes {
                        self.changed_on_disk(&change.uri);
                    }
                    // Whatever changed (git's refs, or files a checkout wrote), HEAD may have moved with it.
                    self.check_heads();
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = from_value::<DidCloseTextDocumentParams>(value) {
                    self.opened.remove(&p.text_document.uri);
                    self.close(p.text_document.uri);
                }
            }
            "$/cancelRequest" => {
                if let Some(p) = from_value(value) {
                    self.cancel(p);
                }
            }
            // `initialized` (when the client cannot watch files), `$/setTrace`, and whatever else a client
            // tells: nothing to do.
            _ => {}
        }
    }

    /// Tells each workspace whose OKR files the client reports changes to that it need not look for them on
    /// disk at every edit ([`crate::lsp::world::Project::watch`]): once the client agreed to watch, for an OKR
    /// folder inside a folder the editor opened (clients watch only those) that was among those registered.
    pub(super) fn apply_watch(&mut self) {
        if !self.watching {
            return;
        }
        for project in &mut self.world.projects {
            let dir = &project.workspace.config.dir;
            let okr_dir = project.workspace.okr_dir();
            if !project.watched()
                && watch::covers(&self.watched_dirs, dir)
                && self.folders.iter().any(|f| okr_dir.starts_with(f))
            {
                project.watch();
            }
        }
    }

    /// The text the server holds for `uri`: the editor's, or the file's on disk; empty for any other.
    fn text_of(&self, uri: &Url) -> String {
        self.world
            .document(uri)
            .map(|(_, _, file)| file.text().to_owned())
            .unwrap_or_default()
    }

    /// Whether the editor has `uri` open.
    fn is_open(&self, uri: &Url) -> bool {
        self.opened.contains_key(uri)
    }

    /// A closed file of a loaded workspace is read again from disk, and what relied on it checked again.
    fn reread(&mut self, uri: &Url) {
        let Some((index, _)) = self.world.find_uri(uri) else {
            return;
        };
        self.refresh_config(index);
        let Some((index, path)) = self.world.find_uri(uri) else {
            return;
        };
        let affected = self.world.projects[index].close(&path);
        self.queue_diagnostics(index, &affected, Some(uri));
    }

    /// The client says the file at `uri` was created, changed or deleted on disk: an `okr.toml` of a loaded
    /// workspace is read again, an OKR file the editor does not hold open too; a folder deleted or moved makes
    /// the workspaces holding it look on disk again. Git's own files (`HEAD`, refs) are left to
    /// [`Server::check_heads`], which the caller asks after the whole report.
    fn changed_on_disk(&mut self, uri: &Url) {
        let Some(path) = file_path(uri) else {
            return;
        };
        let folder = path
            .parent()
            .filter(|_| path.file_name().is_some_and(|n| n == "okr.toml"))
            .and_then(|f| f.canonicalize().ok());
        let config = folder.and_then(|folder| {
            self.world.projects.iter().position(|p| {
                p.workspace
                    .config_path
                    .as_deref()
                    .and_then(Path::parent)
                    .is_some_and(|c| c == folder)
            })
        });
        if let Some(index) = config {
            self.refresh_config(index);
            return;
        }
        if !path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(is_okr_file_name)
        {
            // Nothing of git's holds OKR files: a watcher of a root OKR folder (`**`) reports its lock files.
            if path.components().any(|c| c.as_os_str() == ".git") {
                return;
            }
            // A folder deleted or moved, which a client may report alone, not each file in it (VS Code does):
            // the workspaces holding it look on disk again at the next edit.
            let resolved = path
                .parent()
                .and_then(|p| p.canonicalize().ok())
                .zip(path.file_name())
                .map(|(parent, name)| parent.join(name));
            for project in &mut self.world.projects {
                let okr_dir = project.workspace.okr_dir();
                if std::iter::once(&path)
                    .chain(&resolved)
                    .any(|p| p.starts_with(&okr_dir))
                {
                    project.restamp();
                }
            }
            return;
        }
        let open = self
            .world
            .document(uri)
            .is_some_and(|(_, _, file)| file.open.is_some());
        if !open {
            self.reread(uri);
        }
    }

    /// Reads the `okr.toml` of project `index` again if it changed, and then publishes what that changed for
    /// every open document; if it cannot be read, the previous one stays and a warning says why.
    fn refresh_config(&mut self, index: usize) {
        self.refresh_config_of(index);
        // A workspace loaded just now, or whose OKR folder moved, may be one the client watches.
        self.apply_watch();
    }

    fn refresh_config_of(&mut self, index: usize) {
        match self.world.projects[index].refresh_config() {
            Ok(false) => {}
            Ok(true) => {
                self.histories
                    .forget(&self.world.projects[index].workspace.root);
                let uris: Vec<Url> = self.published.keys().cloned().collect();
                for uri in uris {
                    let now = match self.world.find_uri(&uri) {
                        Some((i, path)) if i == index => {
                            diagnostics::of(&self.world.projects[index], &path, &mut self.histories)
                        }
                        Some(_) => continue,
                        // No longer an OKR file (`dir` moved).
                        None => Vec::new(),
                    };
                    if self.published.get(&uri) != Some(&now) {
                        self.published.insert(uri.clone(), now.clone());
                        let version = self.opened.get(&uri).copied();
                        self.outgoing
                            .push(diagnostics::publish(uri, now, version).into());
                    }
                }
            }
            Err(err) => {
                let root = self.world.projects[index]
                    .workspace
                    .root
                    .display()
                    .to_string();
                self.pending.push(format!(
                    "okr: the okr.toml of {root} cannot be read, so the one read before stays: {err:#}"
                ));
            }
        }
    }

    /// The editor's text of `uri` replaces what the server had; the diagnostics that changed are queued.
    /// `restamp` when the editor opened or saved the file: a moment to look at the files on disk once more,
    /// though the editor watches them ([`crate::lsp::world::Project::restamp`]).
    fn update(&mut self, uri: Url, text: String, restamp: bool) {
        let located = match self.world.locate(&uri) {
            Ok(located) => located,
            Err(err) => {
                self.pending
                    .push(format!("okr: no OKR checks for {uri}: {err:#}"));
                return;
            }
        };
        let Some((index, _)) = located else {
            return;
        };
        self.refresh_config(index);
        let Some((index, path)) = self.world.find_uri(&uri) else {
            return;
        };
        if restamp {
            self.world.projects[index].restamp();
        }
        // Only the edited file's own findings now: the other files it touches are checked after its
        // diagnostics are sent ([`Server::recheck_stale`]), so the editor does not wait for thousands of them.
        let checked = self.world.projects[index].set_text_first(&path, text, uri.clone());
        self.queue_diagnostics(index, &checked, Some(&uri));
    }

    fn close(&mut self, uri: Url) {
        let Some((index, _)) = self.world.find_uri(&uri) else {
            return;
        };
        self.refresh_config(index);
        let Some((index, path)) = self.world.find_uri(&uri) else {
            self.published.remove(&uri);
            self.outgoing
                .push(diagnostics::publish(uri, Vec::new(), None).into());
            return;
        };
        let affected = self.world.projects[index].close(&path);
        self.published.remove(&uri);
        self.outgoing
            .push(diagnostics::publish(uri.clone(), Vec::new(), None).into());
        self.queue_diagnostics(index, &affected, Some(&uri));
    }

    /// Checks again the files the last edit left stale in each workspace ([`Project::set_text_first`]) and
    /// queues what changed of the open ones. Asked after each message is handled and what it queued sent, so
    /// they follow the edited file's diagnostics before the next message is read, and none is published out
    /// of date.
    ///
    /// [`Project::set_text_first`]: crate::lsp::world::Project::set_text_first
    pub(super) fn recheck_stale(&mut self) {
        for index in 0..self.world.projects.len() {
            let rechecked = self.world.projects[index].recheck_stale();
            self.queue_diagnostics(index, &rechecked, None);
        }
    }

    /// Queues the diagnostics of each open file among `affected` that changed since they were last published,
    /// and always those of `changed`, the file the editor just changed (while it is open).
    fn queue_diagnostics(
        &mut self,
        index: usize,
        affected: &BTreeSet<String>,
        changed: Option<&Url>,
    ) {
        let project = &self.world.projects[index];
        for path in affected {
            let Some(uri) = project.file(path).and_then(|f| f.open.clone()) else {
                continue;
            };
            let now = diagnostics::of(project, path, &mut self.histories);
            if Some(&uri) != changed && self.published.get(&uri) == Some(&now) {
                continue;
            }
            self.published.insert(uri.clone(), now.clone());
            let version = self.opened.get(&uri).copied();
            self.outgoing
                .push(diagnostics::publish(uri, now, version).into());
        }
    }
}
