//! Renderers: each lays out the same engine data in one format. They compute nothing.

pub mod changes;
pub mod history;
pub mod human;
pub mod json;
pub mod state;
