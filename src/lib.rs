//! okr's engine: OKR files as data, the rules that check them, git history read as changes to them, and the
//! renderers that lay results out. Nothing in the library writes to the terminal; the `okr` binary decides
//! where output goes.
//!
//! Layers, each importing only from those below it:
//! - [`core`]: pure — the model, parsing, rules, comparison and classification of changes, the change policy,
//!   history and report building. No filesystem, no git, no terminal.
//! - [`repo`]: the repository — workspace and `okr.toml`, loading files, git through gix, the walk, caches.
//! - [`commands`]: what each command computes, from the repository through the core.
//! - [`render`]: lays the results out in each output format.

pub mod commands;
pub mod core;
pub mod lsp;
pub mod render;
pub mod repo;
pub mod view;
