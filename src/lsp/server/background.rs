//! What the server reads from git on other threads, and what it does while waiting: a hover whose history is
//! not read yet at `HEAD` waits, unanswered, while the loop goes on serving edits; it is answered when the read
//! is done, or with the rest of the hover if it is cancelled first (`$/cancelRequest`: an error, as the
//! protocol asks) or the server is shut down. A quarter's history is read ahead when a file of it is opened
//! and when `HEAD` moves, so the first hover seldom waits.
//!
//! `HEAD` moving is noticed when the client reports a change to a watched file ([`watch`]: git's `HEAD` and
//! refs are among them), and by any message that reads from git (an edit, a hover); after each message,
//! where it moved, what was read at the old `HEAD` is forgotten and the diagnostics of the open files, whose
//! change-policy warnings compare them with the files at `HEAD`, are published again where they changed.
//!
//! [`watch`]: crate::lsp::watch

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};

use lsp_server::{ErrorCode, Message, RequestId, Response};
use lsp_types::{CancelParams, Hover, HoverParams, NumberOrString};

use super::{Input, Server, State, respond};
use crate::core::rules;
use crate::lsp::diagnostics;
use crate::lsp::history::{Done, Known, Read};
use crate::lsp::hover::{self, Wanted};
use crate::lsp::position::Lines;

/// A hover waiting for the history it ends with.
pub(super) struct Waiting {
    id: RequestId,
    /// The hover as it will be shown, but for the history: computed from the text when it was asked.
    hover: Hover,
    wanted: Wanted,
    read: Read,
}

impl<W: Write> Server<W> {
    /// Answers a hover at once, or (`None`) once the history it ends with is read.
    pub(super) fn hover(&mut self, id: RequestId, p: HoverParams) -> Option<Response> {
        let at = p.text_document_position_params;
        let answer =
            self.world
                .document(&at.text_document.uri)
                .and_then(|(project, path, file)| {
                    let pos = Lines::new(file.text()).pos(at.position);
                    Some((project, hover::at(project, path, file, pos)?))
                });
        let Some((project, answer)) = answer else {
            return Some(respond(id, Ok(None::<Hover>)));
        };
        let mut hover = answer.hover;
        if let Some(wanted) = answer.history {
            match self.histories.quarter(&project.workspace, wanted.quarter) {
                // Outside git, or a quarter git cannot tell about: the hover without a history.
                None | Some(Known::Read(None)) => {}
                Some(Known::Read(Some(events))) => wanted.add_to(&mut hover, &events),
                Some(Known::Unread(read)) => {
                    let inbox = self.inbox.clone();
                    let done = move |done| {
                        // The loop is gone only when the server ended: nobody waits then.
                        let _ = inbox.send(Input::Read(done));
                    };
                    if self.histories.start(&project.workspace, read.clone(), done) {
                        self.waiting.push(Waiting {
                            id,
                            hover,
                            wanted,
                            read,
                        });
                        return None;
                    }
                }
            }
        }
        Some(respond(id, Ok(Some(hover))))
    }

    /// A history read is done: it is kept if `HEAD` is still there, and the hovers waiting for it are
    /// answered. Kept first, so a bug met while answering one leaves no read counted as running for ever (the
    /// next hover would wait for it), and each hover is answered, without its history if need be.
    pub(super) fn history_read(&mut self, done: Done) {
        let (read, events) = (done.read.clone(), done.events.clone());
        self.histories.finish(done);
        let (ready, waiting) = std::mem::take(&mut self.waiting)
            .into_iter()
            .partition(|w| w.read == read);
        self.waiting = waiting;
        for Waiting {
            id,
            mut hover,
            wanted,
            ..
        } in ready
        {
            if let Some(events) = &events {
                let mut with_history = hover.clone();
                if catch_unwind(AssertUnwindSafe(|| {
                    wanted.add_to(&mut with_history, events);
                }))
                .is_ok()
                {
                    hover = with_history;
                }
            }
            self.outgoing.push(Response::new_ok(id, hover).into());
        }
        // A read ahead waits for the one of its quarter that runs (at an older `HEAD`, say): now it can start.
        self.read_ahead_open();
    }

    /// `$/cancelRequest`: a hover still waiting is answered `RequestCancelled`; any other request was answered
    /// before the next message was read. The read goes on, for the next hover.
    pub(super) fn cancel(&mut self, params: CancelParams) {
        let id = match params.id {
            NumberOrString::Number(n) => RequestId::from(n),
            NumberOrString::String(s) => RequestId::from(s),
        };
        let Some(at) = self.waiting.iter().position(|w| w.id == id) else {
            return;
        };
        let waiting = self.waiting.remove(at);
        self.outgoing.push(Message::Response(Response::new_err(
            waiting.id,
            ErrorCode::RequestCanceled as i32,
            "cancelled while its history was read".to_owned(),
        )));
    }

    /// At `shutdown`: every hover still waiting is answered without its history, so no request goes
    /// unanswered when the reads are left behind.
    pub(super) fn answer_waiting(&mut self) {
        for waiting in std::mem::take(&mut self.waiting) {
            self.outgoing
                .push(Response::new_ok(waiting.id, waiting.hover).into());
        }
    }

    /// Starts reading the history of the quarter of the file at `path` of project `index`, unless it is read
    /// or being read: the first hover on it then finds it ready, or nearly.
    pub(super) fn read_ahead(&mut self, index: usize, path: &str) {
        let project = &self.world.projects[index];
        let Some(quarter) = project
            .file(path)
            .and_then(|f| rules::quarter_of(path, f.okr()?))
        else {
            return;
        };
        // One read ahead at a time per quarter, however often `HEAD` moves (a rebase moves it at every
        // commit): the one that runs is followed by a read at the `HEAD` of then, when it is done.
        if self.histories.reading(&project.workspace.root, quarter) {
            return;
        }
        if let Some(Known::Unread(read)) = self.histories.quarter(&project.workspace, quarter) {
            let inbox = self.inbox.clone();
            self.histories.start(&project.workspace, read, move |done| {
                let _ = inbox.send(Input::Read(done));
            });
        }
    }

    /// Reads ahead the quarters of the documents the editor has open, where not read or being read.
    fn read_ahead_open(&mut self) {
        let uris: Vec<_> = self.opened.keys().cloned().collect();
        for uri in uris {
            if let Some((index, path)) = self.world.find_uri(&uri) {
                self.read_ahead(index, &path);
            }
        }
    }

    /// Asks each workspace's git where `HEAD` is; where it moved, what was read at the old one is forgotten,
    /// the diagnostics of its open files are published again where they changed, and their quarters' histories
    /// read ahead. A ref read per workspace, so it is asked after every message: an edit or a hover that
    /// noticed the move on its own (and forgot what was read) leaves the other open files to it.
    pub(super) fn check_heads(&mut self) {
        if self.state != State::Running {
            return;
        }
        for index in 0..self.world.projects.len() {
            if !self
                .histories
                .moved(&self.world.projects[index].workspace.root)
            {
                continue;
            }
            let uris: Vec<_> = self.published.keys().cloned().collect();
            for uri in uris {
                let Some((i, path)) = self.world.find_uri(&uri) else {
                    continue;
                };
                if i != index {
                    continue;
                }
                // Its findings wait for the check after this message ([`Server::recheck_stale`]), which
                // publishes them.
                if self.world.projects[index].is_stale(&path) {
                    self.read_ahead(index, &path);
                    continue;
                }
                let now = diagnostics::of(&self.world.projects[index], &path, &mut self.histories);
                if self.published.get(&uri) != Some(&now) {
                    self.published.insert(uri.clone(), now.clone());
                    let version = self.opened.get(&uri).copied();
                    self.outgoing
                        .push(diagnostics::publish(uri, now, version).into());
                }
                self.read_ahead(index, &path);
            }
        }
    }
}
