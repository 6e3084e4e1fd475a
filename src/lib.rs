//! okr's engine: OKR files as data, the rules that check them, and the renderers that lay results out.
//! Nothing in the library writes to the terminal; the `okr` binary decides where output goes.

pub mod calendar;
pub mod change;
pub mod comparison;
pub mod config;
pub mod decode;
pub mod demo;
pub mod diagnostic;
pub mod diff;
pub mod git;
pub mod history;
pub mod init;
pub mod load;
pub mod model;
pub mod piecewise;
pub mod policy;
pub mod render;
pub mod report;
pub mod rules;
pub mod state;
pub mod timeline;
pub mod validate;
pub mod walk_cache;
pub mod workspace;
pub mod yaml;
