//! The message loop: one message at a time, in the order the client sent them, on one thread.
//!
//! The protocol's lifecycle is kept: before `initialize` every request is answered `ServerNotInitialized` and
//! notifications are dropped; after `shutdown` every request is answered `InvalidRequest`; `exit` ends the
//! loop, cleanly only after `shutdown`. A request okr does not serve is answered `MethodNotFound`, one whose
//! parameters do not fit its method `InvalidParams`, and one that hits a bug in okr `InternalError`; the
//! server goes on in every case.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    CompletionResponse, Diagnostic, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams,
    DocumentSymbolParams, DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse,
    HoverParams, InitializeParams, InitializeResult, MessageType, OneOf, PositionEncodingKind,
    SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions, TextDocumentSyncSaveOptions, Url,
    WorkspaceSymbolParams,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::core::parse::is_okr_file_name;
use crate::lsp::history::Histories;
use crate::lsp::position::Lines;
use crate::lsp::transport::{self, Incoming};
use crate::lsp::world::{World, file_path};
use crate::lsp::{Ending, actions, completion, definition, diagnostics, hover, symbols, watch};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Waiting for `initialize`.
    Starting,
    Running,
    /// `shutdown` was answered; only `exit` is left.
    ShutDown,
}

struct Server<W: Write> {
    output: W,
    state: State,
    world: World,
    /// What was last published for each open document.
    published: HashMap<Url, Vec<Diagnostic>>,
    /// Messages already shown to the user, so a broken `okr.toml` is said once, not at every keystroke.
    shown: HashSet<String>,
    /// Notifications (and okr's one request) to send once the message being handled is answered.
    outgoing: Vec<Message>,
    /// Problems to show the user (as warnings) then.
    pending: Vec<String>,
    /// The documents the editor has open (`didOpen` until `didClose`), OKR files or not, each with the version
    /// of its text the server holds.
    opened: HashMap<Url, i32>,
    /// Whether the client can be asked to watch files, which it is once `initialized`.
    watch: bool,
    /// The OKR folders (relative to their roots) the client was asked to watch, and whether it agreed.
    watched_dirs: Vec<String>,
    watching: bool,
    /// The workspace folders the editor opened, with links resolved: the client watches files only in them.
    folders: Vec<std::path::PathBuf>,
    /// What is read from git, once per `HEAD`: the history hover shows, and the committed files the change
    /// policy compares the editor's text with.
    histories: Histories,
}

/// Serves one client until it sends `exit` or closes the stream.
pub fn serve(mut input: impl BufRead, output: impl Write) -> io::Result<Ending> {
    let mut server = Server {
        output,
        state: State::Starting,
        world: World::default(),
        published: HashMap::new(),
        shown: HashSet::new(),
        outgoing: Vec::new(),
        pending: Vec::new(),
        opened: HashMap::new(),
        watch: false,
        watched_dirs: Vec::new(),
        watching: false,
        folders: Vec::new(),
        histories: Histories::default(),
    };
    loop {
        let message = match transport::read(&mut input)? {
            Incoming::End => return Ok(server.ending()),
            Incoming::Malformed(why) => {
                transport::write_parse_error(&mut server.output, &why)?;
                continue;
            }
            Incoming::UnheldId(id) => {
                transport::write_error(
                    &mut server.output,
                    &id,
                    ErrorCode::InvalidRequest,
                    "okr answers requests whose id is a string or a whole number of 32 bits",
                )?;
                continue;
            }
            Incoming::Message(message) => message,
        };
        match message {
            Message::Notification(n) if n.method == "exit" => return Ok(server.ending()),
            Message::Notification(n) => {
                let method = n.method.clone();
                if catch_unwind(AssertUnwindSafe(|| server.notification(n))).is_err() {
                    server.show(
                        MessageType::ERROR,
                        format!("okr: internal error handling `{method}`; this is a bug in okr"),
                    )?;
                }
            }
            Message::Request(request) => {
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| server.request(request)))
                    .unwrap_or_else(|_| {
                        Response::new_err(
                            id,
                            ErrorCode::InternalError as i32,
                            "internal error; this is a bug in okr".to_owned(),
                        )
                    });
                server.send(response.into())?;
            }
            // okr's one request: watching files, agreed to unless the answer is an error.
            Message::Response(response) => {
                if response.id == RequestId::from(watch::REGISTRATION_ID.to_owned())
                    && response.response_result.is_ok()
                {
                    server.watching = true;
                    server.apply_watch();
                }
            }
        }
        server.flush_pending()?;
    }
}

impl<W: Write> Server<W> {
    fn ending(&self) -> Ending {
        if self.state == State::ShutDown {
            Ending::Clean
        } else {
            Ending::Abrupt
        }
    }

    /// Sends what handling the last message queued.
    fn flush_pending(&mut self) -> io::Result<()> {
        for message in std::mem::take(&mut self.outgoing) {
            self.send(message)?;
        }
        for message in std::mem::take(&mut self.pending) {
            self.show(MessageType::WARNING, message)?;
        }
        Ok(())
    }

    fn send(&mut self, message: Message) -> io::Result<()> {
        transport::write(&mut self.output, message)
    }

    fn show(&mut self, typ: MessageType, message: String) -> io::Result<()> {
        if !self.shown.insert(message.clone()) {
            return Ok(());
        }
        let params = ShowMessageParams { typ, message };
        self.send(Notification::new("window/showMessage".to_owned(), params).into())
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        match (self.state, request.method.as_str()) {
            (State::Starting, "initialize") => {
                let result = params(request).map(|p| self.initialize(p));
                respond(id, result)
            }
            (State::Starting, _) => error(
                id,
                ErrorCode::ServerNotInitialized,
                "the server is not initialized yet; send `initialize` first",
            ),
            (State::ShutDown, _) => error(
                id,
                ErrorCode::InvalidRequest,
                "the server is shut down; only `exit` is left",
            ),
            (State::Running, "initialize") => error(
                id,
                ErrorCode::InvalidRequest,
                "the server is initialized already",
            ),
            (State::Running, "shutdown") => {
                self.state = State::ShutDown;
                Response::new_ok(id, ())
            }
            (State::Running, "textDocument/documentSymbol") => {
                let result = params(request).map(|p: DocumentSymbolParams| {
                    let (_, _, file) = self.world.document(&p.text_document.uri)?;
                    Some(DocumentSymbolResponse::Nested(symbols::document(file)))
                });
                respond(id, result)
            }
            (State::Running, "textDocument/definition") => {
                let result = params(request).map(|p: GotoDefinitionParams| {
                    let at = p.text_document_position_params;
                    let (project, path, file) = self.world.document(&at.text_document.uri)?;
                    let pos = Lines::new(file.text()).pos(at.position);
                    definition::at(project, path, file, pos).map(GotoDefinitionResponse::Scalar)
                });
                respond(id, result)
            }
            (State::Running, "textDocument/hover") => {
                let result = params(request).map(|p: HoverParams| {
                    let at = p.text_document_position_params;
                    let (project, path, file) = self.world.document(&at.text_document.uri)?;
                    let pos = Lines::new(file.text()).pos(at.position);
                    hover::at(project, path, file, pos, &mut self.histories)
                });
                respond(id, result)
            }
            (State::Running, "textDocument/codeAction") => {
                let result = params(request).map(|p: CodeActionParams| {
                    let uri = p.text_document.uri;
                    let (project, path, file) = self.world.document(&uri)?;
                    // A bad OKR_TODAY is said by the commands that need the day; here it only dates a draft.
                    let today = crate::repo::clock::today()
                        .map(|d| d.to_string())
                        .unwrap_or_default();
                    Some(actions::in_range(
                        project,
                        path,
                        file,
                        &uri,
                        p.range,
                        &today,
                        &mut self.histories,
                    ))
                });
                respond(id, result)
            }
            (State::Running, "textDocument/completion") => {
                let result = params(request).map(|p: CompletionParams| {
                    let at = p.text_document_position;
                    let (project, path, file) = self.world.document(&at.text_document.uri)?;
                    let list = completion::at(project, path, file, at.position);
                    Some(CompletionResponse::List(list))
                });
                respond(id, result)
            }
            (State::Running, "workspace/symbol") => {
                let result = params(request)
                    .map(|p: WorkspaceSymbolParams| symbols::workspace(&self.world, &p.query));
                respond(id, result)
            }
            (State::Running, method) => error(
                id,
                ErrorCode::MethodNotFound,
                &format!("okr does not serve `{method}`"),
            ),
        }
    }

    fn initialize(&mut self, params: InitializeParams) -> InitializeResult {
        self.state = State::Running;
        self.watch = watch::supported(&params.capabilities);
        #[allow(deprecated)] // older clients send only `rootUri` or `rootPath`
        let folders: Vec<Url> = match (params.workspace_folders, params.root_uri, params.root_path)
        {
            (Some(folders), _, _) if !folders.is_empty() => {
                folders.into_iter().map(|f| f.uri).collect()
            }
            (_, Some(root), _) => vec![root],
            (_, None, Some(path)) => Url::from_directory_path(path).into_iter().collect(),
            _ => Vec::new(),
        };
        for folder in folders {
            let Some(path) = file_path(&folder) else {
                continue;
            };
            self.folders
                .extend(path.canonicalize().ok().or_else(|| Some(path.clone())));
            if let Err(err) = self.world.open_folder(&path) {
                self.pending.push(format!(
                    "okr: no OKR checks for {}: {err:#}",
                    path.display()
                ));
            }
        }
        InitializeResult {
            capabilities: ServerCapabilities {
                position_encoding: Some(PositionEncodingKind::UTF16),
                text_document_sync: Some(TextDocumentSyncCapability::Options(
                    TextDocumentSyncOptions {
                        open_close: Some(true),
                        change: Some(TextDocumentSyncKind::FULL),
                        save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                            include_text: Some(false),
                        })),
                        ..TextDocumentSyncOptions::default()
                    },
                )),
                hover_provider: Some(lsp_types::HoverProviderCapability::Simple(true)),
                // A space after `key:` asks for its values, a `/` for the rest of an `aligns_to` target.
                completion_provider: Some(CompletionOptions {
                    trigger_characters: Some(vec![" ".to_owned(), "/".to_owned()]),
                    ..CompletionOptions::default()
                }),
                definition_provider: Some(OneOf::Left(true)),
                document_symbol_provider: Some(OneOf::Left(true)),
                workspace_symbol_provider: Some(OneOf::Left(true)),
                code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "okr".to_owned(),
                version: Some(env!("CARGO_PKG_VERSION").to_owned()),
            }),
        }
    }

    fn notification(&mut self, notification: Notification) {
        if self.state != State::Running {
            return;
        }
        let method = notification.method.clone();
        let value = notification.params;
        match method.as_str() {
            "textDocument/didOpen" => {
                if let Some(p) = from_value::<DidOpenTextDocumentParams>(value) {
                    self.opened
                        .insert(p.text_document.uri.clone(), p.text_document.version);
                    self.update(p.text_document.uri, p.text_document.text, true);
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
            "initialized" if self.watch => {
                let mut dirs: Vec<String> = self
                    .world
                    .projects
                    .iter()
                    .map(|p| p.workspace.config.dir.clone())
                    .collect();
                // Workspaces loaded later, when a file of theirs is opened, most often keep the default.
                dirs.push("okrs".to_owned());
                let request = watch::registration(dirs.iter().map(String::as_str));
                self.watched_dirs = dirs;
                self.outgoing.push(request.into());
            }
            "workspace/didChangeWatchedFiles" => {
                if let Some(p) = from_value::<DidChangeWatchedFilesParams>(value) {
                    for change in p.changes {
                        self.changed_on_disk(&change.uri);
                    }
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = from_value::<DidCloseTextDocumentParams>(value) {
                    self.opened.remove(&p.text_document.uri);
                    self.close(p.text_document.uri);
                }
            }
            // `initialized` (when the client cannot watch files), `$/cancelRequest` (every request is answered before the next is read),
            // `$/setTrace`, and whatever else a client tells: nothing to do.
            _ => {}
        }
    }

    /// Tells each workspace whose OKR files the client reports changes to that it need not look for them on
    /// disk at every edit ([`crate::lsp::world::Project::watch`]): once the client agreed to watch, for an OKR
    /// folder inside a folder the editor opened (clients watch only those) that was among those registered.
    fn apply_watch(&mut self) {
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
        self.queue_diagnostics(index, &affected, uri);
    }

    /// The client says the file at `uri` was created, changed or deleted on disk: an `okr.toml` of a loaded
    /// workspace is read again, an OKR file the editor does not hold open too.
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
        let affected = self.world.projects[index].set_text(&path, text, uri.clone());
        self.queue_diagnostics(index, &affected, &uri);
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
        self.queue_diagnostics(index, &affected, &uri);
    }

    /// Queues the diagnostics of each open file among `affected` that changed since they were last published,
    /// and always those of `changed`, the file the editor just changed (while it is open).
    fn queue_diagnostics(&mut self, index: usize, affected: &BTreeSet<String>, changed: &Url) {
        let project = &self.world.projects[index];
        for path in affected {
            let Some(uri) = project.file(path).and_then(|f| f.open.clone()) else {
                continue;
            };
            let now = diagnostics::of(project, path, &mut self.histories);
            if &uri != changed && self.published.get(&uri) == Some(&now) {
                continue;
            }
            self.published.insert(uri.clone(), now.clone());
            let version = self.opened.get(&uri).copied();
            self.outgoing
                .push(diagnostics::publish(uri, now, version).into());
        }
    }
}

fn params<P: DeserializeOwned>(request: Request) -> Result<P, Response> {
    serde_json::from_value(request.params).map_err(|err| {
        Response::new_err(
            request.id,
            ErrorCode::InvalidParams as i32,
            format!(
                "the parameters of `{}` do not fit it: {err}",
                request.method
            ),
        )
    })
}

fn from_value<P: DeserializeOwned>(value: serde_json::Value) -> Option<P> {
    serde_json::from_value(value).ok()
}

fn respond<R: Serialize>(id: RequestId, result: Result<R, Response>) -> Response {
    match result {
        Ok(result) => match serde_json::to_value(result) {
            Ok(value) => Response::new_ok(id, value),
            Err(err) => error(id, ErrorCode::InternalError, &err.to_string()),
        },
        Err(response) => response,
    }
}

fn error(id: RequestId, code: ErrorCode, message: &str) -> Response {
    Response::new_err(id, code as i32, message.to_owned())
}
