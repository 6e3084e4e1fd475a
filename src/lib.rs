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

/// The JSON Schema of the format, as committed in `schema/okr.schema.json`: written by `okr init`, printed by
/// `okr schema`, and read by the language server for its field descriptions. At the crate root so that none of
/// them depends on another's module for it.
pub const SCHEMA: &str = include_str!("../schema/okr.schema.json");
