//! Renderers: each lays out the same engine data in one format. They compute nothing.

pub mod changes;
pub mod escape;
pub mod format;
pub mod github;
pub mod gitlab;
pub mod history;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod pages;
pub mod policy;
pub mod rdjson;
pub mod report;
pub mod sarif;
pub mod source;
pub mod state;
pub mod text;
