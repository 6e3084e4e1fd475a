//! The message loop: one message at a time, in the order the client sent them, on one thread; a thread of its
//! own reads the client's messages, and reads of git history run on threads of their own too
//! ([`background`]), each handing what it found to the loop through the one channel the loop takes messages
//! from. So every answer but a hover waiting for its history is given in order, and that one when the history
//! is read, while edits go on being served.
//!
//! The protocol's lifecycle is kept: before `initialize` every request is answered `ServerNotInitialized` and
//! notifications are dropped; after `shutdown` every request is answered `InvalidRequest`; `exit` ends the
//! loop, cleanly only after `shutdown`. A request okr does not serve is answered `MethodNotFound`, one whose
//! parameters do not fit its method `InvalidParams`, and one that hits a bug in okr `InternalError`; the
//! server goes on in every case.

use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Sender};

use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    CodeActionParams, CodeActionProviderCapability, CompletionOptions, CompletionParams,
    CompletionResponse, Diagnostic, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, InitializeParams, InitializeResult, MessageType,
    OneOf, PositionEncodingKind, SaveOptions, ServerCapabilities, ServerInfo, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, Url, WorkspaceSymbolParams,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::lsp::history::{self, Histories};
use crate::lsp::position::Lines;
use crate::lsp::transport::{self, Incoming};
use crate::lsp::world::{World, file_path};
use crate::lsp::{Ending, actions, completion, definition, symbols, watch};

mod background;
mod documents;

/// What the loop takes in, in the order it came: a message of the client's, or a history read that is done.
enum Input {
    Incoming(io::Result<Incoming>),
    Read(history::Done),
}

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
    /// What the client can be asked to watch, which it is once `initialized`.
    watch: watch::Support,
    /// The OKR folders (relative to their roots) the client was asked to watch, and whether it agreed.
    watched_dirs: Vec<String>,
    watching: bool,
    /// The workspace folders the editor opened, with links resolved: the client watches files only in them.
    folders: Vec<std::path::PathBuf>,
    /// What is read from git, once per `HEAD`: the history hover shows, and the committed files the change
    /// policy compares the editor's text with.
    histories: Histories,
    /// Where reads running on other threads hand what they found to the loop.
    inbox: Sender<Input>,
    /// The hovers waiting for a history being read, in the order they were asked.
    waiting: Vec<background::Waiting>,
}

/// Serves one client until it sends `exit` or closes the stream. `input` is read on a thread of its own; when
/// `exit` ends the loop that thread may still wait for bytes, and goes with the process.
pub fn serve(input: impl BufRead + Send + 'static, output: impl Write) -> io::Result<Ending> {
    let (inbox, incoming) = mpsc::channel();
    let reader = inbox.clone();
    std::thread::Builder::new()
        .name("okr-lsp-reader".to_owned())
        .spawn(move || read_all(input, &reader))?;
    let mut server = Server {
        output,
        state: State::Starting,
        world: World::default(),
        published: HashMap::new(),
        shown: HashSet::new(),
        outgoing: Vec::new(),
        pending: Vec::new(),
        opened: HashMap::new(),
        watch: watch::Support::None,
        watched_dirs: Vec::new(),
        watching: false,
        folders: Vec::new(),
        histories: Histories::default(),
        inbox,
        waiting: Vec::new(),
    };
    loop {
        // The server holds a sender itself, so the channel cannot close while it waits.
        let Ok(input) = incoming.recv() else {
            return Ok(server.ending());
        };
        let incoming = match input {
            Input::Read(done) => {
                let read = catch_unwind(AssertUnwindSafe(|| {
                    server.history_read(done);
                    server.check_heads();
                }));
                if read.is_err() {
                    server.show(
                        MessageType::ERROR,
                        "okr: internal error showing a history; this is a bug in okr".to_owned(),
                    )?;
                }
                server.settle()?;
                continue;
            }
            Input::Incoming(incoming) => incoming,
        };
        let message = match incoming? {
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
                let handled = catch_unwind(AssertUnwindSafe(|| {
                    server.notification(n);
                    server.check_heads();
                }));
                if handled.is_err() {
                    server.show(
                        MessageType::ERROR,
                        format!("okr: internal error handling `{method}`; this is a bug in okr"),
                    )?;
                }
            }
            Message::Request(request) => {
                let id = request.id.clone();
                let shutdown = request.method == "shutdown";
                let response = catch_unwind(AssertUnwindSafe(|| {
                    let response = server.request(request);
                    server.check_heads();
                    response
                }))
                .unwrap_or_else(|_| {
                    Some(Response::new_err(
                        id,
                        ErrorCode::InternalError as i32,
                        "internal error; this is a bug in okr".to_owned(),
                    ))
                });
                // The hovers still waiting are answered before `shutdown` is: a client may stop reading then.
                if shutdown {
                    server.flush_pending()?;
                }
                // None: a hover waiting for its history, answered when it is read.
                if let Some(response) = response {
                    server.send(response.into())?;
                }
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
        server.settle()?;
    }
}

/// Reads the client's messages and hands each to the loop, until the stream ends or breaks. A bug met while
/// reading breaks the stream: the loop, which holds a sender of its own, would wait for ever otherwise.
fn read_all(mut input: impl BufRead, inbox: &Sender<Input>) {
    loop {
        let incoming = catch_unwind(AssertUnwindSafe(|| transport::read(&mut input)))
            .unwrap_or_else(|_| {
                Err(io::Error::other(
                    "internal error reading a message; this is a bug in okr",
                ))
            });
        let last = matches!(incoming, Ok(Incoming::End) | Err(_));
        if inbox.send(Input::Incoming(incoming)).is_err() || last {
            return;
        }
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

    /// Sends what handling the last message queued, then checks again the files it left stale and sends what
    /// changed of theirs, before the next message is read: an edit's own diagnostics go out before the
    /// thousands of files it may touch are checked, and theirs right after.
    fn settle(&mut self) -> io::Result<()> {
        self.flush_pending()?;
        let rechecked = catch_unwind(AssertUnwindSafe(|| self.recheck_stale()));
        if rechecked.is_err() {
            self.show(
                MessageType::ERROR,
                "okr: internal error checking the files an edit touched; this is a bug in okr"
                    .to_owned(),
            )?;
        }
        self.flush_pending()
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

    /// The answer to `request`; `None` for a hover that waits for its history ([`background`]).
    fn request(&mut self, request: Request) -> Option<Response> {
        let id = request.id.clone();
        let response = match (self.state, request.method.as_str()) {
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
                self.answer_waiting();
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
            (State::Running, "textDocument/hover") => match params(request) {
                Ok(p) => return self.hover(id, p),
                Err(response) => response,
            },
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
        };
        Some(response)
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
