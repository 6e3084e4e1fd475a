//! Renderers: each lays out the same engine data in one format. They compute nothing.

pub mod changes;
pub mod github;
pub mod history;
pub mod html;
pub mod human;
pub mod json;
pub mod junit;
pub mod policy;
pub mod report;
pub mod sarif;
pub mod state;
pub mod text;
