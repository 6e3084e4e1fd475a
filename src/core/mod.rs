//! The pure core: what OKR files mean, what changed between two revisions and what that change means, the
//! change policy, and the history and report built from changes. Nothing here reads a file, runs git or
//! knows a terminal: inputs arrive as bytes and data, outputs leave as data.

pub mod attribution;
pub mod bidi;
pub mod calendar;
pub mod change;
pub mod compare;
pub mod decode;
pub mod diagnostic;
pub mod edit;
pub mod fix;
pub mod history;
pub mod locate;
pub mod merge;
pub mod model;
pub mod outline;
pub mod parse;
pub mod piecewise;
pub mod policy;
pub mod reason;
pub mod report;
pub mod rollover;
pub mod rules;
pub mod stale;
pub mod state;
pub mod suggest;
pub mod timeline;
pub mod yaml;
pub mod yaml_help;
