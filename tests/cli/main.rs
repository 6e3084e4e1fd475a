//! Integration tests: the real `okr` binary, run the way a user or a CI step runs it.
//! One test binary with modules, so the suite links once.

// Tests say on stderr what they skip (a corpus missing beside the clone).
#![allow(clippy::print_stderr)]

mod browser;
mod cache;
mod change_model;
mod checkin;
mod ci_log;
mod corpus;
mod demo;
mod diff;
mod docs;
mod fix;
mod fixtures;
mod formats;
mod history;
mod history_cache;
mod hostile;
mod init;
mod kr_alignment;
mod links;
mod lsp;
mod lsp_actions;
mod lsp_background;
mod lsp_completion_hover;
mod lsp_reasons;
mod matrix;
mod measures;
mod misnamed;
mod neovim;
mod output_file;
mod owners;
mod pager;
mod piecewise;
mod policy;
mod priority;
mod regressions;
mod replace;
mod replay;
mod repo;
mod repos;
mod retrospective;
mod rollover;
mod rollover_edges;
mod schema;
mod stale;
mod support;
mod validate;
mod web_links;
