//! The repository: where OKRs live (workspace and `okr.toml`), reading files from disk (and writing the new
//! ones `okr init` creates), and reading git through gix — the walk of a folder's history, the revisions in
//! it, and the caches that make it fast.

pub mod cache_config;
pub mod changes;
pub mod clock;
pub mod config;
pub mod git;
pub mod history;
pub mod history_cache;
pub mod history_codec;
pub mod load;
pub mod new_files;
pub mod revisions;
pub mod rewrite;
pub mod state;
pub mod walk;
pub mod walk_cache;
pub mod workspace;
