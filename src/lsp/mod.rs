//! `okr lsp`: a Language Server Protocol server over a byte stream (the binary gives it stdin and stdout), so
//! editors show okr's findings while a file is typed, outline it, and go from an `aligns_to` to its target.
//!
//! Built on rust-analyzer's `lsp-server` (the message types and their framing) and `lsp-types`: one loop on one
//! thread, with no async runtime, and git history read on threads of its own; every answer comes from the same
//! engine as `okr validate`
//! ([`crate::core::parse`], [`crate::core::rules`], `okr.toml`'s severities). The server never writes a file: a
//! quick fix is an edit the editor makes.
//!
//! - [`server`]: the message loop and the protocol's lifecycle, and the history reads it waits for.
//! - [`transport`]: framing, reading on past a body that is not a message.
//! - [`world`]: the workspaces, their files (the editor's text over the disk's) and their findings.
//! - [`position`]: okr's lines and character columns ↔ the protocol's UTF-16 positions.
//! - [`history`]: the git history of each quarter hover shows, and each file as `HEAD` has it, kept until
//!   `HEAD` moves.
//! - [`reasons`]: the changes of an open file's text that the change policy would refuse.
//! - [`watch`]: asking the client to report changes to the OKR files, `okr.toml` and git's `HEAD` and refs.
//! - one module per feature: [`diagnostics`], [`symbols`], [`definition`], [`hover`], [`completion`],
//!   [`actions`] (quick fixes).

pub mod actions;
pub mod completion;
pub mod definition;
pub mod diagnostics;
pub mod history;
pub mod hover;
pub mod position;
pub mod reasons;
pub mod server;
pub mod symbols;
pub mod transport;
pub mod watch;
pub mod world;

pub use server::serve;

/// How the client ended the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`: the process exits with 0.
    Clean,
    /// `exit` without `shutdown`, or the stream closed: the process exits with 1, as the protocol asks.
    Abrupt,
}
